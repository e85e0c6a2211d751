"""What vocabulary and date matching share: numbered prompts against lettered options."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import TYPE_CHECKING

from builder import model as m
from builder.components.api import Words

if TYPE_CHECKING:
    from builder.render.brf.renderer import BrfWriter
    from builder.render.docx.writer import DocxWriter


@dataclass(frozen=True)
class Matching(m.Activity):
    prompts: tuple[str, ...]
    options: tuple[str, ...]
    answers: tuple[int, ...]  # for each prompt, the index of its option


def matching(kind: str, number: int, title: str, instructions: str, pairs: list[tuple[str, str]],
             rng: random.Random) -> Matching:
    """Prompts in a shuffled order against their answers, lettered, in another shuffled order."""
    rng.shuffle(pairs)
    options = [answer for _, answer in pairs]
    rng.shuffle(options)
    return Matching(number, kind, title, instructions, tuple(prompt for prompt, _ in pairs), tuple(options),
                    tuple(options.index(answer) for _, answer in pairs))


def answers(item: Matching, words: Words) -> list[str]:
    return ["; ".join(f"{i}\u00a0\u2192\u00a0{m.LETTERS[a]} ({item.prompts[i - 1]})"
                      for i, a in enumerate(item.answers, start=1))]


def count(item: Matching) -> int:
    return len(item.prompts)


def write_docx(w: DocxWriter, item: Matching) -> None:
    rows = []
    for i in range(max(len(item.prompts), len(item.options))):
        prompt = item.prompts[i] if i < len(item.prompts) else ""
        option = item.options[i] if i < len(item.options) else ""
        rows.append((prompt, option))
    w.boxes(rows, (0.07, 0.33, 0.6), numbered=("decimal", "upperLetter"))  # 1, 2, ... and A, B, ...: real lists


def write_brf(w: BrfWriter, item: Matching) -> None:
    """The two columns one after the other: the numbered prompts, then the lettered options."""
    for number, prompt in enumerate(item.prompts, start=1):
        w.item(f"{number}. {prompt}", nested=True)
    for letter, option in zip(m.LETTERS, item.options, strict=False):
        w.item(f"{letter}. {option}", nested=True)


TEMPLATE = "item-matching.html"
