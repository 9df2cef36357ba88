"""The calendar's blocks: the filters, the grid laureates × months (scrolling sideways on a phone, the
laureate's name kept in view), its legend, the list of the laureates to chase up with its exports, and a
laureate's row on its page. A status reads without its colour: a letter (hidden from screen readers),
and the status in words for them and in the tooltip."""

from __future__ import annotations

from datetime import date

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from dashboard.components.export import bouton_export, zone_message
from dashboard.components.tableau import tableau_html
from dashboard.domain import calendrier as regles
from dashboard.domain.formatage import date_courte, nombre, pourcentage
from dashboard.domain.vocabulaire import TYPES_PORTEUR, VAGUES, libelle_type
from dashboard.figures.locale import MOIS_COURTS
from dashboard.vues.calendrier import LAUREATS_AFFICHES, PERIODES, TOUTES, TRIS, Calendrier, Ligne

TELECHARGEMENT = "calendrier-telechargement"
PAGE_EXPORT = "calendrier"


def filtres(valeurs: dict, regions: list[dict]) -> dbc.Row:
    def groupe(libelle: str, controle, pour: str) -> dbc.Col:
        return dbc.Col(
            [dbc.Label(libelle, html_for=pour, className="small mb-1"), controle], xs=12, sm=6, lg=True
        )

    return dbc.Row(
        [
            groupe(
                "Région",
                dbc.Select(
                    id="calendrier-region",
                    options=[{"label": "Toutes", "value": TOUTES}, *regions],
                    value=valeurs["region"] or TOUTES,
                ),
                "calendrier-region",
            ),
            groupe(
                "Type",
                dbc.Select(
                    id="calendrier-type",
                    options=[
                        {"label": "Tous", "value": TOUTES},
                        *(
                            {"label": libelle_type(t, pluriel=False, majuscule=True), "value": t}
                            for t in TYPES_PORTEUR
                        ),
                    ],
                    value=valeurs["type"] or TOUTES,
                ),
                "calendrier-type",
            ),
            groupe(
                "Vague",
                dbc.Select(
                    id="calendrier-vague",
                    options=[
                        {"label": "Toutes", "value": TOUTES},
                        *({"label": str(a), "value": str(a)} for a in VAGUES),
                    ],
                    value=valeurs["vague"] or TOUTES,
                ),
                "calendrier-vague",
            ),
            groupe(
                "Période",
                dbc.Select(
                    id="calendrier-mois",
                    options=[{"label": f"{n} derniers mois", "value": str(n)} for n in PERIODES],
                    value=str(valeurs["mois"]),
                ),
                "calendrier-mois",
            ),
            groupe(
                "Lauréats",
                dbc.Select(
                    id="calendrier-laureats",
                    options=[{"label": t, "value": k} for k, t in LAUREATS_AFFICHES.items()],
                    value=valeurs["laureats"],
                ),
                "calendrier-laureats",
            ),
            groupe(
                "Tri",
                dbc.Select(
                    id="calendrier-tri",
                    options=[{"label": t, "value": k} for k, t in TRIS.items()],
                    value=valeurs["tri"],
                ),
                "calendrier-tri",
            ),
        ],
        className="g-2 mb-3",
        id="calendrier-filtres-controles",
    )


def legende() -> html.Ul:
    return html.Ul(
        [
            html.Li(
                [
                    html.Span(regles.LETTRES[s], className=f"cal-cellule cal-{s}", **{"aria-hidden": "true"}),
                    " " + regles.LIBELLES[s],
                ],
                className="list-inline-item me-3",
            )
            for s in regles.STATUTS
        ]
        + [
            html.Li(
                [
                    html.Span("", className="cal-cellule cal-aucun", **{"aria-hidden": "true"}),
                    " aucun retour attendu",
                ],
                className="list-inline-item",
            )
        ],
        className="list-inline small mb-2",
        id="calendrier-legende",
    )


def _entete_mois(mois: date) -> html.Th:
    texte = f"{MOIS_COURTS[mois.month - 1]} {mois:%y}"
    return html.Th(
        html.Span(texte, title=f"{mois:%m/%Y}"),
        scope="col",
        className="cal-mois",
        **{"aria-label": f"{mois:%m/%Y}"},
    )


def _cellule(c) -> html.Td:
    classe = f"cal-cellule cal-{c.statut or 'aucun'}"
    return html.Td(
        [html.Span(c.lettre, **{"aria-hidden": "true"}), html.Span(c.texte, className="visually-hidden")],
        className=classe,
        title=c.texte,
        **{"data-statut": c.statut or ""},
    )


def _ligne(ligne: Ligne, avec_nom: bool = True) -> html.Tr:
    tete = (
        [
            html.Th(
                [
                    dcc.Link(ligne.nom, href=ligne.lien),
                    html.Div(ligne.region, className="small text-body-secondary"),
                ],
                scope="row",
                className="cal-nom",
            )
        ]
        if avec_nom
        else []
    )
    return html.Tr(
        [
            *tete,
            html.Td(ligne.score, className="cal-score", title=ligne.resume),
            *(_cellule(c) for c in ligne.cellules),
        ],
        **{"data-siren": ligne.siren},
    )


def grille(vue: Calendrier) -> html.Div:
    if not vue.lignes:
        return html.P(
            "Aucun lauréat n'attend de retour dans cette sélection.", className="text-body-secondary"
        )
    entetes = [
        html.Th("Lauréat", scope="col", className="cal-nom"),
        html.Th("Score", scope="col", className="cal-score", title=regles.DEFINITION_SCORE),
        *(_entete_mois(m) for m in vue.mois),
    ]
    table = html.Table(
        [html.Thead(html.Tr(entetes)), html.Tbody([_ligne(x) for x in vue.lignes])],
        className="table table-sm cal-grille mb-0",
        id="calendrier-grille",
    )
    return html.Div(
        table,
        className="cal-defilant",
        tabIndex="0",
        role="region",
        **{"aria-label": "Calendrier des remontées (défilement horizontal)"},
    )


def relance(vue: Calendrier) -> html.Div:
    exports = html.Div(
        [
            bouton_export(PAGE_EXPORT, "csv", "relance", texte="Exporter en CSV", classe="me-2"),
            bouton_export(PAGE_EXPORT, "xlsx", "relance", texte="Exporter en XLSX"),
        ],
        className="mb-2",
    )
    if vue.relance.empty:
        return html.Div(
            [html.P("Aucun lauréat à relancer dans cette sélection.", className="text-body-secondary")]
        )
    lignes = [
        html.Tr(
            [
                html.Th(dcc.Link(r.nom, href=r.lien), scope="row"),
                html.Td(r.region),
                html.Td(r.derniers_manquants),
                html.Td(nombre(r.mois_sans_retour), className="text-end"),
                html.Td(_date(r.dernier_retour)),
                html.Td(pourcentage(r.taux_completude), className="text-end"),
            ]
        )
        for r in vue.relance.itertuples()
    ]
    entetes = (
        "Lauréat",
        "Région",
        f"Mois manquants (parmi les {regles.MOIS_RELANCE} derniers échus)",
        "Mois sans retour",
        "Dernier retour reçu le",
        "Score",
    )
    return html.Div(
        [
            exports,
            html.Div(
                tableau_html(entetes, lignes, "table table-sm", id="calendrier-relance-table"),
                className="table-responsive",
            ),
        ]
    )


def _date(valeur) -> str:
    return date_courte(None if valeur is None or pd.isna(valeur) else valeur)


def contenu(vue: Calendrier) -> list:
    choisie = "choisie" if vue.filtres.get("au") else "date des données"
    reference = f"Date de référence : {date_courte(vue.reference)} ({choisie}). " if vue.reference else ""
    demo = " Démonstration : les dates de réception sont simulées (voir la méthodologie)." if vue.demo else ""
    return [
        html.P(
            [
                reference,
                html.Strong(vue.compte, id="calendrier-compte"),
                ". ",
                html.Span(vue.compte_grille, id="calendrier-compte-grille"),
                ".",
                demo,
            ],
            className="small",
        ),
        legende(),
        grille(vue),
        html.H2("Lauréats à relancer", className="h5 mt-4", id="calendrier-relance-titre"),
        html.P(
            f"Au moins un mois manquant parmi les {regles.MOIS_RELANCE} derniers mois échus de leur période.",
            className="small text-body-secondary",
        ),
        relance(vue),
    ]


def page(vue: Calendrier, regions: list[dict]) -> html.Div:
    return html.Div(
        [
            html.H1("Calendrier des remontées", className="h3 mt-3"),
            html.P(
                [
                    "Les retours mensuels attendus de chaque lauréat (distributions et utilisations), "
                    f"reçus à temps (au plus tard le {regles.JOUR_ECHEANCE} du mois suivant), en retard "
                    "ou manquants. ",
                    dcc.Link("Définitions et règle de relance", href="/methodologie#methode-calendrier"),
                    ".",
                ],
                className="small",
            ),
            filtres(vue.filtres, regions),
            dcc.Store(id="calendrier-filtres", data=vue.filtres),
            dcc.Loading(html.Div(contenu(vue), id="calendrier-contenu"), delay_show=300),
            dcc.Download(id=TELECHARGEMENT),
            zone_message(TELECHARGEMENT),
        ],
        id="calendrier",
    )


def ligne_fiche(resultat: tuple[list[date], Ligne] | None) -> html.Section | None:
    """A laureate's row of the calendar, on its page."""
    if resultat is None:
        return None
    mois, ligne = resultat
    table = html.Table(
        [
            html.Thead(
                html.Tr(
                    [html.Th("Score", scope="col", className="cal-score"), *(_entete_mois(m) for m in mois)]
                )
            ),
            html.Tbody(_ligne(ligne, avec_nom=False)),
        ],
        className="table table-sm cal-grille mb-0",
    )
    return html.Section(
        [
            html.H2("Calendrier des remontées", className="h5 mt-4"),
            html.P(
                [
                    ligne.resume + ". ",
                    html.Strong("À relancer. ") if ligne.a_relancer else None,
                    dcc.Link("Tous les lauréats", href="/calendrier"),
                ],
                className="small",
            ),
            legende(),
            html.Div(
                table,
                className="cal-defilant",
                tabIndex="0",
                role="region",
                **{"aria-label": "Calendrier des remontées du lauréat (défilement horizontal)"},
            ),
        ],
        id="fiche-calendrier",
    )
