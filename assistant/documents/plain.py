"""Sections from plain extracted text (papers as .txt, PDFs): numbered headings become section ids.

Extraction from PDF leaves marks we undo here: paragraphs split by a page break are rejoined, and a
missing first sub-heading (a `4.1.2` with no `4.1.1` before it) is restored so citations stay precise.
"""

from __future__ import annotations

import re

from assistant.documents.model import Section, slugify

_NUMBERED_HEADING = re.compile(r"^(\d+(?:\.\d+)*)\.?\s+(\S.{0,240})$")
_NAMED_HEADINGS = {"abstract", "references", "fund project", "funding", "acknowledgements", "acknowledgments"}
# A translation's named headings take the original's ids, so a section and its translation share one id.
_CHINESE_NAMED_HEADINGS = {
    "摘要": "abstract",
    "参考文献": "references",
    "基金项目": "fund-project",
    "致谢": "acknowledgements",
}
_ENDS_SENTENCE = re.compile(r"[.!?。！？:：;；\"”')\]*]\s*$")
_ABSTRACT_LABEL = re.compile(r"^\s*\**(abstract|摘要)\**\s*[:：]\s*", re.IGNORECASE)


def paragraphs(text: str) -> list[str]:
    """Blank-line separated paragraphs with page-break splits rejoined."""
    raw = [p.strip() for p in re.split(r"\n\s*\n|\f", text.replace("\r\n", "\n"))]
    merged: list[str] = []
    for para in filter(None, raw):
        para = re.sub(r"\s*\n\s*", " ", para)
        if merged and _is_continuation(merged[-1], para):
            merged[-1] = f"{merged[-1]} {para}"
        else:
            merged.append(para)
    return merged


def _is_continuation(previous: str, para: str) -> bool:
    # A page break leaves a sentence unfinished and the next page starting in lower case.
    return not _ENDS_SENTENCE.search(previous) and para[:1].islower() and _heading(previous) is None


def _heading(para: str) -> tuple[str, str] | None:
    """(section id, title) when the paragraph is a heading."""
    match = _NUMBERED_HEADING.match(para)
    if match and len(para) <= 250 and not para.endswith((",", "，")):
        return match.group(1), match.group(2).strip()
    bare = para.strip("*# ").rstrip(":：")
    if bare.lower() in _NAMED_HEADINGS:
        return slugify(bare), bare.title()
    if bare in _CHINESE_NAMED_HEADINGS:
        return _CHINESE_NAMED_HEADINGS[bare], bare
    return None


def _clean_abstract(para: str) -> str:
    para = _ABSTRACT_LABEL.sub("", para)
    return para[1:-1] if len(para) > 2 and para[0] == para[-1] == "*" else para


def _number_key(section_id: str) -> tuple[int, ...] | None:
    return tuple(int(n) for n in section_id.split(".")) if re.fullmatch(r"\d+(\.\d+)*", section_id) else None


def _follows(previous: tuple[int, ...], number: tuple[int, ...]) -> bool:
    """Headings advance one step: a first child, the next sibling at some level, or a `.2` whose `.1` was lost."""
    if not previous:
        return all(n <= 1 for n in number)
    if number in ((*previous, 1), (*previous, 2)):
        return True
    return any(number == (*previous[:i], previous[i] + 1) for i in range(len(previous)))


def line_paragraphs(text: str) -> list[str]:
    """Paragraphs from extracted text that lost its blank lines (PDF): headings stand alone, prose is rejoined."""
    paras: list[str] = []
    current: list[str] = []
    last_number: tuple[int, ...] = ()

    def flush() -> None:
        if current:
            paras.append(" ".join(current))
            current.clear()

    for line in (raw.strip() for raw in text.splitlines()):
        heading = _heading(line) if line else None
        number = _number_key(heading[0]) if heading else None
        if heading and (number is None or _follows(last_number, number)):
            flush()
            paras.append(line)
            last_number = number or last_number
        elif line:
            current.append(line)
            if _ENDS_SENTENCE.search(line):
                flush()
        else:
            flush()
    flush()
    return paras


def sections_from_paragraphs(paras: list[str]) -> list[Section]:
    """Group paragraphs under headings; text before the first numbered heading is the `abstract`.

    The title, author and affiliation lines stay in the abstract: "who wrote this?" must find them.
    """
    current_id, current_title, body = "abstract", "Abstract", []
    collected: list[tuple[str, str, list[str]]] = []
    last_number: tuple[int, ...] = ()

    def close() -> None:
        if body or _number_key(current_id) is not None:
            collected.append((current_id, current_title, list(body)))

    for para in paras:
        heading = _heading(para)
        number = _number_key(heading[0]) if heading else None
        if heading and number is not None and not _follows(last_number, number):
            heading = None  # a numbered list item or a number starting a line, not the next section
        if heading is None:
            body.append(_clean_abstract(para) if current_id == "abstract" else para)
            continue
        section_id, title = heading
        if number is not None:
            if _is_lost_first_child(number, current_id, body):
                current_id = f"{current_id}.1"
                current_title = f"{current_title} (sub-heading missing in the source)"
            last_number = number
        close()
        current_id, current_title, body = section_id, title, []
    close()
    return _unique(collected)


def _is_lost_first_child(number: tuple[int, ...], current_id: str, body: list[str]) -> bool:
    """When `x.y.2` follows `x.y` directly, the text under `x.y` is the body of a lost `x.y.1` heading."""
    parent = ".".join(str(n) for n in number[:-1])
    return len(number) >= 2 and number[-1] == 2 and bool(body) and current_id == parent


def _unique(collected: list[tuple[str, str, list[str]]]) -> list[Section]:
    titles = {section_id: title for section_id, title, _ in collected}
    seen: dict[str, int] = {}
    sections = []
    for section_id, title, body in collected:
        if not body:
            continue
        seen[section_id] = seen.get(section_id, 0) + 1
        unique_id = section_id if seen[section_id] == 1 else f"{section_id}-{seen[section_id]}"
        parts = section_id.split(".")
        parents = tuple(titles[p] for p in (".".join(parts[:i]) for i in range(1, len(parts))) if p in titles)
        sections.append(Section(unique_id, title, "\n\n".join(body), parents))
    return sections


def sections_from_text(text: str) -> list[Section]:
    """Sections of a plain-text document."""
    return sections_from_paragraphs(paragraphs(text))
