"""The filter panel of the national view (`id="filtres"`): native form controls, usable by keyboard alone.

Values come from the view state (the URL) and go back to it; `etat_depuis_controles` is the inverse.
"""

from __future__ import annotations

from dataclasses import replace

import dash_bootstrap_components as dbc
from dash import html

from dashboard.domain.classification import Methode
from dashboard.domain.etat import EtatVue, lire_etat
from dashboard.domain.filtres import Plage, nombre_texte
from dashboard.domain.indicateurs import PAR_ID, Nature, offerts
from dashboard.domain.vocabulaire import (
    NIVEAUX_TERRITORIAUX,
    TYPES_PORTEUR,
    VAGUES,
    libelle_niveau,
    libelle_type,
)

TOUTES_REGIONS = "toutes"  # a select cannot show an option whose value is empty
CONTROLES = (
    "vue",
    "niveau",
    "indicateur",
    "classes",
    "figer",
    "vague",
    "type",
    "region",
    "subvention-min",
    "subvention-max",
    "distribues-min",
    "distribues-max",
    "taux-min",
    "taux-max",
    "periode-debut",
    "periode-fin",
)


def id_controle(nom: str) -> str:
    return f"filtre-{nom}"


def _bornes(plage: Plage | None, facteur: float = 1.0) -> tuple:
    if plage is None:
        return None, None
    return (
        None if plage.min is None else plage.min * facteur,
        None if plage.max is None else plage.max * facteur,
    )


def indicateur_stock(identifiant: str | None) -> bool:
    """Stocks are drawn as proportional circles: the class controls do not apply to them."""
    return identifiant in PAR_ID and PAR_ID[identifiant].nature is Nature.STOCK


def options_indicateur(vue: str) -> list[dict]:
    """The indicators that mean something in the view, with their label there."""
    return [{"label": i.libelle_en(vue), "value": i.id} for i in offerts(vue)]


def options_niveau(desactive: bool = False) -> list[dict]:
    return [
        {"label": libelle_niveau(n, pluriel=True, majuscule=True), "value": n, "disabled": desactive}
        for n in NIVEAUX_TERRITORIAUX
    ]


def valeurs_controles(etat: EtatVue) -> dict[str, object]:
    f = etat.filtres
    sub, dis, taux = _bornes(f.subvention), _bornes(f.distribues), _bornes(f.taux, 100)
    return {
        "vue": etat.vue,
        "niveau": etat.niveau,
        "indicateur": etat.indicateur,
        "classes": etat.classes.value,
        "figer": bool(etat.bornes),
        "vague": [str(v) for v in f.vagues],
        "type": list(f.types),
        "region": f.regions[0] if len(f.regions) == 1 else TOUTES_REGIONS,
        "subvention-min": sub[0],
        "subvention-max": sub[1],
        "distribues-min": dis[0],
        "distribues-max": dis[1],
        "taux-min": taux[0],
        "taux-max": taux[1],
        "periode-debut": f"{f.periode.debut:%Y-%m}" if f.periode and f.periode.debut else None,
        "periode-fin": f"{f.periode.fin:%Y-%m}" if f.periode and f.periode.fin else None,
    }


def etat_depuis_controles(valeurs: dict[str, object], bornes_courantes: tuple[float, ...] = ()) -> EtatVue:
    """The state the controls describe; raises ValueError (French) on an unreadable entry."""

    def plage(nom: str, facteur: float = 1.0) -> str:
        bas, haut = valeurs.get(f"{nom}-min"), valeurs.get(f"{nom}-max")
        if bas in (None, "") and haut in (None, ""):
            return ""
        return f"{_texte(bas, facteur)}-{_texte(haut, facteur)}"

    debut, fin = valeurs.get("periode-debut") or "", valeurs.get("periode-fin") or ""
    periode = f"{debut}..{fin}" if (debut or fin) else ""  # one bound: "from" or "until"
    etat = lire_etat(
        {
            "vue": valeurs.get("vue"),
            "niveau": valeurs.get("niveau"),
            "indicateur": valeurs.get("indicateur"),
            "classes": valeurs.get("classes"),
            "vague": ",".join(valeurs.get("vague") or []),
            "type": ",".join(valeurs.get("type") or []),
            "region": "" if valeurs.get("region") in (None, TOUTES_REGIONS) else valeurs["region"],
            "subvention": plage("subvention"),
            "distribues": plage("distribues"),
            "taux": plage("taux", 0.01),
            "periode": periode,
        }
    )
    return replace(etat, bornes=tuple(bornes_courantes) if valeurs.get("figer") else ())


def _texte(valeur, facteur: float) -> str:
    if valeur in (None, ""):
        return ""
    return nombre_texte(round(float(valeur) * facteur, 6))


def _libelle_cache(texte: str, pour: str) -> dbc.Label:
    """A label for screen readers only: the field's visible context says it already."""
    return dbc.Label(texte, html_for=pour, className="visually-hidden")


def _plage(nom: str, libelle: str, unite: str, valeurs: dict, pas: str = "any") -> html.Fieldset:
    def champ(borne: str, texte: str) -> list:
        identifiant = id_controle(f"{nom}-{borne}")
        return [
            _libelle_cache(f"{libelle} : {texte.lower()} ({unite})", identifiant),
            dbc.InputGroup(
                [
                    dbc.InputGroupText(texte),
                    dbc.Input(
                        id=identifiant,
                        type="number",
                        min=0,
                        step=pas,
                        value=valeurs[f"{nom}-{borne}"],
                        debounce=True,
                    ),
                    dbc.InputGroupText(unite),
                ],
                size="sm",
                className="mb-1",
            ),
        ]

    return html.Fieldset(
        [html.Legend(libelle, className="filtre-titre"), *champ("min", "Min"), *champ("max", "Max")],
        className="mb-3",
    )


def panneau_filtres(etat: EtatVue, regions: list[tuple[str, str]]) -> html.Div:
    """regions: (code, nom) of the régions, in the order of the list."""
    v = valeurs_controles(etat)
    return html.Div(
        [
            html.H2("Affichage", className="h6"),
            *_affichage(etat, v),
            html.H2("Filtres", className="h6 mt-2"),
            *_selection(v, regions),
            _plage("subvention", "Subvention État engagée", "€", v),
            _plage("distribues", "Pass distribués", "pass", v, pas="1"),
            _plage("taux", "Taux d'utilisation", "%", v),
            _periode(v),
            html.Div(id="filtres-erreur", role="alert"),
            html.A(
                "Réinitialiser les filtres",
                href="/",
                className="btn btn-outline-primary btn-sm w-100",
                id="filtre-reinitialiser",
            ),
        ],
        id="filtres",
        className="panneau-filtres",
    )


ID_TIROIR = "filtres-tiroir"


def tiroir_filtres(panneau: html.Div) -> html.Div:
    """The filter panel, rendered once (its controls' ids stay unique): the sidebar from 992 px, a drawer
    below (Bootstrap's .offcanvas-lg; assets/tiroir-filtres.js opens it from `bouton_filtres`, closes it on
    Esc or on its close button, and keeps the focus inside while it is open). A dbc.Offcanvas would not do:
    it unmounts its content while closed, and the page's callbacks read the controls at every change."""
    return html.Div(
        [
            html.Div(
                [
                    html.H2(
                        "Affichage et filtres", className="offcanvas-title h5", id="filtres-tiroir-titre"
                    ),
                    html.Button(
                        type="button",
                        id="filtres-fermer",
                        className="btn-close",
                        **{"aria-label": "Fermer les filtres"},
                    ),
                ],
                className="offcanvas-header d-lg-none",
            ),
            html.Div(panneau, className="offcanvas-body"),
        ],
        id=ID_TIROIR,
        className="offcanvas-lg offcanvas-start tiroir-filtres",
        tabIndex="-1",
        **{"aria-labelledby": "filtres-tiroir-titre"},
    )


def bouton_filtres(nombre: str) -> html.Button:
    """Opens the drawer on narrow screens (hidden from 992 px, where the panel is always shown).
    nombre: `texte_nombre_actifs` of the view."""
    return html.Button(
        ["Filtres", html.Span(nombre, id="filtres-nombre")],
        type="button",
        id="filtres-ouvrir",
        className="btn btn-primary btn-sm d-lg-none",
        **{"aria-controls": ID_TIROIR, "aria-expanded": "false"},
    )


def _affichage(etat: EtatVue, v: dict) -> list:
    """View, level, indicator and classes: what the map shows."""
    vues = [
        {"label": "Porteurs (périmètre de chaque lauréat)", "value": "porteurs"},
        {"label": "Territoires (lieu des distributions et utilisations)", "value": "territoires"},
    ]
    stock = indicateur_stock(etat.indicateur)
    return [
        _groupe("Vue", dbc.RadioItems(id=id_controle("vue"), value=v["vue"], options=vues)),
        _groupe(
            "Niveau",
            dbc.RadioItems(
                id=id_controle("niveau"),
                value=v["niveau"],
                inline=True,
                options=options_niveau(desactive=v["vue"] == "porteurs"),
            ),
        ),
        _groupe(
            "Indicateur",
            dbc.Select(
                id=id_controle("indicateur"),
                value=v["indicateur"],
                options=options_indicateur(etat.vue),
            ),
            id_controle("indicateur"),
        ),
        _groupe(
            "Classes",
            dbc.Select(
                id=id_controle("classes"),
                value=v["classes"],
                disabled=stock,
                options=[{"label": m.libelle, "value": m.value} for m in Methode],
            ),
            id_controle("classes"),
        ),
        dbc.Switch(
            id=id_controle("figer"),
            value=v["figer"],
            label="Figer les classes",
            className="mb-3",
            disabled=stock,
        ),
    ]


def _selection(v: dict, regions: list[tuple[str, str]]) -> list:
    """Wave, laureate type and région: which laureates are counted."""
    return [
        _groupe(
            "Vague",
            dbc.Checklist(
                id=id_controle("vague"),
                value=v["vague"],
                inline=True,
                options=[{"label": str(a), "value": str(a)} for a in VAGUES],
            ),
        ),
        _groupe(
            "Type de lauréat",
            dbc.Checklist(
                id=id_controle("type"),
                value=v["type"],
                options=[{"label": libelle_type(t, majuscule=True), "value": t} for t in TYPES_PORTEUR],
            ),
        ),
        _groupe(
            "Région",
            dbc.Select(
                id=id_controle("region"),
                value=v["region"],
                options=[
                    {"label": "Toutes les régions", "value": TOUTES_REGIONS},
                    *({"label": n, "value": c} for c, n in regions),
                ],
            ),
            id_controle("region"),
        ),
    ]


def _periode(v: dict) -> html.Fieldset:
    return html.Fieldset(
        [
            html.Legend("Période d'activité", className="filtre-titre"),
            _libelle_cache("Période : premier mois", id_controle("periode-debut")),
            dbc.Input(
                id=id_controle("periode-debut"),
                type="month",
                value=v["periode-debut"],
                size="sm",
                className="mb-1",
                min="2019-01",
            ),
            _libelle_cache("Période : dernier mois", id_controle("periode-fin")),
            dbc.Input(
                id=id_controle("periode-fin"), type="month", value=v["periode-fin"], size="sm", min="2019-01"
            ),
        ],
        className="mb-3",
    )


def _groupe(libelle: str, controle, pour: str | None = None) -> html.Div | html.Fieldset:
    """A labelled control; groups of radios or checkboxes get a fieldset and its legend (RGAA 11.5)."""
    if pour:
        return html.Div(
            [dbc.Label(libelle, html_for=pour, className="filtre-titre"), controle], className="mb-3"
        )
    return html.Fieldset([html.Legend(libelle, className="filtre-titre"), controle], className="mb-3")
