"""The records facade the tools use: searches, actions and conversation state over one database."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from assistant.records import actions, queries
from assistant.records.importer import ImportReport, import_file
from assistant.records.models import ConsultationSlot, ConversationState, PendingAction, Platform, TrainingOffer
from assistant.records.semantic import RecordVectors

Clock = Callable[[], datetime]
TEXT_OF = {TrainingOffer: queries.offer_text, Platform: queries.platform_text, ConsultationSlot: queries.slot_text}
# How stale the router's vocabulary may be after another worker's import; an import in this process
# refreshes it at once.
VOCABULARY_TTL_S = 30.0


class RecordsService:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        vectors: RecordVectors,
        clock: Clock | None = None,
        confirmation_ttl: timedelta = actions.DEFAULT_TTL,
    ) -> None:
        self.sessions = sessions
        self.vectors = vectors
        self.clock: Clock = clock or (lambda: datetime.now(UTC))
        self.confirmation_ttl = confirmation_ttl
        # (read at, imports seen, vocabulary); `_imports` counts this process's imports, so a read that
        # raced an import is never kept.
        self._vocabulary: tuple[float, int, dict[str, list[str]]] | None = None
        self._imports = 0

    # -- data ------------------------------------------------------------------------------------

    def import_file(self, path: Path, kind: str | None = None) -> ImportReport:
        report = import_file(path, self.sessions, kind)
        self._imports += 1
        if report.ok:
            self.index()
        return report

    def index(self) -> int:
        """Embed the descriptive texts of every record not embedded yet (cheap when nothing changed)."""
        return self.vectors.ensure(self.texts())

    def texts(self) -> list[str]:
        """Every text a record is searched by: its English description and, where it has them, its Chinese."""
        texts: list[str] = []
        with self.sessions() as session:
            for table, text_of in TEXT_OF.items():
                for row in session.scalars(select(table)):
                    texts.extend(text for text in (text_of(row), queries.chinese_text(row)) if text)
        return texts

    def vocabulary(self) -> dict[str, Any]:
        """Distinct regions, fields and experts, and every record id with its family: what a message can name.

        Read once per `VOCABULARY_TTL_S` rather than on every message; an import here drops the copy.
        """
        cached, imports = self._vocabulary, self._imports
        if cached is not None and cached[1] == imports and time.monotonic() - cached[0] < VOCABULARY_TTL_S:
            return cached[2]
        vocabulary = self._read_vocabulary()
        self._vocabulary = (time.monotonic(), imports, vocabulary)
        return vocabulary

    def _read_vocabulary(self) -> dict[str, Any]:
        with self.sessions() as session:
            regions = {r for (r,) in session.execute(select(TrainingOffer.region).distinct())}
            regions |= {r for (r,) in session.execute(select(Platform.region).distinct())}
            fields = {f for (f,) in session.execute(select(TrainingOffer.field).distinct())}
            fields |= {f for (f,) in session.execute(select(Platform.field).distinct())}
            fields |= {f for (f,) in session.execute(select(ConsultationSlot.field).distinct())}
            experts = {e for (e,) in session.execute(select(ConsultationSlot.expert).distinct())}
            ids = {i: "offers" for (i,) in session.execute(select(TrainingOffer.id))}
            ids |= {i: "platforms" for (i,) in session.execute(select(Platform.id))}
            ids |= {i: "slots" for (i,) in session.execute(select(ConsultationSlot.id))}
        return {"regions": sorted(regions), "fields": sorted(fields), "experts": sorted(experts), "ids": ids}

    def database_problem(self) -> str | None:
        """Why the database does not answer a trivial query, or None when it does (for health checks)."""
        try:
            with self.sessions() as session:
                session.execute(select(1))
        except SQLAlchemyError as exc:
            return str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        return None

    # -- searches --------------------------------------------------------------------------------

    def search_offers(self, **filters: Any) -> queries.Page:
        with self.sessions() as session:
            return queries.search_offers(session, self.vectors, **filters)

    def search_platforms(self, **filters: Any) -> queries.Page:
        with self.sessions() as session:
            return queries.search_platforms(session, self.vectors, **filters)

    def list_slots(self, **filters: Any) -> queries.Page:
        with self.sessions() as session:
            return queries.list_slots(session, self.vectors, now=self.clock(), **filters)

    # -- actions ---------------------------------------------------------------------------------

    def propose_booking(self, session_id: str | None, slot_id: str, name: str, contact: str) -> Any:
        return actions.propose_booking(self.sessions, self.clock(), session_id, slot_id, name.strip(), contact.strip())

    def propose_cancellation(self, session_id: str | None, booking_ref: str, code: str | None = None) -> Any:
        return actions.propose_cancellation(self.sessions, self.clock(), session_id, booking_ref, code)

    def confirm(self, token: str) -> actions.Outcome:
        return actions.confirm(self.sessions, token, self.clock(), self.confirmation_ttl)

    def dismiss(self, token: str) -> bool:
        return actions.dismiss(self.sessions, token)

    def action_session(self, token: str) -> tuple[bool, str | None]:
        """Whether a pending action exists, and the session it was proposed in."""
        with self.sessions() as session:
            action = session.get(PendingAction, token)
            return (action is not None, action.session_id if action is not None else None)

    def outcome(self, token: str) -> dict[str, Any] | None:
        """How a pending action ended, or None while it waits (confirmations may come from any channel)."""
        with self.sessions() as session:
            action = session.get(PendingAction, token)
            return dict(action.result) if action is not None and action.result is not None else None

    def bookings_in(self, session_id: str | None) -> list[dict[str, Any]]:
        return actions.bookings_in(self.sessions, session_id)

    # -- conversation state ----------------------------------------------------------------------

    def state(self, session_id: str) -> dict[str, Any]:
        return self.versioned_state(session_id)[0]

    def versioned_state(self, session_id: str) -> tuple[dict[str, Any], int]:
        """The session's state and its version (0: none saved yet), for `save_state`."""
        with self.sessions() as session:
            row = session.get(ConversationState, session_id)
            return (dict(row.data), row.version) if row else ({}, 0)

    def save_state(self, session_id: str, data: dict[str, Any], read_version: int) -> bool:
        """Write the state if it is still at the version it was read at; False when another turn of the
        session wrote it meanwhile (nothing is written then: the caller reads again and decides)."""
        try:
            with self.sessions.begin() as session:
                if read_version == 0:
                    session.add(ConversationState(session_id=session_id, data=data, updated_at=self.clock()))
                    return True
                written = session.execute(
                    update(ConversationState)
                    .where(ConversationState.session_id == session_id, ConversationState.version == read_version)
                    .values(data=data, version=read_version + 1, updated_at=self.clock())
                )
                return written.rowcount == 1
        except IntegrityError:
            return False  # the first state of the session, written by another turn first
