"""Lignes d'événements sans SIRET comptées par nom ; vague explicite d'une commande

Les lignes de distribution et d'utilisation sans SIRET gardent le nom que le fichier leur donne
(`distribution.nom_structure`, `utilisation.nom_lieu`) et sont agrégées par mois, commune et nom dans
`activite_sans_siret_mensuelle` : les parts des structures et des lieux se prennent sur tous les pass.
Les lignes déjà chargées y sont reportées sans nom (il n'était pas gardé). Une commande peut dire sa
vague (`commande.vague`, facultative).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# (event table, its SIRET column, its new name column, the role of its structures)
EVENEMENTS = (
    ("distribution", "siret_structure", "nom_structure", "distributeur"),
    ("utilisation", "siret_lieu", "nom_lieu", "lieu"),
)


def upgrade() -> None:
    for table, _, nom, _ in EVENEMENTS:
        # A nullable column without constraint: SQLite adds it in place (no copy of the event table).
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column(nom, sa.String(length=200), nullable=True))
    with op.batch_alter_table("commande", schema=None) as batch_op:
        batch_op.add_column(sa.Column("vague", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(op.f("fk_commande_vague_vague"), "vague", ["vague"], ["annee"])
    op.create_table(
        "activite_sans_siret_mensuelle",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("siren_porteur", sa.String(length=9), nullable=False),
        sa.Column("role", sa.String(length=12), nullable=False),
        sa.Column("mois", sa.Date(), nullable=False),
        sa.Column("code_commune", sa.String(length=5), nullable=False),
        sa.Column("nom", sa.String(length=200), nullable=True),
        sa.Column("nb_pass", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "role IN ('distributeur', 'lieu')", name=op.f("ck_activite_sans_siret_mensuelle_role")
        ),
        sa.ForeignKeyConstraint(
            ["siren_porteur"],
            ["porteur.siren"],
            name=op.f("fk_activite_sans_siret_mensuelle_siren_porteur_porteur"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activite_sans_siret_mensuelle")),
    )
    op.create_index(
        "ix_activite_sans_siret_mensuelle_porteur_role",
        "activite_sans_siret_mensuelle",
        ["siren_porteur", "role"],
        unique=False,
    )
    _reporter_les_lignes_chargees()


def _reporter_les_lignes_chargees() -> None:
    """The SIRET-less lines already in the database, without a name (none was kept before)."""
    if op.get_bind().dialect.name == "sqlite":
        mois = "date(date, 'start of month')"
    else:
        mois = "CAST(date_trunc('month', date) AS DATE)"
    for table, siret, _, role in EVENEMENTS:
        # Table, column and role names are the constants above: nothing here comes from outside.
        op.execute(
            "INSERT INTO activite_sans_siret_mensuelle "  # nosec B608
            "(siren_porteur, role, mois, code_commune, nom, nb_pass) "
            f"SELECT siren_porteur, '{role}', {mois}, code_commune, NULL, sum(nb_pass) FROM {table} "
            f"WHERE {siret} IS NULL GROUP BY siren_porteur, {mois}, code_commune"
        )


def downgrade() -> None:
    op.drop_index("ix_activite_sans_siret_mensuelle_porteur_role", table_name="activite_sans_siret_mensuelle")
    op.drop_table("activite_sans_siret_mensuelle")
    with op.batch_alter_table("commande", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("fk_commande_vague_vague"), type_="foreignkey")
        batch_op.drop_column("vague")
    for table, _, nom, _ in EVENEMENTS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column(nom)
