"""Lecture au démarrage sans parcours des lignes d'événements

- `ix_<table>_lot_porteur_date` (import_lot_id, siren_porteur, date) remplace `ix_<table>_import_lot_id` :
  le calendrier des remontées lit la dernière ligne de chaque lauréat × mois × lot par une recherche dans
  l'index (quelques milliers), au lieu d'un GROUP BY sur toutes les lignes (15 s à l'échelle ×10). Son
  préfixe sert toujours la suppression des lignes d'un lot.
- `ix_<table>_numerotees` : index partiel des lignes qui portent des numéros de pass, d'ordinaire peu
  nombreuses, que l'attribution exacte lit sans parcourir la table.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05 00:15:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

TABLES = ("distribution", "utilisation")
NUMEROTEE = "premier_numero IS NOT NULL AND dernier_numero IS NOT NULL"


def upgrade() -> None:
    for table in TABLES:
        op.drop_index(f"ix_{table}_import_lot_id", table_name=table)
        op.create_index(f"ix_{table}_lot_porteur_date", table, ["import_lot_id", "siren_porteur", "date"])
        op.create_index(
            f"ix_{table}_numerotees",
            table,
            ["siren_porteur"],
            sqlite_where=sa.text(NUMEROTEE),
            postgresql_where=sa.text(NUMEROTEE),
        )


def downgrade() -> None:
    for table in TABLES:
        op.drop_index(f"ix_{table}_numerotees", table_name=table)
        op.drop_index(f"ix_{table}_lot_porteur_date", table_name=table)
        op.create_index(f"ix_{table}_import_lot_id", table, ["import_lot_id"])
