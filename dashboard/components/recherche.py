"""The search box for any territory or laureate (name, code or SIREN): an accessible combobox.

A text field (role combobox, set by assets/recherche.js), a list of results (role listbox, its options
named by aria-activedescendant) that the server fills as the user types (debounced), and a live region
that says how many results there are. The keyboard: type, ↓ and ↑ move in the list, Entrée picks, Échap
closes; the mouse clicks an option. What picking does depends on the box's mode:
- "aller" (the page header): open the entity's page; the actions under the list also add it to the
  comparison or show it on the map;
- "ajouter" (/comparer): add it to the comparison (the dcc.Store `<id>-choix` receives its identifier).

Element ids, from the box's id `<id>` (the text field itself): `<id>-resultats` (what the server fills),
`<id>-liste` (the listbox), `<id>-etat` (the live region), `<id>-choix` (mode "ajouter").
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.domain.recherche import Resultat

ATTENTE_MS = 150  # the debounce: a request once the user pauses, not at every key
ENTETE = "recherche"  # the header box's id
COMPARER = "comparer-ajout"  # /comparer's box
AIDE = "↓ ↑ pour parcourir les résultats, Entrée pour choisir, Échap pour fermer."


def boite(
    identifiant: str,
    mode: str,
    libelle: str,
    indication: str,
    bouton: tuple[str, str] | None = None,
    libelle_visible: bool = True,
) -> html.Div:
    """The box. `bouton`: (id, text) of a button beside the field that picks like Entrée."""
    ligne = [
        dbc.Input(
            id=identifiant,
            type="search",
            placeholder=indication,
            autocomplete="off",
            debounce=ATTENTE_MS,
            className="rch-saisie",
        )
    ]
    if bouton:
        ligne.append(
            dbc.Button(bouton[1], id=bouton[0], color="primary", className="rch-valider", type="button")
        )
    return html.Div(
        [
            dbc.Label(
                libelle,
                html_for=identifiant,
                className="rch-libelle mb-1" if libelle_visible else "visually-hidden",
            ),
            html.Div(ligne, className="rch-ligne"),
            html.Div(
                [
                    html.Div(resultats(identifiant, "", []), id=f"{identifiant}-resultats"),
                    _actions() if mode == "aller" else None,
                ],
                className="rch-popup",
                hidden=True,
            ),
            html.P(AIDE, id=f"{identifiant}-aide", className="visually-hidden"),
            html.Div(
                id=f"{identifiant}-etat",
                className="visually-hidden",
                role="status",
                **{"aria-live": "polite"},
            ),
            dcc.Store(id=f"{identifiant}-choix") if mode == "ajouter" else None,
        ],
        className="rch",
        **{"data-rch-mode": mode},
    )


def entete(actif: bool = True) -> html.Div | None:
    """The header's box (mode "aller"); None where the visitor may not search (a briefing link)."""
    if not actif:
        return None
    return html.Div(
        boite(
            ENTETE,
            "aller",
            "Rechercher un territoire ou un lauréat",
            "Territoire, lauréat, code ou SIREN",
            libelle_visible=False,
        ),
        className="col-12 col-md-7 col-lg-5 col-xxl-3 ms-auto order-last order-xxl-0 entete-recherche",
        role="search",
    )


def _actions() -> html.Div:
    """Under the list: the other things to do with the highlighted result (links that the script points
    at it)."""
    return html.Div(
        [
            html.Span("Résultat surligné :", className="visually-hidden"),
            html.A("Ouvrir la fiche", href="#", className="rch-action", **{"data-rch-action": "fiche"}),
            html.A(
                "Ajouter à la comparaison",
                href="#",
                className="rch-action",
                **{"data-rch-action": "comparaison"},
            ),
            html.A("Voir sur la carte", href="#", className="rch-action", **{"data-rch-action": "carte"}),
        ],
        className="rch-actions",
    )


def cle_requete(texte: object) -> str:
    """The text the list answers, exactly as the field sent it: the script compares it with what the
    field holds now (a list for an older text is not picked from)."""
    return texte if isinstance(texte, str) else ""


def resultats(identifiant: str, texte: object, trouves: list[Resultat]) -> list:
    """The listbox of the results for `texte` (at most ten), and the sentence saying there is none."""
    options = [
        html.Li(
            [
                html.Span(r.element.titre, className="rch-nom"),
                html.Span(f" — {r.element.precision}", className="rch-precision"),
                html.Span(f" · SIREN {r.element.code}", className="rch-precision")
                if r.par_code and not r.element.montre_code
                else None,
            ],
            id=f"{identifiant}-option-{i}",
            role="option",
            className="rch-option",
            **{
                "aria-selected": "false",
                "data-identifiant": r.element.identifiant,
                "data-nom": r.element.nom,
                "data-fiche": r.element.fiche,
                "data-comparaison": r.element.comparaison,
                "data-carte": r.element.carte,
            },
        )
        for i, r in enumerate(trouves)
    ]
    liste = html.Ul(
        options,
        id=f"{identifiant}-liste",
        role="listbox",
        className="rch-liste",
        **{"aria-label": "Résultats de la recherche", "data-requete": cle_requete(texte)},
    )
    if cle_requete(texte).strip() and not trouves:
        return [liste, html.P(etat(texte, trouves), className="rch-vide")]
    return [liste]


def etat(texte: object, trouves: list[Resultat]) -> str:
    """The live region's sentence."""
    if not cle_requete(texte).strip():
        return ""
    if not trouves:
        return f"Aucun territoire ni lauréat ne correspond à « {str(texte).strip()[:60]} »."
    if len(trouves) == 1:
        return "1 résultat."
    return f"{len(trouves)} résultats."
