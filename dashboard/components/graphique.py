"""dcc.Graph configuration: French locale (Dash does not bundle plotly's), offline base topojson."""

from __future__ import annotations

MOIS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]
MOIS_COURTS = [
    "janv.",
    "févr.",
    "mars",
    "avr.",
    "mai",
    "juin",
    "juil.",
    "août",
    "sept.",
    "oct.",
    "nov.",
    "déc.",
]
JOURS = ["dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"]

LOCALE_FR = {
    "dictionary": {
        "Zoom in": "Zoom avant",
        "Zoom out": "Zoom arrière",
        "Reset": "Réinitialiser",
        "Reset view": "Réinitialiser la vue",
        "Download plot as a png": "Télécharger l'image (PNG)",
        "Download plot": "Télécharger l'image",
        "Pan": "Déplacer",
        "Produced with Plotly.js": "Réalisé avec Plotly.js",
    },
    "format": {
        "days": JOURS,
        "shortDays": [j[:3] + "." for j in JOURS],
        "months": MOIS,
        "shortMonths": MOIS_COURTS,
        "date": "%d/%m/%Y",
        "decimal": ",",
        "thousands": "\u202f",
        "grouping": [3],
        "currency": ["", "\u00a0€"],
    },
}


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
