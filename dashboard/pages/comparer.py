"""Comparison `/comparer?ids=departement:44,epci:200067106`: 2 to 6 territories or laureates side by side.

Indicators per inhabitant and rates, each with the national and regional medians of its kind (same
level, or laureates of the same type); funnels and monthly redemptions per 1 000 inhabitants on one
chart each; suggested peers of the first entity; the address is the shareable link (replaced in the
browser's history as the selection changes); the table exports to CSV/XLSX and the charts to PNG.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Dash, Input, Output, State, dcc, html
from flask import has_request_context, request

from dashboard.components.export import bouton_export, entete
from dashboard.components.graphique import config_graphique
from dashboard.contexte import Contexte
from dashboard.domain.formatage import nombre
from dashboard.domain.indicateurs import INDICATEURS, Nature, indicateur
from dashboard.exports import EnteteExport, export_csv, export_xlsx, nom_fichier
from dashboard.figures.graphiques import chronologies_comparees, entonnoirs_compares
from dashboard.store import fiches
from dashboard.store.fiches import PAR_HABITANT, Entite
from dashboard.store.indicateurs import territoires
from dashboard.store.memoire import memoiser, une_lecture

MIN_ENTITES, MAX_ENTITES = 2, 6
NB_SUGGESTIONS = 5
# Rows of the table: rates and per-inhabitant ratios of the registry, then per-inhabitant forms of stocks.
LIGNES = [i.id for i in INDICATEURS if i.nature is not Nature.STOCK]
LIGNES_PAR_HABITANT = list(PAR_HABITANT)


@dataclass
class Comparaison:
    entites: list[Entite]
    ignores: list[str]  # identifiers not understood or unknown, said on the page
    table: pd.DataFrame  # one row per entity: nom, identifiant, population, indicators, medians


def lire_ids(contexte: Contexte, ids: str | None) -> tuple[list[Entite], list[str]]:
    """The entities of `ids` (comma-separated, duplicates dropped, at most MAX_ENTITES) and the
    identifiers left aside."""
    entites, ignores, vus = [], [], set()
    for morceau in (ids or "").split(","):
        morceau = morceau.strip()
        if not morceau or morceau in vus:
            continue
        vus.add(morceau)
        try:
            niveau, code = fiches.lire_identifiant(morceau)
        except ValueError:
            ignores.append(morceau[:40])
            continue
        ent = fiches.entite(contexte.engine, niveau, code)
        if ent is None or len(entites) >= MAX_ENTITES:
            ignores.append(morceau)
        else:
            entites.append(ent)
    return entites, ignores


def comparer(contexte: Contexte, entites: list[Entite], ignores: list[str]) -> Comparaison:
    engine = contexte.engine
    lignes = []
    for ent in entites:
        ligne = fiches.avec_par_habitant(pd.DataFrame([fiches.indicateurs(engine, ent)])).iloc[0]
        colonnes = [*LIGNES, *LIGNES_PAR_HABITANT]
        medianes = fiches.medianes(engine, ent, colonnes)
        donnees = {"nom": ent.nom, "identifiant": ent.identifiant, "type": ent.type_libelle}
        donnees["population"] = ent.population
        for colonne in colonnes:
            donnees[colonne] = ligne.get(colonne)
            donnees[f"{colonne}__national"] = medianes.loc["national", colonne]
            donnees[f"{colonne}__regional"] = medianes.loc["regional", colonne]
        lignes.append(donnees)
    return Comparaison(entites, ignores, pd.DataFrame(lignes))


def _libelle(colonne: str) -> str:
    if colonne in PAR_HABITANT:
        return PAR_HABITANT[colonne][0]
    return indicateur(colonne).libelle


def _formater(colonne: str, valeur) -> str:
    if colonne in PAR_HABITANT:
        return nombre(valeur, 1)
    return indicateur(colonne).formater(valeur)


def identifiant_saisi(contexte: Contexte, saisie) -> str | None:
    """What the user typed: a label of the list, or an identifier such as departement:29."""
    if not isinstance(saisie, str) or not saisie.strip():
        return None
    saisie = saisie.strip()
    par_libelle = {o["label"]: o["value"] for o in options_entites(contexte)}
    if saisie in par_libelle:
        return par_libelle[saisie]
    try:
        niveau, code = fiches.lire_identifiant(saisie)
    except ValueError:
        return None
    return f"{niveau}:{code}"


def options_entites(contexte: Contexte) -> list[dict]:
    """Every région, département, EPCI and laureate, for the picker (memoised per data version)."""

    def lire(engine) -> list[dict]:
        options = []
        reference = territoires(engine).reset_index()
        for niveau in ("region", "departement", "epci"):
            partie = reference[reference["niveau"] == niveau].sort_values("nom")
            nom_niveau = fiches.LIBELLES_NIVEAUX[niveau].lower() if niveau != "epci" else "EPCI"
            options += [
                {"label": f"{t.nom} ({nom_niveau}, {t.code})", "value": f"{niveau}:{t.code}"}
                for t in partie.itertuples()
            ]
        laureats = fiches.table_du_niveau(engine, "porteur").sort_values("nom")
        options += [
            {"label": f"{p.nom} (lauréat)", "value": f"porteur:{p.code}"} for p in laureats.itertuples()
        ]
        return options

    return memoiser(contexte.engine, lire)


# --- Layout ------------------------------------------------------------------------------------------------


def layout(contexte: Contexte, ids: str | None = None, **_params) -> html.Div:
    with une_lecture(contexte.engine):
        entites, ignores = lire_ids(contexte, ids)
        options = options_entites(contexte)
    return html.Div(
        [
            html.H1("Comparer des territoires et des lauréats", className="h3 mt-3 mb-2"),
            # Native controls (a datalist to add, buttons to remove): fully usable with the keyboard and a
            # screen reader, unlike Dash 4's dropdown whose focus target is hidden from assistive tech.
            html.Ul(
                _selection(entites), id="comparer-selection", className="list-unstyled d-flex flex-wrap gap-2"
            ),
            html.Div(
                [
                    dbc.Label(
                        "Ajouter un territoire ou un lauréat", html_for="comparer-ajout", className="mb-0"
                    ),
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
            ),
            dcc.Store(id="comparer-ids", data=[e.identifiant for e in entites]),
            html.Div(id="comparer-contenu", children=contenu(contexte, entites, ignores)),
            dcc.Download(id="comparer-telechargement"),
            html.Div(id="comparer-url", hidden=True),
            html.Div(id="comparer-url-fait", hidden=True),
        ]
    )


def _selection(entites: list[Entite]) -> list:
    return [
        html.Li(
            [
                html.Span(f"{e.nom} ({e.type_libelle if e.niveau != 'porteur' else 'lauréat'})"),
                html.Button(
                    "×",
                    id={"type": "comparer-retirer", "id": e.identifiant},
                    type="button",
                    className="btn btn-sm btn-link p-0 ms-1",
                    title=f"Retirer {e.nom}",
                    **{"aria-label": f"Retirer {e.nom} de la comparaison"},
                ),
            ],
            className="badge text-bg-light border d-flex align-items-center fs-6 fw-normal",
        )
        for e in entites
    ]


def _adresse(entites: list[Entite]) -> str:
    return "/comparer?ids=" + ",".join(e.identifiant for e in entites)


def contenu(contexte: Contexte, entites: list[Entite], ignores: list[str]) -> list:
    avis = []
    if ignores:
        avis.append(
            dbc.Alert(
                f"Identifiants ignorés (inconnus, mal formés ou au-delà de {MAX_ENTITES}) : "
                f"{', '.join(ignores)}.",
                color="warning",
                className="small",
            )
        )
    if len(entites) < MIN_ENTITES:
        return [
            *avis,
            dbc.Alert(
                "Choisissez au moins deux territoires ou lauréats à comparer (six au plus), par exemple "
                "depuis la fiche d'un territoire (« Comparer avec des pairs »).",
                color="info",
                id="comparer-vide",
            ),
            _suggestions(contexte, entites),
        ]
    with une_lecture(contexte.engine):
        comparaison = comparer(contexte, entites, ignores)
        figures = figures_comparaison(contexte, comparaison)
    adresse = _adresse(entites)
    absolue = (request.host_url.rstrip("/") + adresse) if has_request_context() else adresse
    return [
        *avis,
        html.Div(
            [
                dbc.Label("Lien à partager", html_for="comparer-lien", className="small mb-0 me-2"),
                dbc.Input(
                    id="comparer-lien",
                    value=absolue,
                    readonly=True,
                    size="sm",
                    className="w-auto flex-grow-1",
                ),
                dcc.Clipboard(
                    target_id="comparer-lien",
                    title="Copier le lien",
                    className="btn btn-outline-primary btn-sm",
                ),
            ],
            className="d-flex align-items-center gap-2 mb-3",
        ),
        _entete("Indicateurs par habitant et taux", "tableau", png=False),
        html.Div(_tableau(comparaison), className="table-responsive", id="comparer-tableau"),
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
                        figures["entonnoirs"],
                    ),
                    lg=6,
                ),
                dbc.Col(
                    _graphique(
                        "chronologies",
                        "Pass utilisés par mois, pour 1 000 habitants",
                        figures["chronologies"],
                    ),
                    lg=6,
                ),
            ],
            className="g-3",
        ),
        _suggestions(contexte, entites),
    ]


def figures_comparaison(contexte: Contexte, comparaison: Comparaison) -> dict[str, dict]:
    engine = contexte.engine
    entonnoirs, series = [], []
    for ent in comparaison.entites:
        ligne = fiches.indicateurs(engine, ent).fillna(0)
        entonnoirs.append(
            (
                ent.nom,
                ent.population,
                ligne["pass_commandes"],
                ligne["pass_distribues"],
                ligne["pass_utilises"],
            )
        )
        series.append((ent.nom, fiches.serie_mensuelle(engine, ent), ent.population))
    return {
        "entonnoirs": entonnoirs_compares(entonnoirs),
        "chronologies": chronologies_comparees(series, "pass_utilises", "pass utilisés pour 1 000 habitants"),
    }


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
        cellules = []
        for _, ligne in table.iterrows():
            cellules.append(
                html.Td(
                    [
                        html.Span(_formater(colonne, ligne[colonne]), className="fw-bold"),
                        html.Br(),
                        html.Small(
                            f"nat. {_formater(colonne, ligne[f'{colonne}__national'])} · "
                            f"rég. {_formater(colonne, ligne[f'{colonne}__regional'])}",
                            className="text-body-secondary",
                        ),
                    ]
                )
            )
        lignes.append(html.Tr([html.Th(_libelle(colonne), scope="row"), *cellules]))
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
                config=config_graphique(f"pass-numerique-{nom}"),
                style={"height": "340px"},
            ),
        ]
    )


def _entete(titre: str, nom: str, png: bool, tableau: bool = True) -> html.Div:
    boutons = []
    if png:
        boutons.append(
            bouton_export(
                {"type": "comparer-export", "format": "png", "nom": nom},
                "PNG",
                f"Télécharger « {titre} » en PNG",
            )
        )
    if tableau:
        boutons += [
            bouton_export(
                {"type": "comparer-export", "format": "csv", "nom": nom},
                "CSV",
                f"Exporter « {titre} » en CSV",
            ),
            bouton_export(
                {"type": "comparer-export", "format": "xlsx", "nom": nom},
                "XLSX",
                f"Exporter « {titre} » en XLSX",
            ),
        ]
    return html.Div(
        [html.H2(titre, className="h6 mt-3 mb-1 flex-grow-1"), *boutons],
        className="d-flex align-items-end gap-2",
    )


def _suggestions(contexte: Contexte, entites: list[Entite]) -> html.Section | None:
    """Peers of the first entity not yet compared, each a link adding it."""
    if not entites or len(entites) >= MAX_ENTITES:
        return None
    premiere = entites[0]
    with une_lecture(contexte.engine):
        pairs = fiches.pairs(contexte.engine, premiere)
    deja = {e.identifiant for e in entites}
    pairs = pairs[~pairs["est_entite"] & pairs["valeur"].notna()]
    pairs = pairs.assign(ecart=(pairs["population"] - premiere.population).abs()).nsmallest(
        NB_SUGGESTIONS + len(deja), "ecart"
    )
    elements = []
    for p in pairs.itertuples():
        identifiant = f"{premiere.niveau}:{p.code}"
        if identifiant in deja or len(elements) >= NB_SUGGESTIONS:
            continue
        adresse = "/comparer?ids=" + ",".join([*(e.identifiant for e in entites), identifiant])
        elements.append(
            html.Li(
                [
                    dcc.Link(f"Ajouter {p.nom}", href=adresse),
                    html.Span(f" — {nombre(p.population)} habitants", className="small"),
                ]
            )
        )
    if not elements:
        return None
    return html.Section(
        [
            html.H2(f"Pairs suggérés pour {premiere.nom}", className="h6 mt-3"),
            html.P("Même type, population comparable (de la moitié au double).", className="small mb-1"),
            html.Ul(elements, id="comparer-suggestions"),
        ]
    )


# --- Exports and callbacks -----------------------------------------------------------------------------


def entete_comparaison(contexte: Contexte, comparaison: Comparaison, quoi: str) -> EnteteExport:
    return entete(
        contexte,
        f"Pass numérique — comparaison — {quoi}",
        [
            f"Comparés : {', '.join(f'{e.nom} ({e.identifiant})' for e in comparaison.entites)}",
            "Toutes vagues, toute la période",
        ],
    )


def colonnes_export() -> list[tuple[str, str]]:
    colonnes = [
        ("nom", "Nom"),
        ("identifiant", "Identifiant"),
        ("type", "Type"),
        ("population", "Population"),
    ]
    for colonne in [*LIGNES, *LIGNES_PAR_HABITANT]:
        libelle = _libelle(colonne)
        colonnes += [
            (colonne, libelle),
            (f"{colonne}__national", f"{libelle} — médiane nationale"),
            (f"{colonne}__regional", f"{libelle} — médiane régionale"),
        ]
    return colonnes


def enregistrer(app: Dash, contexte: Contexte) -> None:
    dash.register_page(
        "comparer",
        path="/comparer",
        title="Comparer — Pass numérique",
        name="Comparer",
        layout=lambda **params: layout(contexte, **params),
    )

    @app.callback(
        Output("comparer-contenu", "children"),
        Output("comparer-selection", "children"),
        Output("comparer-ids", "data"),
        Output("comparer-url", "children"),
        Output("comparer-ajout", "value"),
        Output("comparer-ajout", "invalid"),
        Input("comparer-ajouter", "n_clicks"),
        Input("comparer-ajout", "n_submit"),
        Input({"type": "comparer-retirer", "id": dash.ALL}, "n_clicks"),
        State("comparer-ajout", "value"),
        State("comparer-ids", "data"),
        prevent_initial_call=True,
    )
    def modifier(_ajouter, _valider, _retirer, saisie, ids):
        """Add the typed entity (its label from the list, or an identifier) or remove one."""
        ids = [i for i in (ids or []) if isinstance(i, str)]
        declencheur = dash.ctx.triggered_id
        if isinstance(declencheur, dict):
            if not dash.ctx.triggered[0].get("value"):
                return (dash.no_update,) * 6
            ids = [i for i in ids if i != declencheur.get("id")]
        else:
            choisi = identifiant_saisi(contexte, saisie)
            if choisi is None:
                return (dash.no_update,) * 5 + (bool(saisie),)
            if choisi not in ids:
                ids.append(choisi)
        with une_lecture(contexte.engine):
            entites, ignores = lire_ids(contexte, ",".join(ids))
        garde = [e.identifiant for e in entites]
        return contenu(contexte, entites, ignores), _selection(entites), garde, _adresse(entites), "", False

    app.clientside_callback(
        """function (adresse) {
            if (typeof adresse === "string" && window.location.pathname === "/comparer") {
                window.history.replaceState(null, "", adresse);
            }
            return window.dash_clientside.no_update;
        }""",
        Output("comparer-url-fait", "children"),
        Input("comparer-url", "children"),
        prevent_initial_call=True,
    )

    @app.callback(
        Output("comparer-telechargement", "data"),
        Input({"type": "comparer-export", "format": dash.ALL, "nom": dash.ALL}, "n_clicks"),
        State("comparer-ids", "data"),
        prevent_initial_call=True,
    )
    def exporter(_clics, valeurs):
        declencheur = dash.ctx.triggered_id
        if not isinstance(declencheur, dict) or not dash.ctx.triggered[0].get("value"):
            return dash.no_update
        valeurs = [v for v in (valeurs or []) if isinstance(v, str)]
        with une_lecture(contexte.engine):
            entites, ignores = lire_ids(contexte, ",".join(valeurs))
            if len(entites) < MIN_ENTITES:
                return dash.no_update
            comparaison = comparer(contexte, entites, ignores)
            nom, genre = str(declencheur.get("nom")), declencheur.get("format")
            maintenant = datetime.now(UTC)
            if genre == "png":
                from dashboard.exports_png import png_figure

                figures = figures_comparaison(contexte, comparaison)
                if nom not in figures:
                    return dash.no_update
                entete = entete_comparaison(contexte, comparaison, nom)
                return dcc.send_bytes(
                    png_figure(figures[nom], entete, geo_dir=contexte.settings.geo_dir),
                    nom_fichier(["comparaison", nom], "png", maintenant),
                )
            entete = entete_comparaison(contexte, comparaison, "indicateurs par habitant et taux")
            if genre == "xlsx":
                return dcc.send_bytes(
                    export_xlsx(comparaison.table, colonnes_export(), entete),
                    nom_fichier(["comparaison", nom], "xlsx", maintenant),
                )
            if genre == "csv":
                return dcc.send_bytes(
                    export_csv(comparaison.table, colonnes_export(), entete),
                    nom_fichier(["comparaison", nom], "csv", maintenant),
                )
        return dash.no_update
