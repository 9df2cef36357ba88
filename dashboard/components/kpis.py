"""KPI cards of the selection (`id="kpis"`), each value formatted by the indicator registry."""

from __future__ import annotations

from datetime import date

import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from dashboard.domain.formatage import date_courte, nombre
from dashboard.domain.indicateurs import indicateur

KPIS = (
    "subvention_etat_engagee_eur",
    "subvention_etat_versee_eur",
    "pass_commandes",
    "pass_distribues",
    "pass_utilises",
    "taux_distribution",
    "taux_utilisation",
    "euros_etat_par_pass_utilise",
)


def _carte(titre: str, valeur: str, id_: str) -> dbc.Col:
    return dbc.Col(
        html.Div(
            [html.Div(titre, className="kpi-titre"), html.Div(valeur, className="kpi-valeur")],
            className="kpi",
            id=id_,
        ),
        xs=6,
        md=4,
        xl=True,
    )


def cartes_kpis(totaux: pd.Series, nb_laureats: int, date_donnees: date | None) -> list:
    """The children of the page's `kpis` container."""
    cartes = [_carte("Lauréats", nombre(nb_laureats), "kpi-laureats")]
    for identifiant in KPIS:
        ind = indicateur(identifiant)
        cartes.append(_carte(ind.libelle, ind.formater(totaux[identifiant]), f"kpi-{identifiant}"))
    quand = f"Données au {date_courte(date_donnees)}" if date_donnees else "Aucune donnée d'activité"
    return [
        dbc.Row(cartes, className="g-2"),
        html.Div(quand, className="kpi-date small text-body-secondary mt-1"),
    ]
