"""Classification of indicator values into map classes (mapclassify), with French legend labels."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
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


PART_ZEROS = 0.10
"""From this share of exact zeros up, the zeros make a class of their own and the other classes are computed
over the non-zero values (else quantiles put most classes on zero and the legend says "de 0,0 % à 0,0 %")."""


@dataclass(frozen=True)
class Classification:
    """Upper bounds are inclusive: value v is in class i when bornes[i-1] < v <= bornes[i]. Labels start
    from `basses` (the smallest value for the first class, the previous bound after it, the smallest
    non-zero value after a class of zeros; None: an empty first class, "jusqu'à …")."""

    bornes: tuple[float, ...]
    basses: tuple[float | None, ...]
    indices: tuple[int | None, ...]  # class of each input value; None where missing or left out
    effectifs: tuple[int, ...]
    sans_donnee: int
    exclus: int = 0  # values left out of the classes by the caller (`classer(..., exclus=…)`)
    classe_zero: bool = False  # class 0 holds exactly the zeros

    @property
    def nb_classes(self) -> int:
        return len(self.bornes)

    def libelles(self, formater: Callable[[float], str]) -> list[str]:
        """`de 12,3 % à 45,0 %`; one value when both bounds read the same (`0,0 %`, `50,0 %`)."""
        return [_libelle(b, h, formater) for b, h in zip(self.basses, self.bornes, strict=True)]


def lisible(classification: Classification, formater: Callable[[float], str]) -> Classification:
    """The classes a reader can tell apart: a class whose values all read like the previous class's upper
    bound at the displayed precision (two quantile classes « 19,4 % » and « 19,4 % » when several EPCI
    share their laureate's rate to the third decimal) is merged into it, bounds, counts and indices alike."""
    bornes = classification.bornes
    correspondance = [0] * len(bornes)  # old class → new class
    for i in range(1, len(bornes)):
        meme = formater(bornes[i]) == formater(bornes[i - 1])
        correspondance[i] = correspondance[i - 1] + (0 if meme else 1)
    if not bornes or correspondance[-1] == len(bornes) - 1:
        return classification
    nouvelles: dict[int, list] = {}
    for ancienne, nouvelle in enumerate(correspondance):
        if nouvelle not in nouvelles:  # the group's first class gives its lower bound
            nouvelles[nouvelle] = [classification.basses[ancienne], bornes[ancienne], 0]
        nouvelles[nouvelle][1] = bornes[ancienne]  # and its last class the upper one
        nouvelles[nouvelle][2] += classification.effectifs[ancienne]
    groupes = [nouvelles[n] for n in sorted(nouvelles)]
    return replace(
        classification,
        basses=tuple(g[0] for g in groupes),
        bornes=tuple(g[1] for g in groupes),
        effectifs=tuple(g[2] for g in groupes),
        indices=tuple(None if c is None else correspondance[c] for c in classification.indices),
    )


def _libelle(basse: float | None, haute: float, formater: Callable[[float], str]) -> str:
    haut = formater(haute)
    if basse is None:
        return f"jusqu'à {haut}"
    bas = formater(basse)
    return haut if bas == haut else f"de {bas} à {haut}"


def classer(
    valeurs: Sequence[float | None],
    methode: Methode = Methode.QUANTILES,
    k: int = 5,
    seuils: Sequence[float] | None = None,
    exclus: Sequence[bool] | None = None,
) -> Classification:
    """Class the values into at most k classes (or by the seuils). Missing values (None/NaN) stay out of
    every class ("sans donnée", not zero). exclus: one boolean per value, True for a value to leave out of
    the classes and of their bounds (a laureate whose data are inconsistent, a rate above 100 %); such a
    value gets no class (index None) and is counted in `exclus`, not in `sans_donnee`. None or NA in the
    mask means kept. When at least PART_ZEROS of the values classed are exactly 0 (and none is negative),
    the zeros are class 0 and the other k − 1 classes (or the seuils) split the non-zero values."""
    if methode is Methode.SEUILS and not seuils:
        raise ValueError("La méthode « seuils fixes » demande au moins un seuil.")
    tableau = np.array([np.nan if v is None else float(v) for v in valeurs], dtype=float)
    ecartees = _masque(exclus, tableau.size)
    presentes = ~np.isnan(tableau) & ~ecartees
    sans_donnee = int((np.isnan(tableau) & ~ecartees).sum())
    y = tableau[presentes]
    if y.size == 0:
        return Classification((), (), (None,) * tableau.size, (), sans_donnee, int(ecartees.sum()))
    zeros = y == 0
    zeros_a_part = y.min() >= 0 and zeros.mean() >= PART_ZEROS and not zeros.all()
    if zeros_a_part and (methode is Methode.SEUILS or k >= 2):
        positifs = [s for s in seuils or () if s > 0] or [float(y.max())]
        bornes, rangs = _bornes(y[~zeros], methode, k - 1, positifs)
        bornes, classes = (0.0, *bornes), np.zeros(y.size, dtype=int)
        classes[~zeros] = rangs + 1
    else:
        bornes, classes = _bornes(y, methode, k, seuils)
    classe_zero = bool(bornes[0] == 0 and y.min() >= 0)  # also frozen bounds starting at 0
    effectifs = tuple(int(n) for n in np.bincount(classes, minlength=len(bornes)))
    rangs_iter = iter(int(c) for c in classes)
    return Classification(
        bornes=bornes,
        basses=_basses(bornes, effectifs, y, classes, classe_zero),
        indices=tuple(next(rangs_iter) if p else None for p in presentes),
        effectifs=effectifs,
        sans_donnee=sans_donnee,
        exclus=int(ecartees.sum()),
        classe_zero=classe_zero,
    )


def _masque(exclus: Sequence[bool] | None, n: int) -> np.ndarray:
    if exclus is None:
        return np.zeros(n, dtype=bool)
    masque = np.array([_vrai(e) for e in exclus], dtype=bool)
    if masque.size != n:
        raise ValueError(f"Le masque des exclus a {masque.size} valeurs pour {n} à classer.")
    return masque


def _vrai(valeur) -> bool:
    """True only for a true flag: None, NaN and pandas' NA (a territory without a row) keep the value."""
    try:
        return bool(valeur) and valeur == valeur
    except TypeError:  # pd.NA
        return False


def _bornes(
    y: np.ndarray, methode: Methode, k: int, seuils: Sequence[float] | None
) -> tuple[tuple[float, ...], np.ndarray]:
    if methode is Methode.JENKS:
        # Far below any displayed precision a value is 0 for Jenks: denormal floats (1e-300) made its
        # bounds unordered (found by hypothesis, cls021). Classed rounded, each bound still covers its
        # class's values as they are.
        arrondies = np.round(y, 12)
        k = max(1, min(k, np.unique(arrondies).size))
        classifieur = _classifieur(arrondies, methode, k, seuils)
        classes = np.asarray(classifieur.yb, dtype=int)
        bornes = [
            max(float(b), float(y[classes == i].max())) if (classes == i).any() else float(b)
            for i, b in enumerate(classifieur.bins)
        ]
        return tuple(bornes), classes
    k = max(1, min(k, np.unique(y).size))
    classifieur = _classifieur(y, methode, k, seuils)
    return tuple(float(b) for b in classifieur.bins), np.asarray(classifieur.yb, dtype=int)


def _basses(
    bornes: tuple[float, ...], effectifs: tuple[int, ...], y: np.ndarray, classes: np.ndarray, zero: bool
) -> tuple[float | None, ...]:
    basses: list[float | None] = [float(y[classes == 0].min()) if effectifs[0] else (0.0 if zero else None)]
    for i in range(1, len(bornes)):
        if zero and i == 1 and effectifs[1]:
            basses.append(float(y[classes == 1].min()))  # "de 0,4 %", not "de 0,0 %", after the zeros
        else:
            basses.append(bornes[i - 1])
    return tuple(basses)


def _classifieur(y: np.ndarray, methode: Methode, k: int, seuils: Sequence[float] | None):
    if methode is Methode.SEUILS:
        return mapclassify.UserDefined(y, bins=sorted(set(seuils or ())))
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
