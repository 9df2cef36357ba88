"""Classed choropleth maps on plotly geo (SVG, no tiles): the geometry is a URL, never inlined."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from dashboard.domain.palettes import SANS_DONNEE

MODELE_SURVOL = "<b>%{customdata[0]}</b><br>%{customdata[1]}<extra></extra>"


def echelle_discrete(couleurs: Sequence[str]) -> list[list]:
    """A stepped colour scale: class i (z = i, zmin = -0.5, zmax = k - 0.5) gets couleurs[i]."""
    k = len(couleurs)
    echelle: list[list] = []
    for i, couleur in enumerate(couleurs):
        echelle += [[i / k, couleur], [(i + 1) / k, couleur]]
    return echelle


def carte_classee(df: pd.DataFrame, url_geometrie: str, couleurs: Sequence[str]) -> dict:
    """df: one row per territory with `code`, `classe` (int, or NA for "sans donnée"), `nom`, `survol`
    (the indicator already formatted in French). Returns a plotly figure as a plain dict."""
    avec = df[df["classe"].notna()]
    sans = df[df["classe"].isna()]
    traces = [
        _trace(
            avec,
            url_geometrie,
            avec["classe"].astype(int).tolist(),
            echelle_discrete(couleurs),
            zmax=len(couleurs) - 0.5,
            nom="valeurs",
        ),
    ]
    if len(sans):
        traces.append(
            _trace(
                sans,
                url_geometrie,
                [0] * len(sans),
                [[0, SANS_DONNEE], [1, SANS_DONNEE]],
                zmax=0.5,
                nom="sans donnée",
            )
        )
    return {
        "data": traces,
        "layout": {
            "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
            "paper_bgcolor": "rgba(0,0,0,0)",
            "dragmode": False,
            "uirevision": "carte",
            "separators": ",\u202f",  # static exports do not get the Graph locale
            "geo": {
                "visible": False,
                "fitbounds": "locations",
                "projection": {"type": "mercator"},
                "bgcolor": "rgba(0,0,0,0)",
            },
            "hoverlabel": {"bgcolor": "white", "font": {"size": 14}},
        },
    }


def _trace(df: pd.DataFrame, url: str, z: list, echelle: list, zmax: float, nom: str) -> dict:
    return {
        "type": "choropleth",
        "name": nom,
        "geojson": url,
        "featureidkey": "properties.code",
        "locations": df["code"].tolist(),
        "z": z,
        "zmin": -0.5,
        "zmax": zmax,
        "colorscale": echelle,
        "showscale": False,
        "marker": {"line": {"color": "white", "width": 0.5}},
        "customdata": df[["nom", "survol"]].values.tolist(),
        "hovertemplate": MODELE_SURVOL,
    }
