"""Every DOCX of the example pack as a Word user sees it, through LibreOffice (issue 16, point 5): no
blank page anywhere, and the cover on one page with the whole "In this pack" list."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest

from tests.libreoffice import body_lines, page_texts, to_pdf


@pytest.fixture(scope="module")
def printed(example_build: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[Path, Path]:
    return to_pdf(sorted(example_build.rglob("*.docx")), tmp_path_factory.mktemp("printed"))


def test_the_example_pack_has_six_docx_files(printed: dict[Path, Path]) -> None:
    assert len(printed) == 6


def test_no_page_is_blank(printed: dict[Path, Path]) -> None:
    for source, pdf in printed.items():
        texts = page_texts(pdf)
        blank = [number for number, lines in enumerate(body_lines(texts), 1) if not lines]
        assert not blank, f"{source.name}: pages {blank} of {len(texts)} hold nothing but a header or footer"


def test_the_cover_fits_one_page(printed: dict[Path, Path]) -> None:
    for source, pdf in printed.items():
        texts = page_texts(pdf)
        headings = [p.text for p in docx.Document(str(source)).paragraphs if p.style.name == "Heading 1"]
        first, second = " ".join(texts[0].split()), " ".join(texts[1].split())
        assert headings and " ".join(headings[-1].split()) in first, (source.name, "the list's last part")
        assert " ".join(headings[0].split()) in second, (source.name, "page 2 starts the first part", second[:80])
        assert " ".join(headings[-1].split()) not in second[:200]  # the cover's list did not spill over


def _inside(page: str) -> list[str]:
    """A page's lines between its running header (the teacher's names the edition) and its footer."""
    return [" ".join(line.split()) for line in page.splitlines() if line.strip()][1:-1]


def _footer(page: str) -> str:
    return [line.strip() for line in page.splitlines() if line.strip()][-1]


def test_teacher_docx_numbers_the_student_pages_as_the_handout(printed: dict[Path, Path]) -> None:
    """The teacher DOCX: its first pages T1, T2, ..., then the student pages with the student handout's numbers
    (the same text on the same page number as in the student DOCX), then the answer key's pages, Key 1, ..."""
    by_name = {source.name: pdf for source, pdf in printed.items()}
    for level in ("elementary", "middle", "high"):
        teacher = page_texts(by_name[f"sino-soviet-split-{level}-teacher.docx"])
        student = page_texts(by_name[f"sino-soviet-split-{level}-student.docx"])
        footers = [_footer(page) for page in teacher]
        front = [f for f in footers if f.startswith("Page T")]
        held = [f for f in footers if re.fullmatch(r"Page \d+", f)]
        key = [f for f in footers if f.startswith("Key page")]
        # The cover has no footer: it is T1, the overview's pages follow.
        assert front == [f"Page T{n}" for n in range(2, len(front) + 2)], (level, footers)
        assert held == [f"Page {n}" for n in range(2, len(student) + 1)], (level, footers)
        assert key == [f"Key page {n}" for n in range(1, len(key) + 1)] and key, (level, footers)
        assert footers == [*front, *held, *key] or footers[1:] == [*front, *held, *key], (level, footers)
        start = footers.index("Page 2")
        for number in range(2, len(student) + 1):  # the same words on the same page as the handout
            ours, theirs = (_inside(pages[i]) for pages, i in ((teacher, start + number - 2), (student, number - 1)))
            assert ours == theirs, (level, number)
        contents = " ".join(teacher[0].split())
        assert re.search(r"Answer Key\.*\s*Key 1", contents) and re.search(r"Teacher Overview\.*\s*T2", contents)
