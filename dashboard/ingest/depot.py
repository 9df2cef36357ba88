"""A file uploaded on /donnees, between its validation and its confirmation: kept in the database (table
`fichier_en_attente`, so that any host behind a load balancer may validate or confirm it) under its
checksum (never the user's name for it) and the identifiant of the account that deposited it, validated or
imported in a background job with the same importer as `passnum import`, then removed. What the page keeps
in the browser names it by its checksum only, and the server looks it up among the files of the account
asking: a forged confirmation can designate no other file, not even another user's."""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, delete, select
from sqlalchemy.exc import IntegrityError

from dashboard.domain.vocabulaire import KINDS
from dashboard.settings import Settings
from dashboard.store.db import make_engine
from dashboard.store.schema import FichierEnAttente

TAILLE_MAX = 200 * 1024 * 1024
TAILLE_MAX_DEPOT = TAILLE_MAX * 4 // 3 + 1024 * 1024  # the file travels base64-encoded in a callback
EXTENSIONS = (".csv", ".txt", ".tsv", ".xlsx", ".json")
EN_ATTENTE = re.compile(r"^[0-9a-f]{64}$")
ATTENTE_MAX = timedelta(hours=24)


class DepotInvalide(ValueError):
    """An upload or a confirmation the server cannot take as it is (said in French to the user)."""


@dataclass(frozen=True)
class Depose:
    """A pending file as its depositor's confirmation finds it."""

    nom: str
    kind: str
    contenu: bytes


def mettre_en_attente(engine: Engine, contenu_base64, nom, kind, remplacer, depose_par: str) -> dict:
    """Keep an uploaded file until it is confirmed, named by its checksum and bound to the account that
    deposited it; what the page keeps of it."""
    if not isinstance(contenu_base64, str) or "," not in contenu_base64:
        raise DepotInvalide("Fichier illisible : déposez-le de nouveau.")
    if not isinstance(kind, str) or kind not in KINDS:
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
    maintenant = datetime.now(UTC)
    try:
        with engine.begin() as connection:
            # Files validated but never confirmed do not pile up: a day is long enough to confirm.
            connection.execute(
                delete(FichierEnAttente).where(FichierEnAttente.depose_le < maintenant - ATTENTE_MAX)
            )
            connection.execute(_le_sien(delete(FichierEnAttente), depose_par, empreinte))
            connection.execute(
                FichierEnAttente.__table__.insert().values(
                    depose_par=depose_par,
                    empreinte=empreinte,
                    extension=extension,
                    nom=nom[:200],
                    kind=kind,
                    contenu=donnees,
                    depose_le=maintenant,
                )
            )
    except IntegrityError as exc:  # the same file deposited at the same moment by the same account
        raise DepotInvalide("Ce fichier est déjà en cours de dépôt : déposez-le de nouveau.") from exc
    return {
        "empreinte": empreinte,
        "extension": extension,
        "nom": nom[:200],
        "octets": len(donnees),
        "kind": kind,
        "remplacer": bool(remplacer),
        "depose_le": maintenant.isoformat(),  # the same file deposited again is a new deposit for the page
    }


def fichier_en_attente(engine: Engine, fichier, depose_par: str) -> Depose:
    """The pending file a confirmation names, after checking every part of the name it sent, among the
    files `depose_par` deposited (and only those)."""
    if (
        not isinstance(fichier, dict)
        or not isinstance(fichier.get("kind"), str)
        or fichier["kind"] not in KINDS
    ):
        raise DepotInvalide("Confirmation invalide : déposez de nouveau le fichier.")
    empreinte, extension = fichier.get("empreinte"), fichier.get("extension")
    if not isinstance(empreinte, str) or not EN_ATTENTE.match(empreinte) or extension not in EXTENSIONS:
        raise DepotInvalide("Confirmation invalide : déposez de nouveau le fichier.")
    requete = select(FichierEnAttente.nom, FichierEnAttente.contenu).where(
        FichierEnAttente.extension == extension,
        FichierEnAttente.kind == fichier["kind"],
        FichierEnAttente.depose_le >= datetime.now(UTC) - ATTENTE_MAX,
    )
    with engine.connect() as connection:
        trouve = connection.execute(_le_sien(requete, depose_par, empreinte)).one_or_none()
    if trouve is None:
        raise DepotInvalide("Ce fichier n'est plus en attente : déposez-le de nouveau.")
    return Depose(nom=trouve.nom, kind=fichier["kind"], contenu=trouve.contenu)


def retirer(engine: Engine, fichier: dict, depose_par: str) -> None:
    """The pending file is no longer kept (refused at validation, or imported)."""
    with engine.begin() as connection:
        connection.execute(_le_sien(delete(FichierEnAttente), depose_par, fichier["empreinte"]))


def _le_sien(requete, depose_par: str, empreinte: str):
    return requete.where(FichierEnAttente.depose_par == depose_par, FichierEnAttente.empreinte == empreinte)


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
