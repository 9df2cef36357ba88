"""Everything the national view `/` shows, computed from its state (dashboard.domain.etat): the map
figure and its legend, the KPIs, the funnel, the monthly series, the table, the summary sentence, and
where a click on the map leads. The callbacks of pages/national.py and the tests call the same functions.
"""

from __future__ import annotations

import gc
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from dashboard.domain import deck
from dashboard.domain.classification import Classification, Methode, classer, lisible
from dashboard.domain.etat import EtatVue, lire_query
from dashboard.domain.filtres import Filtres
from dashboard.domain.formatage import effectif_texte
from dashboard.domain.indicateurs import (
    SEUILS_METIER,
    Indicateur,
    Nature,
    chiffres_exacts,
    indicateur,
    offerts,
    totaliser,
)
from dashboard.domain.liens import chemin
from dashboard.domain.palettes import sequentielle
from dashboard.domain.resume import de_region, filtres_en_clair, periode_en_clair, phrase_resume
from dashboard.domain.vocabulaire import HORS_EPCI, NIVEAUX_TERRITORIAUX, effectif_niveau
from dashboard.exports import Fichier, FormatTableur, image, tableur
from dashboard.exports.estampille import EnteteExport, entete
from dashboard.figures.carte import (
    cadrer,
    cadres_encarts,
    carte_cercles,
    carte_classee,
    carte_porteurs,
    traces_encarts,
    traces_focus,
)
from dashboard.figures.graphiques import chronologie, entonnoir_des_totaux
from dashboard.store import lieux
from dashboard.store.donnees import COLONNE_NIVEAU, noms_regions, noms_territoires, territoires
from dashboard.store.indicateurs import laureats_et_perimetre, laureats_selectionnes, table_indicateurs
from dashboard.store.memoire import memoiser, une_lecture
from dashboard.store.metadonnees import etat_donnees
from dashboard.store.prevision import projection_mensuelle
from dashboard.store.vue_nationale import (
    codes_des_departements,
    population_par_code,
    region_des_departements,
    serie_mensuelle,
    territoires_selection,
)
from dashboard.store.vue_nationale import couches_porteurs as couches_porteurs_store
from dashboard.vues import Sources, recherche
from dashboard.vues.kpis import Kpis, kpis
from dashboard.vues.legende import (
    COUCHE_FOCUS,
    Legende,
    couches_porteurs,
    legende_cercles,
    legende_classes,
)
from dashboard.vues.tableau import (
    avec_type_et_region,
    colonnes_export,
    niveau_table,
    precisions_export,
    table_export,
)


@dataclass(frozen=True)
class VueNationale:
    etat: EtatVue
    figure: dict
    legende: Legende
    kpis: Kpis
    entonnoir: dict
    mensuel: pd.DataFrame
    table: pd.DataFrame
    resume: str
    bornes: tuple[float, ...]  # the class bounds in use, which "Figer les classes" keeps
    avis: str | None  # a French notice when the view had to adapt the request
    effectif: str  # "12 départements", "56 lauréats"
    peut_remonter: bool  # the territories view below the régions: "Remonter d'un niveau"
    region: tuple[str, str] | None  # (code, nom) of the one région filtered on: a link to its page
    presentation: str  # the briefing deck of this view
    exact: bool = False  # no figure of the selection is an estimate (its laureates' passes are numbered)
    departement: tuple[str, str] | None = None  # (code, nom) of the one département filtered on
    projection: pd.DataFrame | None = None  # the forecast after the last month (dashboard.store.prevision)


def filtres_store(etat: EtatVue):
    """The filters as the store reads them: the département filter is applied here, on the rows of the
    région it belongs to (the région's table is memoised once for all its départements)."""
    return replace(etat.filtres, departements=())


def _sirens_des_departements(sources: Sources, etat: EtatVue) -> pd.Index:
    """Laureates whose perimeter reaches one of the départements filtered on."""
    _, perimetre = laureats_et_perimetre(sources.engine, filtres_store(etat))
    dans = perimetre["code_departement"].isin(etat.filtres.departements).to_numpy()
    return pd.Index(perimetre.loc[dans, "siren"].astype(str).unique())


def _mensuel(sources: Sources, etat: EtatVue) -> pd.DataFrame:
    """The monthly activity of the selection, drilled into a département as the table and the KPIs are:
    the activity that took place there (territories), or that of the laureates reaching it (porteurs)."""
    departements = etat.filtres.departements
    if not departements:
        return serie_mensuelle(sources.engine, etat.vue, filtres_store(etat))
    if etat.vue == "porteurs":
        sirens = tuple(sorted(_sirens_des_departements(sources, etat)))
        return serie_mensuelle(sources.engine, etat.vue, filtres_store(etat), sirens=sirens)
    return serie_mensuelle(sources.engine, etat.vue, filtres_store(etat), departements=departements)


def table_de(sources: Sources, etat: EtatVue) -> pd.DataFrame:
    table = table_indicateurs(sources.engine, niveau_table(etat), etat.vue, filtres_store(etat))
    if not etat.filtres.departements:
        return table
    if etat.vue == "porteurs":
        garde = table["code"].isin(_sirens_des_departements(sources, etat))
    else:
        garde = table["code"].isin(
            codes_des_departements(sources.engine, etat.niveau, etat.filtres.departements)
        )
    return table[garde.to_numpy()].reset_index(drop=True)


def exacte(sources: Sources, etat: EtatVue) -> bool:
    """No figure of the view is an estimate: what its labels say (« exact » rather than « estimé »)."""
    return chiffres_exacts(table_de(sources, etat))


def regions(sources: Sources) -> list[tuple[str, str]]:
    """(code, nom) of every région, by name: the choices of the filter panel."""
    tous = noms_territoires(sources.engine, "region").sort_values("nom")
    return list(zip(tous["code"], tous["nom"], strict=True))


def noms_departements(sources: Sources) -> dict[str, str]:
    """{code: nom} of the départements (the tag of a drill into one)."""
    tous = noms_territoires(sources.engine, "departement")
    return dict(zip(tous["code"], tous["nom"], strict=True))


def etat_de(query) -> EtatVue:
    """The state kept in the page (national-query); a forged one gives the default view."""
    try:
        return lire_query(query if isinstance(query, str) else "")
    except ValueError:
        return EtatVue()


def calculer(sources: Sources, etat: EtatVue) -> VueNationale:
    engine = sources.engine
    ind = indicateur(etat.indicateur)
    adaptation = None
    if ind not in offerts(etat.vue):
        etat = replace(etat, indicateur=EtatVue().indicateur)
        adaptation = (
            f"« {ind.libelle} » n'est pas proposé dans la vue « {etat.vue} » ({ind.sans_objet}) : "
            f"{indicateur(etat.indicateur).libelle_en(etat.vue).lower()} affiché."
        )
        ind = indicateur(etat.indicateur)
    table = table_de(sources, etat)
    donnees = etat_donnees(engine)
    totaux = totaliser(table)
    carte = _carte_stock if ind.nature is Nature.STOCK else _carte_classee
    figure, legende, bornes, avis = carte(sources, etat, table, ind)
    figure, legende = _decorer(sources, etat, figure, legende)
    selection = ",".join((*etat.filtres.regions, *etat.filtres.departements))
    figure["layout"]["uirevision"] = f"{etat.vue}-{etat.niveau}-{selection}"
    regions = noms_regions(engine)
    departement = _departement_filtre(engine, etat)
    filtre_region = etat.filtres.regions[0] if len(etat.filtres.regions) == 1 else None
    effectif = effectif_texte(len(table), effectif_niveau(niveau_table(etat)))
    return VueNationale(
        etat=etat,
        figure=figure,
        legende=legende,
        kpis=kpis(
            totaux,
            _nb_laureats(sources, etat, table),
            donnees.date_donnees,
            etat.vue,
            periode_en_clair(etat.filtres) if etat.filtres.periode else None,
            par_vague=bool(etat.filtres.vagues),
        ),
        entonnoir=entonnoir_des_totaux(
            totaux, flux=etat.filtres.periode is not None, par_lieu=etat.vue == "territoires"
        ),
        mensuel=_mensuel(sources, etat),
        projection=_projection(sources, etat),
        table=table,
        resume=_resume(etat, table, totaux, donnees.date_donnees, regions, departement),
        bornes=bornes,
        avis=" ".join(a for a in (adaptation, avis) if a) or None,
        effectif=effectif,
        peut_remonter=etat.vue == "territoires" and etat.niveau != "region",
        region=(filtre_region, regions[filtre_region]) if filtre_region in regions else None,
        presentation=deck.presentation(etat),
        exact=chiffres_exacts(table),
        departement=departement,
    )


def _resume(etat: EtatVue, table: pd.DataFrame, totaux: pd.Series, date_donnees, regions, departement) -> str:
    """The summary sentence; with a département filter, it names the département rather than its
    région (« 21 EPCI du département Finistère (29) »)."""
    phrase = phrase_resume(table, niveau_table(etat), etat.vue, date_donnees, etat.filtres, regions, totaux)
    if departement and len(etat.filtres.regions) == 1:
        code, nom = departement
        phrase = phrase.replace(
            de_region(etat.filtres.regions[0], regions), f"du département {nom} ({code})", 1
        )
    return phrase


def _departement_filtre(engine: Engine, etat: EtatVue) -> tuple[str, str] | None:
    if len(etat.filtres.departements) != 1:
        return None
    code = etat.filtres.departements[0]
    noms = territoires(engine).loc["departement", "nom"]
    return (code, str(noms.get(code, code)))


def _decorer(sources: Sources, etat: EtatVue, figure: dict, legende: Legende) -> tuple[dict, Legende]:
    """The DROM insets framed and named when the whole of France is in view; the `focus` territory
    outlined (a laureate: its whole perimeter)."""
    geometries = sources.geometries
    niveau_dessine = etat.niveau if etat.vue == "territoires" else "departement"
    filtres = etat.filtres
    if not filtres.regions and not filtres.departements:
        figure["data"] += traces_encarts(geometries.encarts)
    selection = (niveau_dessine, filtres.regions, filtres.departements)
    cadre = memoiser(sources.engine, _cadre, geometries, *selection, partage=True)
    if cadre:
        figure = cadrer(figure, list(cadre))
    if etat.focus:
        niveau, _, code = etat.focus.partition(":")
        if niveau == "porteur":
            couches = couches_porteurs_store(sources.engine, Filtres())
            couches = couches[couches["siren"] == code]
            parties = [
                (geometries.url(n), lignes["code"].tolist(), n)
                for n, lignes in couches.groupby("niveau_geo", sort=True)
            ]
        else:
            parties = [(geometries.url(niveau), [code], niveau)] if niveau in NIVEAUX_TERRITORIAUX else []
        focus = [traces_focus(*partie) for partie in parties]
        figure["data"] += [halo for halo, _ in focus] + [trait for _, trait in focus]  # halos below
        legende = replace(legende, couches=(*legende.couches, COUCHE_FOCUS))
    return figure, legende


def _cadre(
    engine: Engine, geometries, niveau: str, regions: tuple[str, ...], departements: tuple[str, ...]
) -> tuple[float, ...] | None:
    """The box the map frames: the territories drawn (of the selected régions and départements), and
    the DROM insets when the whole of France is in view. The same for every filter state of a place:
    memoised by `_decorer`."""
    dessines = territoires_selection(engine, niveau, regions, departements)["code"]
    bornes = geometries.bornes(niveau).reindex(dessines).dropna()
    if not regions and not departements:
        encarts = cadres_encarts(geometries.encarts)
        bornes = pd.concat([bornes, pd.DataFrame(encarts.values(), columns=bornes.columns)])
    if not len(bornes):
        return None
    cadre = (
        bornes["lon_min"].min(),
        bornes["lat_min"].min(),
        bornes["lon_max"].max(),
        bornes["lat_max"].max(),
    )
    return tuple(float(b) for b in cadre)


def prechauffer(sources: Sources) -> None:
    """Read what every view needs (reference, laureates, monthly aggregates: about a second on the
    national data, see bench/BENCHMARKS.md), compress the geometry and compute the map as `/` opens it,
    and each level of the territories view, so that the first visitor does not pay for it. Under
    `passnum serve` this runs before the workers fork: they inherit it, copy-on-write."""
    sources.geometries.preparer()
    recherche.index(sources)  # the search box of every page's header
    with une_lecture(sources.engine):
        for etat in (EtatVue(), *(EtatVue(vue="territoires", niveau=n) for n in NIVEAUX_TERRITORIAUX)):
            # The map and the table's first block (its type and région columns, read once per level).
            avec_type_et_region(sources.engine, etat, calculer(sources, etat).table)
        lieux.preparer_regions(sources.engine)
        _prechauffer_pilotage(sources)
    # What was read lives as long as the process: out of the cycle collector's way. A full collection
    # walked it all (0.2 s on the national data, in the middle of some visitor's callback); before the
    # fork it would also write to every shared page.
    gc.collect()
    gc.freeze()


def _prechauffer_pilotage(sources: Sources) -> None:
    """The steering figures every page shows (envelopes, forecast, reporting calendar, points de
    vigilance and those at the last committee): about 3 s on the national data, paid before the first
    visitor."""
    from dashboard.store import calendrier, vigilance

    calendrier.synthese(sources.engine)
    evaluation = vigilance.evaluation(sources.engine)
    vigilance.avec_nouveaux(sources.engine, evaluation, vigilance.dernier_comite(sources.engine))


def _nb_laureats(sources: Sources, etat: EtatVue, table: pd.DataFrame) -> int:
    """Laureates of the selection the map and the table show: the rows of the porteurs view; in the
    territories view, the laureates whose perimeter reaches one of the territories of the table (in the
    selected régions)."""
    if etat.vue == "porteurs":
        return len(table)
    _, perimetre = laureats_et_perimetre(sources.engine, filtres_store(etat))
    garde = perimetre[COLONNE_NIVEAU[etat.niveau]].isin(table["code"]).to_numpy().copy()
    if etat.filtres.regions:
        garde &= perimetre["code_region"].isin(etat.filtres.regions).to_numpy()
    if etat.filtres.departements:
        garde &= perimetre["code_departement"].isin(etat.filtres.departements).to_numpy()
    return perimetre.loc[garde, "siren"].nunique()


def figure_chronologie(vue: VueNationale, cumul: bool, notes: list | None = None) -> dict:
    """notes: (date, text) of the national committee notes, marked on the chart (dashboard.vues.notes)."""
    return chronologie(vue.mensuel, cumul, notes=notes, projection=vue.projection)


def _projection(sources: Sources, etat: EtatVue) -> pd.DataFrame | None:
    """The forecast of the selected laureates (those reaching the département drilled into); none with a
    period or a wave filter (it forecasts all of a laureate's passes, after the data date), nor in the
    territories view filtered on régions (the activity there is not its laureates' whole)."""
    filtres = etat.filtres
    if (
        filtres.periode
        or filtres.vagues
        or (etat.vue == "territoires" and (filtres.regions or filtres.departements))
    ):
        return None
    if filtres.departements:
        sirens = _sirens_des_departements(sources, etat)
    else:
        sirens = laureats_selectionnes(sources.engine, filtres_store(etat))["siren"].astype(str)
    return projection_mensuelle(sources.engine, tuple(sirens))


# --- Rates and ratios: classed choropleths --------------------------------------------------------


def _classification(
    etat: EtatVue, ind: Indicateur, valeurs: pd.Series, exclus
) -> tuple[Classification, str | None]:
    valeurs = valeurs.tolist()
    if etat.bornes:
        return classer(valeurs, Methode.SEUILS, seuils=etat.bornes, exclus=exclus), None
    if etat.classes is Methode.SEUILS:
        seuils = SEUILS_METIER.get(ind.id)
        if seuils:
            return classer(valeurs, Methode.SEUILS, seuils=seuils, exclus=exclus), None
        avis = f"Pas de seuils métier pour « {ind.libelle} » : classes par quantiles."
        return lisible(classer(valeurs, Methode.QUANTILES, exclus=exclus), ind.formater), avis
    # Computed classes (not thresholds someone chose) that read the same in the legend are merged.
    return lisible(classer(valeurs, etat.classes, exclus=exclus), ind.formater), None


def _avec_classes(df: pd.DataFrame, ind: Indicateur, classification: Classification) -> pd.DataFrame:
    return df.assign(
        classe=pd.array(classification.indices, dtype="Int64"),
        survol=[ind.formater(v) for v in df[ind.id]],
    )


def _tous_les_territoires(sources: Sources, etat: EtatVue, table: pd.DataFrame) -> pd.DataFrame:
    """Every territory of the level (of the selected régions): those without a row show as "no data"."""
    tous = _territoires_du_niveau(sources, etat, etat.niveau)
    absents = tous.loc[~tous["code"].isin(table["code"]), ["code", "nom"]]
    dessines = table[table["code"] != HORS_EPCI]  # a row of the table, not a shape of the map
    # In code order whatever the data: the map's locations stay put while filters change.
    return pd.concat([dessines, absents], ignore_index=True).sort_values("code", ignore_index=True)


def _territoires_du_niveau(sources: Sources, etat: EtatVue, niveau: str) -> pd.DataFrame:
    """Every territory of a level in the selected régions (and département): code, nom, code_region,
    population. Shared, read-only."""
    filtres = etat.filtres
    return territoires_selection(sources.engine, niveau, filtres.regions, filtres.departements)


def _fond(sources: Sources, etat: EtatVue) -> tuple[str, list[str]]:
    """The base under the laureates: every département of the selection, in light grey."""
    codes = _territoires_du_niveau(sources, etat, "departement")["code"].tolist()
    return sources.geometries.url("departement"), codes


def _carte_classee(sources: Sources, etat: EtatVue, table: pd.DataFrame, ind: Indicateur):
    exact = chiffres_exacts(table)
    libelle = ind.libelle_en(etat.vue, exact)
    if etat.vue == "territoires":
        table = _tous_les_territoires(sources, etat, table)
    # A laureate with inconsistent data is left out of the class breaks, drawn apart.
    incoherents = table["donnees_incoherentes"].fillna(False).astype(bool).to_numpy()
    classification, avis = _classification(etat, ind, table[ind.id], incoherents.tolist())
    couleurs = sequentielle(classification.nb_classes)
    lignes = _avec_classes(table, ind, classification)
    if etat.vue == "porteurs":
        couches = _couches(sources, etat)
        survols = [
            f"{ind.libelle} : données incohérentes" if i else f"{ind.libelle} : {v}"
            for v, i in zip(lignes["survol"], incoherents, strict=True)
        ]
        lignes = lignes.assign(survol=survols, incoherent=incoherents)
        couches = couches.merge(
            lignes[["code", "classe", "survol", "incoherent"]],
            left_on="siren",
            right_on="code",
            suffixes=("", "_porteur"),
        ).drop(columns="code_porteur")
        urls = {n: sources.geometries.url(n) for n in NIVEAUX_TERRITORIAUX}
        figure = carte_porteurs(couches, urls, couleurs, fond=_fond(sources, etat))
    else:
        figure = carte_classee(lignes, sources.geometries.url(etat.niveau), couleurs, libelle)
    titre = ind.titre(etat.vue, exact)
    legende = legende_classes(
        titre,
        classification,
        couleurs,
        ind.formater,
        effectif_niveau(niveau_table(etat)),
    )
    if etat.vue == "porteurs":
        legende = replace(legende, couches=couches_porteurs(set(couches["type"])))
    return figure, legende, classification.bornes, avis


# --- Stocks: proportional circles ----------------------------------------------------------------


def _couches(sources: Sources, etat: EtatVue) -> pd.DataFrame:
    """The territories drawn for each laureate of the selection (of the département filtered on)."""
    couches = couches_porteurs_store(sources.engine, filtres_store(etat))
    if etat.filtres.departements:
        couches = couches[couches["siren"].isin(_sirens_des_departements(sources, etat))]
    return couches


def _points_porteurs(sources: Sources, etat: EtatVue) -> pd.DataFrame:
    """A laureate's circle sits at the mean point of the territories drawn for it."""
    couches = _couches(sources, etat)
    points = sources.geometries.points()
    jointure = couches.merge(points, left_on=["niveau_geo", "code"], right_on=["niveau", "code"])
    return jointure.groupby("siren", as_index=False)[["lon", "lat"]].mean().rename(columns={"siren": "code"})


def _carte_stock(sources: Sources, etat: EtatVue, table: pd.DataFrame, ind: Indicateur):
    geometries = sources.geometries
    if etat.vue == "porteurs":
        points = _points_porteurs(sources, etat)
        url, fond = _fond(sources, etat)  # a grey France (the région, the département) below
        figure = carte_cercles(table, points, url, ind.id, codes_fond=fond)
    else:
        points = geometries.points_du_niveau(etat.niveau)
        tous = _tous_les_territoires(sources, etat, table)
        population = tous["code"].map(population_par_code(sources.engine, etat.niveau)).fillna(0)
        # Largest population first, then by code: `tous` is in code order (its codes unique), so a
        # stable sort on the population alone.
        ordre = np.argsort(-population.to_numpy(), kind="stable")
        tous = tous.assign(_pop=population).take(ordre).reset_index(drop=True)
        figure = carte_cercles(tous, points, geometries.url(etat.niveau), ind.id)
    references = figure["layout"].pop("meta", {}).get("legende_cercles", [])  # it would defeat the patch
    return figure, legende_cercles(ind, references, etat.vue, chiffres_exacts(table)), (), None


# --- Clicks on the map ----------------------------------------------------------------------------


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
    """Click on a territory: région → its départements → that département's EPCIs (territories view
    only)."""
    if etat.vue != "territoires" or not code:
        return etat
    if etat.niveau == "region":
        return etat.descendre(code)
    if etat.niveau == "departement":
        deps = noms_territoires(engine, "departement").set_index("code")
        if code not in deps.index:
            return etat
        return etat.descendre_departement(code, deps["code_region"].get(code))
    return etat


def departement_admis(engine: Engine, etat: EtatVue, departements: tuple[str, ...]) -> EtatVue:
    """The state of the controls with the département filter kept by the page, as long as it lies in
    the one région selected (choosing another région, or all, drops it); unknown codes are dropped."""
    regions = etat.filtres.regions
    deps = region_des_departements(engine)
    gardes = tuple(d for d in departements if len(regions) == 1 and deps.get(d) == regions[0])
    return replace(etat, filtres=replace(etat.filtres, departements=gardes))


def clic(sources: Sources, etat: EtatVue, clic_carte) -> EtatVue | str:
    """What a click on the map does: the address of a page to open, or the new state (the same state
    when the click leads nowhere)."""
    points = (clic_carte or {}).get("points") if isinstance(clic_carte, dict) else None
    point = points[0] if isinstance(points, list) and points and isinstance(points[0], dict) else {}
    return page_du_clic(etat, point) or drill(etat, point.get("location"), sources.engine)


# --- Exports ----------------------------------------------------------------------------------------


def entete_export(sources: Sources, etat: EtatVue) -> EnteteExport:
    """The stamp of every export: view, filters in words, data date, source."""
    filtres = [
        f"Vue : {etat.vue}, niveau : {niveau_table(etat)}",
        *filtres_en_clair(etat.filtres, noms_regions(sources.engine)),
    ]
    departement = _departement_filtre(sources.engine, etat)
    if departement:
        filtres.append(f"Département : {departement[1]} ({departement[0]})")
    return entete(sources.engine, "Pass numérique — tableau de bord national", filtres)


# The charts of the page exported as stamped PNG (the toolbar's button): name → title.
GRAPHIQUES_PNG = {
    "carte": "Carte",
    "entonnoir": "Du pass commandé au pass utilisé",
    "chronologie": "Activité mensuelle",
    "chronologie-cumul": "Activité mensuelle, en cumul",
}


def image_graphique(sources: Sources, etat: EtatVue, nom: str) -> Fichier | None:
    """A chart of the view as a stamped PNG (dashboard.exports.png): its title, the view's filters."""
    if nom not in GRAPHIQUES_PNG:
        return None
    vue = calculer(sources, etat)
    figures = {
        "carte": vue.figure,
        "entonnoir": vue.entonnoir,
        "chronologie": figure_chronologie(vue, cumul=False),
        "chronologie-cumul": figure_chronologie(vue, cumul=True),
    }
    if vue.legende.lignes:
        from dashboard.exports.png import carte_avec_legende

        entrees = [(ligne.couleur, f"{ligne.libelle} ({ligne.effectif})") for ligne in vue.legende.lignes]
        figures["carte"] = carte_avec_legende(vue.figure, vue.legende.titre, entrees)
    titre = GRAPHIQUES_PNG[nom] + (f" — {vue.legende.titre}" if nom == "carte" else "")
    entete_ = replace(entete_export(sources, etat), titre=f"Pass numérique — {titre}")
    quoi = [etat.vue, niveau_table(etat)] if etat.vue == "territoires" else [etat.vue]
    return image(figures[nom], entete_, [*quoi, nom], sources.geometries.dossier)


def exporter(sources: Sources, query, format_: FormatTableur, nom: str = "tableau") -> Fichier | None:
    """The table of the view kept in the page, as CSV or XLSX; a chart as a stamped PNG."""
    if format_ == "png":
        return image_graphique(sources, etat_de(query), nom)
    if format_ not in ("csv", "xlsx"):
        return None
    etat = etat_de(query)
    quoi = [etat.vue, niveau_table(etat)] if etat.vue == "territoires" else [etat.vue]
    table = table_de(sources, etat)
    exact = chiffres_exacts(table)
    meta = entete_export(sources, etat)  # the table as shown: its columns, search and sort
    meta = replace(meta, filtres=[*meta.filtres, *precisions_export(etat, exact)])
    lignes = table_export(sources.engine, etat, table)
    return tableur(format_, lignes, colonnes_export(etat, exact), meta, quoi)
