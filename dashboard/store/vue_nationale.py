"""Reads of the national view besides the indicator table: the monthly series of the selection and the
territories on which each laureate's perimeter is drawn."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
from sqlalchemy import Engine, select

from dashboard.domain.filtres import Filtres
from dashboard.domain.vocabulaire import NIVEAU_DU_TYPE
from dashboard.store.attribution import attribution, colonne
from dashboard.store.donnees import noms_territoires, reference, territoires
from dashboard.store.indicateurs import laureats_selectionnes, masque
from dashboard.store.memoire import memoiser
from dashboard.store.schema import SyndicatMembre


def serie_mensuelle(
    engine: Engine,
    vue: str,
    filtres: Filtres,
    departements: tuple[str, ...] = (),
    sirens: tuple[str, ...] | None = None,
) -> pd.DataFrame:
    """mois, pass_distribues, pass_utilises of the selected laureates in the period; in the territories
    view with a région filter, only the activity that took place in those régions, and with `departements`
    (a drill into one), only in those; `sirens`: the laureates kept among the selected ones (the porteurs
    view drilled into a département: those whose perimeter reaches it). Memoised (a copy)."""
    return memoiser(engine, _serie_mensuelle, vue, filtres, departements, sirens)


def _serie_mensuelle(
    engine: Engine, vue: str, filtres: Filtres, departements: tuple[str, ...], sirens: tuple[str, ...] | None
) -> pd.DataFrame:
    activite = attribution(engine).activite
    par_lieu = vue == "territoires" and filtres.regions  # what happened in the régions, whoever did it
    laureats = laureats_selectionnes(engine, replace(filtres, regions=()) if par_lieu else filtres)
    choisis = laureats["siren"] if sirens is None else laureats["siren"][laureats["siren"].isin(sirens)]
    garde = masque(activite, choisis, filtres)
    if vue == "territoires" and filtres.regions:
        garde &= activite["code_region"].isin(filtres.regions).to_numpy()
    if vue == "territoires" and departements:
        garde &= activite["code_departement"].isin(departements).to_numpy()
    lignes = pd.DataFrame(
        {
            "mois": activite["mois"].to_numpy()[garde],
            **{c: colonne(activite, c, filtres.vagues)[garde] for c in ("pass_distribues", "pass_utilises")},
        }
    )
    serie = lignes.groupby("mois", as_index=False)[["pass_distribues", "pass_utilises"]].sum()
    return serie.astype({"pass_distribues": "int64", "pass_utilises": "int64"})


def _membres_syndicats(engine: Engine) -> pd.DataFrame:
    with engine.connect() as connection:
        return pd.read_sql(
            select(
                SyndicatMembre.siren_syndicat.label("siren"),
                SyndicatMembre.niveau_membre,
                SyndicatMembre.code_membre,
            ),
            connection,
        )


def couches_porteurs(engine: Engine, filtres: Filtres) -> pd.DataFrame:
    """siren, nom, type, niveau_geo, code: the map territories of each selected laureate. A syndicat
    mixte is drawn as its members (a commune member through its EPCI). Memoised (a copy)."""
    return memoiser(engine, _couches_porteurs, filtres)


def _couches_porteurs(engine: Engine, filtres: Filtres) -> pd.DataFrame:
    laureats = laureats_selectionnes(engine, filtres)
    directs = laureats[laureats["type"].isin(list(NIVEAU_DU_TYPE))].assign(
        niveau_geo=lambda d: d["type"].map(NIVEAU_DU_TYPE), code=lambda d: d["code_territoire"]
    )
    syndicats = laureats[laureats["type"] == "SM"]
    membres = memoiser(engine, _membres_dessines, partage=True)
    dessines = syndicats[["siren", "nom", "type"]].merge(membres[membres["siren"].isin(syndicats["siren"])])
    colonnes = ["siren", "nom", "type", "niveau_geo", "code"]
    return pd.concat([directs[colonnes], dessines[colonnes]], ignore_index=True)


def _membres_dessines(engine: Engine) -> pd.DataFrame:
    """siren, niveau_geo, code: what is drawn of every syndicat's members, once per data version (a
    commune member is drawn as its EPCI; the four island communes without one are left out)."""
    communes, _ = reference(engine)
    membres = _membres_syndicats(engine)
    epci_des_communes = communes.set_index("code")["code_epci"]
    communes_membres = membres["niveau_membre"] == "commune"
    membres.loc[communes_membres, "code_membre"] = membres.loc[communes_membres, "code_membre"].map(
        epci_des_communes
    )
    membres.loc[communes_membres, "niveau_membre"] = "epci"
    return (
        membres.dropna(subset=["code_membre"])
        .drop_duplicates()
        .rename(columns={"niveau_membre": "niveau_geo", "code_membre": "code"})
    )


def codes_des_departements(engine: Engine, niveau: str, departements: tuple[str, ...]) -> pd.Index:
    """The territories of the level in these départements (an EPCI by its main département; a région
    by the départements it holds)."""
    reference_ = territoires(engine)
    if niveau == "departement":
        return pd.Index(departements)
    if niveau == "region":
        deps = reference_.loc["departement"]
        return pd.Index(deps.loc[deps.index.isin(departements), "code_region"].unique())
    epci = reference_.loc["epci"]
    return epci.index[epci["code_departement"].isin(departements)]


def territoires_selection(
    engine: Engine, niveau: str, regions: tuple[str, ...], departements: tuple[str, ...]
) -> pd.DataFrame:
    """Every territory of a level in the régions (and départements) selected, all when none: code, nom,
    code_region, population. The same for every filter state of a place: kept once per data version.
    Shared, read-only."""
    return memoiser(engine, _territoires_selection, niveau, regions, departements, partage=True)


def _territoires_selection(
    engine: Engine, niveau: str, regions: tuple[str, ...], departements: tuple[str, ...]
) -> pd.DataFrame:
    tous = noms_territoires(engine, niveau)
    if regions:
        cle = "code" if niveau == "region" else "code_region"
        tous = tous[tous[cle].isin(regions)]
    if departements:
        tous = tous[tous["code"].isin(codes_des_departements(engine, niveau, departements))]
    return tous


def region_des_departements(engine: Engine) -> dict[str, str]:
    """{code of the département: code of its région}. Shared, read-only."""
    return memoiser(engine, _region_des_departements, partage=True)


def _region_des_departements(engine: Engine) -> dict[str, str]:
    deps = noms_territoires(engine, "departement")
    return dict(zip(deps["code"], deps["code_region"], strict=True))


def population_par_code(engine: Engine, niveau: str) -> pd.Series:
    """The population of every territory of the level, indexed by code. Shared, read-only."""
    return memoiser(engine, _population_par_code, niveau, partage=True)


def _population_par_code(engine: Engine, niveau: str) -> pd.Series:
    return noms_territoires(engine, niveau).set_index("code")["population"]
