"""What the four authored question types share: their node and a prompt printed as written."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from builder import model as m
from builder.components.api import QuestionSpec, Words

if TYPE_CHECKING:
    from builder.render.brf.renderer import BrfWriter


@dataclass(frozen=True)
class Question(m.Item):
    """An author-written question; `answer` is what the key prints."""

    prompt: str
    choices: tuple[str, ...] = ()
    lines: int = 0
    answer: str = ""
    rubric: tuple[str, ...] = ()

    @property
    def heading(self) -> str:
        return self.prompt


def answers(question: Question, words: Words) -> list[str]:
    return [question.answer, *(words["rubric"].format(point=point) for point in question.rubric)]


def one(question: Question) -> int:
    return 1


def written_brf(w: BrfWriter, question: Question) -> None:
    """A written answer prints its prompt only in braille: no answer lines (the reader writes elsewhere)."""


__all__ = ["Question", "QuestionSpec", "answers", "one", "written_brf"]
