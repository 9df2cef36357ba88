"""Competent baseline: the national "territoires" view as a good Dash developer writes it in a day, measured
beside the real dashboard and the naive build (bench/naif.py) — what the remaining work buys over
plain, sensible Dash.

Sensible, with plain Dash only:
- the raw events are read once and summed per laureate, commune and month with pandas, the commune's
  parents joined once; that monthly aggregate and the small tables (programme, names) are memoised
  (`functools.lru_cache`): a callback filters and groups a few hundred thousand monthly rows, it never
  reads the database;
- the figure is still a whole `go.Figure(go.Choropleth(geojson=…))` per callback: the geometry of the
  level travels in every response and `dcc.Graph` redraws it with `Plotly.react` (no `Patch`, no
  geometry served apart, no client-side recolour), and every row of the table is sent (AG Grid's
  client-side model).
Same layout, same element ids and same numbers as the naive build (activity counted in the commune where
it happened; test `tests/integration/test_bench_competent.py`), so the same browser selectors time both.

    PASSNUM_DATABASE_URL=… gunicorn --chdir bench 'competent:wsgi()'
"""

from __future__ import annotations

import os
from dataclasses import replace
from functools import lru_cache

import dash
import pandas as pd
from naif import COLONNE_NIVEAU, EVENEMENTS, _dans, _rapport, app_de_reference
from sqlalchemy import create_engine, text

from dashboard.domain.etat import lire_query
from dashboard.domain.formatage import euros, nombre, pourcentage


@lru_cache(maxsize=4)
def _tables(database_url: str) -> dict[str, pd.DataFrame]:
    """Read once per database: the monthly events per laureate and commune (with the commune's
    parents), the programme and the territories' names."""
    engine = create_engine(database_url)
    with engine.connect() as connexion:
        communes = pd.read_sql(
            text(
                "SELECT code AS code_commune, code_region, code_departement, code_epci"
                " FROM territoire WHERE niveau = 'commune'"
            ),
            connexion,
        )
        tables = {}
        for nom, sql in EVENEMENTS.items():
            brut = pd.read_sql(text(sql), connexion, parse_dates=["date"])
            brut["mois"] = brut["date"].dt.to_period("M").dt.to_timestamp()
            mensuel = brut.groupby(["siren_porteur", "code_commune", "mois"], as_index=False)["nb_pass"].sum()
            tables[nom] = mensuel.merge(communes, on="code_commune")
        tables["commande"] = pd.read_sql(
            text("SELECT siren_porteur, nb_carnets, pass_par_carnet FROM commande"), connexion
        )
        convention = pd.read_sql(
            text(
                "SELECT siren_porteur, vague, subvention_etat_eur, subvention_versee_eur, budget_total_eur"
                " FROM convention"
            ),
            connexion,
        )
        porteur = pd.read_sql(text("SELECT siren, type FROM porteur"), connexion)
        tables["conventions"] = convention.merge(porteur, left_on="siren_porteur", right_on="siren")
        tables["noms"] = pd.read_sql(text("SELECT code, nom, population, niveau FROM territoire"), connexion)
    engine.dispose()
    return tables


def calculer(database_url: str, query: str, vagues: list[int] | None) -> tuple[str, pd.DataFrame, dict]:
    """(level, one row per territory, KPI texts) for the query's state, the waves taken from the boxes:
    bench/naif.py's computation on the memoised monthly tables."""
    tables = _tables(database_url)
    etat = lire_query(query)
    filtres = replace(etat.filtres, vagues=tuple(vagues or ()))
    niveau = etat.niveau if etat.vue == "territoires" else "region"
    colonne = COLONNE_NIVEAU[niveau]
    conventions = tables["conventions"]
    if filtres.vagues:
        conventions = conventions[conventions["vague"].isin(filtres.vagues)]
    if filtres.types:
        conventions = conventions[conventions["type"].isin(filtres.types)]
    montants = ["subvention_etat_eur", "subvention_versee_eur", "budget_total_eur"]
    laureats = conventions.groupby("siren_porteur")[montants].sum()
    if filtres.subvention:
        laureats = laureats[_dans(laureats["subvention_etat_eur"], filtres.subvention)]
    sommes, actifs = [], set()
    for nom in EVENEMENTS:
        table = tables[nom]
        table = table[table["siren_porteur"].isin(laureats.index)]
        if filtres.regions:
            table = table[table["code_region"].isin(filtres.regions)]
        if filtres.periode:
            if filtres.periode.debut:
                table = table[table["mois"] >= pd.Timestamp(filtres.periode.debut)]
            if filtres.periode.fin:
                table = table[table["mois"] <= pd.Timestamp(filtres.periode.fin)]
        actifs.update(table["siren_porteur"].unique())
        sommes.append(table.groupby(colonne)["nb_pass"].sum().rename(nom))
    if filtres.regions:
        laureats = laureats[laureats.index.isin(actifs)]
    lignes = pd.concat(sommes, axis=1).fillna(0).astype("int64").rename_axis("code").reset_index()
    noms = tables["noms"]
    lignes = lignes.merge(noms[noms["niveau"] == niveau].drop(columns="niveau"), on="code", how="left")
    lignes["taux_utilisation"] = lignes["pass_utilises"] / lignes["pass_distribues"].where(
        lignes["pass_distribues"] > 0
    )
    if filtres.distribues:
        lignes = lignes[_dans(lignes["pass_distribues"], filtres.distribues)]
    if filtres.taux:
        lignes = lignes[_dans(lignes["taux_utilisation"], filtres.taux)]
    commandes = tables["commande"][tables["commande"]["siren_porteur"].isin(laureats.index)]
    commandes_total = float((commandes["nb_carnets"] * commandes["pass_par_carnet"]).sum())
    distribues, utilises = float(lignes["pass_distribues"].sum()), float(lignes["pass_utilises"].sum())
    kpis = {
        "Lauréats": nombre(len(laureats)),
        "Subvention État engagée": euros(laureats["subvention_etat_eur"].sum()),
        "Subvention État versée": euros(laureats["subvention_versee_eur"].sum()),
        "Pass commandés": nombre(commandes_total),
        "Pass distribués": nombre(distribues),
        "Pass utilisés": nombre(utilises),
        "Taux de distribution": pourcentage(_rapport(distribues, commandes_total)),
        "Taux d'utilisation": pourcentage(_rapport(utilises, distribues)),
    }
    return niveau, lignes, kpis


def creer_app(database_url: str) -> dash.Dash:
    _tables(database_url)  # read at start, before the first visitor
    return app_de_reference(
        "compétent",
        "compétente",
        lambda search, vagues: calculer(database_url, search, vagues),
        uirevision="carte",
    )


def wsgi():
    """creer_app(os.environ['PASSNUM_DATABASE_URL']).server"""
    return creer_app(os.environ["PASSNUM_DATABASE_URL"]).server
