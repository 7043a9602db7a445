from assistant.documents import load_document
from tests.conftest import KNOWLEDGE_DIR

PAPER = KNOWLEDGE_DIR / "papers" / "industry-education-integration-paper.txt"


def _sections():
    document = load_document(PAPER)
    return document, {s.id: s for s in document.sections}


def test_paper_metadata_comes_from_its_sidecar():
    document, _ = _sections()
    assert document.doc_id == "peng2026"
    assert document.doc_type == "paper"
    assert document.metadata["author"] == "Peng Peng"
    assert document.metadata["year"] == 2026


def test_section_ids_follow_the_papers_numbering():
    _, sections = _sections()
    expected = {
        "abstract",
        "1.1",
        "1.2.1",
        "1.2.2",
        "1.2.3",
        "1.3",
        "2.1",
        "2.2.1",
        "2.2.2",
        "2.2.3",
        "3",
        "3.1",
        "3.2",
        "3.3",
        "4",
        "4.1.1",
        "4.1.2",
        "4.1.3",
        "4.2",
        "4.2.1",
        "4.2.2",
        "4.2.3",
        "4.3",
        "4.3.1",
        "4.3.2",
        "4.3.3",
        "5",
        "5.1",
        "5.2",
        "5.3",
        "5.4",
        "6.1",
        "6.2",
        "fund-project",
        "references",
    }
    assert set(sections) == expected


def test_text_before_the_introduction_is_the_abstract_with_its_byline():
    _, sections = _sections()
    abstract = sections["abstract"].text
    assert abstract.startswith("Title: Exploration on the Implementation Path")
    assert "Author: Peng Peng" in abstract and "Affiliation: Jiangsu Maritime Institute" in abstract
    assert "Abstract:" not in abstract and "*" not in abstract
    assert "Keywords: New development pattern" in abstract


def test_page_break_splits_are_rejoined():
    _, sections = _sections()
    assert "quantity, quality, and structure of technical and skilled talents" in sections["1.1"].text
    assert "to ensure that the professional structure is in sync" in sections["4.1.1"].text


def test_missing_4_1_1_heading_is_restored_under_its_parent():
    _, sections = _sections()
    restored = sections["4.1.1"]
    assert restored.text.startswith("First, establish a dynamic monitoring mechanism")
    assert "missing in the source" in restored.title
    assert restored.parents[0].startswith("CONSTRUCTION OF A THREE-DIMENSIONAL")


def test_funding_note_and_references_are_their_own_sections():
    _, sections = _sections()
    assert "ZJS2025ZD43" in sections["fund-project"].text
    assert sections["references"].text.startswith("- [1] Zhang Qiwu")
    assert "ZJS2025ZD43" not in sections["6.2"].text


def test_sub_sections_know_their_parents_title():
    _, sections = _sections()
    assert sections["3.1"].parents == (
        "PRACTICAL DIFFICULTIES OF INDUSTRY-EDUCATION INTEGRATION IN VOCATIONAL EDUCATION UNDER THE NEW "
        "DEVELOPMENT PATTERN",
    )
