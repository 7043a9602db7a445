"""The records tools: the same functions for the offline router, every channel and the LLM path."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal, Protocol

from assistant.agreements.service import AgreementService
from assistant.records import RecordsService
from assistant.records.actions import ActionError, describe_slot, describe_slot_zh
from assistant.records.chinese import chinese_texts
from assistant.records.models import ConsultationSlot, Platform, TrainingOffer
from assistant.tools.registry import ToolError, tool

OfferKind = Literal["apprenticeship", "order_class", "internship", "employee_training", "community_course"]
PlatformKind = Literal["training_base", "rd_platform", "lab", "innovation_center", "patent"]


class KnowledgeSearch(Protocol):
    def __call__(self, query: str, doc_type: str | None) -> list[dict[str, Any]]: ...


@dataclass
class ToolContext:
    records: RecordsService
    session_id: str | None = None
    #: Set in LLM mode: searches the knowledge base and numbers the passages for citation.
    knowledge: KnowledgeSearch | None = None
    agreements: AgreementService | None = None


def _offer(o: TrainingOffer) -> dict[str, Any]:
    return {
        "id": o.id,
        "title": o.title,
        "kind": o.kind,
        "enterprise": o.enterprise,
        "school": o.school,
        "field": o.field,
        "region": o.region,
        "start_date": o.start_date.isoformat(),
        "duration_months": o.duration_months,
        "places": o.places,
        "status": o.status,
        "occupation": o.occupation,
        "level": o.level,
        "wage_cny_month": o.wage_cny_month,
        "subsidy": o.subsidy,
        "requirements": o.requirements,
        "contact": o.contact,
        "zh": chinese_texts(o.attributes, region=o.region, field=o.field),
    }


def _platform(p: Platform) -> dict[str, Any]:
    return {
        "id": p.id,
        "name": p.name,
        "kind": p.kind,
        "host": p.host,
        "field": p.field,
        "services": p.services,
        "region": p.region,
        "status": p.status,
        "level": p.level,
        "equipment": p.equipment,
        "booking_info": p.booking_info,
        "fee_policy": p.fee_policy,
        "patent_number": p.patent_number,
        "patent_type": p.patent_type,
        "deal_mode": p.deal_mode,
        "price_info": p.price_info,
        "contact": p.contact,
        "zh": chinese_texts(p.attributes, region=p.region, field=p.field),
    }


def _slot(s: ConsultationSlot) -> dict[str, Any]:
    # No booker details ever: a slot shows only whether it is open.
    return {
        "id": s.id,
        "expert": s.expert,
        "organisation": s.organisation,
        "title": s.title,
        "field": s.field,
        "topics": s.topics,
        "start": s.start.isoformat(),
        "duration_min": s.duration_min,
        "mode": s.mode,
        "location": s.location,
        "status": s.status,
        "summary": describe_slot(s),
        "zh": {**chinese_texts(s.attributes, field=s.field), "summary": describe_slot_zh(s)},
    }


@tool()
def search_training_offers(
    ctx: ToolContext,
    query: str | None = None,
    kind: OfferKind | None = None,
    field: str | None = None,
    region: str | list[str] | None = None,
    start_after: date | None = None,
    start_before: date | None = None,
    include_closed: bool = False,
    limit: int = 5,
    offset: int = 0,
) -> dict[str, Any]:
    """Search apprenticeships, order-based classes, internships, employee training and community courses.

    Filter by kind, field, region (a Jiangsu city, or a list of cities for any of them), start date range and
    open status (`include_closed` lists closed offers too); `query` is free text
    matched by meaning (e.g. "ship welding"). Returns the total count and one page of offers.
    """
    page = ctx.records.search_offers(
        query=query,
        kind=kind,
        field=field,
        region=region,
        start_after=start_after,
        start_before=start_before,
        include_closed=include_closed,
        limit=limit,
        offset=offset,
    )
    return {"total": page.total, "offset": offset, "items": [_offer(o) for o in page.items]}


@tool()
def search_platforms(
    ctx: ToolContext,
    query: str | None = None,
    kind: PlatformKind | None = None,
    field: str | None = None,
    region: str | list[str] | None = None,
    include_closed: bool = False,
    limit: int = 5,
    offset: int = 0,
) -> dict[str, Any]:
    """Search shared training bases, R&D platforms, labs, innovation centres and patents open for licensing.

    Filter by kind, field, region and open status; `query` is free text matched by meaning.
    """
    page = ctx.records.search_platforms(
        query=query, kind=kind, field=field, region=region, include_closed=include_closed, limit=limit, offset=offset
    )
    return {"total": page.total, "offset": offset, "items": [_platform(p) for p in page.items]}


@tool()
def list_consultation_slots(
    ctx: ToolContext,
    query: str | None = None,
    field: str | None = None,
    expert: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    mode: Literal["onsite", "online"] | None = None,
    limit: int = 5,
    offset: int = 0,
) -> dict[str, Any]:
    """List open consultation slots with experts, soonest first; filter by topic, field, expert, dates, mode."""
    page = ctx.records.list_slots(
        query=query,
        field=field,
        expert=expert,
        date_from=date_from,
        date_to=date_to,
        mode=mode,
        limit=limit,
        offset=offset,
    )
    return {"total": page.total, "offset": offset, "items": [_slot(s) for s in page.items]}


@tool(side_effect=True)
def book_consultation(ctx: ToolContext, slot_id: str, name: str, contact: str) -> dict[str, Any]:
    """Propose booking a consultation slot for a person; nothing is booked until the user confirms."""
    try:
        action = ctx.records.propose_booking(ctx.session_id, slot_id, name, contact)
    except ActionError as exc:
        raise ToolError(str(exc), exc.reason, **exc.params) from exc
    summary_zh = action.payload.get("summary_zh", action.summary)
    pending = {"kind": "booking", "summary": action.summary, "summary_zh": summary_zh, "token": action.token}
    return {"pending_action": pending}


@tool(side_effect=True)
def cancel_booking(ctx: ToolContext, booking_ref: str, cancellation_code: str | None = None) -> dict[str, Any]:
    """Propose cancelling a booking by its reference (like BK-1A2B3C4D5E6F7A8B) and the cancellation code the
    user was given when it was booked (like ABCD-EFGH-JKLM); nothing changes until the user confirms.

    Ask the user for both: the code is needed in every conversation, and a name or contact proves nothing.
    """
    try:
        action = ctx.records.propose_cancellation(ctx.session_id, booking_ref, cancellation_code)
    except ActionError as exc:
        raise ToolError(str(exc), exc.reason, **exc.params) from exc
    return {"pending_action": {"kind": "cancellation", "summary": action.summary, "token": action.token}}


@tool()
def my_bookings(ctx: ToolContext) -> dict[str, Any]:
    """The active bookings made in this conversation (a booking made elsewhere is cancelled with its code)."""
    items = ctx.records.bookings_in(ctx.session_id)
    return {"total": len(items), "items": items}
