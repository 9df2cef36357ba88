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

import numpy as np
import pandas as pd

from dashboard.domain.mois import indice_mois, mois_de_indice

EPSILON = 1e-9


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


def delais_medians(
    groupes: np.ndarray,
    mois: np.ndarray,
    distribues: np.ndarray,
    utilises: np.ndarray,
    debut: int | None = None,
    fin: int | None = None,
    exacts: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None = None,
) -> pd.Series:
    """`delai_median_mois` for many groups at once, without a Python loop over groups or months.

    Rows sorted by (group, month), one row per group and month; months and debut/fin are month indices
    (`indice_mois`). Returns the median delay of each group having matched redemptions in [debut, fin].
    `exacts`: passes followed one by one by their numbers (groups, redemption months, delays, counts),
    weighed with the matched pieces of their group (they are not in the rows: nothing to estimate).

    Same matching as `appariements_fifo`: the stock follows S_t = max(0, S_{t-1} + d_t − u_t), i.e.
    S_t = X_t − min(0, min_{k≤t} X_k) with X the running sum of d − u (Lindley), so the passes matched
    up to month t number M_t = D_t − S_t, and first in first out the k-th matched pass is the k-th
    (scaled) distributed one. Every piece of [0, M_last] between consecutive points of M and D gets the
    delay month(M step) − month(D step) and its length as weight."""
    etiquettes, mois_m, delai, poids = _appariements(np.asarray(groupes), mois, distribues, utilises)
    if exacts is not None:
        etiquettes = np.concatenate([etiquettes, np.asarray(exacts[0], dtype=etiquettes.dtype)])
        mois_m, delai, poids = (
            np.concatenate([a, np.asarray(b, dtype=a.dtype)])
            for a, b in ((mois_m, exacts[1]), (delai, exacts[2]), (poids, exacts[3]))
        )
    dans = np.ones(len(etiquettes), dtype=bool)
    if debut is not None:
        dans &= mois_m >= debut
    if fin is not None:
        dans &= mois_m <= fin
    if not dans.any():
        return pd.Series(dtype=float)
    codes, noms = pd.factorize(etiquettes[dans], sort=True)
    medianes = _medianes_ponderees(codes, delai[dans], poids[dans])
    return pd.Series(medianes.to_numpy(), index=np.asarray(noms)[medianes.index], dtype=float)


def _appariements(
    groupes: np.ndarray, mois: np.ndarray, distribues: np.ndarray, utilises: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The matched pieces of `delais_medians`: group, redemption month, delay, weight."""
    if len(groupes) == 0:
        return groupes, np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0)
    mois = np.asarray(mois, dtype=np.int64)
    d = np.asarray(distribues, dtype=float)
    u = np.asarray(utilises, dtype=float)
    debuts = np.flatnonzero(np.r_[True, groupes[1:] != groupes[:-1]])
    longueurs = np.diff(np.r_[debuts, len(groupes)])
    rang = np.repeat(np.arange(len(debuts)), longueurs)
    total_d, total_u = np.add.reduceat(d, debuts), np.add.reduceat(u, debuts)
    taux = np.divide(total_u, total_d, out=np.zeros_like(total_d), where=total_d > 0).clip(max=1.0)
    d = d * taux[rang]
    cumul_d = _cumul(d, debuts, rang)
    x = _cumul(d - u, debuts, rang)
    apparies = cumul_d - (x - np.minimum(pd.Series(x).groupby(rang).cummin().to_numpy(), 0.0))

    # Points of M and D merged per group. The piece ending at a point starts at the previous point (0 for
    # the first of a group); it lies in the row of M (number of M points before it) and of D (same).
    n = len(groupes)
    valeurs = np.concatenate([apparies, cumul_d])
    rangs = np.concatenate([rang, rang])
    est_m = np.r_[np.ones(n, dtype=np.int64), np.zeros(n, dtype=np.int64)]
    ordre = np.lexsort((valeurs, rangs))
    valeurs, rangs, est_m = valeurs[ordre], rangs[ordre], est_m[ordre]
    premiers = np.r_[0, np.flatnonzero(rangs[1:] != rangs[:-1]) + 1]
    ligne_m = _cumul(est_m, premiers, rangs) - est_m
    ligne_d = _cumul(1 - est_m, premiers, rangs) - (1 - est_m)
    largeur = np.diff(valeurs, prepend=0.0)
    largeur[premiers] = valeurs[premiers]
    garde = (largeur > EPSILON) & (ligne_m < longueurs[rangs]) & (ligne_d < longueurs[rangs])
    rangs, largeur, ligne_m, ligne_d = rangs[garde], largeur[garde], ligne_m[garde], ligne_d[garde]
    mois_m = mois[debuts[rangs] + ligne_m]
    delai = mois_m - mois[debuts[rangs] + ligne_d]
    return groupes[debuts[rangs]], mois_m, delai, largeur


def _cumul(valeurs: np.ndarray, debuts: np.ndarray, rang: np.ndarray) -> np.ndarray:
    """Running sum restarting at each group (rows sorted by group; debuts: first row of each group)."""
    cumul = np.cumsum(valeurs)
    avant = np.r_[0, cumul[debuts[1:] - 1]]
    return cumul - avant[rang]


def _medianes_ponderees(rangs: np.ndarray, valeurs: np.ndarray, poids: np.ndarray) -> pd.Series:
    """`mediane_ponderee` per group: weights summed per (group, value), then the first value whose running
    weight reaches half the group's (on an exact tie, the mean with the next value)."""
    if len(rangs) == 0:
        return pd.Series(dtype=float)
    sommes = pd.Series(poids).groupby([rangs, valeurs], sort=True).sum()
    groupe = sommes.index.get_level_values(0).to_numpy()
    valeur = sommes.index.get_level_values(1).to_numpy().astype(float)
    poids = sommes.to_numpy()
    debuts = np.flatnonzero(np.r_[True, groupe[1:] != groupe[:-1]])
    rang = np.repeat(np.arange(len(debuts)), np.diff(np.r_[debuts, len(groupe)]))
    cumul = _cumul(poids, debuts, rang)
    moitie = (np.add.reduceat(poids, debuts) / 2)[rang]
    atteint = cumul >= moitie - EPSILON
    # First row of each group reaching half: the minimum index among "atteint" rows of that group.
    indices = np.where(atteint, np.arange(len(groupe)), len(groupe))
    premier = np.minimum.reduceat(indices, debuts)
    fins = np.r_[debuts[1:], len(groupe)]
    egal = (np.abs(cumul[premier] - moitie[premier]) <= EPSILON) & (premier + 1 < fins)
    suivant = valeur[np.minimum(premier + 1, len(groupe) - 1)]
    mediane = np.where(egal, (valeur[premier] + suivant) / 2, valeur[premier])
    return pd.Series(mediane, index=groupe[debuts])


def cohortes(
    mois: Sequence[int], distribues: Sequence[int], utilises: Sequence[int], dernier_mois: int | None = None
) -> pd.DataFrame:
    """Cohort curves estimated from monthly counts: for the passes distributed in month M (a month
    index, see `indice_mois`), the share redeemed by month M + k, for every k observable up to
    `dernier_mois` (default: the last month given). Passes are not followed one by one: redemptions
    are matched to distributions as for the delay (first in, first out on the passes that will be used),
    so every curve levels off at the entity's overall usage rate. Columns: cohorte, k, distribues
    (of the cohort), part (0–1). Input sorted by month, one row per month."""
    dernier = dernier_mois if dernier_mois is not None else (max(mois) if len(mois) else 0)
    jours = [mois_de_indice(m) for m in mois]
    apparies: dict[tuple[int, int], float] = {}
    for jour, delai, nb in appariements_fifo(jours, list(distribues), list(utilises)):
        cohorte = indice_mois(jour) - delai
        apparies[(cohorte, delai)] = apparies.get((cohorte, delai), 0.0) + nb
    lignes = []
    for cohorte, nb_distribues in zip(mois, distribues, strict=True):
        if not nb_distribues:
            continue
        cumul = 0.0
        for k in range(dernier - cohorte + 1):
            cumul += apparies.get((cohorte, k), 0.0)
            lignes.append((cohorte, k, nb_distribues, cumul / nb_distribues))
    return pd.DataFrame(lignes, columns=["cohorte", "k", "distribues", "part"])


def cohortes_trimestrielles(courbes: pd.DataFrame, dernier_mois: int) -> pd.DataFrame:
    """Monthly cohorts grouped by quarter of distribution (fewer, steadier curves): the share of the
    quarter's passes redeemed within k months of their distribution, for the k observed for every month
    of the quarter. Columns: trimestre ("T1 2021"), k, distribues, part."""
    if courbes.empty:
        return pd.DataFrame(columns=["trimestre", "k", "distribues", "part"])
    courbes = courbes.assign(
        debut_trimestre=courbes["cohorte"] - courbes["cohorte"] % 3,
        apparies=courbes["part"] * courbes["distribues"],
    )
    groupes = courbes.groupby(["debut_trimestre", "k"], as_index=False).agg(
        distribues=("distribues", "sum"), apparies=("apparies", "sum"), mois=("cohorte", "nunique")
    )
    # Keep k only where every distributing month of the quarter was observed that long.
    mois_par_trimestre = courbes.groupby("debut_trimestre")["cohorte"].nunique()
    groupes = groupes[groupes["mois"] == groupes["debut_trimestre"].map(mois_par_trimestre)]
    groupes = groupes[groupes["k"] <= dernier_mois - groupes["debut_trimestre"] - 2]
    return pd.DataFrame(
        {
            "trimestre": [_trimestre(mois_de_indice(d)) for d in groupes["debut_trimestre"]],
            "k": groupes["k"].to_numpy(),
            "distribues": groupes["distribues"].to_numpy(),
            "part": (groupes["apparies"] / groupes["distribues"]).to_numpy(),
        }
    )


def _trimestre(jour: date) -> str:
    """`T3 2021`."""
    return f"T{(jour.month - 1) // 3 + 1} {jour.year}"
