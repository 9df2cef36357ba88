"""The callbacks of the block « Notes du comité » (dashboard.components.notes) of the national page and of
the territory and laureate pages: add a note, delete one, undo the deletion — the permission ANNOTER
checked by the access layer for the callback, the entity (a coordinator: their région) by the store
(dashboard.store.comites) on every write. The fiche's monthly chart is redrawn with its notes."""

from __future__ import annotations

import dash
from dash import ALL, Input, Output, State
from dash.exceptions import PreventUpdate

from dashboard.components import notes as composants
from dashboard.components.notes import id_marqueurs, liste, marqueurs_en_donnees, message
from dashboard.domain.droits import ANNOTER, exige
from dashboard.pages import rappel
from dashboard.vues import notes
from dashboard.web.acces.identite import principal_courant

PAGES: list = []  # no address of its own: the block lives on / and on the fiches


def bloc_notes(contexte, identifiant: str, page: str):
    """The block of an entity (`national`, `departement:29`…) for the principal of the request."""
    return composants.bloc_notes(notes.bloc(contexte, identifiant, principal_courant(contexte)), page)


SORTIES = {
    "liste": Output("notes-liste", "children"),
    "message": Output("notes-message", "children"),
    "texte": Output({"type": "notes-texte", "n": ALL}, "value"),
    "supprimee": Output("notes-supprimee", "data"),
    "marqueurs": Output(id_marqueurs(ALL), "data"),
}


def _clic() -> bool:
    """A real click (a button just drawn reports n_clicks None)."""
    return bool(dash.ctx.triggered and dash.ctx.triggered[0].get("value"))


@rappel(
    output=SORTIES,
    inputs={
        "ajouter": Input({"type": "notes-ajouter", "n": ALL}, "n_clicks"),
        "supprimer": Input({"type": "notes-supprimer", "note": ALL}, "n_clicks"),
        "annuler": Input({"type": "notes-annuler", "n": ALL}, "n_clicks"),
        "entite": State("notes-entite", "data"),
        "jours": State({"type": "notes-date", "n": ALL}, "value"),
        "textes": State({"type": "notes-texte", "n": ALL}, "value"),
        "supprimee": State("notes-supprimee", "data"),
    },
    prevent_initial_call=True,
)
@exige(ANNOTER)
def ecrire_note(contexte, ajouter, supprimer, annuler, entite, jours, textes, supprimee):
    """Add, delete or restore a note; the list, the message (with « Annuler » after a deletion), the
    form's text (emptied once added) and the chart's markers, again."""
    declencheur = dash.ctx.triggered_id
    if not isinstance(declencheur, dict) or not _clic() or not isinstance(entite, str):
        raise PreventUpdate  # (a dict of no_update would not do: the wildcard outputs want lists)
    principal = principal_courant(contexte)
    genre = declencheur.get("type")
    if genre == "notes-ajouter":
        resultat = notes.ajouter(contexte, principal, entite, (jours or [None])[0], (textes or [None])[0])
    elif genre == "notes-supprimer":
        resultat = notes.supprimer(contexte, principal, declencheur.get("note"))
    else:
        resultat = notes.restaurer(contexte, principal, supprimee)
    vue = notes.bloc(contexte, entite, principal)
    supprime = genre == "notes-supprimer" and resultat.reussi
    vider = genre == "notes-ajouter" and resultat.reussi
    nb_marqueurs = len(dash.ctx.outputs_grouping["marqueurs"])
    return {
        "liste": liste(vue),
        "message": message(resultat.message, resultat.reussi, annulable=supprime),
        "texte": [""] * len(textes or []) if vider else [dash.no_update] * len(textes or []),
        "supprimee": resultat.note.id if supprime else None,
        "marqueurs": [marqueurs_en_donnees(vue)] * nb_marqueurs,
    }


@rappel(
    output=Output("fiche-chronologie", "figure"),
    inputs={"marqueurs": Input(id_marqueurs("fiche"), "data"), "entite": State("fiche-id", "data")},
    prevent_initial_call=True,
)
def chronologie_avec_notes(contexte, marqueurs, entite):
    """The fiche's monthly chart with its notes (read again from the database: the store only triggers),
    redrawn after a note is added, deleted or restored."""
    figure = notes.chronologie_de(contexte, entite) if isinstance(entite, str) else None
    return dash.no_update if figure is None else figure
