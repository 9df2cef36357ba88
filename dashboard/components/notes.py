"""The block « Notes du comité » (dashboard.vues.notes): the dated notes, each with its author and, for
whoever may, a « Supprimer » button; after a deletion, « Annuler » brings the note back; the form (date
set to the last committee's, text). Every control is a native button or field: the keyboard reaches all.
The callbacks are dashboard.pages.notes's; the ids are patterns, so that a page without the form (a
reader's) raises nothing."""

from __future__ import annotations

from dash import dcc, html

from dashboard.domain import deck
from dashboard.store.comites import TEXTE_MAX
from dashboard.vues.notes import BlocNotes, LigneNote

TITRE = "Notes du comité"


def preparer_comite() -> dcc.Link:
    """Open the deck on « Depuis le dernier comité »."""
    return dcc.Link(
        "Préparer le comité",
        id="preparer-comite",
        href=deck.preparer_comite(),
        className="btn btn-outline-primary btn-sm",
    )


def id_marqueurs(page: str) -> dict:
    """The store of the notes' (date, text), which the page's monthly chart redraws from."""
    return {"type": "notes-marqueurs", "page": page}


def marqueurs_en_donnees(vue: BlocNotes) -> list[list[str]]:
    return [[jour.isoformat(), texte] for jour, texte in vue.marqueurs]


def bloc_notes(vue: BlocNotes, page: str) -> html.Section:
    return html.Section(
        [
            html.H2(TITRE, className="h6 mt-3 mb-1"),
            html.P(vue.precision, className="small text-body-secondary mb-1") if vue.precision else None,
            dcc.Store(id="notes-entite", data=vue.entite),
            dcc.Store(id="notes-supprimee", data=None),
            dcc.Store(id=id_marqueurs(page), data=marqueurs_en_donnees(vue)),
            html.Div(liste(vue), id="notes-liste"),
            html.Div(id="notes-message", role="status", **{"aria-live": "polite"}),
            _formulaire(vue) if vue.peut_ecrire else None,
        ],
        id="notes-comite",
        className="notes-comite",
        **{"aria-label": TITRE},
    )


def liste(vue: BlocNotes) -> html.Ul | html.P:
    if not vue.lignes:
        return html.P("Aucune note.", className="small mb-1", id="notes-vide")
    return html.Ul([_ligne(ligne) for ligne in vue.lignes], className="list-unstyled mb-2 notes-liste")


def _ligne(ligne: LigneNote) -> html.Li:
    return html.Li(
        [
            html.Strong(ligne.date, className="me-2"),
            html.Span(f"{ligne.origine} : ", className="fw-semibold") if ligne.origine else None,
            html.Span(ligne.texte, className="note-texte"),
            html.Span(f" — {ligne.auteur}", className="small text-body-secondary"),
            html.Button(
                "Supprimer",
                id={"type": "notes-supprimer", "note": ligne.id},
                type="button",
                className="btn btn-link btn-sm py-0 ms-2",
                **{"aria-label": f"Supprimer la note du {ligne.date}"},
            )
            if ligne.supprimable
            else None,
        ],
        className="note mb-1",
        id=f"note-{ligne.id}",
    )


def message(texte: str, reussi: bool, annulable: bool = False) -> list:
    """The outcome of a write, in words; after a deletion, the button that undoes it."""
    elements = [html.Span(texte, className="text-success" if reussi else "text-danger fw-semibold")]
    if annulable:
        elements.append(
            html.Button(
                "Annuler",
                id={"type": "notes-annuler", "n": 0},
                type="button",
                className="btn btn-outline-primary btn-sm ms-2",
                autoFocus=True,
            )
        )
    return elements


def _formulaire(vue: BlocNotes) -> html.Div:
    """Each field inside its label (the pattern ids have no plain id a `for` could name)."""
    return html.Div(
        [
            html.Label(
                [
                    html.Span("Date", className="small d-block"),
                    dcc.Input(
                        id={"type": "notes-date", "n": 0},
                        type="date",
                        value=vue.date_defaut.isoformat(),
                        className="form-control form-control-sm",
                        style={"width": "100%"},
                    ),
                ],
                className="notes-champ-date",
                style={"minWidth": "10.5em"},
            ),
            html.Label(
                [
                    html.Span("Texte de la note", className="small d-block"),
                    dcc.Textarea(
                        id={"type": "notes-texte", "n": 0},
                        maxLength=TEXTE_MAX,
                        placeholder="décision : relance du CD 29",
                        className="form-control form-control-sm",
                        style={"height": "4.5em", "width": "100%"},
                    ),
                ],
                className="flex-grow-1",
            ),
            html.Button(
                "Ajouter la note",
                id={"type": "notes-ajouter", "n": 0},
                type="button",
                className="btn btn-primary btn-sm align-self-end",
            ),
        ],
        className="d-flex flex-wrap gap-2 notes-formulaire",
    )
