"""Evidence: the raw exchange of every capture, and seals (RFC 3161 stamps)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06

Capture rows gain what the WARC request and response records need (method, request headers,
HTTP version, reason phrase, headers as received, the entity as received when it differs from
the decoded body) and the ids of the records written beside the response (request, DOM,
screenshot). Columns are added in place, so the append-only triggers of migration 0004 stay.
The `seal` table keeps the RFC 3161 timestamps of chain heads and finished crawl WARC files.
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

CAPTURE_COLUMNS = [
    ("method", sa.String(length=16)),
    ("request_headers", sa.JSON()),
    ("request_body_sha256", sa.String(length=71)),
    ("http_version", sa.String(length=16)),
    ("reason", sa.String(length=200)),
    ("header_list", sa.JSON()),
    ("wire_sha256", sa.String(length=71)),
    ("content_decoded", sa.Boolean()),
    ("ip_address", sa.String(length=64)),
    ("dom_sha256", sa.String(length=71)),
    ("request_record_id", sa.String(length=64)),
    ("dom_record_id", sa.String(length=64)),
    ("screenshot_record_id", sa.String(length=64)),
]


def upgrade() -> None:
    for name, type_ in CAPTURE_COLUMNS:
        op.add_column("capture", sa.Column(name, type_, nullable=True))
    op.create_table(
        "seal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("digest", sa.String(length=71), nullable=False),
        sa.Column("tsa_url", sa.Text(), nullable=False),
        sa.Column("token", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_seal")),
    )


def downgrade() -> None:
    op.drop_table("seal")
    for name, _ in reversed(CAPTURE_COLUMNS):
        op.drop_column("capture", name)
