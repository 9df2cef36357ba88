"""`passnum init [--demo small|national|x10|none]`: schema (Alembic), reference geography, then the demo
dataset, generated and imported like real files; idempotent; a demo never mixes with real data."""

from __future__ import annotations

import argparse

from dashboard.domain.vocabulaire import ECHELLES_DEMO
from dashboard.settings import Settings


def ajouter(sous) -> None:
    init = sous.add_parser(
        "init", help="créer ou mettre à jour la base et charger la géographie de référence"
    )
    init.add_argument(
        "--demo",
        choices=[*ECHELLES_DEMO, "none"],
        default="small",
        help="jeu de démonstration à charger (défaut : small)",
    )
    init.add_argument("--silencieux", action="store_true", help="sans barre de progression")
    init.set_defaults(executer=executer)


def executer(args: argparse.Namespace, settings: Settings) -> int:
    from dashboard.cli.progression import BarresProgression
    from dashboard.demo.chargement import preparer
    from dashboard.store.db import make_engine

    engine = make_engine(settings.resolved_database_url)
    with BarresProgression(active=not args.silencieux) as barres:
        rapport = preparer(engine, settings.geo_dir, args.demo, None if args.silencieux else barres)
    base = rapport.base
    etat = f"{base.territoires_charges} chargés" if base.territoires_charges else "déjà à jour"
    print(
        f"Base prête (révision {base.revision}) : {base.territoires_total} territoires de référence ({etat})."
    )
    if rapport.demo != "none":
        quoi = "chargé" if rapport.demo_chargee else "déjà chargé"
        print(f"Jeu de démonstration « {rapport.demo} » (données fictives) : {quoi}.")
    if rapport.sauvegarde is not None:
        print(f"Sauvegarde automatique du jeu remplacé : {rapport.sauvegarde}")
    return 0
