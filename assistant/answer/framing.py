"""The sentences around an extractive answer, in the reply's language: which documents it quotes (and
whether in the reply's language or not), and a note when a quote carries a fact marked unverified."""

from __future__ import annotations

import re

from assistant.answer.composer import Citation, ComposedAnswer
from assistant.prompts import render

# How the documents mark a fact the public sources could not confirm, in each language.
_UNVERIFIED = re.compile(r"unverified|未经核实", re.IGNORECASE)


def framed(composed: ComposedAnswer, language: str) -> str:
    """ "根据《…》：<quotes>", with the unverified note when a quote needs it."""
    quoted_in = "same" if all(c.language == language for c in composed.citations) else "other"
    sources = source_names(composed.citations, language)
    parts = [render("offline/answer", f"framing.{quoted_in}.{language}", sources=sources), composed.answer]
    if any(_UNVERIFIED.search(c.quote) for c in composed.citations):
        parts.append(render("offline/answer", f"unverified_note.{language}"))
    return " ".join(parts)


def source_names(citations: list[Citation], language: str) -> str:
    """ "the paper peng2026 and jiangsu-policy", "论文 peng2026（非官方中文译文）、《江苏省…》"."""
    names: list[str] = []
    for citation in citations:
        kind = "other"
        if citation.doc_type == "paper":
            kind = "translated_paper" if citation.translation else "paper"
        name = render("offline/answer", f"source_names.{kind}.{language}", doc_id=citation.doc_id, title=citation.title)
        if name not in names:
            names.append(name)
    if language == "zh":
        return "、".join(names)
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
