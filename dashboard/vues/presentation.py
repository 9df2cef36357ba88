"""The briefing deck's slides as data (the deck itself: dashboard.domain.deck): the national summary, the
map, the highest and lowest, the monthly timeline, a chosen territory or laureate — each with what the
selection is in words (deck.selection_en_mots), and the data date and source at its foot. The map slide
counts its territories from its legend's own numbers, and says what the « sans donnée » ones are."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import pandas as pd

from dashboard.domain.deck import (
    COMITE,
    DIAPOS_COMITE,
    TERRITOIRE,
    Deck,
    selection_en_mots,
    territoire_choisi,
)
from dashboard.domain.etat import EtatVue
from dashboard.domain.formatage import date_courte, effectif_texte
from dashboard.domain.indicateurs import Indicateur, Nature, indicateur, totaliser
from dashboard.domain.liens import lire_identifiant
from dashboard.domain.vocabulaire import HORS_EPCI, effectif_niveau
from dashboard.exports.estampille import SOURCE_DONNEES
from dashboard.figures.carte import CONTOURS_TYPES, LIBELLES_TYPES
from dashboard.figures.graphiques import chronologie, entonnoir_des_totaux
from dashboard.store import entites
from dashboard.store.donnees import noms_regions
from dashboard.store.indicateurs import table_indicateurs
from dashboard.store.metadonnees import etat_donnees
from dashboard.store.vue_nationale import couches_porteurs
from dashboard.vues import Sources, nationale
from dashboard.vues.kpis import Chiffre, grands_chiffres
from dashboard.vues.legende import Legende
from dashboard.vues.tableau import niveau_table

NB_CLASSEMENT = 5
SANS_DONNEE = "sans donnée"
HORS_CLASSES = "données incohérentes, hors classes"


@dataclass(frozen=True)
class TypeContour:
    """A line of the map slide's type legend: how a type of laureate is outlined, and how many there are."""

    libelle: str  # "Conseils régionaux"
    couleur: str
    epaisseur: float  # px
    effectif: str  # "12 lauréats"


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
    selection: str = ""  # what the slide shows, in words, under its title
    types: tuple[TypeContour, ...] = ()  # the map's outlines by type of laureate (porteurs view)
    compte: str | None = None  # the map's territories counted from its legend, « sans donnée » said
    disposition: str = ""  # "cote-a-cote": figures beside a chart, filling a 16:9 screen
    ecarts: tuple = ()  # vues.comite.Ecart: a key figure at the committee, now, and the difference
    listes: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (heading, lines): thresholds crossed, notes…


@dataclass(frozen=True)
class VuePresentation:
    deck: Deck
    diapos: tuple[Diapo, ...]
    pied: str  # data date · source (· demo warning), at the foot of every slide


def presentation(sources: Sources, deck: Deck, vigilance=None) -> VuePresentation:
    """vigilance: `(engine, depuis: date) -> list` of the new points of vigilance since the committee
    (default: dashboard.store.vigilance's, when it exists)."""
    vue = nationale.calculer(sources, deck.etat)
    selection = selection_en_mots(deck.etat, noms_regions(sources.engine))
    diapos = tuple(
        _diapo_comite(sources, deck, genre, numero, selection, vigilance)
        if genre in DIAPOS_COMITE
        else _diapo(sources, deck, vue, genre, numero, selection)
        for numero, genre in enumerate(deck.diapos, 1)
    )
    return VuePresentation(deck, diapos, _pied(sources))


def _pied(sources: Sources) -> str:
    donnees = etat_donnees(sources.engine)
    date = f"Données au {date_courte(donnees.date_donnees)}" if donnees.date_donnees else "Aucune donnée"
    morceaux = [date, f"Source : {SOURCE_DONNEES}"]
    if donnees.demo:
        morceaux.append("DONNÉES DE DÉMONSTRATION — FICTIVES")
    return " · ".join(morceaux)


def _diapo(
    sources: Sources, deck: Deck, vue: nationale.VueNationale, genre: str, numero: int, selection: str
) -> Diapo:
    ind = indicateur(vue.etat.indicateur)
    if genre == "resume":
        laureats = len(vue.table) if deck.etat.vue == "porteurs" else None
        avis = "Ignoré : " + ", ".join(deck.ignores) if deck.ignores else None
        chiffres = grands_chiffres(totaliser(vue.table), laureats)
        return Diapo(
            numero,
            "Pass numérique — synthèse",
            phrase=vue.resume,
            chiffres=chiffres,
            avis=avis,
            figure=vue.entonnoir,
            nom_figure="entonnoir",
            selection=selection,
            disposition="cote-a-cote",
        )
    if genre == "carte":
        return _carte(sources, numero, vue, ind, selection)
    if genre == "classement":
        return replace(_classement(numero, vue.table, ind), selection=selection)
    if genre == "chronologie":
        figure = chronologie(vue.mensuel, cumul=True)
        return Diapo(
            numero,
            "Pass distribués et utilisés, cumul mensuel",
            figure=figure,
            nom_figure="chronologie",
            selection=selection,
        )
    if genre == TERRITOIRE:
        choix = territoire_choisi(deck.etat, _candidats(sources, vue))
        if choix.identifiant is None:
            return Diapo(numero, "Territoire choisi", phrase=choix.regle, selection=selection)
        return _territoire(sources, choix.identifiant, numero, deck.etat, choix.regle)
    return _territoire(sources, genre, numero, deck.etat)


SANS_COMITE = "Aucun comité enregistré (passnum comite ajouter AAAA-MM-JJ)."


def _diapo_comite(sources: Sources, deck: Deck, genre: str, numero: int, selection: str, vigilance) -> Diapo:
    """« Depuis le dernier comité (JJ/MM/AAAA) » or « Notes du comité » (dashboard.vues.comite)."""
    from dashboard.vues import comite as comite_

    avis = "Ignoré : " + ", ".join(deck.ignores) if deck.ignores and numero == 1 else None
    if genre == COMITE:
        depuis = comite_.depuis_comite(sources, deck, vigilance)
        if depuis.comite is None:
            return Diapo(
                numero, "Depuis le dernier comité", phrase=SANS_COMITE, avis=avis, selection=selection
            )
        jour = depuis.comite.date
        vigilance_ = depuis.vigilance or ("Aucun.",)
        return Diapo(
            numero,
            f"Depuis le dernier comité ({date_courte(jour)})",
            selection=f"{selection} Au comité : les mois jusqu'à {jour:%m/%Y} inclus.",
            avis=avis,
            ecarts=depuis.ecarts,
            listes=(
                (
                    "Seuils franchis (taux d'utilisation : 40 %, 70 %)",
                    comite_.abreger(depuis.seuils) or ("Aucun.",),
                ),
                ("Notes ajoutées depuis", comite_.abreger(depuis.notes) or ("Aucune.",)),
                ("Nouveaux points de vigilance", comite_.abreger(vigilance_)),
            ),
        )
    comite, lignes = comite_.notes_du_comite(sources, deck)
    if comite is None:
        return Diapo(numero, "Notes du comité", phrase=SANS_COMITE, avis=avis)
    return Diapo(
        numero,
        f"Notes du comité du {date_courte(comite.date)}",
        selection=f"Notes datées du {date_courte(comite.date)} et après, toutes entités.",
        avis=avis,
        listes=(("Notes", comite_.abreger(lignes, 12) or ("Aucune note.",)),),
    )


def _candidats(sources: Sources, vue: nationale.VueNationale) -> list[tuple[str, str, float]]:
    """(identifiant, nom, pass distribués) of the selection's territories: those of the level on the map
    in the territories view, the départements in the porteurs view."""
    etat = vue.etat
    niveau = etat.niveau if etat.vue == "territoires" else "departement"
    if niveau_table(etat) == niveau:
        table = vue.table
    else:
        table = table_indicateurs(sources.engine, niveau, "territoires", etat.filtres)
    table = table[table["code"] != HORS_EPCI]
    return [
        (f"{niveau}:{code}", nom, float(d))
        for code, nom, d in zip(table["code"], table["nom"], table["pass_distribues"], strict=True)
    ]


# --- The map slide ----------------------------------------------------------------------------------


def _carte(
    sources: Sources, numero: int, vue: nationale.VueNationale, ind: Indicateur, selection: str
) -> Diapo:
    figure = {**vue.figure, "layout": {**vue.figure["layout"], "showlegend": False}}
    titre, compte = f"{ind.libelle} — {vue.effectif}", None
    if vue.legende.lignes:
        unite = effectif_niveau(niveau_table(vue.etat))
        titre, compte = _compte_de_la_legende(ind, vue.legende, unite)
    return Diapo(
        numero,
        titre,
        figure=figure,
        nom_figure="carte",
        legende=vue.legende,
        selection=selection,
        types=_types(sources, vue),
        compte=compte,
    )


def nombre_de(effectif: str) -> int:
    """The number of a legend line's count (`1 234 départements` → 1234, `aucun EPCI` → 0)."""
    debut = effectif.split(" ", 1)[0]  # the number groups its digits with narrow no-break spaces
    return int(re.sub(r"\D", "", debut)) if debut[:1].isdigit() else 0


def _compte_de_la_legende(ind: Indicateur, legende: Legende, unite: tuple[str, str]) -> tuple[str, str]:
    """The map slide's title and count, from the very numbers of its legend: the classes, « sans
    donnée » (no value: no laureate, or nothing distributed, in the selection), the laureates left out
    of the classes (inconsistent data)."""
    sans = sum(nombre_de(ligne.effectif) for ligne in legende.lignes if ligne.libelle == SANS_DONNEE)
    hors = sum(nombre_de(ligne.effectif) for ligne in legende.lignes if ligne.libelle == HORS_CLASSES)
    total = sum(nombre_de(ligne.effectif) for ligne in legende.lignes)
    classes = total - sans - hors
    morceaux = [f"{effectif_texte(classes, unite)} avec une valeur (dans les classes)"]
    if sans:
        morceaux.append(
            f"{effectif_texte(sans, unite)} sans donnée, en gris (aucun lauréat ou aucun pass distribué "
            "dans la sélection)"
        )
    else:
        morceaux.append(f"{effectif_texte(0, unite)} sans donnée")
    if hors:
        morceaux.append(f"{effectif_texte(hors, unite)} hors classes (données incohérentes)")
    compte = f"{effectif_texte(total, unite)} sur la carte : " + " ; ".join(morceaux) + "."
    return f"{ind.libelle} — {effectif_texte(total, unite)}", compte


def _types(sources: Sources, vue: nationale.VueNationale) -> tuple[TypeContour, ...]:
    """The outlines of the porteurs view's layers, with how many laureates of each type it shows."""
    if vue.etat.vue != "porteurs":
        return ()
    dessines = {t.get("legendgroup") for t in vue.figure["data"]}
    couches = couches_porteurs(sources.engine, vue.etat.filtres)
    laureats = couches.loc[couches["siren"].isin(vue.table["code"]), ["siren", "type"]].drop_duplicates()
    effectifs = laureats["type"].value_counts()
    return tuple(
        TypeContour(
            LIBELLES_TYPES[t],
            CONTOURS_TYPES[t]["color"],
            CONTOURS_TYPES[t]["width"],
            effectif_texte(int(effectifs.get(t, 0)), effectif_niveau("porteur")),
        )
        for t in CONTOURS_TYPES
        if t in dessines
    )


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


def _territoire(
    sources: Sources, identifiant: str, numero: int, etat: EtatVue, regle: str | None = None
) -> Diapo:
    ent = entites.entite(sources.engine, *lire_identifiant(identifiant))
    if ent is None:
        return Diapo(numero, "Territoire inconnu", phrase=f"Aucun territoire ni lauréat « {identifiant} ».")
    ligne = entites.indicateurs(sources.engine, ent)
    totaux = totaliser(pd.DataFrame([ligne]))
    figure = entonnoir_des_totaux(ligne, par_lieu=ent.niveau != "porteur")
    chiffres = grands_chiffres(totaux)
    return Diapo(
        numero,
        f"{ent.nom} — {ent.type_libelle}",
        phrase=regle,
        chiffres=chiffres,
        figure=figure,
        nom_figure="entonnoir",
        selection=selection_territoire(ent.nom, etat),
        disposition="cote-a-cote",
    )


def selection_territoire(nom: str, etat: EtatVue) -> str:
    """A territory's or laureate's slide shows all of it: said, with the deck's filters left aside."""
    phrase = f"{nom} en entier, toutes vagues."
    if etat.filtres.parametres():
        phrase += " Les filtres des autres diapositives ne s'appliquent pas ici."
    return phrase
