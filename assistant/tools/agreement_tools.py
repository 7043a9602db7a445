"""The drafting tool: the same function for the offline conversation and the LLM mode."""

from __future__ import annotations

from typing import Any, Literal

from assistant.agreements import ValueProblem
from assistant.agreements.drafting import DraftError
from assistant.tools.records_tools import ToolContext
from assistant.tools.registry import ToolError, tool

AgreementKind = Literal[
    "modern_apprenticeship",
    "order_class",
    "post_internship",
    "joint_rd",
    "patent_licensing",
    "shared_training_base",
    "employee_training",
]


@tool()
def draft_agreement(
    ctx: ToolContext,
    kind: AgreementKind,
    fields: dict[str, str] | None = None,
    fill_placeholders: bool = False,
    language: Literal["en", "zh"] = "en",
) -> dict[str, Any]:
    """Draft a school-enterprise cooperation agreement, every clause cited from the paper and the policies.

    `fields` holds what the user gave, by name: school, enterprise, start_date, end_date (YYYY-MM-DD), and
    the kind's own essentials (e.g. students, programme, posts, monthly_pay_cny, patent_number). When
    essentials are missing the result lists them with a question to ask, one at a time; set
    `fill_placeholders` only when the user says to go ahead without them.
    """
    if ctx.agreements is None or ctx.session_id is None:
        raise ToolError("drafting needs a conversation session")
    try:
        return ctx.agreements.draft(kind, dict(fields or {}), language, ctx.session_id, fill_placeholders)
    except (ValueProblem, DraftError) as exc:
        # A value the draft cannot take is the model's to fix, not a crash of the turn.
        raise ToolError(str(exc)) from exc
