"""French formatting of numbers, amounts, rates and dates: the one formatter of the project.

Babel (CLDR fr_FR) is the reference: dates go through it, and the tests check that the numbers below
give exactly Babel's text under half-up rounding. Numbers are formatted by Decimal and str.format, about
thirty times faster than Babel, which matters when a map hover or a table of 1 255 EPCIs is formatted at
every interaction. The machine has no fr_FR system locale: never call setlocale.

Rounding (`arrondi`, the one rule of the display and of the exports): half away from zero on the shortest
decimal form of the float (its repr), so 21.625 € → 21,63 € and 0.1225 → 12,3 % although neither float is
exactly that decimal; -2.5 → -3; a value that rounds to zero has no sign (-0.001 € → 0,00 €).
"""

from __future__ import annotations

import math
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Context, Decimal
from zoneinfo import ZoneInfo

from babel.dates import format_date

from dashboard.domain.vocabulaire import NIVEAUX_FEMININS, effectif_niveau

LOCALE = "fr_FR"
PARIS = ZoneInfo("Europe/Paris")
NON_RENSEIGNE = "—"
ESPACE_FINE = "\u202f"  # CLDR fr grouping separator (narrow no-break space)
_PAS = [Decimal(1).scaleb(-d) for d in range(7)]
_CONTEXTE = Context(prec=400, rounding=ROUND_HALF_UP)  # every float's digits: 1e300 to the cent too
_FEMININS = frozenset(effectif_niveau(n)[0] for n in NIVEAUX_FEMININS)  # "aucune région"


def _absent(valeur: float | None) -> bool:
    return valeur is None or (isinstance(valeur, float) and math.isnan(valeur))


def nombre(valeur: float | None, decimales: int = 0) -> str:
    """`1 234 567`, `207,3` (grouping with the narrow no-break space of CLDR fr)."""
    if _absent(valeur):
        return NON_RENSEIGNE
    return _chiffres(valeur, decimales)


def arrondi(valeur: float | Decimal, decimales: int = 0, decalage: int = 0) -> Decimal:
    """valeur × 10^decalage rounded to `decimales` places, half away from zero, on the decimal the reader
    sees: a float is read from its repr (21.625 → 21.63, whereas round(21.625, 2) gives 21.62), a Decimal
    as is. Never a negative zero. The display (below) and the exports (dashboard.exports.tableurs) both
    round through here."""
    nombre_decimal = valeur if isinstance(valeur, Decimal) else Decimal(repr(float(valeur)))
    if decalage:
        nombre_decimal = nombre_decimal.scaleb(decalage, context=_CONTEXTE)
    resultat = nombre_decimal.quantize(_pas(decimales), context=_CONTEXTE)
    return resultat.copy_abs() if resultat.is_zero() else resultat


def _pas(decimales: int) -> Decimal:
    return _PAS[decimales] if decimales < len(_PAS) else Decimal(1).scaleb(-decimales)


_ENTIER_EXACT = 2.0**53  # below it, an integral float is exactly its int


def _chiffres(valeur: float, decimales: int, decalage: int = 0) -> str:
    """Digits grouped by thin spaces with a decimal comma; decalage=2 multiplies by 100 (percent)."""
    if (
        not decimales
        and not decalage
        and isinstance(valeur, float | int)
        and abs(valeur) < _ENTIER_EXACT
        and float(valeur).is_integer()
    ):
        # A count (most figures): nothing to round, the same text as below, without Decimal.
        return f"{int(valeur):,}".replace(",", ESPACE_FINE)
    rapide = _chiffres_loin_d_un_cinq(valeur, decimales, decalage)
    if rapide is not None:
        return rapide
    texte = f"{arrondi(valeur, decimales, decalage):,.{decimales}f}"
    return texte.replace(",", ESPACE_FINE).replace(".", ",")


_MARGE = 1e-6  # far above the float error of valeur × 10^k below _ECHELLE_MAX
_ECHELLE_MAX = 1e9


def _chiffres_loin_d_un_cinq(valeur: float, decimales: int, decalage: int) -> str | None:
    """`_chiffres` by float arithmetic (a map's hover formats a thousand rates at every interaction,
    and Decimal costs a few microseconds each): when valeur × 10^(decalage + decimales) is not within
    _MARGE of a half unit, the nearest unit is the same whether read on the float or on its repr, and
    half-up never applies. None otherwise (a tie, or too large): the Decimal rule decides."""
    if not isinstance(valeur, float) or decimales > 6:
        return None
    echelle = abs(valeur) * 10.0 ** (decimales + decalage)
    if not echelle < _ECHELLE_MAX:  # NaN and infinities too
        return None
    unites = math.floor(echelle)
    reste = echelle - unites
    if abs(reste - 0.5) <= _MARGE:
        return None
    unites += reste > 0.5
    signe = "-" if valeur < 0 and unites else ""
    if not decimales:
        return signe + f"{unites:,}".replace(",", ESPACE_FINE)
    entiere, fraction = divmod(unites, 10**decimales)
    return f"{signe}{entiere:,}".replace(",", ESPACE_FINE) + f",{fraction:0{decimales}d}"


def effectif_texte(n: float, unite: tuple[str, str]) -> str:
    """`1 département`, `3 départements`, `aucun EPCI`, `aucune région` (unite: singular, plural, as
    vocabulaire.effectif_niveau gives them)."""
    if n == 0:
        return f"{'aucune' if unite[0] in _FEMININS else 'aucun'} {unite[0]}"
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


def insecable(texte: str, espace: str = ESPACE_FINE) -> str:
    """A figure and its unit kept on one line where a text may wrap (a legend's « de 13,4 % à 33,1 % »
    must not leave « % » alone on the next line): the space before « % » and « € » made a no-break
    space, narrow by default as CLDR fr writes it."""
    return texte.replace(" %", espace + "%").replace(" €", espace + "€")
