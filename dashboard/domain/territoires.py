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

# data/geo/codes_communes.csv: every commune code of any vintage and the current commune it stands for.
COLONNES_CODES_COMMUNES = ("code", "nature", "code_actuel", "nom", "siren", "codes_postaux")
NATURES_CODES = ("actuelle", "ancienne", "deleguee", "associee", "arrondissement")
