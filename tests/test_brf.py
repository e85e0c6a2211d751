"""The braille-ready file (--format brf): BANA's page layout, braille ASCII only, and braille that
back-translates (liblouis) to the print it was made from."""

from __future__ import annotations

import dataclasses
import difflib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from builder import BuildOptions, build_pack, load_pack
from builder import model as m
from builder.cli import app
from builder.components.article import Article
from builder.components.glossary import Glossary
from builder.components.registry import registry
from builder.components.timeline import Timeline
from builder.components.worksheet import Worksheet
from builder.core.errors import BuildError, TeachpackError
from builder.render import get_renderer
from builder.render.brf import layout, louis
from builder.render.brf.layout import Block
from builder.resolve.document import resolve

from .conftest import EXAMPLE, REPO

PACK = load_pack(EXAMPLE)
PNG = (REPO / "examples" / "district-theme" / "logo.png").read_bytes()
BRAILLE_ASCII = set(" !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_")


def document(grade: int = 2, edition: str = "student") -> m.Document:
    middle = next(level for level in PACK.levels if level.id == "middle")
    doc = resolve(PACK, middle, edition)
    return dataclasses.replace(doc, styling=dataclasses.replace(doc.styling, braille_grade=grade))


@pytest.fixture(scope="module")
def grade2() -> tuple[m.Document, bytes]:
    doc = document()
    return doc, get_renderer("brf").render(doc)


def pages_of(data: bytes) -> list[list[str]]:
    """Each page's lines (CR LF ended, each page ending with a form feed)."""
    text = data.decode("ascii")
    assert text.endswith("\f")
    pages = text.split("\f")[:-1]
    assert all(page.endswith("\r\n") for page in pages)
    return [page[:-2].split("\r\n") for page in pages]


def text_lines(data: bytes) -> list[str]:
    """The lines holding text, in order: no running heads (line 1 from page 2) and no page numbers (line 25)."""
    return [line for i, page in enumerate(pages_of(data)) for line in page[(1 if i else 0):-1]]


def indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def blocks_starting(lines: list[str], first: int, runover: int) -> list[str]:
    """The blocks of braille whose first line starts `first` cells in and whose runovers `runover` cells in."""
    found, current = [], None
    for line in lines:
        if line.strip() and indent(line) == first and (current is None or first != runover):
            if current is not None:
                found.append(current)
            current = line.strip()
        elif current is not None and line.strip() and indent(line) == runover:
            current += " " + line.strip()
        else:
            if current is not None:
                found.append(current)
            current = None
    if current is not None:
        found.append(current)
    return found


def words(text: str) -> list[str]:
    return re.findall(r"[\w'-]+", plain(text).casefold())


def plain(text: str) -> str:
    """liblouis back-translates an apostrophe as a right quotation mark and every dash (UEB has one) as an em dash."""
    return text.replace("\u2019", "'").replace("\u2014", "\u2013")


def similar(a: str, b: str) -> float:
    """The share of words the two texts have in common, in order (liblouis back-translation is not perfect)."""
    return difflib.SequenceMatcher(None, words(a), words(b)).ratio()


def back(data: bytes, grade: int = 2) -> str:
    """All the file's text, back-translated line by line, as one string."""
    return " ".join(louis.backward(text_lines(data), grade))


# -- the layout -------------------------------------------------------------------------------------------


def test_every_line_fits_every_page_has_25_lines_and_only_braille_ascii(grade2: tuple[m.Document, bytes]) -> None:
    _, data = grade2
    pages = pages_of(data)
    assert len(pages) > 10 and get_renderer("brf").pages(data) == len(pages) == data.count(b"\f")
    assert all(len(page) == 25 for page in pages)
    assert max(len(line) for page in pages for line in page) <= 40
    assert set(data.decode("ascii")) <= BRAILLE_ASCII | {"\r", "\n", "\f"}


def test_page_numbers_at_the_bottom_right_increase(grade2: tuple[m.Document, bytes]) -> None:
    _, data = grade2
    pages = pages_of(data)
    last = [page[-1] for page in pages]
    assert all(len(line) == 40 and line.startswith("   ") and line.lstrip().startswith("#") for line in last)
    numbers = louis.backward([line.strip() for line in last], 2)
    assert numbers == [str(n) for n in range(1, len(pages) + 1)]


def test_running_head_on_every_page_but_the_first(grade2: tuple[m.Document, bytes]) -> None:
    doc, data = grade2
    pages = pages_of(data)
    heads = {page[0] for page in pages[1:]}
    assert len(heads) == 1
    head = heads.pop()
    assert abs(indent(head) - (40 - len(head))) <= 1  # centred
    assert louis.backward([head.strip()], 2) == [doc.title]


def test_words_are_never_split_and_a_word_longer_than_a_line_is_hyphenated() -> None:
    braille = " ".join(["ABCDEFG"] * 20 + ["X" * 95] + ["END"])
    lines = layout.wrap(braille, 2, 0)
    assert all(len(line) <= 40 for line in lines) and lines[0].startswith("  ABCDEFG")
    assert "".join(lines).replace(" ", "").replace("-", "") == braille.replace(" ", "")
    assert [line for line in lines if line.endswith("-")] and all(
        word == "ABCDEFG" for line in lines[:3] for word in line.split())


def test_a_heading_is_never_the_last_line_of_a_page() -> None:
    text = "TEXT"
    while len(layout.wrap(text, 2, 0)) < layout.capacity(0) - 2:
        text += " TEXT"
    # Two lines left on the first page: the blank line before the heading and the heading, not its text.
    pages = layout.paginate([Block(text, layout.PARAGRAPH), Block("HEADING", layout.CELL5), Block("BODY", layout.PARAGRAPH)])
    assert len(pages[0]) == layout.capacity(0) - 2 and pages[1][:2] == ["    HEADING", "  BODY"]
    lower = layout.paginate([Block(text, layout.PARAGRAPH), Block("BODY", layout.PARAGRAPH)])
    assert len(lower[0]) == layout.capacity(0) - 1  # a paragraph runs on to the page's end


# -- what is transcribed, back-translated ---------------------------------------------------------------------


def test_the_first_paragraph_of_the_reading_back_translates(grade2: tuple[m.Document, bytes]) -> None:
    doc, data = grade2
    article = next(c for c in doc.components if isinstance(c, Article))
    first = next(b for b in article.sections[0].blocks if isinstance(b, m.Paragraph))
    printed = "".join(r.text for r in first.runs)
    paragraphs = blocks_starting(text_lines(data), 2, 0)
    back_translated = louis.backward(paragraphs[:8], 2)
    best = max(back_translated, key=lambda text: similar(text, printed))
    assert similar(best, printed) > 0.9, (printed, best)


def test_the_glossary_is_each_term_then_its_definition(grade2: tuple[m.Document, bytes]) -> None:
    doc, data = grade2
    glossary = next(c for c in doc.components if isinstance(c, Glossary))
    items = louis.backward(blocks_starting(text_lines(data), 0, 2), 2)
    for entry in glossary.items:
        wanted = f"{entry.term}: {entry.definition}"
        assert max(similar(item, wanted) for item in items) > 0.9, wanted
    cold_war = next(i for i in glossary.items if i.term == "Cold War")
    assert any(item.startswith("Cold War:") and similar(item, cold_war.definition) > 0.8 for item in items)


def test_every_question_number_and_its_choices_are_there(grade2: tuple[m.Document, bytes]) -> None:
    doc, data = grade2
    sheet = next(c for c in doc.components if isinstance(c, Worksheet))
    items = louis.backward(blocks_starting(text_lines(data), 0, 2), 2)
    numbered = {int(found.group(1)) for item in items if (found := re.match(r"(\d+)\. ", item))}
    assert {item.number for item in sheet.items} <= numbered
    text = back(data)
    choices = next(i for i in sheet.items if i.type == "multiple-choice")
    assert all(f"{letter}. {choice}" in text for letter, choice in zip(m.LETTERS, choices.choices, strict=False))
    assert "True / False" in text
    cloze = next(i for i in sheet.items if i.type == "cloze")
    nested = louis.backward(blocks_starting(text_lines(data), 2, 4), 2)
    sentence = "".join(f"({piece}) ----" if isinstance(piece, int) else piece for piece in cloze.sentences[0])
    assert max(similar(line, sentence) for line in nested) > 0.9 and "(1) ----" in text


def test_the_timeline_is_a_dated_list(grade2: tuple[m.Document, bytes]) -> None:
    doc, data = grade2
    timeline = next(c for c in doc.components if isinstance(c, Timeline))
    items = louis.backward(blocks_starting(text_lines(data), 0, 2), 2)
    for event in timeline.items:
        wanted = f"{event.span.label()} \u2013 {event.title}"
        assert any(plain(item).startswith(wanted) for item in items), wanted


def test_the_cover_has_the_title_level_and_a_name_line(grade2: tuple[m.Document, bytes]) -> None:
    doc, data = grade2
    first = louis.backward([line.strip() for line in pages_of(data)[0] if line.strip()], 2)
    assert first[0] == doc.title and "Middle School, Grades 6\u20138" in map(plain, first) and "Name:" in first


def test_grade_1_differs_from_grade_2_and_back_translates_too(grade2: tuple[m.Document, bytes]) -> None:
    doc, contracted = grade2
    uncontracted = get_renderer("brf").render(document(grade=1))
    assert uncontracted != contracted and len(uncontracted) > len(contracted)
    article = next(c for c in doc.components if isinstance(c, Article))
    printed = "".join(r.text for r in next(b for b in article.sections[0].blocks if isinstance(b, m.Paragraph)).runs)
    paragraphs = louis.backward(blocks_starting(text_lines(uncontracted), 2, 0)[:8], 1)
    assert max(similar(text, printed) for text in paragraphs) > 0.9
    pages = pages_of(uncontracted)
    assert all(len(page) == 25 and max(map(len, page)) <= 40 for page in pages)


def test_a_picture_is_its_alt_text(make_pack) -> None:
    folder = make_pack(changes={"sections": None},
                       article="## One\n\nText.\n\n![A map of the river basin](images/map.png)\n")
    (folder / "images").mkdir()
    (folder / "images" / "map.png").write_bytes(PNG)
    pack = load_pack(folder)
    data = get_renderer("brf").render(resolve(pack, pack.levels[0], "student"))
    assert "Picture: A map of the river basin" in back(data)


# -- what braille is not made of, and what it needs ------------------------------------------------------------


def test_braille_is_made_of_the_student_edition_only() -> None:
    with pytest.raises(TeachpackError, match="made of the student edition only, not the teacher edition"):
        get_renderer("brf").render(document(edition="teacher"))


def test_every_built_in_kind_has_a_braille_writer_but_the_teacher_only_parts() -> None:
    reg = registry()
    assert {name for name, kind in reg.components.items() if kind.brf is None} == {"overview", "answer-key"}
    assert all(kind.brf is not None for kind in reg.items.values())


def test_a_kind_without_a_braille_writer_is_an_error_naming_it(monkeypatch: pytest.MonkeyPatch) -> None:
    kinds = registry().items
    monkeypatch.setitem(kinds, "true-false", dataclasses.replace(kinds["true-false"], brf=None))
    with pytest.raises(TeachpackError, match="'true-false' has no braille writer"):
        get_renderer("brf").render(document())


def test_missing_liblouis_is_one_line_and_nothing_is_written(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(louis, "LOU_TRANSLATE", "lou_translate-not-installed")
    expected = "braille needs liblouis: run ./setup.sh (apt-get install liblouis-bin liblouis-data)"
    with pytest.raises(BuildError) as caught:
        get_renderer("brf").render(document())
    assert str(caught.value) == expected
    out = tmp_path / "dist"
    with pytest.raises(BuildError) as caught:  # preflight: before any file is written
        build_pack([EXAMPLE], out, BuildOptions(levels=("middle",), formats=("docx", "brf")))
    assert str(caught.value) == expected and not list(out.rglob("*.*"))
    run = subprocess.run([sys.executable, "-m", "builder", "build", str(EXAMPLE), "--level", "middle", "--format",
                          "brf", "--out", str(out), "--quiet"], cwd=REPO, capture_output=True, text=True,
                         env={**os.environ, "PATH": str(tmp_path)})  # no lou_translate on this PATH
    assert run.returncode == 1 and run.stderr.splitlines() == [f"error: {expected}"] and not list(out.rglob("*.*"))


@pytest.mark.slow
def test_build_writes_the_student_braille_and_the_manifest_counts_its_pages(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    result = CliRunner().invoke(app, ["build", str(EXAMPLE), "--level", "middle", "--format", "brf", "--out", str(out),
                                      "--quiet"])
    assert result.exit_code == 0, result.output
    built = sorted(p.name for p in (out / "sino-soviet-split").iterdir())
    assert built == ["sino-soviet-split-middle-student.brf"]  # no teacher edition in braille
    entry = json.loads((out / "manifest.json").read_text())["outputs"][0]
    data = (out / "sino-soviet-split" / built[0]).read_bytes()
    assert entry["format"] == "brf" and entry["pages"] == data.count(b"\f") and entry["options"]["braille_grade"] == 2
    again = CliRunner().invoke(app, ["build", str(EXAMPLE), "--level", "middle", "--format", "brf", "--out", str(out),
                                     "--braille-grade", "1", "--list-jobs"])
    assert again.output.split() == ["build", f"sino-soviet-split/{built[0]}"]  # another grade: built again
