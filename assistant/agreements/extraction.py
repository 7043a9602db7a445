"""The values a teacher's message states for a draft, however it states them.

"School: X", "学校是X", "between X and Y", "X与Y"; an organisation named in passing ("our college is
Nantong Binjiang Shipping Technical College", "企业江风海上风电有限公司"), told apart by how such names end;
dates in prose ("from 1 September 2027 to 30 June 2029", "2027年9月1日开始"), read by the same date reader
as the rest of the assistant; "25 students", "学生25人"; the one amount of money when the agreement has one
money field; a patent number; a quoted project title.
"""

from __future__ import annotations

import re
import warnings
from datetime import date

import cn2an

from assistant.agreements.templates import AgreementTemplate, Field
from assistant.agreements.values import read_date
from assistant.understanding.dates import duration_end, find_dates

# Any year length: "12027-04-01" is taken whole, to be refused as a date, not read as 2027-04-01.
DATE = re.compile(r"(?<!\d)\d+[-/.年]\d{1,2}[-/.月]\d{1,2}日?(?!\d)")
# A range ("30 to 40 students") is taken whole, so the count is asked again rather than guessed.
_RANGE = r"(?:\d+\s*(?:to|or|-|–|~|至|到|或)\s*)?"
# "in the navigation technology programme", "majoring in welding", "大数据技术专业"; after a count of
# students, "in welding technology" too.
_PROGRAMME_EN = re.compile(
    r"\b(?:in|of|from|studying|majoring in)\s+(?:the\s+|our\s+)?([A-Za-z][\w&' -]{2,60}?)"
    r"\s+(?:programme|program|major)\b"
    r"|\bmajoring in\s+([A-Za-z][\w&' -]{2,60}?)(?=[,.;]|$)",
    re.IGNORECASE,
)
_AFTER_COUNT_EN = re.compile(
    r"^\s+(?:in|of|studying)\s+([A-Za-z][\w&' -]{2,60}?)(?=\s*(?:[,.;]|$|\b(?:from|for|starting|with)\b))"
)
_ZH_PROGRAMME_LEAD = re.compile(r"^(?:学生|学员|来自|招收|组建|面向|是|为|[\d一二两三四五六七八九十]+名?)+")
_PROGRAMME_ZH = re.compile(r"(?:^|[，,；;。：:\s]|的)([\u4e00-\u9fff]{2,15}?)专业(?!是|为|[:：])")
_RANGE_START = re.compile(r"\d[\d,，.]*\s*(?:to|and|or|-|–|~|至|到|或)\s*$")
_COUNT = re.compile(
    rf"({_RANGE}\d+)\s*(?:of (?:our|the|their) )?(?:[a-z-]+ )?(?:students|apprentices|interns|trainees|learners"
    rf"|employees|workers|technicians|electricians|operators|staff|people)\b"
    rf"|({_RANGE}\d+)\s*(?:名|个|位)?(?:学生|学徒|实习生|学员|员工|职工|技术员)"
    rf"|({_RANGE}\d+)\s*名"  # 名 counts people, whoever they are ("60名产线技术员")
    rf"|(?:学生|学徒|实习生|学员|员工|职工)\s*({_RANGE}\d+)\s*(?:人|名)",
    re.IGNORECASE,
)
_BETWEEN = re.compile(r"\bbetween (.+?) and (.+?)(?=\s+(?:for|from|starting|on|with|to)\b|[,.;]|$)", re.IGNORECASE)
_PAIR_ZH = re.compile(
    r"([\u4e00-\u9fff]{2,30}?(?:学院|学校|大学))(?:与|和|同|跟)([\u4e00-\u9fff（）()]{2,30}?(?:公司|集团|企业|厂))"
)
# "between 3000 and 3600 yuan" is a range, not two parties: a party's name starts with a capital or a hanzi.
_NAME_START = re.compile(r"\s*(?:the\s+)?[A-Z\u4e00-\u9fff]")
_SEPARATOR = r"\s*(?:is|are|[:：=]|是|为|叫|包括|在)\s*"
# A labelled value runs to the end of its clause; "Co., Ltd." and "No. 5" do not end it.
_VALUE = r"((?:Co\.,?\s*Ltd|[^,;，；。\n.]|\.(?!\s|$))+)"
# "located in Taizhou", "地点在连云港", "基地位于...": where, for a field called location.
_LOCATION = re.compile(
    r"\b(?:located|based|sited) (?:in|at)\s+" + _VALUE + r"|(?:位于|设在|地点在|地点是|地点[:：])\s*" + _VALUE
)
# The licence types the patent law knows, as people write them.
_LICENCE_TYPE = re.compile(
    r"\b(exclusive|sole|non-exclusive|ordinary|general|common)\s+licen[cs]e|(独占|排他|独家|普通|一般)(?:实施)?许可",
    re.IGNORECASE,
)
# How the names of schools and of firms end, in both languages: enough to tell the two parties apart.
_SCHOOL_END_EN = r"(?:College|Polytechnic|University|Institute|School|Academy)"
_FIRM_END_EN = r"(?:Co\.,?\s*Ltd\.?|Co\.|Co\b|Company|Ltd\.?|Group|Corporation|Corp\.|Inc\.|Works|Shipyard|Factory)"
_NAME_WORD = r"(?:[A-Z][\w&'’.-]*|\([A-Z][\w ]*\)|of|and|for|the)"
_SCHOOL_EN = re.compile(rf"\b{_NAME_WORD}(?:\s+{_NAME_WORD})*?\s+{_SCHOOL_END_EN}\b")
_FIRM_EN = re.compile(rf"\b{_NAME_WORD}(?:\s+{_NAME_WORD})*?\s+{_FIRM_END_EN}")
_ORG_ZH = re.compile(r"[\u4e00-\u9fff（）()·]{2,40}?(?:学院|学校|大学|公司|集团|厂)")
_ZH_LEAD = re.compile(
    r"^(?:我们|我方|学校|院校|企业|公司|甲方|乙方|委托方|受托方|许可方|被许可方|是|为|由|与|和|同|跟|把|向|给|委托)+"
)
_SCHOOL_END_ZH = ("学院", "学校", "大学")
_MONEY = re.compile(
    r"(?:CNY|RMB|¥|￥)\s*(\d[\d,，]*(?:\.\d+)?)\s*(万)?"
    r"|(\d[\d,，]*(?:\.\d+)?)\s*(万)?\s*(?:元|CNY|RMB|yuan)",
    re.IGNORECASE,
)
_PATENT_NUMBER = re.compile(r"(?<![A-Za-z0-9])ZL\s?\d{8,13}\.?[\dX](?![\dA-Za-z])", re.IGNORECASE)
_QUOTED = re.compile(r"[\"“「『]([^\"”」』]{3,80})[\"”」』]|(?<![\w])'([^']{3,80})'(?![\w])")
# Where a Chinese organisation's name begins: after the last verb or preposition in front of it
# ("想把专利许可给港通国际物流有限公司", "我们想和连云港港城港口职业学院").
_ZH_BEFORE_NAME = re.compile(r".*(?:想|要|和|与|同|跟|给|向|把|让|在|委托|请|由)")
_ZH_NOT_A_NAME = re.compile(r"^(?:一家|一个|一所|某|这家|那家|这所|该)")
_INSIDE_BRACKETS = re.compile(r"[(（]([^)）]+)[)）]")
_PARENTHETICAL = re.compile(r"\s*[(（][^)）]*[)）]")


def extract_fields(template: AgreementTemplate, message: str, today: date | None = None) -> dict[str, str]:
    """Every value the message states, by field name, as typed (parsing and checking come after)."""
    names = {f.name for f in template.fields}
    found = _labelled(template, message)
    school, enterprise = _parties(message)
    if {"school", "enterprise"} <= names:
        if school:
            found.setdefault("school", school)
        if enterprise:
            found.setdefault("enterprise", enterprise)
    for name, value in zip(("start_date", "end_date"), _dates(message, today or date.today()), strict=False):
        if name in names and value:
            found.setdefault(name, value)
    people = next((f.name for f in template.fields if f.type == "integer" and f.name in ("students", "trainees")), None)
    count = _COUNT.search(message) or _COUNT.search(_arabic_numerals(message))
    if count and people:
        found.setdefault(people, next(g for g in count.groups() if g))
    programme = _programme(message, count)
    if programme and "programme" in names:
        found.setdefault("programme", programme)
    money_fields = [f.name for f in template.fields if f.type == "money"]
    # "预算三十万元" reads as "预算30万元".
    money_text = message if _MONEY.search(message) else _arabic_numerals(message)
    amounts = list(_MONEY.finditer(money_text))
    if len(money_fields) == 1 and len(amounts) == 1 and money_fields[0] not in found:
        amount = amounts[0]
        digits, ten_thousand = (amount[1], amount[2]) if amount[1] else (amount[3], amount[4])
        low = _RANGE_START.search(money_text[: amount.start()])
        # "between 3000 and 3600 yuan" is passed on whole, to be asked again as one figure, not guessed.
        found[money_fields[0]] = f"{low.group(0) if low else ''}{digits}{ten_thousand or ''}"
    patent = _PATENT_NUMBER.search(message)
    if patent and "patent_number" in names:
        found.setdefault("patent_number", patent.group(0).replace(" ", ""))
    quoted = _QUOTED.search(message)
    title = next((n for n in ("project_title", "patent_title", "class_name", "base_name") if n in names), None)
    if quoted and title:
        found.setdefault(title, (quoted.group(1) or quoted.group(2)).strip())
    located = _LOCATION.search(message)
    if located and "location" in names:
        found.setdefault("location", (located.group(1) or located.group(2)).strip())
    licence = _LICENCE_TYPE.search(message)
    if licence and "licence_type" in names:
        found.setdefault("licence_type", licence.group(0).strip())
    return found


def _programme(message: str, count: re.Match[str] | None) -> str | None:
    """The programme (major) the students come from, however it is said."""
    named = _PROGRAMME_EN.search(message)
    if named:
        return (named.group(1) or named.group(2)).strip()
    if count is not None and count.re is _COUNT:
        after = _AFTER_COUNT_EN.match(message[count.end() :])
        if after:
            return after.group(1).strip()
    chinese = _PROGRAMME_ZH.search(message)
    if chinese:
        return _ZH_PROGRAMME_LEAD.sub("", chinese.group(1)) or None
    return None


def _arabic_numerals(message: str) -> str:
    """ "学生三十人" as "学生30人": Chinese numerals written as digits, for the count."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # it warns of every number it leaves as written ("12万")
        try:
            return cn2an.transform(message, "cn2an")
        except ValueError:
            return message


def _labelled(template: AgreementTemplate, message: str) -> dict[str, str]:
    """ "school: X", "学校是X", "project budget (CNY) = 500000": a field's label, then its value."""
    found: dict[str, str] = {}
    for f in template.fields:
        for label in _labels(f):
            match = re.search(
                # "学校Nanjing Huaying ...": a Chinese label needs no separator before a name in Latin letters.
                rf"(?<![\w\u4e00-\u9fff]){re.escape(label)}(?:{_SEPARATOR}|(?<=[\u4e00-\u9fff])(?=(?-i:[A-Z]))){_VALUE}",
                message,
                re.IGNORECASE,
            )
            if match:
                found[f.name] = match.group(1).strip().rstrip("。.")
                break
    return found


def _labels(f: Field) -> list[str]:
    labels = {f.label["en"], f.label["zh"], f.name.replace("_", " ")}
    # "school (licensor)" is also "licensor"; "budget_cny" also "budget", without its unit.
    labels |= {_PARENTHETICAL.sub("", label).strip() for label in labels}
    labels |= {inner.strip() for label in (f.label["en"], f.label["zh"]) for inner in _INSIDE_BRACKETS.findall(label)}
    labels.add(re.sub(r"_(?:cny|percent|month|cny_month)$", "", f.name).replace("_", " "))
    return sorted((label for label in labels if label), key=len, reverse=True)


def _parties(message: str) -> tuple[str | None, str | None]:
    """The school and the enterprise the message names, in whichever way it names them."""
    pair = _BETWEEN.search(message) or _PAIR_ZH.search(message)
    school = enterprise = None
    if pair and all(_NAME_START.match(side) for side in pair.groups()):
        first, second = pair.group(1).strip(), pair.group(2).strip()
        school, enterprise = (second, first) if _is_firm(second) is False and _is_firm(first) else (first, second)
    school = school or _first(_SCHOOL_EN, message)
    enterprise = enterprise or _first(_FIRM_EN, message)
    for candidate in _ORG_ZH.finditer(message):
        name = _ZH_LEAD.sub("", _ZH_BEFORE_NAME.sub("", candidate.group(0))).lstrip("（(")
        if len(name) < 4 or _ZH_NOT_A_NAME.match(name):
            continue
        if name.endswith(_SCHOOL_END_ZH):
            school = school or name
        else:
            enterprise = enterprise or name
    return school, enterprise


def _is_firm(name: str) -> bool | None:
    if re.search(rf"{_FIRM_END_EN}\s*$", name) or name.endswith(("公司", "集团", "厂")):
        return True
    if re.search(rf"{_SCHOOL_END_EN}\s*$", name) or name.endswith(_SCHOOL_END_ZH):
        return False
    return None


def _first(pattern: re.Pattern[str], message: str) -> str | None:
    match = pattern.search(message)
    return re.sub(r"^(?:the|our|and|of|for)\s+", "", match.group(0), flags=re.IGNORECASE).strip() if match else None


def _dates(message: str, today: date) -> tuple[str | None, str | None]:
    """Start and end: written as dates ("2027-09-01", "2027年9月1日", "2027.1.1") or in prose ("1 March
    2027", "到1月31日"), the end also as a length from the start ("for two years", "为期两年")."""
    written = DATE.findall(message)
    found = find_dates(message, today)
    start: str | None = None
    end: str | None = None
    if len(written) >= 2:
        start, end = written[0], written[1]
    elif found is not None and found.start is not None:
        start = written[0] if written else found.start.isoformat()
        if len(found.spans) > 1 and found.end is not None and found.end != found.start:
            end = found.end.isoformat()
    elif written:
        start = written[0]
    begins = _as_day(start, today) if start else None
    if end is None and begins is not None:
        lasts = duration_end(message, begins)
        end = lasts.isoformat() if lasts else None
    return start, end


def _as_day(written: str, today: date) -> date | None:
    try:
        return read_date(written, today)
    except ValueError:
        return None
