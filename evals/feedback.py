"""Draft eval cases from thumbs-down feedback, for a person to review and complete."""

from __future__ import annotations

from typing import Any

import yaml


def draft_suite(records: list[dict[str, Any]]) -> tuple[str, int]:
    """A suite YAML with one `qa` case per thumbs-down record; expectations are left as TODO comments."""
    cases = []
    for i, record in enumerate(r for r in records if str(r.get("rating", "")).lower() in ("down", "-1", "0")):
        message = str(record.get("message") or record.get("question") or "").strip()
        if not message:
            continue
        cases.append(
            {
                "id": f"feedback-{i + 1:03d}",
                "kind": "qa",
                "tags": [str(record.get("role") or "student"), "from-feedback"],
                "input": message,
                # What the assistant said and what the user wrote, so the reviewer can set expectations.
                "sources": [],
                "must_include": [],
                "notes": {"answer_was": record.get("answer", ""), "user_comment": record.get("comment", "")},
            }
        )
    header = (
        "# Draft cases from thumbs-down feedback. Review each one: set `sources` and `must_include` (or\n"
        "# `refuse: true`), delete `notes`, then move the cases into a suite under evals/suites/.\n"
    )
    suite = {
        "suite": "feedback-drafts",
        "description": "Drafts from user feedback; not run until reviewed.",
        "cases": cases,
    }
    return header + yaml.safe_dump(suite, allow_unicode=True, sort_keys=False, width=110), len(cases)
