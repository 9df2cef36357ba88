"""Import des lieux de médiation numérique : le journal des imports accepte le type `lieux`

La contrainte `ck_import_lot_kind` de 0001 ne connaissait que les cinq fichiers du programme ; la table
`lieu` (0006) se remplit par `passnum import lieux`, qui écrit son lot dans `import_lot` comme les autres.

PostgreSQL remplace la contrainte. SQLite ne sait pas modifier une contrainte CHECK, et recopier
`import_lot` (le mode « batch ») la supprimerait alors que `porteur`, `convention`, `commande`,
`syndicat` et `lieu` la référencent (clés étrangères actives, non désactivables dans la transaction de
la migration) : la condition est réécrite dans le schéma, par la procédure que la documentation de
SQLite donne pour élargir une contrainte sans toucher aux données (writable_schema, schema_version).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 09:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

KINDS = "'laureats', 'syndicats', 'commandes', 'distributions', 'utilisations'"
AVANT = f"kind IN ({KINDS})"
APRES = f"kind IN ({KINDS}, 'lieux')"


def _remplacer(ancienne: str, nouvelle: str) -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        op.drop_constraint(op.f("ck_import_lot_kind"), "import_lot", type_="check")
        op.create_check_constraint(op.f("ck_import_lot_kind"), "import_lot", nouvelle)
        return
    sql = bind.exec_driver_sql("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'import_lot'")
    ecrit = sql.scalar()
    if ancienne not in ecrit:
        raise RuntimeError(f"contrainte ck_import_lot_kind inattendue dans : {ecrit}")
    version = bind.exec_driver_sql("PRAGMA schema_version").scalar()
    bind.exec_driver_sql("PRAGMA writable_schema = ON")
    bind.exec_driver_sql(
        "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = 'import_lot'",
        (ecrit.replace(ancienne, nouvelle),),
    )
    bind.exec_driver_sql(f"PRAGMA schema_version = {int(version) + 1}")
    bind.exec_driver_sql("PRAGMA writable_schema = OFF")


def upgrade() -> None:
    _remplacer(AVANT, APRES)


def downgrade() -> None:
    op.execute("DELETE FROM lieu")  # their lots cannot be described by the narrower constraint
    op.execute("DELETE FROM import_lot WHERE kind = 'lieux'")
    _remplacer(APRES, AVANT)
