"""`passnum users add|list|disable|enable|regle` and `passnum audit`: accounts are managed from the server's
console (whoever runs it holds the database), every change written to the audit log. ProConnect: an account
granted by e-mail (`users add --email`, no password), or a SIRET rule (`users regle add`) that creates the
account at its first sign-in."""

from __future__ import annotations

import getpass
import sys

from dashboard.cli.chemins import utilisateur_os
from dashboard.domain.vocabulaire import ROLES
from dashboard.settings import Settings


def ajouter(sous) -> None:
    users = sous.add_parser("users", help="comptes : ajouter, lister, désactiver")
    users_sous = users.add_subparsers(dest="action", required=True, metavar="ACTION")
    ajout = users_sous.add_parser(
        "add",
        help="créer un compte : local (mot de passe demandé au clavier) ou ProConnect (--email)",
    )
    ajout.add_argument(
        "identifiant",
        metavar="IDENTIFIANT",
        nargs="?",
        help="compte local : adresse électronique ou identifiant",
    )
    ajout.add_argument(
        "--email",
        metavar="ADRESSE",
        help="compte ProConnect, sans mot de passe : l'adresse électronique que ProConnect transmettra",
    )
    ajout.add_argument("--role", choices=list(ROLES), required=True)
    ajout.add_argument("--region", help="code de la région d'un coordinateur régional, ex. 53")
    ajout.add_argument("--nom", help="nom affiché (défaut : l'identifiant)")
    ajout.add_argument(
        "--mot-de-passe-stdin", action="store_true", help="lire le mot de passe sur l'entrée standard"
    )
    users_sous.add_parser("list", help="lister les comptes")
    _ajouter_regles(users_sous)
    for action, aide in (
        ("disable", "désactiver un compte (fin de ses sessions et de ses liens)"),
        ("enable", "réactiver un compte"),
    ):
        users_sous.add_parser(action, help=aide).add_argument("identifiant", metavar="IDENTIFIANT")
    users.set_defaults(executer=executer_users)

    audit = sous.add_parser("audit", help="afficher le journal d'audit (imports, comptes, connexions)")
    audit.add_argument("--limite", type=int, default=100, help="nombre d'événements (défaut : 100)")
    audit.set_defaults(executer=executer_audit)


def _ajouter_regles(users_sous) -> None:
    regle = users_sous.add_parser(
        "regle", help="règles d'accès ProConnect par SIRET : ajouter, lister, retirer"
    )
    regle_sous = regle.add_subparsers(dest="regle", required=True, metavar="ACTION")
    ajout = regle_sous.add_parser(
        "add", help="qui se connecte par ProConnect avec ce SIRET reçoit un compte de ce rôle (journalisé)"
    )
    ajout.add_argument("--siret", required=True, help="SIRET de l'établissement (14 chiffres)")
    ajout.add_argument("--role", choices=["coordinateur", "lecteur"], required=True)
    ajout.add_argument("--region", help="code de la région d'un coordinateur régional, ex. 53")
    regle_sous.add_parser("list", help="lister les règles")
    retrait = regle_sous.add_parser("remove", help="retirer une règle (les comptes déjà créés restent)")
    retrait.add_argument("--siret", required=True)


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
    from dashboard.store.comptes import changer_activation, comptes

    engine = _moteur(settings)
    if args.action == "add":
        return _ajouter_compte(engine, args)
    if args.action == "regle":
        return _regles(engine, args)
    if args.action in ("disable", "enable"):
        compte = changer_activation(engine, args.identifiant, args.action == "enable", acteur_console())
        etat = "réactivé" if compte.actif else "désactivé (ses sessions et ses liens prennent fin)"
        print(f"Compte « {compte.identifiant} » {etat}.")
        return 0
    lignes = comptes(engine)
    if not lignes:
        print("Aucun compte. Créez-en un : passnum users add IDENTIFIANT --role admin")
        return 0
    print("identifiant;nom;role;region;actif;cree_le;derniere_connexion;proconnect")
    for c in lignes:
        derniere = c.derniere_connexion.strftime("%d/%m/%Y %H:%M") if c.derniere_connexion else ""
        # ProConnect: "lié" once signed in through it; "attendu": no password, never signed in yet.
        proconnect = "lié" if c.sub_oidc else ("attendu" if c.proconnect_seulement else "")
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
                    proconnect,
                ]
            )
        )
    return 0


def _ajouter_compte(engine, args) -> int:
    from dashboard.store.comptes import ajouter_compte
    from dashboard.web.acces.mots_de_passe import hacher

    if bool(args.identifiant) == bool(args.email):
        raise ValueError(
            "donnez soit un IDENTIFIANT (compte local, mot de passe), soit --email (compte ProConnect)"
        )
    if args.email:
        if args.mot_de_passe_stdin:
            raise ValueError("un compte ProConnect (--email) n'a pas de mot de passe")
        identifiant, empreinte = args.email, ""
    else:
        identifiant, empreinte = args.identifiant, hacher(_lire_mot_de_passe(args.mot_de_passe_stdin))
    compte = ajouter_compte(
        engine, identifiant, args.nom or "", args.role, empreinte, args.region, acteur_console()
    )
    par = " (connexion par ProConnect seulement)" if compte.proconnect_seulement else ""
    print(f"Compte « {compte.identifiant} » créé : {ROLES[compte.role]}{par}.")
    return 0


def _regles(engine, args) -> int:
    from dashboard.store.proconnect import ajouter_regle, regles, retirer_regle

    if args.regle == "add":
        regle = ajouter_regle(engine, args.siret, args.role, args.region, acteur_console())
        region = f", région {regle.code_region}" if regle.code_region else ""
        print(f"Règle ajoutée : SIRET {regle.siret} → {ROLES[regle.role]}{region}.")
        return 0
    if args.regle == "remove":
        retirer_regle(engine, args.siret, acteur_console())
        print(f"Règle du SIRET {args.siret.strip()} retirée (les comptes déjà créés restent).")
        return 0
    print("siret;role;region;cree_par;cree_le")
    for r in regles(engine):
        print(";".join([r.siret, r.role, r.code_region or "", r.cree_par, r.cree_le.strftime("%d/%m/%Y")]))
    return 0


def executer_audit(args, settings: Settings) -> int:
    from dashboard.store.comptes import journal

    engine = _moteur(settings)
    print("moment;acteur;action;cible;adresse")
    for e in reversed(journal(engine, args.limite)):
        moment = e["moment"].isoformat(timespec="seconds")
        print(";".join([moment, e["acteur"], e["action"], e["cible"] or "", e["adresse"] or ""]))
    return 0
