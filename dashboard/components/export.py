"""What every page's exports share: the stamp (source, data date, demo warning) and the export button."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from dash import html

from dashboard.components.coque import SOURCES_GEOGRAPHIE
from dashboard.contexte import Contexte
from dashboard.exports import EnteteExport
from dashboard.store.metadonnees import etat_donnees

SOURCE_DONNEES = "Opérateur du Pass numérique (imports mensuels)"


def entete(contexte: Contexte, titre: str, filtres: Sequence[str]) -> EnteteExport:
    """The stamp of an export: title, filters in words, data date, source (demo data said so)."""
    donnees = etat_donnees(contexte.engine)
    source = SOURCE_DONNEES + (" — DONNÉES DE DÉMONSTRATION FICTIVES" if donnees.demo else "")
    return EnteteExport(
        titre=titre,
        filtres=list(filtres),
        date_donnees=donnees.date_donnees,
        source=f"{source} ; géographie : {SOURCES_GEOGRAPHIE}",
        genere_le=datetime.now(UTC),
    )


def bouton_export(identifiant: dict, texte: str, libelle: str) -> html.Button:
    """A small export button; its accessible name says what is exported (the text alone is short)."""
    return html.Button(
        texte,
        id=identifiant,
        type="button",
        className="btn btn-outline-primary btn-sm",
        title=libelle,
        **{"aria-label": libelle},
    )
