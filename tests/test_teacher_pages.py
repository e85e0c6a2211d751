"""The teacher edition's PDF: its own pages (T1, T2, ...) around the student edition's pages, laid out once.

The student pages inside the teacher edition are the student handout's pages as they are: the same
page images, the same page numbers, so "turn to page 5" means the same page in both."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.conftest import outline_titles, pdf_text

LEVELS = ("elementary", "middle", "high")


def _pages(path: Path) -> list[str]:
    return pdf_text(path).split("\f")[:-1]


def _footer(page: str) -> str:
    return [line.strip() for line in page.splitlines() if line.strip()][-1]


@pytest.mark.parametrize("level", LEVELS)
def test_teacher_edition_holds_the_student_pages_with_their_numbers(example_build: Path, level: str) -> None:
    student = _pages(example_build / f"sino-soviet-split-{level}-student.pdf")
    teacher = _pages(example_build / f"sino-soviet-split-{level}-teacher.pdf")
    footers = [_footer(page) for page in teacher]
    own = [i for i, footer in enumerate(footers) if footer.startswith("Page T")]
    # The teacher's cover and overview first (an even number of pages), then every student page, then the key.
    assert own[:2] == [0, 1] and footers[0] == "Page T1" and footers[1] == "Page T2"
    front = next(i for i, footer in enumerate(footers) if not footer.startswith("Page T"))  # the first student page
    assert front % 2 == 0  # so each student page prints on its side of the sheet, as in the handout
    held = teacher[front : front + len(student)]
    assert held == student  # the very text, header and "Page 2 of N" footer of each student page
    assert [f"Page T{n}" for n in range(1, len(own) + 1)] == [footers[i] for i in own]
    assert own[front:] == list(range(front + len(student), len(teacher)))  # the answer key's pages, after them
    assert len(teacher) == len(student) + len(own)


def test_teacher_cover_lists_each_part_at_its_page(example_build: Path) -> None:
    cover = " ".join(_pages(example_build / "sino-soviet-split-middle-teacher.pdf")[0].split())
    student = _pages(example_build / "sino-soviet-split-middle-student.pdf")
    glossary = next(n for n, page in enumerate(student, 1)
                    if "Glossary" in [line.strip() for line in page.splitlines()])
    for part, number in (("Teacher Overview", "T2"), ("Reading", "2"), ("Glossary", str(glossary)),
                         ("Answer Key", None)):
        after = cover.split(part, 1)[1].replace(".", " ").split()
        printed = after[0]
        if number is None:
            assert printed.startswith("T") and int(printed[1:]) >= 3, printed
        else:
            assert printed == number, (part, printed)


def test_student_pages_are_the_same_images(example_build: Path, tmp_path: Path) -> None:
    """Page 2 of the student handout and the teacher edition's fourth page are one layout, drawn the same."""
    images = []
    for edition, number in (("student", 2), ("teacher", 4)):
        stem = tmp_path / edition
        subprocess.run(["pdftoppm", "-r", "40", "-f", str(number), "-l", str(number), "-png", "-singlefile",
                        str(example_build / f"sino-soviet-split-middle-{edition}.pdf"), str(stem)], check=True)
        images.append(stem.with_suffix(".png").read_bytes())
    assert images[0] == images[1]


def test_teacher_edition_bookmarks_and_title(example_build: Path) -> None:
    reader = PdfReader(example_build / "sino-soviet-split-middle-teacher.pdf")
    titles = outline_titles(reader)
    student = outline_titles(PdfReader(example_build / "sino-soviet-split-middle-student.pdf"))
    assert titles[:2] == ["The Sino-Soviet Split", "Teacher Overview"] and "Answer Key" in titles
    overview, key = titles.index("Teacher Overview"), titles.index("Answer Key")
    # Every student bookmark, in order, follows the overview's own, before the key's.
    assert titles[key - len(student) : key] == student and key - len(student) > overview
    assert reader.metadata.title == "The Sino-Soviet Split (Middle School)"
    targets = [reader.get_destination_page_number(item) for item in reader.outline if not isinstance(item, list)]
    assert targets[:2] == [0, 1] and targets[-1] >= len(reader.pages) - 3  # cover, overview (T2); the key last


def test_student_pages_are_laid_out_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """A student edition, then its teacher edition, in one worker: two layouts (the student pages, the
    teacher's own pages), not three; the teacher edition alone lays out both."""
    import weasyprint

    from builder.load.loader import load_pack
    from builder.render import get_renderer
    from builder.resolve.document import resolve
    from tests.conftest import EXAMPLE

    laid_out = []
    render = weasyprint.HTML.render

    def counted(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        laid_out.append(self)
        return render(self, *args, **kwargs)

    monkeypatch.setattr(weasyprint.HTML, "render", counted)
    pack = load_pack(EXAMPLE)
    level = pack.levels[0]
    renderer = get_renderer("pdf")
    renderer.render(resolve(pack, level, "student"))
    student = len(laid_out)  # once, or again with the page decisions measured on it (render/pdf/measure.py)
    renderer.render(resolve(pack, level, "teacher"))
    assert len(laid_out) == student + 1, "the teacher edition lays out only its own pages"
    get_renderer("pdf").render(resolve(pack, level, "teacher"))
    assert len(laid_out) == student + 3, "a renderer of its own lays out the student pages and its own, once each"
