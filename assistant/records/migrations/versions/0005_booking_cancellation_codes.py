"""bookings: a cancellation code, and an index on the session they were made in

Bookings made before this revision have no code: they can be cancelled from the session they were made in
(or by an administrator), not from another one.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("bookings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cancel_code", sa.String(length=16), nullable=True))
        batch_op.create_index(batch_op.f("ix_bookings_session_id"), ["session_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("bookings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bookings_session_id"))
        batch_op.drop_column("cancel_code")
