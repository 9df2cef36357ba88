"""Pilotage : enveloppes des vagues, règles de vigilance, comités et leurs notes

Quatre petites tables écrites à la main (ligne de commande, pages d'administration), chaque écriture
journalisée : l'enveloppe nationale et l'objectif de chaque vague, le réglage des règles de vigilance, les
comités de pilotage par date et les notes épinglées à une entité et à une date.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 19:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "enveloppe_vague",
        sa.Column("vague", sa.Integer(), nullable=False),
        sa.Column("montant_eur", sa.Numeric(precision=14, scale=2, asdecimal=False), nullable=True),
        sa.Column("objectif_pass", sa.Integer(), nullable=True),
        sa.Column("modifie_le", sa.DateTime(timezone=True), nullable=False),
        sa.Column("modifie_par", sa.String(length=200), nullable=False),
        sa.CheckConstraint(
            "montant_eur IS NULL OR montant_eur >= 0", name=op.f("ck_enveloppe_vague_montant_positif")
        ),
        sa.CheckConstraint(
            "objectif_pass IS NULL OR objectif_pass > 0", name=op.f("ck_enveloppe_vague_objectif_positif")
        ),
        sa.ForeignKeyConstraint(["vague"], ["vague.annee"], name=op.f("fk_enveloppe_vague_vague_vague")),
        sa.PrimaryKeyConstraint("vague", name=op.f("pk_enveloppe_vague")),
    )
    op.create_table(
        "regle_vigilance",
        sa.Column("cle", sa.String(length=40), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("parametres", sa.Text(), nullable=True),
        sa.Column("modifie_le", sa.DateTime(timezone=True), nullable=False),
        sa.Column("modifie_par", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("cle", name=op.f("pk_regle_vigilance")),
    )
    op.create_table(
        "comite",
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("titre", sa.String(length=200), nullable=True),
        sa.Column("cree_le", sa.DateTime(timezone=True), nullable=False),
        sa.Column("cree_par", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("date", name=op.f("pk_comite")),
    )
    op.create_table(
        "note_comite",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("niveau", sa.String(length=12), nullable=False),
        sa.Column("code", sa.String(length=9), nullable=True),
        sa.Column("date_note", sa.Date(), nullable=False),
        sa.Column("texte", sa.Text(), nullable=False),
        sa.Column("auteur", sa.String(length=200), nullable=False),
        sa.Column("cree_le", sa.DateTime(timezone=True), nullable=False),
        sa.Column("supprimee", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.CheckConstraint(
            "niveau IN ('national', 'region', 'departement', 'epci', 'porteur')",
            name=op.f("ck_note_comite_niveau"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_note_comite")),
    )
    op.create_index("ix_note_comite_entite", "note_comite", ["niveau", "code"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_note_comite_entite", table_name="note_comite")
    op.drop_table("note_comite")
    op.drop_table("comite")
    op.drop_table("regle_vigilance")
    op.drop_table("enveloppe_vague")
