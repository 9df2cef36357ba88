"""dcc.Graph configuration (French locale, offline base topojson) and the patch of a drawn figure."""

from __future__ import annotations

from dash import Patch

from dashboard.figures.locale import LOCALE_FR


def config_graphique(nom_fichier: str = "pass-numerique") -> dict:
    return {
        "locale": "fr",
        "locales": {"fr": LOCALE_FR},
        # plotly geo fetches a world topojson even when the base map is hidden: serve it ourselves.
        "topojsonURL": "/assets/topojson/",
        "displaylogo": False,
        "responsive": True,
        "scrollZoom": True,
        "modeBarButtonsToRemove": ["select2d", "lasso2d"],
        "toImageButtonOptions": {"format": "png", "filename": nom_fichier, "scale": 2},
    }


def en_patch(changements: list[tuple[tuple, object]]) -> Patch:
    """A Dash Patch setting each (path, value) of dashboard.figures.carte.correctif on the drawn figure."""
    patch = Patch()
    for chemin, valeur in changements:
        cible = patch
        for cle in chemin[:-1]:
            cible = cible[cle]
        cible[chemin[-1]] = valeur
    return patch
