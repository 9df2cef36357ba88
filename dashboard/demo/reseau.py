"""The laureate's perimeter and its local network: distributing structures and mediation places.

Structures and places are fictitious establishments named after a real commune of the perimeter
("CCAS de Rodez"); one (kind, commune) pair is one establishment, shared by overlapping laureates.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from dashboard.demo.identifiants import siren_fictif, siret_fictif
from dashboard.demo.references import Entrees

# code (2 digits, part of the fictitious SIREN), name pattern, minimum population, weight,
# share of carnets by public (order of PUBLICS), laureate types allowed (None = all)
STRUCTURES = (
    (10, "France Services {}", 1_000, 3.0, (0.25, 0.1, 0.2, 0.15, 0.3), None),
    (11, "CCAS {de}", 1_500, 3.0, (0.1, 0.05, 0.45, 0.15, 0.25), None),
    (12, "Mission locale {de}", 10_000, 2.0, (0.1, 0.9, 0.0, 0.0, 0.0), None),
    (13, "CAF, point d'accueil {de}", 15_000, 1.5, (0.05, 0.05, 0.0, 0.85, 0.05), None),
    (14, "Pôle emploi {}", 10_000, 2.0, (0.8, 0.2, 0.0, 0.0, 0.0), None),
    (
        15,
        "Maison départementale des solidarités {de}",
        3_000,
        2.5,
        (0.2, 0.1, 0.2, 0.3, 0.2),
        ("CD", "CR", "SM"),
    ),
    (16, "Association Le Lien numérique {de}", 0, 1.0, (0.2, 0.1, 0.3, 0.0, 0.4), None),
    (17, "Mairie {de}", 0, 1.0, (0.0, 0.0, 0.4, 0.0, 0.6), None),
)
LIEUX = (
    (30, "Espace public numérique {de}", 0, 3.0, None),
    (31, "Médiathèque {de}", 2_000, 3.0, None),
    (32, "Tiers-lieu numérique {de}", 5_000, 1.5, None),
    (33, "Centre social {de}", 8_000, 2.0, None),
    (34, "Fablab {de}", 30_000, 1.0, None),
)
PUBLICS_CUMULES = np.cumsum(np.array([s[4] for s in STRUCTURES]), axis=1)


def de_commune(nom: str) -> str:
    """ "de Rodez", "d'Albi", "du Havre", "des Mureaux", "de La Rochelle"."""
    if nom.startswith("Le "):
        return "du " + nom[3:]
    if nom.startswith("Les "):
        return "des " + nom[4:]
    return ("d'" if nom[0] in "AEIOUYÉÈÊÎÔÂ" else "de ") + nom


def perimetre(c: pd.Series, entrees: Entrees) -> np.ndarray:
    """Row indices (in entrees.communes) of the communes inside a laureate's perimeter."""
    communes = entrees.communes
    if c["perimetre"]:
        masque = communes["code"].isin(c["perimetre"])
    elif c["type"] == "CR":
        masque = communes["code_region"] == c["code_territoire"]
    elif c["type"] == "CD":
        masque = communes["code_departement"] == c["code_territoire"]
    elif c["type"] == "EPCI":
        masque = communes["code_epci"] == c["code_territoire"]
    else:
        membres = entrees.syndicats[entrees.syndicats["siren"] == c["siren"]]
        masque = np.zeros(len(communes), dtype=bool)
        for niveau, colonne in (
            ("departement", "code_departement"),
            ("epci", "code_epci"),
            ("commune", "code"),
        ):
            masque |= communes[colonne].isin(membres.loc[membres["niveau_membre"] == niveau, "code_membre"])
    return np.flatnonzero(np.asarray(masque))


@dataclass
class Catalogue:
    """Every establishment used so far, keyed by (kind, commune row): ids are stable within one run."""

    ids: dict[tuple[int, int], int] = field(default_factory=dict)
    especes: list[int] = field(default_factory=list)
    communes: list[int] = field(default_factory=list)

    def identifiants(self, especes: np.ndarray, communes: np.ndarray) -> np.ndarray:
        sortie = np.empty(len(especes), dtype=np.int64)
        for i, cle in enumerate(zip(especes.tolist(), communes.tolist(), strict=True)):
            if cle not in self.ids:
                self.ids[cle] = len(self.especes)
                self.especes.append(cle[0])
                self.communes.append(cle[1])
            sortie[i] = self.ids[cle]
        return sortie

    def table(self, entrees: Entrees, modeles: dict[int, str]) -> pd.DataFrame:
        """siret, nom, code_commune of every establishment, indexed by id."""
        especes, lignes = np.array(self.especes, dtype=np.int64), np.array(self.communes, dtype=np.int64)
        # Fictitious SIREN "9" + kind + commune row number: unique per establishment, never a collectivité's.
        sirens = np.empty(len(especes), dtype=object)
        for espece in np.unique(especes):
            dans = especes == espece
            sirens[dans] = siren_fictif(f"9{espece}", lignes[dans])
        noms_communes = entrees.communes["nom"].to_numpy()[lignes]
        noms = [modeles[e].format(n, de=de_commune(n)) for e, n in zip(especes, noms_communes, strict=True)]
        return pd.DataFrame(
            {
                "siret": siret_fictif(sirens),
                "nom": noms,
                "code_commune": entrees.communes["code"].to_numpy()[lignes],
            }
        )


@dataclass
class Reseau:
    """One laureate's establishments (positions in the catalogues) and how carnets flow through them."""

    structures: np.ndarray  # catalogue ids
    especes: np.ndarray  # row in STRUCTURES
    poids_structures: np.ndarray  # probabilities (sum 1)
    lieux: np.ndarray  # catalogue ids
    poids_lieux: np.ndarray
    lieu_proche: np.ndarray  # for each structure, the position (in `lieux`) of a place near it


def _etablissements(rng, communes_idx, population, n, modeles, type_laureat):
    """n draws of (kind row, commune row): communes by population, kinds allowed by the commune's size."""
    poids_communes = np.maximum(population[communes_idx], 50).astype(float)
    tires = communes_idx[rng.choice(len(communes_idx), size=n, p=poids_communes / poids_communes.sum())]
    pop = population[tires]
    minima = np.array([m[2] for m in modeles])
    autorises = np.array([m[-1] is None or type_laureat in m[-1] for m in modeles], dtype=float)
    poids = (pop[:, None] >= minima[None, :]) * np.array([m[3] for m in modeles]) * autorises
    cumul = np.cumsum(poids / poids.sum(axis=1, keepdims=True), axis=1)
    rangs = (rng.random(n)[:, None] > cumul).sum(axis=1)
    paires = np.unique(np.stack([rangs, tires], axis=1), axis=0)
    return paires[:, 0], paires[:, 1]


def _lieux_proches(rng, communes_s, communes_l, epci) -> np.ndarray:
    """A place in the structure's commune, else in its EPCI, else anywhere in the perimeter."""
    proches = np.empty(len(communes_s), dtype=np.int64)
    par_commune: dict[int, list[int]] = {}
    par_epci: dict[str, list[int]] = {}
    for j, commune in enumerate(communes_l.tolist()):
        par_commune.setdefault(commune, []).append(j)
        par_epci.setdefault(epci[commune], []).append(j)
    for i, commune in enumerate(communes_s.tolist()):
        candidats = par_commune.get(commune) or par_epci.get(epci[commune]) or range(len(communes_l))
        proches[i] = candidats[int(rng.integers(len(candidats)))]
    return proches


def reseau(
    rng,
    c,
    entrees: Entrees,
    cat_structures: Catalogue,
    cat_lieux: Catalogue,
    pass_par_etab,
    plafonds: tuple[int, int] = (600, 400),
) -> Reseau:
    """Draw the laureate's network; sizes grow with the passes ordered (pass_par_etab = (structure, lieu)),
    up to `plafonds` draws (structure, lieu)."""
    communes_idx = perimetre(c, entrees)
    population = entrees.communes["population"].to_numpy()
    epci = entrees.communes["code_epci"].to_numpy()
    volume = max(c["pass_prevus"], 1)
    n_s = int(np.clip(round(volume / pass_par_etab[0]), 3, plafonds[0]))
    n_l = int(np.clip(round(volume / pass_par_etab[1]), 2, plafonds[1]))
    esp_s, com_s = _etablissements(rng, communes_idx, population, n_s, STRUCTURES, c["type"])
    esp_l, com_l = _etablissements(rng, communes_idx, population, n_l, LIEUX, c["type"])
    poids_s = np.array([STRUCTURES[e][3] for e in esp_s]) * np.sqrt(population[com_s] + 100.0)
    poids_s *= rng.lognormal(0, 0.6, len(esp_s))
    poids_l = np.array([LIEUX[e][3] for e in esp_l]) * np.sqrt(population[com_l] + 100.0)
    poids_l *= rng.lognormal(0, 0.6, len(esp_l))
    codes_s = np.array([s[0] for s in STRUCTURES])[esp_s]
    codes_l = np.array([s[0] for s in LIEUX])[esp_l]
    return Reseau(
        structures=cat_structures.identifiants(codes_s, com_s),
        especes=esp_s,
        poids_structures=poids_s / poids_s.sum(),
        lieux=cat_lieux.identifiants(codes_l, com_l),
        poids_lieux=poids_l / poids_l.sum(),
        lieu_proche=_lieux_proches(rng, com_s, com_l, epci),
    )
