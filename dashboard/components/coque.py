"""The frame of every page: skip link, header with navigation, main region, footer with sources."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

SOURCES_GEOGRAPHIE = "IGN ADMIN EXPRESS, INSEE COG 2026 — Licence Ouverte 2.0"

NAVIGATION = (("Carte nationale", "/"),)


def entete() -> html.Header:
    liens = [
        dbc.NavItem(dbc.NavLink(libelle, href=href, active="exact", className="px-3"))
        for libelle, href in NAVIGATION
    ]
    return html.Header(
        dbc.Container(
            dbc.Row(
                [
                    dbc.Col(
                        dcc.Link(
                            [
                                html.Span("Pass numérique", className="entete-titre"),
                                html.Span(
                                    "Tableau de bord de pilotage national", className="entete-sous-titre"
                                ),
                            ],
                            href="/",
                            className="entete-marque",
                        ),
                        width="auto",
                    ),
                    dbc.Col(
                        html.Nav(dbc.Nav(liens, pills=True), **{"aria-label": "Navigation principale"}),
                        width="auto",
                    ),
                ],
                align="center",
                justify="between",
            ),
            fluid=True,
        ),
        className="entete",
    )


def pied() -> html.Footer:
    return html.Footer(
        dbc.Container(
            [
                html.Span(f"Géographie : {SOURCES_GEOGRAPHIE}."),
                html.Span(" Logiciel libre sous licence AGPL-3.0-or-later."),
            ],
            fluid=True,
        ),
        className="pied",
    )


def coque() -> html.Div:
    return html.Div(
        [
            html.A("Aller au contenu", href="#contenu", className="lien-evitement"),
            entete(),
            html.Main(dbc.Container(dash.page_container, fluid=True), id="contenu", tabIndex="-1"),
            pied(),
        ]
    )
