"""plotly's French locale (Dash does not bundle it): given to every dcc.Graph, and registered in the page
that renders the PNG exports."""

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
