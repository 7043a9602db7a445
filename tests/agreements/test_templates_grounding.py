"""Agreement clause templates (prompts/agreements/*.yaml): shape, grounding in the knowledge base, strict rendering.

Fast: reads YAML and the knowledge-base files only (no embedding model, no vector store, no network).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
import pytest
import yaml
from jinja2 import meta, nodes

from assistant.documents import load_document
from assistant.settings import REPO_ROOT

AGREEMENTS_DIR = REPO_ROOT / "prompts" / "agreements"
KNOWLEDGE_DIR = REPO_ROOT / "knowledge_base" / "documents"

KINDS = {
    "modern_apprenticeship",
    "order_class",
    "post_internship",
    "joint_rd",
    "patent_licensing",
    "shared_training_base",
    "employee_training",
}
# Clause ids in the order they must appear; a kind uses the ones that apply to it.
CLAUSE_ORDER = [
    "parties_purpose",
    "responsibilities_school",
    "responsibilities_enterprise",
    "double_tutors",
    "student_protection",
    "intellectual_property",
    "risk_sharing",
    "confidentiality",
    "evaluation",
    "term_termination_disputes",
]
ALWAYS = {
    "parties_purpose",
    "responsibilities_school",
    "responsibilities_enterprise",
    "risk_sharing",
    "confidentiality",
    "evaluation",
    "term_termination_disputes",
}
MUST_HAVE = {
    "modern_apprenticeship": {"double_tutors", "student_protection"},
    "order_class": {"double_tutors", "student_protection"},
    "post_internship": {"student_protection"},
    "joint_rd": {"intellectual_property"},
    "patent_licensing": {"intellectual_property"},
}
DOUBLE_TUTOR_KINDS = {"modern_apprenticeship", "order_class"}
COMMON_FIELDS = {"school": "text", "enterprise": "text", "start_date": "date", "end_date": "date"}
FIELD_TYPES = {"text", "integer", "date", "money"}
SAMPLES: dict[str, Any] = {"text": "Sample Value", "integer": 30, "date": "2026-09-01", "money": 4500}
# Jinja nodes a clause may use: literal text, {{ name }} and {% if ... %}{% else %}{% endif %}.
ALLOWED_NODES = (nodes.Template, nodes.Output, nodes.TemplateData, nodes.Name, nodes.If, nodes.Not)

ENV = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=False)


def _norm(text: str) -> str:
    return " ".join(text.split())


@cache
def _sections() -> dict[str, dict[str, str]]:
    """doc id -> section id -> whitespace-normalised text, loaded exactly as the app loads them."""
    paths = sorted((KNOWLEDGE_DIR / "policies").glob("*.md")) + sorted((KNOWLEDGE_DIR / "papers").glob("*.txt"))
    out: dict[str, dict[str, str]] = {}
    for path in paths:
        document = load_document(path)
        out[document.doc_id] = {s.id: _norm(s.text) for s in document.sections}
    return out


def _template_files() -> list[Path]:
    return sorted(AGREEMENTS_DIR.glob("*.yaml"))


@cache
def _load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path.name}: top level must be a mapping"
    return data


def _clauses() -> Iterator[tuple[str, dict[str, Any]]]:
    for path in _template_files():
        for clause in _load(path).get("clauses") or []:
            yield path.stem, clause


def _bilingual(value: Any, where: str) -> None:
    assert isinstance(value, dict), f"{where}: expected {{en: ..., zh: ...}}"
    assert set(value) == {"en", "zh"}, f"{where}: needs exactly en and zh, got {sorted(value)}"
    for lang in ("en", "zh"):
        assert isinstance(value[lang], str), f"{where}.{lang}: must be a string"
        assert value[lang].strip(), f"{where}.{lang}: empty"


def _unguarded_names(node: nodes.Node, guards: frozenset[str] = frozenset()) -> Iterator[str]:
    """Names used outside an `{% if name %}` that tests them (the tests themselves are guards, not uses)."""
    if isinstance(node, nodes.If):
        tests = [node.test, *node.test.find_all(nodes.Name)]  # find_all skips the node itself
        tested = frozenset(n.name for n in tests if isinstance(n, nodes.Name))
        for child in node.body:
            yield from _unguarded_names(child, guards | tested)
        for branch in node.elif_:
            yield from _unguarded_names(branch, guards)
        for child in node.else_:
            yield from _unguarded_names(child, guards)
    elif isinstance(node, nodes.Name):
        if node.name not in guards:
            yield node.name
    else:
        for child in node.iter_child_nodes():
            yield from _unguarded_names(child, guards)


def _word_count(template: str) -> int:
    text = re.sub(r"{%.*?%}", " ", template)
    text = re.sub(r"{{.*?}}", " X ", text)
    return len(text.split())


def test_there_is_one_template_per_kind():
    assert {p.stem for p in _template_files()} == KINDS


@pytest.mark.parametrize("path", _template_files(), ids=lambda p: p.stem)
def test_template_shape(path: Path):
    data = _load(path)
    assert set(data) == {"kind", "title", "summary", "aliases", "fields", "clauses"}, path.name
    assert data["kind"] == path.stem
    _bilingual(data["title"], "title")
    _bilingual(data["summary"], "summary")

    aliases = data["aliases"]
    assert isinstance(aliases, dict)
    assert set(aliases) == {"en", "zh"}
    for lang, phrases in aliases.items():
        assert isinstance(phrases, list), f"aliases.{lang} must be a list"
        assert len(phrases) >= 2, f"aliases.{lang}: give a few phrases"
        assert all(isinstance(p, str) and p.strip() for p in phrases)
        assert len(set(phrases)) == len(phrases), f"aliases.{lang}: duplicates"
    assert all(p == p.lower() for p in aliases["en"]), "English aliases must be lowercase"

    fields = data["fields"]
    assert isinstance(fields, list)
    names = [f.get("name") for f in fields]
    assert len(set(names)) == len(names), f"duplicate field names: {names}"
    for field in fields:
        where = f"{path.stem}.fields.{field.get('name')}"
        assert (
            {"name", "type", "required", "label", "question"}
            <= set(field)
            <= {"name", "type", "required", "label", "question", "also_called"}
        ), where
        if "also_called" in field:  # other labels people use: lists of words, in the two languages
            assert set(field["also_called"]) <= {"en", "zh"}, where
            assert all(isinstance(w, str) and w for ws in field["also_called"].values() for w in ws), where
        assert re.fullmatch(r"[a-z][a-z0-9_]*", field["name"]), where
        assert field["type"] in FIELD_TYPES, where
        assert isinstance(field["required"], bool), where
        _bilingual(field["label"], f"{where}.label")
        _bilingual(field["question"], f"{where}.question")
    by_name = {f["name"]: f for f in fields}
    for name, type_ in COMMON_FIELDS.items():
        assert name in by_name, f"{path.stem}: missing common field {name}"
        assert by_name[name]["type"] == type_ and by_name[name]["required"], f"{path.stem}.{name}"
    required = [f for f in fields if f["required"]]
    assert 4 <= len(required) <= 7, f"{path.stem}: {len(required)} required fields (want 4-7)"

    clauses = data["clauses"]
    assert isinstance(clauses, list)
    assert 8 <= len(clauses) <= 11, f"{path.stem}: {len(clauses)} clauses (want 8-11)"
    ids = [c.get("id") for c in clauses]
    assert len(set(ids)) == len(ids), f"duplicate clause ids: {ids}"
    assert set(ids) <= set(CLAUSE_ORDER), f"unknown clause ids: {set(ids) - set(CLAUSE_ORDER)}"
    assert ids == [i for i in CLAUSE_ORDER if i in ids], f"{path.stem}: clauses out of order: {ids}"
    assert ALWAYS | MUST_HAVE.get(path.stem, set()) <= set(ids), f"{path.stem}: missing clauses"
    assert ("double_tutors" in ids) == (path.stem in DOUBLE_TUTOR_KINDS)
    for clause in clauses:
        where = f"{path.stem}.{clause['id']}"
        assert set(clause) == {"id", "heading", "text", "grounding", "unverified"}, where
        _bilingual(clause["heading"], f"{where}.heading")
        _bilingual(clause["text"], f"{where}.text")
        assert isinstance(clause["unverified"], bool), where
        assert isinstance(clause["grounding"], list) and clause["grounding"], f"{where}: needs grounding"
        words = _word_count(clause["text"]["en"])
        assert 40 <= words <= 120, f"{where}: English text has {words} words (want 40-120)"


@pytest.mark.parametrize(("kind", "clause"), list(_clauses()), ids=lambda v: v["id"] if isinstance(v, dict) else v)
def test_grounding_quotes_are_in_the_cited_sections(kind: str, clause: dict[str, Any]):
    sections = _sections()
    for grounding in clause["grounding"]:
        assert set(grounding) == {"ref", "quote"}, f"{kind}.{clause['id']}: {grounding}"
        doc_id, sep, section_id = str(grounding["ref"]).partition("#")
        assert sep, f"{kind}.{clause['id']}: ref {grounding['ref']!r} is not doc#section"
        assert doc_id in sections, f"{kind}.{clause['id']}: no document {doc_id!r}"
        assert section_id in sections[doc_id], f"{kind}.{clause['id']}: {doc_id} has no section {section_id!r}"
        quote = _norm(str(grounding["quote"]))
        assert 8 <= len(quote.split()) <= 30, f"{kind}.{clause['id']}: quote has {len(quote.split())} words"
        assert quote in sections[doc_id][section_id], (
            f"{kind}.{clause['id']}: quote not found in {grounding['ref']}: {quote!r}"
        )


@pytest.mark.parametrize("path", _template_files(), ids=lambda p: p.stem)
def test_clauses_render_strictly(path: Path):
    data = _load(path)
    fields = {f["name"]: f for f in data["fields"]}
    optional = {name for name, f in fields.items() if not f["required"]}
    full = {name: SAMPLES[f["type"]] for name, f in fields.items()}
    # A missing optional field is passed as None: StrictUndefined would fail even on `{% if name %}`.
    minimal = {name: (None if name in optional else value) for name, value in full.items()}
    for clause in data["clauses"]:
        for lang in ("en", "zh"):
            where = f"{path.stem}.{clause['id']}.{lang}"
            source = clause["text"][lang]
            ast = ENV.parse(source)
            used = meta.find_undeclared_variables(ast)
            assert used <= set(fields), f"{where}: undeclared variables {sorted(used - set(fields))}"
            strange = {type(n).__name__ for n in ast.find_all(nodes.Node) if not isinstance(n, ALLOWED_NODES)}
            assert not strange, f"{where}: only {{{{ name }}}} and {{% if %}} are allowed, found {strange}"
            unguarded = set(_unguarded_names(ast)) & optional
            assert not unguarded, f"{where}: optional fields used outside {{% if %}}: {sorted(unguarded)}"
            for values in (full, minimal):
                rendered = ENV.from_string(source).render(**values)
                assert "{{" not in rendered and "{%" not in rendered, where
                assert "None" not in rendered, f"{where}: an optional field leaked into the text"
                assert rendered.strip(), where


@pytest.mark.parametrize(("kind", "clause"), list(_clauses()), ids=lambda v: v["id"] if isinstance(v, dict) else v)
def test_unverified_clauses_say_so(kind: str, clause: dict[str, Any]):
    en, zh = clause["text"]["en"], clause["text"]["zh"]
    says_en = "unverified" in en.lower()
    says_zh = "未经核实" in zh or "待核实" in zh
    if clause["unverified"]:
        assert says_en, f"{kind}.{clause['id']}: unverified clause must say 'unverified' in English"
        assert says_zh, f"{kind}.{clause['id']}: unverified clause must say 未经核实/待核实 in Chinese"
    else:
        assert not (says_en or says_zh), f"{kind}.{clause['id']}: mentions unverified facts; set unverified: true"
