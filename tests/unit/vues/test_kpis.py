"""The KPI cards of a selection."""

from datetime import date

import pandas as pd

from dashboard.domain.indicateurs import BASES, totaliser
from dashboard.vues.kpis import Chiffre, kpis


def _totaux() -> pd.Series:
    ligne = {b: 10.0 for b in BASES}
    return totaliser(pd.DataFrame([ligne]))


def test_mot012_pas_de_carte_laureats_1_sur_la_page_d_un_laureat():
    territoire = kpis(_totaux(), 4, date(2023, 12, 30), "territoires")
    assert (territoire.chiffres[0].id, territoire.chiffres[0].titre, territoire.chiffres[0].valeur) == (
        "kpi-laureats",
        "Lauréats",
        "4",
    )
    population = Chiffre("kpi-population_couverte", "Population couverte", "3 449 370")
    laureat = kpis(_totaux(), None, date(2023, 12, 30), "porteurs", premiers=(population,))
    ids = [c.id for c in laureat.chiffres]
    assert "kpi-laureats" not in ids and ids[0] == "kpi-population_couverte"
    assert ids[1:] == [c.id for c in kpis(_totaux(), 1, None, "porteurs").chiffres][1:]
