"""Bulk writes inside the caller's transaction: SQLite executemany through the DBAPI, PostgreSQL COPY.

Both go through the raw DBAPI connection of the SQLAlchemy connection, so they share its transaction:
a rollback undoes them with everything else.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sqlalchemy import Connection, func
from sqlalchemy.dialects.postgresql import insert as insert_pg
from sqlalchemy.dialects.sqlite import insert as insert_sqlite

from dashboard.domain.progression import Progression

TAILLE_LOT = 100_000
CACHE_SQLITE_KIB = -262_144  # negative = KiB: 256 MiB


def _verifier_noms(table: str, colonnes) -> None:
    """Table and column names come from this package's own code, never from a file: said and checked,
    since they are the only part of the bulk INSERT that is not a bound parameter."""
    from dashboard.store.schema import Base

    connue = Base.metadata.tables.get(table)
    if connue is None or not set(colonnes) <= set(connue.columns.keys()):
        raise ValueError(f"table ou colonnes inconnues du schéma : {table} {list(colonnes)}")


def inserer_en_masse(connection: Connection, table: str, df: pd.DataFrame, avancer: Progression) -> None:
    """Insert every row of df (columns = table columns; None/NaN = NULL), reporting progress."""
    _verifier_noms(table, df.columns)
    brute = connection.connection.driver_connection
    colonnes = ", ".join(df.columns)
    total = len(df)
    avancer("chargement", 0, total)
    if connection.dialect.name == "sqlite":
        # Names checked against the schema just above; every value is a bound parameter.
        sql = f"INSERT INTO {table} ({colonnes}) VALUES ({', '.join('?' * len(df.columns))})"  # nosec B608
        curseur = brute.cursor()
        # A larger page cache while loading keeps the indexes' pages in memory (the default is 2 MB).
        cache = curseur.execute("PRAGMA cache_size").fetchone()[0]
        curseur.execute(f"PRAGMA cache_size={CACHE_SQLITE_KIB}")
        try:
            for debut in range(0, total, TAILLE_LOT):
                morceau = df.iloc[debut : debut + TAILLE_LOT]
                curseur.executemany(sql, zip(*(_valeurs_python(morceau[c]) for c in df.columns), strict=True))
                avancer("chargement", min(debut + TAILLE_LOT, total), total)
        finally:
            curseur.execute(f"PRAGMA cache_size={int(cache)}")
            curseur.close()
        return
    with (
        brute.cursor() as curseur,
        curseur.copy(f"COPY {table} ({colonnes}) FROM STDIN (FORMAT csv)") as copie,
    ):
        for debut in range(0, total, TAILLE_LOT):
            # In CSV COPY an unquoted empty field is NULL, which is what to_csv writes for None/NaN.
            copie.write(df.iloc[debut : debut + TAILLE_LOT].to_csv(header=False, index=False).encode("utf-8"))
            avancer("chargement", min(debut + TAILLE_LOT, total), total)


def _valeurs_python(serie: pd.Series) -> list:
    if pd.api.types.is_integer_dtype(serie.dtype) and not serie.isna().any():
        return serie.astype("int64").tolist()
    valeurs = serie.astype(object)
    return valeurs.where(valeurs.notna(), None).tolist() if valeurs.isna().any() else valeurs.tolist()


def upsert(
    connection: Connection, modele, lignes: list[dict], cles: list[str], garder_si_nul: list[str] = ()
) -> None:
    """INSERT … ON CONFLICT (cles) DO UPDATE: the file's values win, except NULLs of `garder_si_nul`
    (a file that omits a structure's name does not erase the name known from an earlier file)."""
    if not lignes:
        return
    inserer = insert_sqlite if connection.dialect.name == "sqlite" else insert_pg
    instruction = inserer(modele)
    table = modele.__table__
    nouvelles = {
        col: (
            func.coalesce(instruction.excluded[col], table.c[col])
            if col in garder_si_nul
            else instruction.excluded[col]
        )
        for col in lignes[0]
        if col not in cles
    }
    instruction = instruction.on_conflict_do_update(index_elements=cles, set_=nouvelles)
    for debut in range(0, len(lignes), 5_000):
        connection.execute(instruction, [_natif(ligne) for ligne in lignes[debut : debut + 5_000]])


def _natif(ligne: dict) -> dict:
    return {k: (v.item() if isinstance(v, np.generic) else v) for k, v in ligne.items()}
