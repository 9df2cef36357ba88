"""Briefing mode `/presentation`: a deck of slides for a shared screen. The address is the deck
(dashboard.domain.deck); the slides come from dashboard.vues.presentation, rendered by
dashboard.components.presentation. All slides are in the page, one visible at a time: the keyboard (←, →,
space, Home, End, f, Esc, p, h) and the timer are handled in the browser (assets/presentation.js) without a
server round trip; in full screen the controls hide until the mouse moves or h is pressed; and printing
the page (`impression=1`) lays one slide per A4 landscape page — the PDF export (`/presentation.pdf`,
dashboard.web.presentation_pdf) prints it with headless Chromium.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

import dash_bootstrap_components as dbc
from dash import Input, Output, State, html

from dashboard.components import presentation as composants
from dashboard.domain import liens
from dashboard.domain.deck import deck_canonique, lire_deck
from dashboard.domain.droits import LIEN, PARTAGER, exige
from dashboard.domain.vocabulaire import DUREES_LIEN
from dashboard.pages import rappel, rappel_navigateur
from dashboard.vues.presentation import presentation
from dashboard.web.acces.identite import AccesRefuse, autorise, principal_courant
from dashboard.web.acces.liens import adresse_partagee


def layout(contexte, /, **parametres) -> html.Div:
    deck = lire_deck(parametres)
    impression = parametres.get("impression") == "1"
    principal = principal_courant(contexte)
    lien = principal is not None and principal.role == LIEN
    exact = all(isinstance(v, str) for v in parametres.values())
    if lien and (not exact or deck_canonique(parametres) != principal.deck):  # again, on what Dash hands over
        return html.Div(
            html.P("Ce lien de présentation n'ouvre que sa présentation."), id="presentation", lang="fr"
        )
    partage = principal is not None and principal.peut(PARTAGER) and not impression
    quitter = None if lien else liens.carte(deck.etat)
    return html.Div(
        [
            # The page's title for screen readers (each slide has its own h2 on screen): RGAA 9.1.
            html.H1("Présentation — Pass numérique", className="visually-hidden"),
            html.Div(composants.diapos(presentation(contexte, deck)), id="presentation-diapos"),
            composants.commandes(deck, partage, quitter),
            composants.etat_pour_le_navigateur(deck),
        ],
        id="presentation",
        className="presentation" + (" presentation-impression" if impression else ""),
        lang="fr",
    )


PAGES = [
    {
        "module": "presentation",
        "path": "/presentation",
        "title": "Présentation — Pass numérique",
        "name": "Présentation",
        "layout": layout,
    }
]

OUVRIR_PARTAGE = rappel_navigateur(
    "function(n, ouvert) { return n ? !ouvert : ouvert; }",
    Output("presentation-partage", "is_open"),
    [Input("presentation-partager", "n_clicks"), State("presentation-partage", "is_open")],
    prevent_initial_call=True,
)


@rappel(
    output=Output("presentation-partage-lien", "children"),
    inputs={
        "clics": Input("presentation-partage-creer", "n_clicks"),
        "duree": State("presentation-partage-duree", "value"),
        "deck": State("presentation-partage-deck", "data"),
    },
    prevent_initial_call=True,
)
@exige(PARTAGER)
def creer_lien_partage(contexte, clics, duree, deck):
    """The shareable address of the deck, signed for `duree` days (1, 7 or 30)."""
    jours = int(duree) if isinstance(duree, str) and duree.isdigit() else 0
    if jours not in DUREES_LIEN or not isinstance(deck, str) or not deck.startswith("/presentation?"):
        return dbc.Alert("Demande invalide : rechargez la page.", color="danger")
    try:
        principal = autorise(contexte, PARTAGER)
    except AccesRefuse:
        return dbc.Alert("Votre compte ne permet pas de partager.", color="danger")
    canonique = deck_canonique(dict(parse_qsl(deck.partition("?")[2])))
    return composants.lien_partage(*adresse_partagee(contexte, principal, canonique, jours))
