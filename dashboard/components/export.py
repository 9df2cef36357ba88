"""Export buttons and their one callback shape: every button is `{"type": "export", "page": …, "format":
png|csv|xlsx, "nom": …}`; a page's single export callback listens to all of its buttons."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import ALL, dcc, html

from dashboard.exports import FORMATS, Fichier

LIBELLES_FORMATS = {"png": "PNG", "csv": "CSV", "xlsx": "XLSX"}
VERBES = {"png": "Télécharger", "csv": "Exporter", "xlsx": "Exporter"}


def id_export(page: str, format_: str, nom: str) -> dict:
    return {"type": "export", "page": page, "format": format_, "nom": nom}


def boutons_export(page: str) -> dict:
    """The pattern of every export button of a page (the Input of its export callback)."""
    return {"type": "export", "page": page, "format": ALL, "nom": ALL}


def bouton_export(
    page: str, format_: str, nom: str, titre: str | None = None, texte: str | None = None, classe: str = ""
):
    """A small export button. Its text is the format ("CSV"), its accessible name says what is exported;
    or, with `texte`, that text says it all ("Exporter en CSV")."""
    if texte:
        nommage = {}
    else:
        libelle = f"{VERBES[format_]} « {titre} » en {LIBELLES_FORMATS[format_]}"
        nommage = {"title": libelle, "aria-label": libelle}
    return html.Button(
        texte or LIBELLES_FORMATS[format_],
        id=id_export(page, format_, nom),
        type="button",
        className=f"btn btn-outline-primary btn-sm {classe}".strip(),
        **nommage,
    )


def export_demande() -> tuple[str, str] | None:
    """(format, nom) of the button just pressed; None when the callback fired for a button only drawn."""
    declencheur = dash.ctx.triggered_id
    if not isinstance(declencheur, dict) or not dash.ctx.triggered[0].get("value"):
        return None
    format_, nom = declencheur.get("format"), declencheur.get("nom")
    if format_ not in FORMATS or not isinstance(nom, str):
        return None
    return format_, nom


def telechargement(fichier: Fichier | None):
    """What the page's dcc.Download receives: the file, or nothing."""
    return dash.no_update if fichier is None else dcc.send_bytes(fichier.contenu, fichier.nom)


def id_message(telechargement: str) -> str:
    return f"{telechargement}-message"


def zone_message(telechargement: str) -> html.Div:
    """Where an export refused for now (the renders busy, the minute's budget spent) says so, in French,
    wherever the button was on the page: a corner of the screen, read out by screen readers."""
    return html.Div(
        id=id_message(telechargement),
        className="position-fixed bottom-0 end-0 p-3",
        style={"zIndex": 1080, "maxWidth": "28rem"},
        role="status",
        **{"aria-live": "polite"},
    )


def message_refus(texte: str) -> dbc.Alert:
    return dbc.Alert(texte, color="warning", dismissable=True, duration=15000, className="shadow mb-0")
