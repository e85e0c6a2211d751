"""GIFT: the level's quiz as the plain-text format Moodle (and other systems) import: one question a
paragraph, `::name::` before it, its answers in braces.

A cloze with several blanks has no GIFT form: each blank becomes a missing-word question of its own,
its sentence's other blanks shown as a line. Written answers are essays ({}), graded by hand.
"""

from __future__ import annotations

import re

from builder.model import Document
from builder.render.quiz import QuizQuestion, questions

BLANK = "_____"


def escape(text: str) -> str:
    """GIFT's special characters, backslashed: ~ = # { } : (and the backslash itself); the text on one
    line (a blank line ends a question), a space at either end kept."""
    return re.sub(r"([\\~=#{}:])", r"\\\1", re.sub(r"\s+", " ", text))


def gift(document: Document) -> bytes:
    blocks = [f"// {document.title}: {document.level.label}", f"$CATEGORY: {escape(document.title)}/"
              f"{escape(document.level.label)}"]
    for q in questions(document):
        blocks.extend(_question(q, document.title))
    return ("\n\n".join(blocks) + "\n").encode("utf-8")


def _question(q: QuizQuestion, title: str) -> list[str]:
    name = f"::{escape(f'{title} {q.name}')}::"
    if q.kind == "multichoice":
        answers = " ".join(("=" if right else "~") + escape(text.strip()) for text, right in q.choices)
        return [f"{name}{escape(q.text)} {{{answers}}}"]
    if q.kind == "truefalse":
        return [f"{name}{escape(q.text)} {{{'TRUE' if q.truth else 'FALSE'}}}"]
    if q.kind == "matching":
        pairs = " ".join(f"={escape(prompt)} -> {escape(match)}" for prompt, match in q.pairs)
        return [f"{name}{escape(q.text)} {{{pairs}}}"]
    if q.kind == "cloze":
        blanks = [i for i, piece in enumerate(q.pieces) if isinstance(piece, tuple)]
        made = []
        for number, at in enumerate(blanks, 1):
            text = "".join(
                ("{" + " ".join(f"={escape(a)}" for a in piece) + "}" if i == at else BLANK)
                if isinstance(piece, tuple) else escape(piece)
                for i, piece in enumerate(q.pieces))
            suffix = f" ({number})" if len(blanks) > 1 else ""
            made.append(f"::{escape(f'{title} {q.name}{suffix}')}::{escape(q.text)} {text}")
        return made
    return [f"{name}{escape(q.text)} {{}}"]  # an essay
