"""The « Enveloppe » card's view-model, from a sum of conventions written by hand."""

from __future__ import annotations

import math
from datetime import date

from dashboard.vues.enveloppe import carte

SOMME = {
    "nb_conventions": 2,
    "engagee_eur": 80_000.0,
    "versee_eur": 20_000.0,
    "consommee_eur": 9_700.0,
    "restante_eur": 70_300.0,
    "depassement_eur": 0.0,
    "part_consommee": 9_700 / 80_000,
    "part_versee": 0.25,
    "debut_fenetre": date(2019, 10, 15),
    "fin_fenetre": date(2021, 12, 31),
    "part_fenetre_ecoulee": 0.5,
    "pass_distribues": 1_400.0,
    "pass_prevus": 13_000.0,
    "pass_objectif": 13_000.0,
    "avancement_objectif": 1_400 / 13_000,
    "statut_objectif": "en retard",
    "date_reference": date(2020, 12, 31),
}


def _espaces(texte: str) -> str:
    return texte.replace("\u202f", " ").replace("\u00a0", " ")


def test_env020_chiffres_barre_et_statut():
    c = carte(SOMME, "Enveloppe de l'État", "Les conventions du lauréat.")
    chiffres = {k: _espaces(v) for k, v in c.chiffres}
    assert chiffres["Subvention engagée"] == "80 000 €"
    assert chiffres["Versée"] == "20 000 € (25,0 %)"
    assert chiffres["Consommée"] == "9 700 € (12,1 %)"
    assert chiffres["Restante"] == "70 300 €"
    assert chiffres["Fenêtre"] == "15/10/2019 → 31/12/2021"
    assert chiffres["Écoulée au 31/12/2020"] == "50,0 %"
    (barre,) = c.barres  # no national envelope: one bar
    assert [s.libelle for s in barre.segments] == ["Consommée", "Restante"]
    assert math.isclose(sum(s.part for s in barre.segments), 1)
    assert _espaces(barre.texte) == (
        "Sur 80 000 € engagés : consommée 9 700 € (12,1 %), restante 70 300 € (87,9 %)."
    )
    assert (c.statut, c.classe_statut) == ("en retard", "enveloppe-statut-retard")
    assert _espaces(c.avancement) == (
        "1 400 pass distribués sur 13 000 prévus par les conventions (10,8 %) ; 50,0 % de la fenêtre écoulée."
    )
    assert c.depassement is None and c.vide is None
    estime = carte({**SOMME, "distribues_estimes": True}, "Enveloppe", "Une vague.")
    assert "1 400 pass distribués (estimé : répartis entre les deux conventions" in _espaces(
        estime.avancement
    )


def test_env021_enveloppe_nationale_depassement_et_vide():
    somme = {**SOMME, "depassement_eur": 500.0}
    c = carte(somme, "Enveloppe de l'État", "Toutes les conventions.", 100_000.0, objectif_national=True)
    assert c.chiffres[0][0] == "Enveloppe nationale" and len(c.barres) == 2
    assert _espaces(c.barres[1].texte) == (
        "Sur l'enveloppe nationale de 100 000 € : engagée 80 000 € (80,0 %), non engagée 20 000 € (20,0 %)."
    )
    assert "pour un objectif national de 13 000 pass (10,8 %)" in _espaces(c.avancement)
    assert "500 €" in _espaces(c.depassement)
    vide = carte({**SOMME, "nb_conventions": 0, "statut_objectif": "non évaluable"}, "Enveloppe", "Rien.")
    assert vide.vide and vide.barres == () and vide.chiffres == ()
