"""What a loaded document is: metadata plus sections, each with the id the document itself uses."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    text: str
    #: Titles of the enclosing headings, outermost first: "3.1" sits under "3 PRACTICAL DIFFICULTIES ...".
    parents: tuple[str, ...] = ()


@dataclass
class Document:
    doc_id: str
    title: str
    source: str
    content_hash: str
    doc_type: str = "document"
    language: str = "en"
    metadata: dict[str, Any] = field(default_factory=dict)
    sections: list[Section] = field(default_factory=list)


class DocumentError(ValueError):
    """A file that cannot be turned into a document; the message says what to fix."""


_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """Lowercase kebab-case id from a heading or file name (keeps the dots of section numbers)."""
    return _SLUG.sub("-", text.lower()).strip("-") or "section"
