"""A statement to mark true or false."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from builder.components.api import ItemContext, ItemKind, QuestionSpec
from builder.components.items.question import Question, answers, one

if TYPE_CHECKING:
    from builder.render.brf.renderer import BrfWriter
    from builder.render.docx.writer import DocxWriter


class TrueFalse(QuestionSpec):
    type: Literal["true-false"]
    answer: bool


def build(spec: TrueFalse, context: ItemContext) -> Question:
    answer = context.words["answer_true" if spec.answer else "answer_false"]
    return Question(context.number, spec.type, spec.prompt, answer=answer)


def write_docx(w: DocxWriter, question: Question) -> None:
    w.indent(w.true_false())


def write_brf(w: BrfWriter, question: Question) -> None:
    w.item(f"{w.words['answer_true']} / {w.words['answer_false']}", nested=True)


KIND = ItemKind("true-false", TrueFalse, Question, build, answers, one, "item-true-false.html", write_docx,
                brf=write_brf)
