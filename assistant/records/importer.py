"""Import records files (CSV or JSON): validate every row, import nothing if any row is bad, upsert by id."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.exc import DataError
from sqlalchemy.orm import Session, sessionmaker

from assistant.records.chinese import english_row
from assistant.records.errors_zh import message_zh
from assistant.records.models import Base, Booking, ConsultationSlot, Platform, TrainingOffer
from assistant.records.rows import FILE_STEMS, ROW_MODELS, required_columns

TABLES: dict[str, type[TrainingOffer] | type[Platform] | type[ConsultationSlot]] = {
    "offers": TrainingOffer,
    "platforms": Platform,
    "slots": ConsultationSlot,
}


@dataclass(frozen=True)
class RowError:
    row: int  # 1-based data row; for CSV the line is row + 1 (the header is line 1)
    column: str  # as the file names it: "enterprise", or "合作企业" in a Chinese export
    message: str
    message_zh: str = ""

    def __str__(self) -> str:
        return f"row {self.row}: `{self.column}` {self.message}"

    def in_chinese(self) -> str:
        return f"第 {self.row} 行：`{self.column}` {self.message_zh or self.message}"


@dataclass
class ImportReport:
    path: str
    kind: str
    rows: int = 0
    inserted: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)
    file_error: str | None = None

    @property
    def ok(self) -> bool:
        return not self.errors and self.file_error is None

    def summary(self) -> str:
        if self.file_error:
            return f"{self.path}: {self.file_error}; nothing imported"
        if self.errors:
            return f"{self.path}: {len(self.errors)} error(s) in {self.rows} rows; nothing imported"
        return f"{self.path}: {self.rows} {self.kind} rows, {self.inserted} new, {self.updated} updated"


class RecordsFileError(ValueError):
    """The file cannot be read at all (unknown kind, not CSV/JSON)."""


def infer_kind(path: Path) -> str:
    for stem, kind in FILE_STEMS.items():
        if path.stem == stem or path.stem.startswith(stem):
            return kind
    raise RecordsFileError(
        f"cannot tell the kind of {path.name}: name it training_offers.*, platforms.* or consultation_slots.*, "
        "or pass --kind offers|platforms|slots"
    )


def _read_rows(path: Path) -> list[dict[str, Any]]:
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() == ".json":
        data = json.loads(text)
        if isinstance(data, dict):
            data = data.get("records") or data.get("rows") or []
        if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
            raise ValueError('a JSON records file is a list of objects (or {"records": [...]})')
        return data
    if path.suffix.lower() == ".csv":
        return list(csv.DictReader(io.StringIO(text)))
    raise ValueError(f"unsupported file type {path.suffix!r}; use .csv or .json")


def validate(path: Path, kind: str | None = None) -> tuple[ImportReport, list[Any]]:
    """Parse and check every row; returns the report and the valid row models."""
    kind = kind or infer_kind(path)
    if kind not in ROW_MODELS:
        raise RecordsFileError(f"unknown kind {kind!r}; use offers, platforms or slots")
    report = ImportReport(path=str(path), kind=kind)
    try:
        raw_rows = _read_rows(path)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        report.file_error = f"cannot read the file ({exc})"
        return report, []
    report.rows = len(raw_rows)
    if not raw_rows:
        report.file_error = "the file has no rows"
        return report, []
    # A Chinese export ("编号, 类型, 合作企业 ...", "学徒制", "南通") is read under the keys and values we store.
    translated = [english_row(kind, raw) for raw in raw_rows]
    raw_rows = [row for row, _ in translated]
    headers: dict[str, str] = {}
    for _, named in translated:
        headers.update(named)
    columns = set().union(*(r.keys() for r in raw_rows))
    missing = [c for c in required_columns(kind) if c not in columns]
    if missing:
        report.file_error = f"missing required column(s) {', '.join(missing)}"
        return report, []
    model = ROW_MODELS[kind]
    valid, seen_ids = [], {}
    for number, raw in enumerate(raw_rows, start=1):
        try:
            row = model.model_validate(raw)
        except ValidationError as exc:
            for error in exc.errors():
                column = ".".join(str(p) for p in error["loc"]) or "(row)"
                value = raw.get(column)
                report.errors.append(
                    RowError(number, headers.get(column, column), _message(error, value), message_zh(error, value))
                )
            continue
        if row.id in seen_ids:
            report.errors.append(RowError(number, "id", f"duplicate id {row.id!r}, also in row {seen_ids[row.id]}"))
            continue
        seen_ids[row.id] = number
        valid.append(row)
    return report, valid


def _message(error: dict[str, Any], value: Any) -> str:
    """What is wrong with a cell and how to fix it, in words, after "row 8: `column` "."""
    got = repr(value) if len(repr(value)) <= 60 else repr(value)[:57] + "..."
    kind, context = error["type"], error.get("ctx", {})
    if kind == "missing":
        return "is empty: every row needs one"
    if kind == "literal_error":
        return f"is {got}: use one of {context['expected']}"
    if kind.startswith(("date_", "datetime_")):
        return f"is {got}: write a date like 2027-09-01" + ("T09:30:00+08:00" if kind.startswith("datetime") else "")
    if kind.startswith("int_"):
        return f"is {got}: write a whole number like 12"
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        bound = {"greater_than_equal": "at least", "greater_than": "above", "less_than_equal": "at most"}
        limit = next(iter(context.values()))
        return f"is {got}: must be {bound.get(kind, 'below')} {limit}"
    if kind == "string_too_short":
        return "is empty: every row needs one"
    text = str(error["msg"]).removeprefix("Value error, ")
    return text if text.startswith("is ") or value in (None, "") else f"{text} (got {got})"


def _slots_with_bookings(session: Session, ids: list[str]) -> set[str]:
    query = select(Booking.slot_id).where(Booking.slot_id.in_(ids), Booking.status == "confirmed")
    return set(session.scalars(query))


def import_file(path: Path, sessions: sessionmaker[Session], kind: str | None = None) -> ImportReport:
    """Validate, then upsert every row in one transaction; a file with any error imports nothing."""
    report, rows = validate(path, kind)
    if not report.ok:
        return report
    table = TABLES[report.kind]
    try:
        _upsert(sessions, table, rows, report)
    except DataError as exc:
        # The row models bound every column; should a value still not fit, the report says so (not a 500).
        report.inserted = report.updated = 0
        reason = str(exc.orig).strip().splitlines()[0]
        report.file_error = f"the database refused a value ({reason}); fix the file and import it again"
    return report


def _upsert(sessions: sessionmaker[Session], table: type[Base], rows: list[Any], report: ImportReport) -> None:
    with sessions.begin() as session:
        existing = {
            i
            for (i,) in session.query(table.id).filter(table.id.in_([r.id for r in rows])).all()  # type: ignore[attr-defined]
        }
        booked = _slots_with_bookings(session, [r.id for r in rows]) if report.kind == "slots" else set()
        for row in rows:
            known, extra = row.split()
            if row.id in booked:
                known["status"] = "booked"  # a file never frees a slot someone has booked: cancel the booking
            session.merge(table(**known, attributes=extra))
            if row.id in existing:
                report.updated += 1
            else:
                report.inserted += 1
