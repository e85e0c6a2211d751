"""A longer written answer, with a model answer and rubric points for the key."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field

from builder.components.api import ItemContext, ItemKind, QuestionSpec
from builder.components.items.question import Question, answers, one, written_brf
from builder.core.fields import Text

if TYPE_CHECKING:
    from builder.render.docx.writer import DocxWriter


class ExtendedResponse(QuestionSpec):
    type: Literal["extended-response"]
    model_answer: Text
    rubric: tuple[Text, ...] = ()
    lines: int = Field(default=8, ge=1, le=30)


def build(spec: ExtendedResponse, context: ItemContext) -> Question:
    return Question(context.number, spec.type, spec.prompt, lines=spec.lines, answer=spec.model_answer,
                    rubric=spec.rubric)


def write_docx(w: DocxWriter, question: Question) -> None:
    w.answer_lines(question.lines)


KIND = ItemKind("extended-response", ExtendedResponse, Question, build, answers, one, "item-written.html",
                write_docx, brf=written_brf)
