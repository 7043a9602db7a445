from pathlib import Path

import docx
import pytest
from fpdf import FPDF

from assistant.documents import DocumentError, load_document


def test_markdown_front_matter_and_numbered_headings(tmp_path: Path):
    path = tmp_path / "note.md"
    path.write_text(
        "---\nid: my-policy\ntitle: My policy\ndoc_type: policy\n---\n# My policy\n\nIntro text here.\n\n"
        "## 1 Scope\n\nThe **scope** is wide.\n\n## 2.1 Pay\n\nPay is 80%.\n\n## Contacts\n\nAsk us.\n",
        encoding="utf-8",
    )
    document = load_document(path)
    assert (document.doc_id, document.title, document.doc_type) == ("my-policy", "My policy", "policy")
    assert [(s.id, s.title) for s in document.sections] == [
        ("intro", "Introduction"),
        ("1", "Scope"),
        ("2.1", "Pay"),
        ("contacts", "Contacts"),
    ]
    assert document.sections[1].text == "The scope is wide."


def test_pdf_pages_become_numbered_sections(tmp_path: Path):
    pdf = FPDF()
    pdf.set_font("helvetica", size=11)
    pdf.add_page()
    pdf.multi_cell(
        0,
        6,
        "A Study of Training Bases\n\nThis study looks at shared bases.\n\n1. INTRODUCTION\n\n"
        "Bases are shared by schools and firms and the",
    )
    pdf.add_page()
    pdf.multi_cell(0, 6, "costs are split between them.\n\n2. RESULTS\n\nSharing cut costs by a third.")
    path = tmp_path / "bases.pdf"
    pdf.output(str(path))
    document = load_document(path)
    sections = {s.id: s.text for s in document.sections}
    assert set(sections) == {"abstract", "1", "2"}
    assert "and the costs are split between them." in sections["1"]  # the page-break split is rejoined
    assert sections["2"] == "Sharing cut costs by a third."


def test_docx_heading_styles_become_sections(tmp_path: Path):
    document = docx.Document()
    document.add_heading("Agreement notes", level=0)
    document.add_heading("1 Parties", level=1)
    document.add_paragraph("The school and the firm.")
    document.add_heading("2 Duties", level=1)
    document.add_paragraph("The firm provides mentors.")
    path = tmp_path / "notes.docx"
    document.save(str(path))
    loaded = load_document(path)
    assert loaded.title == "Agreement notes"
    assert [(s.id, s.text) for s in loaded.sections] == [
        ("1", "The school and the firm."),
        ("2", "The firm provides mentors."),
    ]


@pytest.mark.parametrize(
    ("name", "content", "fix"),
    [
        ("broken.pdf", b"%PDF-1.4 not really", "not a readable PDF"),
        ("broken.docx", b"PK\x03\x04 nope", "not a readable .docx"),
        ("latin1.txt", "Caf\xe9 policy".encode("latin-1"), "re-save it as UTF-8"),
        ("empty.md", b"---\nid: x\n---\n", "no text found"),
        ("sheet.xlsx", b"whatever", "unsupported file type"),
        ("badmeta.md", b"---\nid: [unclosed\n---\n## 1 A\n\ntext\n", "invalid YAML"),
    ],
)
def test_unreadable_files_raise_an_error_that_names_the_fix(tmp_path: Path, name: str, content: bytes, fix: str):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(DocumentError, match=fix):
        load_document(path)


def test_a_sidecar_that_is_not_utf8_names_the_sidecar_and_the_fix(tmp_path: Path):
    (tmp_path / "notes.txt").write_text("Apprentices have two tutors.\n", encoding="utf-8")
    (tmp_path / "notes.meta.yaml").write_bytes("title: Café notes\n".encode("latin-1"))
    with pytest.raises(DocumentError, match=r"notes\.meta\.yaml: not UTF-8 text; re-save it as UTF-8"):
        load_document(tmp_path / "notes.txt")
