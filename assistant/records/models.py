"""Tables of the cooperation records, bookings and conversation state (SQLAlchemy 2 declarative)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, Date, DateTime, Float, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes stored as naive UTC: SQLite keeps no offset, so both engines store the same thing."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("datetimes must carry a UTC offset")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return value.replace(tzinfo=UTC) if value is not None else None


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON}  # noqa: RUF012 (SQLAlchemy reads this class attribute)


class TrainingOffer(Base):
    __tablename__ = "training_offers"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(32), index=True)
    enterprise: Mapped[str | None] = mapped_column(String(200))  # None: a course a school runs alone
    school: Mapped[str] = mapped_column(String(200))
    field: Mapped[str] = mapped_column(String(100), index=True)
    region: Mapped[str] = mapped_column(String(100), index=True)
    start_date: Mapped[date] = mapped_column(Date)
    duration_months: Mapped[int] = mapped_column(Integer)
    places: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), index=True)
    occupation: Mapped[str | None] = mapped_column(String(200))
    level: Mapped[str | None] = mapped_column(String(50))
    wage_cny_month: Mapped[int | None] = mapped_column(Integer)
    subsidy: Mapped[str | None] = mapped_column(Text)
    requirements: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    contact: Mapped[str | None] = mapped_column(String(200))
    attributes: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Platform(Base):
    __tablename__ = "platforms"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(32), index=True)
    host: Mapped[str] = mapped_column(String(200))
    field: Mapped[str] = mapped_column(String(100), index=True)
    services: Mapped[str] = mapped_column(Text)
    region: Mapped[str] = mapped_column(String(100), index=True)
    status: Mapped[str] = mapped_column(String(16), index=True)
    partners: Mapped[str | None] = mapped_column(Text)
    level: Mapped[str | None] = mapped_column(String(50))
    equipment: Mapped[str | None] = mapped_column(Text)
    booking_info: Mapped[str | None] = mapped_column(Text)
    fee_policy: Mapped[str | None] = mapped_column(Text)
    patent_number: Mapped[str | None] = mapped_column(String(100))
    patent_type: Mapped[str | None] = mapped_column(String(50))
    deal_mode: Mapped[str | None] = mapped_column(String(50))
    price_info: Mapped[str | None] = mapped_column(Text)
    contact: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    attributes: Mapped[dict[str, Any]] = mapped_column(default=dict)


class ConsultationSlot(Base):
    __tablename__ = "consultation_slots"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    expert: Mapped[str] = mapped_column(String(200))
    organisation: Mapped[str] = mapped_column(String(200))
    field: Mapped[str] = mapped_column(String(100), index=True)
    topics: Mapped[str] = mapped_column(Text)
    start: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    duration_min: Mapped[int] = mapped_column(Integer)
    mode: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), index=True)
    title: Mapped[str | None] = mapped_column(String(200))
    location: Mapped[str | None] = mapped_column(Text)
    attributes: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Booking(Base):
    __tablename__ = "bookings"
    # At most one active booking per slot, enforced by the database whatever the application does.
    __table_args__ = (
        Index(
            "uq_bookings_active_slot",
            "slot_id",
            unique=True,
            sqlite_where=text("status = 'confirmed'"),
            postgresql_where=text("status = 'confirmed'"),
        ),
    )

    ref: Mapped[str] = mapped_column(String(32), primary_key=True)
    slot_id: Mapped[str] = mapped_column(ForeignKey("consultation_slots.id"))
    name: Mapped[str] = mapped_column(String(200))
    contact: Mapped[str] = mapped_column(String(200), index=True)
    # Who may see and cancel the booking: the session it was made in, or whoever holds its cancellation code.
    session_id: Mapped[str | None] = mapped_column(String(128), index=True)
    cancel_code: Mapped[str | None] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))  # confirmed | cancelled
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class PendingAction(Base):
    """A side effect proposed to the user and waiting for an explicit confirmation."""

    __tablename__ = "pending_actions"

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # booking | cancellation
    session_id: Mapped[str | None] = mapped_column(String(128), index=True)
    payload: Mapped[dict[str, Any]] = mapped_column()
    summary: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))  # pending | done | failed | dismissed
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ChatSession(Base):
    """A conversation the server opened: its id is the only handle on it, and it has one owner.

    `channel` keeps the namespaces apart (an HTTP API session is never a Telegram chat's); `tenant` is the
    API key's fingerprint for HTTP sessions (empty without keys) and the channel's own user id otherwise.
    """

    __tablename__ = "chat_sessions"

    id: Mapped[str] = mapped_column(String(128), primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    tenant: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ConversationState(Base):
    """What a session's follow-ups refer to: the last results shown, the user's name and contact."""

    __tablename__ = "conversation_state"

    session_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    data: Mapped[dict[str, Any]] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    #: Raised by one on every write; a write names the version it read (optimistic concurrency).
    version: Mapped[int] = mapped_column(Integer, server_default="1")


class Message(Base):
    """One turn of a conversation, kept so follow-ups can be read in context and feedback can point at it."""

    __tablename__ = "messages"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    session_id: Mapped[str] = mapped_column(String(128), index=True)
    role: Mapped[str] = mapped_column(String(16))  # user | assistant
    content: Mapped[str] = mapped_column(Text)
    meta: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class Feedback(Base):
    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    session_id: Mapped[str] = mapped_column(String(128), index=True)
    message_id: Mapped[str | None] = mapped_column(String(32))
    rating: Mapped[str] = mapped_column(String(8))  # up | down
    comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class AgreementDraft(Base):
    """A drafted cooperation agreement: the values given and the rendered draft, clauses and citations."""

    __tablename__ = "agreement_drafts"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    session_id: Mapped[str] = mapped_column(String(128), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    language: Mapped[str] = mapped_column(String(4))
    title: Mapped[str] = mapped_column(String(200))
    values: Mapped[dict[str, Any]] = mapped_column(default=dict)
    #: The draft as rendered: {"clauses": [...], "citations": [...], "placeholders": [...]}.
    body: Mapped[dict[str, Any]] = mapped_column(default=dict)
    markdown: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class RateLimitBucket(Base):
    """One client's request budget (GCRA), shared by every API worker through the database.

    `arrival` is the bucket's theoretical arrival time in epoch seconds: each accepted request moves it one
    emission interval (window / limit) later, and a request is refused while it would sit more than one
    window ahead of now.
    """

    __tablename__ = "rate_limit_buckets"

    key: Mapped[str] = mapped_column(String(160), primary_key=True)
    arrival: Mapped[float] = mapped_column(Float(precision=53))
