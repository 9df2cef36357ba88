"""Territory page `/territoire/<niveau>/<code>` and laureate page `/porteur/<siren>` (dashboard.vues.fiche,
rendered by dashboard.components.fiche). Every chart exports to PNG and every table to CSV/XLSX, stamped.
An unknown code shows "Page introuvable" (with the status 404: dashboard.web.erreurs)."""

from __future__ import annotations

from dash import State, html

from dashboard.components.calendrier import ligne_fiche
from dashboard.components.fiche import page
from dashboard.components.introuvable import introuvable
from dashboard.components.vigilance import bloc_fiche
from dashboard.pages import rappel_export, visiteur
from dashboard.pages.notes import bloc_notes
from dashboard.vues import calendrier, fiche, vigilance

INCONNUE = "Aucun territoire ni lauréat ne correspond à cette adresse (code inconnu)."

# PASSNUM_PUBLIC=1: visitors without an account may call this page's reading callbacks (dashboard.pages).
OUVERT_AU_PUBLIC = True


def layout_territoire(contexte, /, niveau: str | None = None, code: str | None = None, **_) -> html.Div:
    return _page(contexte, niveau, code)


def layout_porteur(contexte, /, siren: str | None = None, **_) -> html.Div:
    return _page(contexte, "porteur", siren)


def titre_territoire(contexte, /, niveau: str | None = None, code: str | None = None, **_) -> str:
    """The browser tab names the territory: `Finistère (29) — Pass numérique`."""
    return fiche.titre_page(fiche.entite_de(contexte, niveau, code))


def titre_porteur(contexte, /, siren: str | None = None, **_) -> str:
    return fiche.titre_page(fiche.entite_de(contexte, "porteur", siren))


def _page(contexte, niveau: str | None, code: str | None) -> html.Div:
    ent = fiche.entite_de(contexte, niveau, code)
    if ent is None:
        return introuvable(INCONNUE)
    if visiteur(contexte):  # PASSNUM_PUBLIC=1, no account: aggregated figures only
        return page(fiche.calculer_fiche(contexte, ent, avec_notes=False), public=True)
    points = vigilance.points_entite(contexte, ent)
    vigie = bloc_fiche(points, ent.niveau == "porteur", vigilance.lien_entite(ent, points))
    notes = bloc_notes(contexte, ent.identifiant, "fiche")
    contenu = page(fiche.calculer_fiche(contexte, ent), vigilance=vigie, notes=notes)
    if ent.niveau == "porteur":  # its row of the reporting calendar, after the page
        contenu.children.append(ligne_fiche(calendrier.ligne_fiche(contexte, ent.code)))
    return contenu


PAGES = [
    {
        "module": "territoire",
        "path_template": "/territoire/<niveau>/<code>",
        "title": titre_territoire,
        "name": "Territoire",
        "layout": layout_territoire,
    },
    {
        "module": "porteur",
        "path_template": "/porteur/<siren>",
        "title": titre_porteur,
        "name": "Lauréat",
        "layout": layout_porteur,
    },
]


def exporter(contexte, identifiant, format_: str, nom: str):
    """The page's exports; a visitor's (PASSNUM_PUBLIC=1) without the committee's notes."""
    return fiche.exporter(contexte, identifiant, format_, nom, avec_notes=not visiteur(contexte))


EXPORTER = rappel_export("fiche", "fiche-telechargement", State("fiche-id", "data"), exporter)
