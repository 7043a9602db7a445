"""The values a teacher's message states for a draft, however it states them.

"School: X", "学校是X", "between X and Y", "X与Y"; an organisation named in passing ("our college is
Nantong Binjiang Shipping Technical College", "企业江风海上风电有限公司"), told apart by how such names end;
dates in prose ("from 1 September 2027 to 30 June 2029", "2027年9月1日开始"), read by the same date reader
as the rest of the assistant; "25 students", "学生25人"; the one amount of money when the agreement has one
money field; a patent number; a quoted project title.
"""

from __future__ import annotations

import functools
import re
from datetime import date

import jieba

from assistant.agreements.parties import chinese_name, drop_leading_words, is_firm, parties
from assistant.agreements.prose import ADDRESS, VALUE, told_in_prose, unwrapped
from assistant.agreements.templates import AgreementTemplate, Field, templates
from assistant.agreements.values import read_date
from assistant.understanding.dates import duration_end, find_dates
from assistant.understanding.numbers import as_digits

# Any year length: "12027-04-01" is taken whole, to be refused as a date, not read as 2027-04-01.
DATE = re.compile(r"(?<!\d)\d+[-/.年]\d{1,2}[-/.月]\d{1,2}[日号]?(?!\d)")
_TOTAL_BEFORE = re.compile(r"(?:一共|总共|共计|合计|共|总计|total of|in all)\s*$", re.IGNORECASE)
_TOTAL_AFTER = re.compile(r"^\s*(?:in total|in all|altogether)\b", re.IGNORECASE)
# "二〇二七年九月一日": a date in Chinese numerals, read as figures (and only the date: "为期两年" stays words).
_ZH_NUMERAL_DATE = re.compile(
    r"[〇零○一二三四五六七八九]{2,4}年[一二三四五六七八九十]{1,2}月(?:[一二三四五六七八九十]{1,3}[日号])?"
)
# "27年3月1号": a year in two figures is this century's.
_TWO_DIGIT_YEAR = re.compile(r"(?<!\d)(\d{2})年(?=\d{1,2}月)")
_CALENDAR = re.compile(r"\d|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|年|月|日|号", re.IGNORECASE)
# A range ("30 to 40 students") is taken whole, so the count is asked again rather than guessed.
_RANGE = r"(?:\d+\s*(?:to|or|-|–|~|至|到|或)\s*)?"
# "in the navigation technology programme", "majoring in welding", "大数据技术专业"; after a count of
# students, "in welding technology" too.
_PROGRAMME_EN = re.compile(
    r"\b(?:in|into|of|for|from|studying|majoring in)\s+(?:the\s+|our\s+)?([A-Za-z][\w&' -]{2,60}?)"
    r"\s+(?:programme|program|major)\b"
    r"|\bmajoring in\s+([A-Za-z][\w&' -]{2,60}?)(?=[,.;]|$)"
    r"|\bfor (?:our|the|their) ([A-Za-z][\w&' -]{2,40}?) students\b"
    # "a class of 30 Marine Engineering students": a programme's name in capitals between a count and them
    r"|\b\d+\s+((?:[A-Z][\w&'-]*\s+){1,6}?)(?:students|apprentices|interns|trainees)\b",
    re.IGNORECASE,
)
_AFTER_COUNT_EN = re.compile(
    r"^\s+(?:in|of|studying)\s+([A-Za-z][\w&' -]{2,60}?)(?=\s*(?:[,.;]|$|\b(?:from|for|starting|with)\b))"
)
_ZH_PROGRAMME_LEAD = re.compile(r"^(?:学生|学员|来自|招收|组建|面向|是|为|从|在|由|[\d一二两三四五六七八九十]+名?)+")
# The span starts after a mark, 的, or the end of a party's name ("…有限公司联合培养粮食工程专业学徒").
_PROGRAMME_ZH = re.compile(
    r"(?:^|[，,；;。：:\s]|的|学院|学校|大学|公司|集团|厂)([\u4e00-\u9fff]{2,15}?)专业(?!是|为|[:：])"
)
_RANGE_START = re.compile(r"\d[\d,，.]*\s*(?:to|and|or|-|–|~|至|到|或)\s*$")
_PEOPLE_EN = (
    r"(?:students?|apprentices?|interns?|trainees?|learners?|employees?|workers?|technicians?|electricians?"
    r"|operators?|staff|people|participants?)"
)
_COUNT = re.compile(
    # "25 students", "60 of our line workers", "a 35-student class"
    rf"({_RANGE}\d+)\s*-?\s*(?:of (?:our|the|their) )?(?:[a-z-]+ )?{_PEOPLE_EN}\b"
    # "35 of our drivers": a share of the people a party has, whatever they are called
    rf"|({_RANGE}\d+) of (?:our|the|their|your) (?:[a-z-]+ ){{0,2}}?[a-z]+s\b"
    # "train 50 employes", "host 40 interns": the people a verb takes, whatever (or however spelt) they are
    rf"|\b(?:train|host|take|recruit|enrol|enroll|accept|admit|place)\s+(?:about |around |some )?({_RANGE}\d+)\s+[a-z]"
    # "into the X programme, 24 of them"
    rf"|\b({_RANGE}\d+) of them\b"
    # "a class of 35", "a cohort of 20"
    rf"|\b(?:class|group|cohort|batch) of ({_RANGE}\d+)\b"
    # "Interns: 12", "Trainees - 80 front-office staff", "Apprentices: a class of 28"
    rf"|\b{_PEOPLE_EN}\s*(?:[:：=]|\s[-–—])\s*(?:a (?:class|group) of\s+)?({_RANGE}\d+)"
    rf"|({_RANGE}\d+)\s*(?:名|个|位)?(?:学生|学徒|实习生|学员|员工|职工|技术员)"
    rf"|({_RANGE}\d+)\s*名"  # 名 counts people, whoever they are ("60名产线技术员")
    rf"|({_RANGE}\d+)\s*个?人(?!民)"  # "组建32人的订单班", "大概40个人"
    rf"|(?:学生|学徒|实习生|学员|员工|职工)\s*({_RANGE}\d+)\s*(?:人|名)"
    # "第一批先招二十个", "接收30名": the people a verb takes in
    rf"|(?:招|招收|接收|录取|选拔|挑选|挑|选)\s*({_RANGE}\d+)\s*(?:个|名|位|人)"
    # "学生：20人", "实习人数：18人", "人数：40"
    rf"|(?:学生|学徒|实习生|学员|员工|职工|人数)\s*[:：]\s*({_RANGE}\d+)",
    re.IGNORECASE,
)
_BETWEEN = re.compile(r"\bbetween (.+?) and (.+?)(?=\s+(?:for|from|starting|on|with|to)\b|[,.;]|$)", re.IGNORECASE)
_PAIR_ZH = re.compile(
    r"([\u4e00-\u9fff]{2,30}?(?:学院|学校|大学))(?:与|和|同|跟)([\u4e00-\u9fff（）()]{2,30}?(?:公司|集团|企业|厂))"
)
# "between 3000 and 3600 yuan" is a range, not two parties: a party's name starts with a capital or a hanzi.
_NAME_START = re.compile(r"\s*(?:the\s+)?[A-Z\u4e00-\u9fff]")
_SEPARATOR = r"\s*(?:is|are|[:：=|]|是|为|叫|包括|在)\s*"
_FIGURE = re.compile(
    r"(?:CNY|RMB|¥|￥|人民币)?\s*(?:\d[\d,，.]*|[一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟零〇]+)"
    r"(?:\s*(?:to|-|–|~|至|到|或)\s*\d[\d,，.]*)?"
    r"\s*(?:百万|万|千|亿|k\b|thousand|million|mn|billion|bn)?\s*(?:元|yuan|CNY|RMB|人|名)?",
    re.IGNORECASE,
)
# "School - X", "Courses — ...": a dash with space around it labels a value too.
_DASH = r"\s+[-–—]\s+"
# The licence types the patent law knows, as people write them.
_LICENCE_TYPE = re.compile(
    r"\b(exclusive|sole|non-exclusive|ordinary|general|common)\s+licen[cs]e|(独占|排他|独家|普通|一般)(?:实施)?(?:许可|的)",
    re.IGNORECASE,
)
_MONEY = re.compile(
    r"(?:CNY|RMB|¥|￥)\s*(\d[\d,，]*(?:\.\d+)?)\s*(万|百万|亿|千|k\b|thousand|million|mn\b)?"
    r"|(\d[\d,，]*(?:\.\d+)?)\s*(万|百万|亿|千|k\b|thousand|million|mn\b)?\s*(?:元|块|CNY|RMB|yuan)"
    # "经费大概80万": 万 without 元 is money, unless it counts people or things ("3万名学生", "2万台").
    r"|(\d[\d,，]*(?:\.\d+)?)\s*(万|百万|亿)(?![\d名个位人台套件次家所户学员职])",
    re.IGNORECASE,
)
# "ZL202310123456.7", also written in groups ("ZL 2023 2 0123456.7").
_PATENT_NUMBER = re.compile(r"(?<![A-Za-z0-9])ZL\s?(?:\d\s?){8,13}\.?[\dX](?![\dA-Za-z])", re.IGNORECASE)
_INSIDE_BRACKETS = re.compile(r"[(（]([^)）]+)[)）]")
_PARENTHETICAL = re.compile(r"\s*[(（][^)）]*[)）]")
# A labelled date runs to the end of its clause: "September 1st, 2027" has a comma inside.
_CLAUSE = re.compile(r"[^;；。，\n|]+")


def extract_fields(template: AgreementTemplate, message: str, today: date | None = None) -> dict[str, str]:
    """Every value the message states, by field name, as typed (parsing and checking come after)."""
    names = {f.name for f in template.fields}
    today = today or date.today()
    message = unwrapped(message)
    found = _labelled(template, message, today)
    school, enterprise = _parties(message)
    if {"school", "enterprise"} <= names:
        for side, name in (("school", school), ("enterprise", enterprise)):
            # "Licensee: our company, Yancheng Lvneng Battery Co., Ltd.": the name, not the words before it.
            if name and (side not in found or is_firm(found[side]) is None):
                found[side] = name
    for name, value in zip(("start_date", "end_date"), _dates(message, today), strict=False):
        if name in names and value:
            found.setdefault(name, value)
    people = next((f.name for f in template.fields if f.type == "integer" and f.name in ("students", "trainees")), None)
    # "学生三十人", "fifty students": numbers in words are read as figures when the figures say nothing.
    count = _count(message) or _count(as_digits(message))
    if count and people:
        found.setdefault(people, next(g for g in count.groups() if g))
    programme = _programme(message, count)
    if programme and "programme" in names:
        found.setdefault("programme", programme)
    money_fields = [f.name for f in template.fields if f.type == "money"]
    # "预算三十万元" reads as "预算30万元".
    money_text = message if _MONEY.search(message) else as_digits(message)
    amounts = list(_MONEY.finditer(money_text))
    if len(money_fields) == 1 and len(amounts) == 1 and money_fields[0] not in found:
        amount = amounts[0]
        digits, magnitude = next((amount[i], amount[i + 1]) for i in (1, 3, 5) if amount[i])
        low = _RANGE_START.search(money_text[: amount.start()])
        # "between 3000 and 3600 yuan" is passed on whole, to be asked again as one figure, not guessed.
        found[money_fields[0]] = f"{low.group(0) if low else ''}{digits}{magnitude or ''}"
    patent = _PATENT_NUMBER.search(message)
    if patent and "patent_number" in names:
        # The number itself, not the rest of a run-on line after "专利号".
        found["patent_number"] = patent.group(0).replace(" ", "")
    for name, value in told_in_prose(names, message).items():
        found.setdefault(name, value)
    licence = _LICENCE_TYPE.search(message)
    if licence and "licence_type" in names:
        found.setdefault("licence_type", licence.group(0).strip())
    return found


def _count(message: str) -> re.Match[str] | None:
    """The number of people: the total where one is given ("每批40人，一共80人", "60 students in total")."""
    counts = list(_COUNT.finditer(message))
    totals = [c for c in counts if _TOTAL_BEFORE.search(message[: c.start()]) or _TOTAL_AFTER.match(message[c.end() :])]
    return (totals or counts or [None])[0]


def _programme(message: str, count: re.Match[str] | None) -> str | None:
    """The programme (major) the students come from, however it is said."""
    named = _PROGRAMME_EN.search(message)
    if named:
        return next(g for g in named.groups() if g).strip()
    if count is not None and count.re is _COUNT:
        after = _AFTER_COUNT_EN.match(message[count.end() :])
        if after:
            return after.group(1).strip()
    named_zh = list(_PROGRAMME_ZH.finditer(message))
    if named_zh:
        # "去年在轮机专业试过……招收船舶电气专业学生28名": the programme next to the count.
        near = min(named_zh, key=lambda m: abs(m.start() - count.start())) if count is not None else named_zh[0]
        # "这次招收机电一体化": pronouns, times and adverbs in front go ("这次"), not verbs, which may begin a
        # programme's name ("制冷与空调技术").
        return _ZH_PROGRAMME_LEAD.sub("", drop_leading_words(near.group(1), ("r", "t", "d"))) or None
    return None


def _labelled(template: AgreementTemplate, message: str, today: date) -> dict[str, str]:
    """ "school: X", "学校是X", "School - X", "project budget (CNY) = 500000": a field's label, then its value;
    then a short form of a label ("Project: ...", "课程：...", "Fee - ...") where it names one field only."""
    found: dict[str, str] = {}
    for f in template.fields:
        for label in _labels(f):
            match = re.search(
                # "学校Nanjing Huaying ...": a Chinese label needs no separator before a name in Latin letters.
                rf"(?<![\w\u4e00-\u9fff]){re.escape(label)}"
                # "专业 铁道机车运用与维护": a Chinese label and a space.
                rf"(?:{_SEPARATOR}|{_DASH}|(?<=[\u4e00-\u9fff])(?=(?-i:[A-Z]))"
                rf"|(?<=[\u4e00-\u9fff])[ \t]+(?=[\u4e00-\u9fff]))"
                # "Location: No. 8 Linye Road, Dunhua": an address keeps its commas.
                rf"{ADDRESS if f.name == 'location' else VALUE}",
                message,
                re.IGNORECASE,
            )
            # "The budget is still being negotiated", "人数还没统计出来": a label without a figure gives no count,
            # amount or date; the field stays open.
            if match and _fits(f, match.group(1)):
                found[f.name] = _as_typed(f, match.group(1), message[match.start(1) :], today)
                break
    for label, names in _short_labels(template.kind).items():
        match = re.search(
            rf"(?<![\w\u4e00-\u9fff]){re.escape(label)}\s*(?:[:：=|]|{_DASH}|包括|是|为)\s*{VALUE}",
            message,
            re.IGNORECASE,
        )
        if match is None:
            continue
        # "Project: Intelligent hull-welding ..." is the project's title, not its budget: the value decides.
        fitting = [n for n in names if n not in found and _fits(template.field(n), match.group(1))]
        if len(fitting) == 1:
            found[fitting[0]] = _as_typed(template.field(fitting[0]), match.group(1))
    return found


def _labels(f: Field) -> list[str]:
    labels = {f.label["en"], f.label["zh"], f.name.replace("_", " "), *(w for ws in f.also_called.values() for w in ws)}
    # "school (licensor)" is also "licensor"; "budget_cny" also "budget", without its unit.
    labels |= {_PARENTHETICAL.sub("", label).strip() for label in labels}
    labels |= {inner.strip() for label in (f.label["en"], f.label["zh"]) for inner in _INSIDE_BRACKETS.findall(label)}
    labels.add(re.sub(r"_(?:cny|percent|month|cny_month)$", "", f.name).replace("_", " "))
    return sorted((label for label in labels if label), key=len, reverse=True)


@functools.cache
def _short_labels(kind: str) -> dict[str, list[str]]:
    """Short labels and the fields they may name: the first and last words of a field's English label
    ("project", "fee", "courses"), the last word of its Chinese one ("课程", "岗位"). Once per kind."""
    fields: dict[str, list[str]] = {}
    for f in templates()[kind].fields:
        english = _PARENTHETICAL.sub("", f.label["en"]).split()
        chinese = [w for w in jieba.lcut(_PARENTHETICAL.sub("", f.label["zh"])) if len(w) > 1]
        for word in {w.lower() for w in english[:1] + english[-1:] if len(w) > 2} | set(chinese[-1:]):
            fields.setdefault(word, []).append(f.name)
    return fields


def _as_typed(field: Field, value: str, rest: str = "", today: date | None = None) -> str:
    """A labelled value as far as it goes: for a count or an amount, the figure and its unit only ("The budget
    is CNY 300,000 and the project runs ..." gives "CNY 300,000"); for a date, the day the date reader finds
    in the clause, whose comma does not end it ("Start date: September 1st, 2027; ...")."""
    value = value.strip().rstrip("。.").strip('"“”「」『』')
    if field.type in ("integer", "money"):
        figure = _FIGURE.search(value)
        return figure.group(0).strip() if figure else value
    if field.type == "date" and rest and today is not None:
        clause = _CLAUSE.match(rest)
        found = find_dates(clause.group(0), today) if clause else None
        # One day only: "next March" stays as typed, to be asked again as a day rather than guessed.
        if found is not None and found.start is not None and found.start == found.end:
            return found.start.isoformat()
    return value


def _fits(field: Field, value: str) -> bool:
    """A short label is trusted only with a value of the field's kind: a figure for a count or an amount,
    a date for a date, words for text."""
    if field.type == "date" and _CALENDAR.search(value):
        return True  # "next May" is kept as typed, to be asked again as a day; "to be decided" is no date
    if field.type in ("integer", "money", "date"):
        return bool(re.search(r"\d|[一二两三四五六七八九十百千万壹贰叁肆伍陆柒捌玖拾佰仟]", value))
    return not re.fullmatch(r"[\d\s,.，。万元yuanCNYRMB¥￥]+", value, re.IGNORECASE)


def _parties(message: str) -> tuple[str | None, str | None]:
    """The school and the enterprise the message names, in whichever way it names them."""
    pair = _BETWEEN.search(message) or _PAIR_ZH.search(message)
    school = enterprise = None
    if pair and all(_NAME_START.match(side) for side in pair.groups()):
        first, second = pair.group(1).strip(), pair.group(2).strip()
        if pair.re is _PAIR_ZH:  # "我校淮安X学院与Y公司": the names without the words in front
            first, second = chinese_name(first) or first, chinese_name(second) or second
        school, enterprise = (second, first) if is_firm(second) is False and is_firm(first) else (first, second)
    named_school, named_firm = parties(message)
    return school or named_school, enterprise or named_firm


def _dates(message: str, today: date) -> tuple[str | None, str | None]:
    """Start and end: written as dates ("2027-09-01", "2027年9月1日", "二〇二七年九月一日", "27年3月1号") or in
    prose ("1 March 2027", "到1月31日"), the end also as a length from the start ("for two years", "为期两年")."""
    message = _TWO_DIGIT_YEAR.sub(r"20\1年", _ZH_NUMERAL_DATE.sub(lambda m: as_digits(m.group(0)), message))
    # An amount is never a date ("CNY 2.5 million" is not 5 February).
    message = _MONEY.sub(lambda m: " " * len(m.group(0)), message)
    written = DATE.findall(message)
    found = find_dates(message, today)
    start: str | None = None
    end: str | None = None
    if len(written) >= 2:
        start, end = written[0], written[1]
    elif found is not None and found.start is not None and _on_the_calendar(message, found.spans):
        # One day written out and one in words ("从2027年9月起到2029年6月30日"): the written one is not
        # necessarily the start; the reader's range orders them.
        typed_start = written[0] if written and _as_day(written[0], today) == found.start else None
        start = typed_start or found.start.isoformat()
        if len(found.spans) > 1 and found.end is not None and found.end != found.start:
            end = found.end.isoformat()
        else:
            # "Kick-off: 1 June 2027 / Completion: 31 May 2029": each line read on its own.
            days = [d for line in message.splitlines() if (d := _one_day(line, today)) is not None]
            if len(days) >= 2 and days[1] > days[0]:
                start, end = days[0].isoformat(), days[1].isoformat()
    elif written:
        start = written[0]
    begins = _as_day(start, today) if start else None
    if end is None and begins is not None:
        lasts = duration_end(message, begins)
        end = lasts.isoformat() if lasts else None
    return start, end


def _on_the_calendar(message: str, spans: tuple[tuple[int, int], ...]) -> bool:
    """A day written with a figure or a month's name, not "now" or "today": a draft's term is never "now"."""
    return any(_CALENDAR.search(message[a:b]) for a, b in spans)


def _one_day(line: str, today: date) -> date | None:
    found = find_dates(line, today)
    if found is None or found.start is None or found.start != found.end or not _on_the_calendar(line, found.spans):
        return None
    return found.start


def _as_day(written: str, today: date) -> date | None:
    try:
        return read_date(written, today)
    except ValueError:
        return None
