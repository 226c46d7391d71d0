"""capture.ad_id: the ad each capture belongs to

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28

A plain column and an index, added in place: on SQLite a foreign key could only be added by
rebuilding the table, which would drop the append-only triggers of migration 0004. Older rows
keep an empty ad_id; evidence selection falls back to the order they were written in.
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("capture", sa.Column("ad_id", sa.Integer(), nullable=True))
    op.create_index("ix_capture_ad_id", "capture", ["ad_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_capture_ad_id", table_name="capture")
    op.drop_column("capture", "ad_id")
