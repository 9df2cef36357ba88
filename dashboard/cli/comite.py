"""`passnum comite ajouter|list|supprimer` and `passnum note ajouter|list|supprimer|restaurer`: the monthly
steering committees and the notes pinned to the national level, a territory or a laureate
(dashboard.store.comites), every change in the audit log under the console's name."""

from __future__ import annotations

from dashboard.cli.comptes import _moteur, acteur_console
from dashboard.settings import Settings

EXEMPLE_ENTITE = "national, region:53, departement:29, epci:200067106 ou porteur:SIREN"


def ajouter(sous) -> None:
    comite = sous.add_parser("comite", help="comités de pilotage mensuels : ajouter, lister, supprimer")
    comite_sous = comite.add_subparsers(dest="action", required=True, metavar="ACTION")
    ajout = comite_sous.add_parser("ajouter", help="ajouter un comité à sa date")
    ajout.add_argument("date", metavar="AAAA-MM-JJ")
    ajout.add_argument("--titre", help="ex. « Comité de pilotage de décembre »")
    comite_sous.add_parser("list", help="lister les comités, le plus récent d'abord")
    comite_sous.add_parser("supprimer", help="supprimer un comité").add_argument("date", metavar="AAAA-MM-JJ")
    comite.set_defaults(executer=executer_comite)

    note = sous.add_parser("note", help="notes de comité sur le national, un territoire ou un lauréat")
    note_sous = note.add_subparsers(dest="action", required=True, metavar="ACTION")
    ajout = note_sous.add_parser("ajouter", help="épingler une note à une entité et une date")
    ajout.add_argument("--entite", required=True, help=EXEMPLE_ENTITE)
    ajout.add_argument("--date", required=True, metavar="AAAA-MM-JJ")
    ajout.add_argument("--texte", required=True, help="2 000 caractères au plus")
    liste = note_sous.add_parser("list", help="lister les notes, les plus récentes d'abord")
    liste.add_argument("--entite", help=EXEMPLE_ENTITE)
    liste.add_argument("--avec-supprimees", action="store_true", help="montrer aussi les notes supprimées")
    for action, aide in (
        ("supprimer", "supprimer une note (réversible)"),
        ("restaurer", "restaurer une note"),
    ):
        note_sous.add_parser(action, help=aide).add_argument("id", type=int, metavar="ID")
    note.set_defaults(executer=executer_note)


def lire_entite(texte: str) -> tuple[str, str | None]:
    """`national` → ("national", None); `departement:29` → ("departement", "29")."""
    texte = (texte or "").strip()
    if texte == "national":
        return "national", None
    niveau, separateur, code = texte.partition(":")
    if not separateur or not code.strip():
        raise ValueError(f"Entité illisible « {texte} » : attendu {EXEMPLE_ENTITE}.")
    return niveau.strip(), code.strip()


def executer_comite(args, settings: Settings) -> int:
    from dashboard.domain.formatage import date_courte
    from dashboard.store import comites

    engine = _moteur(settings)
    if args.action == "ajouter":
        comite = comites.ajouter_comite(engine, args.date, args.titre, acteur_console())
        print(f"{comite.libelle} ajouté.")
    elif args.action == "supprimer":
        comites.supprimer_comite(engine, args.date, acteur_console())
        print(f"Comité du {args.date} supprimé.")
    else:
        liste = comites.comites(engine)
        if not liste:
            print("Aucun comité.")
        for comite in liste:
            print(f"{date_courte(comite.date)}\t{comite.titre or ''}\t{comite.cree_par}")
    return 0


def executer_note(args, settings: Settings) -> int:
    from dashboard.store import comites

    engine = _moteur(settings)
    if args.action == "ajouter":
        niveau, code = lire_entite(args.entite)
        note = comites.ajouter_note(engine, niveau, code, args.date, args.texte, acteur_console())
        print(f"Note n° {note.id} ajoutée ({note.identifiant_entite}, {_date(note.date_note)}).")
    elif args.action in ("supprimer", "restaurer"):
        fonction = comites.supprimer_note if args.action == "supprimer" else comites.restaurer_note
        note = fonction(engine, args.id, acteur_console())
        print(f"Note n° {note.id} {'supprimée' if note.supprimee else 'restaurée'}.")
    else:
        niveau, code = lire_entite(args.entite) if args.entite else (None, None)
        liste = comites.notes(engine, niveau, code, avec_supprimees=args.avec_supprimees)
        if not liste:
            print("Aucune note.")
        for note in liste:
            etat = "\t(supprimée)" if note.supprimee else ""
            print(
                f"{note.id}\t{_date(note.date_note)}\t{note.identifiant_entite}\t{note.auteur}\t{note.texte}{etat}"
            )
    return 0


def _date(jour) -> str:
    from dashboard.domain.formatage import date_courte

    return date_courte(jour)
