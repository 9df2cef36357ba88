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
    # The keys are plotly.js's own strings (4.1: modebar titles, notifications, legend hints).
    "dictionary": {
        "Autoscale": "Échelle automatique",
        "Box Select": "Sélection rectangulaire",
        "Click to enter Plot title": "Cliquer pour saisir le titre",
        "Compare data on hover": "Comparer les données au survol",
        "Double-click on legend to isolate one trace": "Double-cliquer sur la légende pour isoler une série",
        "Double-click to zoom back out": "Double-cliquer pour dézoomer",
        "Download plot": "Télécharger l'image",
        "Download plot as a PNG": "Télécharger l'image (PNG)",
        "Image": "Image",
        "Lasso Select": "Sélection lasso",
        "Orbital rotation": "Rotation orbitale",
        "Pan": "Déplacer",
        "Preparing image - this may take a few seconds": "Préparation de l'image…",
        "Produced with Plotly.js": "Réalisé avec Plotly.js",
        "Reset": "Réinitialiser",
        "Reset axes": "Réinitialiser les axes",
        "Reset view": "Réinitialiser la vue",
        "Reset views": "Réinitialiser les vues",
        "Show closest data on hover": "Donnée la plus proche au survol",
        "Toggle Spike Lines": "Afficher les lignes de repère",
        "Toggle show closest data on hover": "Donnée la plus proche au survol",
        "Zoom": "Zoom",
        "Zoom in": "Zoom avant",
        "Zoom out": "Zoom arrière",
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
