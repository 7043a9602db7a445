"""Drafting against the ingested knowledge base: grounded clauses, exact numbers, valid dates, a real .docx."""

from __future__ import annotations

import io
import re
import uuid

import docx
import pytest

from assistant.agreements import ValueProblem, templates
from assistant.agreements.templates import AgreementTemplate

SAMPLE = {"text": "Sample {label}", "integer": "37", "money": "4,650"}


def sample_values(template: AgreementTemplate, required_only: bool = False) -> dict[str, str]:
    values = {}
    for f in template.fields:
        if required_only and not f.required:
            continue
        if f.type == "date":
            values[f.name] = "2027-03-01" if f.name == "start_date" else "2028年2月28日"
        else:
            values[f.name] = SAMPLE[f.type].format(label=f.label["en"])
    return values


@pytest.mark.parametrize("kind", sorted(templates()))
@pytest.mark.parametrize("language", ["en", "zh"])
def test_every_kind_drafts_with_every_clause_cited_from_indexed_text(kb_container, kind, language):
    template = templates()[kind]
    result = kb_container.agreements.draft(kind, sample_values(template), language, uuid.uuid4().hex)
    assert result["status"] == "drafted" and not result["placeholders"]
    markdown = result["markdown"]
    assert not re.search(r"\{\{|\}\}|\{%|%\}|\bNone\b", markdown)
    types = {f.type for f in template.fields}
    # Numbers exactly as given, dates in ISO.
    assert "2028-02-28" in markdown and "2027-03-01" in markdown
    assert ("4,650" in markdown) == ("money" in types) and ("37" in markdown) == ("integer" in types)
    # Each citation quotes text the index holds, in the section it names.
    for citation in result["citations"]:
        chunks = kb_container.retriever.section_chunks(citation["doc_id"], citation["section"])
        assert any(citation["quote"] in " ".join(c.text.split()) for c in chunks), citation
    sections = re.split(r"\n## ", markdown)
    clauses = [s for s in sections if re.match(r"(\d+\. |第\d+条 )", s)]
    assert len(clauses) == len(template.clauses)
    assert all(re.search(r"(\[\d+\])+\s*$", clause.strip()) for clause in clauses)
    unverified = [c for c in template.clauses if c.unverified]
    marker = "rests on an unverified fact" if language == "en" else "所依据的事实尚未核实"
    assert markdown.count(marker) == len(unverified)


def test_missing_essentials_are_listed_with_their_questions_then_drafted_as_placeholders(kb_container):
    values = {"school": "Nantong Shipping College", "enterprise": "COSCO Shipyard"}
    needs = kb_container.agreements.draft("post_internship", values, "en", "s-needs")
    assert needs["status"] == "needs"
    missing = [m["name"] for m in needs["missing"]]
    assert missing[:2] == ["start_date", "end_date"] and all("?" in m["question"] for m in needs["missing"])
    drafted = kb_container.agreements.draft("post_internship", values, "zh", "s-needs", allow_placeholders=True)
    assert drafted["placeholders"] == missing and "【待填：开始日期】" in drafted["markdown"]


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"start_date": "2027-02-30"}, "must be a real date"),
        ({"start_date": "2027-09-01", "end_date": "2027-03-01"}, "must come after the start date"),
        ({"students": "a few"}, "must be a whole number"),
        ({"students": "0"}, "must be above zero"),
        ({"wages": "100"}, "has no field wages"),
    ],
)
def test_impossible_values_are_refused_with_the_fix(kb_container, values, message):
    with pytest.raises(ValueProblem, match=message):
        kb_container.agreements.draft("modern_apprenticeship", values, "en", "s-bad")


def test_the_docx_has_headings_numbered_clauses_a_terms_table_and_a_citations_appendix(kb_container):
    template = templates()["joint_rd"]
    result = kb_container.agreements.draft("joint_rd", sample_values(template, required_only=True), "en", "s-docx")
    name, data = kb_container.agreements.docx(result["document"]["id"])
    assert name.endswith(".docx") and name.startswith("joint-rd-")
    document = docx.Document(io.BytesIO(data))
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith(("Title", "Heading"))]
    assert headings[0] == ("Title", template.title["en"])
    numbered = [text for style, text in headings if style == "Heading 1" and re.match(r"\d+\. ", text)]
    assert [int(t.split(".")[0]) for t in numbered] == list(range(1, len(template.clauses) + 1))
    assert headings[-1] == ("Heading 1", "Citations")
    appendix = document.paragraphs[[p.text for p in document.paragraphs].index("Citations") + 1 :]
    cited = [p for p in appendix if re.match(r"\[\d+\] \S+#\S+ — ", p.text)]
    assert len(cited) == len(result["citations"])
    terms = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert terms["budget (CNY)"] == "4,650" if "budget (CNY)" in terms else "4,650" in terms.values()
    superscripts = [r.text for p in document.paragraphs for r in p.runs if r.font.superscript]
    assert len(superscripts) == len(template.clauses)
