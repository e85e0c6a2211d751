"""A teachpack worksheet activity: the level's glossary terms with their letters shuffled.

The package's entry point (pyproject.toml, group `teachpack.components`) names `KIND`, which
declares everything teachpack needs: the pack.yaml spec, the model node, how to build it for a
level, its answer-key lines and count, its HTML template (in templates/ beside this file), its
DOCX writer and its printed words in English and Spanish.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from builder.components.api import ActivitySpec, CannotBuild, ItemContext, ItemKind, Words
from builder.model import Activity

if TYPE_CHECKING:
    from builder.render.docx.writer import DocxWriter

MIN_LETTERS = 4  # shorter words have too few orders to be a puzzle


class WordScrambleSpec(ActivitySpec):
    """`- type: word-scramble` in pack.yaml's worksheet; `title`, `count` and `levels` come from ActivitySpec."""

    type: Literal["word-scramble"]


@dataclass(frozen=True)
class WordScramble(Activity):
    """What is printed: the scrambled words with their clues, and the words for the key."""

    scrambled: tuple[str, ...]
    clues: tuple[str, ...]
    terms: tuple[str, ...]


def scramble(term: str, rng: random.Random) -> str:
    """The term's letters shuffled word by word (spaces stay), never the term itself, in capitals."""
    words = term.split(" ")
    mixed = ["".join(rng.sample(word, len(word))) for word in words]
    if " ".join(mixed).casefold() == term.casefold():
        # Shuffled back into place: turn the first word that has two different letters by one.
        i = next(i for i, word in enumerate(words) if len(set(word.casefold())) > 1)
        mixed[i] = words[i][1:] + words[i][:1]
    return " ".join(mixed).upper()


def can_scramble(term: str) -> bool:
    """At least 4 letters, and a word of two different letters (so some order differs)."""
    return (sum(c.isalpha() for c in term) >= MIN_LETTERS
            and any(len(set(word.casefold())) > 1 for word in term.split(" ")))


def build(spec: WordScrambleSpec, context: ItemContext) -> WordScramble:
    usable = [e for e in context.material.glossary if e.definition and can_scramble(e.term)]
    if len(usable) < 2:
        raise CannotBuild(f"needs at least 2 glossary terms of {MIN_LETTERS} or more letters with definitions, "
                          f"has {len(usable)}; add terms to the glossary")
    chosen = context.rng.sample(usable, min(spec.count or context.level.items, len(usable)))
    return WordScramble(
        number=context.number,
        type=spec.type,
        title=spec.title or context.words["word_scramble"],
        instructions=context.words["word_scramble_instructions"],
        scrambled=tuple(scramble(e.term, context.rng) for e in chosen),
        clues=tuple(e.definition for e in chosen),
        terms=tuple(e.term for e in chosen),
    )


def answers(item: WordScramble, words: Words) -> list[str]:
    """The answer key's one line: the terms, numbered as printed."""
    return ["; ".join(f"({n})\u00a0{term}" for n, term in enumerate(item.terms, start=1))]


def count(item: WordScramble) -> int:
    return len(item.terms)


def write_docx(w: DocxWriter, item: WordScramble) -> None:
    """The DOCX body, after teachpack has written the number, title and instructions."""
    for n, (mixed, clue) in enumerate(zip(item.scrambled, item.clues, strict=True), start=1):
        paragraph = w.indent(w.para(), keep=True)
        paragraph.add_run(f"({n})  ")
        paragraph.add_run(mixed).bold = True
        paragraph.add_run(f"  \u2014  {clue}")
        w.answer_lines(1)


KIND = ItemKind(
    type="word-scramble",
    spec=WordScrambleSpec,
    node=WordScramble,
    build=build,
    answers=answers,
    count=count,
    template="item-word-scramble.html",
    docx=write_docx,
    generated=True,  # an activity: it may also be listed alone in `contents:`
    title="word_scramble",
    labels={
        "en": {"word_scramble": "Word scramble",
               "word_scramble_instructions": "Unscramble the letters to find the word that matches each clue. "
                                             "Write it on the line."},
        "es": {"word_scramble": "Palabras revueltas",
               "word_scramble_instructions": "Ordena las letras para formar la palabra de cada pista. "
                                             "Escríbela en la línea."},
    },
    templates=Path(__file__).parent / "templates",
)
