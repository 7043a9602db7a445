"""chat_sessions: the conversations the server issued, each with its channel and owner

Telegram chats were sessions named `tg-<chat id>`; they move to the channel's own namespace,
`telegram:<chat id>`, with their history, state, bookings and drafts, so a Telegram user keeps the
conversation. Sessions the HTTP API made before this revision were never registered: their ids no longer
open anything (a client starts a new conversation), which is the point.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

KEYED_BY_SESSION = ("messages", "conversation_state", "bookings", "pending_actions", "agreement_drafts", "feedback")


def upgrade() -> None:
    op.create_table(
        "chat_sessions",
        sa.Column("id", sa.String(length=128), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("tenant", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    for table in KEYED_BY_SESSION:
        op.execute(f"UPDATE {table} SET session_id = 'telegram:' || substr(session_id, 4) WHERE session_id LIKE 'tg-%'")
    op.execute(
        "INSERT INTO chat_sessions (id, channel, tenant, created_at) "
        "SELECT session_id, 'telegram', substr(session_id, 10), min(created_at) FROM messages "
        "WHERE session_id LIKE 'telegram:%' GROUP BY session_id"
    )


def downgrade() -> None:
    op.drop_table("chat_sessions")
