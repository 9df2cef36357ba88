"""The map legend as data: one line per class (its colour, its bounds in French, how many territories it
holds) and "sans donnée"; or, for proportional circles, a few round values and their diameters."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from dashboard.domain.classification import Classification
from dashboard.domain.formatage import nombre
from dashboard.domain.indicateurs import Indicateur
from dashboard.domain.palettes import SANS_DONNEE


@dataclass(frozen=True)
class LigneLegende:
    couleur: str
    libelle: str
    effectif: str  # "3 départements"


@dataclass(frozen=True)
class Cercle:
    libelle: str  # the value, formatted
    diametre_px: float


@dataclass(frozen=True)
class Legende:
    titre: str
    lignes: tuple[LigneLegende, ...] = ()
    cercles: tuple[Cercle, ...] = ()  # proportional circles: the legend has these instead of lines


def _effectif(n: int, unite: tuple[str, str]) -> str:
    return f"{nombre(n)} {unite[0] if n == 1 else unite[1]}"


def legende_classes(
    titre: str,
    classification: Classification,
    couleurs: Sequence[str],
    formater: Callable[[float], str],
    unite_effectif: tuple[str, str],  # (singular, plural): "1 département", "3 départements"
) -> Legende:
    lignes = [
        LigneLegende(couleur, libelle, _effectif(effectif, unite_effectif))
        for couleur, libelle, effectif in zip(
            couleurs, classification.libelles(formater), classification.effectifs, strict=True
        )
    ]
    if classification.sans_donnee:
        lignes.append(
            LigneLegende(SANS_DONNEE, "sans donnée", _effectif(classification.sans_donnee, unite_effectif))
        )
    return Legende(titre, lignes=tuple(lignes))


def legende_cercles(ind: Indicateur, references: Sequence[tuple[float, float]]) -> Legende:
    """references: (value, diameter in px) of the round values drawn in the legend."""
    return Legende(
        f"{ind.libelle} ({ind.unite})", cercles=tuple(Cercle(ind.formater(v), t) for v, t in references)
    )
