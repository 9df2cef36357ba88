"""Map legend in French (`id="legende"`): one line per class with its bounds and how many territories it
holds, or the round values of the proportional circles (from dashboard.vues.legende)."""

from __future__ import annotations

from dash import html

from dashboard.vues.legende import Cercle, Legende, LigneLegende


def legende(donnees: Legende, id_: str = "legende") -> html.Div:
    if donnees.cercles is not None:
        corps = [
            html.P("Surface des cercles proportionnelle à la valeur.", className="small mb-2"),
            html.Ul([_cercle(c) for c in donnees.cercles], className="list-unstyled mb-0"),
        ]
    else:
        corps = [html.Ul([_ligne(ligne) for ligne in donnees.lignes], className="list-unstyled mb-0")]
    return html.Div([html.H2(donnees.titre, className="h6 mb-2"), *corps], id=id_, className="legende")


def _ligne(ligne: LigneLegende) -> html.Li:
    return html.Li(
        [
            html.Span(
                className="legende-pastille",
                style={"backgroundColor": ligne.couleur},
                **{"aria-hidden": "true"},
            ),
            html.Span(ligne.libelle, className="legende-libelle"),
            html.Span(ligne.effectif, className="legende-effectif"),
        ],
        className="legende-ligne",
    )


def _cercle(cercle: Cercle) -> html.Li:
    taille = f"{cercle.diametre_px}px"
    return html.Li(
        [
            html.Span(
                className="legende-cercle",
                style={"width": taille, "height": taille},
                **{"aria-hidden": "true"},
            ),
            html.Span(cercle.libelle),
        ],
        className="legende-ligne",
    )
