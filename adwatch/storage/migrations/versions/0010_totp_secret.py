"""TOTP secrets are stored encrypted: the column grows to hold a Fernet token

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06

Issue 16, finding 4. The secrets already stored are encrypted by `adwatch init` right after the
migrations (it has the instance's ADWATCH_SECRET_KEY); until then they are read as they are.
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("user_account") as batch:
        batch.alter_column(
            "totp_secret", existing_type=sa.String(length=64), type_=sa.String(length=255)
        )


def downgrade() -> None:
    with op.batch_alter_table("user_account") as batch:
        batch.alter_column(
            "totp_secret", existing_type=sa.String(length=255), type_=sa.String(length=64)
        )
