"""Schema upgrade and reference geography — idempotent, with progress (the demo data:
dashboard.demo.chargement)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, func, select

from dashboard.domain.progression import Progression
from dashboard.domain.vocabulaire import CLE_EMPREINTE_REFERENCE
from dashboard.store import metadonnees, migration, reference
from dashboard.store.schema import Territoire

ETAPE_SCHEMA = "Schéma de la base"


class BaseNonInitialisee(RuntimeError):
    """The database schema or the reference data is missing, and it is not ours to create silently."""

    def __init__(
        self, message: str = "La base de données n'est pas initialisée ou pas à jour : lancez `passnum init`."
    ):
        super().__init__(message)


def exiger_schema(engine: Engine) -> None:
    """Commands that only read or manage accounts never create the schema: `passnum init` does."""
    if migration.current_revision(engine) != migration.head_revision():
        raise BaseNonInitialisee()


@dataclass(frozen=True)
class RapportInit:
    revision: str
    territoires_charges: int
    territoires_total: int


def initialiser(engine: Engine, geo_dir: Path, progression: Progression | None = None) -> RapportInit:
    fichier = geo_dir / "territoires.csv"
    if not fichier.exists():
        raise FileNotFoundError(
            f"Géographie de référence introuvable : {fichier}. Régénérez-la avec `passnum geo build`."
        )
    avancer = progression or (lambda _etape, _fait, _total: None)
    avancer(ETAPE_SCHEMA, 0, 1)
    migration.upgrade(engine)
    avancer(ETAPE_SCHEMA, 1, 1)
    with engine.begin() as connection:
        charges = reference.charger_territoires(connection, fichier, progression)
    with engine.connect() as connection:
        total = connection.scalar(select(func.count()).select_from(Territoire)) or 0
    if charges == 0:
        avancer(reference.ETAPE, total, total)  # already loaded: the step is complete
    return RapportInit(migration.head_revision(), charges, total)


def est_pret(engine: Engine, geo_dir: Path) -> bool:
    """Schema at the latest revision and the reference geography of geo_dir loaded (same checksum)."""
    if migration.current_revision(engine) != migration.head_revision():
        return False
    with engine.connect() as connection:
        chargee = metadonnees.lire(connection, CLE_EMPREINTE_REFERENCE)
    return chargee == reference.empreinte(geo_dir / "territoires.csv")
