"""French 404 page for any unknown address."""

from __future__ import annotations

import dash
from dash import Dash, dcc, html

from dashboard.contexte import Contexte


def layout(**_params) -> html.Div:
    return html.Div(
        [
            html.H1("Page introuvable", className="mt-4"),
            html.P("L'adresse demandée ne correspond à aucune page du tableau de bord."),
            dcc.Link("Revenir à la carte nationale", href="/", className="btn btn-primary"),
        ],
        id="page-introuvable",
        className="py-4",
    )


def enregistrer(_app: Dash, _contexte: Contexte) -> None:
    # Dash shows the page whose module is named "not_found_404" for any unknown path.
    dash.register_page("not_found_404", path="/404", layout=layout, title="Page introuvable — Pass numérique")
