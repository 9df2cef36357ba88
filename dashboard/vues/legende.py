"""The map legend as data: one line per class (its colour, its bounds in French, how many territories it
holds) and "sans donnée"; or, for proportional circles, a few round values and their diameters; and the
layers of the porteurs map with the outline each type is drawn with."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from dashboard.domain.classification import Classification
from dashboard.domain.formatage import effectif_texte
from dashboard.domain.indicateurs import Indicateur
from dashboard.domain.palettes import INCOHERENT, SANS_DONNEE
from dashboard.figures.carte import (
    CONTOUR_FOCUS,
    CONTOURS_TYPES,
    FOND,
    LIBELLES_TYPES,
    ORDRE_TYPES,
)


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
class Couche:
    """A layer of the map as the legend draws it: its fill and the very outline the map gives it."""

    libelle: str
    contour: str  # colour
    epaisseur: float  # px, as on the map
    fond: str = "transparent"


@dataclass(frozen=True)
class Legende:
    titre: str
    lignes: tuple[LigneLegende, ...] = ()
    cercles: tuple[Cercle, ...] | None = None  # proportional circles (maybe none to show) instead of lines
    couches: tuple[Couche, ...] = ()  # the porteurs map's layers (types of laureate, base, focus)
    titre_couches: str = "Lauréats"


def couches_porteurs(types: Sequence[str] = ORDRE_TYPES, base: bool = True) -> tuple[Couche, ...]:
    """One line per type of laureate drawn (the outline tells them apart where fills overlap), then the
    grey base of the territories without a laureate."""
    couches = [
        Couche(LIBELLES_TYPES[t], CONTOURS_TYPES[t]["color"], CONTOURS_TYPES[t]["width"])
        for t in ORDRE_TYPES
        if t in types
    ]
    if base:
        couches.append(Couche("Territoire sans lauréat de la sélection", "#FFFFFF", 0.6, FOND))
    return tuple(couches)


COUCHE_FOCUS = Couche("Territoire recherché", CONTOUR_FOCUS["color"], CONTOUR_FOCUS["width"])


def legende_classes(
    titre: str,
    classification: Classification,
    couleurs: Sequence[str],
    formater: Callable[[float], str],
    unite_effectif: tuple[str, str],  # (singular, plural): "1 département", "3 départements"
) -> Legende:
    """One line per class, then "sans donnée", then the values left out of the classes by
    `classer(..., exclus=…)` (laureates with inconsistent data), said apart."""
    lignes = [
        LigneLegende(couleur, libelle, effectif_texte(effectif, unite_effectif))
        for couleur, libelle, effectif in zip(
            couleurs, classification.libelles(formater), classification.effectifs, strict=True
        )
    ]
    if classification.sans_donnee:
        sans_donnee = effectif_texte(classification.sans_donnee, unite_effectif)
        lignes.append(LigneLegende(SANS_DONNEE, "sans donnée", sans_donnee))
    exclus = classification.exclus
    if exclus:
        lignes.append(
            LigneLegende(
                INCOHERENT,
                "données incohérentes, hors classes",
                effectif_texte(exclus, unite_effectif),
            )
        )
    return Legende(titre, lignes=tuple(lignes))


def legende_cercles(
    ind: Indicateur, references: Sequence[tuple[float, float]], vue: str | None = None, exact: bool = False
) -> Legende:
    """references: (value, diameter in px) of the round values drawn in the legend; the title is the
    indicator's label in the view (`Pass utilisés sur place`, `Pass expirés (exact)`)."""
    return Legende(
        ind.titre(vue, exact),
        cercles=tuple(Cercle(ind.formater(v), t) for v, t in references),
    )
