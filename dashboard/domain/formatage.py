"""French formatting of numbers, amounts, rates and dates: the one formatter of the project.

Babel (CLDR fr_FR) is the reference: dates go through it, and the tests check that the numbers below
give exactly Babel's text. Numbers are formatted by Decimal and str.format with the same rounding (half
to even on the shortest decimal form of the float), about thirty times faster than Babel, which matters
when a map hover or a table of 1 255 EPCIs is formatted at every interaction. The machine has no fr_FR
system locale: never call setlocale.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from decimal import ROUND_HALF_EVEN, Decimal
from zoneinfo import ZoneInfo

from babel.dates import format_date

LOCALE = "fr_FR"
PARIS = ZoneInfo("Europe/Paris")
NON_RENSEIGNE = "—"
ESPACE_FINE = "\u202f"  # CLDR fr grouping separator (narrow no-break space)
_PAS = [Decimal(1).scaleb(-d) for d in range(7)]


def _absent(valeur: float | None) -> bool:
    return valeur is None or (isinstance(valeur, float) and math.isnan(valeur))


def nombre(valeur: float | None, decimales: int = 0) -> str:
    """`1 234 567`, `207,3` (grouping with the narrow no-break space of CLDR fr)."""
    if _absent(valeur):
        return NON_RENSEIGNE
    return _chiffres(valeur, decimales)


def _chiffres(valeur: float, decimales: int, decalage: int = 0) -> str:
    """Digits grouped by thin spaces with a decimal comma; decalage=2 multiplies by 100 (percent)."""
    nombre_decimal = Decimal(repr(float(valeur)))
    if decalage:
        nombre_decimal = nombre_decimal.scaleb(decalage)
    arrondi = nombre_decimal.quantize(_PAS[decimales], rounding=ROUND_HALF_EVEN)
    return f"{arrondi:,.{decimales}f}".replace(",", ESPACE_FINE).replace(".", ",")


def effectif_texte(n: float, unite: tuple[str, str]) -> str:
    """`1 département`, `3 départements` (unite: singular, plural)."""
    return f"{nombre(n)} {unite[0] if n == 1 else unite[1]}"


def pourcentage(fraction: float | None, decimales: int = 1) -> str:
    """A rate given as a fraction 0–1: `12,3 %`."""
    if _absent(fraction):
        return NON_RENSEIGNE
    return _chiffres(fraction, decimales, decalage=2) + " %"


def euros(valeur: float | None, centimes: bool = False) -> str:
    """`68 000 €` (whole euros unless asked)."""
    if _absent(valeur):
        return NON_RENSEIGNE
    return _chiffres(valeur, 2 if centimes else 0) + " €"


def date_courte(jour: date | None) -> str:
    """`15/10/2020`."""
    if jour is None:
        return NON_RENSEIGNE
    return format_date(jour, format="dd/MM/yyyy", locale=LOCALE)


def heure_locale(moment: datetime) -> datetime:
    """Naive Paris time: Excel cannot store a time zone, and readers expect French time, not UTC."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(PARIS).replace(tzinfo=None)


def horodatage(moment: datetime) -> str:
    """`15/10/2020 14:05`, in Paris time."""
    local = heure_locale(moment)
    return f"{date_courte(local.date())} {local:%H:%M}"
