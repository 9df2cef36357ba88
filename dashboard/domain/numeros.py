"""Pass numbers: inclusive ranges of serials [premier, dernier] per laureate, compared without a loop.

Every range belongs to a group (a laureate, as an integer position). Serials may be large (BigInteger) and
ranges of different laureates may use the same serials, so ranges are compared through `cles`: int64 keys
that order (group, serial) pairs lexicographically — the rank of the serial among all serials involved,
offset by the group — on which `np.searchsorted` and running maxima work across all laureates at once.
The lengths of overlaps are always taken from the serials themselves, never from the keys.

Once a laureate's orders, distributions and redemptions all carry numbers, each redeemed pass is tied to
its order (its wave, its end of validity), its distribution (month, commune) and its redemption (month):
`Intersections` gives those ties as pieces, `cohortes_exactes` the cohort curves they draw.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd


def cles(groupes: Sequence[np.ndarray], valeurs: Sequence[np.ndarray]) -> list[np.ndarray]:
    """For each pair of arrays (groups, serials), int64 keys such that key order = (group, serial) order,
    consistently across all the arrays given together."""
    tailles = [len(v) for v in valeurs]
    if not sum(tailles):
        return [np.zeros(0, dtype=np.int64) for _ in tailles]
    tous = np.concatenate([np.asarray(v, dtype=np.int64) for v in valeurs])
    g = np.concatenate([np.asarray(x, dtype=np.int64) for x in groupes])
    _, rang = np.unique(tous, return_inverse=True)
    cle = g * (int(rang.max()) + 1) + rang
    return np.split(cle, np.cumsum(tailles)[:-1])


def chevauchements(debut: np.ndarray, fin: np.ndarray) -> np.ndarray:
    """For each range (keys of its bounds, inclusive), an earlier range it overlaps (earlier in the order
    of starts), or -1. One overlapping pair gives one report: the later range of the pair."""
    n = len(debut)
    if not n:
        return np.zeros(0, dtype=np.int64)
    ordre = np.lexsort((fin, debut))
    d, f = debut[ordre], fin[ordre]
    plus_loin = np.maximum.accumulate(f)
    # The latest range reaching the running maximum holds it: it overlaps whatever starts before its end.
    porteur = np.maximum.accumulate(np.where(f == plus_loin, np.arange(n), 0))
    chevauche = np.r_[False, d[1:] <= plus_loin[:-1]]
    autre = np.where(chevauche, ordre[np.r_[0, porteur[:-1]]], -1)
    resultat = np.empty(n, dtype=np.int64)
    resultat[ordre] = autre
    return resultat


def paires(
    debut: np.ndarray, fin: np.ndarray, debut_s: np.ndarray, fin_s: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Every (i, j) where range i of the first set overlaps range j of the second (keys, inclusive
    bounds). The second set must be sorted and disjoint: the ranges it overlaps are then consecutive, and
    there are at most len(first) + len(second) pairs."""
    premier = np.searchsorted(fin_s, debut, side="left")  # first j ending at or after i's start
    apres = np.searchsorted(debut_s, fin, side="right")  # j starting after i's end: not overlapping
    nombre = np.clip(apres - premier, 0, None)
    i = np.repeat(np.arange(len(debut)), nombre)
    decalage = np.cumsum(nombre) - nombre
    j = premier[i] + (np.arange(int(nombre.sum())) - decalage[i])
    return i, j


def blocs(
    groupe: np.ndarray, premier: np.ndarray, dernier: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The union of each group's ranges as maximal blocks of consecutive serials (group, premier,
    dernier), sorted: two orders 1000–1099 and 1100–1199 make one block 1000–1199."""
    if not len(premier):
        vide = np.zeros(0, dtype=np.int64)
        return vide, vide, vide
    ordre = np.lexsort((premier, groupe))
    g, p, d = groupe[ordre], premier[ordre], dernier[ordre]
    jusqu = pd.Series(d).groupby(g).cummax().to_numpy()
    nouveau = np.r_[True, (g[1:] != g[:-1]) | (p[1:] > jusqu[:-1] + 1)]
    numero = np.cumsum(nouveau) - 1
    fins = np.zeros(int(numero[-1]) + 1, dtype=np.int64)
    np.maximum.at(fins, numero, d)
    return g[nouveau], p[nouveau], fins


def couverts(
    groupe: np.ndarray,
    premier: np.ndarray,
    dernier: np.ndarray,
    groupe_c: np.ndarray,
    premier_c: np.ndarray,
    dernier_c: np.ndarray,
) -> np.ndarray:
    """Which ranges lie entirely within the union of the covering ranges of their group (the passes of a
    distribution within the laureate's orders)."""
    gb, pb, db = blocs(groupe_c, premier_c, dernier_c)
    if not len(gb):
        return np.zeros(len(premier), dtype=bool)
    cle_bloc, cle_premier = cles([gb, groupe], [pb, premier])
    j = np.searchsorted(cle_bloc, cle_premier, side="right") - 1
    jj = np.clip(j, 0, None)
    return (j >= 0) & (gb[jj] == groupe) & (pb[jj] <= premier) & (db[jj] >= dernier)


@dataclass(frozen=True)
class Plages:
    """Ranges of one kind (orders, distributions or redemptions): group, premier, dernier."""

    groupe: np.ndarray
    premier: np.ndarray
    dernier: np.ndarray

    @classmethod
    def de(cls, groupe, premier, dernier) -> Plages:
        return cls(*(np.asarray(x, dtype=np.int64) for x in (groupe, premier, dernier)))

    def __len__(self) -> int:
        return len(self.premier)


@dataclass(frozen=True)
class Morceaux:
    """The overlaps of two sets of ranges: index in each set and the serials [premier, dernier]."""

    a: np.ndarray
    b: np.ndarray
    premier: np.ndarray
    dernier: np.ndarray

    @property
    def longueur(self) -> np.ndarray:
        return self.dernier - self.premier + 1


def _morceaux(x: Plages, y: Plages, cle_x, cle_y) -> Morceaux:
    """Overlaps of every range of x with the ranges of y (y disjoint within each group)."""
    ordre = np.argsort(cle_y[0], kind="stable")
    i, j = paires(cle_x[0], cle_x[1], cle_y[0][ordre], cle_y[1][ordre])
    j = ordre[j]
    premier = np.maximum(x.premier[i], y.premier[j])
    dernier = np.minimum(x.dernier[i], y.dernier[j])
    return Morceaux(i, j, premier, dernier)


@dataclass(frozen=True)
class Parcours:
    """Pieces of passes followed from their order through their distribution to their redemption: the
    index of each in its set, and the serials [premier, dernier] of the piece."""

    commande: np.ndarray
    distribution: np.ndarray
    utilisation: np.ndarray
    premier: np.ndarray
    dernier: np.ndarray

    @property
    def longueur(self) -> np.ndarray:
        return self.dernier - self.premier + 1


@dataclass(frozen=True)
class Intersections:
    """What the numbers tie together, for laureates whose ranges are disjoint within each kind:
    `distribues`, the pieces of each distribution within each order (a = distribution, b = order);
    `utilises`, the pieces of each redemption within each order (a = redemption, b = order);
    `parcours`, the pieces of each redemption within a distribution and an order."""

    distribues: Morceaux
    utilises: Morceaux
    parcours: Parcours

    @classmethod
    def calculer(cls, commandes: Plages, distributions: Plages, utilisations: Plages) -> Intersections:
        c, d, u = commandes, distributions, utilisations
        k = cles(
            [c.groupe, c.groupe, d.groupe, d.groupe, u.groupe, u.groupe],
            [c.premier, c.dernier, d.premier, d.dernier, u.premier, u.dernier],
        )
        kc, kd, ku = (k[0], k[1]), (k[2], k[3]), (k[4], k[5])
        distribues = _morceaux(d, c, kd, kc)
        utilises = _morceaux(u, c, ku, kc)
        # Redeemed within a distribution, then that piece within its order (it may straddle two orders
        # whose serials follow each other).
        ud = _morceaux(u, d, ku, kd)
        plages_ud = Plages.de(u.groupe[ud.a], ud.premier, ud.dernier)
        k2 = cles(
            [c.groupe, c.groupe, plages_ud.groupe, plages_ud.groupe],
            [c.premier, c.dernier, ud.premier, ud.dernier],
        )
        udc = _morceaux(plages_ud, c, (k2[2], k2[3]), (k2[0], k2[1]))
        parcours = Parcours(udc.b, ud.b[udc.a], ud.a[udc.a], udc.premier, udc.dernier)
        return cls(distribues, utilises, parcours)


def longueurs_par(indices: np.ndarray, longueurs: np.ndarray, taille: int) -> np.ndarray:
    """Sum of the pieces' lengths per index (a bincount of integers, exact)."""
    return np.bincount(indices, weights=longueurs.astype(float), minlength=taille)


def cohortes_exactes(
    mois_distribution: np.ndarray,
    mois_utilisation: np.ndarray,
    nombre: np.ndarray,
    cohortes: Sequence[int],
    distribues: Sequence[float],
    dernier_mois: int,
) -> pd.DataFrame:
    """Cohort curves from the passes followed one by one: for the passes handed out in month M (`cohortes`,
    with `distribues` of them), the share redeemed by month M + k, k up to `dernier_mois`. The same
    columns as dashboard.domain.delais.cohortes: cohorte, k, distribues, part."""
    paires_ = pd.DataFrame(
        {"cohorte": mois_distribution, "k": np.asarray(mois_utilisation) - mois_distribution, "n": nombre}
    )
    apparies = paires_.groupby(["cohorte", "k"])["n"].sum()
    lignes = []
    for cohorte, nb in zip(cohortes, distribues, strict=True):
        if not nb:
            continue
        ks = np.arange(int(dernier_mois) - int(cohorte) + 1)
        par_k = np.zeros(len(ks))
        if cohorte in apparies.index.get_level_values(0):
            serie = apparies.loc[cohorte]
            serie = serie[(serie.index >= 0) & (serie.index < len(ks))]
            par_k[serie.index.to_numpy(dtype=np.int64)] = serie.to_numpy()
        for k, cumul in zip(ks, np.cumsum(par_k), strict=True):
            lignes.append((int(cohorte), int(k), float(nb), float(cumul) / nb))
    return pd.DataFrame(lignes, columns=["cohorte", "k", "distribues", "part"])


def additionner_cohortes(*tables: pd.DataFrame) -> pd.DataFrame:
    """Cohort curves of disjoint sets of passes, put together: per (cohorte, k), the passes handed out
    and those redeemed add up (an estimated part and an exact part of the same entity)."""
    tables = [t for t in tables if not t.empty]
    if not tables:
        return pd.DataFrame(columns=["cohorte", "k", "distribues", "part"])
    if len(tables) == 1:
        return tables[0]
    tout = pd.concat(tables, ignore_index=True)
    tout = tout.assign(apparies=tout["part"] * tout["distribues"])
    sommes = tout.groupby(["cohorte", "k"], as_index=False)[["distribues", "apparies"]].sum()
    return pd.DataFrame(
        {
            "cohorte": sommes["cohorte"].astype(int),
            "k": sommes["k"].astype(int),
            "distribues": sommes["distribues"],
            "part": sommes["apparies"] / sommes["distribues"],
        }
    )
