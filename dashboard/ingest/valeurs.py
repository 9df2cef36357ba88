"""Readers of the values found in French office files: numbers, dates, SIREN/SIRET, codes.

Every reader takes a Series of stripped strings ("" = empty cell) and returns the parsed values with a
boolean mask of the cells that could not be read. They work on the distinct values only (pd.factorize)
and then spread the result back: a million-line file has a few thousand distinct dates or counts, so
this stays vectorised and fast without a per-row Python loop.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date

import numpy as np
import pandas as pd

ESPACES = " \u00a0\u202f"
# Thousands: groups of three digits after 1–3 leading digits, separated by spaces (any kind) or dots.
# A dot followed by exactly three digits is read as a thousands dot ("1.500" = 1 500): counts are
# integers and amounts carry at most cents, so a three-decimal reading is never the intended one.
# Digits are the ASCII 0-9 only, in numbers and dates alike (re.ASCII): « ١٢ » or « １２ » are refused
# everywhere with their value named, never read as 12 in one column and refused in another.
_GROUPES_ESPACE = re.compile(r"[+-]?\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:[.,]\d+)?", re.ASCII)
_GROUPES_POINT = re.compile(r"[+-]?\d{1,3}(?:\.\d{3})+(?:,\d+)?", re.ASCII)
_SIMPLE = re.compile(r"[+-]?\d+(?:[.,]\d+)?", re.ASCII)
_EURO = re.compile(r"\s*(?:€|EUR)$", re.IGNORECASE)

_DATE_FORMATS = (
    # (regex, has_day); groups are named a (year), m (month), j (day)
    (re.compile(r"(?P<j>\d{1,2})/(?P<m>\d{1,2})/(?P<a>\d{4})", re.ASCII), True),
    (
        re.compile(r"(?P<a>\d{4})-(?P<m>\d{1,2})-(?P<j>\d{1,2})(?:[ T]00:00(?::00(?:\.0+)?)?)?", re.ASCII),
        True,
    ),
    (re.compile(r"(?P<m>\d{1,2})/(?P<a>\d{4})", re.ASCII), False),
    (re.compile(r"(?P<a>\d{4})-(?P<m>\d{1,2})", re.ASCII), False),
)


def par_valeurs_distinctes(
    serie: pd.Series, lire: Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]], dtype
) -> tuple[pd.Series, pd.Series]:
    """Apply `lire` (distinct values → parsed values, invalid mask) and spread back to every row."""
    codes, distinctes = pd.factorize(serie, use_na_sentinel=False)
    valeurs, invalides = lire(np.asarray(distinctes, dtype=object))
    return (
        pd.Series(np.asarray(valeurs, dtype=dtype)[codes], index=serie.index, dtype=dtype),
        pd.Series(np.asarray(invalides, dtype=bool)[codes], index=serie.index),
    )


def _normaliser_nombre(texte: str) -> str | None:
    """The canonical "1234.5" spelling of a French-formatted number, or None if it is not one."""
    texte = _EURO.sub("", texte).strip(ESPACES)
    if _GROUPES_POINT.fullmatch(texte):
        return texte.replace(".", "").replace(",", ".")
    if _GROUPES_ESPACE.fullmatch(texte) or _SIMPLE.fullmatch(texte):
        for espace in ESPACES:
            texte = texte.replace(espace, "")
        return texte.replace(",", ".")
    return None


def _lire_nombres_distincts(valeurs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    canoniques = [_normaliser_nombre(v) for v in valeurs]
    nombres = pd.to_numeric(pd.Series(canoniques, dtype=object), errors="coerce").to_numpy(float)
    return nombres, np.isnan(nombres) & np.array([v != "" for v in valeurs], dtype=bool)


def lire_nombres(serie: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Decimal numbers (float, NaN when empty); the mask marks non-empty cells that are not numbers."""
    return par_valeurs_distinctes(serie, _lire_nombres_distincts, float)


def lire_entiers(serie: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Integers: (values as float with NaN for empty, not-a-number mask, not-an-integer mask).

    "12,0" and the float 12.0 of a spreadsheet cell are the integer 12; "12,5" is not an integer."""
    nombres, invalides = lire_nombres(serie)
    non_entiers = nombres.notna() & ((nombres % 1 != 0) | (nombres.abs() > 2**31 - 1))
    return nombres, invalides, non_entiers


def _lire_dates_distinctes(valeurs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    annees = np.zeros(len(valeurs), dtype=np.int64)
    mois = np.zeros(len(valeurs), dtype=np.int64)
    jours = np.ones(len(valeurs), dtype=np.int64)
    lues = np.zeros(len(valeurs), dtype=bool)
    for i, texte in enumerate(valeurs):
        for motif, avec_jour in _DATE_FORMATS:
            trouve = motif.fullmatch(texte)
            if trouve:
                annees[i], mois[i] = int(trouve["a"]), int(trouve["m"])
                jours[i] = int(trouve["j"]) if avec_jour else 1
                # Outside these years a date is a typing error, and nanosecond timestamps overflow.
                lues[i] = 1900 <= annees[i] <= 2200
                break
    dates = pd.to_datetime(
        pd.DataFrame({"year": np.where(lues, annees, 1970), "month": np.where(lues, mois, 1), "day": jours}),
        errors="coerce",
    )
    dates = dates.where(lues)
    vides = np.array([v == "" for v in valeurs], dtype=bool)
    return dates.to_numpy("datetime64[ns]"), dates.isna().to_numpy() & ~vides


def lire_dates(serie: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Dates JJ/MM/AAAA, AAAA-MM-JJ, or months MM/AAAA, AAAA-MM (→ first day of the month).

    Returns datetime64 values (NaT when empty) and the mask of non-empty cells that are not dates
    (including impossible days such as 30/02/2020)."""
    return par_valeurs_distinctes(serie, _lire_dates_distinctes, "datetime64[ns]")


def cle_luhn_valide(chiffres: np.ndarray) -> np.ndarray:
    """Luhn check of equal-length digit strings, vectorised over a (n, length) array of digits."""
    doubles = chiffres.copy()
    doubles[:, -2::-2] *= 2
    doubles = np.where(doubles > 9, doubles - 9, doubles)
    return doubles.sum(axis=1) % 10 == 0


def _identifiants_valides(valeurs: np.ndarray, longueur: int) -> np.ndarray:
    valides = np.array([len(v) == longueur and v.isascii() and v.isdigit() for v in valeurs], dtype=bool)
    if not valides.any():
        return valides
    candidats = [v for v, ok in zip(valeurs, valides, strict=True) if ok]
    chiffres = (np.frombuffer("".join(candidats).encode("ascii"), dtype=np.uint8) - 48).reshape(-1, longueur)
    cles = cle_luhn_valide(chiffres.astype(np.int64))
    if longueur == 14:
        # La Poste's establishments share SIREN 356000000; their SIRETs follow "sum of digits divisible
        # by 5" instead of Luhn (INSEE rule).
        la_poste = np.array([v.startswith("356000000") for v in candidats], dtype=bool)
        cles = np.where(la_poste, chiffres.sum(axis=1) % 5 == 0, cles)
    valides[valides] = cles
    return valides


def lire_identifiants(serie: pd.Series, longueur: int) -> tuple[pd.Series, pd.Series]:
    """SIREN (9) or SIRET (14): spaces removed ("123 456 789" is how people type them); returns the
    digit strings (None when empty) and the mask of non-empty values without a valid key."""

    def lire(valeurs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        compactes = np.array([_sans_espaces(v) for v in valeurs], dtype=object)
        valides = _identifiants_valides(compactes, longueur)
        vides = compactes == ""
        return np.where(vides, None, compactes), ~valides & ~vides

    return par_valeurs_distinctes(serie, lire, object)


def _sans_espaces(texte: str) -> str:
    for espace in ESPACES:
        texte = texte.replace(espace, "")
    return texte


def completer_code(serie: pd.Series, longueur: int) -> pd.Series:
    """Put back the leading zeros a spreadsheet drops from numeric codes ("1001" → "01001")."""
    courts = serie.str.len().lt(longueur) & serie.str.fullmatch(r"[0-9]+") & serie.ne("")
    return serie.where(~courts, serie.str.zfill(longueur))


def date_iso(valeur: date | pd.Timestamp) -> str:
    return pd.Timestamp(valeur).date().isoformat()


# Yes/no cells (the optional `rembourse` column of the redemptions), compared once normalised: lower
# case, without accents, spaces and hyphens as "_" (« Non remboursé » → non_rembourse).
OUI = frozenset(
    {"oui", "o", "1", "1.0", "1,0", "vrai", "v", "true", "t", "yes", "y"}
    | {f"rembours{fin}" for fin in ("e", "ee", "es", "ees")}
)
NON = frozenset(
    {"non", "n", "0", "0.0", "0,0", "faux", "f", "false", "no"}
    | {f"{debut}_rembours{fin}" for debut in ("non", "pas") for fin in ("e", "ee", "es", "ees")}
    | {"impaye", "impayes", "impayee", "impayees"}
)
VALEURS_OUI_NON = "oui/non, o/n, 1/0, vrai/faux, true/false, remboursé/non remboursé"


def _normaliser_oui_non(texte: str) -> str:
    sans_accents = unicodedata.normalize("NFKD", texte).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[\s\-_]+", "_", sans_accents.strip().lower()).strip("_")


def _lire_oui_non_distincts(valeurs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    lues = np.empty(len(valeurs), dtype=object)
    invalides = np.zeros(len(valeurs), dtype=bool)
    for i, texte in enumerate(valeurs):
        cle = _normaliser_oui_non(str(texte))
        if cle == "":
            lues[i] = None
        elif cle in OUI:
            lues[i] = True
        elif cle in NON:
            lues[i] = False
        else:
            lues[i], invalides[i] = None, True
    return lues, invalides


def lire_oui_non(serie: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Yes/no cells: (True, False or None for an empty cell — unknown —, unreadable mask)."""
    return par_valeurs_distinctes(serie, _lire_oui_non_distincts, object)
