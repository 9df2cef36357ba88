"""Fichiers réels : codes communes de tout millésime, syndicats BANATIC, lieux de médiation, numéros de pass

- `code_commune` : chaque code commune de tout millésime depuis 2015 (anciens codes, communes déléguées et
  associées, arrondissements municipaux) et la commune actuelle qu'il désigne, avec le SIREN et les codes
  postaux des communes actuelles (chargé depuis data/geo/codes_communes.csv avec la géographie) ;
- le code tel qu'écrit quand il a été converti : `distribution.code_commune_brut`,
  `utilisation.code_commune_brut`, `porteur.code_territoire_brut`, `syndicat_membre.code_brut` ;
- d'où vient la composition d'un syndicat (`syndicat.source`) et la date du fichier (`perimetre_au`) ;
- `lieu` : les lieux de médiation numérique (standard v0.1 / v0.2, data·inclusion) ;
- plages de numéros de pass (`premier_numero`, `dernier_numero`) sur les commandes, distributions et
  utilisations.

Colonnes ajoutées toutes facultatives et sans contrainte : SQLite les ajoute sur place, sans recopier les
tables d'événements.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 13:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

NUMEROS = ("premier_numero", "dernier_numero")


def upgrade() -> None:
    op.create_table(
        "code_commune",
        sa.Column("code", sa.String(length=5), nullable=False),
        sa.Column("nature", sa.String(length=14), nullable=False),
        sa.Column("code_actuel", sa.String(length=5), nullable=False),
        sa.Column("nom", sa.String(length=200), nullable=True),
        sa.Column("siren", sa.String(length=9), nullable=True),
        sa.Column("codes_postaux", sa.String(length=200), nullable=True),
        sa.CheckConstraint(
            "nature IN ('actuelle', 'ancienne', 'deleguee', 'associee', 'arrondissement')",
            name=op.f("ck_code_commune_nature"),
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_code_commune")),
    )
    op.create_index("ix_code_commune_siren", "code_commune", ["siren"], unique=False)
    op.create_table(
        "lieu",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("identifiant", sa.String(length=200), nullable=False),
        sa.Column("format", sa.String(length=20), nullable=False),
        sa.Column("pivot", sa.String(length=20), nullable=True),
        sa.Column("siret", sa.String(length=14), nullable=True),
        sa.Column("nom", sa.String(length=300), nullable=False),
        sa.Column("code_commune", sa.String(length=5), nullable=False),
        sa.Column("code_commune_brut", sa.String(length=5), nullable=True),
        sa.Column("code_postal", sa.String(length=5), nullable=True),
        sa.Column("commune", sa.String(length=200), nullable=True),
        sa.Column("adresse", sa.String(length=400), nullable=True),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("accepte_pass", sa.Boolean(), nullable=False),
        sa.Column("motif_pass", sa.String(length=200), nullable=True),
        sa.Column("labels", sa.String(length=400), nullable=True),
        sa.Column("date_maj", sa.Date(), nullable=True),
        sa.Column("import_lot_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["import_lot_id"], ["import_lot.id"], name=op.f("fk_lieu_import_lot_id_import_lot")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lieu")),
        sa.UniqueConstraint("identifiant", name=op.f("uq_lieu_identifiant")),
    )
    op.create_index("ix_lieu_commune", "lieu", ["code_commune"], unique=False)
    op.create_index("ix_lieu_siret", "lieu", ["siret"], unique=False)
    for table in ("distribution", "utilisation"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("code_commune_brut", sa.String(length=5), nullable=True))
            for nom in NUMEROS:
                batch_op.add_column(sa.Column(nom, sa.BigInteger(), nullable=True))
    with op.batch_alter_table("commande", schema=None) as batch_op:
        for nom in NUMEROS:
            batch_op.add_column(sa.Column(nom, sa.BigInteger(), nullable=True))
    with op.batch_alter_table("porteur", schema=None) as batch_op:
        batch_op.add_column(sa.Column("code_territoire_brut", sa.String(length=9), nullable=True))
    with op.batch_alter_table("syndicat", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("perimetre_au", sa.Date(), nullable=True))
    with op.batch_alter_table("syndicat_membre", schema=None) as batch_op:
        batch_op.add_column(sa.Column("code_brut", sa.String(length=14), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("syndicat_membre", schema=None) as batch_op:
        batch_op.drop_column("code_brut")
    with op.batch_alter_table("syndicat", schema=None) as batch_op:
        batch_op.drop_column("perimetre_au")
        batch_op.drop_column("source")
    with op.batch_alter_table("porteur", schema=None) as batch_op:
        batch_op.drop_column("code_territoire_brut")
    with op.batch_alter_table("commande", schema=None) as batch_op:
        for nom in reversed(NUMEROS):
            batch_op.drop_column(nom)
    for table in ("utilisation", "distribution"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for nom in reversed(NUMEROS):
                batch_op.drop_column(nom)
            batch_op.drop_column("code_commune_brut")
    op.drop_index("ix_lieu_siret", table_name="lieu")
    op.drop_index("ix_lieu_commune", table_name="lieu")
    op.drop_table("lieu")
    op.drop_index("ix_code_commune_siren", table_name="code_commune")
    op.drop_table("code_commune")
