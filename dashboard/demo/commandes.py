"""Orders of carnets: a few tranches per convention, months after it, valid to the end of year N+1."""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.demo.laureats import OBSOLETE
from dashboard.demo.references import DERNIERE_COMMANDE, jour

FIN_DERNIERE_COMMANDE = int(DERNIERE_COMMANDE.astype(np.int64))


def fin_validite(date_commande: int, millesime: bool) -> int:
    """31/12 of the year after the order; year-stamped passes (millésimés) end on 31/01 of the next year."""
    annee = int(str(np.datetime64(date_commande, "D"))[:4])
    return jour(f"{annee + 1}-01-31") if millesime else jour(f"{annee + 1}-12-31")


def _tranches(rng: np.random.Generator, c: pd.Series) -> list[tuple[int, int, int]]:
    """(date, carnets, carnet size) of the drawn tranches: the first is the largest."""
    carnets = max(1, round(c["pass_prevus"] * c["part_commandee"] / c["taille"]))
    n = 1 if c["pass_prevus"] <= 5_000 else (2 if c["pass_prevus"] <= 40_000 else 3)
    if c["anomalie"] == OBSOLETE:
        n = 3  # tranches valid into 2023, so that silence after February 2022 is an anomaly
    parts = np.sort(rng.dirichlet(np.full(n, 3.0)))[::-1]
    nombres = np.floor(parts * carnets).astype(int)
    nombres[0] += carnets - nombres.sum()
    if c["millesime"]:
        # Year-stamped passes are bought at the start of each year.
        debut = str(np.datetime64(c["date_convention"] + 45, "D"))
        premiere_annee = int(debut[:4]) + (1 if int(debut[5:7]) > 3 else 0)
        dates = [jour(f"{premiere_annee + i}-01-06") + int(rng.integers(0, 70)) for i in range(n)]
    else:
        dates = [c["date_convention"] + int(rng.integers(45, 200))]
        for _ in range(n - 1):
            dates.append(dates[-1] + int(rng.integers(240, 420)))
    gardees = [
        (d, int(k), int(c["taille"]))
        for d, k in zip(dates, nombres, strict=True)
        if d <= FIN_DERNIERE_COMMANDE
    ]
    if len(gardees) < n:  # late tranches fold into the last possible one
        reste = int(nombres[len(gardees) :].sum())
        if gardees:
            d, k, t = gardees[-1]
            gardees[-1] = (d, k + reste, t)
        else:
            gardees = [(FIN_DERNIERE_COMMANDE - int(rng.integers(0, 60)), int(carnets), int(c["taille"]))]
    return gardees


def commandes(conventions: pd.DataFrame, seed: int) -> pd.DataFrame:
    """One row per order: convention (row index), siren, date, carnets, carnet size, fin de validité."""
    lignes = []
    for i, c in conventions.iterrows():
        rng = np.random.default_rng([seed, 3, int(c["siren"]), int(c["vague"])])
        tranches = [(jour(d), n, t) for d, n, t in c["commandes"]] if c["commandes"] else _tranches(rng, c)
        for date, carnets, taille in tranches:
            fin = fin_validite(date, bool(c["millesime"]))
            lignes.append((i, c["siren"], date, carnets, taille, fin))
    colonnes = ["convention", "siren", "date", "nb_carnets", "taille", "fin_validite"]
    return pd.DataFrame(lignes, columns=colonnes)
