"""One vocabulary for what a message names: the values the records hold, under every name people use.

Built from two sources and nothing else: the records database (every city, field, expert and record id
it contains, read when the records change) and `knowledge_base/understanding/vocabulary.yaml` (the other
names of a value: Chinese words, plurals, everyday phrases). English names are also matched
approximately, so "nanjng" and "aprenticeship" are read as what they mean; Chinese names are matched
exactly, where a one-character slip is another word.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml
from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from assistant import cedict

ALIASES = Path(__file__).resolve().parents[2] / "knowledge_base" / "understanding" / "vocabulary.yaml"

#: Categories a slip of the keyboard is forgiven in. Modes and statuses are short everyday words
#: ("remote" is one letter from "remove"), and a wrong guess there changes the answer silently.
FUZZY_CATEGORIES = frozenset({"regions", "fields", "offer_kinds", "platform_kinds", "experts"})
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_LATIN_TOKEN = re.compile(r"[a-z][a-z'&.-]*[a-z]|[a-z]")
# A title before a name ("Prof.", "Assoc. Prof.", "Capt."): whatever abbreviation the data uses.
_TITLE = re.compile(r"^(?:[A-Za-z]+\.\s+)+")
# Ids as organisations write them: letters, then hyphen-joined groups, one with a digit
# ("CS-0014", "AB-CS-014", "JSXY-2027-014"). Lookarounds rather than \b, which never falls between
# a Chinese character and a Latin letter ("帮我约一下CS-0078").
_ID = re.compile(r"(?<![A-Za-z0-9-])[A-Za-z]{1,10}(?:-[A-Za-z0-9]{1,12}){1,4}(?![A-Za-z0-9-])")
_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True)
class Mention:
    """A value of the records named in a message: `category` ("regions", "fields", ...) and the value as
    the records store it, where it stands in the (normalised) message, and whether it was a near match."""

    category: str
    value: str
    start: int
    end: int
    approximate: bool = False


def normalise(text: str) -> str:
    """Full-width letters, digits and punctuation as their ASCII forms (what people type on a Chinese
    keyboard); positions in the result are the positions mentions refer to."""
    return unicodedata.normalize("NFKC", text)


def bare_name(name: str) -> str:
    """A person's name without the titles before it: "Assoc. Prof. Zheng Li" -> "Zheng Li"."""
    return _TITLE.sub("", name).strip()


class Vocabulary:
    """Names -> (category, value), and record ids -> the family of records they belong to."""

    def __init__(
        self, names: dict[str, dict[str, list[str]]], ids: dict[str, str], spelled_right: frozenset[str] = frozenset()
    ) -> None:
        #: Words spelled right (English words a dictionary knows): never taken for a slip of another name.
        self._spelled_right = spelled_right
        self._by_name: dict[str, list[tuple[str, str]]] = {}
        for category, values in names.items():
            for value, aliases in values.items():
                for alias in {value, *aliases}:
                    key = normalise(str(alias)).lower().strip()
                    if key and (category, value) not in self._by_name.setdefault(key, []):
                        self._by_name[key].append((category, value))
        self._ids = {record_id.upper(): family for record_id, family in ids.items()}
        self._id_shapes = {_shape(record_id): family for record_id, family in self._ids.items()}

    @classmethod
    def build(cls, records: dict[str, Any], aliases: Path = ALIASES) -> Vocabulary:
        """From the records' values (`RecordsService.vocabulary()`) and the names file."""
        names: dict[str, dict[str, list[str]]] = {
            category: {str(value): [str(a) for a in values or []] for value, values in entries.items()}
            for category, entries in (yaml.safe_load(aliases.read_text(encoding="utf-8")) or {}).items()
        }
        for category in ("regions", "fields"):
            for value in records.get(category, []):
                names.setdefault(category, {}).setdefault(value, [])
        for expert in records.get("experts", []):
            names.setdefault("experts", {})[expert] = [bare_name(expert)]
        return cls(names, records.get("ids", {}), cedict.english_words())

    @cached_property
    def _pattern(self) -> re.Pattern[str]:
        # Longest names first, so "internship management" is one field, not the kind "internship".
        alternatives = []
        for name in sorted(self._by_name, key=len, reverse=True):
            escaped = re.escape(name)
            alternatives.append(escaped if _CJK.search(name) else rf"(?<![a-z0-9]){escaped}(?![a-z0-9])")
        return re.compile("|".join(alternatives) or r"(?!)")

    @cached_property
    def _fuzzy_names(self) -> dict[str, list[str]]:
        """English names a slip is forgiven in, by their first letter."""
        by_letter: dict[str, list[str]] = {}
        for name, owners in self._by_name.items():
            if len(name) >= 5 and not _CJK.search(name) and any(c in FUZZY_CATEGORIES for c, _ in owners):
                by_letter.setdefault(name[0], []).append(name)
        return by_letter

    def mentions(self, message: str) -> list[Mention]:
        """Every value the message names, in order; exact names first, then near ones in what is left."""
        text = normalise(message).lower()
        found: list[Mention] = []
        covered = [False] * len(text)
        for match in self._pattern.finditer(text):
            for category, value in self._by_name[match.group(0)]:
                found.append(Mention(category, value, match.start(), match.end()))
            covered[match.start() : match.end()] = [True] * (match.end() - match.start())
        found.extend(self._near(text, covered))
        return sorted(found, key=lambda m: m.start)

    def _near(self, text: str, covered: list[bool]) -> list[Mention]:
        tokens = [m for m in _LATIN_TOKEN.finditer(text) if not any(covered[m.start() : m.end()])]
        found: list[Mention] = []
        used: set[int] = set()
        # Two-word names first ("ship bulding"), then single words.
        for width in (3, 2, 1):
            for i in range(len(tokens) - width + 1):
                group = tokens[i : i + width]
                if any(j in used for j in range(i, i + width)):
                    continue
                if any(text[a.end() : b.start()].strip() for a, b in itertools.pairwise(group)):
                    continue  # only words next to each other form a name
                phrase = text[group[0].start() : group[-1].end()]
                if len(phrase) < 5 or all(t.group(0) in self._spelled_right for t in group):
                    continue  # "parents" is a word of its own, not a slip for "patents"
                # One slip in a short name, two in a long one; a transposition counts as one.
                allowed = 1 if len(phrase) < 9 else 2
                # And never in the first letter, which people seldom mistype: "Huzhou" is a city of its own,
                # not a slip for "Suzhou".
                choices = self._fuzzy_names.get(phrase[0], [])
                best = process.extractOne(phrase, choices, scorer=DamerauLevenshtein.distance, score_cutoff=allowed)
                if best is None:
                    continue
                for category, value in self._by_name[best[0]]:
                    if category in FUZZY_CATEGORIES:
                        found.append(Mention(category, value, group[0].start(), group[-1].end(), approximate=True))
                used.update(range(i, i + width))
        return found

    def record_ids(self, message: str) -> list[tuple[str, str | None]]:
        """(id, family) of the record ids the message names, in the data's own format; the family is None
        for an id shaped like no record's (the tools then say it does not exist)."""
        found = []
        for match in _ID.finditer(normalise(message)):
            candidate = match.group(0).upper()
            if not any(ch.isdigit() for ch in candidate):
                continue
            family = self._ids.get(candidate) or self._id_shapes.get(_shape(candidate))
            found.append((candidate, family))
        return found

    def family_of(self, record_id: str) -> str | None:
        return self._ids.get(record_id.upper()) or self._id_shapes.get(_shape(record_id.upper()))


def _shape(record_id: str) -> str:
    """ "CS-0014" and "CS-14" share a shape: the letters and separators, digits as one mark."""
    return _DIGITS.sub("#", record_id)
