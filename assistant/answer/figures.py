"""Figures in questions and sentences: whether a question asks for a count or an amount, and whether a
sentence states one (a year, an article number or a document number labels; it does not count)."""

from __future__ import annotations

import re

_ASKS_FOR_NUMBER = re.compile(
    r"\b(how (many|much)|what (share|percentage|proportion|rate|number)|how large)\b"
    r"|多少|几[个家名所项年]|比例|比率|百分之",
    re.IGNORECASE,
)
YEAR = re.compile(r"(?<!\d)(19|20)\d\d(?!\d)")
# Numbers that label rather than count: years, section and article numbers, document numbers
# (〔2019〕590号), citation marks [3], volume and page ranges of a reference, and "First, ... Third, ..."
# enumerations. A question asking how many or how much is not answered by any of these.
_LABELS = re.compile(
    r"(?<!\d)(19|20)\d\d(?!\d)(\(\d+\))?(:\s*\d+(-\d+)?)?"
    r"|\b(sections?|articles?|chapters?|clauses?|items?|no\.|part|table|figure)\s+\d+(\.\d+)*"
    r"|\d+(\.\d+){2,}|〔\d+〕\d+号|第[\d一二三四五六七八九十百]+[条章款项批]|\[\d+\]"
    r"|(^|[.;:!?]\s+|\n)(first|second|third|fourth|fifth|finally)\b,?",
    re.IGNORECASE,
)
_COUNT = re.compile(
    r"\d|\b(two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundreds?"
    r"|thousands?|millions?|billions?|half|dozens?|(a|one|two) (third|quarter)s?|double|twice|percent)\b"
    r"|[两二三四五六七八九十百千万亿]+[个家名所项条批年倍成万亿]|百分之|一半|半数|%",
    re.IGNORECASE,
)
_ASKS_FOR_MONEY = re.compile(r"\b(money|yuan|rmb|spen[dt]|budget|funds? amount|cost)\b|多少钱|资金|经费|元", re.I)
_MONEY = re.compile(r"¥|￥|\byuan\b|\brmb\b|元", re.IGNORECASE)
_YEAR_RANGE = re.compile(r"(?<!\d)(?:19|20)\d\d\s*[-–—~至到]\s*(?:19|20)\d\d(?!\d)")


def asks_for_number(question: str) -> bool:
    """ "How many", "what share", "多少": the answer is a count or an amount."""
    return bool(_ASKS_FOR_NUMBER.search(question))


def own_years(title: str) -> set[str]:
    """Years a title names as its document's own ("the 2019 measures"); a period it covers ("action plan
    2023–2025") says nothing about what happened in one of those years."""
    return {m.group(0) for m in YEAR.finditer(_YEAR_RANGE.sub(" ", title))}


def states_a_figure(question: str, sentence: str, years: set[str], title_years: set[str]) -> bool:
    """The sentence states a count or an amount, of money when money is asked about, and in the year asked
    about when one is named (by the sentence or as its document's own year, `title_years`)."""
    if not _COUNT.search(_LABELS.sub(" ", sentence)):
        return False
    if _ASKS_FOR_MONEY.search(question) and not _MONEY.search(sentence):
        return False
    return all(year in sentence or year in title_years for year in years)
