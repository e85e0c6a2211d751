"""The example pack, built for real: assert on the PDF and DOCX files themselves."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from builder.components.items.question import Question
from builder.load.loader import load_pack
from builder.resolve.document import resolve

from .conftest import EXAMPLE, outline_titles, pdf_text

pytestmark = pytest.mark.slow
PACK = load_pack(EXAMPLE)
LEVELS = [level.id for level in PACK.levels]


def _normalise(text: str) -> str:
    # pdftotext keeps hyphenation breaks ("Com-\nmunist") and layout spaces: undo both.
    text = re.sub(r"[\u2010-]\s*\n\s*", "", text)
    return re.sub(r"\s+", " ", text)


@pytest.mark.parametrize("level", LEVELS)
def test_pdf_has_every_part(example_build: Path, level: str) -> None:
    pdf = example_build / f"sino-soviet-split-{level}-student.pdf"
    text = _normalise(pdf_text(pdf))
    document = resolve(PACK, next(lv for lv in PACK.levels if lv.id == level))
    article = next(c for c in document.components if c.name == "article")
    assert PACK.file.title in text
    for section in article.sections:
        assert section.title in text, section.title
    glossary = next(c for c in document.components if c.name == "glossary")
    assert len(glossary.items) >= 6
    for entry in glossary.items:  # the level's glossary: the terms its own text uses
        assert entry.term in text, entry.term
    timeline = next(c for c in document.components if c.name == "timeline")
    for item in timeline.items:
        assert str(item.span.start.year) in text
    worksheet = next(c for c in document.components if c.name == "worksheet")
    for question in worksheet.items:
        if isinstance(question, Question):
            assert _normalise(question.prompt)[:40] in text, question.prompt
    assert "Page 1 of" in text
    pages = len(PdfReader(pdf).pages)
    assert 8 <= pages <= 22  # with two or three sheets of flashcards (fronts and backs)
    assert f"Page {pages} of {pages}" in text


def test_levels_print_different_sections_and_sizes(example_build: Path) -> None:
    texts = {lv: _normalise(pdf_text(example_build / f"sino-soviet-split-{lv}-student.pdf")) for lv in LEVELS}
    sections = PACK.article.sections
    skipped = [s.title for s in sections if s.id not in PACK.file.sections["elementary"]]
    assert skipped, "the example pack should drop sections at elementary"
    for title in skipped:
        assert title not in texts["elementary"]
        assert title in texts["high"]

    # Elementary is set larger: the same cover line wraps into more pages' worth of text per word.
    def size(level: str) -> float:
        words = subprocess.run(
            ["pdftotext", "-bbox", str(example_build / f"sino-soviet-split-{level}-student.pdf"), "-"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        heights = [
            float(b) - float(a) for a, b in re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">Korean', words)
        ]
        return sum(heights) / len(heights)

    assert size("elementary") > size("middle") > size("high")


@pytest.mark.parametrize("level", LEVELS)
def test_pdf_fonts_are_embedded(example_build: Path, level: str) -> None:
    out = subprocess.run(
        ["pdffonts", str(example_build / f"sino-soviet-split-{level}-student.pdf")],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    rows = out.strip().splitlines()[2:]
    assert rows
    for row in rows:
        assert re.search(r"\byes\s+yes\s+yes\b", row), row  # embedded, subset, unicode map
    expected = "Andika" if level == "elementary" else "TeX-Gyre-Schola"
    assert expected in out


def test_pdf_bookmarks_and_paper(example_build: Path) -> None:
    reader = PdfReader(example_build / "sino-soviet-split-high-student.pdf")
    titles = outline_titles(reader)
    assert "Glossary" in titles and "Worksheet" in titles
    assert any("Mao in Moscow" in t for t in titles)
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)  # US letter


@pytest.mark.parametrize("level", LEVELS)
def test_docx_has_the_same_content(example_build: Path, level: str) -> None:
    document = docx.Document(str(example_build / f"sino-soviet-split-{level}-student.docx"))
    resolved = resolve(PACK, next(lv for lv in PACK.levels if lv.id == level))
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs]
    styles = {style for style, _ in paragraphs}
    assert {"Title", "Heading 1", "Heading 2", "List Number"} <= styles
    headings = [text for style, text in paragraphs if style == "Heading 2"]
    article = next(c for c in resolved.components if c.name == "article")
    assert headings == [s.title for s in article.sections]
    # The glossary table comes after the worksheet whose vocabulary items it would answer (issue 14).
    glossary = next(t for t in document.tables if t.rows[0].cells[0].text == "Term")
    # The timeline table comes after the worksheet that asks for its order (issue 14).
    timeline = next(t for t in document.tables if t.rows[0].cells[0].text == "Date")
    assert [c.text for c in glossary.rows[0].cells] == ["Term", "Meaning"]
    level_glossary = next(c for c in resolved.components if c.name == "glossary")
    assert sorted(r.cells[0].text for r in glossary.rows[1:]) == sorted(i.term for i in level_glossary.items)
    assert [c.text for c in timeline.rows[0].cells] == ["Date", "Event", "Details"]
    worksheet = next(c for c in resolved.components if c.name == "worksheet")
    assert len(timeline.rows) - 1 == len(next(c for c in resolved.components if c.name == "timeline").items)
    texts = [text for _, text in paragraphs]
    for question in worksheet.items:
        if isinstance(question, Question):
            assert question.prompt in texts
    footer = document.sections[0].footer.paragraphs[0]._p.xml
    assert "PAGE" in footer and "NUMPAGES" in footer
    assert document.core_properties.title == PACK.file.title


def test_docx_lists_restart(example_build: Path) -> None:
    document = docx.Document(str(example_build / "sino-soviet-split-high-student.docx"))
    numbering = document.part.numbering_part.element
    ns = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
    choice_lists = set()
    for p in document.paragraphs:
        num = p._p.find(".//w:numPr/w:numId", ns)
        if num is not None and p.style.name == "List Number" and len(p.text) < 80:
            choice_lists.add(num.get(f"{{{ns['w']}}}val"))
    overrides = numbering.findall(".//w:num/w:lvlOverride/w:startOverride", ns)
    assert len(choice_lists) >= 3
    assert len(overrides) >= len(choice_lists)


@pytest.mark.parametrize("level", LEVELS)
def test_no_heading_stranded_at_page_bottom(example_build: Path, level: str) -> None:
    pdf = example_build / f"sino-soviet-split-{level}-student.pdf"
    pages = pdf_text(pdf).split("\f")
    headings = {s.title for s in PACK.article.sections} | {"Sources", "Glossary", "Worksheet"}
    for number, page in enumerate(pages, start=1):
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        body = [line for line in lines if not line.startswith("Page ")]
        if body:
            assert body[-1] not in headings, f"page {number} ends with the heading {body[-1]!r}"


@pytest.mark.parametrize(
    "edition,second", [("student", "Reading: The Sino-Soviet Split"), ("teacher", "Teacher Overview")]
)
@pytest.mark.parametrize("level", LEVELS)
def test_cover_and_overview_fit_one_page_each(example_build: Path, level: str, edition: str, second: str) -> None:
    pages = pdf_text(example_build / f"sino-soviet-split-{level}-{edition}.pdf").split("\f")
    assert second in pages[1]
    if edition == "teacher":  # then the student handout, its cover first, as the students have it
        assert "Page 1 of" in pages[2] and "Reading: The Sino-Soviet Split" in pages[3]
