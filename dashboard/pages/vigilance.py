"""`/vigilance`: the ranked points de vigilance (filters by rule, région and type, in the address too),
« depuis le comité du … : N nouveaux points », the stamped CSV/XLSX export, and the rules: read only, or
for an administrator their settings — checked, confirmed, journaled, and checked again by the server
(`@exige` and in the callback itself) whatever the page shows."""

from __future__ import annotations

import dash
from dash import ALL, ClientsideFunction, Input, Output, State, html

from dashboard.components import vigilance as composants
from dashboard.domain.droits import REGLER_VIGILANCE, exige
from dashboard.pages import rappel, rappel_export, rappel_navigateur
from dashboard.store.donnees import noms_regions
from dashboard.vues import vigilance
from dashboard.web.acces.identite import AccesRefuse, autorise, principal_courant

ACTIVES = {"type": "vigilance-active", "regle": ALL}
PARAMETRES = {"type": "vigilance-parametre", "regle": ALL, "parametre": ALL}
CACHE = {"display": "none"}


def layout(contexte, /, **params) -> html.Div:
    filtres = vigilance.lire_filtres(params, noms_regions(contexte.engine))
    return composants.page(vigilance.calculer(contexte, filtres, principal_courant(contexte)))


PAGES = [
    {
        "module": "vigilance",
        "path": "/vigilance",
        "title": "Points de vigilance — Pass numérique",
        "name": "Vigilance",
        "layout": layout,
    }
]


@rappel(
    output={
        "liste": Output("vigilance-points", "children"),
        "compte": Output("vigilance-compte", "children"),
        "filtres": Output("vigilance-filtres", "data"),
        "adresse": Output("vigilance-url", "children"),
        "bouton": Output("vigilance-tout", "children"),
        "style": Output("vigilance-tout", "style"),
    },
    inputs={
        "regle": Input("vigilance-regle", "value"),
        "region": Input("vigilance-region", "value"),
        "type_": Input("vigilance-type", "value"),
        "_version": Input("vigilance-version", "data"),
        "tout": Input("vigilance-tout", "n_clicks"),
    },
)
def filtrer(contexte, regle, region, type_, _version, tout):
    """The list of the filters: its first points, or all of them (the button toggles)."""
    parametres = {"regle": regle, "region": region, "type": type_}
    filtres = vigilance.lire_filtres(parametres, noms_regions(contexte.engine))
    vue = vigilance.calculer(contexte, filtres, None)
    limite = None if (tout or 0) % 2 else composants.PREMIERS
    bouton = composants.bouton_tout(len(vue.points), limite is None)
    return {
        "liste": composants.liste(vue.points, limite=limite),
        "compte": composants.compte(vue, limite),
        "filtres": filtres.parametres(),
        "adresse": vigilance.adresse(filtres),
        "bouton": bouton["texte"],
        "style": bouton["style"],
    }


@rappel(
    output={
        "verification": Output("vigilance-verification", "children"),
        "confirmation": Output("vigilance-confirmation", "style"),
        "demandes": Output("vigilance-demandes", "data"),
        "resultat": Output("vigilance-resultat", "children"),
    },
    inputs={
        "_clics": Input("vigilance-enregistrer", "n_clicks"),
        "actives": State(ACTIVES, "value"),
        "ids_actives": State(ACTIVES, "id"),
        "valeurs": State(PARAMETRES, "value"),
        "ids_valeurs": State(PARAMETRES, "id"),
    },
    prevent_initial_call=True,
)
@exige(REGLER_VIGILANCE)
def verifier(contexte, _clics, actives, ids_actives, valeurs, ids_valeurs):
    """The changes the form asks for, checked, and the confirmation asked; or the error in French."""
    try:
        autorise(contexte, REGLER_VIGILANCE)
        modifs = vigilance.preparer(
            contexte,
            {i["regle"]: bool(a) for i, a in zip(ids_actives or [], actives or [], strict=False)},
            {(i["regle"], i["parametre"]): v for i, v in zip(ids_valeurs or [], valeurs or [], strict=False)},
        )
    except (AccesRefuse, ValueError, TypeError, KeyError) as exc:
        return {
            "verification": composants.erreur(str(exc)),
            "confirmation": CACHE,
            "demandes": None,
            "resultat": None,
        }
    return {
        "verification": composants.verification([m.texte() for m in modifs]),
        "confirmation": {} if modifs else CACHE,
        "demandes": vigilance.demandes(modifs),
        "resultat": None,
    }


@rappel(
    output={
        "resultat": Output("vigilance-resultat", "children", allow_duplicate=True),
        "verification": Output("vigilance-verification", "children", allow_duplicate=True),
        "confirmation": Output("vigilance-confirmation", "style", allow_duplicate=True),
        "demandes": Output("vigilance-demandes", "data", allow_duplicate=True),
        "version": Output("vigilance-version", "data"),
        "regles": Output("vigilance-regles-liste", "children"),
    },
    inputs={
        "_clics": Input("vigilance-confirmer", "n_clicks"),
        "demandes": State("vigilance-demandes", "data"),
        "version": State("vigilance-version", "data"),
    },
    prevent_initial_call=True,
)
@exige(REGLER_VIGILANCE)
def confirmer(contexte, _clics, demandes, version):
    """Write the confirmed changes (checked again), journaled; the list is then computed again."""
    ferme = {"verification": None, "confirmation": CACHE, "demandes": None}
    try:
        principal = autorise(contexte, REGLER_VIGILANCE)
        textes = vigilance.appliquer(contexte, principal, demandes if isinstance(demandes, list) else [])
    except (AccesRefuse, PermissionError, ValueError, TypeError, AttributeError) as exc:
        return {
            **ferme,
            "resultat": composants.erreur(str(exc)),
            "version": dash.no_update,
            "regles": dash.no_update,
        }
    vue = vigilance.calculer(contexte, vigilance.FiltresVigilance(), principal)  # the rules as now set
    return {
        **ferme,
        "resultat": composants.succes(textes),
        "version": (version or 0) + 1,
        "regles": composants.regles_modifiables(vue),
    }


@rappel(
    output={
        "verification": Output("vigilance-verification", "children", allow_duplicate=True),
        "confirmation": Output("vigilance-confirmation", "style", allow_duplicate=True),
        "demandes": Output("vigilance-demandes", "data", allow_duplicate=True),
    },
    inputs={"_clics": Input("vigilance-annuler", "n_clicks")},
    prevent_initial_call=True,
)
def annuler(_contexte, _clics):
    return {"verification": None, "confirmation": CACHE, "demandes": None}


# The filters in the address (a link copied opens the same list), without reloading the page.
ADRESSE = rappel_navigateur(
    ClientsideFunction("passnum", "remplacerAdresse"),
    Output("vigilance-url-fait", "children"),
    [Input("vigilance-url", "children")],
    prevent_initial_call=True,
)

EXPORTER = rappel_export(
    "vigilance", "vigilance-telechargement", State("vigilance-filtres", "data"), vigilance.exporter
)
