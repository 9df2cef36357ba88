"""Lignes d'événements sans clé étrangère vers leur lot d'import

PostgreSQL vérifie une clé étrangère ligne par ligne : 5 s sur un import d'un million de lignes. Le lot est
créé par l'importeur dans la même transaction que ses lignes et n'est jamais supprimé avant elles.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 21:30:00
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TABLES = ("distribution", "utilisation")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(f"fk_{table}_import_lot_id_import_lot", type_="foreignkey")


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_foreign_key(
                f"fk_{table}_import_lot_id_import_lot", "import_lot", ["import_lot_id"], ["id"]
            )
