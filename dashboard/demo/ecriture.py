"""Import files as a French Excel export writes them: UTF-8 with BOM, `;`, decimal comma, JJ/MM/AAAA."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from dashboard.demo import lieux
from dashboard.demo.references import jour

COLONNES = {
    "laureats": [
        "siren",
        "nom",
        "type",
        "code_territoire",
        "vague",
        "date_convention",
        "budget_total_eur",
        "subvention_etat_eur",
        "subvention_versee_eur",
        "pass_prevus",
    ],
    "syndicats": ["siren_syndicat", "nom_syndicat", "niveau_membre", "code_membre"],
    "commandes": [
        "siren_porteur",
        "date_commande",
        "nb_carnets",
        "pass_par_carnet",
        "valeur_faciale_eur",
        "fin_validite",
    ],
    "distributions": [
        "siren_porteur",
        "date",
        "code_commune",
        "siret_structure",
        "nom_structure",
        "nb_pass",
        "public",
    ],
    "utilisations": [
        "siren_porteur",
        "date",
        "code_commune",
        "siret_lieu",
        "nom_lieu",
        "nb_pass",
        "rembourse",
    ],
    "lieux": lieux.COLONNES,
}
_ORIGINE = jour("2019-01-01")
_CALENDRIER = np.array(
    [np.datetime64(d, "D").item().strftime("%d/%m/%Y") for d in range(_ORIGINE, jour("2025-01-01"))],
    dtype=object,
)


def dates(jours: np.ndarray | pd.Series) -> np.ndarray:
    """Days since 1970-01-01 → "JJ/MM/AAAA" (through a lookup table: a million dates in milliseconds)."""
    rang = np.asarray(jours, dtype=np.int64) - _ORIGINE
    if len(rang) and (rang.min() < 0 or rang.max() >= len(_CALENDRIER)):
        raise ValueError("date hors de la période du programme")
    return _CALENDRIER[rang]


def montants(valeurs: pd.Series) -> list[str]:
    """Amounts with a decimal comma and two decimals; empty cell when unknown."""
    return ["" if pd.isna(v) else f"{v:.2f}".replace(".", ",") for v in valeurs]


def ecrire(table: pd.DataFrame, kind: str, dossier: Path) -> Path:
    chemin = dossier / f"{kind}.csv"
    table[COLONNES[kind]].to_csv(chemin, sep=";", index=False, encoding="utf-8-sig", lineterminator="\r\n")
    return chemin
