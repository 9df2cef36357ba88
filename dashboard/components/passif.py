"""The operator's liabilities on the pages (dashboard.vues.passif): the national card, the block of a
territory's or a laureate's page with its CSV/XLSX exports, the « Données figées depuis » banner."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from dashboard.components.export import bouton_export
from dashboard.components.tableau import tableau_html
from dashboard.domain.formatage import euros, nombre
from dashboard.vues import passif
from dashboard.vues.passif import Passif

PAGE_FICHE = "fiche"
NB_LIEUX = 10  # shown on the page; all of them in the export


def _chiffre(titre: str, valeur: str, id_: str) -> dbc.Col:
    return dbc.Col(
        html.Div(
            [html.Div(titre, className="kpi-titre"), html.Div(valeur, className="kpi-valeur")],
            className="kpi",
            id=id_,
        ),
        xs=6,
        md=3,
    )


def carte_nationale(contexte) -> html.Section:
    """« Passif de l'opérateur » on `/`: the whole programme, whatever the filters."""
    c = passif.carte_nationale(contexte)
    return html.Section(
        [
            html.H2(passif.TITRE, className="h6 mb-1"),
            html.P(
                [passif.CONTEXTE, " Ensemble du programme, quels que soient les filtres."],
                className="small text-body-secondary mb-2",
            ),
            dbc.Row(
                [
                    _chiffre("Pass utilisés non remboursés", c.pass_non_rembourses, "passif-pass"),
                    _chiffre("Montant dû aux lieux", c.montant, "passif-montant"),
                    _chiffre("Lieux concernés (SIRET)", c.lieux_concernes, "passif-lieux"),
                    _chiffre("Utilisations sans information", c.part_sans_information, "passif-inconnu"),
                ],
                className="g-2",
            ),
        ],
        id="passif-national",
        className="passif mt-3 mb-3",
    )


def bandeau_figees(p: Passif | None) -> dbc.Alert | None:
    """The clear banner of a laureate whose data stopped."""
    if p is None or not p.figees:
        return None
    return dbc.Alert(p.figees, color="info", id="fiche-figees", className="py-2")


def bloc(p: Passif | None) -> html.Section | None:
    """The block of a territory's or a laureate's page: its sentence and its places, exported."""
    if p is None:
        return None
    titre = passif.TITRE
    boutons = html.Div(
        [
            bouton_export(PAGE_FICHE, "csv", "passif", passif.TITRE_EXPORT),
            bouton_export(PAGE_FICHE, "xlsx", "passif", passif.TITRE_EXPORT),
        ],
        className="d-flex gap-2",
    )
    corps = [html.P([passif.CONTEXTE, " ", p.phrase], className="small mb-2", id="passif-phrase")]
    if not p.lieux.empty:
        corps.append(_table(p.lieux))
    return html.Section(
        [
            html.Div(
                [html.H2(titre, className="h6 mt-3 mb-1 flex-grow-1"), boutons],
                className="d-flex align-items-end gap-2",
            ),
            *corps,
        ],
        id="fiche-passif",
    )


def _table(lieux: pd.DataFrame) -> html.Div:
    lignes = [
        html.Tr(
            [
                html.Td(r.nom),
                html.Td(r.commune or "—"),
                html.Td(nombre(r.pass_non_rembourses)),
                html.Td(euros(r.montant_non_rembourse_eur)),
            ]
        )
        for r in lieux.head(NB_LIEUX).itertuples()
    ]
    reste = len(lieux) - NB_LIEUX
    suite = (
        [
            html.P(
                f"{nombre(reste)} {'autre' if reste == 1 else 'autres'} dans l'export "
                f"({nombre(len(lieux))} au total).",
                className="small text-body-secondary",
            )
        ]
        if reste > 0
        else []
    )
    table = tableau_html(
        ["Lieu", "Commune", "Pass non remboursés", "Montant"],
        lignes,
        classe="table table-sm tableau-chiffres",
    )
    return html.Div([html.Div(table, className="table-responsive", tabIndex=0), *suite])
