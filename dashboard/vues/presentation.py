"""The briefing deck's slides as data (the deck itself: dashboard.domain.deck): the national summary, the
map, the highest and lowest, the monthly timeline, a chosen territory or laureate — each with what the
selection is, and the data date and source at its foot."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard.domain.deck import Deck
from dashboard.domain.formatage import date_courte
from dashboard.domain.indicateurs import Indicateur, Nature, indicateur, totaliser
from dashboard.domain.liens import lire_identifiant
from dashboard.exports.estampille import SOURCE_DONNEES
from dashboard.figures.graphiques import chronologie, entonnoir_des_totaux
from dashboard.store import entites
from dashboard.store.metadonnees import etat_donnees
from dashboard.vues import Sources, nationale
from dashboard.vues.kpis import Chiffre, grands_chiffres
from dashboard.vues.legende import Legende

NB_CLASSEMENT = 5


@dataclass(frozen=True)
class Diapo:
    numero: int  # from 1
    titre: str
    phrase: str | None = None  # a sentence in large type
    chiffres: tuple[Chiffre, ...] = ()
    avis: str | None = None  # what the deck's address held that was not understood
    figure: dict | None = None  # a chart, or the map
    nom_figure: str = ""  # what the figure is: carte, chronologie, entonnoir
    legende: Legende | None = None  # the map's
    haut: tuple[tuple[str, str], ...] = ()  # (name, formatted value), highest first
    bas: tuple[tuple[str, str], ...] = ()  # lowest first
    note: str | None = None  # a caveat in small type under the content (who is left out of a ranking)


@dataclass(frozen=True)
class VuePresentation:
    deck: Deck
    diapos: tuple[Diapo, ...]
    pied: str  # data date · source (· demo warning), at the foot of every slide


def presentation(sources: Sources, deck: Deck) -> VuePresentation:
    vue = nationale.calculer(sources, deck.etat)
    diapos = tuple(_diapo(sources, deck, vue, genre, numero) for numero, genre in enumerate(deck.diapos, 1))
    return VuePresentation(deck, diapos, _pied(sources))


def _pied(sources: Sources) -> str:
    donnees = etat_donnees(sources.engine)
    date = f"Données au {date_courte(donnees.date_donnees)}" if donnees.date_donnees else "Aucune donnée"
    morceaux = [date, f"Source : {SOURCE_DONNEES}"]
    if donnees.demo:
        morceaux.append("DONNÉES DE DÉMONSTRATION — FICTIVES")
    return " · ".join(morceaux)


def _diapo(sources: Sources, deck: Deck, vue: nationale.VueNationale, genre: str, numero: int) -> Diapo:
    ind = indicateur(deck.etat.indicateur)
    if genre == "resume":
        laureats = len(vue.table) if deck.etat.vue == "porteurs" else None
        avis = "Ignoré : " + ", ".join(deck.ignores) if deck.ignores else None
        chiffres = grands_chiffres(totaliser(vue.table), laureats)
        return Diapo(numero, "Pass numérique — synthèse", phrase=vue.resume, chiffres=chiffres, avis=avis)
    if genre == "carte":
        figure = {**vue.figure, "layout": {**vue.figure["layout"], "showlegend": False}}
        return Diapo(
            numero, f"{ind.libelle} — {vue.effectif}", figure=figure, nom_figure="carte", legende=vue.legende
        )
    if genre == "classement":
        return _classement(numero, vue.table, ind)
    if genre == "chronologie":
        figure = chronologie(vue.mensuel, cumul=True)
        return Diapo(
            numero, "Pass distribués et utilisés, cumul mensuel", figure=figure, nom_figure="chronologie"
        )
    return _territoire(sources, genre, numero)


def _classement(numero: int, table: pd.DataFrame, ind: Indicateur) -> Diapo:
    titre = f"{ind.libelle} : premiers et derniers"
    incoherents = table["donnees_incoherentes"].fillna(False).astype(bool).to_numpy()
    note = _hors_classement(table.loc[incoherents, "nom"].tolist())
    avec = table[~incoherents].dropna(subset=[ind.id])
    if ind.nature is Nature.STOCK:
        avec = avec[avec[ind.id] > 0]
    if avec.empty:
        return Diapo(numero, titre, phrase="Aucune valeur pour cette sélection.", note=note)
    tries = avec.sort_values([ind.id, "nom"], ascending=[False, True])
    haut = tries.head(NB_CLASSEMENT)
    bas = tries.tail(NB_CLASSEMENT).iloc[::-1] if len(tries) > NB_CLASSEMENT else tries.iloc[0:0]

    def lignes(choix: pd.DataFrame) -> tuple[tuple[str, str], ...]:
        return tuple((nom, ind.formater(v)) for nom, v in zip(choix["nom"], choix[ind.id], strict=True))

    return Diapo(numero, titre, haut=lignes(haut), bas=lignes(bas), note=note)


def _hors_classement(noms: list[str]) -> str | None:
    """The laureates left out of a ranking, said on the slide."""
    if not noms:
        return None
    qui = ", ".join(sorted(noms))
    return (
        "Hors classement, données incohérentes (plus de pass utilisés que distribués, ou distribués "
        f"que commandés) : {qui}."
    )


def _territoire(sources: Sources, identifiant: str, numero: int) -> Diapo:
    ent = entites.entite(sources.engine, *lire_identifiant(identifiant))
    if ent is None:
        return Diapo(numero, "Territoire inconnu", phrase=f"Aucun territoire ni lauréat « {identifiant} ».")
    ligne = entites.indicateurs(sources.engine, ent)
    totaux = totaliser(pd.DataFrame([ligne]))
    figure = entonnoir_des_totaux(ligne, par_lieu=ent.niveau != "porteur")
    chiffres = grands_chiffres(totaux)
    return Diapo(
        numero, f"{ent.nom} — {ent.type_libelle}", chiffres=chiffres, figure=figure, nom_figure="entonnoir"
    )
