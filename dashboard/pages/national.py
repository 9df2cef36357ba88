"""National view `/`: map of the participating collectivités, filters, KPIs, funnel, timeline, table.

The whole state lives in the URL (dashboard.domain.etat): a shared link opens the same view. A filter
change goes: the filter panel's values → the state (components.filtres.etat_depuis_controles) → the view
(vues.nationale.calculer) → rendered here; the map is patched when its structure is unchanged, and the
address is rewritten with history.replaceState (the pages router would re-render the page on a Dash URL
change).
"""

from __future__ import annotations

from dataclasses import replace

import dash
import dash_bootstrap_components as dbc
from dash import ALL, ClientsideFunction, Input, Output, State, dcc, html

from dashboard.components import nationale as composants
from dashboard.components import passif
from dashboard.components import prevision as composants_prevision
from dashboard.components.arbre import en_arbre
from dashboard.components.enveloppe import carte_enveloppe
from dashboard.components.filtres import (
    CONTROLES,
    TOUTES_REGIONS,
    bouton_filtres,
    etat_depuis_controles,
    id_controle,
    indicateur_stock,
    options_indicateur,
    options_niveau,
    panneau_filtres,
    tiroir_filtres,
)
from dashboard.components.filtres_actifs import (
    CONTROLES_REMIS,
    DEPARTEMENT,
    TYPE_ETIQUETTE,
    etiquettes,
    remise,
    texte_nombre_actifs,
)
from dashboard.components.graphique import en_patch
from dashboard.components.kpis import cartes_kpis
from dashboard.components.legende import legende
from dashboard.components.notes import preparer_comite
from dashboard.domain import deck, liens
from dashboard.domain.etat import RECHERCHE_MAX, EtatVue, lire_etat
from dashboard.figures import carte
from dashboard.pages import en_json, rappel, rappel_export, rappel_navigateur, visiteur
from dashboard.pages.notes import bloc_notes
from dashboard.vues import nationale, notes, prevision
from dashboard.vues.enveloppe import carte_nationale
from dashboard.vues.tableau import (
    avec_type_et_region,
    bloc_tableau,
    colonnes_tableau,
    colonnes_visibles,
    compte,
    tri_de,
)

# PASSNUM_PUBLIC=1: visitors without an account may call this page's reading callbacks (dashboard.pages).
OUVERT_AU_PUBLIC = True


def _contenu(contexte, etat, vue) -> list:
    """The page's blocks after the filter bar: KPIs, envelope, map, the operator's liabilities, the
    laureates losing most State money to expiry, the charts, the table."""
    contenu = composants.contenu(etat, nationale.exacte(contexte, etat), premiere_vue(vue))
    liste = composants_prevision.liste_nationale(
        prevision.liste_nationale(contexte), prevision.date_texte(contexte)
    )
    return [*contenu[:3], passif.carte_nationale(contexte), liste, *contenu[3:]]


def layout(contexte, /, **parametres) -> html.Div:
    """Title and summary kept tight, so that the map starts in the first screen at 1366×768; on narrow
    screens (< 992 px) the figures come first and the filters open in a drawer."""
    try:
        etat, erreur = lire_etat(parametres), None
    except ValueError as exc:  # a hand-edited link: show the default view and say why
        etat, erreur = EtatVue(), f"Adresse non comprise ({exc}) : vue par défaut affichée."
    public = visiteur(contexte)  # PASSNUM_PUBLIC=1, no account: no deck, no committee
    presenter = dcc.Link(
        "Présenter cette vue",
        id="national-presenter",
        href=deck.presentation(etat),
        className="btn btn-outline-primary btn-sm" + (" d-none" if public else ""),
    )
    filtres = panneau_filtres(etat, nationale.regions(contexte))
    barre = _barre_filtres(contexte, etat)
    # The first view is drawn from the layout itself (map, KPIs, legend): no callback's round trip
    # before the first paint. The view's callback then runs as after any change, finds the same
    # structure (carte-signature) and sends the map its values only.
    vue = nationale.calculer(contexte, etat)
    contenu = _contenu(contexte, etat, vue)
    return html.Div(
        [
            html.Div(
                [
                    html.H1("Carte nationale", className="national-titre flex-grow-1"),
                    presenter,
                    None if public else preparer_comite(),
                ],
                className="d-flex align-items-center gap-2 flex-wrap",
            ),
            html.P(vue.resume, id="resume", className="mb-2", **{"aria-live": "polite"}),
            dbc.Alert(erreur, color="warning", is_open=bool(erreur), id="national-avis-url"),
            dbc.Row(
                [
                    dbc.Col(tiroir_filtres(filtres), lg=3, xxl=2, className="colonne-filtres"),
                    dbc.Col([barre, *contenu], lg=9, xxl=10),
                ],
                className="g-3",
            ),
            None if public else bloc_notes(contexte, "national", "national"),
            dcc.Store(id="national-query", data=etat.query()),
            dcc.Store(id="national-bornes", data=list(etat.bornes)),
            # the drawn map's structure: same one → patch the values
            dcc.Store(id="carte-signature", data=carte.signature(vue.figure)),
            # What the filter panel has no control for: the département of the drill-down, the focus.
            dcc.Store(id="national-departement", data=list(etat.filtres.departements)),
            dcc.Store(id="national-focus", data=etat.focus),
            html.Div(id="national-url", hidden=True),  # the address to write in the browser's history
            html.Div(id="tableau-purge", hidden=True),
            dcc.Location(id="national-aller", refresh="callback-nav"),  # a click opens a page
        ]
    )


def _barre_filtres(contexte, etat) -> html.Div:
    """The drawer's button and the tags of the active filters, above the KPIs."""
    etiquettes_ = html.Div(etiquettes_filtres(contexte, etat.filtres), id="filtres-actifs", tabIndex="-1")
    return html.Div(
        [bouton_filtres(texte_nombre_actifs(etat.filtres)), etiquettes_], className="barre-filtres mb-2"
    )


def premiere_vue(vue) -> composants.PremiereVue:
    """The outputs of the view's callback that the first paint shows, for the layout."""
    return composants.PremiereVue(
        figure=vue.figure,
        kpis=en_arbre(cartes_kpis(vue.kpis)),
        legende=en_arbre(legende(vue.legende)),
        fil=composants.fil(vue),
        avis=vue.avis,
    )


PAGES = [
    {
        "module": "national",
        "path": "/",
        "title": "Carte nationale — Pass numérique",
        "name": "Carte nationale",
        "layout": layout,
    }
]

VUE = {
    "figure": Output("carte", "figure"),
    "legende": Output("carte-legende", "arbre"),
    "avis": Output("carte-avis", "children"),
    "fil": Output("carte-fil", "children"),
    "kpis": Output("kpis", "arbre"),
    "entonnoir": Output("entonnoir", "figure"),
    "chronologie": Output("chronologie", "figure"),
    "colonnes": Output("tableau", "columnDefs"),
    "choix": Output("tableau-colonnes", "options"),
    "choisies": Output("tableau-colonnes", "value"),
    "resume": Output("resume", "children"),
    "query": Output("national-query", "data"),
    "bornes": Output("national-bornes", "data"),
    "signature": Output("carte-signature", "data"),
    "adresse": Output("national-url", "children"),
    "presentation": Output("national-presenter", "href"),
    "erreur": Output("filtres-erreur", "children"),
    "departement": Output("national-departement", "data"),
    "etiquettes": Output("filtres-actifs", "children"),
    "nombre": Output("filtres-nombre", "children"),
}


@rappel(
    output=VUE,
    inputs={
        "controles": {nom: Input(id_controle(nom), "value") for nom in CONTROLES},
        "mode": Input("chronologie-mode", "value"),
        "departement": Input("national-departement", "data"),
        "focus": State("national-focus", "data"),
        "bornes": State("national-bornes", "data"),
        "signature": State("carte-signature", "data"),
        "query": State("national-query", "data"),
    },
)
def mettre_a_jour(contexte, controles, mode, departement, focus, bornes, signature, query):
    """A filter changed: the whole view again, the map patched when its structure is the same."""
    try:
        etat = etat_depuis_controles(controles, tuple(bornes or ()))
        etat = replace(etat, focus=lire_etat({"focus": focus if isinstance(focus, str) else ""}).focus)
        etat = nationale.departement_admis(contexte.engine, etat, _codes(departement))
    except ValueError as exc:
        erreur = dbc.Alert(str(exc), color="danger", className="small p-2")
        return {**{cle: dash.no_update for cle in VUE}, "erreur": erreur}
    vue = nationale.calculer(contexte, etat)
    nouvelle_signature = carte.signature(vue.figure)
    avant = nationale.etat_de(query)
    # The table's sort, search and columns are the table's own (lignes_demandees, choisir_colonnes).
    complet = replace(etat, tri=avant.tri, recherche=avant.recherche, colonnes=avant.colonnes)
    # Same columns (the grid keeps its widths and sort) unless the view, the level, the mapped
    # indicator (next to the name) or the labels changed.
    memes_colonnes = (
        dash.ctx.triggered_id is not None
        and (avant.vue, avant.niveau, avant.indicateur) == (etat.vue, etat.niveau, etat.indicateur)
        and nationale.exacte(contexte, avant) == vue.exact
    )
    options, choisies = composants.options_colonnes(complet, vue.exact)
    premiere = premiere_vue(vue)  # the same blocks as the layout's first view
    return {
        "figure": en_patch(carte.correctif(vue.figure)) if nouvelle_signature == signature else vue.figure,
        "legende": premiere.legende,
        "avis": premiere.avis,
        "fil": en_json(premiere.fil),
        "kpis": premiere.kpis,
        "entonnoir": vue.entonnoir,
        "chronologie": nationale.figure_chronologie(
            vue, mode == "cumul", [] if visiteur(contexte) else notes.marqueurs_nationaux(contexte)
        ),
        "colonnes": dash.no_update if memes_colonnes else colonnes_tableau(complet, vue.exact),
        "choix": dash.no_update if memes_colonnes else options,
        "choisies": dash.no_update if memes_colonnes else choisies,
        "resume": vue.resume,
        "query": complet.query(),
        "bornes": list(vue.bornes),
        "signature": nouvelle_signature,
        "adresse": liens.carte(complet),
        "presentation": vue.presentation,
        "erreur": None,
        # Another région chosen: the département of the drill-down goes for good.
        "departement": list(etat.filtres.departements),
        **_etiquettes_si_changees(contexte, etat.filtres, avant.filtres),
    }


def _etiquettes_si_changees(contexte, filtres, avant) -> dict:
    """The tags of the active filters and their count, when the filters changed."""
    if filtres == avant:
        return {"etiquettes": dash.no_update, "nombre": dash.no_update}
    return {"etiquettes": etiquettes_filtres(contexte, filtres), "nombre": texte_nombre_actifs(filtres)}


def etiquettes_filtres(contexte, filtres):
    """The tags of the active filters (above the map)."""
    return etiquettes(filtres, dict(nationale.regions(contexte)), nationale.noms_departements(contexte))


@rappel(output=Output("national-enveloppe", "arbre"), inputs={"query": Input("national-query", "data")})
def enveloppe_nationale(contexte, query):
    """The « Enveloppe » card of the selection (its wave, type, région and subsidy filters)."""
    return en_arbre(carte_enveloppe(carte_nationale(contexte, nationale.etat_de(query).filtres)))


def _codes(departements) -> tuple[str, ...]:
    return tuple(d for d in departements if isinstance(d, str)) if isinstance(departements, list) else ()


TABLEAU = {
    "bloc": Output("tableau", "getRowsResponse"),
    "compte": Output("tableau-compte", "children"),
    "lignes": Output("tableau-lignes", "data"),
    "query": Output("national-query", "data", allow_duplicate=True),
    "adresse": Output("national-url", "children", allow_duplicate=True),
}


@rappel(
    output=TABLEAU,
    inputs={
        "requete": Input("tableau", "getRowsRequest"),
        "query": State("national-query", "data"),
        "recherche": State("tableau-recherche", "value"),
    },
    prevent_initial_call=True,
)
def lignes_demandees(contexte, requete, query, recherche):
    """One block of the table, for the grid's infinite row model, and the row count; the sort and the
    search it was asked with go into the address (a reload or a shared link shows the same table)."""
    if not isinstance(requete, dict):
        return {cle: dash.no_update for cle in TABLEAU}
    recherche = recherche.strip()[:RECHERCHE_MAX] if isinstance(recherche, str) else ""
    avant = nationale.etat_de(query)
    etat = replace(avant, tri=tri_de(requete), recherche=recherche)
    table = nationale.table_de(contexte, etat)
    bloc = bloc_tableau(
        table, requete, recherche, lambda lignes: avec_type_et_region(contexte.engine, etat, lignes)
    )
    change = etat != avant
    return {
        "bloc": bloc,
        "compte": compte(etat, bloc["rowCount"], len(table)),
        "lignes": bloc["rowCount"],
        "query": etat.query() if change else dash.no_update,
        "adresse": liens.carte(etat) if change else dash.no_update,
    }


COLONNES = {
    "colonnes": Output("tableau", "columnDefs", allow_duplicate=True),
    "query": Output("national-query", "data", allow_duplicate=True),
    "adresse": Output("national-url", "children", allow_duplicate=True),
}


@rappel(
    output=COLONNES,
    inputs={"choisies": Input("tableau-colonnes", "value"), "query": State("national-query", "data")},
    prevent_initial_call=True,
)
def choisir_colonnes(contexte, choisies, query):
    """The columns ticked in the chooser: the grid's columns and the address (`colonnes=…`, none when
    they are the default set)."""
    avant = nationale.etat_de(query)
    choisies = tuple(c for c in choisies or [] if c != avant.indicateur) or ("nom",)  # "nom": none
    defaut = {c for c, _ in colonnes_visibles(replace(avant, colonnes=()))} - {"nom", avant.indicateur}
    etat = replace(avant, colonnes=() if set(choisies) == defaut else choisies)
    if etat == avant:
        return {cle: dash.no_update for cle in COLONNES}
    return {
        "colonnes": colonnes_tableau(etat, nationale.exacte(contexte, etat)),
        "query": etat.query(),
        "adresse": liens.carte(etat),
    }


@rappel(
    output=Output("tableau-colonnes", "value", allow_duplicate=True),
    inputs={"clic": Input("tableau-colonnes-defaut", "n_clicks"), "query": State("national-query", "data")},
    prevent_initial_call=True,
)
def colonnes_par_defaut(contexte, clic, query):
    """Back to the default columns."""
    etat = replace(nationale.etat_de(query), colonnes=())
    return composants.options_colonnes(etat, nationale.exacte(contexte, etat))[1]


OUVRIR_CHOIX = rappel_navigateur(
    """function (clics, ouvert) {
        const bouton = document.getElementById("tableau-colonnes-bouton");
        if (bouton) { bouton.setAttribute("aria-expanded", String(!ouvert)); }
        return !ouvert;
    }""",
    Output("tableau-colonnes-choix", "is_open"),
    [Input("tableau-colonnes-bouton", "n_clicks"), State("tableau-colonnes-choix", "is_open")],
    prevent_initial_call=True,
)

PURGER_TABLEAU = rappel_navigateur(
    """async function (query, recherche, adresse) {
        // The state in the address bar (every change of the view or the table writes it).
        window.dash_clientside.passnum.remplacerAdresse(adresse);
        // New selection or new search: the grid drops its blocks and asks again (not when the
        // page only wrote down the state it opened with, nor the table's own sort, search or columns
        // in the address: the grid has just asked for them).
        const selection = new URLSearchParams(query || "");
        ["tri", "recherche", "colonnes"].forEach((cle) => selection.delete(cle));
        const cle = JSON.stringify([selection.toString(), (recherche || "").trim()]);
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
    [Input("national-query", "data"), Input("tableau-recherche", "value"), Input("national-url", "children")],
    prevent_initial_call=True,
)

AJUSTER_TABLEAU = rappel_navigateur(
    ClientsideFunction("passnumTableau", "ajusterHauteur"),
    Output("tableau", "style"),
    [Input("tableau-lignes", "data")],
    prevent_initial_call=True,
)

RIEN = {
    "niveau": dash.no_update,
    "region": dash.no_update,
    "departement": dash.no_update,
    "aller": dash.no_update,
}


@rappel(
    output={
        "niveau": Output(id_controle("niveau"), "value"),
        "region": Output(id_controle("region"), "value"),
        "departement": Output("national-departement", "data", allow_duplicate=True),
        "aller": Output("national-aller", "href"),
    },
    inputs={
        "clic": Input("carte", "clickData"),
        "remonter": Input("carte-remonter", "n_clicks"),
        "query": State("national-query", "data"),
    },
    prevent_initial_call=True,
)
def descendre_ou_remonter(contexte, clic, remonter, query):
    """A click drills down région → its départements → that département's EPCIs; on an EPCI or a
    laureate it opens its page. "Remonter" goes back up one step."""
    etat = nationale.etat_de(query)
    if dash.ctx.triggered_id == "carte-remonter":
        if not remonter or etat.vue != "territoires":  # the button was just redrawn, not pressed
            return RIEN
        suite = etat.remonter()
    else:
        suite = nationale.clic(contexte, etat, clic)
    if isinstance(suite, str):
        return {**RIEN, "aller": suite}
    if suite == etat:
        return RIEN
    regions = suite.filtres.regions
    return {
        **RIEN,
        "niveau": suite.niveau,
        "region": regions[0] if len(regions) == 1 else TOUTES_REGIONS,
        "departement": list(suite.filtres.departements),
    }


@rappel(
    output={
        "niveau": Output(id_controle("niveau"), "options"),
        "indicateur": Output(id_controle("indicateur"), "options"),
    },
    inputs={"vue": Input(id_controle("vue"), "value")},
)
def selon_vue(_contexte, vue):
    """The porteurs view draws each laureate on its own perimeter: the level does not apply; the
    territories view does not offer what has no place (orders, subsidies per pass)."""
    return {"niveau": options_niveau(desactive=vue == "porteurs"), "indicateur": options_indicateur(vue)}


@rappel(
    output={
        "classes": Output(id_controle("classes"), "disabled"),
        "figer": Output(id_controle("figer"), "disabled"),
    },
    inputs={"identifiant": Input(id_controle("indicateur"), "value")},
)
def classes_selon_indicateur(_contexte, identifiant):
    """Stocks are drawn as proportional circles: classes do not apply to them."""
    sans_classes = indicateur_stock(identifiant)
    return {"classes": sans_classes, "figer": sans_classes}


EXPORTER = rappel_export("national", "telechargement", State("national-query", "data"), nationale.exporter)


@rappel(
    output={
        **{nom: Output(id_controle(nom), "value", allow_duplicate=True) for nom in CONTROLES_REMIS},
        DEPARTEMENT: Output("national-departement", "data", allow_duplicate=True),
    },
    inputs={"clics": Input({"type": TYPE_ETIQUETTE, "cle": ALL}, "n_clicks")},
    prevent_initial_call=True,
)
def retirer_filtre(_contexte, clics):
    """A tag's × : that filter's controls get their empty value (the view follows through the panel);
    the département's tag empties the drill's store (the map stays at the level it shows)."""
    rien = {nom: dash.no_update for nom in (*CONTROLES_REMIS, DEPARTEMENT)}
    declencheur = dash.ctx.triggered_id
    if not isinstance(declencheur, dict) or not any(c for c in clics or () if c):
        return rien  # the tags were redrawn, not clicked
    if not dash.ctx.triggered[0].get("value"):
        return rien
    if declencheur.get("cle") == DEPARTEMENT:
        return {**rien, DEPARTEMENT: []}
    try:
        return {**rien, **remise(declencheur.get("cle"))}
    except KeyError:
        return rien
