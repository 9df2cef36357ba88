"""`passnum rapport --comite AAAA-MM-JJ [--out FICHIER.pdf] [--envoyer ADRESSES]`: the committee's stamped
PDF (dashboard.exports.rapport), written to `data/rapports/comite-AAAA-MM-JJ.pdf` by default, and mailed
through PASSNUM_SMTP_URL. Exit 2 with a French message for a bad date or address, a missing or failing
mail server (the PDF stays written); every mailing is journaled (`rapport_envoye`)."""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
from datetime import date
from pathlib import Path

from dashboard.cli.chemins import chemin, utilisateur_os
from dashboard.domain.formatage import date_courte, nombre
from dashboard.settings import Settings

FORMAT_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
LIBELLES = {"sections": "Rapport : sections", "pdf": "Rapport : impression PDF"}


def ajouter(sous) -> None:
    rap = sous.add_parser("rapport", help="écrire (et envoyer) le rapport PDF d'un comité de pilotage")
    rap.add_argument("--comite", required=True, metavar="AAAA-MM-JJ", help="date du comité de pilotage")
    rap.add_argument(
        "--out", type=chemin, metavar="FICHIER.pdf", help="défaut : data/rapports/comite-AAAA-MM-JJ.pdf"
    )
    rap.add_argument(
        "--envoyer", metavar="ADRESSES", help="envoyer le PDF par courriel (PASSNUM_SMTP_URL) : a@x.fr,b@y.fr"
    )
    rap.add_argument("--silencieux", action="store_true", help="sans barres de progression")
    rap.set_defaults(executer=executer)


def lire_date(texte: str) -> date:
    """AAAA-MM-JJ, a real day; a French ValueError otherwise."""
    texte = (texte or "").strip()
    if not FORMAT_DATE.match(texte):
        raise ValueError(f"date du comité invalide « {texte} » : attendu AAAA-MM-JJ (ex. 2024-01-15)")
    try:
        return date.fromisoformat(texte)
    except ValueError:
        raise ValueError(f"date du comité invalide « {texte} » : ce jour n'existe pas") from None


def objet(date_comite: date) -> str:
    return f"Pass numérique — comité de pilotage du {date_courte(date_comite)}"


def corps(date_comite: date, date_donnees: date | None, demo: bool, nom_fichier: str) -> str:
    donnees = f"données au {date_courte(date_donnees)}" if date_donnees else "sans donnée d'activité"
    lignes = [
        "Bonjour,",
        "",
        f"Veuillez trouver ci-joint le rapport du comité de pilotage du Pass numérique du "
        f"{date_courte(date_comite)} ({donnees}) : {nom_fichier}.",
        "",
        "Il réunit la synthèse nationale et son évolution depuis le comité précédent, les notes du comité "
        "et les graphiques du tableau de bord de pilotage.",
    ]
    if demo:
        lignes += ["", "Attention : il est établi sur des données de démonstration, fictives."]
    lignes += ["", "Ce message a été envoyé automatiquement par le tableau de bord de pilotage."]
    return "\n".join(lignes) + "\n"


def executer(args: argparse.Namespace, settings: Settings) -> int:
    from dashboard.cli.progression import BarresProgression
    from dashboard.exports import courriel
    from dashboard.exports.rapport import nombre_de_pages, rapport_pdf
    from dashboard.store.comptes import auditer
    from dashboard.store.db import make_engine

    date_comite = lire_date(args.comite)
    adresses = courriel.destinataires(args.envoyer) if args.envoyer is not None else []
    if adresses and not settings.smtp_url:
        print(
            "Erreur : PASSNUM_SMTP_URL n'est pas définie : impossible d'envoyer le rapport "
            "(ex. PASSNUM_SMTP_URL=smtp://utilisateur:mot-de-passe@smtp.exemple.fr:587). Rien n'a été écrit.",
            file=sys.stderr,
        )
        return 2
    sortie: Path = args.out or settings.data_dir / "rapports" / f"comite-{date_comite.isoformat()}.pdf"
    engine = make_engine(settings.resolved_database_url)
    try:
        with BarresProgression(LIBELLES, active=not args.silencieux) as progression:
            try:
                pdf, rapport = rapport_pdf(engine, date_comite, progression)
            except RuntimeError as exc:
                print(f"Erreur : {exc}", file=sys.stderr)
                return 2
        try:
            sortie.parent.mkdir(parents=True, exist_ok=True)
            sortie.write_bytes(pdf)
        except OSError as exc:
            print(f"Erreur : impossible d'écrire {sortie} ({exc.strerror or exc})", file=sys.stderr)
            return 2
        omises = [titre for titre, present in rapport.sommaire if not present]
        print(
            f"Rapport écrit : {sortie} ({nombre_de_pages(pdf)} pages, {nombre(len(pdf) / 1024)} Ko)"
            + (f" ; sections omises (non disponibles) : {', '.join(omises)}" if omises else "")
            + "."
        )
        if not adresses:
            return 0
        message = courriel.message(
            courriel.expediteur_de(courriel.serveur(settings.smtp_url)),
            adresses,
            objet(date_comite),
            corps(date_comite, rapport.contexte.date_donnees, rapport.contexte.demo, sortie.name),
            pdf,
            sortie.name,
        )
        if not args.silencieux:
            print(f"Envoi à {', '.join(adresses)}…", file=sys.stderr)
        try:
            courriel.envoyer(settings.smtp_url, message)
        except courriel.EnvoiImpossible as exc:
            print(f"Erreur : envoi impossible : {exc}. Le rapport reste écrit : {sortie}", file=sys.stderr)
            return 2
        auditer(
            engine,
            utilisateur_os() or "?",
            "rapport_envoye",
            cible=f"comite-{date_comite.isoformat()}",
            details={
                "destinataires": adresses,
                "taille": len(pdf),
                "empreinte": hashlib.sha256(pdf).hexdigest(),
                "fichier": str(sortie.resolve()),
            },
        )
        print(f"Rapport envoyé à {', '.join(adresses)}.")
        return 0
    finally:
        engine.dispose()
