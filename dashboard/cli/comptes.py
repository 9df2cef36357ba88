"""`passnum users add|list|disable|enable` and `passnum audit`: accounts are managed from the server's
console (whoever runs it holds the database), every change written to the audit log."""

from __future__ import annotations

import getpass
import sys

from dashboard.cli.chemins import utilisateur_os
from dashboard.domain.vocabulaire import ROLES
from dashboard.settings import Settings


def ajouter(sous) -> None:
    users = sous.add_parser("users", help="comptes : ajouter, lister, désactiver")
    users_sous = users.add_subparsers(dest="action", required=True, metavar="ACTION")
    ajout = users_sous.add_parser("add", help="créer un compte (mot de passe demandé au clavier)")
    ajout.add_argument("identifiant", metavar="IDENTIFIANT", help="adresse électronique ou identifiant")
    ajout.add_argument("--role", choices=list(ROLES), required=True)
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
    users.set_defaults(executer=executer_users)

    audit = sous.add_parser("audit", help="afficher le journal d'audit (imports, comptes, connexions)")
    audit.add_argument("--limite", type=int, default=100, help="nombre d'événements (défaut : 100)")
    audit.set_defaults(executer=executer_audit)


def acteur_console() -> str:
    return f"console:{utilisateur_os() or '?'}"


def _moteur(settings: Settings):
    from dashboard.store.db import make_engine
    from dashboard.store.initialisation import exiger_schema

    engine = make_engine(settings.resolved_database_url)
    exiger_schema(engine)
    return engine


def _lire_mot_de_passe(depuis_stdin: bool) -> str:
    from dashboard.web.acces.mots_de_passe import probleme_mot_de_passe

    if depuis_stdin:
        return sys.stdin.readline().rstrip("\n")
    if not sys.stdin.isatty():
        raise ValueError(
            "mot de passe attendu au clavier, ou sur l'entrée standard avec --mot-de-passe-stdin"
        )
    premier = getpass.getpass("Mot de passe (12 caractères au moins) : ")
    probleme = probleme_mot_de_passe(premier)
    if probleme:
        raise ValueError(probleme)
    if getpass.getpass("Le même, encore : ") != premier:
        raise ValueError("les deux saisies diffèrent")
    return premier


def executer_users(args, settings: Settings) -> int:
    from dashboard.store.comptes import ajouter_compte, changer_activation, comptes
    from dashboard.web.acces.mots_de_passe import hacher

    engine = _moteur(settings)
    if args.action == "add":
        empreinte = hacher(_lire_mot_de_passe(args.mot_de_passe_stdin))
        compte = ajouter_compte(
            engine, args.identifiant, args.nom or "", args.role, empreinte, args.region, acteur_console()
        )
        print(f"Compte « {compte.identifiant} » créé : {ROLES[compte.role]}.")
        return 0
    if args.action in ("disable", "enable"):
        compte = changer_activation(engine, args.identifiant, args.action == "enable", acteur_console())
        etat = "réactivé" if compte.actif else "désactivé (ses sessions et ses liens prennent fin)"
        print(f"Compte « {compte.identifiant} » {etat}.")
        return 0
    lignes = comptes(engine)
    if not lignes:
        print("Aucun compte. Créez-en un : passnum users add IDENTIFIANT --role admin")
        return 0
    print("identifiant;nom;role;region;actif;cree_le;derniere_connexion")
    for c in lignes:
        derniere = c.derniere_connexion.strftime("%d/%m/%Y %H:%M") if c.derniere_connexion else ""
        print(
            ";".join(
                [
                    c.identifiant,
                    c.nom,
                    c.role,
                    c.code_region or "",
                    "oui" if c.actif else "non",
                    c.cree_le.strftime("%d/%m/%Y"),
                    derniere,
                ]
            )
        )
    return 0


def executer_audit(args, settings: Settings) -> int:
    from dashboard.store.comptes import journal

    engine = _moteur(settings)
    print("moment;acteur;action;cible;adresse")
    for e in reversed(journal(engine, args.limite)):
        moment = e["moment"].isoformat(timespec="seconds")
        print(";".join([moment, e["acteur"], e["action"], e["cible"] or "", e["adresse"] or ""]))
    return 0
