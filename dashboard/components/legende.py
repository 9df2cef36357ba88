"""Map legend in French (`id="legende"`): one line per class with its bounds and how many territories it
holds, or the round values of the proportional circles, then the layers of the map drawn with their
real outlines (from dashboard.vues.legende)."""

from __future__ import annotations

from dash import html

from dashboard.domain.formatage import insecable
from dashboard.vues.legende import Cercle, Couche, Legende, LigneLegende


def legende(donnees: Legende, id_: str = "legende") -> html.Div:
    if donnees.cercles is not None:
        corps = [
            html.P("Surface des cercles proportionnelle à la valeur.", className="small mb-2"),
            html.Ul([_cercle(c) for c in donnees.cercles], className="list-unstyled mb-0"),
        ]
    else:
        corps = [html.Ul([_ligne(ligne) for ligne in donnees.lignes], className="list-unstyled mb-0")]
    if donnees.couches:
        corps += [
            html.H3(donnees.titre_couches, className="h6 mt-3 mb-2"),
            html.Ul([_couche(c) for c in donnees.couches], className="list-unstyled mb-0 legende-couches"),
        ]
    return html.Div([html.H2(donnees.titre, className="h6 mb-2"), *corps], id=id_, className="legende")


def style_couche(couche: Couche) -> dict:
    """The swatch of a layer: its fill and its outline at the map's width (at least one pixel so that
    the thinnest one still shows), its colour exactly the map's."""
    return {
        "display": "inline-block",
        "width": "1.6rem",
        "height": "1.1rem",
        "flex": "none",
        "marginRight": "0.5rem",
        "backgroundColor": couche.fond,
        "border": f"{max(couche.epaisseur, 1):g}px solid {couche.contour}",
        "boxShadow": "0 0 0 1px #DDDDDD" if couche.contour.upper() == "#FFFFFF" else "none",
    }


def _couche(couche: Couche) -> html.Li:
    return html.Li(
        [
            html.Span(className="legende-couche", style=style_couche(couche), **{"aria-hidden": "true"}),
            html.Span(couche.libelle, className="legende-libelle"),
        ],
        className="legende-ligne",
    )


def _ligne(ligne: LigneLegende) -> html.Li:
    return html.Li(
        [
            html.Span(
                className="legende-pastille",
                style={"backgroundColor": ligne.couleur},
                **{"aria-hidden": "true"},
            ),
            html.Span(insecable(ligne.libelle), className="legende-libelle"),
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
