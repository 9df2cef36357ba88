"""The floor of bench/: what no implementation of the view can go below with Dash and plotly.js on this
machine, so that the dashboard's figures read as ratios to it (the figures to drive down).

- an empty Dash callback round trip: a minimal Dash app (the wave boxes, a `#kpis` box the callback
  writes, nothing computed), served by the same server as the dashboard (bench/navigateur.py `servir`);
  timed through `/_dash-update-component` on the server and, in the page, from the click to the frame
  after the box changed;
- a bare `Plotly.restyle` of the fill values of every shape of a level (1 255 EPCIs, 101 départements),
  in the same browser, the same geometry already drawn (`#carte`, the dashboard's map id), from the call to
  the frame after the fills changed;
- the values-only payload: the recoloured level's values as JSON, nothing else (`valeurs_seules`).

    python bench/plancher.py            # the app on a free port, for a look
"""

from __future__ import annotations

import json
import math

import dash
import dash_bootstrap_components as dbc
import numpy as np
import plotly.graph_objects as go
from dash import Input, Output, dcc, html
from naif import _lire_geojsons

from dashboard.domain.etat import lire_query
from dashboard.domain.vocabulaire import VAGUES
from dashboard.settings import ROOT


def codes(geojson: dict) -> list[str]:
    return [f["properties"]["code"] for f in geojson["features"]]


def figure(geojson: dict, graine: int = 0) -> go.Figure:
    """Every shape of the level filled from random values (the colour scale fixed, so a restyle with other
    values changes the fills)."""
    valeurs = np.random.default_rng(graine).random(len(geojson["features"]))
    carte = go.Figure(
        go.Choropleth(
            geojson=geojson,
            featureidkey="properties.code",
            locations=codes(geojson),
            z=valeurs,
            zmin=0,
            zmax=1,
            colorscale="YlGnBu",
            marker_line_color="white",
            marker_line_width=0.3,
        )
    )
    carte.update_geos(fitbounds="locations", visible=False)
    carte.update_layout(margin={"l": 0, "r": 0, "t": 0, "b": 0})
    return carte


def creer_app() -> dash.Dash:
    """The minimal app: `/?niveau=epci` draws that level's map once (through a callback, as the geometry
    must arrive somehow), and ticking a wave box runs the empty callback."""
    geojsons = _lire_geojsons()
    app = dash.Dash(
        __name__,
        assets_folder=str(ROOT / "assets"),
        assets_ignore=r"\.js$",
        title="Pass numérique — plancher",
    )
    app.layout = dbc.Container(
        [
            dcc.Location(id="url"),
            dbc.Checklist(
                id="filtre-vague", options=[{"label": f"Vague {v}", "value": v} for v in VAGUES], inline=True
            ),
            html.Div(id="kpis"),
            dcc.Graph(id="carte", config={"topojsonURL": "/assets/topojson/"}, style={"height": "600px"}),
        ],
        fluid=True,
    )

    @app.callback(Output("kpis", "children"), Input("filtre-vague", "value"))
    def vide(vagues):
        return f"{len(vagues or [])} vague(s)"

    @app.callback(Output("carte", "figure"), Input("url", "search"))
    def carte(search):
        niveau = lire_query(search).niveau if search else "epci"
        return figure(geojsons[niveau if niveau in geojsons else "epci"])

    return app


def requete_vide(app: dash.Dash, vagues: list[int]) -> dict:
    """The body the browser POSTs for the empty callback."""
    cle = next(k for k in app.callback_map if k.startswith("kpis."))
    return {
        "output": cle,
        "outputs": {"id": "kpis", "property": "children"},
        "inputs": [{"id": "filtre-vague", "property": "value", "value": vagues}],
        "state": [],
        "changedPropIds": ["filtre-vague.value"],
    }


def valeurs_seules(valeurs) -> int:
    """Bytes of the values-only payload: one number per shape, as JSON, four significant digits (a rate
    shown as « 12,3 % » needs three), no data as null."""
    texte = [
        None if v is None or (isinstance(v, float) and math.isnan(v)) else float(f"{v:.4g}") for v in valeurs
    ]
    return len(json.dumps(texte, separators=(",", ":")))


if __name__ == "__main__":
    creer_app().run(port=8069)
