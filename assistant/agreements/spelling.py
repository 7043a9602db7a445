"""Slips in the words a request to draft is made of: "agrement", "agreemnt", "aprenticeship", "contarct",
and in the words that end a party's name ("Colege").

Only those words are put right, and only when the dictionary does not know the word as typed ("contact" is
no slip for "contract"), so names and values keep what was typed.
"""

from __future__ import annotations

import functools
import re

from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from assistant.agreements.templates import templates
from assistant.cedict import english_words

# The words of a request that are not in the agreements' names, and the words the parties' names end with
# ("Xining Vocational & Technical Colege" is a college, so a party).
_REQUEST_WORDS = ("agreement", "agreements", "contract", "contracts", "draft")
_NAME_ENDS = ("college", "polytechnic", "university", "institute", "academy", "company", "corporation", "factory")
_WORD = re.compile(r"[A-Za-z]{5,}")
# One slip in a short word, two in a long one, as for the records' names (understanding/vocabulary.py).
_LONG_WORD = 9


@functools.cache
def _words_by_first_letter() -> dict[str, list[str]]:
    """The request words and the words of every kind's English names, by first letter: people seldom mistype
    a word's first letter, and "contact" must not become "contract" (it is a word of its own, see below)."""
    words = {*_REQUEST_WORDS, *_NAME_ENDS}
    for template in templates().values():
        for alias in template.aliases["en"]:
            words.update(w for w in re.findall(r"[a-z]+", alias.lower()) if len(w) >= 5)
    by_letter: dict[str, list[str]] = {}
    for word in sorted(words):
        by_letter.setdefault(word[0], []).append(word)
    return by_letter


@functools.cache
def _spelled_right() -> frozenset[str]:
    """The dictionary's English words and every word of the templates (labels, other names, aliases):
    "licensee" is a label of its own, not a slip for "license"."""
    words = set(english_words())
    for template in templates().values():
        texts = [*template.aliases["en"], *(f.label["en"] for f in template.fields)]
        texts += [name for f in template.fields for name in f.also_called.get("en", [])]
        words.update(w for text in texts for w in re.findall(r"[a-z]+", text.lower()))
    return frozenset(words)


def respelled(message: str) -> str:
    """The message with each misspelt request word put right; a word spelled right is left alone, and so is
    one that only adds to a request word ("drafts", "contractor")."""

    def fix(match: re.Match[str]) -> str:
        word = match.group(0)
        lowered = word.lower()
        if lowered in _spelled_right():
            return word
        choices = _words_by_first_letter().get(lowered[0], [])
        allowed = 1 if len(lowered) < _LONG_WORD else 2
        best = process.extractOne(lowered, choices, scorer=DamerauLevenshtein.distance, score_cutoff=allowed)
        return best[0] if best is not None and not lowered.startswith(best[0]) else word

    return _WORD.sub(fix, message)
