"""National view `/`: map of the participating collectivités, filters, KPIs, funnel, timeline, table.

The whole state lives in the URL (dashboard.domain.etat): a shared link opens the same view. Callbacks
parse the controls, call `national_calcul.calculer` (memoised queries, pure figures) and write back the
permalink with history.replaceState (the pages router would re-render the page on a Dash URL change).
"""

from __future__ import annotations

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, State, dcc, html

from dashboard.components.export import entete
from dashboard.components.filtres import (
    CONTROLES,
    TOUTES_REGIONS,
    etat_depuis_controles,
    id_controle,
    indicateur_stock,
    options_niveau,
    panneau_filtres,
)
from dashboard.components.graphique import config_graphique
from dashboard.contexte import Contexte
from dashboard.domain.etat import EtatVue, lire_etat, lire_query
from dashboard.domain.indicateurs import INDICATEURS
from dashboard.domain.resume import filtres_en_clair
from dashboard.exports import EnteteExport, export_csv, export_xlsx, nom_fichier
from dashboard.figures import carte
from dashboard.pages import national_calcul as calcul
from dashboard.store.memoire import une_lecture

LOCALE_GRILLE = {
    "noRowsToShow": "Aucune ligne ne correspond.",
    "loadingOoo": "Chargement…",
    "searchOoo": "Rechercher…",
    "filterOoo": "Filtrer…",
    "contains": "Contient",
    "notContains": "Ne contient pas",
    "equals": "Égal à",
    "notEqual": "Différent de",
    "startsWith": "Commence par",
    "endsWith": "Se termine par",
    "lessThan": "Inférieur à",
    "greaterThan": "Supérieur à",
    "inRange": "Entre",
    "andCondition": "ET",
    "orCondition": "OU",
    "applyFilter": "Appliquer",
    "resetFilter": "Réinitialiser",
    "clearFilter": "Effacer",
    "blank": "Vide",
    "notBlank": "Non vide",
    "page": "Page",
    "of": "sur",
    "to": "à",
}
ENTREES = [Input(id_controle(nom), "value") for nom in CONTROLES]


def layout(contexte: Contexte, **parametres) -> html.Div:
    try:
        etat, erreur = lire_etat(parametres), None
    except ValueError as exc:  # a hand-edited link: show the default view and say why
        etat, erreur = EtatVue(), f"Adresse non comprise ({exc}) : vue par défaut affichée."
    regions = calcul.noms_territoires(contexte.engine, "region").sort_values("nom")
    return html.Div(
        [
            html.Div(
                [
                    html.H1("Carte nationale", className="h3 mt-3 mb-1 flex-grow-1"),
                    dcc.Link(
                        "Présenter cette vue",
                        id="national-presenter",
                        href="/presentation" + etat.query(),
                        className="btn btn-outline-primary btn-sm mt-3",
                    ),
                ],
                className="d-flex align-items-end gap-2",
            ),
            html.P(id="resume", className="mb-2", **{"aria-live": "polite"}),
            dbc.Alert(erreur, color="warning", is_open=bool(erreur), id="national-avis-url"),
            dbc.Row(
                [
                    dbc.Col(
                        panneau_filtres(etat, list(zip(regions["code"], regions["nom"], strict=True))),
                        lg=3,
                        xxl=2,
                    ),
                    dbc.Col(_contenu(), lg=9, xxl=10),
                ],
                className="g-3",
            ),
            dcc.Store(id="national-query", data=etat.query()),
            dcc.Store(id="national-bornes", data=list(etat.bornes)),
            dcc.Store(id="carte-signature"),  # the drawn map's structure: same one → patch the values
            html.Div(id="national-url", hidden=True),
            html.Div(id="tableau-purge", hidden=True),
            dcc.Location(id="national-aller", refresh="callback-nav"),  # a click opens a page
        ]
    )


def _contenu() -> list:
    return [
        html.Div(id="kpis", className="mb-3"),
        dbc.Row(
            [
                dbc.Col(
                    [
                        html.Div(id="carte-fil", className="d-flex align-items-center gap-2 mb-1"),
                        html.Div(
                            dcc.Graph(
                                id="carte",
                                config=config_graphique("carte-nationale"),
                                style={"height": "68vh", "minHeight": "460px"},
                            ),
                            role="figure",
                            **{
                                "aria-label": "Carte de France et des cinq départements d'outre-mer "
                                "en encarts ; le tableau plus bas donne les mêmes valeurs"
                            },
                        ),
                    ],
                    lg=9,
                ),
                dbc.Col(
                    [html.Div(id="carte-legende"), html.Div(id="carte-avis", className="small mt-2")], lg=3
                ),
            ],
            className="g-3",
        ),
        dbc.Row(
            [
                dbc.Col(
                    [
                        html.H2("Du pass commandé au pass utilisé", className="h6 mt-3"),
                        dcc.Graph(
                            id="entonnoir", config=config_graphique("entonnoir"), style={"height": "300px"}
                        ),
                    ],
                    lg=5,
                ),
                dbc.Col(
                    [
                        html.Div(
                            [
                                html.H2("Activité mensuelle", className="h6 mt-3 mb-0 me-3"),
                                dbc.RadioItems(
                                    id="chronologie-mode",
                                    value="mensuel",
                                    inline=True,
                                    className="mt-3",
                                    options=[
                                        {"label": "Par mois", "value": "mensuel"},
                                        {"label": "Cumul", "value": "cumul"},
                                    ],
                                ),
                            ],
                            className="d-flex align-items-center",
                        ),
                        dcc.Graph(
                            id="chronologie",
                            config=config_graphique("activite-mensuelle"),
                            style={"height": "300px"},
                        ),
                    ],
                    lg=7,
                ),
            ],
            className="g-3",
        ),
        html.Section(
            [
                html.H2("Tableau de la sélection", className="h6 mt-3"),
                dbc.Row(
                    [
                        dbc.Col(
                            [
                                dbc.Label(
                                    "Rechercher dans le tableau",
                                    html_for="tableau-recherche",
                                    className="visually-hidden",
                                ),
                                dbc.Input(
                                    id="tableau-recherche",
                                    type="search",
                                    placeholder="Rechercher un nom, un code…",
                                ),
                            ],
                            md=6,
                        ),
                        dbc.Col(
                            [
                                dbc.Button(
                                    "Exporter en CSV",
                                    id="export-csv",
                                    color="primary",
                                    outline=True,
                                    size="sm",
                                    className="me-2",
                                ),
                                dbc.Button(
                                    "Exporter en XLSX",
                                    id="export-xlsx",
                                    color="primary",
                                    outline=True,
                                    size="sm",
                                ),
                            ],
                            md=6,
                            className="text-md-end",
                        ),
                    ],
                    className="g-2 mb-2 align-items-center",
                ),
                # Rows come from the server a block at a time (sorted and searched there): a filter
                # change sends no row at all, the grid then asks for the block on screen.
                dag.AgGrid(
                    id="tableau",
                    columnDefs=[],
                    rowModelType="infinite",
                    defaultColDef={"sortable": True, "resizable": True},
                    dashGridOptions={
                        "localeText": LOCALE_GRILLE,
                        "animateRows": False,
                        "cacheBlockSize": calcul.TAILLE_BLOC,
                        "maxBlocksInCache": 20,
                    },
                    style={"height": "480px"},
                ),
                dcc.Download(id="telechargement"),
            ]
        ),
    ]


def _fil(etat: EtatVue, effectif: str, noms_regions: dict[str, str]) -> list:
    """Where the user stands in the drill-down, the way back, and the page of the région in view."""
    elements = [html.Span(effectif, className="small text-body-secondary")]
    if etat.vue == "territoires" and etat.niveau != "region":
        elements.append(dbc.Button("Remonter d'un niveau", id="carte-remonter", size="sm", color="link"))
    else:
        elements.append(html.Button(id="carte-remonter", hidden=True))
    if len(etat.filtres.regions) == 1 and etat.filtres.regions[0] in noms_regions:
        code = etat.filtres.regions[0]
        elements.append(
            dcc.Link(
                f"Page de la région {noms_regions[code]}",
                href=f"/territoire/region/{code}",
                className="small",
            )
        )
    return elements


def enregistrer(app: Dash, contexte: Contexte) -> None:
    dash.register_page(
        "national",
        path="/",
        title="Carte nationale — Pass numérique",
        name="Carte nationale",
        layout=lambda **params: layout(contexte, **params),
    )

    @app.callback(
        Output("carte", "figure"),
        Output("carte-legende", "children"),
        Output("carte-avis", "children"),
        Output("carte-fil", "children"),
        Output("kpis", "children"),
        Output("entonnoir", "figure"),
        Output("chronologie", "figure"),
        Output("tableau", "columnDefs"),
        Output("resume", "children"),
        Output("national-query", "data"),
        Output("national-bornes", "data"),
        Output("carte-signature", "data"),
        Output("filtres-erreur", "children"),
        *ENTREES,
        Input("chronologie-mode", "value"),
        State("national-bornes", "data"),
        State("carte-signature", "data"),
        State("national-query", "data"),
    )
    def mettre_a_jour(*valeurs):
        *controles, mode, bornes, signature, query_precedente = valeurs
        try:
            etat = etat_depuis_controles(dict(zip(CONTROLES, controles, strict=True)), tuple(bornes or ()))
        except ValueError as exc:
            return (*[dash.no_update] * 12, dbc.Alert(str(exc), color="danger", className="small p-2"))
        with une_lecture(contexte.engine):
            vue = calcul.calculer(contexte, etat)
            fil = _fil(etat, calcul.effectif(vue), calcul.noms_regions(contexte.engine))
        nouvelle_signature = carte.signature(vue.figure)
        figure = carte.correctif(vue.figure) if nouvelle_signature == signature else vue.figure
        colonnes = calcul.colonnes_tableau(etat)
        if dash.ctx.triggered_id is not None and _meme_vue(query_precedente, etat):
            colonnes = dash.no_update  # same columns: the grid keeps its widths and sort
        return (
            figure,
            vue.legende,
            vue.avis,
            fil,
            vue.kpis,
            vue.entonnoir,
            calcul.figure_chronologie(vue, mode == "cumul"),
            colonnes,
            vue.resume,
            etat.query(),
            list(vue.bornes),
            nouvelle_signature,
            None,
        )

    @app.callback(
        Output("tableau", "getRowsResponse"),
        Input("tableau", "getRowsRequest"),
        State("national-query", "data"),
        State("tableau-recherche", "value"),
        prevent_initial_call=True,
    )
    def lignes_demandees(requete, query, recherche):
        """One block of the table, for the grid's infinite row model."""
        if not isinstance(requete, dict):
            return dash.no_update
        etat = _etat_de(query)
        with une_lecture(contexte.engine):
            table = calcul.table_de(contexte.engine, etat)
        return calcul.bloc_tableau(table, requete, recherche if isinstance(recherche, str) else None)

    app.clientside_callback(
        """async function (query, recherche) {
            // New selection or new search: the grid drops its blocks and asks again (not when the
            // page only wrote down the state it opened with: the grid has just asked for it).
            const cle = JSON.stringify([query, recherche || ""]);
            const precedente = window.__passnumTableau;
            window.__passnumTableau = cle;
            if (precedente === undefined || precedente === cle) {
                return window.dash_clientside.no_update;
            }
            const api = await dash_ag_grid.getApiAsync("tableau");
            api.purgeInfiniteCache();
            return window.dash_clientside.no_update;
        }""",
        Output("tableau-purge", "children"),
        Input("national-query", "data"),
        Input("tableau-recherche", "value"),
        prevent_initial_call=True,
    )

    @app.callback(
        Output(id_controle("niveau"), "value"),
        Output(id_controle("region"), "value"),
        Output("national-aller", "href"),
        Input("carte", "clickData"),
        Input("carte-remonter", "n_clicks"),
        State("national-query", "data"),
        prevent_initial_call=True,
    )
    def descendre_ou_remonter(clic, remonter, query):
        """A click drills down région → départements → EPCIs; on an EPCI or a laureate it opens its
        page. "Remonter" goes back up."""
        rien = dash.no_update, dash.no_update, dash.no_update
        etat = _etat_de(query)
        if dash.ctx.triggered_id == "carte-remonter":
            if not remonter or etat.vue != "territoires":  # the button was just redrawn, not pressed
                return rien
            nouvel = etat.remonter()
        else:
            points = (clic or {}).get("points") if isinstance(clic, dict) else None
            point = points[0] if isinstance(points, list) and points and isinstance(points[0], dict) else {}
            page = calcul.page_du_clic(etat, point)
            if page:
                return dash.no_update, dash.no_update, page
            nouvel = calcul.drill(etat, point.get("location"), contexte.engine)
        if nouvel == etat:
            return rien
        regions = nouvel.filtres.regions
        return nouvel.niveau, regions[0] if len(regions) == 1 else TOUTES_REGIONS, dash.no_update

    @app.callback(Output(id_controle("niveau"), "options"), Input(id_controle("vue"), "value"))
    def niveau_selon_vue(vue):
        """The porteurs view draws each laureate on its own perimeter: the level does not apply."""
        return options_niveau(desactive=vue == "porteurs")

    @app.callback(
        Output(id_controle("classes"), "disabled"),
        Output(id_controle("figer"), "disabled"),
        Input(id_controle("indicateur"), "value"),
    )
    def classes_selon_indicateur(identifiant):
        """Stocks are drawn as proportional circles: classes do not apply to them."""
        sans_classes = indicateur_stock(identifiant)
        return sans_classes, sans_classes

    app.clientside_callback(
        r"""function (query) {
            // The briefing deck of the view on screen: the same filters, the default slides.
            const q = (typeof query === "string" ? query : "").replace(/^\?/, "");
            return "/presentation?" + (q ? q + "&" : "") + "diapos=resume,carte,classement,chronologie";
        }""",
        Output("national-presenter", "href"),
        Input("national-query", "data"),
    )

    app.clientside_callback(
        """function (query) {
            if (typeof query === "string" && window.location.pathname === "/") {
                window.history.replaceState(null, "", "/" + query);
            }
            return "";
        }""",
        Output("national-url", "children"),
        Input("national-query", "data"),
    )

    @app.callback(
        Output("telechargement", "data"),
        Input("export-csv", "n_clicks"),
        Input("export-xlsx", "n_clicks"),
        State("national-query", "data"),
        prevent_initial_call=True,
    )
    def exporter(_csv, _xlsx, query):
        etat = _etat_de(query)
        table = calcul.table_de(contexte.engine, etat)
        entete = entete_export(contexte, etat)
        colonnes = [
            ("nom", "Nom"),
            ("code", "SIREN" if etat.vue == "porteurs" else "Code"),
            *((i.id, i.libelle) for i in INDICATEURS),
        ]
        quoi = [f"{etat.vue}", calcul.niveau_table(etat)] if etat.vue == "territoires" else [etat.vue]
        if dash.ctx.triggered_id == "export-xlsx":
            return dcc.send_bytes(
                export_xlsx(table, colonnes, entete), nom_fichier(quoi, "xlsx", entete.genere_le)
            )
        return dcc.send_bytes(export_csv(table, colonnes, entete), nom_fichier(quoi, "csv", entete.genere_le))


def _etat_de(query) -> EtatVue:
    """The state kept in the page (national-query); a forged one gives the default view."""
    try:
        return lire_query(query if isinstance(query, str) else "")
    except ValueError:
        return EtatVue()


def _meme_vue(query: str | None, etat: EtatVue) -> bool:
    return isinstance(query, str) and _etat_de(query).vue == etat.vue


def entete_export(contexte: Contexte, etat: EtatVue) -> EnteteExport:
    """The stamp of every export: view, filters in words, data date, source."""
    regions = calcul.noms_territoires(contexte.engine, "region")
    filtres = [
        f"Vue : {etat.vue}, niveau : {calcul.niveau_table(etat)}",
        *filtres_en_clair(etat.filtres, dict(zip(regions["code"], regions["nom"], strict=True))),
    ]
    return entete(contexte, "Pass numérique — tableau de bord national", filtres)
