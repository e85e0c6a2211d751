"""The flashcards component, checked on real output: the PDF's fronts and backs pages line up for a
long-edge flip (each back at the mirrored place of its front), and the DOCX has a term/meaning table."""

from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest

from builder import BuildOptions, build_pack
from tests.conftest import pdf_text

MM = 72 / 25.4  # PDF points in a millimetre
TOLERANCE = 1.5 * MM
PAGE_WIDTH = {"letter": 215.9 * MM, "a4": 210 * MM}

# Eleven terms: with 8 a sheet, a full sheet and a part sheet whose last row holds one card (column 0).
CARDS = [
    (f"term{letter}", f"The meaning of term {letter}, a few words long so that it wraps onto two lines in a card.")
    for letter in "ABCDEFGHIJK"
]


@dataclass(frozen=True)
class Block:
    text: str
    x: float  # centre, in points from the page's left edge
    y: float  # centre, in points from the page's top edge


def blocks(pdf: Path, page: int) -> list[Block]:
    """The text blocks pdftotext finds on `page` (1-based), each with the centre of its box."""
    out = subprocess.run(["pdftotext", "-bbox-layout", "-f", str(page), "-l", str(page), str(pdf), "-"],
                         check=True, capture_output=True, text=True).stdout
    found = []
    for block in ET.fromstring(out).iter("{http://www.w3.org/1999/xhtml}block"):
        words = " ".join(w.text or "" for w in block.iter("{http://www.w3.org/1999/xhtml}word"))
        box = [float(block.get(k, 0)) for k in ("xMin", "yMin", "xMax", "yMax")]
        found.append(Block(words, (box[0] + box[2]) / 2, (box[1] + box[3]) / 2))
    return found


def page_texts(pdf: Path) -> list[str]:
    """Each page's text, in order."""
    return pdf_text(pdf).split("\f")[:-1]


def build(make_pack, tmp_path: Path, *, per_page: int | None = None, paper: str = "a4", language: str = "en",
          contents: list | None = None, cards: list[tuple[str, str]] = CARDS) -> tuple[Path, Path]:
    """The high-school student PDF and DOCX of a small pack of flashcards."""
    entry: str | dict = "flashcards" if per_page is None else {"flashcards": {"per_page": per_page}}
    folder = make_pack(changes={
        "paper": paper,
        "language": language,
        "levels": ["high"],
        "sections": None,
        "contents": contents or [entry],
        "glossary": [{"term": t, "definition": d} for t, d in cards] or None,
    }, article="## Words\n\n" + " ".join(f"The reading uses {t} here." for t, _ in cards) + "\n")
    # (a level's glossary holds only the terms its text uses)
    out = tmp_path / "out"
    result = build_pack([folder], out, BuildOptions(formats=("pdf", "docx")), levels=["high"], editions=["student"])
    assert not result.failed, result
    pdfs, docxs = sorted(out.rglob("*.pdf")), sorted(out.rglob("*.docx"))
    assert len(pdfs) == len(docxs) == 1, (pdfs, docxs)
    return pdfs[0], docxs[0]


def sides(pdf: Path) -> list[str]:
    """'fronts', 'backs' or '' for each page, from the note at its top."""
    return ["fronts" if "fronts." in text else "backs" if "backs." in text else "" for text in page_texts(pdf)]


@pytest.mark.parametrize(("paper", "per_page", "sheets"), [("a4", None, 2), ("a4", 10, 2), ("letter", 8, 2),
                                                            ("letter", 10, 2)])
def test_backs_lie_behind_fronts(make_pack, tmp_path: Path, paper: str, per_page: int | None, sheets: int) -> None:
    pdf, _ = build(make_pack, tmp_path, per_page=per_page, paper=paper)
    assert sides(pdf) == ["fronts", "backs"] * sheets
    width = PAGE_WIDTH[paper]
    per_sheet = per_page or 8
    moved = []
    for sheet in range(sheets):
        front_page, back_page = 2 * sheet + 1, 2 * sheet + 2
        fronts = {b.text: b for b in blocks(pdf, front_page)}
        backs = {b.text: b for b in blocks(pdf, back_page)}
        chunk = CARDS[sheet * per_sheet:(sheet + 1) * per_sheet]
        for index, (term, definition) in enumerate(chunk):
            front, back = fronts[term], backs[definition]
            assert abs(back.x - (width - front.x)) < TOLERANCE, (term, front, back)
            assert abs(back.y - front.y) < TOLERANCE, (term, front, back)
            # Not the trivial case: the back moved to the other column (by about one card width, 85 mm).
            assert abs(back.x - front.x) > 80 * MM
            moved.append((index % 2, round(front.x / MM, 1), round(back.x / MM, 1), round(front.y / MM, 1)))
        assert {column for column, *_ in moved} == {0, 1}
    print(paper, per_sheet, moved)  # the measured positions, in mm, for the report


@pytest.mark.parametrize(("paper", "per_page", "rows", "height"), [("a4", 8, 4, 60), ("a4", 10, 5, 48),
                                                                   ("letter", 8, 4, 55), ("letter", 10, 5, 44)])
def test_cards_a_page(make_pack, tmp_path: Path, paper: str, per_page: int, rows: int, height: float) -> None:
    """A full sheet holds per_page cards in 2 columns and `rows` rows, one card height (mm) apart."""
    pdf, _ = build(make_pack, tmp_path, per_page=per_page, paper=paper)
    terms = {t for t, _ in CARDS}
    first = [b for b in blocks(pdf, 1) if b.text in terms]
    assert len(first) == per_page
    assert len({round(b.x) for b in first}) == 2
    ys = sorted({round(b.y, 1) for b in first})
    assert len(ys) == rows
    for above, below in zip(ys, ys[1:], strict=False):
        assert abs(below - above - height * MM) < 1, ys  # within a point


def test_fronts_start_on_a_right_hand_page(make_pack, tmp_path: Path) -> None:
    """After a one-page cover, a blank page: the fronts go on page 3, their backs on page 4."""
    pdf, _ = build(make_pack, tmp_path, contents=["cover", "flashcards"])
    assert sides(pdf) == ["", "", "fronts", "backs", "fronts", "backs"]
    assert page_texts(pdf)[1].strip().startswith("The Water Cycle")  # only the running header and page number


def test_heading_on_the_first_fronts_page_only(make_pack, tmp_path: Path) -> None:
    pdf, _ = build(make_pack, tmp_path)
    headings = [text.count("Flashcards") for text in page_texts(pdf)]
    assert headings == [1, 0, 0, 0]


def test_docx_has_a_term_and_meaning_table(make_pack, tmp_path: Path) -> None:
    _, path = build(make_pack, tmp_path)
    document = docx.Document(str(path))
    assert any(p.style.name == "Heading 1" and p.text == "Flashcards" for p in document.paragraphs)
    (table,) = document.tables
    rows = [tuple(cell.text for cell in row.cells) for row in table.rows]
    assert rows[0] == ("Term", "Meaning")
    assert rows[1:] == sorted(CARDS)


def test_spanish(make_pack, tmp_path: Path) -> None:
    pdf, path = build(make_pack, tmp_path, language="es")
    first = page_texts(pdf)[0]
    assert "Tarjetas de vocabulario" in first and "Hoja 1 de 2: anverso" in first
    assert "Hoja 1 de 2: reverso" in page_texts(pdf)[1]
    assert docx.Document(str(path)).paragraphs[0].text == "Tarjetas de vocabulario"


def test_no_glossary_prints_a_note(make_pack, tmp_path: Path) -> None:
    pdf, path = build(make_pack, tmp_path, cards=[])
    (page,) = page_texts(pdf)
    assert "Flashcards" in page and "no glossary terms" in page
    assert not docx.Document(str(path)).tables
