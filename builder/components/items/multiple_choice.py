"""One right answer among lettered choices; later forms shuffle the choices."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field, model_validator

from builder import model as m
from builder.components.api import ItemContext, ItemKind, QuestionSpec
from builder.components.items.question import Question, answers, one
from builder.core.fields import Text

if TYPE_CHECKING:
    from builder.render.brf.renderer import BrfWriter
    from builder.render.docx.writer import DocxWriter


class MultipleChoice(QuestionSpec):
    type: Literal["multiple-choice"]
    choices: tuple[Text, ...] = Field(min_length=2, max_length=8)
    answer: str

    @model_validator(mode="after")
    def _answer_is_a_choice(self) -> MultipleChoice:
        letters = list(m.LETTERS[: len(self.choices)])
        if self.answer.upper() not in letters:
            raise ValueError(f"answer must be the letter of a choice: {', '.join(letters)}")
        return self

    @property
    def answer_index(self) -> int:
        return m.LETTERS.index(self.answer.upper())


def build(spec: MultipleChoice, context: ItemContext) -> Question:
    order = list(range(len(spec.choices)))
    if context.variant:  # later forms shuffle the choices; Form A keeps the author's order
        context.rng.shuffle(order)
    choices = tuple(spec.choices[i] for i in order)
    right = order.index(spec.answer_index)
    return Question(context.number, spec.type, spec.prompt, choices=choices,
                    answer=f"{m.LETTERS[right]}. {choices[right]}")


def write_docx(w: DocxWriter, question: Question) -> None:
    for paragraph in w.add_list(tuple((m.Run(c),) for c in question.choices), "upperLetter", "List Number"):
        w.indent(paragraph, keep=True)


def write_brf(w: BrfWriter, question: Question) -> None:
    for letter, choice in zip(m.LETTERS, question.choices, strict=False):
        w.item(f"{letter}. {choice}", nested=True)


KIND = ItemKind("multiple-choice", MultipleChoice, Question, build, answers, one, "item-multiple-choice.html",
                write_docx, brf=write_brf)
