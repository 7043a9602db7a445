"""What the reliability tests read from a container's database: open slots, bookings and pending actions."""

from __future__ import annotations

from sqlalchemy import func, select

from assistant.api.deps import Container
from assistant.records.models import Booking, ConsultationSlot, PendingAction


def open_slot_ids(container: Container, count: int) -> list[str]:
    """Open slots, latest first: other tests book from the start of the list."""
    with container.records.sessions() as session:
        query = (
            select(ConsultationSlot.id)
            .where(ConsultationSlot.status == "open")
            .order_by(ConsultationSlot.start.desc(), ConsultationSlot.id.desc())
            .limit(count)
        )
        return list(session.scalars(query))


def bookings(container: Container, status: str = "confirmed") -> int:
    with container.records.sessions() as session:
        return session.scalar(select(func.count()).select_from(Booking).where(Booking.status == status)) or 0


def actions(container: Container, status: str) -> int:
    with container.records.sessions() as session:
        query = select(func.count()).select_from(PendingAction).where(PendingAction.status == status)
        return session.scalar(query) or 0


def message_of(response) -> str:  # type: ignore[no-untyped-def]
    """The sentence a 4xx gives: `error` (the app's shape) or `detail` (FastAPI's HTTPException)."""
    body = response.json()
    text = body.get("error") or body.get("detail") or body.get("summary")
    return text if isinstance(text, str) else ""
