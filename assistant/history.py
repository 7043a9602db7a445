"""Conversation history and feedback in the database, and the follow-up rewriting that reads it."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from assistant.records.models import Feedback, Message
from assistant.redaction import mask_contacts
from assistant.sessions import Owner, SessionRegistry
from assistant.text import detect_language, search_tokens

_FOLLOW_UP_EN = re.compile(
    r"^\s*(what about|how about|and|also|what if|for|in|same for|then)\b|\b(it|its|they|them|that|this|those|these)\b",
    re.IGNORECASE,
)
_FOLLOW_UP_ZH = re.compile(r"^\s*(那|那么|还有|如果是|对于|那对)|呢[？?]?\s*$|它|这个|那个|这些|那些")


class History:
    def __init__(self, sessions: sessionmaker[Session], clock: Callable[[], datetime] | None = None) -> None:
        self.sessions = sessions
        self.clock = clock or (lambda: datetime.now(UTC))
        self.registry = SessionRegistry(sessions, self.clock)

    def add_turn(
        self,
        session_id: str,
        question: str,
        question_meta: dict[str, Any],
        answer: str,
        answer_meta: dict[str, Any],
        new_for: Owner | None = None,
    ) -> str:
        """A question and its answer in one transaction; returns the answer's message id.

        `new_for` registers the session to its owner in the same transaction: a session exists from its
        first stored turn, never half.
        """
        asked = self.clock()
        # `recent` orders by time: the answer must come after its question even on a coarse clock.
        answered = max(self.clock(), asked + timedelta(microseconds=1))
        answer_id = uuid.uuid4().hex
        with self.sessions.begin() as session:
            if new_for is not None:
                self.registry.register(session, session_id, new_for)
            session.add_all(
                [
                    Message(
                        id=uuid.uuid4().hex,
                        session_id=session_id,
                        role="user",
                        content=question,
                        meta=question_meta,
                        created_at=asked,
                    ),
                    Message(
                        id=answer_id,
                        session_id=session_id,
                        role="assistant",
                        content=answer,
                        meta=answer_meta,
                        created_at=answered,
                    ),
                ]
            )
        return answer_id

    def recent(self, session_id: str, limit: int = 6) -> list[Message]:
        """The last messages of a session, oldest first."""
        with self.sessions() as session:
            rows = session.scalars(
                select(Message).where(Message.session_id == session_id).order_by(Message.created_at.desc()).limit(limit)
            ).all()
        return list(reversed(rows))

    def has_message(self, session_id: str, message_id: str) -> bool:
        with self.sessions() as session:
            row = session.get(Message, message_id)
            return row is not None and row.session_id == session_id

    def add_feedback(self, session_id: str, message_id: str | None, rating: str, comment: str | None) -> int:
        with self.sessions.begin() as session:
            row = Feedback(
                session_id=session_id, message_id=message_id, rating=rating, comment=comment, created_at=self.clock()
            )
            session.add(row)
            session.flush()
            return int(row.id)

    def feedback(self, limit: int = 200) -> list[dict[str, Any]]:
        """Recent feedback with the question and answer it is about (for administrators)."""
        with self.sessions() as session:
            rows = session.scalars(select(Feedback).order_by(Feedback.created_at.desc()).limit(limit)).all()
            result = []
            for row in rows:
                answer = session.get(Message, row.message_id) if row.message_id else None
                question = (
                    session.scalars(
                        select(Message)
                        .where(
                            Message.session_id == row.session_id,
                            Message.role == "user",
                            Message.created_at <= answer.created_at,
                        )
                        .order_by(Message.created_at.desc())
                        .limit(1)
                    ).first()
                    if answer
                    else None
                )
                result.append(
                    {
                        "id": row.id,
                        "session_id": row.session_id,
                        "message_id": row.message_id,
                        "rating": row.rating,
                        # An administrator reads what people asked, not how to reach them.
                        "comment": mask_contacts(row.comment) if row.comment else row.comment,
                        "created_at": row.created_at.isoformat(),
                        "message": mask_contacts(question.content) if question else None,
                        "answer": mask_contacts(answer.content) if answer else None,
                    }
                )
            return result


def is_follow_up(message: str) -> bool:
    """A short message that leans on the previous question ("what about for enterprises?", "那企业呢？")."""
    if detect_language(message) == "zh":
        return len(message) <= 16 and bool(_FOLLOW_UP_ZH.search(message))
    return len(search_tokens(message)) <= 5 and bool(_FOLLOW_UP_EN.search(message))


def rewrite(message: str, previous_questions: list[str]) -> str:
    """The message made self-contained for retrieval, using the last question when it is a follow-up."""
    if not previous_questions or not is_follow_up(message):
        return message
    return f"{previous_questions[-1]} {message}"
