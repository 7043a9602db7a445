"""Field values for a draft: parsed and checked, so a draft never carries an impossible date or number.

Numbers keep the exact digits the user typed (a draft must repeat them exactly), except that a magnitude
("30万", "1.2 million", "800k") is multiplied out and Chinese numerals ("四十五人", "人民币贰拾万元整") are read
as the figures they are; dates accept ISO and Chinese forms and are written back in ISO.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from assistant.agreements.templates import AgreementTemplate, Field
from assistant.understanding.dates import find_dates
from assistant.understanding.numbers import as_digits

# Anchored on digits both sides, so "12027-04-01" is not read as 2027-04-01.
_ISO = re.compile(r"(?<!\d)(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?!\d)")
_NUMBER = re.compile(r"\d+(?:[,，]\d{3})*(?:\.\d+)?")
_NEGATIVE = re.compile(r"(?:^|[^\w])[-−–]\s*\d|\bminus\b|负\s*\d")
# A magnitude written after the figure is exact, so it is multiplied out. "m" alone is left out: it is also
# metres and minutes, so "5m" is asked for in full.
_MAGNITUDES = {"万": 10_000, "千": 1_000, "百万": 1_000_000, "亿": 100_000_000, "k": 1_000, "thousand": 1_000}
_MAGNITUDES |= {"million": 1_000_000, "mn": 1_000_000, "billion": 1_000_000_000, "bn": 1_000_000_000}
_MAGNITUDE = re.compile(r"^\s*(百万|万|千|亿|k|thousand|million|mn|billion|bn)(?![a-z])", re.IGNORECASE)
_UNREAD_MAGNITUDE = re.compile(r"^\s*(?:[百]|m\b)", re.IGNORECASE)


class ValueProblem(ValueError):
    """A value that does not fit its field; the message says what is expected."""


def parse_value(field: Field, raw: object, language: str = "en", today: date | None = None) -> str:
    """The value as it goes into the draft, or `ValueProblem` naming the expected form. `today` (on the
    Shanghai clock) is what relative dates ("next Monday") count from."""
    text = str(raw).strip()
    if not text:
        raise ValueProblem(_say(language, f"{field.label['en']} is empty", f"{field.label['zh']}不能为空"))
    if field.type == "date":
        try:
            return read_date(text, today or date.today()).isoformat()
        except ValueError:
            raise ValueProblem(
                _say(
                    language,
                    f"{field.label['en']} must be a real date like 2027-03-01, not {text!r}",
                    f"{field.label['zh']}须为有效日期，例如 2027-03-01（收到：{text}）",
                )
            ) from None
    if field.type in ("integer", "money"):
        return _number(field, text, language)
    return text[:300]


def read_date(text: str, today: date) -> date:
    """The one day `text` names: written as a date ("2027-03-01", "2027年3月1日") or in prose ("1 September
    2027", "next Monday", read as the rest of the assistant reads dates); ValueError otherwise (a month or a
    week names no one day, "2027-02-30" no day at all)."""
    written = _ISO.search(text)
    if written:
        return date(int(written.group(1)), int(written.group(2)), int(written.group(3)))
    found = find_dates(text, today)
    if found is None or found.start is None or found.start != found.end:
        raise ValueError(text)
    return found.start


def _number(field: Field, text: str, language: str) -> str:
    """One plain, positive number; a percentage at most 100; 万 multiplied out."""
    example = "30" if field.type == "integer" else "3600"
    text = as_digits(text)
    numbers = _NUMBER.findall(text)
    if len(numbers) != 1 or (field.type == "integer" and "." in numbers[0]):
        kind = "a whole number" if field.type == "integer" else "an amount in CNY"
        raise _problem(
            field,
            language,
            f"must be {kind}, one figure like {example}, not {text!r}",
            f"须为一个数字，例如 {example}（收到：{text}）",
        )
    digits = numbers[0].replace("，", ",")
    if _NEGATIVE.search(text) or float(digits.replace(",", "")) <= 0:
        raise _problem(field, language, f"must be above zero, like {example}", f"须大于零，例如 {example}")
    digits = _scaled(field, digits, text[text.index(numbers[0]) + len(numbers[0]) :], language)
    if field.name.endswith("_percent") and float(digits.replace(",", "")) > 100:
        raise _problem(
            field, language, f"must be between 1 and 100, not {text!r}", f"须在 1 到 100 之间（收到：{text}）"
        )
    return digits


def _scaled(field: Field, digits: str, unit: str, language: str) -> str:
    """The figure with its magnitude multiplied out; one we cannot read for sure is asked for in full."""
    magnitude = _MAGNITUDE.match(unit)
    if magnitude:
        scaled = Decimal(digits.replace(",", "")) * _MAGNITUDES[magnitude.group(1).lower()]
        if field.type == "integer" and scaled != scaled.to_integral_value():
            raise _problem(
                field, language, f"must be a whole number, not {digits}{unit}", f"须为整数（收到：{digits}{unit}）"
            )
        return format(scaled.normalize(), "f")
    if _UNREAD_MAGNITUDE.match(unit):
        raise _problem(
            field,
            language,
            f"must be written in full, like 15000, not {digits}{unit}",
            f"请写出完整数字，例如 15000（收到：{digits}{unit}）",
        )
    return digits


def _problem(field: Field, language: str, en: str, zh: str) -> ValueProblem:
    return ValueProblem(_say(language, f"{field.label['en']} {en}", f"{field.label['zh']}{zh}"))


def check_dates(template: AgreementTemplate, values: dict[str, str], language: str = "en") -> None:
    """The term must end after it starts."""
    start, end = values.get("start_date"), values.get("end_date")
    if start and end and end <= start:
        raise ValueProblem(
            _say(
                language,
                f"the end date {end} must come after the start date {start}",
                f"结束日期 {end} 须晚于开始日期 {start}",
            )
        )


def parse_values(
    template: AgreementTemplate, raw: dict[str, object], language: str = "en", today: date | None = None
) -> dict[str, str]:
    """Every known field parsed; unknown names are an error naming the fields this kind has."""
    names = {f.name for f in template.fields}
    unknown = sorted(set(raw) - names)
    if unknown:
        raise ValueProblem(
            f"{template.kind} has no field {', '.join(unknown)}; its fields are {', '.join(sorted(names))}"
        )
    values = {
        name: parse_value(template.field(name), value, language, today)
        for name, value in raw.items()
        if value not in (None, "")
    }
    check_dates(template, values, language)
    return values


def _say(language: str, en: str, zh: str) -> str:
    # The English messages open with a field's label ("start date must be ..."): a sentence starts capitalised.
    return zh if language == "zh" else en[:1].upper() + en[1:]
