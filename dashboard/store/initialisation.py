"""`passnum init`: schema upgrade, reference geography, demo data — idempotent, with progress."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from sqlalchemy import Engine, func, select
from tqdm import tqdm

from dashboard.store import migration, reference
from dashboard.store.schema import Metadonnee, Territoire

Demo = Literal["small", "national", "none"]


class BaseNonInitialisee(RuntimeError):
    """The database schema or the reference data is missing, and it is not ours to create silently."""


@dataclass(frozen=True)
class RapportInit:
    revision: str
    territoires_charges: int
    territoires_total: int
    demo: str


def initialiser(engine: Engine, geo_dir: Path, demo: Demo = "none", progression: bool = True) -> RapportInit:
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
    if demo != "none":
        # The demo generator belongs to the programme-data work (issue 3); say so rather than pretend.
        print(
            f"Données de démonstration « {demo} » : pas encore disponibles dans cette version ; "
            "la base contient la géographie de référence seule.",
            file=sys.stderr,
        )
    with engine.connect() as connection:
        total = connection.scalar(select(func.count()).select_from(Territoire)) or 0
    return RapportInit(migration.head_revision(), charges, total, demo)


def est_pret(engine: Engine, geo_dir: Path) -> bool:
    """Schema at the latest revision and the reference geography of geo_dir loaded (same checksum)."""
    if migration.current_revision(engine) != migration.head_revision():
        return False
    with engine.connect() as connection:
        chargee = connection.scalar(
            select(Metadonnee.valeur).where(Metadonnee.cle == reference.CLE_EMPREINTE)
        )
    return chargee == reference.empreinte(geo_dir / "territoires.csv")


def assurer_pret(engine: Engine, geo_dir: Path, embarquee: bool) -> None:
    """On the embedded SQLite, a fresh checkout initialises itself; elsewhere, ask for `passnum init`."""
    if est_pret(engine, geo_dir):
        return
    if not embarquee:
        raise BaseNonInitialisee(
            "La base de données n'est pas initialisée ou pas à jour : lancez `passnum init`."
        )
    print("Premier démarrage : initialisation de la base embarquée…", file=sys.stderr)
    initialiser(engine, geo_dir, demo="small")


def _barre(active: bool, libelle: str, total: int, unite: str) -> tqdm:
    return tqdm(total=total, desc=libelle, unit=f" {unite}", disable=not active, file=sys.stderr, leave=True)
