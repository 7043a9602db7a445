"""Drafts kept per session in the records database, for download and listing."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from assistant.agreements.drafting import Draft, to_markdown
from assistant.records.models import AgreementDraft


class DraftStore:
    def __init__(self, sessions: sessionmaker[Session], clock: Callable[[], datetime] | None = None) -> None:
        self.sessions = sessions
        self.clock = clock or (lambda: datetime.now(UTC))

    def save(self, draft: Draft, session_id: str) -> AgreementDraft:
        row = AgreementDraft(
            id=secrets.token_hex(16),  # 128 random bits: the download link is a capability
            session_id=session_id,
            kind=draft.kind,
            language=draft.language,
            title=draft.title,
            values=draft.values,
            body=draft.body(),
            markdown=to_markdown(draft),
            created_at=self.clock(),
        )
        with self.sessions.begin() as session:
            session.add(row)
        return row

    def get(self, draft_id: str) -> AgreementDraft | None:
        with self.sessions() as session:
            return session.get(AgreementDraft, draft_id)

    def for_session(self, session_id: str) -> list[dict[str, Any]]:
        """The session's drafts, newest first, without their bodies."""
        with self.sessions() as session:
            rows = session.scalars(
                select(AgreementDraft)
                .where(AgreementDraft.session_id == session_id)
                .order_by(AgreementDraft.created_at.desc())
            ).all()
        return [summary(row) for row in rows]


def summary(row: AgreementDraft) -> dict[str, Any]:
    return {
        "id": row.id,
        "kind": row.kind,
        "title": row.title,
        "language": row.language,
        "created_at": row.created_at.isoformat(),
        "placeholders": row.body.get("placeholders", []),
        "download_url": f"/v1/documents/{row.id}",
    }
