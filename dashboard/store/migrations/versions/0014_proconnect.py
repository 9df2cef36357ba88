"""ProConnect : sujet OpenID lié au compte, règles d'accès par SIRET

`utilisateur.sub_oidc` garde le `sub` de ProConnect, lié à la première connexion puis vérifié à chacune ;
`regle_siret` accorde un rôle (et une région) à qui se connecte avec ce SIRET (`passnum users regle`).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05 22:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("utilisateur", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sub_oidc", sa.String(length=255), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_utilisateur_sub_oidc"), ["sub_oidc"])

    op.create_table(
        "regle_siret",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("siret", sa.String(length=14), nullable=False),
        sa.Column("role", sa.String(length=12), nullable=False),
        sa.Column("code_region", sa.String(length=3), nullable=True),
        sa.Column("cree_par", sa.String(length=200), nullable=False),
        sa.Column("cree_le", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "role <> 'coordinateur' OR code_region IS NOT NULL",
            name=op.f("ck_regle_siret_region_coordinateur"),
        ),
        sa.CheckConstraint("role IN ('coordinateur', 'lecteur')", name=op.f("ck_regle_siret_role")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_regle_siret")),
        sa.UniqueConstraint("siret", name=op.f("uq_regle_siret_siret")),
    )


def downgrade() -> None:
    op.drop_table("regle_siret")
    with op.batch_alter_table("utilisateur", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_utilisateur_sub_oidc"), type_="unique")
        batch_op.drop_column("sub_oidc")
