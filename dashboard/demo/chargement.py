"""Loading a demo dataset: generated, then imported through the importer exactly like real files (never
mixed with real data); and the first start of the embedded database (schema, reference, small demo)."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, delete, func, select

from dashboard.domain.progression import Progression
from dashboard.domain.vocabulaire import CLE_DATE_DONNEES, CLE_DEMO, ORDRE_IMPORT
from dashboard.store import metadonnees, schema
from dashboard.store.initialisation import RapportInit, initialiser

GRAINE_DEMO = 2019
# Programme data, children first: what a demo dataset may replace.
TABLES_PROGRAMME = (
    schema.ActiviteStructureMensuelle,
    schema.ActiviteSansSiretMensuelle,
    schema.ActiviteMensuelle,
    schema.CommandeMensuelle,
    schema.Utilisation,
    schema.Distribution,
    schema.Commande,
    schema.Structure,
    schema.Lieu,
    schema.Convention,
    schema.Porteur,
    schema.SyndicatMembre,
    schema.Syndicat,
    schema.ImportLot,
)


class DemoImpossible(RuntimeError):
    pass


@dataclass(frozen=True)
class RapportPreparation:
    base: RapportInit
    demo: str
    demo_chargee: bool  # False: none asked, or that dataset was already loaded


def preparer(
    engine: Engine, geo_dir: Path, demo: str, progression: Progression | None = None
) -> RapportPreparation:
    """`passnum init --demo …`: idempotent; a demo dataset never mixes with real data."""
    base = initialiser(engine, geo_dir, progression)
    chargee = demo != "none" and charger_demo(engine, geo_dir, demo, progression)
    return RapportPreparation(base, demo, chargee)


def charger_demo(engine: Engine, geo_dir: Path, scale: str, progression: Progression | None = None) -> bool:
    """Generate the demo files and import them; False when that dataset is already loaded."""
    from dashboard.demo.generateur import generer, lire_territoires
    from dashboard.ingest.chargement import importer

    with engine.begin() as connection:
        actuel = metadonnees.lire(connection, CLE_DEMO)
        if actuel == scale:
            return False
        lots = connection.scalar(select(func.count()).select_from(schema.ImportLot))
        if lots and not actuel:
            raise DemoImpossible(
                "La base contient des données réelles : le jeu de démonstration n'y est pas chargé."
            )
        _vider_programme(connection)  # another demo dataset, or a failed attempt
    with tempfile.TemporaryDirectory(prefix="passnum-demo-") as dossier:
        fichiers = generer(scale, GRAINE_DEMO, Path(dossier), lire_territoires(geo_dir), progression)
        for kind in ORDRE_IMPORT:
            rapport = importer(
                engine,
                kind,
                fichiers[kind],
                progression=_prefixer(progression, kind),
                utilisateur="passnum init",
            )
            if not rapport.accepte:
                with engine.begin() as connection:
                    _vider_programme(connection)
                raise DemoImpossible(f"Le fichier de démonstration {kind} est refusé :\n{rapport.texte()}")
    with engine.begin() as connection:
        metadonnees.ecrire(connection, CLE_DEMO, scale)
    return True


def _prefixer(progression: Progression | None, kind: str) -> Progression | None:
    from dashboard.ingest.chargement import LIBELLES_ETAPES

    if progression is None:
        return None
    return lambda etape, fait, total: progression(
        f"{kind} : {LIBELLES_ETAPES.get(etape, etape)}", fait, total
    )


def _vider_programme(connection) -> None:
    for table in TABLES_PROGRAMME:
        connection.execute(delete(table))
    for cle in (CLE_DEMO, CLE_DATE_DONNEES):
        metadonnees.ecrire(connection, cle, None)


def preparer_embarquee(engine: Engine, geo_dir: Path, progression: Progression | None = None) -> None:
    """A fresh embedded database (the first start of `python app.py`): schema, reference geography, and
    the small demo dataset when it holds no programme data yet."""
    initialiser(engine, geo_dir, progression)
    with engine.connect() as connection:
        vide = not connection.scalar(select(func.count()).select_from(schema.ImportLot))
    if vide:
        charger_demo(engine, geo_dir, "small", progression)
