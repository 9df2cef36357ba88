"""`passnum import KIND FILE [--dry-run] [--remplacer]`: the report on stdout, progress on stderr."""

from __future__ import annotations

import getpass
import sys

from dashboard.ingest.chargement import importer
from dashboard.progression import BarresProgression
from dashboard.settings import Settings
from dashboard.store import migration
from dashboard.store.db import make_engine

LIBELLES = {
    "lecture": "Lecture du fichier",
    "validation": "Validation",
    "chargement": "Chargement",
    "agrégats": "Agrégats mensuels",
}


def utilisateur_os() -> str | None:
    """The journal records who ran the command line: the operating-system account."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return None


def executer_import(args, settings: Settings) -> int:
    if not args.fichier.is_file():
        print(f"Erreur : fichier introuvable : {args.fichier}", file=sys.stderr)
        return 2
    engine = make_engine(settings.resolved_database_url)
    try:
        if migration.current_revision(engine) is None:
            print("Erreur : la base n'est pas initialisée : lancez d'abord `passnum init`.", file=sys.stderr)
            return 2
        barre = BarresProgression(LIBELLES, active=not args.silencieux)
        try:
            rapport = importer(
                engine,
                args.kind,
                args.fichier,
                dry_run=args.dry_run,
                remplacer=args.remplacer,
                utilisateur=utilisateur_os(),
                progression=barre,
            )
        finally:
            barre.fermer()
    finally:
        engine.dispose()
    print(rapport.texte())
    return 0 if rapport.accepte else 2
