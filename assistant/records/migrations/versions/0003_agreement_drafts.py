"""agreement drafts

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "agreement_drafts",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("session_id", sa.String(length=128), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("language", sa.String(length=4), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("values", sa.JSON(), nullable=False),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("markdown", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("agreement_drafts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_agreement_drafts_session_id"), ["session_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_agreement_drafts_created_at"), ["created_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("agreement_drafts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agreement_drafts_created_at"))
        batch_op.drop_index(batch_op.f("ix_agreement_drafts_session_id"))
    op.drop_table("agreement_drafts")
