"""`passnum import KIND FICHIER [--dry-run] [--remplacer]`: the report on stdout, progress on stderr; exit 0
when loaded (or valid, with --dry-run), 2 when refused, nothing written."""

from __future__ import annotations

import argparse
import sys

from dashboard.cli.chemins import chemin, utilisateur_os
from dashboard.domain.vocabulaire import KINDS
from dashboard.settings import Settings


def ajouter(sous) -> None:
    imp = sous.add_parser("import", help="importer un fichier (CSV ou XLSX) après validation complète")
    imp.add_argument("kind", metavar="KIND", choices=list(KINDS), help="|".join(KINDS))
    imp.add_argument("fichier", type=chemin, metavar="FICHIER")
    imp.add_argument("--dry-run", action="store_true", help="valider seulement, ne rien écrire")
    imp.add_argument("--remplacer", action="store_true", help="remplacer un fichier déjà importé")
    imp.add_argument("--silencieux", action="store_true", help="sans barre de progression")
    imp.set_defaults(executer=executer)


def executer(args: argparse.Namespace, settings: Settings) -> int:
    from dashboard.cli.progression import BarresProgression
    from dashboard.ingest.chargement import LIBELLES_ETAPES, importer
    from dashboard.ingest.lecture import Limites
    from dashboard.store import migration
    from dashboard.store.db import make_engine

    if not args.fichier.is_file():
        print(f"Erreur : fichier introuvable : {args.fichier}", file=sys.stderr)
        return 2
    engine = make_engine(settings.resolved_database_url)
    try:
        if migration.current_revision(engine) is None:
            print("Erreur : la base n'est pas initialisée : lancez d'abord `passnum init`.", file=sys.stderr)
            return 2
        with BarresProgression(LIBELLES_ETAPES, active=not args.silencieux) as barres:
            rapport = importer(
                engine,
                args.kind,
                args.fichier,
                dry_run=args.dry_run,
                remplacer=args.remplacer,
                utilisateur=utilisateur_os(),
                progression=barres,
                limites=Limites.depuis(settings),
            )
    finally:
        engine.dispose()
    print(rapport.texte())
    return 0 if rapport.accepte else 2
