"""Split sections into token-bounded chunks; a chunk never spans two sections."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from assistant.documents import Document
from assistant.text import split_sentences
from assistant.tokens import count_tokens, encoding

# Part of every chunk id: bump when what a chunk carries changes, so an unchanged corpus is re-chunked once
# (vectors are keyed by text in the seed file, so nothing is embedded again for it).
CHUNK_FORMAT = "2"


@dataclass(frozen=True)
class Chunk:
    chunk_id: str
    doc_id: str
    section: str
    section_title: str
    section_path: str
    title: str
    text: str
    position: int
    doc_type: str
    language: str
    content_hash: str
    source: str
    #: The id of the document this one is the other-language version of ("" for an original): a section and
    #: its twin are one section in two languages, cited under the twin's id.
    twin: str = ""
    #: "unofficial" for a translation made by us (the paper's Chinese version), "" otherwise.
    translation: str = ""
    #: Index, within its section, of the paragraph the chunk's first unit belongs to (aligns translations).
    paragraph: int = 0

    @property
    def canonical_id(self) -> str:
        """The document id citations name: the original's, whichever language version was quoted."""
        return self.twin or self.doc_id

    @property
    def citation_key(self) -> str:
        return f"{self.canonical_id}#{self.section}"

    @property
    def heading_and_text(self) -> str:
        """The chunk as retrieved: its section heading (which an answer may quote) and its text."""
        return f"{self.section_title}\n{self.text}"

    def embedding_text(self) -> str:
        """What the embedder sees: the chunk with its headings, so short chunks keep their context."""
        return f"{self.title} — {self.section_path}\n{self.text}"

    def metadata(self) -> dict[str, str | int]:
        return {
            "doc_id": self.doc_id,
            "section": self.section,
            "section_title": self.section_title,
            "section_path": self.section_path,
            "title": self.title,
            "position": self.position,
            "doc_type": self.doc_type,
            "language": self.language,
            "content_hash": self.content_hash,
            "source": self.source,
            "twin": self.twin,
            "translation": self.translation,
            "paragraph": self.paragraph,
        }

    @classmethod
    def from_record(cls, chunk_id: str, text: str, meta: dict) -> Chunk:
        return cls(
            chunk_id=chunk_id,
            text=text,
            doc_id=str(meta["doc_id"]),
            section=str(meta["section"]),
            section_title=str(meta.get("section_title", "")),
            section_path=str(meta.get("section_path", meta.get("section_title", ""))),
            title=str(meta.get("title", "")),
            position=int(meta.get("position", 0)),
            doc_type=str(meta.get("doc_type", "document")),
            language=str(meta.get("language", "en")),
            content_hash=str(meta.get("content_hash", "")),
            source=str(meta.get("source", "")),
            twin=str(meta.get("twin", "")),
            translation=str(meta.get("translation", "")),
            paragraph=int(meta.get("paragraph", 0)),
        )


_LINE_ITEM = ("|", "- ", "* ")


def _is_line_item(unit: str) -> bool:
    return unit.lstrip().startswith(_LINE_ITEM)


def paragraph_blocks(text: str) -> list[str]:
    """A chunk's paragraphs (or parts of one, at its edges), in order: block i is paragraph `paragraph + i`."""
    return text.split("\n\n")


def _paragraph_units(text: str) -> list[tuple[str, bool]]:
    """(unit, starts a paragraph): sentences of prose, whole lines of tables and lists."""
    units: list[tuple[str, bool]] = []
    for para in text.split("\n\n"):
        lines = para.splitlines()
        pieces = (
            [line for line in lines if line.strip()]
            if any(_is_line_item(line) for line in lines)
            else split_sentences(" ".join(lines))
        )
        units.extend((piece, i == 0) for i, piece in enumerate(pieces))
    return units


def text_units(text: str) -> list[str]:
    """The pieces a chunk is packed from and an answer quotes: sentences, table rows, list items."""
    return [unit for unit, _ in _paragraph_units(text)]


def embedded_texts(chunk: Chunk) -> list[str]:
    """What ingest embeds for a chunk: the chunk with its headings, then each of its units, in this order."""
    return [chunk.embedding_text(), *text_units(chunk.text)]


def chunk_document(document: Document, max_tokens: int, overlap_tokens: int, embedder_id: str) -> list[Chunk]:
    """Chunks of every section; the id hashes content and embedder so unchanged chunks are never re-embedded."""
    chunks: list[Chunk] = []
    twin = str(document.metadata.get("twin") or "")
    translation = str(document.metadata.get("translation") or "") if twin else ""
    identity = (CHUNK_FORMAT, embedder_id, document.doc_id, twin, translation)
    for section in document.sections:
        for text, paragraph in _pack(_paragraph_units(section.text), max_tokens, overlap_tokens):
            digest = hashlib.sha256(
                "\0".join(
                    (*identity, section.id, *section.parents, section.title, document.title, str(paragraph), text)
                ).encode()
            ).hexdigest()[:32]
            chunks.append(
                Chunk(
                    chunk_id=digest,
                    doc_id=document.doc_id,
                    section=section.id,
                    section_title=section.title,
                    section_path=" > ".join((*section.parents, section.title)),
                    title=document.title,
                    text=text,
                    position=len(chunks),
                    doc_type=document.doc_type,
                    language=document.language,
                    content_hash=document.content_hash,
                    source=document.source,
                    twin=twin,
                    translation=translation,
                    paragraph=paragraph,
                )
            )
    return chunks


def _pack(units: list[tuple[str, bool]], max_tokens: int, overlap_tokens: int) -> list[tuple[str, int]]:
    """Greedy packing of whole units, carrying the last units over as overlap; oversized units are cut.

    Each text comes with the section paragraph index of its first unit.
    """
    texts: list[tuple[str, int]] = []
    current: list[_Unit] = []
    paragraph = -1
    for unit, starts_paragraph in units:
        if starts_paragraph or paragraph < 0:
            paragraph += 1
        size = count_tokens(unit)
        if size > max_tokens:
            if current:
                texts.append(_join(current))
                current = []
            texts.extend((piece, paragraph) for piece in _split_long(unit, max_tokens))
            continue
        if current and sum(u.size for u in current) + size > max_tokens:
            texts.append(_join(current))
            current = _overlap(current, overlap_tokens, max_tokens - size)
        current.append(_Unit(unit, starts_paragraph, size, paragraph))
    if current:
        texts.append(_join(current))
    return texts


@dataclass(frozen=True)
class _Unit:
    text: str
    starts_paragraph: bool
    size: int
    paragraph: int


def _overlap(units: list[_Unit], overlap_tokens: int, room: int) -> list[_Unit]:
    kept: list[_Unit] = []
    total = 0
    for unit in reversed(units):
        if total + unit.size > min(overlap_tokens, room):
            break
        kept.insert(0, unit)
        total += unit.size
    return kept


def _join(units: list[_Unit]) -> tuple[str, int]:
    """Paragraph breaks survive inside a chunk; table rows and list items keep their own lines."""
    text = ""
    for unit in units:
        if text:
            text += "\n\n" if unit.starts_paragraph else ("\n" if _is_line_item(unit.text) else " ")
        text += unit.text
    return text, units[0].paragraph


def _split_long(unit: str, max_tokens: int) -> list[str]:
    enc = encoding()
    ids = enc.encode(unit, disallowed_special=())
    return [enc.decode(ids[i : i + max_tokens]).strip() for i in range(0, len(ids), max_tokens)]
