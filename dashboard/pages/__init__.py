"""One module per page: `enregistrer(app, contexte)` registers the page and its callbacks."""

from __future__ import annotations

from dash import Dash

from dashboard.contexte import Contexte


def enregistrer_pages(app: Dash, contexte: Contexte) -> None:
    from dashboard.pages import comparer, donnees, fiche, introuvable, methodologie, national, presentation

    national.enregistrer(app, contexte)
    fiche.enregistrer(app, contexte)
    comparer.enregistrer(app, contexte)
    donnees.enregistrer(app, contexte)
    methodologie.enregistrer(app, contexte)
    presentation.enregistrer(app, contexte)
    introuvable.enregistrer(app, contexte)
