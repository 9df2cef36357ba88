"""The `passnum` command."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from dashboard.settings import Settings


def _init(args: argparse.Namespace, settings: Settings) -> int:
    from dashboard.demarrage import preparer
    from dashboard.progression import BarresProgression
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
    return 0


def _geo_build(args: argparse.Namespace, settings: Settings) -> int:
    try:
        from dashboard.geo.build import build
    except ImportError as exc:
        print(
            f"Les outils géographiques ne sont pas installés ({exc.name}) : "
            'installez-les avec `pip install -e ".[geo]"`.',
            file=sys.stderr,
        )
        return 2
    sortie = args.out or settings.geo_dir
    manifest = build(
        sortie, etalab_tarball=args.etalab, progress=lambda message: print(message, file=sys.stderr)
    )
    fichiers = ", ".join(manifest["fichiers"].values())
    print(f"Géographie régénérée dans {sortie} : {fichiers}")
    return 0


def _import(args: argparse.Namespace, settings: Settings) -> int:
    from dashboard.ingest.commande import executer_import

    return executer_import(args, settings)


def _demo(args: argparse.Namespace, settings: Settings) -> int:
    from dashboard.demo.commande import executer_demo

    return executer_demo(args, settings)


def _indicateurs(args: argparse.Namespace, settings: Settings) -> int:
    from dashboard.indicateurs_cli import executer_indicateurs

    return executer_indicateurs(args, settings)


def _users(args: argparse.Namespace, settings: Settings) -> int:
    from dashboard.comptes_cli import executer_users

    return executer_users(args, settings)


def _audit(args: argparse.Namespace, settings: Settings) -> int:
    from dashboard.comptes_cli import executer_audit

    return executer_audit(args, settings)


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    from dashboard.serveur import servir

    return servir(settings, args.workers)


KINDS = ("laureats", "syndicats", "commandes", "distributions", "utilisations")


def analyseur() -> argparse.ArgumentParser:
    racine = argparse.ArgumentParser(
        prog="passnum", description="Pass numérique — tableau de bord de pilotage"
    )
    sous = racine.add_subparsers(dest="commande", required=True, metavar="COMMANDE")

    init = sous.add_parser(
        "init", help="créer ou mettre à jour la base et charger la géographie de référence"
    )
    init.add_argument(
        "--demo",
        choices=["small", "national", "none"],
        default="small",
        help="jeu de démonstration à charger (défaut : small)",
    )
    init.add_argument("--silencieux", action="store_true", help="sans barre de progression")
    init.set_defaults(executer=_init)

    imp = sous.add_parser("import", help="importer un fichier (CSV ou XLSX) après validation complète")
    imp.add_argument("kind", metavar="KIND", choices=KINDS, help="|".join(KINDS))
    imp.add_argument("fichier", type=_chemin, metavar="FICHIER")
    imp.add_argument("--dry-run", action="store_true", help="valider seulement, ne rien écrire")
    imp.add_argument("--remplacer", action="store_true", help="remplacer un fichier déjà importé")
    imp.add_argument("--silencieux", action="store_true", help="sans barre de progression")
    imp.set_defaults(executer=_import)

    demo = sous.add_parser("demo", help="écrire le jeu de démonstration en fichiers d'import")
    demo.add_argument("--scale", choices=["small", "national"], default="small")
    demo.add_argument("--seed", type=int, default=2019)
    demo.add_argument("--out", type=_chemin, required=True, metavar="DOSSIER")
    demo.add_argument("--silencieux", action="store_true", help="sans barre de progression")
    demo.set_defaults(executer=_demo)

    ind = sous.add_parser("indicateurs", help="afficher le tableau des indicateurs du tableau de bord")
    ind.add_argument("--niveau", choices=["porteur", "region", "departement", "epci"], required=True)
    ind.add_argument("--vue", choices=["porteurs", "territoires"], default=None)
    ind.add_argument("--format", choices=["csv", "json"], default="csv")
    ind.add_argument("--vague", help="2019, 2020 ou 2019,2020")
    ind.add_argument("--type", help="types de lauréats : CR,CD,EPCI,SM")
    ind.add_argument("--region", help="code(s) de région, séparés par des virgules")
    ind.add_argument("--subvention", help="plage de subvention État engagée en €, ex. 10000-500000")
    ind.add_argument("--distribues", help="plage de pass distribués, ex. 0-50000")
    ind.add_argument("--taux", help="plage de taux d'utilisation (fraction), ex. 0.2-0.8")
    ind.add_argument("--periode", help="mois d'activité, ex. 2020-01..2022-12")
    ind.set_defaults(executer=_indicateurs)

    users = sous.add_parser("users", help="comptes : ajouter, lister, désactiver")
    users_sous = users.add_subparsers(dest="action", required=True, metavar="ACTION")
    ajout = users_sous.add_parser("add", help="créer un compte (mot de passe demandé au clavier)")
    ajout.add_argument("identifiant", metavar="IDENTIFIANT", help="adresse électronique ou identifiant")
    ajout.add_argument("--role", choices=["admin", "coordinateur", "lecteur"], required=True)
    ajout.add_argument("--region", help="code de la région d'un coordinateur régional, ex. 53")
    ajout.add_argument("--nom", help="nom affiché (défaut : l'identifiant)")
    ajout.add_argument(
        "--mot-de-passe-stdin", action="store_true", help="lire le mot de passe sur l'entrée standard"
    )
    users_sous.add_parser("list", help="lister les comptes")
    for action, aide in (
        ("disable", "désactiver un compte (fin de ses sessions et de ses liens)"),
        ("enable", "réactiver un compte"),
    ):
        users_sous.add_parser(action, help=aide).add_argument("identifiant", metavar="IDENTIFIANT")
    users.set_defaults(executer=_users)

    audit = sous.add_parser("audit", help="afficher le journal d'audit (imports, comptes, connexions)")
    audit.add_argument("--limite", type=int, default=100, help="nombre d'événements (défaut : 100)")
    audit.set_defaults(executer=_audit)

    serve = sous.add_parser("serve", help="serveur de production (gunicorn)")
    serve.add_argument("--workers", type=int, default=2, help="processus de service (défaut : 2)")
    serve.set_defaults(executer=_serve)

    geo = sous.add_parser("geo", help="géographie de référence")
    geo_sous = geo.add_subparsers(dest="action", required=True, metavar="ACTION")
    build = geo_sous.add_parser("build", help="régénérer data/geo à partir des paquets sources")
    build.add_argument("--out", type=_chemin, help="dossier de sortie (défaut : data/geo)")
    build.add_argument(
        "--etalab", type=_chemin, help="archive npm @etalab/decoupage-administratif déjà téléchargée"
    )
    build.set_defaults(executer=_geo_build)
    return racine


def _chemin(valeur: str):
    from pathlib import Path

    return Path(valeur)


def main(argv: Sequence[str] | None = None) -> int:
    args = analyseur().parse_args(argv)
    from dashboard.demarrage import DemoImpossible
    from dashboard.serveur import ServiceRefuse
    from dashboard.store.initialisation import BaseNonInitialisee

    try:
        settings = Settings.from_env()
        return args.executer(args, settings)
    except (FileNotFoundError, ValueError, DemoImpossible, BaseNonInitialisee, ServiceRefuse) as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
