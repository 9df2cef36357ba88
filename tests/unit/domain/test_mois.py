"""Months as integers: one way to count them for the aggregates, the period, the delays and freshness."""

from datetime import date

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from dashboard.domain.mois import ecart_mois, indice_mois, indices_mois, mois_avant, mois_de_indice

jours = st.dates(min_value=date(2015, 1, 1), max_value=date(2035, 12, 31))


@given(jours)
def test_moi001_aller_retour(jour):
    assert mois_de_indice(indice_mois(jour)) == jour.replace(day=1)


@given(jours, st.integers(0, 60))
def test_moi002_mois_avant_et_ecart(jour, n):
    avant = mois_avant(jour, n)
    assert avant.day == 1 and ecart_mois(avant, jour) == n


def test_moi003_colonne_de_dates_comme_une_par_une():
    dates = pd.Series(pd.to_datetime(["2019-01-31", "2020-12-01", "2021-03-15"]))
    assert indices_mois(dates).tolist() == [indice_mois(d) for d in dates]
    assert indice_mois(date(2021, 3, 15)) - indice_mois(date(2020, 12, 1)) == 3
