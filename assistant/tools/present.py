"""Tool results as short, readable lists: the key fields, the total, how to narrow down."""

from __future__ import annotations

from typing import Any

from assistant.prompts import render
from assistant.records.chinese import chinese_name

PROMPT = "offline/tools"
_KIND_LABELS = {
    "apprenticeship": ("apprenticeship", "学徒制"),
    "order_class": ("order-based class", "订单班"),
    "internship": ("internship", "实习"),
    "employee_training": ("employee training", "员工培训"),
    "community_course": ("community course", "社区课程"),
    "training_base": ("training base", "实训基地"),
    "rd_platform": ("R&D platform", "研发平台"),
    "lab": ("lab", "实验室"),
    "innovation_center": ("innovation centre", "创新中心"),
    "patent": ("patent", "专利"),
}


def say(key: str, language: str, **variables: Any) -> str:
    return render(PROMPT, f"{key}.{language}", **variables)


def _kind(kind: str, language: str) -> str:
    en, zh = _KIND_LABELS.get(kind, (kind, kind))
    return zh if language == "zh" else en


def _in(item: dict[str, Any], key: str, language: str) -> str:
    """A record's text in the reply's language: its Chinese column in Chinese replies, where it has one."""
    chinese = item.get("zh") or {}
    return str(chinese.get(key) or item.get(key) or "") if language == "zh" else str(item.get(key) or "")


def offer_line(o: dict[str, Any], language: str) -> str:
    if language == "zh":
        wage = f" · 月薪 {o['wage_cny_month']} 元" if o.get("wage_cny_month") else ""
        runs_it = _in(o, "enterprise", language) if o.get("enterprise") else _in(o, "school", language)
        return (
            f"{_in(o, 'title', language)} — {_kind(o['kind'], language)} · {runs_it} · {_in(o, 'region', language)} · "
            f"{o['start_date']} 开始 · {o['duration_months']} 个月 · {o['places']} 个名额{wage} [{o['id']}]"
        )
    wage = f" · {o['wage_cny_month']} CNY/month" if o.get("wage_cny_month") else ""
    return (
        f"{o['title']} — {_kind(o['kind'], language)} · {o['enterprise'] or o['school']} · {o['region']} · starts "
        f"{o['start_date']} · {o['duration_months']} months · {o['places']} places{wage} [{o['id']}]"
    )


def platform_line(p: dict[str, Any], language: str) -> str:
    detail = (
        f"{p.get('patent_type') or ''} {p.get('patent_number') or ''} · {_in(p, 'deal_mode', language)}"
        f"{' · ' + _in(p, 'price_info', language) if p.get('price_info') else ''}"
        if p["kind"] == "patent"
        else _in(p, "services", language)
    )
    return (
        f"{_in(p, 'name', language)} — {_kind(p['kind'], language)} · {_in(p, 'host', language)} · "
        f"{_in(p, 'region', language)} · {detail.strip()} [{p['id']}]"
    )


def slot_line(s: dict[str, Any], language: str) -> str:
    return f"{_in(s, 'summary', language)} · {_in(s, 'topics', language)} [{s['id']}]"


LINES = {"offers": offer_line, "platforms": platform_line, "slots": slot_line}


def nothing_found(family: str, filters: str, language: str) -> str:
    """ "No consultation slots match (2026-12-07, 2026-12-13)." """
    what = say(f"what.{family}", language)
    return say("found", language, total=0, what=what, filters=filters, shown=0, first=1, last=0)


def present_list(family: str, result: dict[str, Any], filters: str, language: str, compact: bool = False) -> str:
    """The list as shown; `compact` (beside an answer from the documents) leaves out the details of a single
    record and the hint on narrowing down, which belong to a search the user asked for."""
    items = result["items"]
    first = result.get("offset", 0) + 1
    head = say(
        "found",
        language,
        total=result["total"],
        what=say(f"what.{family}", language),
        filters=filters,
        shown=len(items),
        first=first,
        last=first + len(items) - 1,
    )
    if not items:
        return f"{head} {say('empty_hint', language)}"
    lines = [f"{i}. {LINES[family](item, language)}" for i, item in enumerate(items, start=1)]
    if compact:
        return "\n".join([head, *lines])
    if result["total"] == 1:
        # One record found (often asked for by its id): what a list leaves out is what the asker wants next.
        lines.extend(_details(items[0], language))
        return "\n".join([head, *lines])
    return "\n".join([head, *lines, say(f"narrow.{family}", language)])


_DETAIL_FIELDS = {
    "status": ("Status", "状态"),
    "requirements": ("Requirements", "要求"),
    "subsidy": ("Subsidy", "补贴"),
    "equipment": ("Equipment", "设备"),
    "booking_info": ("Booking", "预约方式"),
    "fee_policy": ("Fees", "收费"),
    "location": ("Place", "地点"),
    "contact": ("Contact", "联系方式"),
}


def _details(item: dict[str, Any], language: str) -> list[str]:
    return [
        f"   {labels[1] if language == 'zh' else labels[0]}: {item[key]}"
        for key, labels in _DETAIL_FIELDS.items()
        if item.get(key)
    ]


def _filter_value(key: str, value: str, language: str) -> str:
    """A filter as the reply names it: a kind by its label, and in Chinese a city, field or mode by its Chinese name."""
    if key == "kind":
        return _kind(value, language)
    if language != "zh":
        return value
    return chinese_name(key, value) if key in ("region", "field", "mode") else value


def describe_filters(arguments: dict[str, Any], language: str) -> str:
    shown = []
    for key in (
        "kind",
        "region",
        "field",
        "query",
        "expert",
        "date_from",
        "date_to",
        "start_after",
        "start_before",
        "mode",
    ):
        value = arguments.get(key)
        if key == "query" and language == "zh":
            continue  # the free text is matched in English words; a Chinese reply does not echo them
        values = value if isinstance(value, list) else [value] if value else []
        if values:
            named = [_filter_value(key, str(v), language) for v in values]
            shown.append((" or " if language == "en" else "或").join(named))
    return ", ".join(shown) if language == "en" else "、".join(shown)
