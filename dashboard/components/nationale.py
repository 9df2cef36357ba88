"""The layout of the national view `/` around its filter panel: the map and its legend, the KPIs, the
funnel, the monthly chart and the synced table; and the drill-down trail above the map."""

from __future__ import annotations

from dataclasses import dataclass

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.components.arbre import Arbre
from dashboard.components.export import bouton_export, zone_message
from dashboard.components.graphique import config_graphique, declencheurs_png
from dashboard.components.tableau import grille_par_blocs
from dashboard.domain.etat import EtatVue
from dashboard.domain.liens import chemin
from dashboard.vues.nationale import VueNationale
from dashboard.vues.tableau import TAILLE_BLOC, colonnes_offertes, colonnes_tableau, colonnes_visibles

RAPPORT_CARTE = "6 / 5"  # width / height of France and its DROM insets in the map's projection
DESCRIPTION_CARTE = (
    "Carte de France et des cinq départements d'outre-mer en encarts ; le tableau plus bas donne les "
    "mêmes valeurs"
)


@dataclass(frozen=True)
class PremiereVue:
    """What the page shows before its first callback answers (dashboard.pages.national): the map's
    figure, the `Arbre` data of the KPIs and the legend, the trail and the notice above and beside it."""

    figure: dict | None = None
    kpis: object = None
    legende: object = None
    fil: object = None
    avis: object = None


def contenu(etat: EtatVue | None = None, exact: bool = False, premiere: PremiereVue | None = None) -> list:
    """`etat` and `exact`: the table's columns, sort, search and chosen columns from the address;
    `premiere`: the first view, drawn before any callback."""
    premiere = premiere or PremiereVue()
    return [
        Arbre(id="kpis", className="mb-3", arbre=premiere.kpis),
        _carte(
            premiere
        ),  # before the steering cards: on a laptop and a phone, the map starts in the first screen
        Arbre(id="national-enveloppe"),  # the « Enveloppe » card (pages/national.py)
        _graphiques(),
        _tableau(etat or EtatVue(), exact),
        _declencheurs(),
    ]


def _carte(premiere: PremiereVue) -> dbc.Row:
    graphique = dcc.Graph(
        id="carte",
        figure=premiere.figure,
        config=config_graphique("national", "carte"),
        # France with its column of insets is about 1.2 times as wide as high: the box takes that shape
        # (so France fills it) as long as it fits on the screen.
        style={"width": "100%", "aspectRatio": RAPPORT_CARTE, "maxHeight": "80vh", "minHeight": "300px"},
    )
    return dbc.Row(
        [
            dbc.Col(
                [
                    html.Div(premiere.fil, id="carte-fil", className="d-flex align-items-center gap-2 mb-1"),
                    html.Div(
                        graphique,
                        role="figure",
                        # its text alternative: the summary sentence and the legend (the table below
                        # gives every value)
                        **{"aria-label": DESCRIPTION_CARTE, "aria-describedby": "resume carte-legende"},
                    ),
                ],
                lg=9,
            ),
            dbc.Col(
                [
                    Arbre(id="carte-legende", arbre=premiere.legende),
                    html.Div(premiere.avis, id="carte-avis", className="small mt-2"),
                ],
                lg=3,
            ),
        ],
        className="g-3",
    )


def _graphiques() -> dbc.Row:
    mode = dbc.RadioItems(
        id="chronologie-mode",
        value="mensuel",
        inline=True,
        className="mt-3",
        options=[{"label": "Par mois", "value": "mensuel"}, {"label": "Cumul", "value": "cumul"}],
    )
    return dbc.Row(
        [
            dbc.Col(
                [
                    html.H2("Du pass commandé au pass utilisé", className="h6 mt-3"),
                    html.Div(  # its values are the KPI cards' (ordered, distributed, redeemed)
                        dcc.Graph(
                            id="entonnoir",
                            config=config_graphique("national", "entonnoir"),
                            style={"height": "300px"},
                        ),
                        **{"aria-describedby": "kpis"},
                    ),
                ],
                lg=5,
            ),
            dbc.Col(
                [
                    html.Div(
                        [html.H2("Activité mensuelle", className="h6 mt-3 mb-0 me-3"), mode],
                        className="d-flex align-items-center",
                    ),
                    dcc.Graph(
                        id="chronologie",
                        config=config_graphique("national", "chronologie"),
                        style={"height": "300px"},
                    ),
                ],
                lg=7,
            ),
        ],
        className="g-3",
    )


def _tableau(etat: EtatVue, exact: bool) -> html.Section:
    recherche = [
        dbc.Label("Rechercher dans le tableau", html_for="tableau-recherche", className="visually-hidden"),
        dbc.Input(
            id="tableau-recherche",
            type="search",
            value=etat.recherche,
            debounce=300,  # ms: one request when the typing pauses
            placeholder="Rechercher un nom, un code…",
        ),
    ]
    exports = [
        bouton_export("national", "csv", "tableau", texte="Exporter en CSV", classe="me-2"),
        bouton_export("national", "xlsx", "tableau", texte="Exporter en XLSX"),
    ]
    choix = html.Button(
        "Colonnes…",
        id="tableau-colonnes-bouton",
        type="button",
        className="btn btn-outline-primary btn-sm me-2",
        **{"aria-expanded": "false", "aria-controls": "tableau-colonnes-choix"},
    )
    return html.Section(
        [
            html.Div(
                [
                    html.H2("Tableau de la sélection", className="h6 mt-3 mb-0 me-3"),
                    html.P(
                        id="tableau-compte",
                        className="small text-body-secondary mt-3 mb-0",
                        role="status",
                        **{"aria-live": "polite"},
                    ),
                ],
                className="d-flex align-items-baseline",
            ),
            dbc.Row(
                [
                    dbc.Col(recherche, md=6),
                    dbc.Col([choix, *exports], md=6, className="text-md-end"),
                ],
                className="g-2 my-1 align-items-center",
            ),
            dbc.Collapse(_choix_colonnes(etat, exact), id="tableau-colonnes-choix", is_open=False),
            grille_par_blocs("tableau", TAILLE_BLOC, colonnes_tableau(etat, exact)),
            dcc.Store(id="tableau-lignes"),  # the rows found: the grid's box fits them
            dcc.Download(id="telechargement"),
            zone_message("telechargement"),
        ],
        **{"aria-label": "Tableau de la sélection"},
    )


def _choix_colonnes(etat: EtatVue, exact: bool) -> html.Fieldset:
    """Which columns the table shows (the mapped indicator always, right after the name)."""
    options, valeur = options_colonnes(etat, exact)
    return html.Fieldset(
        [
            html.Legend("Colonnes affichées", className="small fw-bold mb-1"),
            dbc.Checklist(
                id="tableau-colonnes", options=options, value=valeur, inline=True, className="small"
            ),
            dbc.Button(
                "Colonnes par défaut", id="tableau-colonnes-defaut", color="link", size="sm", className="px-0"
            ),
        ],
        className="border rounded p-2 mb-2",
    )


def options_colonnes(etat: EtatVue, exact: bool = False) -> tuple[list[dict], list[str]]:
    """The chooser's options (the mapped indicator ticked and locked) and the columns ticked."""
    visibles = {c for c, _ in colonnes_visibles(etat, exact)}
    options = [
        {"label": titre, "value": colonne, "disabled": colonne == etat.indicateur}
        for colonne, titre in colonnes_offertes(etat, exact)
    ]
    return options, [o["value"] for o in options if o["value"] in visibles]


def _declencheurs():
    return declencheurs_png("national", ["carte", "entonnoir", "chronologie", "chronologie-cumul"])


def fil(vue: VueNationale) -> list:
    """Where the user stands in the drill-down, the way back, and the page of the région in view."""
    elements = [html.Span(vue.effectif, className="small text-body-secondary")]
    if vue.departement:  # the drill-down's trail: "Bretagne › Finistère"
        etapes = [*([vue.region[1]] if vue.region else []), vue.departement[1]]
        elements.append(html.Span(" › ".join(etapes), className="small fw-bold", id="carte-fil-selection"))
    if vue.peut_remonter:
        elements.append(dbc.Button("Remonter d'un niveau", id="carte-remonter", size="sm", color="link"))
    else:
        elements.append(html.Button("Remonter d'un niveau", id="carte-remonter", hidden=True))
    if vue.region:
        code, nom = vue.region
        elements.append(dcc.Link(f"Page de la région {nom}", href=chemin("region", code), className="small"))
    if vue.departement:
        code, nom = vue.departement
        elements.append(
            dcc.Link(
                f"Page du département {nom}",
                href=chemin("departement", code),
                className="small",
                id="carte-fil-departement",
            )
        )
    return elements
