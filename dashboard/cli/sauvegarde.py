"""`passnum sauvegarde FICHIER` / `passnum restaurer FICHIER [--ecraser-donnees-reelles]`: the whole database
in one portable file (dashboard.store.sauvegarde), restored on either engine at the same schema revision;
a restore backs the database up first and is journaled. Exit 2 with a French message when refused."""

from __future__ import annotations

import argparse
import sys

from dashboard.cli.chemins import chemin, utilisateur_os
from dashboard.domain.formatage import nombre
from dashboard.settings import Settings


def ajouter(sous) -> None:
    sauve = sous.add_parser("sauvegarde", help="sauvegarder toute la base dans un fichier portable (.zip)")
    sauve.add_argument("fichier", type=chemin, metavar="FICHIER")
    sauve.set_defaults(executer=sauvegarder)
    restaure = sous.add_parser("restaurer", help="remplacer toute la base par une sauvegarde")
    restaure.add_argument("fichier", type=chemin, metavar="FICHIER")
    restaure.add_argument(
        "--ecraser-donnees-reelles",
        action="store_true",
        help="accepter de remplacer des données réelles (une sauvegarde automatique est prise avant)",
    )
    restaure.set_defaults(executer=restaurer)


def sauvegarder(args: argparse.Namespace, settings: Settings) -> int:
    from dashboard.store import sauvegarde
    from dashboard.store.comptes import auditer
    from dashboard.store.db import make_engine

    engine = make_engine(settings.resolved_database_url)
    try:
        resultat = sauvegarde.sauvegarder(engine, args.fichier)
        auditer(
            engine,
            utilisateur_os() or "?",
            "sauvegarde",
            cible=resultat.chemin.name,
            details={"fichier": str(resultat.chemin.resolve()), "lignes": sum(resultat.lignes.values())},
        )
    except sauvegarde.SauvegardeInvalide as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"Erreur : impossible d'écrire {args.fichier} ({exc.strerror or exc})", file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    print(
        f"Sauvegarde écrite : {resultat.chemin} (révision {resultat.revision} du schéma, "
        f"{nombre(sum(resultat.lignes.values()))} lignes dans {len(resultat.lignes)} tables)."
    )
    return 0


def restaurer(args: argparse.Namespace, settings: Settings) -> int:
    from dashboard.store import sauvegarde
    from dashboard.store.db import make_engine

    if not args.fichier.is_file():
        print(f"Erreur : fichier introuvable : {args.fichier}", file=sys.stderr)
        return 2
    engine = make_engine(settings.resolved_database_url)
    try:
        resultat = sauvegarde.restaurer(
            engine,
            args.fichier,
            acteur=utilisateur_os() or "?",
            ecraser_donnees_reelles=args.ecraser_donnees_reelles,
        )
    except (sauvegarde.SauvegardeInvalide, sauvegarde.DonneesReelles) as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    print(f"Sauvegarde automatique de la base avant restauration : {resultat.sauvegarde_prealable}")
    print(
        f"Base restaurée depuis {resultat.fichier} : {nombre(sum(resultat.lignes.values()))} lignes "
        f"dans {len(resultat.lignes)} tables (révision {resultat.revision}). Restauration journalisée."
    )
    return 0
