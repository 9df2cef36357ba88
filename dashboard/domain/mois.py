"""Months as integers: `indice_mois(date(2021, 3, 15)) == 2021 * 12 + 2`. The aggregates, the period
filter, the delays, the cohorts and the freshness rules all count months this one way."""

from __future__ import annotations

from datetime import date

import pandas as pd


def indice_mois(jour: date) -> int:
    """The month of `jour` as one integer (consecutive months differ by 1)."""
    return jour.year * 12 + jour.month - 1


def mois_de_indice(indice: int) -> date:
    """The first day of the month `indice` (the inverse of `indice_mois`)."""
    return date(indice // 12, indice % 12 + 1, 1)


def mois_avant(jour: date, mois: int) -> date:
    """The first day of the month `mois` months before the month of `jour`."""
    return mois_de_indice(indice_mois(jour) - mois)


def ecart_mois(debut: date, fin: date) -> int:
    """Whole months from the month of `debut` to the month of `fin` (days ignored)."""
    return indice_mois(fin) - indice_mois(debut)


def indices_mois(mois: pd.Series) -> pd.Series:
    """`indice_mois` of a column of dates, vectorised."""
    dates = pd.to_datetime(mois)
    return (dates.dt.year * 12 + dates.dt.month - 1).astype("int64")
