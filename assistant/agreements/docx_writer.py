"""The editable Word document of a draft (python-docx): headings, numbered clauses, a citations appendix."""

from __future__ import annotations

import io
from typing import Any

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from assistant.agreements.drafting import WORDS

CJK_FONT = "SimSun"  # Word substitutes an installed CJK font when this one is missing


def to_docx(title: str, language: str, body: dict[str, Any]) -> bytes:
    """The stored draft `body` (see `Draft.body`) as .docx bytes."""
    words = WORDS[language]
    document = docx.Document()
    normal = document.styles["Normal"]
    normal.font.size = Pt(11)
    normal.font.name = "Calibri"  # creates the run fonts element the East-Asian slot lives in
    # East-Asian text needs its own font slot, or Word shows boxes on some systems.
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), CJK_FONT)
    document.core_properties.title = title
    document.core_properties.subject = "cooperation agreement draft"

    document.add_heading(title, level=0)
    summary = document.add_paragraph()
    summary.add_run(body["summary"]).italic = True
    document.add_paragraph(words["note"])
    if body["placeholders"]:
        document.add_paragraph(words["placeholders"])

    document.add_heading(words["terms"], level=1)
    table = document.add_table(rows=1, cols=2)
    table.style = "Table Grid"
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = words["item"], words["value"]
    for label, value in body["terms"]:
        row = table.add_row().cells
        row[0].text, row[1].text = label, value

    for clause in body["clauses"]:
        heading = words["article"].format(n=clause["number"], heading=clause["heading"])
        if clause["unverified"]:
            heading += f" ({words['unverified']})"
        document.add_heading(heading, level=1)
        paragraphs = [p for p in clause["text"].split("\n") if p.strip()]
        for i, text in enumerate(paragraphs):
            paragraph = document.add_paragraph(text.strip())
            if i == len(paragraphs) - 1:
                marks = paragraph.add_run(" " + "".join(f"[{n}]" for n in clause["citations"]))
                marks.font.superscript = True

    document.add_heading(words["citations"], level=1)
    for citation in body["citations"]:
        paragraph = document.add_paragraph()
        paragraph.add_run(
            f"[{citation['n']}] {citation['doc_id']}#{citation['section']} — {citation['title']}"
        ).bold = True
        paragraph.add_run(f'\n"{citation["quote"]}"')
    closing = document.add_paragraph(words["generated"].format(day=body["day"]))
    closing.alignment = WD_ALIGN_PARAGRAPH.RIGHT

    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
