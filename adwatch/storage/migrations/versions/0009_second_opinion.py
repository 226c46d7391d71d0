"""Second opinion: the trained model's hash and provenance, and its view per ad version

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06

Two new tables, nothing changed in place. `second_opinion` rows cascade with their ad and ad
version, so purge and erasure remove them without knowing the table.
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "opinion_model",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=80), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("provenance", sa.JSON(), nullable=False),
        sa.Column("trained_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_opinion_model")),
    )
    op.create_table(
        "second_opinion",
        sa.Column("ad_version_id", sa.Integer(), nullable=False),
        sa.Column("ad_id", sa.Integer(), nullable=False),
        sa.Column("model_sha256", sa.String(length=80), nullable=False),
        sa.Column("rules_version", sa.String(length=80), nullable=False),
        sa.Column("rules_tier", sa.String(length=8), nullable=False),
        sa.Column("probability", sa.Float(), nullable=False),
        sa.Column("disagrees", sa.Boolean(), nullable=False),
        sa.Column("words", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["ad_id"],
            ["ad.id"],
            name=op.f("fk_second_opinion_ad_id_ad"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["ad_version_id"],
            ["ad_version.id"],
            name=op.f("fk_second_opinion_ad_version_id_ad_version"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("ad_version_id", name=op.f("pk_second_opinion")),
    )
    op.create_index(op.f("ix_second_opinion_ad_id"), "second_opinion", ["ad_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_second_opinion_ad_id"), table_name="second_opinion")
    op.drop_table("second_opinion")
    op.drop_table("opinion_model")
