"""The demo's list of lieux de médiation numérique, written in the national standard v0.2 (`lieux.csv`).

Fictitious like the rest: most of the places where the demo's passes are redeemed are listed (some as
accepting the Pass, by the « Pass numérique » programme or the APTIC label, some without a word of it),
a few are missing from the list, and other places of the same départements are added, most of which do
not accept the Pass. Every line says it is demo data (`source`), has fictitious SIRETs (SIREN "94…") and
addresses, and today's INSEE code with the commune's first postcode.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.demo.identifiants import siren_fictif, siret_fictif
from dashboard.demo.references import Entrees
from dashboard.demo.reseau import de_commune
from dashboard.settings import ROOT

# The v0.2 columns written (the standard's order; the other columns of the standard stay empty).
COLONNES = [
    "id",
    "pivot",
    "nom",
    "commune",
    "code_postal",
    "code_insee",
    "adresse",
    "latitude",
    "longitude",
    "source",
    "itinerance",
    "date_maj",
    "services",
    "frais_a_charge",
    "dispositif_programmes_nationaux",
    "formations_labels",
    "modalites_acces",
    "modalites_accompagnement",
]
SOURCE = "Jeu de démonstration — données fictives"
PART_LISTES = 0.9  # of the redemption places, those in the list
PART_ACCEPTANT = 0.85  # of the listed redemption places, those saying they accept the Pass
PART_APTIC = 0.35  # of those, by the APTIC label (else by the programme)
AUTRES_PAR_LIEU = 0.6  # other places per redemption place
PART_AUTRES_ACCEPTANT = 0.2
# code (family of the fictitious SIREN "94x…"), name pattern, minimum population of the commune
AUTRES = (
    (0, "France Services {}", 2_000),
    (1, "Bibliothèque {de}", 1_000),
    (2, "Maison de quartier {de}", 10_000),
    (3, "Point numérique {de}", 0),
)
GRATUIT = "Gratuit : Je peux accéder gratuitement au lieu et à ses services"
SOUS_CONDITION = (
    "Gratuit sous condition : La gratuité est conditionnée à des critères (adhésion, situation familiale, "
    "convention avec un organisme social, pass numériques…)"
)
DATES = ("2023-09-15", "2023-10-02", "2023-11-20", "2023-12-01")


def _codes_postaux() -> pd.Series:
    """The first postcode of each current commune (data/geo/codes_communes.csv), by INSEE code."""
    chemin = ROOT / "data" / "geo" / "codes_communes.csv"
    if not chemin.is_file():
        return pd.Series(dtype=object)
    codes = pd.read_csv(chemin, dtype=str, keep_default_na=False, usecols=["code", "nature", "codes_postaux"])
    codes = codes[codes["nature"] == "actuelle"]
    return codes.set_index("code")["codes_postaux"].str.split(";").str[0]


def liste_des_lieux(lieux: pd.DataFrame, entrees: Entrees, seed: int) -> pd.DataFrame:
    """`lieux`: the redemption places (siret, nom, code_commune); the list as text cells, in COLONNES."""
    rng = np.random.default_rng([seed, 16])
    listes = rng.random(len(lieux)) < PART_LISTES
    acceptant = rng.random(len(lieux)) < PART_ACCEPTANT
    aptic = rng.random(len(lieux)) < PART_APTIC
    utilisation = pd.DataFrame(
        {
            "id": [f"demo-lieu-{i:05d}" for i in range(len(lieux))],
            "pivot": lieux["siret"].to_numpy(),
            "nom": lieux["nom"].to_numpy(),
            "code_insee": lieux["code_commune"].to_numpy(),
            "pass": np.where(acceptant, np.where(aptic, "aptic", "programme"), ""),
        }
    )[listes]
    autres = _autres(rng, lieux, entrees)
    table = pd.concat([utilisation, autres], ignore_index=True)
    return _cellules(rng, table, entrees)


def _autres(rng: np.random.Generator, lieux: pd.DataFrame, entrees: Entrees) -> pd.DataFrame:
    """Other places, in communes of the départements of the redemption places, drawn by population."""
    communes = entrees.communes
    departements = set(communes.loc[communes["code"].isin(lieux["code_commune"]), "code_departement"])
    candidates = communes[communes["code_departement"].isin(departements)].reset_index()
    n = round(len(lieux) * AUTRES_PAR_LIEU)
    if candidates.empty or n == 0:
        return pd.DataFrame(columns=["id", "pivot", "nom", "code_insee", "pass"])
    poids = np.maximum(candidates["population"].to_numpy(), 50).astype(float)
    tires = rng.choice(len(candidates), size=n, p=poids / poids.sum())
    population = candidates["population"].to_numpy()[tires]
    especes = np.array(
        [rng.choice([a[0] for a in AUTRES if p >= a[2]]) for p in population.tolist()], dtype=np.int64
    )
    paires = np.unique(np.stack([especes, tires], axis=1), axis=0)  # one place per kind and commune
    especes, tires = paires[:, 0], paires[:, 1]
    lignes = candidates["index"].to_numpy()[tires]  # rows of entrees.communes: a stable SIREN body
    sirens = np.empty(len(especes), dtype=object)
    for espece in np.unique(especes):
        dans = especes == espece
        sirens[dans] = siren_fictif(f"94{espece}", lignes[dans])
    noms = candidates["nom"].to_numpy()[tires]
    acceptant = rng.random(len(especes)) < PART_AUTRES_ACCEPTANT
    return pd.DataFrame(
        {
            "id": [f"demo-autre-{k:05d}" for k in range(len(especes))],
            "pivot": siret_fictif(sirens),
            "nom": [AUTRES[e][1].format(n, de=de_commune(n)) for e, n in zip(especes, noms, strict=True)],
            "code_insee": candidates["code"].to_numpy()[tires],
            "pass": np.where(acceptant, "programme", ""),
        }
    )


def _cellules(rng: np.random.Generator, table: pd.DataFrame, entrees: Entrees) -> pd.DataFrame:
    noms_communes = entrees.communes.set_index("code")["nom"]
    n = len(table)
    programme, aptic = table["pass"].eq("programme"), table["pass"].eq("aptic")
    conseillers = rng.random(n) < 0.5
    dispositifs = np.where(conseillers, "Conseillers numériques", "")
    dispositifs = np.where(
        programme,
        np.where(conseillers, "Conseillers numériques;Pass numérique", "Pass numérique"),
        dispositifs,
    )
    return pd.DataFrame(
        {
            "id": table["id"],
            "pivot": table["pivot"],
            "nom": table["nom"],
            "commune": table["code_insee"].map(noms_communes).to_numpy(),
            "code_postal": table["code_insee"].map(_codes_postaux()).fillna("").to_numpy(),
            "code_insee": table["code_insee"],
            "adresse": [f"{1 + i % 40} rue de la Démonstration" for i in range(n)],
            "latitude": "",
            "longitude": "",
            "source": SOURCE,
            "itinerance": "Fixe",
            "date_maj": np.array(DATES)[rng.integers(0, len(DATES), n)],
            "services": "Maîtrise des outils numériques du quotidien;Aide aux démarches administratives",
            "frais_a_charge": np.where(rng.random(n) < 0.3, SOUS_CONDITION, GRATUIT),
            "dispositif_programmes_nationaux": dispositifs,
            "formations_labels": np.where(aptic, "APTIC", ""),
            "modalites_acces": "Se présenter;Téléphoner",
            "modalites_accompagnement": "Accompagnement individuel",
        }
    )[COLONNES]
