"""The comparison page, rendered from its view-model (dashboard.vues.comparaison): the chosen entities
(each removable), the shareable link, the table with its medians, the charts, the suggested peers."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.components.export import bouton_export
from dashboard.components.graphique import config_graphique
from dashboard.domain.formatage import nombre
from dashboard.store.entites import Entite
from dashboard.vues.comparaison import (
    LIGNES,
    LIGNES_PAR_HABITANT,
    MAX_ENTITES,
    Comparaison,
    VueComparaison,
    formater,
    libelle,
)

PAGE = "comparer"


def selection(entites: list[Entite]) -> list:
    """The chosen entities, each with a button removing it."""
    return [
        html.Li(
            [
                html.Span(f"{e.nom} — {e.type_libelle if e.niveau != 'porteur' else 'lauréat'}"),
                html.Button(
                    "×",
                    id={"type": "comparer-retirer", "id": e.identifiant},
                    type="button",
                    className="btn btn-sm btn-link p-0 ms-1",
                    title=f"Retirer {e.nom}",
                    **{"aria-label": f"Retirer {e.nom} de la comparaison"},
                ),
            ],
            # a long name and type wrap inside their chip (a phone's width)
            className="badge text-bg-light border d-flex align-items-center fs-6 fw-normal "
            "text-wrap text-start mw-100",
        )
        for e in entites
    ]


def contenu(vue: VueComparaison, adresse_absolue: str) -> list:
    avis = []
    if vue.ignores:
        avis.append(
            dbc.Alert(
                f"Laissés de côté ({MAX_ENTITES} territoires ou lauréats au plus) : "
                f"{', '.join(vue.ignores)}.",
                color="warning",
                className="small",
                id="comparer-ignores",
            )
        )
    if vue.comparaison is None:
        vide = dbc.Alert(
            "Choisissez au moins deux territoires ou lauréats à comparer (six au plus) : tapez un nom, "
            "un code ou un SIREN ci-dessus, ou partez de la fiche d'un territoire (« Comparer avec des "
            "pairs »).",
            color="info",
            id="comparer-vide",
        )
        return [*avis, vide, _suggestions(vue)]
    return [
        *avis,
        _lien(adresse_absolue),
        _entete("Indicateurs par habitant et taux", "tableau", png=False),
        html.Div(_tableau(vue.comparaison), className="table-responsive", id="comparer-tableau"),
        html.P(
            "Sous chaque valeur : médiane nationale et médiane de la région de l'entité, parmi les "
            "entités de même nature (même niveau, ou lauréats de même type).",
            className="small text-body-secondary",
        ),
        dbc.Row(
            [
                dbc.Col(
                    _graphique(
                        "entonnoirs",
                        "Du pass commandé au pass utilisé, pour 1 000 habitants",
                        vue.figures["entonnoirs"],
                    ),
                    lg=6,
                ),
                dbc.Col(
                    _graphique(
                        "chronologies",
                        "Pass utilisés par mois, pour 1 000 habitants",
                        vue.figures["chronologies"],
                    ),
                    lg=6,
                ),
            ],
            className="g-3",
        ),
        _suggestions(vue),
    ]


def _lien(adresse_absolue: str) -> html.Div:
    return html.Div(
        [
            dbc.Label("Lien à partager", html_for="comparer-lien", className="small mb-0 me-2"),
            dbc.Input(
                id="comparer-lien",
                value=adresse_absolue,
                readonly=True,
                size="sm",
                className="w-auto flex-grow-1",
                style={"minWidth": 0, "flexBasis": "12rem"},
            ),
            dcc.Clipboard(
                target_id="comparer-lien", title="Copier le lien", className="btn btn-outline-primary btn-sm"
            ),
        ],
        className="d-flex flex-wrap align-items-center gap-2 mb-3 comparer-lien",
    )


def _tableau(comparaison: Comparaison) -> html.Table:
    table = comparaison.table
    entetes = [
        "Indicateur",
        *(
            html.Span([dcc.Link(e.nom, href=e.chemin), html.Br(), html.Small(e.type_libelle)])
            for e in comparaison.entites
        ),
    ]
    lignes = [
        html.Tr(
            [
                html.Th("Population (couverte pour un lauréat)", scope="row"),
                *(html.Td(nombre(p)) for p in table["population"]),
            ]
        )
    ]
    for colonne in [*LIGNES, *LIGNES_PAR_HABITANT]:
        cellules = [
            html.Td(
                [
                    html.Span(formater(colonne, ligne[colonne]), className="fw-bold"),
                    html.Br(),
                    html.Small(
                        f"nat. {formater(colonne, ligne[f'{colonne}__national'])} · "
                        f"rég. {formater(colonne, ligne[f'{colonne}__regional'])}",
                        className="text-body-secondary",
                    ),
                ]
            )
            for _, ligne in table.iterrows()
        ]
        lignes.append(html.Tr([html.Th(libelle(colonne), scope="row"), *cellules]))
    return html.Table(
        [html.Thead(html.Tr([html.Th(t, scope="col") for t in entetes])), html.Tbody(lignes)],
        className="table table-sm tableau-chiffres align-top",
    )


def _graphique(nom: str, titre: str, figure: dict) -> html.Section:
    return html.Section(
        [
            _entete(titre, nom, png=True, tableau=False),
            dcc.Graph(
                id=f"comparer-{nom}",
                figure=figure,
                config=config_graphique(PAGE, nom),
                style={"height": "340px"},
            ),
        ]
    )


def _entete(titre: str, nom: str, png: bool, tableau: bool = True) -> html.Div:
    formats = [*(["png"] if png else []), *(["csv", "xlsx"] if tableau else [])]
    return html.Div(
        [
            html.H2(titre, className="h6 mt-3 mb-1 flex-grow-1"),
            *(bouton_export(PAGE, f, nom, titre) for f in formats),
        ],
        className="d-flex align-items-end gap-2",
    )


def _suggestions(vue: VueComparaison) -> html.Section | None:
    """Peers of the first entity not yet compared, each a link adding it."""
    if not vue.suggestions:
        return None
    elements = [
        html.Li(
            [
                dcc.Link(f"Ajouter {s.nom}", href=s.adresse),
                html.Span(f" — {nombre(s.population)} habitants", className="small"),
            ]
        )
        for s in vue.suggestions
    ]
    return html.Section(
        [
            html.H2(f"Pairs suggérés pour {vue.entites[0].nom}", className="h6 mt-3"),
            html.P("Même type, population comparable (de la moitié au double).", className="small mb-1"),
            html.Ul(elements, id="comparer-suggestions"),
        ]
    )
