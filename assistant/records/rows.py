"""What a valid row of each records file is: required and optional columns, types, allowed values."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError
from sqlalchemy import BigInteger, Column, Integer, SmallInteger, String

from assistant.records.models import Base, ConsultationSlot, Platform, TrainingOffer, UTCDateTime

RecordKind = Literal["offers", "platforms", "slots"]
# PostgreSQL's range for each integer type; SQLite holds 64 bits in any, so a file valid here fits both.
_INTEGER_BITS = ((SmallInteger, 16), (BigInteger, 64), (Integer, 32))


def column_problem(column: Column[Any], value: Any) -> PydanticCustomError | None:
    """Why the database cannot store `value` in `column` (a 500 at commit otherwise), or None. The error's
    type names the problem, so its message can be said in another language (errors_zh.py)."""
    if isinstance(value, str):
        if "\x00" in value:
            return PydanticCustomError("nul_character", "contains a NUL character (\\x00); remove it")
        length = getattr(column.type, "length", None)
        if isinstance(column.type, String) and length is not None and len(value) > length:
            return PydanticCustomError("too_long", f"has {len(value):,} characters; the column holds at most {length}")
    if isinstance(value, int) and not isinstance(value, bool):
        bits = next((n for kind, n in _INTEGER_BITS if isinstance(column.type, kind)), None)
        low, high = (-(2 ** (bits - 1)), 2 ** (bits - 1) - 1) if bits else (value, value)
        if not low <= value <= high:
            return PydanticCustomError(
                "integer_out_of_range", f"is out of range; the column holds whole numbers from {low:,} to {high:,}"
            )
    if isinstance(value, datetime) and isinstance(column.type, UTCDateTime):
        try:
            value.astimezone(UTC)  # what the column stores
        except OverflowError:
            return PydanticCustomError("utc_out_of_range", "is out of range once converted to UTC (years 1 to 9999)")
    return None


class _Row(BaseModel):
    model_config = ConfigDict(extra="allow", str_strip_whitespace=True)
    #: The table rows of this kind go to: its columns bound what a row may hold.
    table: ClassVar[type[Base]]

    @field_validator("*", mode="before")
    @classmethod
    def _blank_is_missing(cls, value: Any) -> Any:
        return None if isinstance(value, str) and value.strip() == "" else value

    @field_validator("*")
    @classmethod
    def _fits_the_column(cls, value: Any, info: ValidationInfo) -> Any:
        column = cls.table.__table__.columns.get(info.field_name or "")
        problem = column_problem(column, value) if column is not None and value is not None else None
        if problem:
            raise problem
        return value

    def split(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """(known columns, extra columns kept as attributes)."""
        known = self.model_dump(exclude=set(self.model_extra or {}))
        return known, dict(self.model_extra or {})


class OfferRow(_Row):
    table = TrainingOffer

    id: str = Field(min_length=1)
    title: str = Field(min_length=1)
    kind: Literal["apprenticeship", "order_class", "internship", "employee_training", "community_course"]
    # A community course run by a school alone has no enterprise; every other kind names one.
    enterprise: str | None = Field(default=None, validate_default=True)
    school: str
    field: str
    region: str
    start_date: date
    duration_months: int = Field(ge=0, le=120)
    places: int = Field(ge=0)
    status: Literal["open", "closed"]
    occupation: str | None = None
    level: str | None = None
    wage_cny_month: int | None = Field(default=None, ge=0)
    subsidy: str | None = None
    requirements: str | None = None
    description: str | None = None
    contact: str | None = None

    @field_validator("enterprise")
    @classmethod
    def _enterprise_unless_a_school_runs_it_alone(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None and info.data.get("kind", "community_course") != "community_course":
            raise PydanticCustomError(
                "enterprise_required",
                "is empty: apprenticeships, order classes, internships and employee training name the enterprise "
                "that runs them; only a community course may be run by a school alone",
            )
        return value


class PlatformRow(_Row):
    table = Platform

    id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    kind: Literal["training_base", "rd_platform", "lab", "innovation_center", "patent"]
    host: str
    field: str
    services: str
    region: str
    status: Literal["open", "closed"]
    partners: str | None = None
    level: str | None = None
    equipment: str | None = None
    booking_info: str | None = None
    fee_policy: str | None = None
    patent_number: str | None = None
    patent_type: str | None = None
    deal_mode: str | None = None
    price_info: str | None = None
    contact: str | None = None
    description: str | None = None


class SlotRow(_Row):
    table = ConsultationSlot

    id: str = Field(min_length=1)
    expert: str
    organisation: str
    field: str
    topics: str
    start: datetime
    duration_min: int = Field(gt=0, le=480)
    mode: Literal["onsite", "online"]
    status: Literal["open", "booked", "cancelled"]
    title: str | None = None
    location: str | None = None

    @field_validator("start")
    @classmethod
    def _needs_offset(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise PydanticCustomError("needs_utc_offset", "needs a UTC offset, e.g. 2027-01-05T09:30:00+08:00")
        return value


ROW_MODELS: dict[str, type[_Row]] = {"offers": OfferRow, "platforms": PlatformRow, "slots": SlotRow}
FILE_STEMS = {"training_offers": "offers", "platforms": "platforms", "consultation_slots": "slots"}


def required_columns(kind: str) -> list[str]:
    return [name for name, info in ROW_MODELS[kind].model_fields.items() if info.is_required()]
