"""The header's search box (dashboard.components.recherche, on every page): its results as the user
types. No address of its own; the /comparer page has its own box and callback."""

from __future__ import annotations

from dash import Input, Output

from dashboard.components import recherche as composant
from dashboard.pages import rappel
from dashboard.vues import recherche

BOITE = composant.ENTETE


@rappel(
    output={
        "resultats": Output(f"{BOITE}-resultats", "children"),
        "etat": Output(f"{BOITE}-etat", "children"),
    },
    inputs={"texte": Input(BOITE, "value")},
    prevent_initial_call=True,
)
def chercher(contexte, texte):
    """The results for what the field holds (at most ten, best first)."""
    trouves = recherche.chercher(contexte, texte)
    return {
        "resultats": composant.resultats(BOITE, texte, trouves),
        "etat": composant.etat(texte, trouves),
    }
