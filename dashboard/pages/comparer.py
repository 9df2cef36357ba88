"""Comparison `/comparer?ids=departement:44,epci:200067106`: 2 to 6 territories or laureates side by side
(dashboard.vues.comparaison, rendered by dashboard.components.comparaison). The address is the shareable
link, rewritten in the browser's history as the selection changes."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import ClientsideFunction, Input, Output, State, dcc, html

from dashboard.components import comparaison as composants
from dashboard.components.export import zone_message
from dashboard.pages import rappel, rappel_export, rappel_navigateur
from dashboard.vues import comparaison
from dashboard.web.acces.liens import racine_publique


def _contenu(contexte, entites, ignores) -> list:
    vue = comparaison.vue(contexte, entites, ignores)
    adresse = vue.comparaison.adresse if vue.comparaison else ""
    # The shareable link: from PASSNUM_URL, never from the request's Host.
    return composants.contenu(vue, racine_publique(contexte.settings) + adresse if adresse else adresse)


def layout(contexte, /, ids: str | None = None, **_params) -> html.Div:
    entites, ignores = comparaison.lire_ids(contexte, ids)
    options = comparaison.options_entites(contexte)
    # Native controls (a datalist to add, buttons to remove): fully usable with the keyboard and a screen
    # reader, unlike Dash 4's dropdown whose focus target is hidden from assistive tech.
    ajout = html.Div(
        [
            dbc.Label("Ajouter un territoire ou un lauréat", html_for="comparer-ajout", className="mb-0"),
            dbc.Input(
                id="comparer-ajout",
                type="search",
                list="comparer-options",
                placeholder="Nom ou code, par exemple Finistère ou 29",
                autocomplete="off",
                className="w-auto flex-grow-1",
                debounce=False,
            ),
            html.Datalist([html.Option(value=o["label"]) for o in options], id="comparer-options"),
            dbc.Button("Ajouter", id="comparer-ajouter", color="primary", size="sm"),
        ],
        className="d-flex align-items-center gap-2 mb-3",
    )
    return html.Div(
        [
            html.H1("Comparer des territoires et des lauréats", className="h3 mt-3 mb-2"),
            html.Ul(
                composants.selection(entites),
                id="comparer-selection",
                className="list-unstyled d-flex flex-wrap gap-2",
            ),
            ajout,
            dcc.Store(id="comparer-ids", data=[e.identifiant for e in entites]),
            html.Div(id="comparer-contenu", children=_contenu(contexte, entites, ignores)),
            dcc.Download(id="comparer-telechargement"),
            zone_message("comparer-telechargement"),
            html.Div(id="comparer-url", hidden=True),
            html.Div(id="comparer-url-fait", hidden=True),
        ]
    )


PAGES = [
    {
        "module": "comparer",
        "path": "/comparer",
        "title": "Comparer — Pass numérique",
        "name": "Comparer",
        "layout": layout,
    }
]
SELECTION = {
    "contenu": Output("comparer-contenu", "children"),
    "selection": Output("comparer-selection", "children"),
    "ids": Output("comparer-ids", "data"),
    "adresse": Output("comparer-url", "children"),
    "saisie": Output("comparer-ajout", "value"),
    "invalide": Output("comparer-ajout", "invalid"),
}


@rappel(
    output=SELECTION,
    inputs={
        "ajouter": Input("comparer-ajouter", "n_clicks"),
        "valider": Input("comparer-ajout", "n_submit"),
        "retirer": Input({"type": "comparer-retirer", "id": dash.ALL}, "n_clicks"),
        "saisie": State("comparer-ajout", "value"),
        "ids": State("comparer-ids", "data"),
    },
    prevent_initial_call=True,
)
def modifier(contexte, ajouter, valider, retirer, saisie, ids):
    """Add the typed entity (its label from the list, or an identifier) or remove one."""
    declencheur = dash.ctx.triggered_id
    inchange = {cle: dash.no_update for cle in SELECTION}
    if isinstance(declencheur, dict):
        if not dash.ctx.triggered[0].get("value"):
            return inchange
        entites, ignores = comparaison.modifier(contexte, ids, retrait=declencheur.get("id"))
    else:
        choisi = comparaison.identifiant_saisi(contexte, saisie)
        if choisi is None:
            return {**inchange, "invalide": bool(saisie)}
        entites, ignores = comparaison.modifier(contexte, ids, ajout=choisi)
    return {
        "contenu": _contenu(contexte, entites, ignores),
        "selection": composants.selection(entites),
        "ids": [e.identifiant for e in entites],
        "adresse": comparaison.adresse(entites),
        "saisie": "",
        "invalide": False,
    }


ECRIRE_ADRESSE = rappel_navigateur(
    ClientsideFunction("passnum", "remplacerAdresse"),
    Output("comparer-url-fait", "children"),
    [Input("comparer-url", "children")],
    prevent_initial_call=True,
)


EXPORTER = rappel_export(
    "comparer", "comparer-telechargement", State("comparer-ids", "data"), comparaison.exporter
)
