"""The crossword and the word search: grids checked square by square, seeds, sizes by level, and a whole
pack built with both at every level (PDF, DOCX against the OOXML schemas, braille)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from builder import BuildOptions, build_pack, load_pack
from builder.components.api import CannotBuild, ItemContext, Material, seeded
from builder.components.items import crossword, word_search
from builder.components.items.crossword import Crossword, CrosswordSpec, lengths, letters
from builder.components.items.word_search import DIRECTIONS, STEPS, WordSearch, WordSearchSpec, occurrences, unwanted
from builder.components.registry import answer_lines
from builder.components.worksheet import Worksheet
from builder.core.labels import labels_for
from builder.core.levels import builtin_levels
from builder.load.schema import GlossaryEntry
from builder.resolve.document import resolve

from .conftest import pdf_text
from .ooxml import schema_errors

WORDS = labels_for("en", {})
TERMS = {
    "evaporation": "The change of liquid water into a gas.",
    "condensation": "The change of water vapour back into droplets.",
    "aquifer": "A layer of rock underground that holds water.",
    "precipitation": "Water that falls from clouds.",
    "transpiration": "Water that plants give off through their leaves.",
    "glacier": "A huge mass of ice that moves slowly.",
    "ocean": "A very large body of salt water.",
    "river": "A large stream of water flowing to the sea.",
    "droplets": "Very small drops of a liquid.",
    "stream": "A small narrow river.",
    "water table": "The level below which the ground is full of water.",
}
ARTICLE = """# The Water Cycle

## Evaporation

The sun warms the ocean and its water rises as a gas: this is evaporation. Plants give off water through
their leaves too: this is transpiration.

## Condensation

High in the sky the air is cold, so the gas turns back into droplets: this is condensation.

## Rain

Rain and snow are precipitation. Rain soaks into the ground down to the water table and fills an aquifer;
the rest runs into a stream, then a river, and back to the ocean. A glacier holds water as ice.
"""


def material(terms: dict[str, str] = TERMS) -> Material:
    return Material((), tuple(GlossaryEntry(term=t, definition=d) for t, d in terms.items()), ())


def context(level: str = "middle", variant: int = 0, terms: dict[str, str] = TERMS) -> ItemContext:
    return ItemContext(1, builtin_levels()[level], material(terms), seeded("puzzles", level, variant), WORDS,
                       variant)


def make_crossword(level: str = "middle", variant: int = 0, **spec: object) -> Crossword:
    return crossword.build(CrosswordSpec(type="crossword", **spec), context(level, variant))


def make_word_search(level: str = "middle", variant: int = 0, **spec: object) -> WordSearch:
    return word_search.build(WordSearchSpec(type="word-search", **spec), context(level, variant))


def runs(rows: tuple[str, ...]) -> dict[tuple[int, int, str], str]:
    """Every run of 2 or more letters across and down: (row, column, "across"/"down") -> its letters."""
    found = {}
    height, width = len(rows), len(rows[0])
    for way, (dr, dc) in (("across", (0, 1)), ("down", (1, 0))):
        for r in range(height):
            for c in range(width):
                before = (r - dr, c - dc)
                if rows[r][c] == "." or (min(before) >= 0 and rows[before[0]][before[1]] != "."):
                    continue
                word = ""
                y, x = r, c
                while y < height and x < width and rows[y][x] != ".":
                    word += rows[y][x]
                    y, x = y + dr, x + dc
                if len(word) >= 2:
                    found[(r, c, way)] = word
    return found


@pytest.mark.parametrize("level", ["elementary", "middle", "high"])
@pytest.mark.parametrize("variant", [0, 1])
def test_every_run_in_the_crossword_is_exactly_a_placed_answer(level: str, variant: int) -> None:
    puzzle = make_crossword(level, variant)
    placed = {(c.row, c.column, way): c.answer for way, clues in (("across", puzzle.across), ("down", puzzle.down))
              for c in clues}
    assert runs(puzzle.rows) == placed  # no unintended run of two letters, no answer running on into another
    assert 4 <= len(placed) <= 12
    assert len(set(placed.values())) == len(placed)
    assert set(placed.values()) <= {letters(t) for t in TERMS}


@pytest.mark.parametrize("variant", [0, 1, 2])
def test_the_crossword_is_connected_and_every_answer_crosses_another(variant: int) -> None:
    puzzle = make_crossword("high", variant)
    squares = {(r, c) for r, row in enumerate(puzzle.rows) for c, letter in enumerate(row) if letter != "."}
    seen, todo = set(), [next(iter(squares))]
    while todo:
        r, c = todo.pop()
        if (r, c) in seen:
            continue
        seen.add((r, c))
        todo += [n for n in ((r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1)) if n in squares]
    assert seen == squares
    cells = {}
    for clue in puzzle.across + puzzle.down:
        step = (0, 1) if clue in puzzle.across else (1, 0)
        cells[clue] = {(clue.row + step[0] * i, clue.column + step[1] * i) for i in range(len(clue.answer))}
    for clue, own in cells.items():
        assert any(own & other for c, other in cells.items() if c is not clue), clue.answer


def test_the_crossword_is_numbered_left_to_right_top_to_bottom() -> None:
    puzzle = make_crossword("middle")
    starts = sorted({(c.row, c.column) for c in puzzle.across + puzzle.down})
    for number, (r, c) in enumerate(starts, start=1):
        assert puzzle.numbers[r][c] == number
        assert all(clue.number == number for clue in puzzle.across + puzzle.down if (clue.row, clue.column) == (r, c))
    assert sum(n > 0 for row in puzzle.numbers for n in row) == len(starts)
    assert [c.number for c in puzzle.across] == sorted(c.number for c in puzzle.across)


def test_the_same_seed_gives_the_same_crossword_and_form_b_another() -> None:
    assert make_crossword("middle") == make_crossword("middle")
    assert make_crossword("middle").rows != make_crossword("middle", variant=1).rows


def test_clues_give_the_lengths_of_the_words_and_answers_are_capitals_without_spaces() -> None:
    assert letters("Cold War") == "COLDWAR"
    assert lengths("Cold War") == "(4,\u00a03)"  # no line break inside
    assert lengths("de-Stalinization") == "(2-13)"
    assert lengths("communism") == "(9)"
    puzzle = make_crossword("high", terms=tuple(TERMS))
    table = next((c for c in puzzle.across + puzzle.down if c.answer == "WATERTABLE"), None)
    if table is not None:
        assert table.clue == f"{TERMS['water table']} (5,\u00a05)"


def test_named_terms_and_too_few_terms() -> None:
    named = ("evaporation", "condensation", "transpiration", "precipitation", "ocean")
    puzzle = make_crossword("middle", terms=named)
    assert {c.answer for c in puzzle.across + puzzle.down} <= {letters(t) for t in named}
    few = {t: TERMS[t] for t in ("ocean", "river", "stream")}
    with pytest.raises(CannotBuild, match="needs at least 4 glossary terms"):
        crossword.build(CrosswordSpec(type="crossword"), context(terms=few))


def test_crossword_key_lines() -> None:
    puzzle = make_crossword("middle")
    across, down = answer_lines(puzzle, WORDS)
    first = puzzle.across[0]
    assert across.startswith(f"{first.number}\u00a0Across: {first.answer}")
    assert all(f"{c.number}\u00a0Down: {c.answer}" in down for c in puzzle.down)


@pytest.mark.parametrize(("level", "side", "allowed"), [
    ("elementary", 10, {"word_search_across", "word_search_down"}),
    ("middle", 12, {"word_search_across", "word_search_down", "word_search_down_right", "word_search_down_left"}),
    ("high", 14, set(DIRECTIONS)),
])
@pytest.mark.parametrize("variant", [0, 1])
def test_the_word_search_holds_each_term_once_and_nothing_rude(level: str, side: int, allowed: set[str],
                                                              variant: int) -> None:
    puzzle = make_word_search(level, variant)
    assert len(puzzle.rows) == side and all(len(row) == side for row in puzzle.rows)
    assert all(row.isalpha() and row.isupper() for row in puzzle.rows)
    assert len(puzzle.terms) >= 3
    for hidden in puzzle.hidden:
        assert hidden.direction in allowed
        found = occurrences(puzzle.rows, hidden.letters, DIRECTIONS)
        assert len({frozenset(cells) for cells in found}) == 1, hidden  # once, in any direction
        dr, dc = STEPS[hidden.direction]
        first = (hidden.row - 1, hidden.column - 1)
        assert found[0] == tuple((first[0] + dr * i, first[1] + dc * i) for i in range(len(hidden.letters)))
    inside = [{(h.row - 1 + STEPS[h.direction][0] * i, h.column - 1 + STEPS[h.direction][1] * i)
               for i in range(len(h.letters))} for h in puzzle.hidden]
    for bad in unwanted():
        assert all(any(set(cells) <= own for own in inside) for cells in occurrences(puzzle.rows, bad, DIRECTIONS)), bad
    if variant == 0:
        assert len({h.direction for h in puzzle.hidden}) >= min(3, len(allowed))  # the directions mix


def test_the_word_search_grows_for_a_long_term_and_seeds_its_grid() -> None:
    long = make_word_search("elementary", terms=("transpiration", "ocean", "river"))
    assert len(long.rows) == len("TRANSPIRATION")
    assert make_word_search("high") == make_word_search("high")
    assert make_word_search("high").rows != make_word_search("high", variant=1).rows
    assert "word" not in unwanted() and "ass" in {w.lower() for w in unwanted()}


def test_word_search_key_gives_row_column_and_direction() -> None:
    puzzle = make_word_search("middle")
    (line,) = answer_lines(puzzle, WORDS)
    first = puzzle.hidden[0]
    assert line.startswith(f"{first.letters}: row {first.row}, column {first.column}, ")


@pytest.fixture
def puzzle_pack(make_pack) -> Path:
    glossary = [{"term": t, "definition": d} for t, d in TERMS.items()]
    return make_pack({"levels": ["elementary", "middle", "high"], "sections": None, "glossary": glossary,
                      "contents": ["cover", "article", "glossary", "flashcards", "crossword", "word-search",
                                   "worksheet"]}, article=ARTICLE)


def test_the_glossary_and_flashcards_follow_the_puzzles(puzzle_pack: Path) -> None:
    pack = load_pack(puzzle_pack)
    for level in pack.levels:
        names = [c.name for c in resolve(pack, level).components]
        assert names.index("activity-word-search") < names.index("glossary") < names.index("flashcards"), names


def test_a_pack_with_both_puzzles_builds_at_every_level(puzzle_pack: Path, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    result = build_pack([puzzle_pack], out, BuildOptions(formats=("pdf", "docx", "brf")))
    assert not result.failed, result
    assert not [w for w in result.warnings if "left out" in w.message], result.warnings
    pack = load_pack(puzzle_pack)
    folder, name = out / pack.id, pack.id
    for level in ("elementary", "middle", "high"):
        document = resolve(pack, next(lv for lv in pack.levels if lv.id == level), edition="teacher")
        puzzles = [i for c in document.components if isinstance(c, Worksheet) for i in c.items
                   if i.type in ("crossword", "word-search")]
        assert {p.type for p in puzzles} == {"crossword", "word-search"}
        key = " ".join(pdf_text(folder / f"{name}-{level}-teacher.pdf").split())
        for puzzle in puzzles:
            for line in answer_lines(puzzle, document.labels):
                for answer in line.replace("\u00a0", " ").split("; "):
                    assert answer in key, answer
        student = pdf_text(folder / f"{name}-{level}-student.pdf")
        assert "Across" in student and "Words to find" in student
        for edition in ("student", "teacher"):
            assert schema_errors(folder / f"{name}-{level}-{edition}.docx") == []
        braille = [line.strip() for line in (folder / f"{name}-{level}-student.brf").read_text("ascii").splitlines()]
        search = next(p for p in puzzles if isinstance(p, WordSearch))
        assert all(row in braille for row in search.rows)  # letter by letter: no contractions, no capital signs


def test_the_word_search_solution_shows_only_the_hidden_letters() -> None:
    puzzle = make_word_search("high")
    solution = puzzle.solution
    assert [len(row) for row in solution] == [len(row) for row in puzzle.rows]
    shown = {(r, c) for r, row in enumerate(solution) for c, letter in enumerate(row) if letter != " "}
    cells = {(h.row - 1 + STEPS[h.direction][0] * i, h.column - 1 + STEPS[h.direction][1] * i)
             for h in puzzle.hidden for i in range(len(h.letters))}
    assert shown == cells and all(solution[r][c] == puzzle.rows[r][c] for r, c in cells)


def test_the_teacher_key_prints_the_solved_grids(puzzle_pack: Path, tmp_path: Path) -> None:
    """After its lines, the key shows each puzzle solved: the crossword's letters in their squares, the
    word search's hidden letters only; in the PDF and the DOCX."""
    import docx

    result = build_pack([puzzle_pack], out=tmp_path, levels=("middle",), editions=("teacher",))
    pdf = next(p for p in result.written if p.suffix == ".pdf")
    html_key = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout.split("Answer Key")[-1]
    document = docx.Document(str(next(p for p in result.written if p.suffix == ".docx")))
    grids = [table for table in document.tables if all(len(cell.text) <= 1 for row in table.rows for cell in row.cells)]
    letters = ["".join(cell.text or "." for cell in row.cells) for table in grids for row in table.rows]
    from builder.resolve.document import resolve

    pack = load_pack(puzzle_pack)
    teacher = resolve(pack, next(lv for lv in pack.levels if lv.id == "middle"), "teacher")
    crossword = next(i for c in teacher.components for i in getattr(c, "items", ()) if isinstance(i, Crossword))
    search = next(i for c in teacher.components for i in getattr(c, "items", ()) if isinstance(i, WordSearch))
    assert all(row in letters for row in crossword.rows), "the DOCX key holds the solved crossword"
    assert all(row.replace(" ", ".") in letters for row in search.solution), "... and the solved word search"
    longest = max((a.answer for a in (*crossword.across, *crossword.down)), key=len)
    assert " ".join(longest) in " ".join(html_key.split()) or longest in html_key.replace(" ", "")
