"""A draft agreement from a clause template and the values given: every clause cited, nothing left unfilled.

Missing essentials become clearly marked placeholders (only when the user said to go ahead). Each clause's
grounding is looked up in the live index, so a citation always quotes text the knowledge base holds; a
grounding the index has lost stops the draft with the fix named rather than citing thin air.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any, Protocol

import jinja2

from assistant.agreements.templates import AgreementTemplate, Grounding
from assistant.answer import Citation
from assistant.chunking import Chunk

_ENV = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=False)
PLACEHOLDER = {"en": "[TO FILL: {label}]", "zh": "【待填：{label}】"}
_LEFTOVER = re.compile(r"\{\{|\}\}|\{%|%\}")
_MARKER = re.compile(r"\x00(\w+)\x00")
WORDS = {
    "en": {
        "terms": "Key terms",
        "item": "Item",
        "value": "Value",
        "article": "{n}. {heading}",
        "citations": "Citations",
        "unverified": "rests on an unverified fact",
        "note": "First draft for review by both parties and, where needed, a lawyer; it is not legal advice. "
        "Every clause cites the passage of the knowledge base it rests on.",
        "placeholders": "Fill in the items marked [TO FILL: …] before signing.",
        "generated": "Drafted on {day}.",
    },
    "zh": {
        "terms": "主要条款",
        "item": "事项",
        "value": "内容",
        "article": "第{n}条 {heading}",
        "citations": "引用依据",
        "unverified": "所依据的事实尚未核实",
        "note": "本文本为供双方审阅的初稿，必要时请律师审核，不构成法律意见。每一条款均注明其在知识库中的依据。",
        "placeholders": "签署前请补全标有【待填：…】的内容。",
        "generated": "起草日期：{day}。",
    },
}


class DraftError(RuntimeError):
    """The draft cannot be made as asked; the message names the fix."""


class SectionLookup(Protocol):
    def section_chunks(self, doc_id: str, section: str) -> list[Chunk]: ...


@dataclass
class DraftedClause:
    number: int
    id: str
    heading: str
    text: str
    citations: list[int]
    unverified: bool


@dataclass
class Draft:
    kind: str
    language: str
    title: str
    summary: str
    values: dict[str, str]
    terms: list[tuple[str, str]]
    clauses: list[DraftedClause]
    citations: list[Citation]
    placeholders: list[str] = field(default_factory=list)
    day: str = ""
    #: The indexed chunks the citations quote (not stored: the index is their home).
    sources: list[Chunk] = field(default_factory=list)

    def body(self) -> dict[str, Any]:
        """What is stored: enough to render the Markdown and the .docx again without the templates."""
        return {
            "summary": self.summary,
            "terms": self.terms,
            "clauses": [asdict(c) for c in self.clauses],
            "citations": [asdict(c) for c in self.citations],
            "placeholders": self.placeholders,
            "day": self.day,
        }


def ground(lookup: SectionLookup, grounding: Grounding) -> tuple[Chunk, str]:
    """The indexed chunk holding the grounding's quote, and the quote exactly as that chunk spells it."""
    pattern = re.compile(r"\s+".join(map(re.escape, grounding.quote.split())))
    for chunk in lookup.section_chunks(grounding.doc_id, grounding.section):
        found = pattern.search(chunk.text)
        if found:
            return chunk, found.group()
    raise DraftError(
        f"the knowledge base no longer holds the passage {grounding.doc_id}#{grounding.section} "
        f"that a clause rests on ({grounding.quote[:60]}…); run `assistant ingest` or update prompts/agreements"
    )


def _fill(source: str, variables: dict[str, Any], where: str) -> str:
    """The template's text with the values in it.

    The template is rendered with a marker standing for each value and checked before the values go in, so
    only the template's own mistakes count as unfilled: a party named "None" or a value holding "{{" is
    legitimate text, and is never read as template syntax.
    """
    markers = {name: None if value is None else f"\x00{name}\x00" for name, value in variables.items()}
    text = _ENV.from_string(source).render(**markers)
    if _LEFTOVER.search(text) or re.search(r"\bNone\b", text):
        raise DraftError(f"{where} left a template variable unfilled; fix its text in prompts/agreements")
    text = _MARKER.sub(lambda m: str(variables[m.group(1)]), text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def make_draft(
    template: AgreementTemplate,
    values: dict[str, str],
    language: str,
    lookup: SectionLookup,
    today: date,
    allow_placeholders: bool = False,
) -> Draft:
    missing = [f for f in template.required if f.name not in values]
    if missing and not allow_placeholders:
        raise DraftError(f"missing {', '.join(f.name for f in missing)}")
    variables: dict[str, Any] = {f.name: values.get(f.name) for f in template.fields}
    for f in missing:
        variables[f.name] = PLACEHOLDER[language].format(label=f.label[language])

    numbers: dict[tuple[str, str, str], int] = {}
    citations: list[Citation] = []
    sources: list[Chunk] = []
    clauses = []
    for number, clause in enumerate(template.clauses, start=1):
        text = _fill(clause.text[language], variables, f"clause {clause.id} of {template.kind}")
        cited = []
        for grounding in clause.grounding:
            key = (grounding.doc_id, grounding.section, grounding.quote)
            if key not in numbers:
                chunk, quote = ground(lookup, grounding)
                numbers[key] = len(citations) + 1
                sources.append(chunk)
                citations.append(
                    Citation(
                        n=numbers[key],
                        doc_id=chunk.doc_id,
                        section=chunk.section,
                        title=chunk.title,
                        quote=quote,
                        section_title=chunk.section_title,
                        chunk_id=chunk.chunk_id,
                        doc_type=chunk.doc_type,
                    )
                )
            cited.append(numbers[key])
        clauses.append(DraftedClause(number, clause.id, clause.heading[language], text, cited, clause.unverified))

    terms = [(f.label[language], str(variables[f.name])) for f in template.fields if variables[f.name] is not None]
    return Draft(
        kind=template.kind,
        language=language,
        title=template.title[language],
        summary=template.summary[language],
        values=dict(values),
        terms=terms,
        clauses=clauses,
        citations=citations,
        placeholders=[f.name for f in missing],
        day=today.isoformat(),
        sources=sources,
    )


def to_markdown(draft: Draft) -> str:
    words = WORDS[draft.language]
    lines = [f"# {draft.title}", "", f"*{draft.summary}*", "", f"> {words['note']}"]
    if draft.placeholders:
        lines.append(f"> {words['placeholders']}")
    lines += ["", f"## {words['terms']}", "", f"| {words['item']} | {words['value']} |", "|---|---|"]
    lines += [f"| {label} | {value.replace('|', '/')} |" for label, value in draft.terms]
    for clause in draft.clauses:
        heading = words["article"].format(n=clause.number, heading=clause.heading)
        if clause.unverified:
            heading += f" ({words['unverified']})"
        marks = "".join(f"[{n}]" for n in clause.citations)
        # One blank line between the template's lines, so Markdown keeps its numbered points apart.
        text = "\n\n".join(line.strip() for line in clause.text.split("\n") if line.strip())
        lines += ["", f"## {heading}", "", f"{text} {marks}"]
    lines += ["", f"## {words['citations']}", ""]
    lines += [f'[{c.n}] {c.doc_id}#{c.section} — {c.title}: "{c.quote}"' for c in draft.citations]
    lines += ["", words["generated"].format(day=draft.day)]
    return "\n".join(lines)
