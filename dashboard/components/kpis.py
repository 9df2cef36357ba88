"""KPI cards of a selection (`id="kpis"`), from dashboard.vues.kpis."""

from __future__ import annotations

from dash import html

from dashboard.vues.kpis import Chiffre, Kpis


def _carte(chiffre: Chiffre) -> html.Div:
    # A Bootstrap column (xs=6, md=4, xl=True) written as HTML: the cards go into an Arbre.
    return html.Div(
        html.Div(
            [
                html.Div(chiffre.titre, className="kpi-titre"),
                html.Div(chiffre.valeur, className="kpi-valeur"),
            ],
            className="kpi",
            id=chiffre.id,
        ),
        className="col-6 col-md-4 col-xl",
    )


def cartes_kpis(kpis: Kpis) -> list:
    """The children of the page's `kpis` container."""
    return [
        html.Div([_carte(c) for c in kpis.chiffres], className="row g-2"),
        html.Div(kpis.date, className="kpi-date small text-body-secondary mt-1"),
    ]
