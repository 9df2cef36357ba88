"""Facts about the loaded data: demo flag, data date (key/value table `metadonnee`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, Engine, delete, insert, select

from dashboard.store.schema import Metadonnee

CLE_DEMO = "donnees_demo"
CLE_DATE = "date_donnees"


@dataclass(frozen=True)
class EtatDonnees:
    demo: str | None  # "small" / "national" when demo data is loaded
    date_donnees: date | None  # the latest distribution or redemption


def lire(connection: Connection, cle: str) -> str | None:
    return connection.scalar(select(Metadonnee.valeur).where(Metadonnee.cle == cle))


def ecrire(connection: Connection, cle: str, valeur: str | None) -> None:
    connection.execute(delete(Metadonnee).where(Metadonnee.cle == cle))
    if valeur is not None:
        connection.execute(insert(Metadonnee).values(cle=cle, valeur=valeur))


def date_donnees(connection: Connection) -> date | None:
    valeur = lire(connection, CLE_DATE)
    return date.fromisoformat(valeur) if valeur else None


def etat_donnees(engine: Engine) -> EtatDonnees:
    with engine.connect() as connection:
        valeurs = dict(
            connection.execute(
                select(Metadonnee.cle, Metadonnee.valeur).where(Metadonnee.cle.in_((CLE_DEMO, CLE_DATE)))
            ).all()
        )
    jour = valeurs.get(CLE_DATE)
    return EtatDonnees(valeurs.get(CLE_DEMO), date.fromisoformat(jour) if jour else None)
