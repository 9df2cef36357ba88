"""The "Page introuvable" block: unknown addresses, and pages of territories or laureates that do not
exist (their status is a real 404: dashboard.web.erreurs)."""

from __future__ import annotations

from dash import dcc, html

MESSAGE = "L'adresse demandée ne correspond à aucune page du tableau de bord."


def introuvable(message: str = MESSAGE) -> html.Div:
    return html.Div(
        [
            html.H1("Page introuvable", className="mt-4"),
            html.P(message),
            dcc.Link("Revenir à la carte nationale", href="/", className="btn btn-primary"),
        ],
        id="page-introuvable",
        className="py-4",
    )
