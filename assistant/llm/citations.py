"""Citation checks on generated text, applied as it streams: only passages the model was given may be cited.

A `[n]` whose n was never shown to the model is dropped and counted; the rest are renumbered by first use, so
the answer's `[1]` is always its first citation. The same filter serves the streamed and the plain answer, so
joining the streamed pieces gives exactly the checked answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass

from assistant.answer import Citation
from assistant.text import search_tokens, split_sentences

# "[3]", and the "[1, 2]" / "[1,2]" some models write.
_MARK = re.compile(r"(\s?)\[(\d{1,3}(?:\s*[,，]\s*\d{1,3})*)\]")
_PARTIAL_LIMIT = 12  # the longest marker held back at a chunk boundary: "[12, 13, 14]"


class CitationFilter:
    """Feed generated text in pieces; get back the text with checked, renumbered markers."""

    def __init__(self, valid: Collection[int]) -> None:
        self.valid = set(valid)
        #: passage number given to the model -> number in the answer, in order of first use
        self.order: dict[int, int] = {}
        self.removed = 0
        #: Everything checked so far: the answer as the user sees it.
        self.text = ""
        self._tail = ""

    def reset(self) -> None:
        """Start over, for a retried generation."""
        self.order.clear()
        self.removed = 0
        self.text = self._tail = ""

    @property
    def cited(self) -> bool:
        return bool(self.order)

    def feed(self, text: str) -> str:
        buffer = self._tail + text
        start = buffer.rfind("[")
        # A marker may be split across pieces: hold back an unclosed "[" near the end until it closes.
        if start != -1 and "]" not in buffer[start:] and len(buffer) - start <= _PARTIAL_LIMIT:
            head = start - 1 if start > 0 and buffer[start - 1].isspace() else start
            self._tail, buffer = buffer[head:], buffer[:head]
        else:
            self._tail = ""
        checked = self._rewrite(buffer)
        self.text += checked
        return checked

    def finish(self) -> str:
        text, self._tail = self._tail, ""
        checked = self._rewrite(text)
        self.text += checked
        return checked

    def _rewrite(self, text: str) -> str:
        def replace(match: re.Match[str]) -> str:
            kept = []
            for raw in re.split(r"\s*[,，]\s*", match.group(2)):
                number = int(raw)
                if number not in self.valid:
                    self.removed += 1
                    continue
                kept.append(f"[{self.order.setdefault(number, len(self.order) + 1)}]")
            return match.group(1) + "".join(kept) if kept else ""

        return _MARK.sub(replace, text)


@dataclass(frozen=True)
class GivenPassage:
    """A passage shown to the model under number `n`."""

    n: int
    doc_id: str
    section: str
    title: str
    section_title: str
    text: str
    doc_type: str
    chunk_id: str = ""
    language: str = "en"
    translation: str = ""


def citations_for(
    answer: str,
    order: dict[int, int],
    given: dict[int, GivenPassage],
    original_of: Callable[[str, str], tuple[str, str] | None] | None = None,
) -> list[Citation]:
    """One citation per renumbered marker, quoting the passage sentence closest to the claim that cites it;
    a quote of a translation carries the original text it renders (`original_of(chunk_id, quote)`)."""
    claims: dict[int, list[str]] = {}
    for sentence in split_sentences(answer):
        for number in re.findall(r"\[(\d{1,3})\]", sentence):
            claims.setdefault(int(number), []).append(re.sub(r"\[\d{1,3}\]", "", sentence))
    citations = []
    for original, number in sorted(order.items(), key=lambda item: item[1]):
        passage = given[original]
        quote = best_quote(passage.text, " ".join(claims.get(number, [])))
        rendered = original_of(passage.chunk_id, quote) if original_of and passage.translation else None
        citations.append(
            Citation(
                n=number,
                doc_id=passage.doc_id,
                section=passage.section,
                title=passage.title,
                quote=quote,
                section_title=passage.section_title,
                chunk_id=passage.chunk_id,
                doc_type=passage.doc_type,
                language=passage.language,
                translation=passage.translation,
                original_quote=rendered[1] if rendered else "",
                original_chunk_id=rendered[0] if rendered else "",
            )
        )
    return citations


def best_quote(passage: str, claim: str) -> str:
    """The passage sentence sharing most words with the claim: exact text of the passage, never rewritten."""
    sentences = split_sentences(passage) or [passage]
    wanted = set(search_tokens(claim))
    return max(sentences, key=lambda s: (len(wanted & set(search_tokens(s))), -sentences.index(s)))
