"""Tool results as short, readable lists: the key fields, the total, how to narrow down."""

from __future__ import annotations

from typing import Any

from assistant.prompts import render

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


def offer_line(o: dict[str, Any], language: str) -> str:
    wage = f" · {o['wage_cny_month']} CNY/month" if o.get("wage_cny_month") else ""
    months = f"{o['duration_months']} 个月" if language == "zh" else f"{o['duration_months']} months"
    places = f"{o['places']} 个名额" if language == "zh" else f"{o['places']} places"
    starts = "开始" if language == "zh" else "starts"
    return (
        f"{o['title']} — {_kind(o['kind'], language)} · {o['enterprise'] or o['school']} · {o['region']} · {starts} "
        f"{o['start_date']} · {months} · {places}{wage} [{o['id']}]"
    )


def platform_line(p: dict[str, Any], language: str) -> str:
    detail = (
        f"{p.get('patent_type') or ''} {p.get('patent_number') or ''} · {p.get('deal_mode') or ''}"
        f"{' · ' + p['price_info'] if p.get('price_info') else ''}"
        if p["kind"] == "patent"
        else p["services"]
    )
    return f"{p['name']} — {_kind(p['kind'], language)} · {p['host']} · {p['region']} · {detail.strip()} [{p['id']}]"


def slot_line(s: dict[str, Any], language: str) -> str:
    return f"{s['summary']} · {s['topics']} [{s['id']}]"


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
        if isinstance(value, list):
            shown.append((" or " if language == "en" else "或").join(map(str, value)))
        elif value:
            shown.append(_kind(value, language) if key == "kind" else str(value))
    return ", ".join(shown) if language == "en" else "、".join(shown)
