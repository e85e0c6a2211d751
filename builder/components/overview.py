"""The teacher edition's first page: what the pack holds at this level and the teacher's notes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from builder import model as m
from builder.components.api import ComponentKind

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
    w.heading(w.words["reading_sections"], 3)
    w.add_list(tuple((m.Run(t),) for t in component.sections), "decimal", "List Number")
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
    if component.discussion:
        w.heading(w.words["discussion_prompts"], 2)
        w.add_list(tuple((m.Run(d),) for d in component.discussion), "decimal", "List Number")


KIND = ComponentKind("overview", Overview, "overview.html", write_docx)
