"""Getting a database ready: schema + reference geography (store), then the demo dataset, generated and
loaded through the importer exactly like real files (`passnum init`, and the first start of app.py)."""

from __future__ import annotations

import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from sqlalchemy import Engine, delete, func, select

from dashboard.progression import Progression
from dashboard.store import metadonnees, schema
from dashboard.store.initialisation import BaseNonInitialisee, RapportInit, est_pret, initialiser

Demo = Literal["small", "national", "none"]
ORDRE_IMPORT = ("syndicats", "laureats", "commandes", "distributions", "utilisations")
GRAINE_DEMO = 2019
# Programme data, children first: what a demo dataset may replace.
TABLES_PROGRAMME = (
    schema.ActiviteStructureMensuelle,
    schema.ActiviteMensuelle,
    schema.CommandeMensuelle,
    schema.Utilisation,
    schema.Distribution,
    schema.Commande,
    schema.Structure,
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
    engine: Engine, geo_dir: Path, demo: Demo, progression: Progression | None = None
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
        actuel = metadonnees.lire(connection, metadonnees.CLE_DEMO)
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
        metadonnees.ecrire(connection, metadonnees.CLE_DEMO, scale)
    return True


def _prefixer(progression: Progression | None, kind: str) -> Progression | None:
    from dashboard.ingest.commande import LIBELLES

    if progression is None:
        return None
    return lambda etape, fait, total: progression(f"{kind} : {LIBELLES.get(etape, etape)}", fait, total)


def _vider_programme(connection) -> None:
    for table in TABLES_PROGRAMME:
        connection.execute(delete(table))
    for cle in (metadonnees.CLE_DEMO, metadonnees.CLE_DATE):
        metadonnees.ecrire(connection, cle, None)


def assurer_pret(engine: Engine, geo_dir: Path, embarquee: bool) -> None:
    """On the embedded SQLite a fresh checkout initialises itself (with the small demo when it holds no
    programme data yet); elsewhere the operator runs `passnum init`."""
    if est_pret(engine, geo_dir):
        return
    if not embarquee:
        raise BaseNonInitialisee()
    print("Premier démarrage : initialisation de la base embarquée…", file=sys.stderr)
    from dashboard.progression import BarresProgression

    with BarresProgression() as barres:
        initialiser(engine, geo_dir, barres)
        with engine.connect() as connection:
            vide = not connection.scalar(select(func.count()).select_from(schema.ImportLot))
        if vide:
            charger_demo(engine, geo_dir, "small", barres)
