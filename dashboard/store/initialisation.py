"""Schema upgrade and reference geography — idempotent, with progress (the demo data: dashboard.demarrage)."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, func, select
from tqdm import tqdm

from dashboard.store import migration, reference
from dashboard.store.schema import Metadonnee, Territoire


class BaseNonInitialisee(RuntimeError):
    """The database schema or the reference data is missing, and it is not ours to create silently."""


@dataclass(frozen=True)
class RapportInit:
    revision: str
    territoires_charges: int
    territoires_total: int


def initialiser(engine: Engine, geo_dir: Path, progression: bool = True) -> RapportInit:
    fichier = geo_dir / "territoires.csv"
    if not fichier.exists():
        raise FileNotFoundError(
            f"Géographie de référence introuvable : {fichier}. Régénérez-la avec `passnum geo build`."
        )
    with _barre(progression, "Schéma de la base", 1, "étape") as barre:
        migration.upgrade(engine)
        barre.update(1)
    nb_lignes = sum(1 for _ in fichier.open(encoding="utf-8")) - 1
    with (
        _barre(progression, "Géographie de référence", nb_lignes, "territoire") as barre,
        engine.begin() as connection,
    ):
        charges = reference.charger_territoires(connection, fichier, barre.update)
        if charges == 0:
            barre.update(nb_lignes)  # already loaded: the step is complete
    with engine.connect() as connection:
        total = connection.scalar(select(func.count()).select_from(Territoire)) or 0
    return RapportInit(migration.head_revision(), charges, total)


def est_pret(engine: Engine, geo_dir: Path) -> bool:
    """Schema at the latest revision and the reference geography of geo_dir loaded (same checksum)."""
    if migration.current_revision(engine) != migration.head_revision():
        return False
    with engine.connect() as connection:
        chargee = connection.scalar(
            select(Metadonnee.valeur).where(Metadonnee.cle == reference.CLE_EMPREINTE)
        )
    return chargee == reference.empreinte(geo_dir / "territoires.csv")


def _barre(active: bool, libelle: str, total: int, unite: str) -> tqdm:
    return tqdm(total=total, desc=libelle, unit=f" {unite}", disable=not active, file=sys.stderr, leave=True)
