"""A commune by its postcode and name (no INSEE code): names normalised, déléguées, CEDEX, ambiguity."""

import pandas as pd
import pytest

from dashboard.ingest.codes_postaux import (
    AMBIGUE,
    INTROUVABLE,
    PAR_DEPARTEMENT,
    SANS_CODE_POSTAL,
    SANS_NOM,
    CommunesParNom,
    departements_du_code_postal,
    normaliser_nom,
)
from dashboard.settings import ROOT


@pytest.mark.parametrize(
    ("ecrit", "normalise"),
    [
        ("Saint-Herblain", "saint herblain"),
        ("ST HERBLAIN CEDEX 2", "saint herblain"),
        ("Ste-Luce-sur-Loire", "sainte luce sur loire"),
        ("L'Haÿ-les-Roses", "hay roses"),
        ("La Chapelle sur Erdre", "chapelle sur erdre"),
        ("Paris 15e Arrondissement", "paris 15"),
        ("Lyon 1er", "lyon 1"),
        ("Œuilly", "oeuilly"),
        ("", ""),
    ],
)
def test_lie010_noms_normalises(ecrit, normalise):
    assert normaliser_nom(ecrit) == normalise


def test_lie011_departements_du_code_postal():
    assert departements_du_code_postal("44800") == ("44",)
    assert departements_du_code_postal("20000") == ("2A", "2B")
    assert departements_du_code_postal("97400") == ("974",)


@pytest.fixture(scope="module")
def reference() -> CommunesParNom:
    """The real tables: codes_communes.csv and the communes of territoires.csv."""
    geo = ROOT / "data" / "geo"
    codes = pd.read_csv(geo / "codes_communes.csv", dtype=str, keep_default_na=False)
    territoires = pd.read_csv(geo / "territoires.csv", dtype=str, keep_default_na=False)
    communes = territoires.loc[territoires["niveau"] == "commune", ["code", "nom", "code_departement"]]
    return CommunesParNom.depuis_tables(codes.replace("", None), communes)


@pytest.mark.parametrize(
    ("code_postal", "nom", "attendu"),
    [
        ("44800", "St-Herblain", ("44162", None)),
        ("44000", "NANTES", ("44109", None)),
        ("75015", "Paris 15e Arrondissement", ("75056", None)),  # an arrondissement: its commune
        ("44540", "Freigné", ("44180", None)),  # a commune déléguée: today's commune
        ("44035", "Nantes Cedex 1", ("44109", PAR_DEPARTEMENT)),  # a CEDEX postcode
        ("20000", "Ajaccio", ("2A004", None)),
        ("44000", "Rennes", (None, INTROUVABLE)),
        ("4400", "Nantes", (None, SANS_CODE_POSTAL)),
        ("44000", " ", (None, SANS_NOM)),
    ],
)
def test_lie012_commune_par_code_postal_et_nom(reference, code_postal, nom, attendu):
    assert reference.trouver(code_postal, nom) == attendu


def test_lie013_deux_communes_du_meme_nom_sous_un_code_postal_ambigues():
    codes = pd.DataFrame(
        {
            "code": ["99001", "99002"],
            "nature": ["actuelle", "actuelle"],
            "code_actuel": ["99001", "99002"],
            "nom": ["Saint-Martin", "Saint Martin"],
            "codes_postaux": ["99100", "99100"],
        }
    )
    communes = pd.DataFrame(
        {"code": ["99001", "99002"], "nom": ["Saint-Martin", "Saint Martin"], "code_departement": "99"}
    )
    assert CommunesParNom.depuis_tables(codes, communes).trouver("99100", "St Martin") == (None, AMBIGUE)
