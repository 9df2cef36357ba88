"""`passnum geo build` regenerates exactly the committed artefacts (≈30 s, < 1 GB): they are not edited
by hand, and the pipeline is deterministic."""

import json

from dashboard.cli import main
from tests.conftest import GEO_DIR


def test_geo100_reconstruction_identique_aux_artefacts_commites(tmp_path, capsys):
    assert main(["geo", "build", "--out", str(tmp_path)]) == 0
    sortie = capsys.readouterr()
    assert "Géographie régénérée" in sortie.out and "Fusion et simplification" in sortie.err
    attendu = json.loads((GEO_DIR / "manifest.json").read_text(encoding="utf-8"))
    obtenu = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert obtenu["fichiers"] == attendu["fichiers"]
    for nom in [*attendu["fichiers"].values(), "territoires.csv", "codes_communes.csv"]:
        assert (tmp_path / nom).read_bytes() == (GEO_DIR / nom).read_bytes(), nom
    assert {k: v for k, v in obtenu.items() if k != "genere_le"} == {
        k: v for k, v in attendu.items() if k != "genere_le"
    }
