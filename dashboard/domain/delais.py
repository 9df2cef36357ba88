"""Delay from distribution to redemption, from monthly counts only.

Passes are not tracked one by one in the operator's files, and many distributed passes are never used.
Each month's distributed passes are therefore scaled by the laureate's overall usage rate (redeemed ÷
distributed, at most 1) — the passes that will be used — and redemptions are matched to them first in,
first out. With a constant lag and usage rate this gives the lag exactly, where plain first-in-first-out
would pair redemptions with old passes that were never used and inflate the delay. Redemptions beyond
the distributed passes (an inconsistent funnel) have no match and no delay.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Sequence
from datetime import date

EPSILON = 1e-9


def indice_mois(jour: date) -> int:
    return jour.year * 12 + jour.month - 1


def taux_utilisation_global(distribues: Sequence[int], utilises: Sequence[int]) -> float:
    total = sum(distribues)
    return min(1.0, sum(utilises) / total) if total else 0.0


def appariements_fifo(
    mois: Sequence[date], distribues: Sequence[int], utilises: Sequence[int]
) -> list[tuple[date, int, float]]:
    """(redemption month, delay in months, passes) for every matched group; input sorted by month."""
    taux = taux_utilisation_global(distribues, utilises)
    stock: deque[list[float]] = deque()  # [month index, passes of that month still to be matched]
    resultat: list[tuple[date, int, float]] = []
    for jour, nb_distribues, nb_utilises in zip(mois, distribues, utilises, strict=True):
        courant = indice_mois(jour)
        if nb_distribues:
            stock.append([courant, nb_distribues * taux])
        reste = float(nb_utilises)
        while reste > EPSILON and stock:
            lot = stock[0]
            pris = min(reste, lot[1])
            resultat.append((jour, courant - int(lot[0]), pris))
            lot[1] -= pris
            reste -= pris
            if lot[1] <= EPSILON:
                stock.popleft()
    return resultat


def mediane_ponderee(valeurs_poids: Iterable[tuple[float, float]]) -> float | None:
    """Median of values weighted by their counts; on an exact tie, the mean of the two middle values."""
    paires = sorted((v, p) for v, p in valeurs_poids if p > EPSILON)
    moitie = sum(p for _, p in paires) / 2
    if not moitie:
        return None
    cumul = 0.0
    for i, (valeur, poids) in enumerate(paires):
        cumul += poids
        if abs(cumul - moitie) <= EPSILON and i + 1 < len(paires):
            return (valeur + paires[i + 1][0]) / 2
        if cumul > moitie:
            return float(valeur)
    return float(paires[-1][0])


def delai_median_mois(
    mois: Sequence[date],
    distribues: Sequence[int],
    utilises: Sequence[int],
    debut: date | None = None,
    fin: date | None = None,
) -> float | None:
    """Median delay (months) of the passes redeemed between debut and fin, matched over the whole history."""
    return mediane_ponderee(
        (delai, nb)
        for jour, delai, nb in appariements_fifo(mois, distribues, utilises)
        if (debut is None or jour >= debut) and (fin is None or jour <= fin)
    )
