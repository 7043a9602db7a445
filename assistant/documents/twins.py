"""A document's other-language version ("twin"): the same sections, paragraph for paragraph.

Retrieval treats a section and its twin as one hit and shows a translated quote beside the original
paragraph it renders, so a twin that drifts from its original (a section missing, two paragraphs merged)
degrades those quotes. Ingest reports the drift; it never blocks indexing.
"""

from __future__ import annotations

from assistant.documents.model import Document


def twin_of(document: Document) -> str:
    """The id of the document this one is the other-language version of; "" for an original."""
    return str(document.metadata.get("twin") or "")


def alignment_problems(original: Document, twin: Document) -> list[str]:
    """What keeps `twin` from lining up with `original`, in words that say where to look."""
    problems: list[str] = []
    theirs = {section.id: section for section in original.sections}
    ours = {section.id: section for section in twin.sections}
    missing = [section_id for section_id in theirs if section_id not in ours]
    extra = [section_id for section_id in ours if section_id not in theirs]
    if missing:
        problems.append(f"sections {', '.join(missing)} of {original.doc_id} have no counterpart")
    if extra:
        problems.append(f"sections {', '.join(extra)} are not in {original.doc_id}")
    for section_id, section in ours.items():
        counterpart = theirs.get(section_id)
        if counterpart is None:
            continue
        mine, its = len(section.text.split("\n\n")), len(counterpart.text.split("\n\n"))
        if mine != its:
            problems.append(f"section {section_id} has {mine} paragraphs, {original.doc_id} has {its}")
    return problems
