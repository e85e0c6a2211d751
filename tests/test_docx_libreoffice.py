"""Every DOCX of the example pack as a Word user sees it, through LibreOffice (issue 16, point 5): no
blank page anywhere, and the cover on one page with the whole "In this pack" list."""

from __future__ import annotations

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
