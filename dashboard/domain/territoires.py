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

# Région codes before the reform of 1 January 2016 (law of 16 January 2015) → the région that absorbed
# them; the other codes (11, 24, 52, 53, 93, 94 and overseas) did not change.
REGIONS_AVANT_2016 = {
    "21": "44",  # Champagne-Ardenne → Grand Est
    "41": "44",  # Lorraine
    "42": "44",  # Alsace
    "22": "32",  # Picardie → Hauts-de-France
    "31": "32",  # Nord-Pas-de-Calais
    "23": "28",  # Haute-Normandie → Normandie
    "25": "28",  # Basse-Normandie
    "26": "27",  # Bourgogne → Bourgogne-Franche-Comté
    "43": "27",  # Franche-Comté
    "54": "75",  # Poitou-Charentes → Nouvelle-Aquitaine
    "72": "75",  # Aquitaine
    "74": "75",  # Limousin
    "73": "76",  # Midi-Pyrénées → Occitanie
    "91": "76",  # Languedoc-Roussillon
    "82": "84",  # Rhône-Alpes → Auvergne-Rhône-Alpes
    "83": "84",  # Auvergne
}
