"""Everything the national view shows, computed from its state: a plain function the callbacks and the
tests call alike (queries are memoised until the data changes)."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import pandas as pd
from dash import html
from sqlalchemy import Engine

from dashboard.components.kpis import cartes_kpis
from dashboard.components.legende import legende
from dashboard.contexte import Contexte
from dashboard.domain.classification import Classification, Methode, classer
from dashboard.domain.etat import EtatVue
from dashboard.domain.formatage import nombre
from dashboard.domain.indicateurs import INDICATEURS, SEUILS_METIER, Indicateur, Nature, indicateur, totaliser
from dashboard.domain.palettes import sequentielle
from dashboard.domain.resume import phrase_resume
from dashboard.domain.texte import sans_accents
from dashboard.figures.carte import carte_cercles, carte_classee, carte_porteurs
from dashboard.figures.graphiques import chronologie, entonnoir
from dashboard.store.fiches import chemin
from dashboard.store.indicateurs import laureats_selectionnes, table_indicateurs, territoires
from dashboard.store.memoire import memoiser, une_lecture
from dashboard.store.metadonnees import etat_donnees
from dashboard.store.vue_nationale import couches_porteurs, serie_mensuelle

NIVEAUX_GEO = ("region", "departement", "epci")
UNITES_EFFECTIF = {
    "porteurs": ("lauréat", "lauréats"),
    "region": ("région", "régions"),
    "departement": ("département", "départements"),
    "epci": ("EPCI", "EPCI"),
}


@dataclass
class VueNationale:
    etat: EtatVue
    figure: dict
    legende: html.Div
    kpis: list
    entonnoir: dict
    mensuel: pd.DataFrame
    table: pd.DataFrame
    resume: str
    bornes: tuple[float, ...]  # the class bounds in use, which "Figer les classes" keeps
    avis: str | None  # a French notice when the view had to adapt the request


def niveau_table(etat: EtatVue) -> str:
    return "porteur" if etat.vue == "porteurs" else etat.niveau


def table_de(engine: Engine, etat: EtatVue) -> pd.DataFrame:
    return memoiser(engine, table_indicateurs, niveau_table(etat), etat.vue, etat.filtres)


def noms_territoires(engine: Engine, niveau: str) -> pd.DataFrame:
    """code, nom, code_region, population of every territory of the level (read-only: shared)."""
    return memoiser(engine, _lire_noms_territoires, niveau, partage=True)


def _lire_noms_territoires(engine: Engine, niveau: str) -> pd.DataFrame:
    return territoires(engine).loc[niveau].reset_index()[["code", "nom", "code_region", "population"]]


def noms_regions(engine: Engine) -> dict[str, str]:
    """{code: nom} of the régions, read once per data version (twice per callback otherwise)."""
    return memoiser(engine, _lire_noms_regions, partage=True)


def _lire_noms_regions(engine: Engine) -> dict[str, str]:
    regions = noms_territoires(engine, "region")
    return dict(zip(regions["code"], regions["nom"], strict=True))


def calculer(contexte: Contexte, etat: EtatVue) -> VueNationale:
    engine = contexte.engine
    ind = indicateur(etat.indicateur)
    table = table_de(engine, etat)
    donnees = etat_donnees(engine)
    nb_laureats = _nb_laureats(engine, etat, table)
    totaux = totaliser(table)
    if ind.nature is Nature.STOCK:
        figure, legende_carte, bornes, avis = _carte_stock(contexte, etat, table, ind)
    else:
        figure, legende_carte, bornes, avis = _carte_classee(contexte, etat, table, ind)
    figure["layout"]["uirevision"] = f"{etat.vue}-{etat.niveau}-{','.join(etat.filtres.regions)}"
    return VueNationale(
        etat=etat,
        figure=figure,
        legende=legende_carte,
        kpis=cartes_kpis(totaux, nb_laureats, donnees.date_donnees),
        entonnoir=entonnoir(
            totaux["pass_commandes"],
            totaux["pass_distribues"],
            totaux["pass_utilises"],
            totaux["pass_expires"],
        ),
        mensuel=memoiser(engine, serie_mensuelle, etat.vue, etat.filtres),
        table=table,
        resume=phrase_resume(
            table,
            niveau_table(etat),
            etat.vue,
            donnees.date_donnees,
            etat.filtres,
            noms_regions(engine),
        ),
        bornes=bornes,
        avis=avis,
    )


def prechauffer(contexte: Contexte) -> None:
    """Read what every view needs (reference, laureates, monthly aggregates: ≈ 1 s on the national data),
    compress the geometry and compute the map as `/` opens it, and each level of the territories view,
    so that the first visitor does not pay for it. Under `passnum serve` this runs before the workers
    fork: they inherit it, copy-on-write."""
    contexte.geometries.preparer()
    with une_lecture(contexte.engine):
        calculer(contexte, EtatVue())
        for niveau in NIVEAUX_GEO:
            calculer(contexte, EtatVue(vue="territoires", niveau=niveau))


def _nb_laureats(engine: Engine, etat: EtatVue, table: pd.DataFrame) -> int:
    """Laureates of the selection. In the territories view the ranges (passes distributed, rate) apply
    to laureates as in the porteurs view: only then is the laureates' table needed."""
    if etat.vue == "porteurs":
        return len(table)
    if etat.filtres.distribues or etat.filtres.taux:
        return len(memoiser(engine, table_indicateurs, "porteur", "porteurs", etat.filtres))
    return len(memoiser(engine, laureats_selectionnes, etat.filtres))


def figure_chronologie(vue: VueNationale, cumul: bool) -> dict:
    return chronologie(vue.mensuel, cumul)


# --- Rates and ratios: classed choropleths --------------------------------------------------------


def _classification(etat: EtatVue, ind: Indicateur, valeurs: pd.Series) -> tuple[Classification, str | None]:
    if etat.bornes:
        return classer(valeurs.tolist(), Methode.SEUILS, seuils=etat.bornes), None
    if etat.classes is Methode.SEUILS:
        seuils = SEUILS_METIER.get(ind.id)
        if seuils:
            return classer(valeurs.tolist(), Methode.SEUILS, seuils=seuils), None
        avis = f"Pas de seuils métier pour « {ind.libelle} » : classes par quantiles."
        return classer(valeurs.tolist(), Methode.QUANTILES), avis
    return classer(valeurs.tolist(), etat.classes), None


def _avec_classes(df: pd.DataFrame, ind: Indicateur, classification: Classification) -> pd.DataFrame:
    return df.assign(
        classe=pd.array(classification.indices, dtype="Int64"),
        survol=[ind.formater(v) for v in df[ind.id]],
    )


def _tous_les_territoires(engine: Engine, etat: EtatVue, table: pd.DataFrame) -> pd.DataFrame:
    """Every territory of the level (of the selected régions): those without a row show as "no data"."""
    territoires = noms_territoires(engine, etat.niveau)
    if etat.filtres.regions:
        cle = "code" if etat.niveau == "region" else "code_region"
        territoires = territoires[territoires[cle].isin(etat.filtres.regions)]
    absents = territoires.loc[~territoires["code"].isin(table["code"]), ["code", "nom"]]
    # In code order whatever the data: the map's locations stay put while filters change.
    return pd.concat([table, absents], ignore_index=True).sort_values("code", ignore_index=True)


def _carte_classee(contexte: Contexte, etat: EtatVue, table: pd.DataFrame, ind: Indicateur):
    if etat.vue == "territoires":
        table = _tous_les_territoires(contexte.engine, etat, table)
    classification, avis = _classification(etat, ind, table[ind.id])
    couleurs = sequentielle(classification.nb_classes)
    lignes = _avec_classes(table, ind, classification)
    if etat.vue == "porteurs":
        couches = memoiser(contexte.engine, couches_porteurs, etat.filtres)
        lignes = lignes.assign(survol=[f"{ind.libelle} : {v}" for v in lignes["survol"]])
        couches = couches.merge(
            lignes[["code", "classe", "survol"]], left_on="siren", right_on="code", suffixes=("", "_porteur")
        ).drop(columns="code_porteur")
        urls = {n: contexte.geometries.url(n) for n in NIVEAUX_GEO}
        figure = carte_porteurs(couches, urls, couleurs)
    else:
        figure = carte_classee(lignes, contexte.geometries.url(etat.niveau), couleurs, ind.libelle)
    unite = UNITES_EFFECTIF["porteurs" if etat.vue == "porteurs" else etat.niveau]
    titre = f"{ind.libelle} ({ind.unite})"
    bloc = legende(titre, classification, couleurs, ind.formater, unite)
    return figure, bloc, classification.bornes, avis


# --- Stocks: proportional circles ----------------------------------------------------------------


def _points_porteurs(contexte: Contexte, etat: EtatVue) -> pd.DataFrame:
    """A laureate's circle sits at the mean point of the territories drawn for it."""
    couches = memoiser(contexte.engine, couches_porteurs, etat.filtres)
    points = contexte.geometries.points()
    jointure = couches.merge(points, left_on=["niveau_geo", "code"], right_on=["niveau", "code"])
    return jointure.groupby("siren", as_index=False)[["lon", "lat"]].mean().rename(columns={"siren": "code"})


def _carte_stock(contexte: Contexte, etat: EtatVue, table: pd.DataFrame, ind: Indicateur):
    if etat.vue == "porteurs":
        points = _points_porteurs(contexte, etat)
        fond = noms_territoires(contexte.engine, "departement")["code"].tolist()  # a grey France below
        figure = carte_cercles(table, points, contexte.geometries.url("departement"), ind.id, codes_fond=fond)
    else:
        points = contexte.geometries.points()
        points = points[points["niveau"] == etat.niveau]
        tous = _tous_les_territoires(contexte.engine, etat, table)
        population = noms_territoires(contexte.engine, etat.niveau).set_index("code")["population"]
        tous = tous.assign(_pop=tous["code"].map(population).fillna(0)).sort_values(
            ["_pop", "code"], ascending=[False, True], kind="stable", ignore_index=True
        )
        figure = carte_cercles(tous, points, contexte.geometries.url(etat.niveau), ind.id)
    legende_carte = _legende_cercles(ind, figure)
    figure["layout"].pop("meta", None)  # only the legend needed it: it would defeat the patch
    return figure, legende_carte, (), None


def _legende_cercles(ind: Indicateur, figure: dict) -> html.Div:
    references = figure["layout"].get("meta", {}).get("legende_cercles", [])
    lignes = [
        html.Li(
            [
                html.Span(
                    className="legende-cercle",
                    style={"width": f"{t}px", "height": f"{t}px"},
                    **{"aria-hidden": "true"},
                ),
                html.Span(ind.formater(v)),
            ],
            className="legende-ligne",
        )
        for v, t in references
    ]
    return html.Div(
        [
            html.H2(f"{ind.libelle} ({ind.unite})", className="h6 mb-2"),
            html.P("Surface des cercles proportionnelle à la valeur.", className="small mb-2"),
            html.Ul(lignes, className="list-unstyled mb-0"),
        ],
        id="legende",
        className="legende",
    )


# --- Table ----------------------------------------------------------------------------------------


GENRES = {
    "%": "pourcent",
    "€": "euros",
    "€/hab.": "centimes",
    "€/pass": "centimes",
    "mois": "decimal",
    "pass/1 000 hab.": "decimal",
}


def colonnes_tableau(etat: EtatVue) -> list[dict]:
    code = "SIREN" if etat.vue == "porteurs" else "Code"
    colonnes = [
        {
            "field": "nom",
            "headerName": "Nom",
            "pinned": "left",
            "minWidth": 240,
            "cellRenderer": "LienFiche",  # assets/ag-grid-fonctions.js: a link to the page
        },
        {"field": "code", "headerName": code, "width": 120},
    ]
    for ind in INDICATEURS:
        genre = GENRES.get(ind.unite, "entier")
        colonnes.append(
            {
                "field": ind.id,
                "headerName": ind.libelle,
                "type": "rightAligned",
                "valueFormatter": {"function": f"formatFr(params.value, '{genre}')"},
                "minWidth": 140,
            }
        )
    return colonnes


def lignes_tableau(table: pd.DataFrame) -> list[dict]:
    """Records for the grid: numbers stay numbers, NaN becomes null (no data, not zero)."""
    return [
        {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in ligne.items()}
        for ligne in table.to_dict("records")
    ]


TAILLE_BLOC = 100  # rows per request of the grid's infinite row model
BLOC_MAX = 500


def bloc_tableau(table: pd.DataFrame, requete: dict, recherche: str | None) -> dict:
    """Rows startRow..endRow of the table searched (name or code, ignoring case and accents) and sorted
    as the grid asks (`sortModel`), with the row count: the getRowsResponse of the infinite model."""
    if recherche and recherche.strip():
        cible = sans_accents(recherche.strip())
        textes = (table["nom"].fillna("") + " " + table["code"].astype(str)).map(sans_accents)
        table = table[textes.str.contains(cible, regex=False).to_numpy()]
    tris = [
        t for t in requete.get("sortModel") or [] if isinstance(t, dict) and t.get("colId") in table.columns
    ]
    if tris:
        table = table.sort_values(
            [t["colId"] for t in tris],
            ascending=[t.get("sort") != "desc" for t in tris],
            na_position="last",
            kind="stable",
            key=lambda c: c.map(sans_accents) if c.dtype == object or c.dtype == "str" else c,
        )
    debut = _entier(requete.get("startRow"), 0)
    fin = min(_entier(requete.get("endRow"), debut + TAILLE_BLOC), debut + BLOC_MAX)
    bloc = table.iloc[debut:fin]
    if "niveau" in bloc:
        bloc = bloc.assign(lien=[chemin(n, c) for n, c in zip(bloc["niveau"], bloc["code"], strict=True)])
    return {"rowData": lignes_tableau(bloc), "rowCount": len(table)}


def _entier(valeur, defaut: int) -> int:
    return max(0, int(valeur)) if isinstance(valeur, int | float) and math.isfinite(valeur) else defaut


def effectif(vue: VueNationale) -> str:
    singulier, pluriel = UNITES_EFFECTIF["porteurs" if vue.etat.vue == "porteurs" else vue.etat.niveau]
    return f"{nombre(len(vue.table))} {singulier if len(vue.table) == 1 else pluriel}"


def page_du_clic(etat: EtatVue, point: dict) -> str | None:
    """Where a click leads when it does not drill down: a laureate's page (porteurs view) or an EPCI's
    page (the last level of the territories view)."""
    if etat.vue == "porteurs":
        donnees = point.get("customdata")
        siren = donnees[0] if isinstance(donnees, list) and donnees else None
        return chemin("porteur", siren) if isinstance(siren, str) and siren.isdigit() else None
    code = point.get("location")
    if etat.niveau == "epci" and isinstance(code, str) and code.isdigit():
        return chemin("epci", code)
    return None


def drill(etat: EtatVue, code: str | None, engine: Engine) -> EtatVue:
    """Click on a territory: région → its départements → their EPCIs (territories view only)."""
    if etat.vue != "territoires" or not code:
        return etat
    if etat.niveau == "region":
        return etat.descendre(code)
    if etat.niveau == "departement":
        deps = noms_territoires(engine, "departement").set_index("code")
        region = deps["code_region"].get(code)
        return replace(
            etat.descendre(None), filtres=replace(etat.filtres, regions=(region,) if region else ())
        )
    return etat
