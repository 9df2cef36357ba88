"""Loading the reference geography (data/geo/territoires.csv) into the `territoire` table, and the commune
codes of every vintage (data/geo/codes_communes.csv) into `code_commune`."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
from sqlalchemy import Connection, delete, insert

from dashboard.domain.progression import Progression
from dashboard.domain.territoires import COLONNES_CODES_COMMUNES, COLONNES_TERRITOIRES
from dashboard.domain.vocabulaire import CLE_EMPREINTE_REFERENCE
from dashboard.store import metadonnees
from dashboard.store.schema import CodeCommune, Territoire

ETAPE = "Géographie de référence"
COLONNES = list(COLONNES_TERRITOIRES)
TAILLE_LOT = 5_000


def lire_territoires(chemin: Path) -> pd.DataFrame:
    df = pd.read_csv(chemin, dtype=str, keep_default_na=False, encoding="utf-8")
    manquantes = set(COLONNES) - set(df.columns)
    if manquantes:
        raise ValueError(f"{chemin.name} : colonnes manquantes {sorted(manquantes)}")
    df = df[COLONNES].replace({"": None})
    df["population"] = pd.to_numeric(df["population"]).astype("Int64")
    df["superficie_km2"] = pd.to_numeric(df["superficie_km2"])
    df["millesime"] = pd.to_numeric(df["millesime"]).astype(int)
    return df


FICHIER_CODES = "codes_communes.csv"


def lire_codes(chemin: Path) -> pd.DataFrame:
    df = pd.read_csv(chemin, dtype=str, keep_default_na=False, encoding="utf-8")
    manquantes = set(COLONNES_CODES_COMMUNES) - set(df.columns)
    if manquantes:
        raise ValueError(f"{chemin.name} : colonnes manquantes {sorted(manquantes)}")
    return df[list(COLONNES_CODES_COMMUNES)].replace({"": None})


def empreinte(chemin: Path) -> str:
    """The checksum of territoires.csv and, beside it, codes_communes.csv: either changing reloads both."""
    somme = hashlib.sha256(chemin.read_bytes())
    codes = chemin.with_name(FICHIER_CODES)
    if codes.exists():
        somme.update(codes.read_bytes())
    return somme.hexdigest()


def charger_territoires(connection: Connection, chemin: Path, progression: Progression | None = None) -> int:
    """Replace the reference territories when the file changed; return the number of rows written
    (0 when the loaded reference is already this file). Runs inside the caller's transaction."""
    signature = empreinte(chemin)
    if metadonnees.lire(connection, CLE_EMPREINTE_REFERENCE) == signature:
        return 0
    lignes = [
        {k: (None if pd.isna(v) else v) for k, v in ligne.items()}
        for ligne in lire_territoires(chemin).to_dict("records")
    ]
    connection.execute(delete(Territoire))
    for debut in range(0, len(lignes), TAILLE_LOT):
        lot = lignes[debut : debut + TAILLE_LOT]
        connection.execute(insert(Territoire), lot)
        if progression:
            progression(ETAPE, debut + len(lot), len(lignes))
    _charger_codes(connection, chemin.with_name(FICHIER_CODES))
    metadonnees.ecrire(connection, CLE_EMPREINTE_REFERENCE, signature)
    return len(lignes)


def _charger_codes(connection: Connection, chemin: Path) -> None:
    connection.execute(delete(CodeCommune))
    if not chemin.exists():  # an older geography: current codes only, from the territories
        return
    lignes = [
        {k: (None if pd.isna(v) else v) for k, v in ligne.items()}
        for ligne in lire_codes(chemin).to_dict("records")
    ]
    for debut in range(0, len(lignes), TAILLE_LOT):
        connection.execute(insert(CodeCommune), lignes[debut : debut + TAILLE_LOT])
