"""Lots de démonstration reconnaissables, un seul lot en vigueur par contenu, numéros jamais réutilisés

- `import_lot.demo` : le lot a été écrit par le chargeur du jeu de démonstration (`passnum init`). La base
  « contient des données réelles » dès qu'un lot n'est pas de démonstration : c'est ce que vérifient le
  chargement d'une démonstration et toute action destructrice, quoi que montre la page.
- `import_lot.remplace` : le lot a été remplacé par un lot plus récent du même contenu (`--remplacer`).
  L'index unique partiel `uq_import_lot_contenu` (kind, checksum) sur les lots non remplacés rend
  impossibles deux imports simultanés du même fichier, sur les deux moteurs, en ligne de commande comme
  sur le web. Les doublons déjà présents (deux lots du même contenu) : seul le plus récent reste en vigueur.
- SQLite : `id` devient AUTOINCREMENT, pour qu'un numéro de lot supprimé ne soit jamais redonné (PostgreSQL :
  la séquence ne revient jamais en arrière). Comme en 0007, la définition de la table est réécrite dans
  le schéma (writable_schema) plutôt que recopiée : « PRIMARY KEY (id) » sur une colonne INTEGER est déjà
  l'alias du rowid, le format sur disque est le même. La séquence part du plus grand numéro connu, dans
  la table ou cité par le journal d'audit (« lot n° N ») : les numéros déjà réutilisés avant cette
  révision ne le seront plus.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04 18:00:00
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

UTILISATEUR_DEMO = "passnum init"  # the demo loader's signature in the journal before this revision
COLONNE = "id INTEGER NOT NULL,"
AUTO = "id INTEGER NOT NULL CONSTRAINT pk_import_lot PRIMARY KEY AUTOINCREMENT,"
CONTRAINTE = "CONSTRAINT pk_import_lot PRIMARY KEY (id), "
SUIVANTE = "CONSTRAINT ck_import_lot_kind"


def upgrade() -> None:
    bind = op.get_bind()
    with op.batch_alter_table("import_lot", recreate="never") as batch:
        batch.add_column(sa.Column("demo", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("remplace", sa.Boolean(), nullable=False, server_default=sa.false()))
    bind.execute(
        sa.text("UPDATE import_lot SET demo = :oui WHERE utilisateur = :demo"),
        {"oui": True, "demo": UTILISATEUR_DEMO},
    )
    bind.execute(
        sa.text(
            "UPDATE import_lot SET remplace = :oui WHERE id NOT IN "
            "(SELECT MAX(id) FROM import_lot GROUP BY kind, checksum)"
        ),
        {"oui": True},
    )
    op.create_index(
        "uq_import_lot_contenu",
        "import_lot",
        ["kind", "checksum"],
        unique=True,
        sqlite_where=sa.text("NOT remplace"),
        postgresql_where=sa.text("NOT remplace"),
    )
    if bind.dialect.name == "sqlite":
        _reecrire((COLONNE, AUTO), (CONTRAINTE, ""))
        bind.exec_driver_sql("CREATE TABLE _passnum_sequence (id INTEGER PRIMARY KEY AUTOINCREMENT)")
        bind.exec_driver_sql("DROP TABLE _passnum_sequence")  # sqlite_sequence stays
        bind.exec_driver_sql("DELETE FROM sqlite_sequence WHERE name = 'import_lot'")
        bind.exec_driver_sql(
            "INSERT INTO sqlite_sequence (name, seq) VALUES ('import_lot', ?)", (_plus_grand_numero(bind),)
        )


def _plus_grand_numero(bind) -> int:
    plus_grand = bind.exec_driver_sql("SELECT COALESCE(MAX(id), 0) FROM import_lot").scalar()
    for (cible,) in bind.exec_driver_sql("SELECT cible FROM journal_audit WHERE cible LIKE 'lot n%'"):
        trouve = re.fullmatch(r"lot n° (\d+)", cible or "")
        if trouve:
            plus_grand = max(plus_grand, int(trouve.group(1)))
    return int(plus_grand)


def _reecrire(*remplacements: tuple[str, str]) -> None:
    bind = op.get_bind()
    ecrit = bind.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'import_lot'"
    ).scalar()
    nouveau = re.sub(r"\s+", " ", ecrit)
    for avant, apres in remplacements:
        if avant not in nouveau:
            raise RuntimeError(f"définition inattendue de import_lot : {ecrit}")
        nouveau = nouveau.replace(avant, apres, 1)
    version = bind.exec_driver_sql("PRAGMA schema_version").scalar()
    bind.exec_driver_sql("PRAGMA writable_schema = ON")
    bind.exec_driver_sql(
        "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = 'import_lot'", (nouveau,)
    )
    bind.exec_driver_sql(f"PRAGMA schema_version = {int(version) + 1}")
    bind.exec_driver_sql("PRAGMA writable_schema = OFF")


def downgrade() -> None:
    bind = op.get_bind()
    op.drop_index("uq_import_lot_contenu", table_name="import_lot")
    if bind.dialect.name == "sqlite":
        _reecrire((AUTO, COLONNE), (SUIVANTE, CONTRAINTE + SUIVANTE))
        bind.exec_driver_sql("DELETE FROM sqlite_sequence WHERE name = 'import_lot'")
        bind.exec_driver_sql("ALTER TABLE import_lot DROP COLUMN remplace")
        bind.exec_driver_sql("ALTER TABLE import_lot DROP COLUMN demo")
        return
    op.drop_column("import_lot", "remplace")
    op.drop_column("import_lot", "demo")
