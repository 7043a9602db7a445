"""What a valid row of each records file is: required and optional columns, types, allowed values."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

RecordKind = Literal["offers", "platforms", "slots"]


class _Row(BaseModel):
    model_config = ConfigDict(extra="allow", str_strip_whitespace=True)

    @field_validator("*", mode="before")
    @classmethod
    def _blank_is_missing(cls, value: Any) -> Any:
        return None if isinstance(value, str) and value.strip() == "" else value

    def split(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """(known columns, extra columns kept as attributes)."""
        known = self.model_dump(exclude=set(self.model_extra or {}))
        return known, dict(self.model_extra or {})


class OfferRow(_Row):
    id: str = Field(min_length=1, max_length=64)
    title: str = Field(min_length=1)
    kind: Literal["apprenticeship", "order_class", "internship", "employee_training", "community_course"]
    enterprise: str
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


class PlatformRow(_Row):
    id: str = Field(min_length=1, max_length=64)
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
    id: str = Field(min_length=1, max_length=64)
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
            raise ValueError("needs a UTC offset, e.g. 2027-01-05T09:30:00+08:00")
        return value


ROW_MODELS: dict[str, type[_Row]] = {"offers": OfferRow, "platforms": PlatformRow, "slots": SlotRow}
FILE_STEMS = {"training_offers": "offers", "platforms": "platforms", "consultation_slots": "slots"}


def required_columns(kind: str) -> list[str]:
    return [name for name, info in ROW_MODELS[kind].model_fields.items() if info.is_required()]
