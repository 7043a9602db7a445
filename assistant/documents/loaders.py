"""Turn a file (.txt, .md, .pdf, .docx) into a Document; the file's suffix picks the loader.

Metadata comes from Markdown front matter, or from a sidecar `<name>.meta.yaml` next to any other file.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from assistant.documents.model import Document, DocumentError, Section, slugify
from assistant.documents.plain import line_paragraphs, paragraphs, sections_from_paragraphs
from assistant.text import detect_language

# Bump when a loader's output changes for the same bytes, so ingestion re-chunks everything.
LOADER_VERSION = "2"
SUPPORTED_SUFFIXES = (".txt", ".md", ".pdf", ".docx")

_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.DOTALL)
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_SECTION_NUMBER = re.compile(r"^(\d+(?:\.\d+)*)\.?\s+(.+)$")


def sidecar_path(path: Path) -> Path:
    return path.with_name(path.stem + ".meta.yaml")


def load_document(path: Path) -> Document:
    """Load one file; raises DocumentError with a message that names the fix."""
    suffix = path.suffix.lower()
    loader = _LOADERS.get(suffix)
    if loader is None:
        raise DocumentError(
            f"{path.name}: unsupported file type {suffix!r}; use one of {', '.join(SUPPORTED_SUFFIXES)}"
        )
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DocumentError(f"{path}: cannot read file ({exc.strerror})") from exc
    meta_file = sidecar_path(path)
    try:
        meta_bytes = meta_file.read_bytes() if meta_file.exists() else b""
    except OSError as exc:
        raise DocumentError(f"{meta_file}: cannot read file ({exc.strerror})") from exc
    metadata = _parse_yaml(_decode(meta_file, meta_bytes), meta_file) if meta_bytes else {}
    digest = hashlib.sha256(LOADER_VERSION.encode() + raw + b"\0" + meta_bytes).hexdigest()
    title, sections, metadata = loader(path, raw, metadata)
    if not any(s.text.strip() for s in sections):
        raise DocumentError(f"{path.name}: no text found (a scanned PDF needs OCR first)")
    doc_id = str(metadata.get("id") or slugify(path.stem))
    return Document(
        doc_id=doc_id,
        title=str(metadata.get("title") or title or path.stem),
        source=str(path),
        content_hash=digest,
        doc_type=str(metadata.get("doc_type") or metadata.get("type") or "document"),
        language=str(metadata.get("language") or detect_language(" ".join(s.text for s in sections[:3]))),
        metadata=metadata,
        sections=sections,
    )


def _parse_yaml(text: str, where: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise DocumentError(f"{where.name}: invalid YAML metadata ({exc})") from exc
    if not isinstance(data, dict):
        raise DocumentError(f"{where.name}: metadata must be a YAML mapping of key: value")
    return data


def _decode(path: Path, raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentError(f"{path.name}: not UTF-8 text; re-save it as UTF-8") from exc


_BYLINE_LABELS = {
    "en": {"title": "Title", "author": "Author", "affiliation": "Affiliation"},
    "zh": {"title": "标题", "author": "作者", "affiliation": "单位"},
}


def _label_byline(paras: list[str], metadata: dict[str, Any]) -> list[str]:
    """Name the title, author and affiliation lines ("Author: Peng Peng") so "who wrote it?" can find them."""
    chinese = metadata.get("language") == "zh"
    labels: dict[str, str] = {}
    for key, label in _BYLINE_LABELS["zh" if chinese else "en"].items():
        for value in (metadata.get(key), metadata.get("title_zh") if chinese and key == "title" else None):
            if value:
                labels[str(value).strip()] = label
    separator = "：" if chinese else ": "
    return [f"{labels[p]}{separator}{p}" if p in labels else p for p in paras]


def _load_txt(path: Path, raw: bytes, metadata: dict[str, Any]) -> tuple[str, list[Section], dict[str, Any]]:
    text = _decode(path, raw)
    first_line = next((line.strip() for line in text.splitlines() if line.strip()), path.stem)
    return first_line, sections_from_paragraphs(_label_byline(paragraphs(text), metadata)), metadata


def _load_markdown(path: Path, raw: bytes, metadata: dict[str, Any]) -> tuple[str, list[Section], dict[str, Any]]:
    text = _decode(path, raw)
    match = _FRONT_MATTER.match(text)
    if match:
        metadata = {**_parse_yaml(match.group(1), path), **metadata}
        text = text[match.end() :]
    title = ""
    sections: list[Section] = []
    current_id, current_title, body = "intro", "Introduction", []

    def close() -> None:
        content = "\n".join(body).strip()
        if content:
            sections.append(Section(current_id, current_title, _normalise_markdown(content)))

    for line in text.splitlines():
        heading = _MD_HEADING.match(line)
        if heading and len(heading.group(1)) == 1 and not title:
            title = heading.group(2)
            continue
        if heading:
            close()
            current_id, current_title = _markdown_section_id(heading.group(2), {s.id for s in sections})
            body = []
        else:
            body.append(line)
    close()
    return title, sections, metadata


def _markdown_section_id(heading: str, taken: set[str]) -> tuple[str, str]:
    numbered = _SECTION_NUMBER.match(heading)
    section_id, title = (numbered.group(1), numbered.group(2)) if numbered else (slugify(heading), heading)
    unique, n = section_id, 2
    while unique in taken:
        unique, n = f"{section_id}-{n}", n + 1
    return unique, title


def _normalise_markdown(text: str) -> str:
    """Markdown body as readable prose: emphasis markers dropped, table rows kept one per line."""
    text = re.sub(r"\*\*(.+?)\*\*", r"\1", text)
    text = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"\1", text)
    lines = [line for line in text.splitlines() if not re.fullmatch(r"\s*\|?[\s:|-]+\|?\s*", line) or "|" not in line]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _load_pdf(path: Path, raw: bytes, metadata: dict[str, Any]) -> tuple[str, list[Section], dict[str, Any]]:
    import io

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(raw))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError) as exc:
        raise DocumentError(f"{path.name}: not a readable PDF ({exc}); export it again or convert it to .txt") from exc
    info_title = (reader.metadata or {}).get("/Title") if reader.metadata else None
    # PDF text has no blank lines; paragraphs are rebuilt from lines, across page breaks.
    text = "\n".join(pages)
    if not metadata.get("title") and info_title:
        metadata = {**metadata, "title": str(info_title)}
    first_line = next((line.strip() for line in text.splitlines() if line.strip()), path.stem)
    return first_line, sections_from_paragraphs(_label_byline(line_paragraphs(text), metadata)), metadata


def _load_docx(path: Path, raw: bytes, metadata: dict[str, Any]) -> tuple[str, list[Section], dict[str, Any]]:
    import io
    import zipfile

    import docx

    try:
        document = docx.Document(io.BytesIO(raw))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise DocumentError(f"{path.name}: not a readable .docx ({exc}); save it again from Word") from exc
    title = document.core_properties.title or ""
    styled_headings = any(p.style is not None and p.style.name.startswith("Heading") for p in document.paragraphs)
    if not styled_headings:
        text = "\n\n".join(p.text for p in document.paragraphs)
        return title or path.stem, sections_from_paragraphs(paragraphs(text)), metadata
    sections: list[Section] = []
    current_id, current_title, body = "intro", "Introduction", []
    for para in document.paragraphs:
        style = para.style.name if para.style is not None else ""
        if style == "Title" and not title:
            title = para.text.strip()
        elif style.startswith("Heading") and para.text.strip():
            if body:
                sections.append(Section(current_id, current_title, "\n\n".join(body)))
            current_id, current_title = _markdown_section_id(para.text.strip(), {s.id for s in sections})
            body = []
        elif para.text.strip():
            body.append(para.text.strip())
    if body:
        sections.append(Section(current_id, current_title, "\n\n".join(body)))
    return title or path.stem, sections, metadata


_LOADERS: dict[str, Callable[[Path, bytes, dict[str, Any]], tuple[str, list[Section], dict[str, Any]]]] = {
    ".txt": _load_txt,
    ".md": _load_markdown,
    ".pdf": _load_pdf,
    ".docx": _load_docx,
}


def discover(paths: list[Path]) -> list[Path]:
    """Supported files under the given files and folders, in a stable order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(p for p in sorted(path.rglob("*")) if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES)
        else:
            found.append(path)
    return found
