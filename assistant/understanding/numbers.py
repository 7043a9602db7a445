"""Numbers written as words, in either language, as digits: "四十五人" is "45人", "人民币贰拾万元整" is
"人民币200000元整", "eighteen students" is "18 students". cn2an reads Chinese (daily and financial
numerals, dates like 二〇二七年九月一日); text2num reads English, and leaves "one" and "two" alone, which are
more often words than counts ("one order class", "the two sides")."""

from __future__ import annotations

import contextlib
import re
import warnings

import cn2an
from text_to_num import alpha2digit

# Kept as words: a magnitude after a figure ("1.2 million" would become "1.2 1000000"), and a fraction of one
# ("half a million" would become "1000000").
_AFTER_DIGITS = re.compile(
    r"(?<=\d)\s*(?:hundred|thousand|million|billion)\b"
    r"|\b(?:half|quarter|third|fifth|tenth)s?\s+(?:(?:a|an|of a|of an)\s+)?(?:hundred|thousand|million|billion)\b",
    re.IGNORECASE,
)


def as_digits(text: str) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # cn2an warns of every number it leaves as written ("12万")
        with contextlib.suppress(ValueError):
            text = cn2an.transform(text, "cn2an")
    # "1.2 million" is already a figure: its word is kept out of text2num's reach (it would give "1.2 1000000").
    kept = _AFTER_DIGITS.findall(text)
    masked = _AFTER_DIGITS.sub("\x00", text)
    try:
        masked = alpha2digit(masked, "en")
    except ValueError:
        return text
    for word in kept:
        masked = masked.replace("\x00", word, 1)
    return masked
