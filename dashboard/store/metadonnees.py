"""Facts about the loaded data (key/value table `metadonnee`): demo flag, data date, reference checksum.
The keys are named in dashboard.domain.vocabulaire; this module is the only one that reads or writes them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, Engine, delete, select
from sqlalchemy.dialects.postgresql import insert as insert_pg
from sqlalchemy.dialects.sqlite import insert as insert_sqlite

from dashboard.domain.vocabulaire import CLE_DATE_DONNEES, CLE_DEMO
from dashboard.store.memoire import memoiser
from dashboard.store.schema import Metadonnee


@dataclass(frozen=True)
class EtatDonnees:
    demo: str | None  # "small" / "national" when demo data is loaded
    date_donnees: date | None  # the latest distribution or redemption


def lire(connection: Connection, cle: str) -> str | None:
    return connection.scalar(select(Metadonnee.valeur).where(Metadonnee.cle == cle))


def ecrire(connection: Connection, cle: str, valeur: str | None) -> None:
    """Set (or, with None, remove) a key. An upsert: two transactions writing the same key one after the
    other never collide on it (two imports at once on PostgreSQL)."""
    if valeur is None:
        connection.execute(delete(Metadonnee).where(Metadonnee.cle == cle))
        return
    inserer = insert_sqlite if connection.dialect.name == "sqlite" else insert_pg
    instruction = inserer(Metadonnee).values(cle=cle, valeur=valeur)
    connection.execute(
        instruction.on_conflict_do_update(
            index_elements=["cle"], set_={"valeur": instruction.excluded.valeur}
        )
    )


def date_donnees(connection: Connection) -> date | None:
    valeur = lire(connection, CLE_DATE_DONNEES)
    return date.fromisoformat(valeur) if valeur else None


def etat_donnees(engine: Engine) -> EtatDonnees:
    """The demo flag and the data date. Memoised: both are rows of this table, which the data version
    reads whole (dashboard.store.memoire), so a change of either is a new version; within an
    interaction (`une_lecture`) no query."""
    return memoiser(engine, _lire_etat_donnees, partage=True)  # frozen: nothing to copy


def _lire_etat_donnees(engine: Engine) -> EtatDonnees:
    with engine.connect() as connection:
        valeurs = dict(
            connection.execute(
                select(Metadonnee.cle, Metadonnee.valeur).where(
                    Metadonnee.cle.in_((CLE_DEMO, CLE_DATE_DONNEES))
                )
            ).all()
        )
    jour = valeurs.get(CLE_DATE_DONNEES)
    return EtatDonnees(valeurs.get(CLE_DEMO), date.fromisoformat(jour) if jour else None)
