"""French formatting of numbers, amounts, rates and dates: the one formatter of the project (Babel).

The machine has no fr_FR system locale: Babel carries CLDR data itself, so never call setlocale.
"""

from __future__ import annotations

import math
from datetime import date

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal, format_percent

LOCALE = "fr_FR"
NON_RENSEIGNE = "—"


def _absent(valeur: float | None) -> bool:
    return valeur is None or (isinstance(valeur, float) and math.isnan(valeur))


def nombre(valeur: float | None, decimales: int = 0) -> str:
    """`1 234 567`, `207,3` (grouping with the narrow no-break space of CLDR fr)."""
    if _absent(valeur):
        return NON_RENSEIGNE
    motif = "#,##0" + ("." + "0" * decimales if decimales else "")
    return format_decimal(valeur, format=motif, locale=LOCALE)


def pourcentage(fraction: float | None, decimales: int = 1) -> str:
    """A rate given as a fraction 0–1: `12,3 %`."""
    if _absent(fraction):
        return NON_RENSEIGNE
    motif = "#,##0" + ("." + "0" * decimales if decimales else "") + " %"
    return format_percent(fraction, format=motif, locale=LOCALE)


def euros(valeur: float | None, centimes: bool = False) -> str:
    """`68 000 €` (whole euros unless asked)."""
    if _absent(valeur):
        return NON_RENSEIGNE
    motif = "#,##0.00 ¤" if centimes else "#,##0 ¤"
    return format_currency(valeur, "EUR", format=motif, currency_digits=False, locale=LOCALE)


def date_courte(jour: date | None) -> str:
    """`15/10/2020`."""
    if jour is None:
        return NON_RENSEIGNE
    return format_date(jour, format="dd/MM/yyyy", locale=LOCALE)
