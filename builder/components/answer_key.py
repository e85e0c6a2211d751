"""The teacher edition's answer key: every item's answer lines, grouped by worksheet, in print order."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from docx.shared import Pt

from builder import model as m
from builder.components.api import ComponentKind
from builder.components.registry import answer_lines, item_kind

if TYPE_CHECKING:
    from builder.render.docx.writer import DocxWriter


@dataclass(frozen=True)
class AnswerKey(m.Component):
    groups: tuple[tuple[str, tuple[m.Item, ...]], ...]  # (worksheet title, its items)


def write_docx(w: DocxWriter, component: AnswerKey) -> None:
    w.heading(component.title, 1)
    for title, items in component.groups:
        w.heading(title, 2)
        for item in items:
            head = w.docx.add_paragraph()
            head.paragraph_format.keep_with_next = True
            head.paragraph_format.space_before = Pt(6)
            w.question_number(head, title, item.number)  # a REF field to the question: it follows edits
            head.add_run(". ").bold = True
            head.add_run(item.heading)
            for line in answer_lines(item, w.words):
                answer = w.indent(w.docx.add_paragraph())
                w.teacher(answer.add_run(line))
            solved = item_kind(item.type).key_docx
            if solved is not None:  # a puzzle's solved grid
                solved(w, item)


KIND = ComponentKind("answer-key", AnswerKey, "answer-key.html", write_docx)
