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


# What each package may import of the project (and never Dash or Flask below the pages, components and
# web): the arrows of ARCHITECTURE.md point one way, pages → vues/components/figures → store → domain.
PERMIS = {
    "domain": {"domain"},
    "geo": {"geo", "domain", "settings"},
    "store": {"store", "domain", "settings"},
    "ingest": {"ingest", "store", "domain", "settings"},
    "demo": {"demo", "ingest", "store", "domain", "settings"},
    "figures": {"figures", "domain"},
    "exports": {"exports", "figures", "store", "domain", "settings"},
    "vues": {"vues", "exports", "figures", "demo", "ingest", "store", "domain", "settings"},
    "components": {"components", "vues", "exports", "figures", "ingest", "store", "domain"},
}
SANS_DASH = {"domain", "geo", "store", "ingest", "demo", "figures", "exports", "vues"}


def _imports(fichier) -> set[str]:
    noms = set()
    for n in ast.walk(ast.parse(fichier.read_text(encoding="utf-8"))):
        if isinstance(n, ast.ImportFrom) and n.module and n.level == 0:
            noms.add(n.module)
        elif isinstance(n, ast.Import):
            noms.update(a.name for a in n.names)
    return noms


def test_tid004_les_dependances_vont_dans_un_seul_sens():
    ecarts = []
    for paquet, permis in PERMIS.items():
        for fichier in sorted((ROOT / "dashboard" / paquet).rglob("*.py")):
            for module in _imports(fichier):
                morceaux = module.split(".")
                if morceaux[0] == "dashboard" and len(morceaux) > 1 and morceaux[1] not in permis:
                    ecarts.append(f"{fichier.relative_to(ROOT)} → {module}")
                if paquet in SANS_DASH and morceaux[0] in ("dash", "flask", "dash_bootstrap_components"):
                    ecarts.append(f"{fichier.relative_to(ROOT)} → {module}")
    assert ecarts == []
