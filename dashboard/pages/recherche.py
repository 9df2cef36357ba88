"""The search boxes (dashboard.components.recherche): the header's, on every page, and /comparer's;
their results as the user types. No address of its own."""

from __future__ import annotations

from dash import Input, Output

from dashboard.components import recherche as composant
from dashboard.pages import rappel
from dashboard.vues import recherche

# PASSNUM_PUBLIC=1: visitors without an account may call this page's reading callbacks (dashboard.pages).
OUVERT_AU_PUBLIC = True


def rappel_resultats(boite: str):
    """The callback giving a search box's results as the user types (the header's, /comparer's)."""

    @rappel(
        output={
            "resultats": Output(f"{boite}-resultats", "children"),
            "etat": Output(f"{boite}-etat", "children"),
        },
        inputs={"texte": Input(boite, "value")},
        prevent_initial_call=True,
    )
    def chercher(contexte, texte):
        """The results for what the field holds (at most ten, best first)."""
        trouves = recherche.chercher(contexte, texte)
        return {
            "resultats": composant.resultats(boite, texte, trouves),
            "etat": composant.etat(texte, trouves),
        }

    return chercher


# Module-level, where the pages' callbacks are looked for (dashboard.pages).
chercher = rappel_resultats(composant.ENTETE)
chercher_comparer = rappel_resultats(composant.COMPARER)
