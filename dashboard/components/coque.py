"""The frame of every page: skip link, header with navigation, main region, footer with sources. It is
given what it shows (the data's state, who is signed in): dashboard.web.coque reads them per visit."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.components import recherche
from dashboard.domain.accessibilite import ETAT
from dashboard.domain.droits import VISITEUR, Principal, page_publique
from dashboard.domain.formatage import date_courte
from dashboard.domain.vocabulaire import LIEN, ROLES
from dashboard.exports.estampille import SOURCES_GEOGRAPHIE
from dashboard.store.metadonnees import EtatDonnees

NAVIGATION = (
    ("Carte nationale", "/"),
    ("Comparer", "/comparer"),
    ("Vigilance", "/vigilance"),
    ("Données", "/donnees"),
    ("Calendrier", "/calendrier"),
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


def compte(principal: Principal | None, csrf: str | None, region: str | None = None) -> html.Div | None:
    """Who is signed in, and the way out; the local demo account and briefing links say what they are."""
    if principal is None:
        return None
    if principal.local:
        return html.Div(
            html.Span(
                "Compte local de démonstration — administrateur, sans mot de passe",
                className="badge-compte-local",
                title="python app.py sur la boucle locale : tout est permis depuis cette machine seulement. "
                "En service, passnum serve exige des comptes.",
            ),
            id="compte",
        )
    if principal.role == VISITEUR:
        return html.Div(
            [
                html.Span("Accès public — lecture seule", className="entete-compte"),
                html.A("Se connecter", href="/connexion", className="btn btn-sm btn-outline-primary ms-2"),
            ],
            className="d-flex align-items-center",
            id="compte",
        )
    if principal.role == LIEN:
        expire = f", jusqu'au {date_courte(principal.expire.date())}" if principal.expire else ""
        return html.Div(html.Span(f"Lecture seule{expire}", className="entete-compte"), id="compte")
    return html.Div(
        html.Form(
            [
                html.Span(
                    [
                        html.Strong(principal.nom),
                        f" — {ROLES[principal.role]}" + (f" ({region})" if region else ""),
                    ],
                    className="entete-compte",
                ),
                dcc.Input(type="hidden", name="csrf", value=csrf or ""),
                html.Button("Se déconnecter", type="submit", className="btn btn-sm btn-outline-primary ms-2"),
            ],
            method="post",
            action="/deconnexion",
            className="d-flex align-items-center",
        ),
        id="compte",
    )


def marque() -> dcc.Link:
    """The State's text-only block « République française » and the service's name, as DSFR's header
    lays them out. The Marianne logo and the official bloc-marque are State trademarks: they are not in
    the default build (README, « Identité visuelle de l'État »)."""
    return dcc.Link(
        [
            html.Span(["République", html.Br(), "française"], className="bloc-republique"),
            html.Span(
                [
                    html.Span("Pass numérique", className="entete-titre"),
                    html.Span("Tableau de bord de pilotage national", className="entete-sous-titre"),
                ],
                className="entete-service",
            ),
        ],
        href="/",
        className="entete-marque",
        title="Accueil — Pass numérique, tableau de bord de pilotage national",
    )


def entete(
    etat: EtatDonnees, principal: Principal | None = None, csrf: str | None = None, region: str | None = None
) -> html.Header:
    navigation = NAVIGATION if principal is None or principal.role != LIEN else ()
    if principal is not None and principal.role == VISITEUR:
        navigation = [(libelle, href) for libelle, href in NAVIGATION if page_publique(href)]
    liens = [
        dbc.NavItem(dbc.NavLink(libelle, href=href, active="exact", className="px-3"))
        for libelle, href in navigation
    ]
    return html.Header(
        dbc.Container(
            dbc.Row(
                [
                    dbc.Col(marque(), width="auto"),
                    dbc.Col(badge_demo(etat), width="auto"),
                    recherche.entete(actif=bool(navigation)),
                    dbc.Col(
                        html.Div(
                            [
                                html.Nav(
                                    dbc.Nav(liens, pills=True), **{"aria-label": "Navigation principale"}
                                ),
                                compte(principal, csrf, region),
                            ],
                            className="d-flex flex-column align-items-end gap-1",
                        ),
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
                html.A(
                    f"Accessibilité : {ETAT}",
                    href="/accessibilite",
                    id="pied-accessibilite",
                    className="ms-1",
                ),
            ],
            fluid=True,
        ),
        className="pied",
    )


def coque(
    etat: EtatDonnees,
    principal: Principal | None,
    csrf: str | None,
    region: str | None,
    conteneur: html.Div | None = None,
) -> html.Div:
    """region: the name of a regional coordinator's région; conteneur: Dash pages' container (by
    default empty, the page asked for by Dash pages' routing callback)."""
    return html.Div(
        [
            html.A("Aller au contenu", href="#contenu", className="lien-evitement"),
            entete(etat, principal, csrf, region),
            html.Main(
                dbc.Container(dash.page_container if conteneur is None else conteneur, fluid=True),
                id="contenu",
                tabIndex="-1",
            ),
            pied(etat),
        ]
    )
