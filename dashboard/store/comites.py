"""The monthly steering committees (table Comite) and their notes (table NoteComite), pinned to the
national level, a territory or a laureate. Small tables, read without memoisation (the data version of
dashboard.store.memoire does not change when they are written). Every write is in the audit log.

A deleted note is only marked (`supprimee`): « Annuler » restores it, nothing is lost on a wrong click.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import Engine, delete, insert, select, update

from dashboard.domain.droits import Principal, peut_annoter
from dashboard.domain.formatage import date_courte
from dashboard.store.comptes import auditer
from dashboard.store.schema import Comite, NoteComite

NIVEAUX_NOTE = ("national", "region", "departement", "epci", "porteur")
TEXTE_MAX = 2000
TITRE_MAX = 200
INCONNUS = {
    "region": "Code de région inconnu",
    "departement": "Code de département inconnu",
    "epci": "SIREN d'EPCI inconnu",
    "porteur": "Lauréat inconnu : SIREN",
}


class NoteInvalide(ValueError):
    """A committee or note refused, said in French."""


class NoteRefusee(PermissionError):
    """The principal may not write this note (said in French)."""


@dataclass(frozen=True)
class ComiteDePilotage:
    date: date
    titre: str | None
    cree_le: datetime
    cree_par: str

    @property
    def libelle(self) -> str:
        """`Comité du 12/12/2023`, or its title after it."""
        base = f"Comité du {date_courte(self.date)}"
        return f"{base} — {self.titre}" if self.titre else base


@dataclass(frozen=True)
class Note:
    id: int
    niveau: str
    code: str | None
    date_note: date
    texte: str
    auteur: str
    cree_le: datetime
    supprimee: bool

    @property
    def identifiant_entite(self) -> str:
        return "national" if self.niveau == "national" else f"{self.niveau}:{self.code}"


def _maintenant() -> datetime:
    return datetime.now(UTC)


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _date(valeur, quoi: str) -> date:
    if isinstance(valeur, datetime):
        return valeur.date()
    if isinstance(valeur, date):
        return valeur
    try:
        return date.fromisoformat(str(valeur).strip())
    except ValueError:
        raise NoteInvalide(
            f"Date {quoi} invalide « {valeur} » : attendu AAAA-MM-JJ (ex. 2023-12-12)."
        ) from None


# --- Committees ---------------------------------------------------------------------------------------


def ajouter_comite(engine: Engine, date_: date | str, titre: str | None, acteur: str) -> ComiteDePilotage:
    jour = _date(date_, "du comité")
    titre = (titre or "").strip() or None
    if titre and len(titre) > TITRE_MAX:
        raise NoteInvalide(f"Titre trop long : {len(titre)} caractères, {TITRE_MAX} au plus.")
    with engine.begin() as connexion:
        if connexion.execute(select(Comite.date).where(Comite.date == jour)).first():
            raise NoteInvalide(f"Un comité existe déjà le {date_courte(jour)}.")
        connexion.execute(
            insert(Comite).values(date=jour, titre=titre, cree_le=_maintenant(), cree_par=acteur)
        )
    auditer(engine, acteur, "comite_ajoute", jour.isoformat(), {"titre": titre})
    return next(c for c in comites(engine) if c.date == jour)


def comites(engine: Engine) -> list[ComiteDePilotage]:
    """Every committee, the latest first."""
    with engine.connect() as connexion:
        lignes = connexion.execute(select(Comite).order_by(Comite.date.desc())).mappings().all()
    return [
        ComiteDePilotage(ligne["date"], ligne["titre"], _utc(ligne["cree_le"]), ligne["cree_par"])
        for ligne in lignes
    ]


def dernier_comite(engine: Engine, avant: date | None = None) -> ComiteDePilotage | None:
    """The latest committee (strictly before `avant` when given), or None."""
    for comite in comites(engine):
        if avant is None or comite.date < avant:
            return comite
    return None


def supprimer_comite(engine: Engine, date_: date | str, acteur: str) -> None:
    """Delete a committee (its notes stay: they are pinned to a date, not to the committee)."""
    jour = _date(date_, "du comité")
    with engine.begin() as connexion:
        if connexion.execute(delete(Comite).where(Comite.date == jour)).rowcount == 0:
            raise NoteInvalide(f"Aucun comité le {date_courte(jour)}.")
    auditer(engine, acteur, "comite_supprime", jour.isoformat())


# --- Notes --------------------------------------------------------------------------------------------


def region_de(engine: Engine, niveau: str, code: str | None) -> str | None:
    """The région of the entity a note is pinned to (None: national); NoteInvalide for an unknown level
    or code."""
    from dashboard.store import entites

    if niveau not in NIVEAUX_NOTE:
        raise NoteInvalide(f"Niveau inconnu « {niveau} » : attendu {', '.join(NIVEAUX_NOTE)}.")
    if niveau == "national":
        if code:
            raise NoteInvalide("Une note nationale ne porte pas de code.")
        return None
    if not code:
        raise NoteInvalide(f"Code manquant pour le niveau « {niveau} ».")
    ent = entites.entite(engine, niveau, str(code))
    if ent is None:
        raise NoteInvalide(f"{INCONNUS[niveau]} « {code} ».")
    return ent.code if niveau == "region" else ent.region


def _verifier_droit(engine: Engine, principal: Principal | None, niveau: str, code: str | None) -> None:
    if principal is None:  # the command line: the machine's operator
        return
    if not peut_annoter(principal, niveau, region_de(engine, niveau, code)):
        raise NoteRefusee(
            "Votre compte ne permet pas d'écrire cette note (un coordinateur : les territoires et lauréats "
            "de sa région seulement)."
        )


def ajouter_note(
    engine: Engine,
    niveau: str,
    code: str | None,
    date_note: date | str,
    texte: str,
    acteur: str,
    principal: Principal | None = None,
) -> Note:
    """Pin a note to an entity. `principal`, when given (the web), must be allowed to (see
    dashboard.domain.droits.peut_annoter)."""
    code = (str(code).strip() or None) if code is not None else None
    if niveau in ("departement", "region") and code:
        code = code.upper()
    region_de(engine, niveau, code)
    jour = _date(date_note, "de la note")
    texte = (texte or "").strip()
    if not texte:
        raise NoteInvalide("Le texte de la note est vide.")
    if len(texte) > TEXTE_MAX:
        raise NoteInvalide(f"Note trop longue : {len(texte)} caractères, {TEXTE_MAX} au plus.")
    _verifier_droit(engine, principal, niveau, code)
    with engine.begin() as connexion:
        identifiant = connexion.execute(
            insert(NoteComite)
            .values(
                niveau=niveau,
                code=code,
                date_note=jour,
                texte=texte,
                auteur=acteur,
                cree_le=_maintenant(),
                supprimee=False,
            )
            .returning(NoteComite.id)
        ).scalar_one()
    auditer(
        engine,
        acteur,
        "note_ajoutee",
        f"note:{identifiant}",
        {"entite": niveau if niveau == "national" else f"{niveau}:{code}", "date": jour.isoformat()},
    )
    return note(engine, identifiant)


def note(engine: Engine, identifiant: int) -> Note | None:
    with engine.connect() as connexion:
        ligne = connexion.execute(select(NoteComite).where(NoteComite.id == identifiant)).mappings().first()
    return None if ligne is None else _note(ligne)


def _note(ligne) -> Note:
    return Note(
        ligne["id"],
        ligne["niveau"],
        ligne["code"],
        ligne["date_note"],
        ligne["texte"],
        ligne["auteur"],
        _utc(ligne["cree_le"]),
        bool(ligne["supprimee"]),
    )


def notes(
    engine: Engine,
    niveau: str | None = None,
    code: str | None = None,
    depuis: date | None = None,
    jusqu_a: date | None = None,
    avec_supprimees: bool = False,
) -> list[Note]:
    """The notes (of a level, of an entity), dated from `depuis` to `jusqu_a` included, the latest first
    (then the last written first)."""
    requete = select(NoteComite)
    if niveau is not None:
        requete = requete.where(NoteComite.niveau == niveau)
    if code is not None:
        requete = requete.where(NoteComite.code == code)
    if depuis is not None:
        requete = requete.where(NoteComite.date_note >= depuis)
    if jusqu_a is not None:
        requete = requete.where(NoteComite.date_note <= jusqu_a)
    if not avec_supprimees:
        requete = requete.where(NoteComite.supprimee.is_(False))
    requete = requete.order_by(NoteComite.date_note.desc(), NoteComite.id.desc())
    with engine.connect() as connexion:
        return [_note(ligne) for ligne in connexion.execute(requete).mappings()]


def _marquer(engine: Engine, identifiant: int, supprimee: bool, acteur: str, principal: Principal | None):
    existante = note(engine, int(identifiant))
    if existante is None:
        raise NoteInvalide(f"Note inconnue (n° {identifiant}).")
    _verifier_droit(engine, principal, existante.niveau, existante.code)
    if existante.supprimee == supprimee:
        return existante
    with engine.begin() as connexion:
        connexion.execute(update(NoteComite).where(NoteComite.id == existante.id).values(supprimee=supprimee))
    action = "note_supprimee" if supprimee else "note_restauree"
    auditer(engine, acteur, action, f"note:{existante.id}", {"entite": existante.identifiant_entite})
    return note(engine, existante.id)


def supprimer_note(engine: Engine, identifiant: int, acteur: str, principal: Principal | None = None) -> Note:
    """Mark the note deleted (kept: restaurer_note brings it back)."""
    return _marquer(engine, identifiant, True, acteur, principal)


def restaurer_note(engine: Engine, identifiant: int, acteur: str, principal: Principal | None = None) -> Note:
    return _marquer(engine, identifiant, False, acteur, principal)
