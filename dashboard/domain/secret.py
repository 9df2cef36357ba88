"""The statistical-secrecy rule for what leaves the building (exports, the API, public pages): in a
breakdown by structure or by place, a count of 1 to SEUIL − 1 passes is hidden (primary suppression), and
as many more cells as needed, smallest first, so that the published total does not give them away
(secondary suppression): once anything is hidden, at least two cells are, and together they hold at least
SEUIL passes. A zero is not secret (nobody is behind it). Pure Python: the store and the exports call it.

Written on /methodologie (« Secret statistique ») — keep the two in step.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

SEUIL = 11  # counts of 1 to 10 passes are hidden: the threshold used for counts of people in public data
SECRET = "s"  # what a hidden cell shows, as in INSEE's tables
ANONYME = "(non publié : secret statistique)"  # the name of a row whose count the total would give away
IDENTITE = ("siret", "nom", "commune", "code")  # the columns that say who or where a row is
MENTION = (
    f"Secret statistique : effectifs de 1 à {SEUIL - 1} pass masqués (« {SECRET} »), ainsi que les plus "
    "petits effectifs suivants quand il le faut pour que le total ne les révèle pas"
)

METHODE = (
    "Dans une répartition par structure distributrice, par lieu de médiation ou par commune, tout effectif "
    f"de 1 à {SEUIL - 1} pass est masqué (« {SECRET} ») dans ce qui sort du tableau de bord : exports "
    "CSV, XLSX et PNG des pages de territoire et de lauréat. L'API de données ouvertes et les pages "
    "publiques (PASSNUM_PUBLIC=1) ne donnent aucune répartition par structure ou par lieu.",
    "Masquage secondaire : dès qu'une cellule est masquée, les plus petits effectifs suivants le sont aussi, "
    f"jusqu'à ce qu'au moins deux cellules réunissant au moins {SEUIL} pass soient masquées — le total "
    "publié moins les cellules publiées ne révèle donc jamais un petit effectif. Un zéro n'est pas masqué. "
    "Quand c'est impossible (une seule structure, ou seulement de petits effectifs : le total publié les "
    f"donnerait), les lignes masquées perdent aussi leur identité (« {ANONYME} », SIRET et commune « s »).",
    "Les agents connectés voient la répartition entière à l'écran : le secret s'applique à ce qui est "
    "diffusé. Les totaux par territoire et par lauréat restent publiés. La liste des lieux dont des "
    "pass n'ont pas été remboursés (passif de l'opérateur) est une créance due à chaque lieu, pas une "
    "statistique : elle n'est pas masquée, et seuls les agents connectés l'exportent.",
)


def masque(valeurs: Sequence[float], seuil: int = SEUIL) -> np.ndarray:
    """Which cells of one breakdown (whose total is published) to hide."""
    comptes = np.nan_to_num(np.asarray(valeurs, dtype=float), nan=0.0)
    cache = (comptes > 0) & (comptes < seuil)
    ordre = np.argsort(comptes, kind="stable")  # smallest first: the least information lost
    while cache.any() and (cache.sum() < 2 or comptes[cache].sum() < seuil):
        candidats = [i for i in ordre if not cache[i] and comptes[i] > 0]
        if not candidats:
            break  # every non-zero cell is hidden already: only the total remains, and it is ≥ nothing
        cache[candidats[0]] = True
    return cache


def protege(valeurs: Sequence[float], cache: np.ndarray, seuil: int = SEUIL) -> bool:
    """Do the hidden cells protect each other — at least two, at least `seuil` passes together? (Not when
    a breakdown has one non-zero cell, or only small ones: the published total then gives them away.)"""
    comptes = np.nan_to_num(np.asarray(valeurs, dtype=float), nan=0.0)
    return not cache.any() or (cache.sum() >= 2 and comptes[cache].sum() >= seuil)


def appliquer(
    table: pd.DataFrame, colonne: str = "nb_pass", liees: Sequence[str] = ("part",), seuil: int = SEUIL
) -> pd.DataFrame:
    """The breakdown with its secret cells (`colonne` and the columns derived from it, `liees`) replaced
    by SECRET. When the hidden cells cannot protect each other (`protege`), the hidden rows lose their
    identity too (SIRET, name, commune, code): the total may give their count, never whose it is. The
    table given is not modified."""
    if table.empty or colonne not in table:
        return table
    cache = masque(table[colonne].to_numpy(), seuil)
    if not cache.any():
        return table
    sortie = table.copy()
    for nom in (colonne, *[c for c in liees if c in table]):
        sortie[nom] = sortie[nom].astype(object).where(~cache, SECRET)
    if not protege(table[colonne].to_numpy(), cache, seuil):
        for nom in [c for c in IDENTITE if c in table]:
            sortie[nom] = sortie[nom].astype(object).where(~cache, ANONYME if nom == "nom" else SECRET)
    return sortie


def sans_les_secrets(table: pd.DataFrame, colonne: str = "nb_pass", seuil: int = SEUIL) -> pd.DataFrame:
    """The rows of the breakdown that may be published as they are (for a chart: a hidden bar is no bar)."""
    if table.empty or colonne not in table:
        return table
    return table[~masque(table[colonne].to_numpy(), seuil)]
