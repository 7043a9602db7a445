"""Searches over the records: structured filters in SQL, then free text ranked by meaning."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

import numpy as np
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from assistant.records.models import ConsultationSlot, Platform, TrainingOffer
from assistant.records.semantic import RecordVectors
from assistant.text import search_tokens

# Dates users say ("next Monday") are days in Jiangsu; China keeps UTC+8 all year.
LOCAL_TZ = timezone(timedelta(hours=8), "CST")
# A record is kept for a free-text query when its similarity is within this margin of the best match,
# or when it shares a word with the query: "ship welding" keeps welders, not every shipyard post.
SIMILARITY_MARGIN = 0.035
# When the best row's similarity is within this of the 90th percentile, similarity singles nothing out: on
# the demo records, queries about the records stand 0.04-0.09 above it, unrelated ones (visas, hospital
# appointments, train times) 0.005-0.010 (bench-free probe in the commit that set it).
UNDISTINGUISHED_GAP = 0.012
# Below this many rows a percentile says little; the margin rule alone applies.
_FEW_ROWS = 20


@dataclass
class Page:
    total: int
    items: list[Any]


def offer_text(o: TrainingOffer) -> str:
    runs_it = o.enterprise or o.school
    kind = o.kind.replace("_", " ")
    return f"{o.title}. {o.occupation or ''}. {o.field}. {kind}. {runs_it}. {o.description or ''}"


def platform_text(p: Platform) -> str:
    kind = p.kind.replace("_", " ")
    return f"{p.name}. {kind}. {p.field}. {p.services}. {p.equipment or ''}. {p.description or ''}"


def slot_text(s: ConsultationSlot) -> str:
    return f"{s.expert}, {s.title or ''}. {s.field}. {s.topics}"


# A record's Chinese columns (*_zh) that say what it is about, embedded as a text of their own: a Chinese
# question is matched against them, an English one against the English text, each at its best.
_CHINESE_COLUMNS: dict[type, tuple[str, ...]] = {
    TrainingOffer: ("title", "occupation", "enterprise", "description"),
    Platform: ("name", "services", "equipment", "description"),
    ConsultationSlot: ("expert", "title", "topics"),
}


def chinese_text(record: Any) -> str:
    """The record's Chinese columns as one text; "" when it has none."""
    extra = record.attributes or {}
    return "。".join(str(extra[f"{key}_zh"]) for key in _CHINESE_COLUMNS[type(record)] if extra.get(f"{key}_zh"))


def _like(column: Any, value: str) -> Any:
    return func.lower(column).contains(value.lower())


def _like_any(column: Any, values: str | list[str]) -> Any:
    """One value, or any of several ("Changzhou or Suzhou")."""
    return or_(*(_like(column, v) for v in ([values] if isinstance(values, str) else values)))


def _rank(
    rows: list[Any],
    query: str | None,
    text_of: Any,
    vectors: RecordVectors,
    keep_order: bool = False,
    narrowed: bool = False,
) -> list[Any]:
    """Rows that match the free text, best first (or in their original order, e.g. soonest slots first)."""
    if not query or not rows:
        return rows
    texts = [text_of(r) for r in rows]
    sims = vectors.similarities(query, texts)
    chinese = [chinese_text(r) for r in rows]
    with_chinese = [i for i, text in enumerate(chinese) if text]
    if with_chinese:
        # Each record at its best version: the English text for an English question, the Chinese for a Chinese.
        sims = sims.copy()
        sims[with_chinese] = np.maximum(
            sims[with_chinese], vectors.similarities(query, [chinese[i] for i in with_chinese])
        )
        texts = [f"{text} {extra}" for text, extra in zip(texts, chinese, strict=True)]
    words = set(search_tokens(query))
    shares = [len(words & set(search_tokens(t))) / len(words) if words else 0.0 for t in texts]
    best = float(sims.max())
    if len(rows) >= _FEW_ROWS and best - float(np.percentile(sims, 90)) < UNDISTINGUISHED_GAP:
        # The best match stands no higher than a tenth of all rows: the vectors see nothing this query is
        # about ("a Japanese tourist visa" among expert slots), so only rows sharing its words match; when
        # other filters (a kind, a city) chose the rows, words that match none of them are set aside.
        sharing = [(share, float(sim), row) for row, sim, share in zip(rows, sims, shares, strict=True) if share > 0]
        if not sharing and narrowed:
            return rows  # other filters chose these rows; words that match none of them do not undo that
        if keep_order:
            return [row for *_, row in sharing]
        return [row for *_, row in sorted(sharing, key=lambda t: (t[0], t[1]), reverse=True)]
    scored = [
        (float(sim) + 0.05 * share, row)
        for row, sim, share in zip(rows, sims, shares, strict=True)
        if sim >= best - SIMILARITY_MARGIN or share >= 0.5
    ]
    if keep_order:
        return [row for _, row in scored]
    return [row for _, row in sorted(scored, key=lambda pair: pair[0], reverse=True)]


def _page(
    session: Session,
    statement: Select[Any],
    query: str | None,
    text_of: Any,
    vectors: RecordVectors,
    limit: int,
    offset: int,
    keep_order: bool = False,
    narrowed: bool = False,
) -> Page:
    rows = list(session.scalars(statement))
    ranked = _rank(rows, query, text_of, vectors, keep_order, narrowed)
    return Page(total=len(ranked), items=ranked[offset : offset + limit])


def _by_id(session: Session, model: Any, query: str | None, limit: int, offset: int) -> Page | None:
    """A query that is one of the table's ids ("TO-0058", "jsxy-2027-014") is that record, whatever its
    status or the other filters: asking about a record by its id is asking about that record."""
    if not query or len(query) > 64 or any(ch.isspace() for ch in query.strip()):
        return None
    row = session.scalars(select(model).where(func.upper(model.id) == query.strip().upper())).first()
    return Page(total=1, items=[row][offset : offset + limit]) if row is not None else None


def search_offers(
    session: Session,
    vectors: RecordVectors,
    *,
    query: str | None = None,
    kind: str | None = None,
    field: str | None = None,
    region: str | list[str] | None = None,
    start_after: date | None = None,
    start_before: date | None = None,
    include_closed: bool = False,
    limit: int = 5,
    offset: int = 0,
) -> Page:
    if (exact := _by_id(session, TrainingOffer, query, limit, offset)) is not None:
        return exact
    statement = select(TrainingOffer).order_by(TrainingOffer.start_date, TrainingOffer.id)
    if kind:
        statement = statement.where(TrainingOffer.kind == kind)
    if field:
        statement = statement.where(or_(_like(TrainingOffer.field, field), _like(TrainingOffer.occupation, field)))
    if region:
        statement = statement.where(_like_any(TrainingOffer.region, region))
    if start_after:
        statement = statement.where(TrainingOffer.start_date >= start_after)
    if start_before:
        statement = statement.where(TrainingOffer.start_date <= start_before)
    if not include_closed:
        statement = statement.where(TrainingOffer.status == "open")
    narrowed = any((kind, field, region, start_after, start_before))
    return _page(session, statement, query, offer_text, vectors, limit, offset, narrowed=narrowed)


def search_platforms(
    session: Session,
    vectors: RecordVectors,
    *,
    query: str | None = None,
    kind: str | None = None,
    field: str | None = None,
    region: str | list[str] | None = None,
    include_closed: bool = False,
    limit: int = 5,
    offset: int = 0,
) -> Page:
    if (exact := _by_id(session, Platform, query, limit, offset)) is not None:
        return exact
    statement = select(Platform).order_by(Platform.id)
    if kind:
        statement = statement.where(Platform.kind == kind)
    if field:
        statement = statement.where(_like(Platform.field, field))
    if region:
        statement = statement.where(_like_any(Platform.region, region))
    if not include_closed:
        statement = statement.where(Platform.status == "open")
    return _page(session, statement, query, platform_text, vectors, limit, offset, narrowed=any((kind, field, region)))


def list_slots(
    session: Session,
    vectors: RecordVectors,
    *,
    now: datetime,
    query: str | None = None,
    field: str | None = None,
    expert: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    mode: str | None = None,
    limit: int = 5,
    offset: int = 0,
) -> Page:
    """Open slots in the future, soonest first."""
    statement = (
        select(ConsultationSlot)
        .where(ConsultationSlot.status == "open", ConsultationSlot.start > now)
        .order_by(ConsultationSlot.start, ConsultationSlot.id)
    )
    if field:
        statement = statement.where(or_(_like(ConsultationSlot.field, field), _like(ConsultationSlot.topics, field)))
    if expert:
        statement = statement.where(_like(ConsultationSlot.expert, expert))
    if mode:
        statement = statement.where(ConsultationSlot.mode == mode)
    if date_from:
        statement = statement.where(ConsultationSlot.start >= datetime.combine(date_from, time.min, LOCAL_TZ))
    if date_to:
        statement = statement.where(
            ConsultationSlot.start < datetime.combine(date_to + timedelta(days=1), time.min, LOCAL_TZ)
        )
    narrowed = any((field, expert, date_from, date_to, mode))
    return _page(session, statement, query, slot_text, vectors, limit, offset, keep_order=True, narrowed=narrowed)
