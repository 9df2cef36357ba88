"""The forecast blocks (dashboard.vues.prevision): « Prévision » on a laureate's or a territory's page,
and on `/` the laureates that will lose the most State money when their passes expire (with a CSV)."""

from __future__ import annotations

from urllib.parse import quote

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from dashboard.vues.prevision import BlocPrevision, csv_liste


def bloc(prevision: BlocPrevision) -> html.Section:
    return html.Section(
        [
            html.H2(
                ["Prévision ", dbc.Badge("estimé", color="secondary", className="ms-1")], className="h6 mt-3"
            ),
            html.Dl(
                [
                    element
                    for libelle, valeur in prevision.lignes
                    for element in (
                        html.Dt(libelle, className="col-sm-6"),
                        html.Dd(valeur, className="col-sm-6"),
                    )
                ],
                className="row mb-1",
            ),
            html.P(prevision.note, className="small text-muted mb-0"),
        ],
        id="fiche-prevision",
        **{"aria-label": "Prévision (estimée)"},
    )


def liste_nationale(liste: pd.DataFrame, date_texte: str) -> html.Section:
    titre = "Lauréats qui perdront le plus d'argent de l'État à l'expiration des pass"
    if liste.empty:
        corps = html.P("Aucun pass encore valable ne devrait expirer sans être utilisé.", className="small")
    else:
        entete = html.Thead(
            html.Tr(
                [
                    html.Th("Lauréat", scope="col"),
                    html.Th("Pass qui expireront (estimé)", scope="col", className="text-end"),
                    html.Th("Argent de l'État à risque (estimé)", scope="col", className="text-end"),
                ]
            )
        )
        lignes = [
            html.Tr(
                [
                    html.Td(dcc.Link(ligne.nom, href=ligne.chemin)),
                    html.Td(ligne.pass_expirant, className="text-end"),
                    html.Td(ligne.etat_risque, className="text-end"),
                ]
            )
            for ligne in liste.itertuples()
        ]
        corps = html.Div(
            html.Table([entete, html.Tbody(lignes)], className="table table-sm mb-1"),
            className="table-responsive",
        )
    csv = "data:text/csv;charset=utf-8," + quote("\ufeff" + csv_liste(liste))
    return html.Section(
        [
            html.Div(
                [
                    html.H2(titre, className="h6 mt-3 mb-0 me-3 flex-grow-1"),
                    html.A(
                        "Exporter en CSV",
                        href=csv,
                        download="laureats-argent-etat-a-risque.csv",
                        className="btn btn-outline-primary btn-sm mt-2",
                        id="prevision-liste-csv",
                    ),
                ],
                className="d-flex align-items-center flex-wrap",
            ),
            corps,
            html.P(
                f"Estimé au {date_texte} : pass des commandes encore valables qui ne seront ni distribués ni "
                "utilisés avant leur échéance (recrédités au commanditaire), × valeur faciale × part de "
                "l'État ; entre parenthèses, l'intervalle à 80 %. Méthode et erreur mesurée : Méthodologie.",
                className="small text-muted",
            ),
        ],
        id="prevision-nationale",
    )
