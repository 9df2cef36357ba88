"""The block « Notes du comité » of the national page and of a territory's or laureate's page, as data:
the dated notes (a territory's own and, said so, those of its laureates), the date the form starts on
(the last committee's, or today), who may write (dashboard.domain.droits.peut_annoter — checked again by
the store on every write), and the writes themselves, each answering with a French message."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd

from dashboard.domain.droits import Principal, peut_annoter
from dashboard.domain.formatage import PARIS, date_courte
from dashboard.figures.graphiques import chronologie
from dashboard.store import comites, entites
from dashboard.store.comites import Note, NoteInvalide, NoteRefusee
from dashboard.vues import Sources

NATIONAL = "national"


@dataclass(frozen=True)
class LigneNote:
    id: int
    date: str  # JJ/MM/AAAA
    jour: date
    texte: str
    auteur: str
    origine: str | None  # the laureate's name, for a laureate's note on a territory's page
    supprimable: bool


@dataclass(frozen=True)
class BlocNotes:
    entite: str  # `national`, `departement:29`, `porteur:…`
    lignes: tuple[LigneNote, ...]
    date_defaut: date  # the last committee's, or today
    peut_ecrire: bool
    precision: str | None  # what the list holds beyond the entity's own notes

    @property
    def marqueurs(self) -> list[tuple[date, str]]:
        """(date, text) of each note, for the monthly chart."""
        return [(ligne.jour, _avec_origine(ligne)) for ligne in self.lignes]


def _avec_origine(ligne: LigneNote) -> str:
    return f"{ligne.origine} : {ligne.texte}" if ligne.origine else ligne.texte


def lire_entite(identifiant: str) -> tuple[str, str | None]:
    if identifiant == NATIONAL:
        return NATIONAL, None
    niveau, _, code = str(identifiant).partition(":")
    return niveau, code or None


def aujourd_hui() -> date:
    return datetime.now(PARIS).date()


def date_par_defaut(sources: Sources) -> date:
    dernier = comites.dernier_comite(sources.engine)
    return dernier.date if dernier else aujourd_hui()


def _laureats(sources: Sources, niveau: str, code: str | None) -> dict[str, str]:
    """SIREN → name of the laureates whose perimeter covers a territory (none for a laureate)."""
    if niveau in (NATIONAL, "porteur"):
        return {}
    ent = entites.entite(sources.engine, niveau, code or "")
    if ent is None:
        return {}
    table = entites.laureats_du_territoire(sources.engine, ent)
    return dict(zip(table["siren"], table["nom"], strict=True)) if not table.empty else {}


def notes_de(sources: Sources, identifiant: str) -> list[tuple[Note, str | None]]:
    """The entity's notes and, for a territory, those of its laureates (with the laureate's name), the
    latest first."""
    niveau, code = lire_entite(identifiant)
    propres = [(n, None) for n in comites.notes(sources.engine, niveau, code)]
    laureats = _laureats(sources, niveau, code)
    if laureats:
        autres = [
            (n, laureats[n.code]) for n in comites.notes(sources.engine, "porteur") if n.code in laureats
        ]
        propres = sorted([*propres, *autres], key=lambda p: (p[0].date_note, p[0].id), reverse=True)
    return propres


def bloc(sources: Sources, identifiant: str, principal: Principal | None) -> BlocNotes:
    niveau, code = lire_entite(identifiant)
    region = _region(sources, niveau, code)
    lignes = []
    for note, origine in notes_de(sources, identifiant):
        region_note = region if origine is None else _region(sources, note.niveau, note.code)
        lignes.append(
            LigneNote(
                note.id,
                date_courte(note.date_note),
                note.date_note,
                note.texte,
                note.auteur,
                origine,
                peut_annoter(principal, note.niveau, region_note),
            )
        )
    precision = None
    if niveau not in (NATIONAL, "porteur"):
        precision = (
            "Avec les notes des lauréats dont le périmètre couvre ce territoire (leur nom les précède)."
        )
    return BlocNotes(
        identifiant,
        tuple(lignes),
        date_par_defaut(sources),
        peut_annoter(principal, niveau, region),
        precision,
    )


def _region(sources: Sources, niveau: str, code: str | None) -> str | None:
    try:
        return comites.region_de(sources.engine, niveau, code)
    except NoteInvalide:
        return None


def acteur(principal: Principal | None) -> str:
    if principal is None:
        return "?"
    return principal.nom or principal.identifiant


@dataclass(frozen=True)
class Resultat:
    message: str
    reussi: bool
    note: Note | None = None


def ajouter(sources: Sources, principal: Principal | None, identifiant: str, jour, texte) -> Resultat:
    niveau, code = lire_entite(identifiant)
    if principal is None:
        return Resultat("Connexion requise.", False)
    try:
        note = comites.ajouter_note(
            sources.engine, niveau, code, jour or "", texte or "", acteur(principal), principal
        )
    except (NoteInvalide, NoteRefusee) as exc:
        return Resultat(str(exc), False)
    return Resultat(f"Note du {date_courte(note.date_note)} ajoutée.", True, note)


def supprimer(sources: Sources, principal: Principal | None, identifiant: int) -> Resultat:
    return _marquer(sources, principal, identifiant, comites.supprimer_note, "Note supprimée.")


def restaurer(sources: Sources, principal: Principal | None, identifiant: int) -> Resultat:
    return _marquer(sources, principal, identifiant, comites.restaurer_note, "Note restaurée.")


def _marquer(sources, principal, identifiant, fonction, message) -> Resultat:
    if principal is None:
        return Resultat("Connexion requise.", False)
    try:
        note = fonction(sources.engine, int(identifiant), acteur(principal), principal)
    except (NoteInvalide, NoteRefusee, TypeError, ValueError) as exc:
        return Resultat(str(exc), False)
    return Resultat(message, True, note)


COLONNES_EXPORT = [
    ("date", "Date"),
    ("entite", "Entité"),
    ("texte", "Note"),
    ("auteur", "Auteur"),
]


def table_export(sources: Sources, identifiant: str, nom: str = "") -> pd.DataFrame:
    """The notes as the page's exports give them (tab or CSV « notes »): the entity's (named `nom`) and
    its laureates' (each named)."""
    lignes = [
        {
            "date": date_courte(n.date_note),
            "entite": origine or nom,
            "texte": n.texte,
            "auteur": n.auteur,
        }
        for n, origine in notes_de(sources, identifiant)
    ]
    return pd.DataFrame(lignes, columns=[c for c, _ in COLONNES_EXPORT])


def marqueurs_nationaux(sources: Sources) -> list[tuple[date, str]]:
    """(date, text) of the national notes, for the national page's monthly chart."""
    return [(n.date_note, n.texte) for n in comites.notes(sources.engine, NATIONAL)]


def chronologie_de(sources: Sources, identifiant: str) -> dict | None:
    """The monthly chart of a territory or laureate (as on its page) with its notes; None if unknown."""
    niveau, code = lire_entite(identifiant)
    ent = entites.entite(sources.engine, niveau, code or "") if niveau != NATIONAL else None
    if ent is None:
        return None
    vue = bloc(sources, identifiant, None)
    return chronologie(entites.serie_mensuelle(sources.engine, ent), cumul=False, notes=vue.marqueurs)
