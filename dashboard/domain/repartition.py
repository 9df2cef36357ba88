"""Splitting a whole into parts that add up to it: the largest remainder method (Hamilton).

A laureate's 1 000 passes split over three départements by population are 333,3 + 333,3 + 333,3: each part
rounded on its own gives 999. Here each group's parts are floored to the unit, then the units missing to
reach the group's rounded total go to the parts with the largest remainders (ties: the first row).
"""

from __future__ import annotations

import numpy as np


def plus_forts_restes(valeurs: np.ndarray, groupes: np.ndarray, unite: float = 1.0) -> np.ndarray:
    """`valeurs` rounded to multiples of `unite` so that each group's parts sum to its total rounded to
    the unit (half up). `groupes`: one integer label per value. NaN stays NaN (and counts for nothing)."""
    valeurs = np.asarray(valeurs, dtype=float)
    groupes = np.asarray(groupes)
    connues = ~np.isnan(valeurs)
    resultat = np.full(len(valeurs), np.nan)
    if not connues.any():
        return resultat
    en_unites = valeurs[connues] / unite
    g = groupes[connues]
    _, g = np.unique(g, return_inverse=True)
    planchers = np.floor(en_unites + 1e-9)
    restes = en_unites - planchers
    totaux = np.floor(np.bincount(g, weights=en_unites) + 0.5 + 1e-9)
    manquants = (totaux - np.bincount(g, weights=planchers)).astype(np.int64)
    # Within each group, rows by decreasing remainder; the first `manquants` of the group get one unit.
    ordre = np.lexsort((np.arange(len(g)), -restes, g))
    debuts = np.r_[0, np.cumsum(np.bincount(g))[:-1]]
    rang = np.empty(len(g), dtype=np.int64)
    rang[ordre] = np.arange(len(g)) - debuts[g[ordre]]
    resultat[connues] = (planchers + (rang < manquants[g])) * unite
    return resultat
