"""Cases (zaken), saved filters, digest subscriptions; decisions on a network recorded per member

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06

A decision on a network now also writes one row per member ad (`via_network`), so the queue and the
yearly report read the same per-ad decisions. Network decisions made before this revision get their
member rows here, for the ads in the network today (what the report counted until now).
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

STEPS = (
    "open",
    "controle_voorbereiden",
    "in_overleg",
    "doorgezet",
    "terugkoppeling_ontvangen",
    "afgesloten",
)
EVENTS = ("notitie", "overleg", "doorzetting", "terugkoppeling", "opvolging", "stap")


def _user_fk(table: str, column: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], ["user_account.id"], name=op.f(f"fk_{table}_{column}_user_account")
    )


def _case_tables() -> None:
    op.create_table(
        "case_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("zaaknummer", sa.String(length=40), nullable=False),
        sa.Column("municipality", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("step", sa.String(length=32), nullable=False),
        sa.Column("follow_up_on", sa.Date(), nullable=True),
        sa.Column("opened_by", sa.Integer(), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(f"step IN {STEPS!r}", name=op.f("ck_case_file_step")),
        _user_fk("case_file", "opened_by"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_file")),
        sa.UniqueConstraint("zaaknummer", name=op.f("uq_case_file_zaaknummer")),
    )
    op.create_index("ix_case_file_municipality", "case_file", ["municipality"])
    op.create_table(
        "case_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("ad_id", sa.Integer(), nullable=True),
        sa.Column("network_id", sa.String(length=40), nullable=True),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(ad_id IS NULL) <> (network_id IS NULL)", name=op.f("ck_case_item_one_subject")
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_file.id"], name=op.f("fk_case_item_case_id_case_file")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_item")),
        sa.UniqueConstraint("case_id", "ad_id", "network_id", name="uq_case_item_subject"),
    )
    for column in ("case_id", "ad_id", "network_id"):
        op.create_index(f"ix_case_item_{column}", "case_item", [column])
    op.create_table(
        "case_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("partner", sa.String(length=32), nullable=True),
        sa.Column("on_date", sa.Date(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(f"kind IN {EVENTS!r}", name=op.f("ck_case_event_kind")),
        _user_fk("case_event", "actor_id"),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_file.id"], name=op.f("fk_case_event_case_id_case_file")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_event")),
    )
    op.create_index("ix_case_event_case_id", "case_event", ["case_id"])


def _user_tables() -> None:
    op.create_table(
        "saved_filter",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("query", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _user_fk("saved_filter", "user_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_saved_filter")),
    )
    op.create_index("ix_saved_filter_user_id", "saved_filter", ["user_id"])
    op.create_table(
        "digest_subscription",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_sent_at", sa.DateTime(timezone=True), nullable=True),
        _user_fk("digest_subscription", "user_id"),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_digest_subscription")),
    )


def _member_rows_for_network_decisions() -> None:
    op.execute(
        "INSERT INTO decision (municipality, ad_id, network_id, via_network, status, partner, "
        "forwarded_on, reason, actor_id, created_at) "
        "SELECT d.municipality, m.ad_id, NULL, d.network_id, d.status, d.partner, "
        "d.forwarded_on, d.reason, d.actor_id, d.created_at "
        "FROM decision d JOIN network_member m ON m.network_id = d.network_id "
        "WHERE d.network_id IS NOT NULL ORDER BY d.id, m.ad_id"
    )


def upgrade() -> None:
    op.add_column("decision", sa.Column("via_network", sa.String(length=40), nullable=True))
    _member_rows_for_network_decisions()
    _case_tables()
    _user_tables()
    op.create_index(
        "ix_score_network_rules",
        "score",
        ["network_id", "rules_version", "tier", "value", "ad_id"],
    )


def downgrade() -> None:
    op.drop_index("ix_score_network_rules", table_name="score")
    for table in ("digest_subscription", "saved_filter", "case_event", "case_item", "case_file"):
        op.drop_table(table)
    op.execute("DELETE FROM decision WHERE via_network IS NOT NULL")
    with op.batch_alter_table("decision") as batch:
        batch.drop_column("via_network")
