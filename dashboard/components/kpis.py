"""KPI cards of a selection (`id="kpis"`), from dashboard.vues.kpis."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from dashboard.vues.kpis import Chiffre, Kpis


def _carte(chiffre: Chiffre) -> dbc.Col:
    return dbc.Col(
        html.Div(
            [
                html.Div(chiffre.titre, className="kpi-titre"),
                html.Div(chiffre.valeur, className="kpi-valeur"),
            ],
            className="kpi",
            id=chiffre.id,
        ),
        xs=6,
        md=4,
        xl=True,
    )


def cartes_kpis(kpis: Kpis) -> list:
    """The children of the page's `kpis` container."""
    return [
        dbc.Row([_carte(c) for c in kpis.chiffres], className="g-2"),
        html.Div(kpis.date, className="kpi-date small text-body-secondary mt-1"),
    ]
