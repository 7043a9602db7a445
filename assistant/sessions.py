"""Conversations as capabilities: the server issues every session id, and each session has one owner.

An HTTP client gets a long random id with its first answer and continues with it; an id the server never
issued, or issued to another API key, opens nothing (`UnknownSession`, a 404 at the API). A channel that
authenticates its users itself (Telegram) keeps each user's conversation in the channel's own namespace,
`telegram:<chat id>`, which the HTTP API never reaches: its sessions must belong to the `api` channel.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker

from assistant.records.models import ChatSession

API_CHANNEL = "api"
#: 32 random bytes: far past guessing, and short enough for a header or a URL.
SESSION_ID_BYTES = 32


class UnknownSession(LookupError):
    """A session id that the server did not issue to this caller."""


@dataclass(frozen=True)
class Owner:
    """Who a conversation belongs to: a channel, and within it an API key's fingerprint or a channel user."""

    channel: str = API_CHANNEL
    tenant: str = ""

    @classmethod
    def of_api_key(cls, key: str | None) -> Owner:
        # A fingerprint, not the key: the database never holds a credential.
        return cls(API_CHANNEL, hashlib.sha256(key.encode()).hexdigest()[:32] if key else "")

    @classmethod
    def of_channel_user(cls, channel: str, user_id: object) -> Owner:
        if channel == API_CHANNEL:
            raise ValueError("the HTTP API's sessions are issued, not named after a user")
        return cls(channel, str(user_id))

    @property
    def issues_ids(self) -> bool:
        """Whether this owner's sessions get random ids (HTTP) rather than the channel user's own."""
        return self.channel == API_CHANNEL

    @property
    def channel_session_id(self) -> str:
        return f"{self.channel}:{self.tenant}"


def new_session_id() -> str:
    return secrets.token_urlsafe(SESSION_ID_BYTES)


class SessionRegistry:
    """The `chat_sessions` table: which sessions exist and whose they are."""

    def __init__(self, sessions: sessionmaker[Session], clock: Callable[[], datetime] | None = None) -> None:
        self.sessions = sessions
        self.clock = clock or (lambda: datetime.now(UTC))

    def owner_of(self, session_id: str) -> Owner | None:
        with self.sessions() as session:
            row = session.get(ChatSession, session_id)
            return Owner(row.channel, row.tenant) if row is not None else None

    def belongs(self, session_id: str, owner: Owner) -> bool:
        return self.owner_of(session_id) == owner

    def check(self, session_id: str, owner: Owner) -> None:
        """Raise `UnknownSession` unless the server issued `session_id` to `owner`."""
        if not self.belongs(session_id, owner):
            raise UnknownSession(session_id)

    def register(self, session: Session, session_id: str, owner: Owner) -> None:
        """Record a session inside the caller's transaction; a second registration of the same id is a no-op."""
        dialect = session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        session.execute(
            insert(ChatSession)
            .values(id=session_id, channel=owner.channel, tenant=owner.tenant, created_at=self.clock())
            .on_conflict_do_nothing(index_elements=["id"])
        )

    def open(self, owner: Owner) -> str:
        """Issue a new session to an HTTP caller before its first turn (when the id must be known first)."""
        session_id = new_session_id()
        with self.sessions.begin() as session:
            self.register(session, session_id, owner)
        return session_id
