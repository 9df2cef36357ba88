"""Committed inputs of the demo (data/demo) and the programme constants the demo is shaped by."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from dashboard.settings import ROOT

DOSSIER_DEMO = ROOT / "data" / "demo"

JOUR = np.timedelta64(1, "D")
DATE_DONNEES = np.datetime64("2023-12-31")
"""The operator was liquidated on 16 Jan 2024: the demo's data stop at the end of 2023."""
DEBUT_PROGRAMME = np.datetime64("2019-01-01")
DERNIERE_COMMANDE = np.datetime64("2022-12-31")
"""Passes are valid to 31/12 of the year after the order: a 2023 order would expire after the data date."""

VALEUR_FACIALE = 10.0
TAUX_ETAT_2020 = 0.5
PLAFOND_SUBVENTION_2019 = 1_200_000
PLAFOND_BUDGET_2020 = 3_000_000
ACHAT_MINIMUM_2020 = 20_000

PUBLICS = ("demandeurs d'emploi", "jeunes 16-25 ans", "seniors", "allocataires CAF", "tout public")


def jour(texte: str) -> int:
    """A calendar date as days since 1970-01-01 (the integer form all event dates use)."""
    return int(np.datetime64(texte, "D").astype(np.int64))


@dataclass(frozen=True)
class Entrees:
    """Everything the generator reads besides the seed."""

    communes: pd.DataFrame  # code, nom, population, code_departement, code_region, code_epci (row = index)
    territoires: pd.DataFrame
    collectivites: pd.DataFrame  # niveau, code, nom, siren (fictitious SIRENs)
    syndicats: pd.DataFrame  # siren, nom, vague_demo, niveau_membre, code_membre
    verifies: pd.DataFrame  # data/demo/laureats_verifies.csv as published


def lire_entrees(territoires: pd.DataFrame, dossier: Path = DOSSIER_DEMO) -> Entrees:
    communes = territoires[territoires["niveau"] == "commune"].sort_values("code", ignore_index=True)
    communes = communes[["code", "nom", "population", "code_departement", "code_region", "code_epci"]].copy()
    communes["population"] = pd.to_numeric(communes["population"]).fillna(0).astype(np.int64)
    lire = lambda nom: pd.read_csv(dossier / nom, dtype=str, keep_default_na=False)  # noqa: E731
    return Entrees(
        communes=communes,
        territoires=territoires,
        collectivites=lire("collectivites.csv"),
        syndicats=lire("syndicats_mixtes.csv"),
        verifies=lire("laureats_verifies.csv"),
    )
