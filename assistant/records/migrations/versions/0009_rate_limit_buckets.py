"""rate limits as one bucket per key (GCRA), replacing per-minute counters

Fixed one-minute windows let a client send twice the limit across a minute boundary (and made a burst's
outcome depend on when it started); a bucket keeps one "theoretical arrival time" per key instead.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_table("rate_limit_hits")
    op.create_table(
        "rate_limit_buckets",
        sa.Column("key", sa.String(length=160), nullable=False),
        sa.Column("arrival", sa.Float(precision=53), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )


def downgrade() -> None:
    op.drop_table("rate_limit_buckets")
    op.create_table(
        "rate_limit_hits",
        sa.Column("key", sa.String(length=160), nullable=False),
        sa.Column("window", sa.Integer(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key", "window"),
    )
