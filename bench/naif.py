"""Naive baseline: the national "territoires" view written the way a Dash tutorial would, measured beside
the real dashboard (same endpoint, same browser selectors, same kind of numbers) to show what the
performance budget buys.

Naive on purpose, and only there. Every callback:
- reads the raw tables with plain `pd.read_sql`: the events `distribution` and `utilisation` (hundreds
  of thousands of rows), the programme, the commune → EPCI/département/région mapping; no aggregate
  table, no memo, no cache;
- filters, joins and groups them with pandas;
- rebuilds `go.Figure(go.Choropleth(geojson=…))` with the whole GeoJSON of the level, so that the
  geometry (≈ 70 KB for the régions, 1.1 MB for the EPCIs) travels in every response, and sends every
  row of the table (AG Grid's client-side model).
The GeoJSON files are parsed once at start-up. No sleeps, no pointless work: the numbers are those of
the real view (activity counted in the commune where it happened).

Simplifications, to keep in mind when comparing: no sign-in; Dash's defaults otherwise (no response
compression); the porteurs view (`vue=porteurs` or no `vue`) is drawn as the territoires view at région
level; the map shows pass_distribues, pass_utilises or taux_utilisation, always as a choropleth (any other
indicator falls back to taux_utilisation); amounts are not split over territories (KPIs only); with a
région filter, the laureates counted are those with activity in the région.

    PASSNUM_DATABASE_URL=… gunicorn --chdir bench 'naif:wsgi()'
"""

from __future__ import annotations

import json
import os
from dataclasses import replace

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
import pandas as pd
import plotly.graph_objects as go
from dash import Input, Output, dcc, html
from sqlalchemy import create_engine, text

from dashboard.domain.etat import lire_query
from dashboard.domain.formatage import euros, nombre, pourcentage
from dashboard.domain.vocabulaire import VAGUES
from dashboard.settings import ROOT

COLONNE_NIVEAU = {"region": "code_region", "departement": "code_departement", "epci": "code_epci"}
LIBELLES = {
    "taux_utilisation": "Taux d'utilisation",
    "pass_distribues": "Pass distribués",
    "pass_utilises": "Pass utilisés",
}
EVENEMENTS = {
    "pass_distribues": "SELECT siren_porteur, date, code_commune, nb_pass FROM distribution",
    "pass_utilises": "SELECT siren_porteur, date, code_commune, nb_pass FROM utilisation",
}
COLONNES = [
    {"field": "code", "headerName": "Code"},
    {"field": "nom", "headerName": "Territoire", "flex": 2},
    {"field": "population", "headerName": "Population"},
    {"field": "pass_distribues", "headerName": "Pass distribués"},
    {"field": "pass_utilises", "headerName": "Pass utilisés"},
    {
        "field": "taux_utilisation",
        "headerName": "Taux d'utilisation",
        "valueFormatter": {"function": "params.value == null ? '—' : d3.format('.1%')(params.value)"},
    },
]


def _lire_geojsons() -> dict[str, dict]:
    dossier = ROOT / "data" / "geo"
    fichiers = json.loads((dossier / "manifest.json").read_text(encoding="utf-8"))["fichiers"]
    return {
        niveau: json.loads((dossier / nom).read_text(encoding="utf-8")) for niveau, nom in fichiers.items()
    }


def _dans(valeurs: pd.Series, plage) -> pd.Series:
    """`Plage.contient` on a column: bounds included, None open, no data outside every range."""
    garde = valeurs.notna()
    if plage.min is not None:
        garde &= valeurs >= plage.min
    if plage.max is not None:
        garde &= valeurs <= plage.max
    return garde


def _rapport(numerateur: float, denominateur: float) -> float | None:
    return numerateur / denominateur if denominateur else None


def calculer(engine, query: str, vagues: list[int] | None) -> tuple[str, pd.DataFrame, dict[str, str]]:
    """(level, one row per territory, KPI texts) for the query's state, the waves taken from the boxes."""
    etat = lire_query(query)
    filtres = replace(etat.filtres, vagues=tuple(vagues or ()))
    niveau = etat.niveau if etat.vue == "territoires" else "region"
    colonne = COLONNE_NIVEAU[niveau]
    with engine.connect() as connexion:
        evenements = {
            nom: pd.read_sql(text(sql), connexion, parse_dates=["date"]) for nom, sql in EVENEMENTS.items()
        }
        commande = pd.read_sql(
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
        communes = pd.read_sql(
            text(
                "SELECT code AS code_commune, code_region, code_departement, code_epci"
                " FROM territoire WHERE niveau = 'commune'"
            ),
            connexion,
        )
        noms = pd.read_sql(
            text("SELECT code, nom, population FROM territoire WHERE niveau = :niveau"),
            connexion,
            params={"niveau": niveau},
        )
    # Laureates: a convention of a chosen wave, a chosen type, their subsidy (over those waves) in range.
    conventions = convention.merge(porteur, left_on="siren_porteur", right_on="siren")
    if filtres.vagues:
        conventions = conventions[conventions["vague"].isin(filtres.vagues)]
    if filtres.types:
        conventions = conventions[conventions["type"].isin(filtres.types)]
    montants = ["subvention_etat_eur", "subvention_versee_eur", "budget_total_eur"]
    laureats = conventions.groupby("siren_porteur")[montants].sum()
    if filtres.subvention:
        laureats = laureats[_dans(laureats["subvention_etat_eur"], filtres.subvention)]
    # Activity where it happened: each event with its commune's parents, then summed per territory.
    sommes, actifs = [], set()
    for nom, table in evenements.items():
        table = table[table["siren_porteur"].isin(laureats.index)].merge(communes, on="code_commune")
        if filtres.regions:
            table = table[table["code_region"].isin(filtres.regions)]
        if filtres.periode:
            debut = pd.Timestamp(filtres.periode.debut)
            apres = pd.Timestamp(filtres.periode.fin) + pd.offsets.MonthBegin(1)
            table = table[(table["date"] >= debut) & (table["date"] < apres)]
        actifs.update(table["siren_porteur"].unique())
        sommes.append(table.groupby(colonne)["nb_pass"].sum().rename(nom))
    if filtres.regions:
        laureats = laureats[laureats.index.isin(actifs)]
    lignes = pd.concat(sommes, axis=1).fillna(0).astype("int64").rename_axis("code").reset_index()
    lignes = lignes.merge(noms, on="code", how="left")
    lignes["taux_utilisation"] = lignes["pass_utilises"] / lignes["pass_distribues"].where(
        lignes["pass_distribues"] > 0
    )
    if filtres.distribues:
        lignes = lignes[_dans(lignes["pass_distribues"], filtres.distribues)]
    if filtres.taux:
        lignes = lignes[_dans(lignes["taux_utilisation"], filtres.taux)]
    commandes = commande[commande["siren_porteur"].isin(laureats.index)]
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


def mise_en_page(titre: str) -> dbc.Container:
    """The page of the reference builds (naive and competent): the wave boxes, the KPIs, the map and the
    table, with the dashboard's element ids."""
    return dbc.Container(
        [
            dcc.Location(id="url"),
            html.H1(titre, className="h4 my-3"),
            dbc.Checklist(
                id="filtre-vague", options=[{"label": f"Vague {v}", "value": v} for v in VAGUES], inline=True
            ),
            html.Div(id="kpis", className="d-flex flex-wrap gap-4 my-3"),
            dcc.Graph(id="carte", config={"topojsonURL": "/assets/topojson/"}, style={"height": "600px"}),
            dag.AgGrid(id="tableau", rowData=[], columnDefs=[], defaultColDef={"sortable": True}),
        ],
        fluid=True,
    )


def creer_app(database_url: str) -> dash.Dash:
    engine = create_engine(database_url)
    return app_de_reference("naïf", "naïve", lambda search, vagues: calculer(engine, search, vagues))


def app_de_reference(nom: str, reference: str, calculer_vue, uirevision: str | None = None) -> dash.Dash:
    """The reference app (naive or competent: bench/competent.py), around its way of computing the view,
    `calculer_vue(search, vagues)` → (niveau, lignes, kpis): a whole figure with the level's GeoJSON in
    every response, redrawn by `Plotly.react` (the competent build keeps the zoom: `uirevision`)."""
    geojsons = _lire_geojsons()
    # The repository's assets: bootstrap's CSS and plotly's offline base topojson (nothing fetched from
    # outside); the real app's own scripts are left out, they belong to its pages.
    app = dash.Dash(
        __name__, assets_folder=str(ROOT / "assets"), assets_ignore=r"\.js$", title=f"Pass numérique — {nom}"
    )
    app.layout = mise_en_page(f"Pass numérique — référence {reference}")

    # The boxes start from the address, so that ticking one changes the state.
    @app.callback(Output("filtre-vague", "value"), Input("url", "search"))
    def vagues_de_l_adresse(search):
        return list(lire_query(search).filtres.vagues)

    @app.callback(
        Output("carte", "figure"),
        Output("kpis", "children"),
        Output("tableau", "rowData"),
        Output("tableau", "columnDefs"),
        Input("url", "search"),
        Input("filtre-vague", "value"),
    )
    def vue(search, vagues):
        niveau, lignes, kpis = calculer_vue(search, vagues)
        indicateur = lire_query(search).indicateur
        indicateur = indicateur if indicateur in LIBELLES else "taux_utilisation"
        figure = go.Figure(
            go.Choropleth(
                geojson=geojsons[niveau],
                featureidkey="properties.code",
                locations=lignes["code"],
                z=lignes[indicateur],
                text=lignes["nom"],
                colorscale="YlGnBu",
                marker_line_color="white",
                marker_line_width=0.3,
                colorbar_title=LIBELLES[indicateur],
                hovertemplate="%{text}<br>%{z}<extra></extra>",
            )
        )
        figure.update_geos(fitbounds="locations", visible=False)
        figure.update_layout(margin={"l": 0, "r": 0, "t": 0, "b": 0}, uirevision=uirevision)
        cartes = [html.Div([html.Div(titre, className="small"), html.Strong(v)]) for titre, v in kpis.items()]
        lignes = lignes.astype(object).where(lignes.notna(), None)  # NaN is not JSON
        return figure, cartes, lignes.to_dict("records"), COLONNES

    return app


def wsgi():
    """creer_app(os.environ['PASSNUM_DATABASE_URL']).server"""
    return creer_app(os.environ["PASSNUM_DATABASE_URL"]).server


def requete(app: dash.Dash, query: str) -> dict:
    """The body the browser POSTs to /_dash-update-component for the view's callback on `query` (the
    wave boxes as the address set them)."""
    cle = next(k for k in app.callback_map if "carte.figure" in k)
    valeurs = {"url.search": query, "filtre-vague.value": list(lire_query(query).filtres.vagues)}
    return {
        "output": cle,
        "outputs": [
            dict(zip(("id", "property"), o.split("."), strict=True)) for o in cle.strip(".").split("...")
        ],
        "inputs": [
            {**e, "value": valeurs[f"{e['id']}.{e['property']}"]} for e in app.callback_map[cle]["inputs"]
        ],
        "state": [],
        "changedPropIds": ["url.search"],
    }
