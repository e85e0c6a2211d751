"""The teacher edition's first page: what the pack holds at this level and the teacher's notes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from docx.oxml.ns import qn

from builder import model as m
from builder.components.api import ComponentKind
from builder.render.docx import xml

if TYPE_CHECKING:
    from builder.render.docx.writer import DocxWriter


@dataclass(frozen=True)
class Overview(m.Component):
    sections: tuple[str, ...]
    activities: tuple[tuple[str, int], ...]  # (title, item count)
    terms: tuple[str, ...]
    objectives: tuple[str, ...]
    standards: tuple[str, ...]
    timing: str | None
    discussion: tuple[str, ...]


def write_docx(w: DocxWriter, component: Overview) -> None:
    w.heading(component.title, 1)
    lead = w.docx.add_paragraph()
    grades = w.words_for("grade_band_inline", grades=w.level.grades.replace("-", "\u2013"))
    lead.add_run(f"{w.doc.title} \u00b7 {w.doc.subject} \u00b7 {w.level.label}, {grades}")
    if component.objectives:
        w.heading(w.words["learning_objectives"], 2)
        w.add_list(tuple((m.Run(o),) for o in component.objectives), "bullet", "List Bullet")
    facts = ((w.words["standards"], ", ".join(component.standards)),
             (w.words["suggested_timing"], component.timing))
    for label, value in facts:
        if value:
            paragraph = w.docx.add_paragraph()
            paragraph.add_run(f"{label}: ").bold = True
            paragraph.add_run(value)
    w.heading(w.words["in_this_edition"], 2)
    # Two columns, as the PDF prints them: the overview takes a page, not two.
    columns = w.docx.add_table(rows=1, cols=2)
    body = w.docx.element.body
    mark = len(body)
    w.heading(w.words["reading_sections"], 3)
    w.add_list(tuple((m.Run(t),) for t in component.sections), "decimal", "List Number")
    _move_into(columns.rows[0].cells[0], body, mark)
    mark = len(body)
    w.heading(w.words["worksheet"], 3)
    counts = {1: "item_count_one"}
    w.add_list(
        tuple((m.Run(f"{t} ({w.words_for(counts.get(n, 'item_count_other'), count=n)})"),)
              for t, n in component.activities),
        "bullet",
        "List Bullet",
    )
    w.heading(w.words["key_terms"], 3)
    w.docx.add_paragraph(", ".join(component.terms))
    _move_into(columns.rows[0].cells[1], body, mark)
    for column in (*columns.columns, *columns.rows[0].cells):
        column.width = int(w.text_width / 2)
    xml.layout_table(columns)
    if component.discussion:
        w.heading(w.words["discussion_prompts"], 2)
        w.add_list(tuple((m.Run(d),) for d in component.discussion), "decimal", "List Number")


def _move_into(cell: Any, body: Any, mark: int) -> None:
    """Move what was written at the end of the body since `mark` (before its section properties) into `cell`."""
    written = [child for child in list(body)[mark - 1 :] if child.tag != qn("w:sectPr")]
    cell._tc.remove(cell.paragraphs[0]._p)  # the empty paragraph a new cell holds
    for child in written:
        cell._tc.append(child)


KIND = ComponentKind("overview", Overview, "overview.html", write_docx, ends_page=True)  # the front pages end here
