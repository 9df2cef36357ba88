"""Delay from distribution to redemption, from monthly counts only.

Passes are not tracked one by one in the operator's files: each redeemed pass is matched to the earliest
distributed pass not yet matched (first in, first out), month by month. Redeemed passes beyond the
distributed ones (an inconsistent funnel) have no match and no delay.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Sequence
from datetime import date


def indice_mois(jour: date) -> int:
    return jour.year * 12 + jour.month - 1


def appariements_fifo(
    mois: Sequence[date], distribues: Sequence[int], utilises: Sequence[int]
) -> list[tuple[date, int, int]]:
    """(redemption month, delay in months, passes) for every matched group; input sorted by month."""
    stock: deque[list[int]] = deque()  # [month index, passes distributed that month and not yet matched]
    resultat: list[tuple[date, int, int]] = []
    for jour, nb_distribues, nb_utilises in zip(mois, distribues, utilises, strict=True):
        courant = indice_mois(jour)
        if nb_distribues:
            stock.append([courant, int(nb_distribues)])
        reste = int(nb_utilises)
        while reste and stock:
            lot = stock[0]
            pris = min(reste, lot[1])
            resultat.append((jour, courant - lot[0], pris))
            lot[1] -= pris
            reste -= pris
            if not lot[1]:
                stock.popleft()
    return resultat


def mediane_ponderee(valeurs_poids: Iterable[tuple[float, int]]) -> float | None:
    """Median of values repeated by their weights (lower median for an even total)."""
    paires = sorted((v, p) for v, p in valeurs_poids if p > 0)
    total = sum(p for _, p in paires)
    if not total:
        return None
    seuil, cumul = (total + 1) // 2, 0
    for valeur, poids in paires:
        cumul += poids
        if cumul >= seuil:
            return float(valeur)
    return None  # unreachable: the weights add up to total


def delai_median_mois(
    mois: Sequence[date], distribues: Sequence[int], utilises: Sequence[int], debut: date | None = None,
    fin: date | None = None,
) -> float | None:
    """Median delay (months) of the passes redeemed between debut and fin, matched over the whole history."""
    return mediane_ponderee(
        (delai, nb)
        for jour, delai, nb in appariements_fifo(mois, distribues, utilises)
        if (debut is None or jour >= debut) and (fin is None or jour <= fin)
    )
