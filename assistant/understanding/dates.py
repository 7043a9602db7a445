"""Dates named in a message, as the range they mean, against today's date in Asia/Shanghai.

dateparser finds and reads the dates, in English and Chinese, absolute and relative ("1 March 2027",
"next Tuesday", "下个月", "2027年3月1日"), and says how much of the calendar each covers (a day, a week, a
month, a year). What it cannot read, this module reads before it: Chinese days of a week ("下周三") and
month-days without a year ("1月5日"), both missed by dateparser 1.5. What the words around the dates mean
("after", "before", "between ... and", "之前", "June or July") is read here.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache

import cn2an
import dateparser
from dateparser.date import DateDataParser
from dateparser.languages.loader import LocaleDataLoader
from dateparser.search import search_dates

from assistant.understanding.vocabulary import normalise

LANGUAGES = ["en", "zh"]

_ZH_WEEKDAY = re.compile(r"(本|这|下|下个|这个)?(?:周|星期|礼拜)([一二三四五六日天])")
_ZH_WEEKDAYS = "一二三四五六"
_ZH_MONTH_DAY = re.compile(r"(?:(\d{4})\s*年\s*)?(?<!\d)(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]")
# "上午9点半", "下午3点", "14:30": the hour of a day, read here (dateparser reads "上午9" as the 9th).
_ZH_TIME = re.compile(r"(上午|早上|中午|下午|晚上)?\s*(\d{1,2})\s*(?:[点:：]\s*(半|\d{1,2})?\s*分?)")
_SENTENCE = re.compile(r"[^.!?。！？\n]+[.!?。！？\n]*")
# What the words around a date make of it. English says it before the date, Chinese after.
_LOWER_BEFORE = re.compile(r"\b(after|since|from|starting|beginning|later than|no earlier than|on or after)\s*$")
_UPPER_BEFORE = re.compile(r"\b(before|earlier than|prior to)\s*$")
_UNTIL_BEFORE = re.compile(r"\b(until|till|by|no later than|up to)\s*$")
_LOWER_AFTER = re.compile(r"^\s*(之后|以后|以来|起|后)")
_UPPER_AFTER = re.compile(r"^\s*(之前|以前|前)")
_OPEN_ENDED = re.compile(r"^\s*(on|onwards|onward)\b")
_DAY_BEFORE_RANGE = re.compile(r"(?<![\d.,/-])(\d{1,2})\s*(?:and|to|until|till|-|–|—|~|至|到)\s*$")
_DAY_BEFORE_MONTH = re.compile(r"(?<![\d.,/-])(\d{1,2})(?:st|nd|rd|th)?\s+$")
_JOINABLE = re.compile(r"^[\s,]*$")
# "one day", "two years", "a week": how long, or someday; "next year" names one.
_BARE_DURATION = re.compile(
    r"(?!(?:next|last|this|coming|past|previous)\b)[\w-]+\s+(?:day|week|month|year)s?"
    # A rate ("5500 a month", "twice per week") is how often or how much, not when.
    r"|(?:[\d,.]+\s+)?(?:a|an|per|every|each)\s+(?:day|week|month|year)"
    # The present ("for now", "现在") is when the question is asked, not a date to filter by.
    r"|(?:right\s+)?now|现在|目前|当前",
    re.IGNORECASE,
)
_DURATION_EN = re.compile(r"\bfor\s+((?:a|an|[\w-]+|\d+(?:\.\d+)?)\s+(?:years?|months?|weeks?))\b", re.IGNORECASE)
# "为期两年", "自2027年9月1日起三年": a length after 为期/期限/共/持续, or right after the 起 of a start.
_DURATION_ZH = re.compile(r"(?:为期|期限|共|持续|起)\s*([\d一二两三四五六七八九十百]+)\s*(个)?\s*(年|月|周|星期)")
_DIGIT = re.compile(r"\d")
_CALENDAR_DIGITS = re.compile(
    r"(?<!\d)\d{4}(?!\d)|\d{1,4}\s*[-/.:]\s*\d{1,2}|\d\s*[年月日号点]|\d\s*(?:am|pm|a\.m\.|p\.m\.)", re.IGNORECASE
)
_LEADING_WORDS = re.compile(
    r"(?:(?:after|since|from|before|until|till|by|on|in|at|and|to|the|of|starting|beginning)\s+|[-–—~至到]\s*)+",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DateRange:
    """From `start` to `end`, both inclusive; either may be open. `at` is the time of day when one day and
    its hour were named ("14 January 2027 at 11:30"). `spans` are where the message named them."""

    start: date | None
    end: date | None
    spans: tuple[tuple[int, int], ...] = ()
    at: time | None = None


@dataclass(frozen=True)
class _Found:
    start: int
    end: int
    first: date
    last: date
    at: time | None = None


def find_dates(message: str, today: date) -> DateRange | None:
    """The range of dates the message asks about, or None when it names none."""
    text = normalise(message)
    found = _chinese_days(text, today)
    if _may_name_a_date(text):
        found.extend(_parsed(text, today, taken=found))
    if not found:
        return None
    found.sort(key=lambda f: f.start)
    # "I finish my exams in May. Any apprenticeships starting in June or July?": what is asked for is in
    # the last sentence that names a date; earlier ones are context.
    sentences = [m.span() for m in _SENTENCE.finditer(text)]
    last = next((s for s in reversed(sentences) if any(s[0] <= f.start < s[1] for f in found)), (0, len(text)))
    found = [f for f in found if last[0] <= f.start < last[1]]
    spans = tuple((f.start, f.end) for f in found)
    if len(found) == 1:
        only = found[0]
        before, after = text[: only.start].lower(), text[only.end :]
        if (_LOWER_BEFORE.search(before) and not _has_second_bound(after)) or _LOWER_AFTER.search(after):
            return DateRange(only.first, None, spans)
        if _UPPER_BEFORE.search(before) or _UPPER_AFTER.search(after):
            return DateRange(None, only.first, spans)
        if _UNTIL_BEFORE.search(before):
            return DateRange(None, only.last, spans)
        return DateRange(only.first, only.last, spans, only.at)
    return DateRange(min(f.first for f in found), max(f.last for f in found), spans)


def duration_end(message: str, start: date) -> date | None:
    """The last day of a period stated as a length from `start` ("for two years", "为期18个月"), or None."""
    text = normalise(message)
    english, chinese = _DURATION_EN.search(text), _DURATION_ZH.search(text)
    if english:
        phrase, language = f"in {english.group(1)}", "en"
    elif chinese:
        try:
            count, unit = cn2an.cn2an(chinese.group(1), "smart"), chinese.group(3)
        except ValueError:
            return None
        phrase, language = f"{count}{'个' if unit == '月' else ''}{unit}后", "zh"
    else:
        return None
    base = datetime.combine(start, time(12))
    ended = dateparser.parse(phrase, languages=[language], settings={"RELATIVE_BASE": base})
    return ended.date() - timedelta(days=1) if ended is not None and ended.date() > start else None


def _has_second_bound(after: str) -> bool:
    return bool(re.match(r"^\s*(to|until|till|and|-|–)\b", after))


def _chinese_days(text: str, today: date) -> list[_Found]:
    found = []
    monday = today - timedelta(days=today.weekday())
    for match in _ZH_WEEKDAY.finditer(text):
        which, day = match.groups()
        offset = _ZH_WEEKDAYS.index(day) if day in _ZH_WEEKDAYS else 6
        week = monday + timedelta(days=7 if which in ("下", "下个") else 0)
        target = week + timedelta(days=offset)
        if which is None and target < today:
            target += timedelta(days=7)  # "周五" on a Saturday: the coming Friday
        found.append(_Found(match.start(), match.end(), target, target))
    # A month-day without its year follows the date before it ("2027年6月14日到12月13日" ends in 2027).
    anchor = today
    for match in _ZH_MONTH_DAY.finditer(text):
        year, month, day = match.groups()
        target = _on(int(year), int(month), int(day)) if year else _next_date(anchor, int(month), int(day))
        if target is None:
            continue
        anchor = max(anchor, target)
        end, at = match.end(), None
        hour = _ZH_TIME.match(text, end)
        if hour is not None:
            end, at = hour.end(), _zh_time(hour)
        found.append(_Found(match.start(), end, target, target, at))
    return found


def _on(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _zh_time(match: re.Match[str]) -> time | None:
    part, hour, minute = match.groups()
    hour_of_day = int(hour) + (12 if part in ("下午", "晚上") and int(hour) < 12 else 0)
    minutes = 30 if minute == "半" else int(minute or 0)
    return time(hour_of_day, minutes) if hour_of_day < 24 and minutes < 60 else None


def _next_date(today: date, month: int, day: int) -> date | None:
    """The next 1月5日 from today (this year's, or next year's once it has passed)."""
    for year in (today.year, today.year + 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            return None
        if candidate >= today:
            return candidate
    return None


def _parsed(text: str, today: date, taken: list[_Found]) -> list[_Found]:
    masked = list(text)
    for f in taken:
        masked[f.start : f.end] = " " * (f.end - f.start)
    base = datetime.combine(today, datetime.min.time()).replace(hour=12)
    settings = {"RELATIVE_BASE": base, "PREFER_DATES_FROM": "future", "RETURN_TIME_AS_PERIOD": True}
    hits = search_dates("".join(masked), languages=LANGUAGES, settings=settings) or []
    located: list[tuple[int, int, str]] = []
    cursor = 0
    for phrase, _ in hits:
        # dateparser gives the phrase with its spaces collapsed: find it again in the text as written.
        where = re.compile(r"\s+".join(map(re.escape, phrase.split()))).search(text, cursor)
        if where is None:
            continue
        start, end = where.span()
        if _BARE_DURATION.fullmatch(phrase.strip()):
            continue  # "one day" is someday, "a week" how long: neither names a date
        # The words that only lead into a date ("after", "and") are read as context, not as the date.
        lead = _LEADING_WORDS.match(text, start, end)
        if lead and lead.end() < end:
            start = lead.end()
        if text[end : end + 1] in ("日", "号"):
            end += 1  # dateparser stops at "2027年5月1", leaving "日之前" to be read as what follows
        located.extend(_pieces(text, start, end))
        cursor = end
    # "May 2027" comes back as "May" and "2027": read adjacent pieces as one date.
    merged: list[tuple[int, int]] = []
    for start, end, phrase in located:
        # A bare number after a date ("30 June 2030, 15 students") is not a piece of it.
        if merged and _JOINABLE.match(text[merged[-1][1] : start]) and _names_the_calendar(phrase):
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    found = []
    for start, end in merged:
        if not _names_the_calendar(text[start:end]):
            continue  # "40" in "30 to 40 students", "at 10": a bare number is read as a year or a month
        span = _span(text[start:end], settings)
        if span is None:
            continue
        first, last, at = span
        day_before = _DAY_BEFORE_RANGE.search(text[:start])
        if day_before and first == last:
            # "between 18 and 22 January 2027": the first day borrows the month and year of the second.
            try:
                found.append(_Found(day_before.start(), end, first.replace(day=int(day_before.group(1))), last))
                continue
            except ValueError:
                pass
        found.append(_Found(start, end, first, last, at))
    return found


def _pieces(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """A phrase dateparser found, cut at its commas into the pieces that name the calendar ("June 2030, 15
    students" is June 2030; "a month, 1" is nothing), each with a day number written just before a month
    ("1 March 2027", which dateparser can leave as "March 2027")."""
    pieces = []
    for part in re.finditer(r"[^,]+", text[start:end]):
        first, last = start + part.start(), start + part.end()
        while first < last and text[first] in " \t":
            first += 1
        phrase = text[first:last].rstrip()
        if not phrase or not _names_the_calendar(phrase) or _BARE_DURATION.fullmatch(phrase):
            continue
        day = _DAY_BEFORE_MONTH.search(text[:first])
        if day and phrase[:1].isalpha():
            first = day.start(1)
        pieces.append((first, first + len(text[first:last].rstrip()), text[first:last].rstrip()))
    return pieces


def _span(phrase: str, settings: dict) -> tuple[date, date, time | None] | None:
    data = _parser(tuple(sorted((k, v) for k, v in settings.items()))).get_date_data(phrase)
    if data.date_obj is None or not 1900 <= data.date_obj.year <= 2200:
        return None  # a number that only parses as a year of antiquity is no date anyone asks about
    day = data.date_obj.date()
    if data.period == "week":
        monday = day - timedelta(days=day.weekday())
        return monday, monday + timedelta(days=6), None
    if data.period == "month":
        return day.replace(day=1), day.replace(day=calendar.monthrange(day.year, day.month)[1]), None
    if data.period == "year":
        return date(day.year, 1, 1), date(day.year, 12, 31), None
    return day, day, data.date_obj.time() if data.period == "time" else None


@cache
def _parser(settings: tuple) -> DateDataParser:
    return DateDataParser(languages=LANGUAGES, settings=dict(settings))


@cache
def _date_words() -> re.Pattern[str]:
    """Words that can name a date in dateparser's own language data (month and weekday names, "week",
    "tomorrow", "下个月"...): a message with none of them and no digit is not handed to the parser."""
    words: set[str] = set()
    loader = LocaleDataLoader()
    for code in LANGUAGES:
        info = loader.get_locale(code).info
        for key in (*calendar.month_name[1:], *calendar.day_name, "year", "month", "week", "day"):
            # Two-letter abbreviations ("we", "mo", "th") are everyday words far more often than days.
            words.update(w for w in info.get(key.lower(), []) if len(w) > (2 if w.isascii() else 1))
        for phrases in info.get("relative-type", {}).values():
            words.update(phrases)
    english = sorted((w for w in words if w.isascii()), key=len, reverse=True)
    chinese = sorted((w for w in words if not w.isascii()), key=len, reverse=True)
    english_part = r"\b(?:" + "|".join(map(re.escape, english)) + r")\b"
    return re.compile("|".join([english_part, *map(re.escape, chinese)]), re.IGNORECASE)


def _may_name_a_date(text: str) -> bool:
    return _date_words().search(text) is not None or _DIGIT.search(text) is not None


def _names_the_calendar(phrase: str) -> bool:
    """Whether a phrase says it is a date: a month, weekday or relative word, a four-digit year, digits
    joined as dates and times are ("1/3", "14:30"), or 年月日. One or two bare digits are a count."""
    return _date_words().search(phrase) is not None or _CALENDAR_DIGITS.search(phrase) is not None
