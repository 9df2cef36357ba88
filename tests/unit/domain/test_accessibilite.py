"""The accessibility statement's registry: it cites only tests that exist in the suite (so the page says
only what the tests check), its rate is criteria met ÷ applicable criteria, every non-conformity has its
workaround, and the WCAG contrast ratio it provides is the standard's."""

import ast

import pytest

from dashboard.domain import accessibilite as a11y
from dashboard.settings import ROOT


def _tests_de_la_suite() -> set[str]:
    noms = set()
    for fichier in (ROOT / "tests").rglob("test_*.py"):
        for n in ast.parse(fichier.read_text(encoding="utf-8")).body:
            if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef) and n.name.startswith("test_"):
                noms.add(n.name)
    return noms


def test_rga100_chaque_test_cite_existe_dans_la_suite():
    absents = sorted(a11y.tests_cites() - _tests_de_la_suite())
    assert absents == []
    assert all(c.tests for c in a11y.CRITERES), "un critère sans test ne se déclare pas"


def test_rga101_taux_de_conformite_sur_les_criteres_applicables():
    applicables = [c for c in a11y.CRITERES if c.statut is not a11y.Statut.NON_APPLICABLE]
    conformes = [c for c in applicables if c.statut is a11y.Statut.CONFORME]
    assert a11y.taux_conformite() == pytest.approx(len(conformes) / len(applicables))
    assert 0 < a11y.taux_conformite() < 1  # a non-conformity is declared: « partiellement conforme »
    assert a11y.ETAT == "partiellement conforme"


def test_rga102_chaque_non_conformite_dit_son_contournement_chaque_exclusion_son_motif():
    for c in a11y.CRITERES:
        if c.statut is a11y.Statut.NON_CONFORME:
            assert c.non_conformite and c.contournement, c.numero
        if c.statut is a11y.Statut.NON_APPLICABLE:
            assert c.motif, c.numero
    numeros = [c.numero for c in a11y.CRITERES]
    assert len(set(numeros)) == len(numeros)
    assert numeros == sorted(numeros, key=lambda n: tuple(int(x) for x in n.split(".")))


def test_rga103_mentions_obligatoires_du_modele_rgaa():
    assert "@" in a11y.CONTACT
    assert any("Défenseur des droits" in t for t in a11y.RECOURS)
    assert any("Libre réponse 71120" in t for t in a11y.RECOURS)
    chemins = [c for _, c in a11y.PAGES_AUDITEES]
    for page in (
        "/",
        "/comparer",
        "/presentation",
        "/donnees",
        "/methodologie",
        "/vigilance",
        "/calendrier",
        "/accessibilite",
        "/connexion",
    ):
        assert any(c.split("?")[0] == page for c in chemins), page
    assert any("axe-core" in o for o in a11y.OUTILS) and any("pa11y" in o for o in a11y.OUTILS)


def test_ctr100_rapport_de_contraste_des_wcag():
    assert a11y.contraste("#000000", "#FFFFFF") == pytest.approx(21)
    assert a11y.contraste("#FFFFFF", "#FFFFFF") == pytest.approx(1)
    assert a11y.contraste("#767676", "#FFFFFF") == pytest.approx(4.54, abs=0.01)  # the AA grey limit
    assert a11y.contraste("#000091", "#FFFFFF") == a11y.contraste("#FFFFFF", "#000091")
