"""Drafting as a service: values in, a stored draft (Markdown and .docx) or the essentials still missing out."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import asdict
from datetime import date, datetime
from typing import Any

from assistant.agreements.docx_writer import to_docx
from assistant.agreements.drafting import SectionLookup, make_draft
from assistant.agreements.store import DraftStore, summary
from assistant.agreements.templates import AgreementTemplate, templates
from assistant.agreements.values import parse_values
from assistant.records.models import AgreementDraft
from assistant.records.queries import LOCAL_TZ


class AgreementService:
    def __init__(self, lookup: SectionLookup, store: DraftStore, clock: Callable[[], datetime]) -> None:
        self.lookup = lookup
        self.store = store
        self.clock = clock

    def today(self) -> date:
        """Today on the Shanghai clock: what a draft is dated and relative dates count from."""
        return self.clock().astimezone(LOCAL_TZ).date()

    @staticmethod
    def template(kind: str) -> AgreementTemplate:
        return templates()[kind]

    def draft(
        self,
        kind: str,
        raw_values: dict[str, object],
        language: str,
        session_id: str,
        allow_placeholders: bool = False,
    ) -> dict[str, Any]:
        """`{"status": "needs", "missing": [...]}` or `{"status": "drafted", "document", "markdown", "citations"}`.

        Raises `ValueProblem` for a value that does not fit its field.
        """
        template = self.template(kind)
        today = self.today()
        values = parse_values(template, raw_values, language, today)
        missing = [f for f in template.required if f.name not in values]
        if missing and not allow_placeholders:
            return {
                "status": "needs",
                "kind": kind,
                "values": values,
                "missing": [
                    {"name": f.name, "label": f.label[language], "question": f.question[language]} for f in missing
                ],
            }
        draft = make_draft(template, values, language, self.lookup, today, allow_placeholders=True)
        row = self.store.save(draft, session_id)
        return {
            "status": "drafted",
            "kind": kind,
            "document": summary(row),
            "markdown": row.markdown,
            "citations": [asdict(c) for c in draft.citations],
            "placeholders": draft.placeholders,
            "sources": [
                {"doc_id": c.doc_id, "section": c.section, "chunk_id": c.chunk_id, "text": c.text}
                for c in draft.sources
            ],
        }

    def docx(self, draft_id: str) -> tuple[str, bytes] | None:
        """(file name, bytes) of a stored draft, or None when there is no such draft."""
        row = self.store.get(draft_id)
        return self.docx_of(row) if row is not None else None

    @staticmethod
    def docx_of(row: AgreementDraft) -> tuple[str, bytes]:
        """(file name, bytes) of a draft already read."""
        name = re.sub(r"[^A-Za-z0-9]+", "-", f"{row.kind}-{row.created_at:%Y%m%d}").strip("-")
        return f"{name}-{row.id[:8]}.docx", to_docx(row.title, row.language, row.body)
