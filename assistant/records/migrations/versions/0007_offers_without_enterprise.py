"""training_offers.enterprise may be empty: a community course run by a school alone has no enterprise

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("training_offers", schema=None) as batch_op:
        batch_op.alter_column("enterprise", existing_type=sa.String(length=200), nullable=True)


def downgrade() -> None:
    op.execute("UPDATE training_offers SET enterprise = '' WHERE enterprise IS NULL")
    with op.batch_alter_table("training_offers", schema=None) as batch_op:
        batch_op.alter_column("enterprise", existing_type=sa.String(length=200), nullable=False)
