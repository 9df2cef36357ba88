"""Comparison `/comparer?ids=departement:44,epci:200067106`: 2 to 6 territories or laureates side by side
(dashboard.vues.comparaison, rendered by dashboard.components.comparaison). The address is the shareable
link, rewritten in the browser's history as the selection changes."""

from __future__ import annotations

import dash
from dash import ClientsideFunction, Input, Output, State, dcc, html

from dashboard.components import comparaison as composants
from dashboard.components import recherche
from dashboard.components.export import zone_message
from dashboard.pages import rappel, rappel_export, rappel_navigateur
from dashboard.vues import comparaison
from dashboard.web.acces.liens import racine_publique

AJOUT = recherche.COMPARER  # the search box's field (its results: dashboard.pages.recherche)


def _contenu(contexte, entites, ignores) -> list:
    vue = comparaison.vue(contexte, entites, ignores)
    adresse = vue.comparaison.adresse if vue.comparaison else ""
    # The shareable link: from PASSNUM_URL, never from the request's Host.
    return composants.contenu(vue, racine_publique(contexte.settings) + adresse if adresse else adresse)


def layout(contexte, /, ids: str | None = None, **_params) -> html.Div:
    entites, ignores = comparaison.lire_ids(contexte, ids)
    return html.Div(
        [
            html.H1("Comparer des territoires et des lauréats", className="h3 mt-3 mb-2"),
            html.Ul(
                composants.selection(entites),
                id="comparer-selection",
                className="list-unstyled d-flex flex-wrap gap-2",
            ),
            # The search box: a name, a code or a SIREN; Entrée or « Ajouter » adds the highlighted result.
            html.Div(
                recherche.boite(
                    AJOUT,
                    "ajouter",
                    "Ajouter un territoire ou un lauréat (nom, code ou SIREN)",
                    "Par exemple Finistère ou 29",
                    bouton=("comparer-ajouter", "Ajouter"),
                ),
                className="comparer-ajout mb-2",
                style={"maxWidth": "44rem"},
            ),
            html.P(id="comparer-message", role="status", className="small mb-3", **{"aria-live": "polite"}),
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
    "message": Output("comparer-message", "children"),
}


@rappel(
    output=SELECTION,
    inputs={
        "choix": Input(f"{AJOUT}-choix", "data"),
        "retirer": Input({"type": "comparer-retirer", "id": dash.ALL}, "n_clicks"),
        "ids": State("comparer-ids", "data"),
    },
    prevent_initial_call=True,
)
def modifier(contexte, choix, retirer, ids):
    """Add the result picked in the search box, or remove one entity; say it, with names."""
    declencheur = dash.ctx.triggered_id
    if isinstance(declencheur, dict):
        if not dash.ctx.triggered[0].get("value"):
            return {cle: dash.no_update for cle in SELECTION}
        entites, ignores, message = comparaison.retirer(contexte, ids, declencheur.get("id"))
    else:
        choisi = choix.get("identifiant") if isinstance(choix, dict) else None
        if not isinstance(choisi, str):
            return {cle: dash.no_update for cle in SELECTION}
        entites, ignores, message = comparaison.ajouter(contexte, ids, choisi)
    return {
        "contenu": _contenu(contexte, entites, ignores),
        "selection": composants.selection(entites),
        "ids": [e.identifiant for e in entites],
        "adresse": comparaison.adresse(entites),
        "message": message,
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
