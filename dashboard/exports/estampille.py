"""The stamp of every export (spreadsheet, image, deck): what it shows, the filters in plain words, the
data date, the source (demo data said so) and when it was made; and the exported file's name."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import Engine

from dashboard.domain.formatage import heure_locale
from dashboard.domain.texte import slug
from dashboard.store.metadonnees import etat_donnees

SOURCE_DONNEES = "Opérateur du Pass numérique (imports mensuels)"
MENTION_DEMO = "DONNÉES DE DÉMONSTRATION FICTIVES"
SOURCES_GEOGRAPHIE = "IGN ADMIN EXPRESS, INSEE COG 2026 — Licence Ouverte 2.0"


@dataclass(frozen=True)
class EnteteExport:
    titre: str
    filtres: Sequence[str] = field(default_factory=tuple)  # in plain words: "Vague : 2019"
    date_donnees: date | None = None
    source: str = ""
    genere_le: datetime = field(default_factory=datetime.now)
    demo: bool = False  # made from the demo data: images carry a badge saying so


def entete(engine: Engine, titre: str, filtres: Sequence[str]) -> EnteteExport:
    """The stamp of an export made now from the loaded data."""
    donnees = etat_donnees(engine)
    source = SOURCE_DONNEES + (f" — {MENTION_DEMO}" if donnees.demo else "")
    return EnteteExport(
        titre=titre,
        filtres=list(filtres),
        date_donnees=donnees.date_donnees,
        source=f"{source} ; géographie : {SOURCES_GEOGRAPHIE}",
        genere_le=datetime.now(UTC),
        demo=bool(donnees.demo),
    )


def nom_fichier(morceaux: Sequence[str], extension: str, moment: datetime) -> str:
    """`pass-numerique-finistere-lieux-20261126-1042.csv`: ASCII pieces, then the Paris time."""
    parties = ["pass-numerique", *(slug(m) for m in morceaux if slug(m))]
    return f"{'-'.join(parties)}-{heure_locale(moment):%Y%m%d-%H%M}.{extension}"
