"""A short written answer on ruled lines."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field

from builder.components.api import ItemContext, ItemKind, QuestionSpec
from builder.components.items.question import Question, answers, one, written_brf
from builder.core.fields import Text

if TYPE_CHECKING:
    from builder.render.docx.writer import DocxWriter


class ShortAnswer(QuestionSpec):
    type: Literal["short-answer"]
    answer: Text
    lines: int = Field(default=3, ge=1, le=20)


def build(spec: ShortAnswer, context: ItemContext) -> Question:
    return Question(context.number, spec.type, spec.prompt, lines=spec.lines, answer=spec.answer)


def write_docx(w: DocxWriter, question: Question) -> None:
    w.answer_lines(question.lines)


KIND = ItemKind("short-answer", ShortAnswer, Question, build, answers, one, "item-written.html", write_docx,
                brf=written_brf)
