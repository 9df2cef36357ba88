"""The frame of every page: skip link, header with navigation, main region, footer with sources."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.contexte import Contexte
from dashboard.domain.formatage import date_courte
from dashboard.store.metadonnees import EtatDonnees, etat_donnees

SOURCES_GEOGRAPHIE = "IGN ADMIN EXPRESS, INSEE COG 2026 — Licence Ouverte 2.0"

NAVIGATION = (
    ("Carte nationale", "/"),
    ("Comparer", "/comparer"),
    ("Données", "/donnees"),
    ("Méthodologie", "/methodologie"),
)


def badge_demo(etat: EtatDonnees) -> html.Span | None:
    """Shown on every page whenever demo data is loaded: nobody may take these figures for real ones."""
    if not etat.demo:
        return None
    return html.Span(
        "Données de démonstration — fictives",
        id="donnees-demo",
        className="badge-demo",
        title=f"Jeu de démonstration « {etat.demo} » généré par passnum demo",
    )


def entete(etat: EtatDonnees) -> html.Header:
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
                    dbc.Col(badge_demo(etat), width="auto"),
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


def pied(etat: EtatDonnees) -> html.Footer:
    date_donnees = (
        f"Données au {date_courte(etat.date_donnees)}. "
        if etat.date_donnees
        else "Aucune donnée du programme. "
    )
    return html.Footer(
        dbc.Container(
            [
                html.Span(date_donnees, id="date-donnees"),
                html.Span(f"Géographie : {SOURCES_GEOGRAPHIE}."),
                html.Span(" Logiciel libre sous licence AGPL-3.0-or-later."),
            ],
            fluid=True,
        ),
        className="pied",
    )


def coque(contexte: Contexte) -> html.Div:
    etat = etat_donnees(contexte.engine)
    return html.Div(
        [
            html.A("Aller au contenu", href="#contenu", className="lien-evitement"),
            entete(etat),
            html.Main(dbc.Container(dash.page_container, fluid=True), id="contenu", tabIndex="-1"),
            pied(etat),
        ]
    )
