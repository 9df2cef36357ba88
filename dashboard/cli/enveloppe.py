"""`passnum enveloppe --vague 2020 --montant 1234567,50 [--objectif-pass N]`: set the national envelope
(and objective) of a wave, journaled; without --montant nor --objectif-pass, print every wave's envelope
beside what its conventions committed, consumed and left. French errors, exit code 2."""

from __future__ import annotations

import argparse
import re
import sys

from dashboard.cli.chemins import utilisateur_os
from dashboard.settings import Settings

_ESPACES = re.compile(r"[\s\u00a0\u202f]")


def lire_montant(texte: str) -> float:
    """A French amount: `1234567,50`, `1 234 567,50 €`, `1234567.50`. ValueError (French) otherwise."""
    propre = _ESPACES.sub("", texte).removesuffix("€").removesuffix("EUR")
    if "," in propre:
        propre = propre.replace(".", "").replace(",", ".")
    if not re.fullmatch(r"-?\d+(\.\d{1,2})?", propre):
        raise ValueError(f"Montant illisible : « {texte} » (exemple : 1234567,50).")
    return float(propre)


def lire_entier(texte: str, quoi: str) -> int:
    propre = _ESPACES.sub("", texte)
    if not re.fullmatch(r"-?\d+", propre):
        raise ValueError(f"{quoi} illisible : « {texte} » (un nombre entier est attendu).")
    return int(propre)


def ajouter(sous) -> None:
    env = sous.add_parser(
        "enveloppe",
        help="fixer l'enveloppe nationale (et l'objectif de pass) d'une vague, ou les afficher toutes",
    )
    env.add_argument("--vague", help="la vague : 2019 ou 2020")
    env.add_argument("--montant", help="l'enveloppe nationale de l'État en euros, ex. 1234567,50")
    env.add_argument("--objectif-pass", dest="objectif_pass", help="l'objectif national de pass distribués")
    env.set_defaults(executer=executer)


def executer(args: argparse.Namespace, settings: Settings) -> int:
    from dashboard.store.db import make_engine
    from dashboard.store.initialisation import exiger_schema

    try:
        montant = None if args.montant is None else lire_montant(args.montant)
        objectif = None if args.objectif_pass is None else lire_entier(args.objectif_pass, "Objectif")
        vague = None if args.vague is None else lire_entier(args.vague, "Vague")
    except ValueError as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return 2
    engine = make_engine(settings.resolved_database_url)
    try:
        exiger_schema(engine)
        if montant is None and objectif is None:
            return _afficher(engine, vague)
        if vague is None:
            print("Erreur : précisez la vague (--vague 2019 ou --vague 2020).", file=sys.stderr)
            return 2
        from dashboard.store.enveloppes import fixer_enveloppe

        try:
            ligne = fixer_enveloppe(
                engine, vague, montant, objectif, acteur=f"console:{utilisateur_os() or '?'}"
            )
        except ValueError as exc:
            print(f"Erreur : {exc}", file=sys.stderr)
            return 2
        print(
            f"Vague {vague} : " + _texte_fixe(ligne["montant_eur"], ligne["objectif_pass"]) + " (journalisé)."
        )
        return 0
    finally:
        engine.dispose()


def _texte_fixe(montant, objectif) -> str:
    from dashboard.domain.formatage import euros, nombre

    enveloppe = "enveloppe non fixée" if montant is None else f"enveloppe {euros(montant, centimes=True)}"
    cible = "objectif non fixé" if objectif is None else f"objectif {nombre(objectif)} pass"
    return f"{enveloppe}, {cible}"


def _afficher(engine, vague: int | None) -> int:
    from dashboard.domain.formatage import date_courte, euros, nombre, pourcentage
    from dashboard.store.enveloppes import enveloppes_vagues

    table = enveloppes_vagues(engine)
    if vague is not None:
        if vague not in set(table["vague"]):
            connues = ", ".join(str(v) for v in table["vague"])
            print(f"Erreur : vague inconnue : {vague} (vagues connues : {connues}).", file=sys.stderr)
            return 2
        table = table[table["vague"] == vague]
    for ligne in table.to_dict("records"):
        objectif = None if ligne["objectif_source"] != "national" else ligne["objectif_pass"]
        print(
            f"Vague {ligne['vague']} : "
            + _texte_fixe(None if not ligne["enveloppe_fixee"] else ligne["enveloppe_eur"], objectif)
        )
        print(
            f"  engagée {euros(ligne['engagee_eur'])} ({pourcentage(ligne['part_enveloppe_engagee'])} de "
            f"l'enveloppe), versée {euros(ligne['versee_eur'])}, consommée {euros(ligne['consommee_eur'])}, "
            f"restante {euros(ligne['restante_eur'])}"
        )
        fenetre = f"{date_courte(ligne['debut_fenetre'])} au {date_courte(ligne['fin_fenetre'])}"
        avancement = (
            f"pass distribués {nombre(ligne['pass_distribues'])} sur {nombre(ligne['pass_objectif'])} "
            f"({pourcentage(ligne['avancement_objectif'])}) : {ligne['statut_objectif']}"
        )
        print(f"  {nombre(ligne['nb_conventions'])} conventions, fenêtre du {fenetre} ; {avancement}")
    return 0
