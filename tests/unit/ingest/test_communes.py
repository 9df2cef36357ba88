"""Commune codes of any vintage → today's commune, and the sentences the report tells."""

from __future__ import annotations

import pandas as pd

from dashboard.ingest.communes import CodesCommunes, informations, resoudre

CODES = CodesCommunes(
    actuels={"44180": "44180", "44225": "44180", "44017": "44180", "75056": "75056", "75115": "75056"},
    natures={
        "44180": "actuelle",
        "44225": "deleguee",
        "44017": "ancienne",
        "75056": "actuelle",
        "75115": "arrondissement",
    },
    noms={"44180": "Vallons-de-l'Erdre", "75056": "Paris"},
)


def test_cco001_codes_anciens_et_arrondissements_resolus_code_brut_garde():
    serie = pd.Series(["44225", "44180", "75115", "", "44999", "44017"], index=[10, 11, 12, 13, 14, 15])
    res = resoudre(serie, CODES)
    assert res.codes.tolist() == ["44180", "44180", "75056", "", "44999", "44180"]
    assert res.convertis.tolist() == [True, False, True, False, False, True]
    assert res.inconnus.tolist() == [False, False, False, False, True, False]
    assert res.bruts.tolist() == ["44225", None, "75115", None, None, "44017"]
    assert res.codes.index.tolist() == [10, 11, 12, 13, 14, 15]


def test_cco002_une_phrase_par_code_converti_avec_son_nombre_de_lignes():
    serie = pd.Series(["44225"] * 12 + ["75115", "44180", "44017"])
    phrases = informations(resoudre(serie, CODES), CODES, "code_commune")
    assert phrases == [
        "1 ligne : code ancien converti (code_commune), 44017 → 44180 Vallons-de-l'Erdre",
        "12 lignes : commune déléguée convertie (code_commune), 44225 → 44180 Vallons-de-l'Erdre",
        "1 ligne : arrondissement municipal converti (code_commune), 75115 → 75056 Paris",
    ]


def test_cco003_rien_a_dire_quand_tout_est_actuel():
    serie = pd.Series(["44180", "75056", ""])
    res = resoudre(serie, CODES)
    assert informations(res, CODES, "code_commune") == []
    assert not res.convertis.any() and not res.inconnus.any()
