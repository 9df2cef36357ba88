"""National view `/`: the map of France with its five overseas insets.

Until programme data is loaded (issue 3), the map shows a placeholder indicator: population density of
départements, which exercises the whole chain (reference data → classification → map → legend → table).
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Dash, dcc, html

from dashboard.components.graphique import config_graphique
from dashboard.components.legende import legende
from dashboard.components.tableau import tableau_html
from dashboard.contexte import Contexte
from dashboard.domain.classification import Methode, classer
from dashboard.domain.formatage import nombre
from dashboard.domain.palettes import sequentielle
from dashboard.domain.territoires import Niveau
from dashboard.figures.carte import carte_classee
from dashboard.store.requetes import territoires

INDICATEUR = "Densité de population"
UNITE = "hab./km²"


def donnees_carte(df: pd.DataFrame) -> tuple[pd.DataFrame, object]:
    """Attach a quantile class and a French hover text to each département."""
    classification = classer(df["densite"].tolist(), Methode.QUANTILES, k=5)
    resultat = df.assign(
        classe=pd.array(classification.indices, dtype="Int64"),
        survol=[f"{INDICATEUR} : {nombre(d, 1)} {UNITE}" for d in df["densite"]],
    )
    return resultat, classification


def layout(contexte: Contexte, **_params) -> html.Div:
    df, classification = donnees_carte(territoires(contexte.engine, Niveau.DEPARTEMENT))
    couleurs = sequentielle(classification.nb_classes)
    figure = carte_classee(df, contexte.geometries.url(Niveau.DEPARTEMENT.value), couleurs)
    return html.Div(
        [
            html.H1("Carte nationale", className="h3 mt-3 mb-1"),
            html.P(
                [
                    f"{INDICATEUR} par département ({UNITE}), population municipale COG 2026. ",
                    html.Em("Indicateur provisoire, en attendant les données du programme."),
                ],
                className="text-body-secondary mb-3",
            ),
            dbc.Row(
                [
                    dbc.Col(
                        html.Div(
                            dcc.Graph(
                                id="carte",
                                figure=figure,
                                config=config_graphique("carte-nationale"),
                                className="carte",
                                style={"height": "calc(100vh - 230px)", "minHeight": "480px"},
                            ),
                            role="figure",
                            **{
                                "aria-label": f"Carte des départements : {INDICATEUR.lower()}, "
                                "avec les cinq départements d'outre-mer en encarts"
                            },
                        ),
                        lg=9,
                    ),
                    dbc.Col(
                        [
                            legende(
                                f"{INDICATEUR} ({UNITE})",
                                classification,
                                couleurs,
                                lambda v: nombre(v, 1),
                                "départements",
                            ),
                            html.P(
                                "Classes par quantiles : chaque classe regroupe autant de départements.",
                                className="small text-body-secondary mt-3",
                            ),
                        ],
                        lg=3,
                    ),
                ],
                className="g-3",
            ),
            tableau_donnees(df),
        ]
    )


def tableau_donnees(df: pd.DataFrame) -> html.Details:
    """The accessible alternative to the map: the same figures as a table."""
    lignes = [
        html.Tr(
            [
                html.Td(r.code),
                html.Th(r.nom, scope="row"),
                html.Td(nombre(r.population), className="nombre"),
                html.Td(nombre(r.superficie_km2), className="nombre"),
                html.Td(nombre(r.densite, 1), className="nombre"),
            ]
        )
        for r in df.itertuples()
    ]
    return html.Details(
        [
            html.Summary("Voir les données de la carte sous forme de tableau"),
            tableau_html(
                ("Code", "Département", "Population", "Superficie (km²)", f"Densité ({UNITE})"),
                lignes,
                "table table-sm table-striped mt-2",
                id="tableau-carte",
            ),
        ],
        className="mt-4 mb-4",
    )


def enregistrer(_app: Dash, contexte: Contexte) -> None:
    dash.register_page(
        "national",
        path="/",
        title="Carte nationale — Pass numérique",
        name="Carte nationale",
        layout=lambda **params: layout(contexte, **params),
    )
