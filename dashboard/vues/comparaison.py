"""The comparison `/comparer?ids=departement:44,epci:200067106`: 2 to 6 territories or laureates side by
side — indicators per inhabitant and rates, each with the national and regional medians of its kind (same
level, or laureates of the same type); funnels and monthly redemptions per 1 000 inhabitants; suggested
peers of the first entity; the shareable address; the exports.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard.domain import liens
from dashboard.domain.formatage import nombre
from dashboard.domain.indicateurs import VISIBLES, Nature, indicateur
from dashboard.exports import Fichier, image, tableur
from dashboard.exports.estampille import EnteteExport, entete
from dashboard.figures.graphiques import chronologies_comparees, entonnoirs_compares
from dashboard.store import entites
from dashboard.store.entites import PAR_HABITANT, Entite
from dashboard.vues import Sources

MIN_ENTITES, MAX_ENTITES = 2, 6
NB_SUGGESTIONS = 5
# Rows of the table: rates and per-inhabitant ratios of the registry, then per-inhabitant forms of stocks.
LIGNES = [i.id for i in VISIBLES if i.nature is not Nature.STOCK]
LIGNES_PAR_HABITANT = list(PAR_HABITANT)


@dataclass(frozen=True)
class Suggestion:
    nom: str
    population: float
    adresse: str  # the comparison with it added


@dataclass(frozen=True)
class VueComparaison:
    """The page: the comparison when at least two entities are chosen, the peers to suggest."""

    entites: list[Entite]
    ignores: list[str]  # said with names (libelles_ignores)
    comparaison: Comparaison | None
    figures: dict[str, dict]
    suggestions: list[Suggestion]


@dataclass(frozen=True)
class Comparaison:
    entites: list[Entite]
    ignores: list[str]  # identifiers not understood or unknown, said on the page
    table: pd.DataFrame  # one row per entity: nom, identifiant, population, indicators, medians
    adresse: str  # the shareable address (path and query)


def lire_ids(sources: Sources, ids: str | None) -> tuple[list[Entite], list[str]]:
    """The entities of `ids` (comma-separated, duplicates dropped, at most MAX_ENTITES) and the
    identifiers left aside."""
    retenues, ignores, vus = [], [], set()
    for morceau in (ids or "").split(","):
        morceau = morceau.strip()
        if not morceau or morceau in vus:
            continue
        vus.add(morceau)
        try:
            niveau, code = liens.lire_identifiant(morceau)
        except ValueError:
            ignores.append(morceau[:40])
            continue
        ent = entites.entite(sources.engine, niveau, code)
        if ent is None or len(retenues) >= MAX_ENTITES:
            ignores.append(morceau)
        else:
            retenues.append(ent)
    return retenues, ignores


def comparer(sources: Sources, choisies: list[Entite], ignores: list[str]) -> Comparaison:
    engine = sources.engine
    lignes = []
    colonnes = [*LIGNES, *LIGNES_PAR_HABITANT]
    for ent in choisies:
        ligne = entites.avec_par_habitant(pd.DataFrame([entites.indicateurs(engine, ent)])).iloc[0]
        medianes = entites.medianes(engine, ent, colonnes)
        donnees = {"nom": ent.nom, "identifiant": ent.identifiant, "type": ent.type_libelle}
        donnees["population"] = ent.population
        for colonne in colonnes:
            donnees[colonne] = ligne.get(colonne)
            donnees[f"{colonne}__national"] = medianes.loc["national", colonne]
            donnees[f"{colonne}__regional"] = medianes.loc["regional", colonne]
        lignes.append(donnees)
    return Comparaison(choisies, ignores, pd.DataFrame(lignes), adresse(choisies))


def adresse(choisies: list[Entite]) -> str:
    """The comparison of these entities (the page's shareable address)."""
    return liens.comparer(e.identifiant for e in choisies)


def vue(sources: Sources, choisies: list[Entite], ignores: list[str]) -> VueComparaison:
    comparaison = comparer(sources, choisies, ignores) if len(choisies) >= MIN_ENTITES else None
    figures = figures_comparaison(sources, comparaison) if comparaison else {}
    return VueComparaison(
        choisies, libelles_ignores(sources, ignores), comparaison, figures, suggestions(sources, choisies)
    )


def libelle(colonne: str) -> str:
    if colonne in PAR_HABITANT:
        return PAR_HABITANT[colonne][0]
    return indicateur(colonne).libelle


def formater(colonne: str, valeur) -> str:
    if colonne in PAR_HABITANT:
        return nombre(valeur, 1)
    return indicateur(colonne).formater(valeur)


def ajouter(sources: Sources, ids: list, choisi: str) -> tuple[list[Entite], list[str], str]:
    """The entities after adding the one `choisi` names (`departement:56`), and the sentence that says
    what happened, with names: added, already there, the comparison full, or unknown."""
    entites_, ignores = lire_ids(sources, ",".join(i for i in (ids or []) if isinstance(i, str)))
    try:
        niveau, code = liens.lire_identifiant(choisi)
    except ValueError:
        return entites_, ignores, "Ce choix ne désigne aucun territoire ni lauréat connu."
    ent = entites.entite(sources.engine, niveau, code)
    if ent is None:
        return entites_, ignores, "Ce choix ne désigne aucun territoire ni lauréat connu."
    if any(e.identifiant == ent.identifiant for e in entites_):
        return entites_, ignores, f"{ent.nom} est déjà dans la comparaison."
    if len(entites_) >= MAX_ENTITES:
        return (
            entites_,
            ignores,
            f"{ent.nom} n'est pas ajouté : {nombre(MAX_ENTITES)} territoires ou lauréats au plus. "
            "Retirez-en un d'abord.",
        )
    return [*entites_, ent], ignores, f"{ent.nom} ajouté à la comparaison."


def retirer(sources: Sources, ids: list, retrait: str) -> tuple[list[Entite], list[str], str]:
    """The entities after removing `retrait`, and the sentence that says it."""
    avant, _ = lire_ids(sources, ",".join(i for i in (ids or []) if isinstance(i, str)))
    retire = next((e for e in avant if e.identifiant == retrait), None)
    entites_, ignores = modifier(sources, ids, retrait=retrait)
    return entites_, ignores, f"{retire.nom} retiré de la comparaison." if retire else ""


def libelles_ignores(sources: Sources, ignores: list[str]) -> list[str]:
    """What the address asked for and the page leaves aside, said with names: "Rhône (au-delà de six)",
    "« xx:1 » (inconnu)"."""
    libelles = []
    for texte in ignores:
        try:
            ent = entites.entite(sources.engine, *liens.lire_identifiant(texte))
        except ValueError:
            ent = None
        if ent is None:
            libelles.append(f"« {texte} » (inconnu)")
        else:
            libelles.append(f"{ent.nom} (au-delà de {nombre(MAX_ENTITES)})")
    return libelles


def modifier(sources: Sources, ids: list, ajout: str | None = None, retrait: str | None = None):
    """The entities after adding the identifier `ajout` or removing `retrait` (and those set aside)."""
    ids = [i for i in (ids or []) if isinstance(i, str) and i != retrait]
    if ajout and ajout not in ids:
        ids.append(ajout)
    return lire_ids(sources, ",".join(ids))


def figures_comparaison(sources: Sources, comparaison: Comparaison) -> dict[str, dict]:
    engine = sources.engine
    entonnoirs, series = [], []
    for ent in comparaison.entites:
        ligne = entites.indicateurs(engine, ent).fillna(0)
        entonnoirs.append(
            (
                ent.nom,
                ent.population,
                ligne["pass_commandes"],
                ligne["pass_distribues"],
                ligne["pass_utilises"],
            )
        )
        series.append((ent.nom, entites.serie_mensuelle(engine, ent), ent.population))
    return {
        "entonnoirs": entonnoirs_compares(entonnoirs),
        "chronologies": chronologies_comparees(series, "pass_utilises", "pass utilisés pour 1 000 habitants"),
    }


def suggestions(sources: Sources, choisies: list[Entite]) -> list[Suggestion]:
    """Peers of the first entity not yet compared, closest population first."""
    if not choisies or len(choisies) >= MAX_ENTITES:
        return []
    premiere = choisies[0]
    pairs = entites.pairs(sources.engine, premiere)
    deja = {e.identifiant for e in choisies}
    pairs = pairs[~pairs["est_entite"] & pairs["valeur"].notna()]
    pairs = pairs.assign(ecart=(pairs["population"] - premiere.population).abs()).nsmallest(
        NB_SUGGESTIONS + len(deja), "ecart"
    )
    resultat = []
    for p in pairs.itertuples():
        identifiant = liens.identifiant(premiere.niveau, p.code)
        if identifiant in deja or len(resultat) >= NB_SUGGESTIONS:
            continue
        adresse = liens.comparer([*(e.identifiant for e in choisies), identifiant])
        resultat.append(Suggestion(p.nom, p.population, adresse))
    return resultat


# --- Exports -----------------------------------------------------------------------------------------------


def entete_comparaison(sources: Sources, comparaison: Comparaison, quoi: str) -> EnteteExport:
    return entete(
        sources.engine,
        f"Pass numérique — comparaison — {quoi}",
        [
            f"Comparés : {', '.join(f'{e.nom} ({e.identifiant})' for e in comparaison.entites)}",
            "Toutes vagues, toute la période",
        ],
    )


def colonnes_export() -> list[tuple[str, str]]:
    colonnes = [
        ("nom", "Nom"),
        ("identifiant", "Identifiant"),
        ("type", "Type"),
        ("population", "Population"),
    ]
    for colonne in [*LIGNES, *LIGNES_PAR_HABITANT]:
        texte = libelle(colonne)
        colonnes += [
            (colonne, texte),
            (f"{colonne}__national", f"{texte} — médiane nationale"),
            (f"{colonne}__regional", f"{texte} — médiane régionale"),
        ]
    return colonnes


def exporter(sources: Sources, ids, format_: str, nom: str) -> Fichier | None:
    """The comparison's table (CSV, XLSX) or one of its charts (PNG); None below two entities."""
    choisies, ignores = lire_ids(sources, ",".join(i for i in (ids or []) if isinstance(i, str)))
    if len(choisies) < MIN_ENTITES:
        return None
    comparaison = comparer(sources, choisies, ignores)
    if format_ == "png":
        figures = figures_comparaison(sources, comparaison)
        if nom not in figures:
            return None
        entete_ = entete_comparaison(sources, comparaison, nom)
        return image(figures[nom], entete_, ["comparaison", nom], sources.geometries.dossier)
    entete_ = entete_comparaison(sources, comparaison, "indicateurs par habitant et taux")
    return tableur(format_, comparaison.table, colonnes_export(), entete_, ["comparaison", nom])
