"""Jetons de l'API de données ouvertes (`passnum jetons`)

Un jeton par client partenaire : seule l'empreinte SHA-256 du secret est gardée, le préfixe le nomme dans
les listes et le journal ; portées séparées par des virgules ; révocation immédiate.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05 21:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "jeton_api",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("nom", sa.String(length=200), nullable=False),
        sa.Column("prefixe", sa.String(length=16), nullable=False),
        sa.Column("empreinte", sa.String(length=64), nullable=False),
        sa.Column("portees", sa.String(length=200), nullable=False),
        sa.Column("cree_par", sa.String(length=200), nullable=False),
        sa.Column("cree_le", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expire_le", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoque_le", sa.DateTime(timezone=True), nullable=True),
        sa.Column("derniere_utilisation", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jeton_api")),
        sa.UniqueConstraint("empreinte", name=op.f("uq_jeton_api_empreinte")),
        sa.UniqueConstraint("prefixe", name=op.f("uq_jeton_api_prefixe")),
    )


def downgrade() -> None:
    op.drop_table("jeton_api")
