"""Fichiers en attente dans la base : un dépôt de /donnees confirmé depuis n'importe quel hôte

Entre sa validation et sa confirmation, un fichier déposé sur /donnees attendait dans data/imports/ de
l'hôte qui l'avait reçu : derrière un répartiteur de charge, la confirmation devait revenir au même hôte.
Il attend désormais dans `fichier_en_attente`, nommé par son empreinte et lié au compte qui l'a déposé.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 18:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "fichier_en_attente",
        sa.Column("depose_par", sa.String(length=200), nullable=False),
        sa.Column("empreinte", sa.String(length=64), nullable=False),
        sa.Column("extension", sa.String(length=8), nullable=False),
        sa.Column("nom", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("contenu", sa.LargeBinary(), nullable=False),
        sa.Column("depose_le", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("depose_par", "empreinte", name=op.f("pk_fichier_en_attente")),
    )
    op.create_index(
        op.f("ix_fichier_en_attente_depose_le"), "fichier_en_attente", ["depose_le"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_fichier_en_attente_depose_le"), table_name="fichier_en_attente")
    op.drop_table("fichier_en_attente")
