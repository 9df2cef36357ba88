"""`passnum jetons add|list|revoke`: the client tokens of the open-data API (/api/v1/), managed from the
server's console. A token is printed once, when it is created: only its SHA-256 is kept. Creation and
revocation are written to the audit journal."""

from __future__ import annotations

import argparse
from datetime import date

from dashboard.cli.chemins import utilisateur_os
from dashboard.domain.vocabulaire import PORTEES_API
from dashboard.settings import Settings


def ajouter(sous) -> None:
    jetons = sous.add_parser("jetons", help="jetons de l'API de données ouvertes : créer, lister, révoquer")
    actions = jetons.add_subparsers(dest="action", required=True, metavar="ACTION")
    ajout = actions.add_parser("add", help="créer un jeton (affiché une seule fois)")
    ajout.add_argument("--nom", required=True, help="le client qui l'utilisera, ex. « Coop numérique »")
    ajout.add_argument(
        "--portees",
        required=True,
        help=f"ce qu'il ouvre, séparé par des virgules : {','.join(PORTEES_API)}",
    )
    ajout.add_argument("--expire", help="dernier jour de validité, AAAA-MM-JJ (défaut : sans expiration)")
    actions.add_parser("list", help="lister les jetons (jamais leur secret)")
    actions.add_parser("revoke", help="révoquer un jeton, aussitôt").add_argument(
        "prefixe", metavar="PREFIXE", help="le préfixe du jeton (voir passnum jetons list)"
    )
    jetons.set_defaults(executer=executer)


def _moteur(settings: Settings):
    from dashboard.store.db import make_engine
    from dashboard.store.initialisation import exiger_schema

    engine = make_engine(settings.resolved_database_url)
    exiger_schema(engine)
    return engine


def _jour(texte: str | None) -> date | None:
    if not texte:
        return None
    try:
        return date.fromisoformat(texte.strip())
    except ValueError:
        raise ValueError(f"date d'expiration illisible « {texte} » : attendu AAAA-MM-JJ") from None


def executer(args: argparse.Namespace, settings: Settings) -> int:
    from dashboard.store import jetons_api

    acteur = f"console:{utilisateur_os() or '?'}"
    if args.action == "add":
        dernier_jour = _jour(args.expire)
        portees = jetons_api.lire_portees(args.portees)
        engine = _moteur(settings)
        texte, jeton = jetons_api.creer_jeton(engine, args.nom, portees, dernier_jour, acteur)
        validite = (
            f"jusqu'au {jeton.dernier_jour:%d/%m/%Y} inclus" if jeton.dernier_jour else "sans expiration"
        )
        print(
            f"Jeton « {jeton.nom} » créé (préfixe {jeton.prefixe}, "
            f"portées {', '.join(jeton.portees)}, {validite})."
        )
        print("Conservez-le maintenant : il ne sera plus jamais affiché (seule son empreinte est gardée).")
        print(texte)
        return 0
    engine = _moteur(settings)
    if args.action == "revoke":
        jeton = jetons_api.revoquer_jeton(engine, args.prefixe, acteur)
        print(f"Jeton « {jeton.nom} » (préfixe {jeton.prefixe}) révoqué : il n'ouvre plus rien.")
        return 0
    return _lister(jetons_api.jetons(engine))


def _lister(jetons) -> int:
    from dashboard.domain.formatage import date_courte, horodatage

    if not jetons:
        print("Aucun jeton. Créez-en un : passnum jetons add --nom « Client » --portees indicateurs")
        return 0
    print("prefixe;nom;portees;cree_le;expire_le;revoque_le;derniere_utilisation")
    for j in jetons:
        colonnes = [
            j.prefixe,
            j.nom.replace(";", ","),
            ",".join(j.portees),
            horodatage(j.cree_le),
            date_courte(j.dernier_jour) if j.dernier_jour else "jamais",
            horodatage(j.revoque_le) if j.revoque_le else "non",
            horodatage(j.derniere_utilisation) if j.derniere_utilisation else "jamais",
        ]
        print(";".join(colonnes))
    return 0
