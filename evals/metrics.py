"""Small, offline evaluators: each takes what a case expects and what the assistant did."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from typing import Any

from assistant.text import detect_language, search_tokens, split_sentences
from evals.schema import ToolCallExpectation

_MARKER = re.compile(r"\[(\d+)\]")


def section_matches(cited: str, gold: str) -> bool:
    """`doc#4.2` and `doc#4.2.1` match either way round: one section is a dotted prefix of the other.

    A gold entry without a section (`doc`) matches any section of that document.
    """
    cited_doc, _, cited_section = cited.partition("#")
    gold_doc, _, gold_section = gold.partition("#")
    if cited_doc != gold_doc:
        return False
    if not gold_section:
        return True
    return f"{cited_section}.".startswith(f"{gold_section}.") or f"{gold_section}.".startswith(f"{cited_section}.")


def _matches_any(key: str, gold: Sequence[str]) -> bool:
    return any(section_matches(key, g) for g in gold)


# -- retrieval ------------------------------------------------------------------------------------


def recall_at(ranked: Sequence[str], gold: Sequence[str], k: int) -> float:
    """1.0 when a gold section is among the first k passages (gold is any-of)."""
    return float(any(_matches_any(key, gold) for key in ranked[:k]))


def reciprocal_rank(ranked: Sequence[str], gold: Sequence[str]) -> float:
    return next((1.0 / (i + 1) for i, key in enumerate(ranked) if _matches_any(key, gold)), 0.0)


def ndcg_at(ranked: Sequence[str], gold: Sequence[str], k: int = 10) -> float:
    """Binary-relevance nDCG@k; the ideal list holds as many relevant passages as there are gold sections."""
    gains = [1.0 / math.log2(i + 2) for i, key in enumerate(ranked[:k]) if _matches_any(key, gold)]
    ideal = sum(1.0 / math.log2(i + 2) for i in range(min(len(gold), k)))
    return min(sum(gains) / ideal, 1.0) if ideal else 0.0


# -- answers ---------------------------------------------------------------------------------------


def key_fact_recall(answer: str, groups: Sequence[Sequence[str]]) -> float:
    """Share of `must_include` groups hit by at least one of their phrases (case-insensitive)."""
    if not groups:
        return 1.0
    text = answer.lower()
    return sum(any(p.lower() in text for p in group) for group in groups) / len(groups)


def leads_with_fact(citations: Sequence[dict[str, Any]], groups: Sequence[Sequence[str]]) -> bool:
    """The answer's first quoted sentence (what a reader reads first) carries one of the key facts."""
    if not citations or not groups:
        return False
    sentences = split_sentences(str(citations[0].get("quote") or ""))
    first = sentences[0].lower() if sentences else ""
    return any(phrase.lower() in first for group in groups for phrase in group)


def quotes_in_language(citations: Sequence[dict[str, Any]], language: str) -> bool:
    """Every quote is written in `language` (a Chinese question quoted in Chinese, not in English)."""
    return all(detect_language(str(c.get("quote") or "")) == language for c in citations)


def forbidden_found(answer: str, phrases: Sequence[str]) -> list[str]:
    text = answer.lower()
    return [p for p in phrases if p.lower() in text]


def invalid_citations(citations: Sequence[dict[str, Any]], retrieved: Sequence[dict[str, Any]]) -> list[int]:
    """Citation numbers whose quote is empty or occurs in no retrieved passage (of the same document)."""
    bad = []
    for citation in citations:
        quote = (citation.get("quote") or "").strip()
        ok = bool(quote) and any(
            quote in passage["text"] and passage["doc_id"] == citation["doc_id"] for passage in retrieved
        )
        if not ok:
            bad.append(int(citation["n"]))
    return bad


def citation_correctness(citations: Sequence[dict[str, Any]], gold: Sequence[str]) -> float:
    """Share of citations that point at a gold section."""
    if not citations:
        return 0.0
    return sum(_matches_any(f"{c['doc_id']}#{c['section']}", gold) for c in citations) / len(citations)


def citation_hit(citations: Sequence[dict[str, Any]], gold: Sequence[str]) -> bool:
    return any(_matches_any(f"{c['doc_id']}#{c['section']}", gold) for c in citations)


def _is_claim(sentence: str) -> bool:
    """Framing lines ("From the paper peng2026:") and notes are not claims that need support."""
    bare = _MARKER.sub("", sentence).strip()
    return len(search_tokens(bare)) >= 4 and not bare.endswith((":", "：")) and not bare.startswith(("Note:", "注意"))


def groundedness(
    answer: str,
    citations: Sequence[dict[str, Any]],
    similarity: Callable[[str, str], float] | None = None,
    lexical_floor: float = 0.6,
    semantic_floor: float = 0.88,
    record_ids: frozenset[str] = frozenset(),
) -> float:
    """Share of the answer's claim sentences supported by the text they cite.

    Supported: the sentence cites `[n]` and either most of its words occur in the quote (lexical) or,
    when a `similarity` function is given, it is close in meaning to the quote (embedding); or it cites a
    record the turn's tools returned (`[TO-0032]`), which it rests on. A claim without a citation is
    unsupported.
    """
    quotes = {int(c["n"]): c.get("quote") or "" for c in citations}
    # Markers follow the text they cite: split the answer into (text, markers) pieces.
    pieces = re.split(r"((?:\s*\[\d+\])+)", answer)
    claims: list[tuple[str, list[int]]] = []
    for i in range(0, len(pieces), 2):
        numbers = [int(n) for n in _MARKER.findall(pieces[i + 1])] if i + 1 < len(pieces) else []
        for line in pieces[i].split("\n"):
            if any(f"[{record}]" in line for record in record_ids):
                claims.append((line, numbers))  # a record's line, whole: its abbreviations are no sentence ends
                continue
            claims.extend((s, numbers) for s in split_sentences(line) if _is_claim(s))
    if not claims:
        return 1.0
    supported = 0
    for sentence, numbers in claims:
        if any(f"[{record}]" in sentence for record in record_ids):
            supported += 1
            continue
        words = set(search_tokens(sentence))
        for quote in (quotes[n] for n in numbers if n in quotes):
            overlap = len(words & set(search_tokens(quote))) / len(words) if words else 0.0
            if overlap >= lexical_floor or (similarity is not None and similarity(sentence, quote) >= semantic_floor):
                supported += 1
                break
    return supported / len(claims)


# -- tools -----------------------------------------------------------------------------------------


def _argument_ok(expected: Any, actual: Any, mode: str) -> bool:
    """Exact: equal. Partial: strings by containment, a nested object by its listed keys, a number by value
    however it is written ("500000", "500,000")."""
    if mode == "exact":
        return expected == actual
    if isinstance(expected, dict) and isinstance(actual, dict):
        return all(k in actual and _argument_ok(v, actual[k], mode) for k, v in expected.items())
    if isinstance(expected, int | float) and not isinstance(expected, bool) and isinstance(actual, str):
        try:
            return float(actual.replace(",", "")) == float(expected)
        except ValueError:
            return False
    if not isinstance(expected, str) or not isinstance(actual, str):
        return expected == actual
    return expected.lower() in actual.lower()


def tool_call_problems(expected: Sequence[ToolCallExpectation], actual: Sequence[dict[str, Any]]) -> list[str]:
    """Differences between the expected tool calls (in order) and the ones made; empty when they agree."""
    problems = []
    if len(expected) != len(actual):
        problems.append(f"expected {len(expected)} tool call(s), got {len(actual)}")
    for i, (want, got) in enumerate(zip(expected, actual, strict=False)):
        if want.name != got.get("name"):
            problems.append(f"call {i + 1}: expected {want.name}, got {got.get('name')}")
            continue
        if want.match == "ignore":
            continue
        arguments = got.get("arguments") or {}
        if want.match == "exact" and set(arguments) != set(want.arguments):
            problems.append(f"call {i + 1}: arguments {sorted(arguments)} differ from {sorted(want.arguments)}")
        for key, value in want.arguments.items():
            if key not in arguments or not _argument_ok(value, arguments[key], want.match):
                problems.append(f"call {i + 1}: argument {key}={arguments.get(key)!r}, expected {value!r}")
    return problems
