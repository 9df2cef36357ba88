"""Contracts of the repository itself: the README's commands, CI, the licence."""

import re

from dashboard.settings import ROOT


def _commandes_readme() -> list[str]:
    texte = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```sh\n(.+?)\n```", texte, flags=re.S)


def test_dep001_readme_commence_par_les_deux_commandes():
    lancer, tester = _commandes_readme()[:2]
    assert lancer.endswith("python app.py")
    assert "chromium chromium-driver" in tester and '".[test]"' in tester and "pytest" in tester


def test_dep002_ci_execute_exactement_la_commande_de_test_du_readme():
    tester = _commandes_readme()[1]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert tester in ci.splitlines()


def test_dep003_licence_agpl():
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("GNU AFFERO GENERAL PUBLIC LICENSE")
    assert 'license = "AGPL-3.0-or-later"' in (ROOT / "pyproject.toml").read_text(encoding="utf-8")
