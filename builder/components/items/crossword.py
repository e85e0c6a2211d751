"""A crossword: the level's glossary definitions as clues, its terms as the answers, in an interlocking grid.

The grid follows American rules: every answer crosses another, the grid is connected, and no two letters
touch except where answers cross, so every run of two or more letters is an answer. Placement is seeded
from the item's generator: the same pack prints the same grid, Form B another.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from builder import model as m
from builder.components.api import ActivitySpec, CannotBuild, ItemContext, ItemKind, Words
from builder.components.items.pool import title_and_count
from builder.core.fields import Text

if TYPE_CHECKING:
    from builder.render.brf.renderer import BrfWriter
    from builder.render.docx.writer import DocxWriter

MOST_WORDS = 12
LEAST_WORDS = 4
MOST_SIDE = 15  # squares across and down: the grid fits a page at every level's type
TRIES = 40  # seeded placements tried; the one placing most answers in the smallest grid wins
ACROSS, DOWN = (0, 1), (1, 0)
Cell = tuple[int, int]


class CrosswordSpec(ActivitySpec):
    type: Literal["crossword"]
    terms: tuple[Text, ...] | None = None  # default: chosen from the glossary


@dataclass(frozen=True)
class Clue:
    number: int
    clue: str  # the definition, with the answer's lengths: "A split between two powers. (4, 3)"
    answer: str  # letters only, in capitals
    row: int  # of its first square, from 0
    column: int


@dataclass(frozen=True)
class Crossword(m.Activity):
    rows: tuple[str, ...]  # the solution, one string a row; "." for a square no answer uses
    numbers: tuple[tuple[int, ...], ...]  # each square's clue number, 0 for none
    across: tuple[Clue, ...]
    down: tuple[Clue, ...]


def letters(term: str) -> str:
    """The term as a grid holds it: its letters only, in capitals ("Cold War" -> "COLDWAR")."""
    return "".join(c for c in term if c.isalpha()).upper()


def lengths(term: str) -> str:
    """The lengths of the term's words, as crosswords print them: "(4, 3)" for "Cold War" (a no-break space),
    "(2-13)" for "de-Stalinization", "(9)" for one word."""
    out = ""
    for word, gap in re.findall(r"([^\s-]+)(\s*-\s*|\s+|$)", term.strip()):
        count = sum(c.isalpha() for c in word)
        if count:
            out += str(count) + ("-" if "-" in gap else ",\u00a0" if gap else "")  # never broken over lines
    return "(" + out.rstrip(",-\u00a0") + ")"


Grid = dict[Cell, str]
Placed = list[tuple[str, Cell, tuple[int, int]]]  # (answer, first square, direction)


def _fits(grid: Grid, used: dict[Cell, set[tuple[int, int]]], word: str, start: Cell,
          way: tuple[int, int]) -> int:
    """How many squares `word` shares with the grid placed at `start` going `way`; -1 when it may not go there
    (a letter clash, a letter touching the side of another answer, or no square in common)."""
    (r, c), (dr, dc) = start, way
    if (r - dr, c - dc) in grid or (r + dr * len(word), c + dc * len(word)) in grid:
        return -1  # it would run on into another answer
    crossings = 0
    for i, letter in enumerate(word):
        cell = (r + dr * i, c + dc * i)
        if cell in grid:
            if grid[cell] != letter or way in used[cell]:
                return -1
            crossings += 1
        elif (cell[0] + dc, cell[1] + dr) in grid or (cell[0] - dc, cell[1] - dr) in grid:
            return -1  # a new letter beside another: an unintended run across the other way
    return crossings or -1


def _span(grid: Grid) -> tuple[int, int, int, int]:
    rows = [r for r, _ in grid]
    columns = [c for _, c in grid]
    return min(rows), max(rows), min(columns), max(columns)


def _place(words: list[str], rng: random.Random) -> tuple[Grid, Placed]:
    """One greedy placement: the first word across, then each word where it crosses most, within MOST_SIDE."""
    grid: Grid = {}
    used: dict[Cell, set[tuple[int, int]]] = {}
    placed: Placed = []

    def put(word: str, start: Cell, way: tuple[int, int]) -> None:
        for i, letter in enumerate(word):
            cell = (start[0] + way[0] * i, start[1] + way[1] * i)
            grid[cell] = letter
            used.setdefault(cell, set()).add(way)
        placed.append((word, start, way))

    put(words[0], (0, 0), ACROSS)
    waiting = words[1:]
    for _ in range(2):  # a word that crossed nothing yet may cross a word placed after it
        left = []
        for word in waiting:
            options = []
            for (r, c), letter in list(grid.items()):
                for i, own in enumerate(word):
                    if own != letter:
                        continue
                    for way in (ACROSS, DOWN):
                        start = (r - way[0] * i, c - way[1] * i)
                        crossings = _fits(grid, used, word, start, way)
                        if crossings < 0:
                            continue
                        end = (start[0] + way[0] * (len(word) - 1), start[1] + way[1] * (len(word) - 1))
                        top, bottom, first, last = _span({**grid, start: "", end: ""})
                        if bottom - top >= MOST_SIDE or last - first >= MOST_SIDE:
                            continue
                        options.append((crossings, -(bottom - top + last - first), rng.random(), start, way))
            if options:
                *_, start, way = max(options)
                put(word, start, way)
            else:
                left.append(word)
        waiting = left
    return grid, placed


def layout(words: list[str], rng: random.Random) -> tuple[Grid, Placed]:
    """The best of TRIES seeded placements: most answers placed, then the smallest grid."""
    best: tuple[tuple[int, int], Grid, Placed] | None = None
    for _ in range(TRIES):
        order = sorted(words, key=lambda w: (-len(w) + rng.random() * 4))  # longer words first, loosely
        grid, placed = _place(order, rng)
        top, bottom, first, last = _span(grid)
        score = (len(placed), -(bottom - top + 1) * (last - first + 1))
        if best is None or score > best[0]:
            best = (score, grid, placed)
    assert best is not None
    return best[1], best[2]


def numbered(rows: list[str]) -> tuple[list[list[int]], dict[Cell, int]]:
    """Standard numbering: left to right, top to bottom, every square that begins a run of 2+ letters."""
    height, width = len(rows), len(rows[0])

    def filled(r: int, c: int) -> bool:
        return 0 <= r < height and 0 <= c < width and rows[r][c] != "."

    numbers = [[0] * width for _ in range(height)]
    starts: dict[Cell, int] = {}
    for r in range(height):
        for c in range(width):
            across = filled(r, c) and not filled(r, c - 1) and filled(r, c + 1)
            down = filled(r, c) and not filled(r - 1, c) and filled(r + 1, c)
            if across or down:
                starts[(r, c)] = numbers[r][c] = len(starts) + 1
    return numbers, starts


def build(spec: CrosswordSpec, context: ItemContext) -> Crossword:
    title, _ = title_and_count(spec, context, "crossword")
    entries = [e for e in context.material.glossary if e.definition and 3 <= len(letters(e.term)) <= MOST_SIDE]
    if spec.terms:
        entries = [e for name in spec.terms for e in entries if e.term == name]
    by_answer = {letters(e.term): e for e in entries}  # two terms spelt alike are one answer
    answers = list(by_answer)
    if not spec.terms:
        answers = context.rng.sample(answers, min(len(answers), spec.count or MOST_WORDS))
    if len(answers) < LEAST_WORDS:
        raise CannotBuild(f"needs at least {LEAST_WORDS} glossary terms of 3 to {MOST_SIDE} letters with definitions, "
                          f"has {len(answers)}; add terms to the glossary")
    grid, placed = layout(answers[:MOST_WORDS], context.rng)
    if len(placed) < LEAST_WORDS:
        raise CannotBuild(f"could fit only {len(placed)} of its terms into one interlocking grid (it needs "
                          f"{LEAST_WORDS}); add glossary terms that share letters")
    top, bottom, first, last = _span(grid)
    rows = ["".join(grid.get((r, c), ".") for c in range(first, last + 1)) for r in range(top, bottom + 1)]
    numbers, starts = numbered(rows)
    clues: dict[tuple[int, int], list[Clue]] = {ACROSS: [], DOWN: []}
    for answer, (r, c), way in placed:
        r, c = r - top, c - first
        term = by_answer[answer]
        clues[way].append(Clue(starts[(r, c)], f"{term.definition} {lengths(term.term)}", answer, r, c))
    return Crossword(
        context.number, spec.type, title, context.words["crossword_instructions"], tuple(rows),
        tuple(tuple(row) for row in numbers),
        *(tuple(sorted(clues[way], key=lambda clue: clue.number)) for way in (ACROSS, DOWN)),
    )


def answer_lines(item: Crossword, words: Words) -> list[str]:
    """One line for the Across answers, one for the Down answers: "1 Across: COMMUNISM; 4 Across: ..."."""
    return ["; ".join(f"{clue.number}\u00a0{words[way]}: {clue.answer}" for clue in clues)
            for way, clues in (("crossword_across", item.across), ("crossword_down", item.down)) if clues]


def count(item: Crossword) -> int:
    return len(item.across) + len(item.down)


def write_docx(w: DocxWriter, item: Crossword) -> None:
    w.grid([[("" if letter == "." else str(number or ""), letter == ".") for letter, number in zip(row, numbers,
                                                                                                 strict=True)]
            for row, numbers in zip(item.rows, item.numbers, strict=True)], numbers=True)
    for way, clues in (("crossword_across", item.across), ("crossword_down", item.down)):
        w.indent(w.para(), keep=True).add_run(w.words[way]).bold = True
        for clue in clues:
            paragraph = w.indent(w.para())
            paragraph.add_run(f"{clue.number}").bold = True
            paragraph.add_run(f"\u2002{clue.clue}")


def write_key_docx(w: DocxWriter, item: Crossword) -> None:
    """The solved grid under the key's lines: every answer's letters in its squares."""
    w.grid([[("" if letter == "." else letter, letter == ".") for letter in row] for row in item.rows],
           numbers=False)


def write_brf(w: BrfWriter, item: Crossword) -> None:
    """The clues with their numbers and lengths, Across then Down; the grid itself has no braille form here."""
    for way, clues in (("crossword_across", item.across), ("crossword_down", item.down)):
        w.item(w.words[way], nested=True)
        for clue in clues:
            w.item(f"{clue.number}. {clue.clue}", nested=True)


KIND = ItemKind("crossword", CrosswordSpec, Crossword, build, answer_lines, count, "item-crossword.html", write_docx,
                generated=True, title="crossword", brf=write_brf, key_template="key-crossword.html",
                key_docx=write_key_docx)
