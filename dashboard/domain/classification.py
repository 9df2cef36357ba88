"""Classification of indicator values into map classes (mapclassify), with French legend labels."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

import mapclassify
import numpy as np


class Methode(StrEnum):
    QUANTILES = "quantiles"
    JENKS = "jenks"
    INTERVALLES_EGAUX = "intervalles"
    SEUILS = "seuils"

    @property
    def libelle(self) -> str:
        return {
            Methode.QUANTILES: "Quantiles (effectifs égaux)",
            Methode.JENKS: "Seuils naturels (Jenks)",
            Methode.INTERVALLES_EGAUX: "Intervalles égaux",
            Methode.SEUILS: "Seuils fixes",
        }[self]


@dataclass(frozen=True)
class Classification:
    """Upper bounds are inclusive: value v is in class i when bornes[i-1] < v <= bornes[i]."""

    minimum: float
    bornes: tuple[float, ...]
    indices: tuple[int | None, ...]  # class of each input value; None where the value is missing
    effectifs: tuple[int, ...]
    sans_donnee: int

    @property
    def nb_classes(self) -> int:
        return len(self.bornes)

    def libelles(self, formater: Callable[[float], str]) -> list[str]:
        if not self.bornes:  # no value at all: no class, no label
            return []
        basses = (self.minimum, *self.bornes[:-1])
        return [f"de {formater(b)} à {formater(h)}" for b, h in zip(basses, self.bornes, strict=True)]


def classer(
    valeurs: Sequence[float | None],
    methode: Methode = Methode.QUANTILES,
    k: int = 5,
    seuils: Sequence[float] | None = None,
) -> Classification:
    """Class the values; missing values (None/NaN) stay out of every class ("sans donnée", not zero)."""
    tableau = np.array([np.nan if v is None else float(v) for v in valeurs], dtype=float)
    presentes = ~np.isnan(tableau)
    y = tableau[presentes]
    if y.size == 0:
        return Classification(0.0, (), tuple(None for _ in tableau), (), len(tableau))
    k = max(1, min(k, np.unique(y).size))
    classifieur = _classifieur(y, methode, k, seuils)
    bornes = tuple(float(b) for b in classifieur.bins)
    rangs = iter(int(c) for c in classifieur.yb)
    indices = tuple(next(rangs) if p else None for p in presentes)
    return Classification(
        minimum=float(y.min()),
        bornes=bornes,
        indices=indices,
        effectifs=tuple(int(c) for c in classifieur.counts),
        sans_donnee=int((~presentes).sum()),
    )


def _classifieur(y: np.ndarray, methode: Methode, k: int, seuils: Sequence[float] | None):
    if methode is Methode.SEUILS:
        if not seuils:
            raise ValueError("La méthode « seuils fixes » demande au moins un seuil.")
        return mapclassify.UserDefined(y, bins=sorted(seuils))
    if k == 1:
        return mapclassify.UserDefined(y, bins=[float(y.max())])
    if methode is Methode.QUANTILES:
        # Many equal values (zeros) make equal quantiles: mapclassify then merges them into fewer classes
        # and says so with a warning; the legend shows the classes actually made.
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", "Not enough unique values", UserWarning)
            return mapclassify.Quantiles(y, k=k)
    if methode is Methode.JENKS:
        with warnings.catch_warnings():  # "Numba not installed": the pure-Python path is fast enough here
            warnings.simplefilter("ignore", UserWarning)
            return mapclassify.FisherJenks(y, k=k)
    return mapclassify.EqualInterval(y, k=k)
