"""`passnum demo`: files written and a French summary."""

import argparse

from dashboard.cli.demo import executer as executer_demo
from dashboard.settings import Settings


def test_dem201_resume_francais(tmp_path, capsys):
    args = argparse.Namespace(scale="small", seed=2019, out=tmp_path, silencieux=True)
    assert executer_demo(args, Settings()) == 0
    sortie = capsys.readouterr().out
    assert "vague 2019 : 48 conventions" in sortie
    assert "2 conseils régionaux" in sortie and "6 syndicats mixtes" in sortie
    assert "laureats 60" in sortie
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "commandes.csv",
        "distributions.csv",
        "laureats.csv",
        "lieux.csv",
        "syndicats.csv",
        "utilisations.csv",
    ]
