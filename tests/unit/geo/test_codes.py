"""The table of commune codes of every vintage, built from @etalab/decoupage-administratif entries, and the
committed data/geo/codes_communes.csv."""

from __future__ import annotations

import pandas as pd

from dashboard.domain.territoires import COLONNES_CODES_COMMUNES
from dashboard.geo.codes import FICHIER, table_codes
from dashboard.settings import ROOT

GEO_DIR = ROOT / "data" / "geo"
ENTREES = [
    {"code": "44180", "nom": "Vallons-de-l'Erdre", "type": "commune-actuelle", "zone": "metro",
     "anciensCodes": ["44017", "44225", "49144"], "siren": "200078079", "codesPostaux": ["44540"]},
    {"code": "44180", "nom": "Saint-Mars-la-Jaille", "type": "commune-deleguee", "zone": "metro",
     "chefLieu": "44180"},
    {"code": "44225", "nom": "Freigné", "type": "commune-deleguee", "zone": "metro", "chefLieu": "44180"},
    {"code": "75056", "nom": "Paris", "type": "commune-actuelle", "zone": "metro", "siren": "217500016",
     "codesPostaux": ["75001", "75015"]},
    {"code": "75115", "nom": "Paris 15e Arrondissement", "type": "arrondissement-municipal", "zone": "metro",
     "commune": "75056", "codesPostaux": ["75015"]},
    {"code": "97501", "nom": "Miquelon-Langlade", "type": "commune-actuelle", "zone": "com"},
]  # fmt: skip


def test_cog001_chaque_code_vers_la_commune_actuelle_le_code_actuel_l_emporte():
    table = table_codes(ENTREES).set_index("code")
    assert list(table.reset_index().columns) == list(COLONNES_CODES_COMMUNES)
    assert table.loc["44180", "nature"] == "actuelle"  # also the code of a commune déléguée
    assert table.loc["44225", ["nature", "code_actuel", "nom"]].tolist() == ["deleguee", "44180", "Freigné"]
    assert table.loc["49144", ["nature", "code_actuel"]].tolist() == ["ancienne", "44180"]
    assert table.loc["75115", ["nature", "code_actuel"]].tolist() == ["arrondissement", "75056"]
    assert table.loc["75056", ["siren", "codes_postaux"]].tolist() == ["217500016", "75001;75015"]
    assert "97501" not in table.index  # collectivités d'outre-mer: outside the programme's map


def test_cog002_fichier_livre_coherent_avec_les_territoires():
    codes = pd.read_csv(GEO_DIR / FICHIER, dtype=str, keep_default_na=False)
    territoires = pd.read_csv(GEO_DIR / "territoires.csv", dtype=str, keep_default_na=False)
    communes = set(territoires.loc[territoires["niveau"] == "commune", "code"])
    actuelles = codes[codes["nature"] == "actuelle"]
    assert set(actuelles["code"]) == communes
    assert codes["code"].is_unique
    assert set(codes["code_actuel"]) <= communes
    assert actuelles["siren"].str.fullmatch(r"\d{9}").all()
    par_code = codes.set_index("code")
    assert par_code.loc["44225", "code_actuel"] == "44180"
    assert par_code.loc["13201", "code_actuel"] == "13055"
    assert par_code.loc["69385", "code_actuel"] == "69123"
    assert (codes["nature"] == "arrondissement").sum() == 20 + 16 + 9
