"""Territorial levels of the reference geography."""

from __future__ import annotations

from enum import StrEnum


class Niveau(StrEnum):
    REGION = "region"
    DEPARTEMENT = "departement"
    EPCI = "epci"
    COMMUNE = "commune"

    @property
    def libelle(self) -> str:
        return _LIBELLES[self][0]

    @property
    def libelle_pluriel(self) -> str:
        return _LIBELLES[self][1]


_LIBELLES = {
    Niveau.REGION: ("région", "régions"),
    Niveau.DEPARTEMENT: ("département", "départements"),
    Niveau.EPCI: ("EPCI", "EPCI"),
    Niveau.COMMUNE: ("commune", "communes"),
}

COLONNES_TERRITOIRES = (
    "niveau",
    "code",
    "nom",
    "nature",
    "code_region",
    "code_departement",
    "code_epci",
    "population",
    "superficie_km2",
    "millesime",
)
"""The columns of data/geo/territoires.csv: written by the geometry build, read by the store."""
"""Levels drawn on the map (communes are used for aggregation only)."""

DROM = {
    "971": "Guadeloupe",
    "972": "Martinique",
    "973": "Guyane",
    "974": "La Réunion",
    "976": "Mayotte",
}


TYPES_LAUREAT = {
    "CR": ("conseil régional", "conseils régionaux"),
    "CD": ("conseil départemental", "conseils départementaux"),
    "EPCI": ("EPCI", "EPCI"),
    "SM": ("syndicat mixte", "syndicats mixtes"),
}
"""French labels (singular, plural) of the laureate types."""


def libelle_type(type_: str, pluriel: bool = True, majuscule: bool = False) -> str:
    texte = TYPES_LAUREAT[type_][1 if pluriel else 0]
    return texte[0].upper() + texte[1:] if majuscule else texte
