"""`passnum sauvegarde` / `passnum restaurer`: the whole database (programme data, reference geography,
accounts, audit journal, metadata) in one portable file, readable by either engine.

The format: a zip holding `manifeste.json` (format, Alembic revision, engine, date, each table's columns and
row count) and one `TABLE.jsonl` per table (one JSON list of values per row, in the manifest's column order;
dates and times in ISO 8601, times with a zone in UTC). A restore refuses another revision (upgrade first),
refuses to overwrite real data unless told to, backs the database up first, and is journaled.

Also: what tells real data from a demo dataset (`donnees_reelles`), and the automatic backup every
destructive action takes first (`sauvegarde_automatique`, in data/sauvegardes/ by default).
"""

from __future__ import annotations

import base64
import json
import os
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Connection, Engine, Table, delete, func, insert, select, text, types
from sqlalchemy.engine import make_url

from dashboard.settings import ROOT
from dashboard.store import migration
from dashboard.store.comptes import auditer
from dashboard.store.schema import Base, ImportLot, Metadonnee

FORMAT = "passnum-sauvegarde/1"
MANIFESTE = "manifeste.json"
PAQUET = 5_000  # rows read or inserted at a time
CLE_RESTAURATION = "restauree_le"
TABLES_PASSAGERES = frozenset({"fichier_en_attente"})
"""Written empty: files waiting a day at most for their confirmation (up to 200 MB each), not data."""
"""Metadata written by a restore: the data version changes, memoised reads are read again."""


class SauvegardeInvalide(ValueError):
    """A backup that cannot be restored here (French message)."""


class DonneesReelles(ValueError):
    """A destructive action refused because the database holds real data (French message)."""


@dataclass(frozen=True)
class Sauvegarde:
    chemin: Path
    revision: str
    lignes: dict[str, int]  # table → rows


@dataclass(frozen=True)
class Restauration:
    fichier: Path
    revision: str
    lignes: dict[str, int]
    sauvegarde_prealable: Path


def donnees_reelles(connection: Connection) -> bool:
    """True as soon as one import was not written by the demo loader: decided from the database, never from
    what a page shows or from the demo badge."""
    return connection.scalar(select(func.count()).select_from(ImportLot).where(~ImportLot.demo)) > 0


def tables() -> list[Table]:
    """Every table of the schema, parents before children (the order of insertion)."""
    return list(Base.metadata.sorted_tables)


def dossier_sauvegardes(engine: Engine) -> Path:
    """Where automatic backups go: beside an SQLite file (data/sauvegardes/ by default), else the
    repository's data/sauvegardes/."""
    url = make_url(str(engine.url))
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return Path(url.database).resolve().parent / "sauvegardes"
    return ROOT / "data" / "sauvegardes"


def sauvegarde_automatique(engine: Engine, motif: str, dossier: Path | None = None) -> Sauvegarde:
    """The backup a destructive action takes first: data/sauvegardes/AAAAMMJJ-HHMMSS-ffffff-MOTIF.zip."""
    dossier = dossier or dossier_sauvegardes(engine)
    horodatage = datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f")
    return sauvegarder(engine, dossier / f"{horodatage}-{motif}.zip")


def sauvegarder(engine: Engine, chemin: Path) -> Sauvegarde:
    """Write the whole database to `chemin` (written aside, then renamed: never a half file)."""
    revision = migration.current_revision(engine)
    if revision is None:
        raise SauvegardeInvalide("la base n'est pas initialisée : rien à sauvegarder")
    chemin = Path(chemin)
    chemin.parent.mkdir(parents=True, exist_ok=True)
    partiel = chemin.with_name(chemin.name + ".partiel")
    lignes: dict[str, int] = {}
    colonnes: dict[str, list[str]] = {}
    options = {"isolation_level": "REPEATABLE READ"} if engine.dialect.name == "postgresql" else {}
    with (
        engine.connect().execution_options(**options) as connection,
        zipfile.ZipFile(partiel, "w", zipfile.ZIP_DEFLATED) as archive,
    ):
        if engine.dialect.name == "sqlite":  # one snapshot for every table (WAL), as REPEATABLE READ does
            connection.exec_driver_sql("BEGIN")
        for table in tables():
            colonnes[table.name] = [c.name for c in table.columns]
            with archive.open(f"{table.name}.jsonl", "w") as sortie:
                passagere = table.name in TABLES_PASSAGERES
                lignes[table.name] = 0 if passagere else _ecrire_table(connection, table, sortie)
        manifeste = {
            "format": FORMAT,
            "revision": revision,
            "moteur": engine.dialect.name,
            "cree_le": datetime.now(UTC).isoformat(),
            "tables": {nom: {"colonnes": colonnes[nom], "lignes": n} for nom, n in lignes.items()},
        }
        archive.writestr(MANIFESTE, json.dumps(manifeste, ensure_ascii=False, indent=1))
    os.replace(partiel, chemin)
    return Sauvegarde(chemin, revision, lignes)


def _ecrire_table(connection: Connection, table: Table, sortie) -> int:
    n = 0
    requete = select(table).order_by(*(table.primary_key.columns or table.columns))
    resultat = connection.execution_options(yield_per=PAQUET).execute(requete)
    for paquet in resultat.partitions():
        texte = "".join(
            json.dumps([_encoder(v) for v in ligne], ensure_ascii=False) + "\n" for ligne in paquet
        )
        sortie.write(texte.encode())
        n += len(paquet)
    return n


def _encoder(valeur):
    if isinstance(valeur, datetime):
        return valeur.astimezone(UTC).isoformat() if valeur.tzinfo else valeur.isoformat()
    if isinstance(valeur, date):
        return valeur.isoformat()
    if isinstance(valeur, Decimal):
        return str(valeur)
    if isinstance(valeur, bytes | memoryview):
        return base64.b64encode(bytes(valeur)).decode()
    return valeur


def lire_manifeste(chemin: Path) -> dict:
    try:
        with zipfile.ZipFile(chemin) as archive:
            manifeste = json.loads(archive.read(MANIFESTE))
    except FileNotFoundError:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise SauvegardeInvalide(
            f"{chemin.name} n'est pas une sauvegarde de Pass numérique ({exc})"
        ) from None
    if not isinstance(manifeste, dict) or manifeste.get("format") != FORMAT:
        raise SauvegardeInvalide(f"{chemin.name} n'est pas une sauvegarde au format {FORMAT}")
    return manifeste


def restaurer(
    engine: Engine,
    chemin: Path,
    *,
    acteur: str,
    ecraser_donnees_reelles: bool = False,
    dossier: Path | None = None,
) -> Restauration:
    """Replace the whole database by the backup at `chemin`, in one transaction, after an automatic backup
    of what is there; journaled. SauvegardeInvalide / DonneesReelles (French) when refused."""
    chemin = Path(chemin)
    manifeste = lire_manifeste(chemin)
    revision = migration.current_revision(engine)
    if manifeste.get("revision") != revision:
        raise SauvegardeInvalide(
            f"la sauvegarde est de la révision {manifeste.get('revision')} du schéma, la base de la révision "
            f"{revision} : restaurez-la dans une base de la même révision"
        )
    attendues = {t.name: [c.name for c in t.columns] for t in tables()}
    decrites = {nom: d.get("colonnes") for nom, d in manifeste.get("tables", {}).items()}
    if decrites != attendues:
        raise SauvegardeInvalide("les tables de la sauvegarde ne sont pas celles de ce schéma")
    with engine.connect() as connection:
        reelles = donnees_reelles(connection)
    if reelles and not ecraser_donnees_reelles:
        raise DonneesReelles(
            "la base contient des données réelles : la restauration les remplacerait. Relancez avec "
            "--ecraser-donnees-reelles (une sauvegarde automatique est prise avant)."
        )
    try:
        prealable = sauvegarde_automatique(engine, "avant-restauration", dossier)
    except OSError as exc:
        raise SauvegardeInvalide(
            f"sauvegarde automatique de la base impossible ({exc.strerror or exc}) : rien n'a été restauré"
        ) from None
    lignes: dict[str, int] = {}
    with engine.begin() as connection, zipfile.ZipFile(chemin) as archive:
        for table in reversed(tables()):
            connection.execute(delete(table))
        for table in tables():
            lignes[table.name] = _inserer_table(connection, table, archive)
        _recaler_sequences(connection)
        connection.execute(delete(Metadonnee).where(Metadonnee.cle == CLE_RESTAURATION))
        connection.execute(
            insert(Metadonnee).values(cle=CLE_RESTAURATION, valeur=datetime.now(UTC).isoformat())
        )
    auditer(
        engine,
        acteur,
        "restauration",
        cible=chemin.name,
        details={
            "fichier": str(chemin),
            "sauvegarde_prealable": str(prealable.chemin),
            "revision": revision,
            "lignes": sum(lignes.values()),
            "donnees_reelles_remplacees": reelles,
        },
    )
    return Restauration(chemin, revision, lignes, prealable.chemin)


def _inserer_table(connection: Connection, table: Table, archive: zipfile.ZipFile) -> int:
    decodeurs = [_decodeur(c.type) for c in table.columns]
    noms = [c.name for c in table.columns]
    n = 0
    for paquet in _paquets(archive, f"{table.name}.jsonl"):
        connection.execute(
            insert(table),
            [{nom: dec(v) for nom, dec, v in zip(noms, decodeurs, ligne, strict=True)} for ligne in paquet],
        )
        n += len(paquet)
    return n


def _paquets(archive: zipfile.ZipFile, nom: str) -> Iterator[list[list]]:
    paquet: list[list] = []
    with archive.open(nom) as entree:
        for ligne in entree:
            paquet.append(json.loads(ligne))
            if len(paquet) >= PAQUET:
                yield paquet
                paquet = []
    if paquet:
        yield paquet


def _decodeur(type_):
    def sans_nul(conversion):
        return lambda v: None if v is None else conversion(v)

    if isinstance(type_, types.DateTime):
        if type_.timezone:
            return sans_nul(_instant_utc)
        return sans_nul(datetime.fromisoformat)
    if isinstance(type_, types.Date):
        return sans_nul(date.fromisoformat)
    if isinstance(type_, types.LargeBinary):
        return sans_nul(base64.b64decode)
    if isinstance(type_, types.Numeric) and not isinstance(type_, types.Float) and type_.asdecimal:
        return sans_nul(Decimal)
    return lambda v: v


def _instant_utc(texte: str) -> datetime:
    """An instant in UTC: SQLite keeps it without its zone (as the application writes it), PostgreSQL with."""
    instant = datetime.fromisoformat(texte)
    return instant.replace(tzinfo=UTC) if instant.tzinfo is None else instant.astimezone(UTC)


def _recaler_sequences(connection: Connection) -> None:
    """Explicit ids were inserted: each counter goes past them, and never back (a lot number is never
    given twice, even after restoring an older backup)."""
    for table in tables():
        cles = list(table.primary_key.columns)
        if len(cles) != 1 or not isinstance(cles[0].type, types.Integer) or cles[0].autoincrement is False:
            continue
        plus_grand = connection.scalar(select(func.coalesce(func.max(cles[0]), 0)))
        if connection.dialect.name == "postgresql":
            sequence = connection.scalar(
                text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": table.name, "c": cles[0].name}
            )
            if sequence is None:
                continue
            dernier = connection.scalar(text(f"SELECT last_value FROM {sequence}"))  # nosec B608 (catalogue name)
            valeur = max(int(dernier), int(plus_grand))
            if valeur >= 1:
                connection.execute(text("SELECT setval(:s, :v, true)"), {"s": sequence, "v": valeur})
        elif table.name == ImportLot.__tablename__:  # SQLite: the only AUTOINCREMENT table
            dernier = connection.scalar(
                text("SELECT seq FROM sqlite_sequence WHERE name = :t"), {"t": table.name}
            )
            valeur = max(int(dernier or 0), int(plus_grand))
            connection.execute(text("DELETE FROM sqlite_sequence WHERE name = :t"), {"t": table.name})
            connection.execute(
                text("INSERT INTO sqlite_sequence (name, seq) VALUES (:t, :v)"),
                {"t": table.name, "v": valeur},
            )
