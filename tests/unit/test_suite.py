"""The suite's and the layout's own rules: every test has an id (`test_fic007_…`) that names it alone in
the whole suite, so that a failing line of CI is unambiguous; the unit tests mirror the package; a page
module only declares and renders (its functions stay short: the work is in vues/)."""

import ast
import re
from collections import Counter

from dashboard.settings import ROOT

TESTS = ROOT / "tests"
ID = re.compile(r"^test_([a-z]{2,4}\d{3}[a-z]?)_")
# Unit tests of what is not one module: the static security scan, the repository's contracts, the
# geometry artefacts in data/geo.
HORS_MIROIR = {"test_analyse_securite.py", "test_depot.py", "test_suite.py", "geo/test_artefacts.py"}


def _noms_des_tests() -> list[tuple[str, str]]:
    noms = []
    for fichier in sorted(TESTS.rglob("test_*.py")):
        arbre = ast.parse(fichier.read_text(encoding="utf-8"))
        noms += [
            (str(fichier.relative_to(TESTS)), n.name)
            for n in arbre.body
            if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef) and n.name.startswith("test_")
        ]
    return noms


def test_tid001_chaque_test_a_un_identifiant_unique():
    noms = _noms_des_tests()
    assert len(noms) > 300
    sans = [f"{f}::{n}" for f, n in noms if not ID.match(n)]
    assert sans == []
    doublons = [i for i, n in Counter(ID.match(n).group(1) for _, n in noms).items() if n > 1]
    assert doublons == []


def test_tid002_les_tests_unitaires_suivent_le_paquet():
    unitaires = TESTS / "unit"
    orphelins = []
    for fichier in sorted(unitaires.rglob("test_*.py")):
        relatif = fichier.relative_to(unitaires)
        module = ROOT / "dashboard" / relatif.parent / relatif.name.removeprefix("test_")
        if str(relatif) not in HORS_MIROIR and not module.is_file():
            orphelins.append(str(relatif))
    assert orphelins == []


def test_tid003_les_fonctions_des_pages_restent_courtes():
    longues = []
    for fichier in sorted((ROOT / "dashboard" / "pages").glob("*.py")):
        for n in ast.walk(ast.parse(fichier.read_text(encoding="utf-8"))):
            if isinstance(n, ast.FunctionDef):
                debut = min([d.lineno for d in n.decorator_list] + [n.lineno])
                if n.end_lineno - debut + 1 > 60:
                    longues.append(f"{fichier.name}:{n.name}")
    assert longues == []
