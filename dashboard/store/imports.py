"""The import journal as the data page shows it: the latest lots, newest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, select

from dashboard.store.schema import ImportLot


@dataclass(frozen=True)
class LotImporte:
    id: int
    importe_le: datetime
    kind: str
    fichier: str
    lignes: int
    utilisateur: str | None
    checksum: str
    remplace_lot_id: int | None


def derniers_lots(engine: Engine, limite: int = 50) -> list[LotImporte]:
    with engine.connect() as connection:
        lignes = connection.execute(
            select(
                ImportLot.id,
                ImportLot.importe_le,
                ImportLot.kind,
                ImportLot.fichier,
                ImportLot.lignes,
                ImportLot.utilisateur,
                ImportLot.checksum,
                ImportLot.remplace_lot_id,
            )
            .order_by(ImportLot.id.desc())
            .limit(limite)
        ).all()
    return [LotImporte(*ligne) for ligne in lignes]
