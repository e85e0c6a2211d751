"""A word search: the level's glossary terms hidden in a grid of letters, the terms listed under it.

The grid's size and the directions a term may run in grow with the level. Every finished grid holds each
term exactly once and spells no word of assets/word-search-unwanted.txt in any direction, except inside a
term it hides: the filler letters are drawn again until it is clean.
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Literal

from builder import model as m
from builder.components.api import ActivitySpec, CannotBuild, ItemContext, ItemKind, Words
from builder.components.items.crossword import letters
from builder.core.fields import Text
from builder.core.levels import Level
from builder.core.paths import ASSETS

if TYPE_CHECKING:
    from builder.render.brf.renderer import BrfWriter
    from builder.render.docx.writer import DocxWriter

# Each direction's label key and its step (rows, columns).
STEPS = {
    "word_search_across": (0, 1), "word_search_down": (1, 0),
    "word_search_down_right": (1, 1), "word_search_down_left": (1, -1),
    "word_search_backwards": (0, -1), "word_search_up": (-1, 0),
    "word_search_up_left": (-1, -1), "word_search_up_right": (-1, 1),
}
DIRECTIONS = tuple(STEPS)
LEAST_TERMS = 3
TRIES = 200  # placements, and fillings of each placement, tried before giving up


class WordSearchSpec(ActivitySpec):
    type: Literal["word-search"]
    terms: tuple[Text, ...] | None = None  # default: chosen from the glossary


@dataclass(frozen=True)
class Hidden:
    term: str  # as the glossary writes it
    letters: str  # as the grid holds it
    row: int  # of its first letter, from 1
    column: int
    direction: str  # the label key of its direction


@dataclass(frozen=True)
class WordSearch(m.Activity):
    rows: tuple[str, ...]
    terms: tuple[str, ...]  # listed under the grid, as the glossary writes them
    hidden: tuple[Hidden, ...]  # where each is, for the key

    @property
    def solution(self) -> tuple[str, ...]:
        """The grid as the key shows it: the hidden terms' letters, every other square blank (" ")."""
        cells = {(h.row - 1 + STEPS[h.direction][0] * i, h.column - 1 + STEPS[h.direction][1] * i)
                 for h in self.hidden for i in range(len(h.letters))}
        return tuple("".join(letter if (r, c) in cells else " " for c, letter in enumerate(row))
                     for r, row in enumerate(self.rows))


def plan(level: Level) -> tuple[int, tuple[str, ...]]:
    """The grid's side and the directions terms run in, by the level's reading band: elementary grades
    read across and down, middle school adds the diagonals down, high school every direction."""
    if level.reading_band[0] < 6:
        return 10, DIRECTIONS[:2]
    if level.reading_band[0] < 9:
        return 12, DIRECTIONS[:4]
    return 14, DIRECTIONS


@cache
def unwanted() -> tuple[str, ...]:
    """The words no grid may spell: assets/word-search-unwanted.txt, in capitals."""
    text = (ASSETS / "word-search-unwanted.txt").read_text(encoding="utf-8")
    return tuple(line.strip().upper() for line in text.splitlines() if line.strip() and not line.startswith("#"))


Cells = tuple[tuple[int, int], ...]


def occurrences(rows: tuple[str, ...] | list[str], word: str, directions: tuple[str, ...]) -> list[Cells]:
    """The squares of every place `word` can be read in the grid, in the given directions."""
    height, width = len(rows), len(rows[0])
    found = []
    for r in range(height):
        for c in range(width):
            if rows[r][c] != word[0]:
                continue
            for direction in directions:
                dr, dc = STEPS[direction]
                cells = tuple((r + dr * i, c + dc * i) for i in range(len(word)))
                if all(0 <= y < height and 0 <= x < width and rows[y][x] == word[i]
                       for i, (y, x) in enumerate(cells)):
                    found.append(cells)
    return found


def _place(words: list[str], side: int, directions: tuple[str, ...], rng: random.Random,
           ) -> dict[str, tuple[int, int, str]] | None:
    """Each word at a seeded place, the directions in turn, sharing a square only where the letters agree;
    None when one finds no place."""
    grid: dict[tuple[int, int], str] = {}
    where: dict[str, tuple[int, int, str]] = {}
    turns = rng.sample(directions, len(directions))
    for n, word in enumerate(words):
        for attempt in range(TRIES):
            # The directions taken in turn: a random one each time would favour the way most words already run.
            direction = turns[n % len(turns)] if attempt < TRIES // 2 else rng.choice(directions)
            dr, dc = STEPS[direction]
            r, c = rng.randrange(side), rng.randrange(side)
            cells = [(r + dr * i, c + dc * i) for i in range(len(word))]
            if all(0 <= y < side and 0 <= x < side and grid.get((y, x), letter) == letter
                   for (y, x), letter in zip(cells, word, strict=True)):
                grid.update(zip(cells, word, strict=True))
                where[word] = (r, c, direction)
                break
        else:
            return None
    return where


def _clean(rows: list[str], hidden: dict[str, Cells]) -> bool:
    """Each word readable in exactly one place in any direction (where it was put), and no unwanted word
    outside a hidden word's own squares."""
    if any({frozenset(found) for found in occurrences(rows, word, DIRECTIONS)} != {frozenset(cells)}
           for word, cells in hidden.items()):
        return False
    inside = [set(cells) for cells in hidden.values()]
    return not any(not any(set(found) <= own for own in inside)
                   for bad in unwanted() for found in occurrences(rows, bad, DIRECTIONS))


def fill(words: list[str], side: int, directions: tuple[str, ...], rng: random.Random,
         ) -> tuple[list[str], dict[str, tuple[int, int, str]]] | None:
    """A finished grid: the words placed, the other squares filled with seeded letters, checked clean."""
    for _ in range(TRIES // 10):
        where = _place(words, side, directions, rng)
        if where is None:
            continue
        hidden = {word: tuple((r + STEPS[d][0] * i, c + STEPS[d][1] * i) for i in range(len(word)))
                  for word, (r, c, d) in where.items()}
        squares = {cell: word[i] for word, cells in hidden.items() for i, cell in enumerate(cells)}
        for _ in range(TRIES // 10):
            rows = ["".join(squares.get((r, c)) or rng.choice(string.ascii_uppercase) for c in range(side))
                    for r in range(side)]
            if _clean(rows, hidden):
                return rows, where
    return None


def usable(words: list[str]) -> list[str]:
    """The words that can be found exactly once: none inside another, either way (WAR in COLDWAR)."""
    return [w for w in words if not any(w in o or w[::-1] in o for o in words if o != w)]


def build(spec: WordSearchSpec, context: ItemContext) -> WordSearch:
    title = spec.title or context.words["word_search"]
    side, directions = plan(context.level)
    entries = [e for e in context.material.glossary if len(letters(e.term)) >= 3]
    if spec.terms:
        entries = [e for name in spec.terms for e in entries if e.term == name]
    by_letters = {letters(e.term): e.term for e in entries}
    words = usable(list(by_letters))
    if not spec.terms:
        fitting = [w for w in words if len(w) <= side]  # a longer term would make the grid larger
        pool = fitting if len(fitting) >= LEAST_TERMS else words
        words = context.rng.sample(pool, min(len(pool), spec.count or context.level.items + 2))
    if len(words) < LEAST_TERMS:
        raise CannotBuild(f"needs at least {LEAST_TERMS} glossary terms of 3 or more letters, none inside "
                          f"another, has {len(words)}; add terms to the glossary")
    side = max(side, *(len(w) for w in words))
    words.sort(key=len, reverse=True)  # the longest placed first, while the grid is empty
    made = fill(words, side, directions, context.rng)
    if made is None:
        raise CannotBuild(f"could not hide its {len(words)} terms in a {side} by {side} grid; name fewer terms")
    rows, where = made
    listed = sorted(words, key=lambda w: by_letters[w].casefold())
    return WordSearch(
        context.number, spec.type, title, context.words["word_search_instructions"], tuple(rows),
        tuple(by_letters[w] for w in listed),
        tuple(Hidden(by_letters[w], w, where[w][0] + 1, where[w][1] + 1, where[w][2]) for w in listed),
    )


def answer_lines(item: WordSearch, words: Words) -> list[str]:
    """Where each term is: "COLDWAR: row 3, column 2, across"."""
    return ["; ".join(words["word_search_at"].format(term=h.letters, row=h.row, column=h.column,
                                                     direction=words[h.direction]) for h in item.hidden)]


def count(item: WordSearch) -> int:
    return len(item.terms)


def write_docx(w: DocxWriter, item: WordSearch) -> None:
    w.grid([[(letter, False) for letter in row] for row in item.rows], numbers=False)
    w.indent(w.para(), keep=True).add_run(w.words["word_search_find"]).bold = True
    listed = w.indent(w.para())
    for n, term in enumerate(item.terms):
        if n:
            w.gap(listed, 2)
        listed.add_run(term.replace(" ", "\u00a0"))  # a term is never split over two lines


def write_key_docx(w: DocxWriter, item: WordSearch) -> None:
    """The solved grid under the key's lines: only the hidden terms' letters."""
    w.grid([[(letter.strip(), False) for letter in row] for row in item.solution], numbers=False)


def write_brf(w: BrfWriter, item: WordSearch) -> None:
    """The grid's rows as letters, one a line, then the terms to find."""
    for row in item.rows:
        w.letters(row)
    w.item(w.words["word_search_find"], nested=True)
    w.item(", ".join(item.terms), nested=True)


KIND = ItemKind("word-search", WordSearchSpec, WordSearch, build, answer_lines, count, "item-word-search.html",
                write_docx, generated=True, title="word_search", brf=write_brf, key_template="key-word-search.html",
                key_docx=write_key_docx)
