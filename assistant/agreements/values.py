"""Field values for a draft: parsed and checked, so a draft never carries an impossible date or number.

Numbers keep the exact digits the user typed (a draft must repeat them exactly); dates accept ISO and
Chinese forms and are written back in ISO.
"""

from __future__ import annotations

import re
from datetime import date

from assistant.agreements.templates import AgreementTemplate, Field

_ISO = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?")
_NUMBER = re.compile(r"\d[\d,，]*(?:\.\d+)?")


class ValueProblem(ValueError):
    """A value that does not fit its field; the message says what is expected."""


def parse_value(field: Field, raw: object, language: str = "en") -> str:
    """The value as it goes into the draft, or `ValueProblem` naming the expected form."""
    text = str(raw).strip()
    if not text:
        raise ValueProblem(_say(language, f"{field.label['en']} is empty", f"{field.label['zh']}不能为空"))
    if field.type == "date":
        found = _ISO.search(text)
        try:
            if not found:
                raise ValueError
            return date(int(found.group(1)), int(found.group(2)), int(found.group(3))).isoformat()
        except ValueError:
            raise ValueProblem(
                _say(
                    language,
                    f"{field.label['en']} must be a real date like 2027-03-01, not {text!r}",
                    f"{field.label['zh']}须为有效日期，例如 2027-03-01（收到：{text}）",
                )
            ) from None
    if field.type in ("integer", "money"):
        found = _NUMBER.search(text)
        if not found or (field.type == "integer" and "." in found.group()):
            kind = "a whole number" if field.type == "integer" else "an amount in CNY"
            raise ValueProblem(
                _say(
                    language,
                    f"{field.label['en']} must be {kind}, not {text!r}",
                    f"{field.label['zh']}须为数字（收到：{text}）",
                )
            )
        digits = found.group().replace("，", ",")
        if float(digits.replace(",", "")) <= 0:
            raise ValueProblem(
                _say(language, f"{field.label['en']} must be above zero", f"{field.label['zh']}须大于零")
            )
        return digits
    return text[:300]


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


def parse_values(template: AgreementTemplate, raw: dict[str, object], language: str = "en") -> dict[str, str]:
    """Every known field parsed; unknown names are an error naming the fields this kind has."""
    names = {f.name for f in template.fields}
    unknown = sorted(set(raw) - names)
    if unknown:
        raise ValueProblem(
            f"{template.kind} has no field {', '.join(unknown)}; its fields are {', '.join(sorted(names))}"
        )
    values = {
        name: parse_value(template.field(name), value, language)
        for name, value in raw.items()
        if value not in (None, "")
    }
    check_dates(template, values, language)
    return values


def _say(language: str, en: str, zh: str) -> str:
    return zh if language == "zh" else en
