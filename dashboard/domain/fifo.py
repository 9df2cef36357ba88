"""First in, first out: which wave a pass handed out or redeemed belongs to, and which passes of a batch
were later handed out or redeemed.

A laureate's passes are numbered in the order they were bought (its orders sorted by date): the k-th pass
handed out is taken to be the k-th pass ordered, and the k-th pass redeemed the k-th handed out. Each
order belongs to one wave (its explicit `vague`, or the convention in force on its date), so a range
[a, b) of that numbering splits exactly over the waves. Passes beyond the last ordered one (files that
report more than was bought) belong to the wave of the laureate's last order, so that the waves always
partition every count. Without pass numbers this is an estimate; with them it becomes exact.

Everything is vectorised over all laureates at once: laureate i's numbering is shifted by i × DECALAGE,
and the cumulative count of each wave is interpolated linearly between breakpoints (it is piecewise
linear with slopes 0 or 1, so integer ranges give integer counts).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

DECALAGE = 1e10  # more passes than any laureate will ever order; i × 1e10 stays exact in float64


def _ranges(positions: np.ndarray, quantites: np.ndarray) -> np.ndarray:
    """Start of each row's range within its laureate: cumulative sum restarting at each laureate
    (rows sorted by laureate)."""
    if not len(positions):
        return np.zeros(0)
    cumul = np.cumsum(quantites, dtype=float) - quantites
    premiers = np.r_[True, positions[1:] != positions[:-1]]
    depart = np.maximum.accumulate(np.where(premiers, np.arange(len(positions)), 0))
    return cumul - cumul[depart]


class Numerotation:
    """The wave of every ordered pass of every laureate.

    `laureats`: number of laureates (positions 0..n-1); `position`, `quantite`, `vague` of each order,
    sorted by laureate then date; `debordement[i]`: the wave of passes beyond laureate i's last order.
    """

    def __init__(
        self,
        vagues: Sequence[int],
        laureats: int,
        position: np.ndarray,
        quantite: np.ndarray,
        vague: np.ndarray,
        debordement: np.ndarray,
    ) -> None:
        self.vagues = tuple(vagues)
        position = np.asarray(position, dtype=np.int64)
        quantite = np.asarray(quantite, dtype=float)
        vague = np.asarray(vague)
        self.depart_commandes = _ranges(position, quantite)
        # Breakpoints: each laureate's start (i × DECALAGE) and the end of each of its orders. The count
        # of a wave grows by an order's quantity at the order's end; between a laureate's last order and
        # the next laureate's start only its overflow wave grows (slope 1: its increment sits on that
        # start, sized to the gap).
        garde = quantite > 0  # an empty order is no breakpoint (it would tie with its predecessor)
        fins = position[garde] * DECALAGE + self.depart_commandes[garde] + quantite[garde]
        dernier_fin = np.zeros(laureats)
        np.maximum.at(dernier_fin, position[garde], self.depart_commandes[garde] + quantite[garde])
        x = np.concatenate([np.arange(laureats + 1) * DECALAGE, fins])
        increments = np.zeros((len(self.vagues), len(x)))
        debordement = np.asarray(debordement)
        for k, v in enumerate(self.vagues):
            increments[k, 1 : laureats + 1] = np.where(debordement == v, DECALAGE - dernier_fin, 0.0)
            increments[k, laureats + 1 :] = np.where(vague[garde] == v, quantite[garde], 0.0)
        ordre = np.argsort(x, kind="stable")
        self.x = x[ordre]
        self.cumul = np.cumsum(increments[:, ordre], axis=1)

    def compter(self, position: np.ndarray, debut: np.ndarray, fin: np.ndarray) -> dict[int, np.ndarray]:
        """Passes numbered [debut, fin) of each row's laureate, per wave."""
        base = np.asarray(position, dtype=float) * DECALAGE
        a, b = base + np.asarray(debut, dtype=float), base + np.asarray(fin, dtype=float)
        return {
            v: np.rint(np.interp(b, self.x, self.cumul[k]) - np.interp(a, self.x, self.cumul[k]))
            for k, v in enumerate(self.vagues)
        }


def departs(position: np.ndarray, quantite: np.ndarray) -> np.ndarray:
    """Where each row's passes start in its laureate's numbering (rows sorted by laureate, then time)."""
    return _ranges(np.asarray(position, dtype=np.int64), np.asarray(quantite, dtype=float))


def parmi(debut: np.ndarray, quantite: np.ndarray, total: np.ndarray) -> np.ndarray:
    """How many of the passes numbered [debut, debut + quantite) are among the first `total`: e.g. the
    passes of an order later handed out, when `total` is all the passes the laureate handed out."""
    return np.clip(np.asarray(total, dtype=float) - debut, 0.0, quantite)
