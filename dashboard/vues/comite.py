"""What the briefing deck says of the monthly steering committee (`/presentation?comite=…`): the key
figures of the deck's selection now and at the committee — the very same calculation, on the period up
to the committee's month (dashboard.domain.filtres.Periode, the months ≤ the committee's) — and their
difference; the laureates or territories whose utilisation rate crossed a business threshold (40 %,
70 %: SEUILS_METIER, the « seuils fixes » classes) since; the notes written since; the new points of
vigilance (dashboard.store.vigilance); and the slide of the committee's notes."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

import pandas as pd

from dashboard.domain.deck import DERNIER, Deck, date_du_comite
from dashboard.domain.etat import EtatVue
from dashboard.domain.filtres import Periode
from dashboard.domain.formatage import date_courte, nombre, pourcentage
from dashboard.domain.indicateurs import SEUILS_METIER, Nature, indicateur, totaliser
from dashboard.store import comites, entites
from dashboard.store.comites import ComiteDePilotage, Note
from dashboard.store.vigilance import nouveaux_points
from dashboard.vues import Sources, nationale
from dashboard.vues.kpis import KPIS_DIAPO

# What /methodologie says of the committee slides (every figure shown has its definition there).
METHODE = (
    "« Au comité » : les mêmes indicateurs, calculés de la même façon sur la sélection de la présentation, "
    "limitée aux mois allant jusqu'au mois du comité inclus (commandes, distributions et utilisations de "
    "ces mois ; la subvention engagée au prorata des pass commandés, comme avec le filtre « Période ») ; "
    "« Maintenant » : toute la période des données. Ils sont estimés ou exacts comme ceux de la carte.",
    "Écart : maintenant moins au comité ; pour un taux, en points de pourcentage (« +2,7 points ») ; "
    "« stable » quand l'arrondi affiché ne change pas.",
    "Seuils franchis : les lauréats (vue porteurs) ou territoires (vue territoires) dont le taux "
    "d'utilisation a changé de classe entre le comité et maintenant, par rapport aux seuils métier de 40 % "
    "et 70 % (une valeur égale au seuil est dans la classe au-dessus) ; ceux aux données incohérentes "
    "sont laissés de côté.",
    "Notes ajoutées depuis : les notes datées d'après le jour du comité ; la diapositive « Notes du "
    "comité » montre celles du jour du comité et d'après. Une note supprimée n'y figure pas.",
)
NB_NOMMES = 8  # names listed per section before « et N autres »
TAUX = "taux_utilisation"


@dataclass(frozen=True)
class Ecart:
    id: str
    libelle: str
    au_comite: str
    maintenant: str
    ecart: str


@dataclass(frozen=True)
class DepuisComite:
    comite: ComiteDePilotage | None
    ecarts: tuple[Ecart, ...] = ()
    seuils: tuple[str, ...] = ()  # « Finistère : 38,5 % → 41,2 % (au-dessus de 40 %) »
    notes: tuple[str, ...] = ()  # « 15/12/2023 · Finistère : relance… »
    vigilance: tuple[str, ...] = ()  # the new points of vigilance, in words


def comite_du_deck(sources: Sources, deck: Deck) -> ComiteDePilotage | None:
    """The committee the deck names: its date (a committee recorded that day, or one made up for it), or
    the latest recorded (`dernier`)."""
    jour = date_du_comite(deck)
    if jour is None:
        return comites.dernier_comite(sources.engine) if deck.comite == DERNIER else None
    connu = next((c for c in comites.comites(sources.engine) if c.date == jour), None)
    return connu or ComiteDePilotage(jour, None, None, "")


def etat_au(etat: EtatVue, jour: date) -> EtatVue:
    """The same view on the months up to `jour`'s (within the view's own period)."""
    mois = jour.replace(day=1)
    periode = etat.filtres.periode
    debut = periode.debut if periode else None
    fin = min(mois, periode.fin) if periode and periode.fin else mois
    if debut is not None and debut > fin:
        debut = fin
    return replace(etat, filtres=replace(etat.filtres, periode=Periode(debut, fin)))


def totaux_au(sources: Sources, etat: EtatVue, jour: date | None) -> pd.Series:
    """The key figures of the view now (None) or at `jour`: the deck's table, totalled."""
    table = nationale.table_de(sources, etat if jour is None else etat_au(etat, jour))
    return totaliser(table)


def depuis_comite(
    sources: Sources,
    deck: Deck,
    vigilance: Callable[..., list] | None = None,
) -> DepuisComite:
    comite = comite_du_deck(sources, deck)
    if comite is None:
        return DepuisComite(None)
    etat = deck.etat
    maintenant = nationale.table_de(sources, etat)
    alors = nationale.table_de(sources, etat_au(etat, comite.date))
    return DepuisComite(
        comite,
        ecarts=ecarts(totaliser(alors), totaliser(maintenant)),
        seuils=seuils_franchis(alors, maintenant),
        notes=tuple(_phrase_note(sources, n) for n in notes_depuis(sources, comite.date, strict=True)),
        vigilance=points_de_vigilance(sources, comite.date, vigilance),
    )


def ecarts(alors: pd.Series, maintenant: pd.Series) -> tuple[Ecart, ...]:
    lignes = []
    for identifiant in KPIS_DIAPO:
        ind = indicateur(identifiant)
        a, m = alors.get(identifiant), maintenant.get(identifiant)
        lignes.append(
            Ecart(identifiant, ind.libelle, ind.formater(a), ind.formater(m), ecart_texte(ind, a, m))
        )
    return tuple(lignes)


def ecart_texte(ind, avant, apres) -> str:
    """`+12 345`, `−3,2 points`, `+68 000 €`, `stable`; `—` without both values."""
    if avant is None or apres is None or pd.isna(avant) or pd.isna(apres):
        return "—"
    difference = float(apres) - float(avant)
    if ind.nature is Nature.TAUX:
        points = round(difference * 100, 1)
        if points == 0:
            return "stable"
        return f"{'+' if points > 0 else '−'}{nombre(abs(points), 1)} point{'s' if abs(points) >= 2 else ''}"
    if round(difference, 2) == 0:
        return "stable"
    return ("+" if difference > 0 else "−") + ind.formater(abs(difference))


def classe(valeur: float, seuils: tuple[float, ...]) -> int:
    """0 below the first threshold, 1 from it to the second, 2 from the second."""
    return bisect_right(seuils, valeur)


def seuils_franchis(alors: pd.DataFrame, maintenant: pd.DataFrame, colonne: str = TAUX) -> tuple[str, ...]:
    """The rows (laureates or territories) whose rate changed class between the committee and now, by
    name: « Finistère : 38,5 % → 41,2 % (passé au-dessus de 40 %) »; the consistent ones only."""
    seuils = SEUILS_METIER[colonne]

    def propres(table: pd.DataFrame) -> pd.DataFrame:
        garde = ~table["donnees_incoherentes"].fillna(False).astype(bool)
        return table.loc[garde.to_numpy(), ["code", "nom", colonne]].dropna(subset=[colonne])

    both = propres(alors).merge(propres(maintenant), on="code", suffixes=("_alors", ""))
    phrases = []
    for ligne in both.sort_values("nom").itertuples():
        avant, apres = getattr(ligne, f"{colonne}_alors"), getattr(ligne, colonne)
        ca, cm = classe(avant, seuils), classe(apres, seuils)
        if ca == cm:
            continue
        if cm > ca:
            franchi = f"passé au-dessus de {pourcentage(seuils[cm - 1], 0)}"
        else:
            franchi = f"passé sous {pourcentage(seuils[cm], 0)}"
        phrases.append(f"{ligne.nom} : {pourcentage(avant)} → {pourcentage(apres)} ({franchi})")
    return tuple(phrases)


def notes_depuis(sources: Sources, jour: date, strict: bool = False) -> list[Note]:
    """The notes dated from the committee's day (strict: after it), every entity."""
    debut = date.fromordinal(jour.toordinal() + 1) if strict else jour
    return comites.notes(sources.engine, depuis=debut)


def nom_entite(sources: Sources, note: Note) -> str:
    if note.niveau == "national":
        return "National"
    ent = entites.entite(sources.engine, note.niveau, note.code or "")
    return ent.nom if ent is not None else note.identifiant_entite


def _phrase_note(sources: Sources, note: Note) -> str:
    return f"{date_courte(note.date_note)} · {nom_entite(sources, note)} : {note.texte}"


def notes_du_comite(sources: Sources, deck: Deck) -> tuple[ComiteDePilotage | None, tuple[str, ...]]:
    """The notes of the committee's day and after (the decisions taken, and what was written since)."""
    comite = comite_du_deck(sources, deck)
    if comite is None:
        return None, ()
    return comite, tuple(_phrase_note(sources, n) for n in notes_depuis(sources, comite.date))


def points_de_vigilance(
    sources: Sources, depuis: date, fonction: Callable[..., list] | None = None
) -> tuple[str, ...]:
    """The new points of vigilance since the committee, in words."""
    fonction = fonction or nouveaux_points
    return tuple(_en_texte(p) for p in fonction(sources.engine, depuis))


def _en_texte(point) -> str:
    for attribut in ("texte", "phrase", "libelle", "message"):
        valeur = getattr(point, attribut, None)
        if isinstance(valeur, str):
            return valeur
    if isinstance(point, dict):
        for cle in ("texte", "phrase", "libelle", "message"):
            if isinstance(point.get(cle), str):
                return point[cle]
    if isinstance(point, tuple):
        return " · ".join(str(p) for p in point)
    return str(point)


def abreger(lignes: tuple[str, ...], nb: int = NB_NOMMES) -> tuple[str, ...]:
    """The first `nb` lines and « et N autres »."""
    if len(lignes) <= nb:
        return lignes
    reste = len(lignes) - nb
    return (*lignes[:nb], f"… et {nombre(reste)} {'autre' if reste == 1 else 'autres'}")
