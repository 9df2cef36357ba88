"""Remboursement des pass utilisés : colonne `rembourse` des utilisations et sommes mensuelles

L'opérateur du programme, placé en liquidation le 16/01/2024, n'a pas remboursé aux lieux de médiation
tous les pass qu'ils avaient acceptés. La colonne facultative `rembourse` des fichiers d'utilisations le
dit ligne par ligne (NULL : le fichier ne le dit pas) ; les tables d'agrégats mensuels gagnent les pass
utilisés remboursés et non remboursés. Les lignes des lots déjà chargés restent « inconnu » (NULL, et 0
dans les deux sommes) : seul un nouvel import de leurs fichiers avec la colonne les renseigne.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 20:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

AGREGATS = ("activite_mensuelle", "activite_structure_mensuelle", "activite_sans_siret_mensuelle")
COLONNES = ("pass_non_rembourses", "pass_rembourses")


def upgrade() -> None:
    with op.batch_alter_table("utilisation") as batch:
        batch.add_column(sa.Column("rembourse", sa.Boolean(), nullable=True))
    for table in AGREGATS:
        with op.batch_alter_table(table) as batch:
            for colonne in COLONNES:
                batch.add_column(sa.Column(colonne, sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    for table in AGREGATS:
        with op.batch_alter_table(table) as batch:
            for colonne in COLONNES:
                batch.drop_column(colonne)
    with op.batch_alter_table("utilisation") as batch:
        batch.drop_column("rembourse")
