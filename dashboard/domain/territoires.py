"""The reference geography's table (data/geo/territoires.csv): its columns, written by the geometry build
and read by the store."""

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
