"""Second opinion: which head disagrees, and the minor-cue head's probability

Revision ID: 0013_opinion4_minor_head
Revises: 0012
Create Date: 2026-12-07

The second opinion gained a head for minor cues ("tweede mening: mogelijk minderjarig"). Each
`second_opinion` row says which head disagrees with the rules (`reason`: `minor_cue` or
`worth_reading`, empty when none does) and keeps the minor head's probability. Rows written
before have neither and are read as `worth_reading`; a model file trained before is refused
(its format changed) until `adwatch opinion train` is run again.
"""

import sqlalchemy as sa
from alembic import op

revision = "0013_opinion4_minor_head"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("second_opinion", sa.Column("minor_probability", sa.Float(), nullable=True))
    op.add_column("second_opinion", sa.Column("reason", sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("second_opinion") as batch_op:
        batch_op.drop_column("reason")
        batch_op.drop_column("minor_probability")
