"""A file uploaded on /donnees, between its validation and its confirmation: kept in data/imports/ under
its checksum (never the user's name for it), validated or imported in a background job with the same
importer as `passnum import`, then removed. What the page keeps in the browser names it by its checksum
only: a forged confirmation can designate no other file of the server."""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine

from dashboard.domain.vocabulaire import KINDS
from dashboard.settings import Settings
from dashboard.store.db import make_engine

TAILLE_MAX = 200 * 1024 * 1024
TAILLE_MAX_DEPOT = TAILLE_MAX * 4 // 3 + 1024 * 1024  # the file travels base64-encoded in a callback
EXTENSIONS = (".csv", ".txt", ".tsv", ".xlsx", ".json")
EN_ATTENTE = re.compile(r"^[0-9a-f]{64}$")
ATTENTE_MAX_S = 24 * 3600


class DepotInvalide(ValueError):
    """An upload or a confirmation the server cannot take as it is (said in French to the user)."""


def mettre_en_attente(settings: Settings, contenu_base64, nom, kind, remplacer) -> dict:
    """Keep an uploaded file until it is confirmed, named by its checksum; what the page keeps of it."""
    if not isinstance(contenu_base64, str) or "," not in contenu_base64:
        raise DepotInvalide("Fichier illisible : déposez-le de nouveau.")
    if kind not in KINDS:
        raise DepotInvalide("Type de fichier inconnu.")
    nom = nom if isinstance(nom, str) and nom.strip() else "fichier"
    extension = Path(nom).suffix.lower()
    if extension not in EXTENSIONS:
        raise DepotInvalide(
            "Seuls les fichiers CSV (.csv, .txt, .tsv), XLSX (.xlsx) et JSON (.json, lieux) sont acceptés."
        )
    try:
        donnees = base64.b64decode(contenu_base64.split(",", 1)[1], validate=True)
    except (ValueError, binascii.Error) as exc:
        raise DepotInvalide("Fichier illisible : déposez-le de nouveau.") from exc
    empreinte = hashlib.sha256(donnees).hexdigest()
    dossier = settings.data_dir / "imports"
    dossier.mkdir(parents=True, exist_ok=True)
    _purger(dossier)
    (dossier / (empreinte + extension)).write_bytes(donnees)
    return {
        "empreinte": empreinte,
        "extension": extension,
        "nom": nom[:200],
        "kind": kind,
        "remplacer": bool(remplacer),
    }


def _purger(dossier: Path) -> None:
    """Files validated but never confirmed do not pile up: a day is long enough to confirm."""
    limite = time.time() - ATTENTE_MAX_S
    for fichier in dossier.iterdir():
        if fichier.is_file() and fichier.stat().st_mtime < limite:
            fichier.unlink(missing_ok=True)


def fichier_en_attente(settings: Settings, fichier) -> Path:
    """The pending file a confirmation names, after checking every part of the name it sent."""
    if not isinstance(fichier, dict) or fichier.get("kind") not in KINDS:
        raise DepotInvalide("Confirmation invalide : déposez de nouveau le fichier.")
    empreinte, extension = fichier.get("empreinte"), fichier.get("extension")
    if not isinstance(empreinte, str) or not EN_ATTENTE.match(empreinte) or extension not in EXTENSIONS:
        raise DepotInvalide("Confirmation invalide : déposez de nouveau le fichier.")
    chemin = settings.data_dir / "imports" / (empreinte + extension)
    if not chemin.is_file():
        raise DepotInvalide("Ce fichier n'est plus en attente : déposez-le de nouveau.")
    return chemin


@contextmanager
def moteur_du_job(settings: Settings) -> Iterator[Engine]:
    """Background jobs run in their own process: never reuse the parent's connection pool there."""
    engine = make_engine(settings.resolved_database_url)
    try:
        yield engine
    finally:
        engine.dispose()


def au_pourcent(afficher: Callable[[tuple[int, str]], None]):
    """Importer progress → (percent, "étape — n %"), at most once per percent (a page's progress bar)."""
    dernier = {"pct": -1}

    def progression(etape: str, fait: int, total: int) -> None:
        pct = int(100 * fait / total) if total else 100
        if pct != dernier["pct"]:
            dernier["pct"] = pct
            afficher((pct, f"{etape} — {pct} %"))

    return progression
