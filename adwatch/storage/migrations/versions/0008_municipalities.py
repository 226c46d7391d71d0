"""Municipalities: every ad, decision, note and evidence pack belongs to one; user grants

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-28

Rows written before this revision belong to the municipality the installation was set up for,
which `adwatch init` passes in (`municipality` attribute). The ad table is rebuilt on SQLite to
swap its unique key (source, ad id) for (municipality, source, ad id); it carries no append-only
trigger. The other tables get the column in place (evidence_pack keeps its append-only triggers;
its rows are filled in through the purge gate).
"""

import sqlalchemy as sa
from alembic import context, op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

OWNED = ("ad", "decision", "note", "evidence_pack")


def _existing_municipality() -> str | None:
    code = context.config.attributes.get("municipality")
    connection = op.get_bind()
    has_rows = any(
        connection.execute(sa.text(f"SELECT 1 FROM {table} LIMIT 1")).first() for table in OWNED
    )
    if has_rows and not code:
        raise RuntimeError(
            "migration 0008 needs the municipality the stored ads belong to; run `adwatch init` "
            "with exactly one municipality configured (config/locations.yaml)"
        )
    return code


def _fill(table: str, code: str) -> None:
    op.execute(sa.text(f"UPDATE {table} SET municipality = :code").bindparams(code=code))


def upgrade() -> None:
    code = _existing_municipality()
    for table in OWNED:
        # NOT NULL with an empty default is what SQLite can add in place; every row gets its
        # code below, new rows from the code, and '' matches no user's grant (fail closed).
        column = sa.Column("municipality", sa.String(length=40), nullable=False, server_default="")
        op.add_column(table, column)
    if code:
        for table in ("ad", "decision", "note"):
            _fill(table, code)
        op.execute("INSERT INTO purge_gate (name) VALUES ('open')")
        _fill("evidence_pack", code)
        op.execute("DELETE FROM purge_gate WHERE name = 'open'")
    with op.batch_alter_table("ad") as batch:
        batch.drop_constraint("uq_ad_source_id", type_="unique")
        batch.create_unique_constraint(
            "uq_ad_scope", ["municipality", "source_id", "source_ad_id"]
        )
    for table in OWNED:
        op.create_index(f"ix_{table}_municipality", table, ["municipality"], unique=False)
        if op.get_bind().dialect.name == "postgresql":
            op.alter_column(table, "municipality", server_default=None)
    op.create_table(
        "user_grant",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("municipality", sa.String(length=40), nullable=False),
        sa.Column("granted_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_user_grant_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("user_id", "municipality", name=op.f("pk_user_grant")),
    )
    if code:
        op.execute(
            sa.text(
                "INSERT INTO user_grant (user_id, municipality, granted_at) "
                "SELECT id, :code, CURRENT_TIMESTAMP FROM user_account WHERE role != 'admin'"
            ).bindparams(code=code)
        )


def downgrade() -> None:
    op.drop_table("user_grant")
    op.drop_index("ix_evidence_pack_municipality", table_name="evidence_pack")
    for table in OWNED:
        op.drop_index(f"ix_{table}_municipality", table_name=table)
    with op.batch_alter_table("ad") as batch:
        batch.drop_constraint("uq_ad_scope", type_="unique")
        batch.create_unique_constraint("uq_ad_source_id", ["source_id", "source_ad_id"])
        batch.drop_column("municipality")
    for table in ("decision", "note", "evidence_pack"):
        # On SQLite this rebuilds the table; evidence_pack's append-only triggers would go with
        # it, so a downgrade is for development databases only.
        with op.batch_alter_table(table) as batch:
            batch.drop_column("municipality")
