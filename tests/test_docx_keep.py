"""The PDF's page rules where Word allows them (issue 19, point 5): widow and orphan control by default
(a house reference .docx that decides it is honoured), headings and prompts kept with what follows, and, as
LibreOffice paginates the example, no page that holds only a heading or a single line."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from lxml import etree

from builder import build_pack
from tests.libreoffice import body_lines, page_texts, to_pdf
from tests.ooxml import schema_errors


def _styles(path: Path) -> etree._Element:
    with zipfile.ZipFile(path) as archive:
        return etree.fromstring(archive.read("word/styles.xml"))


def test_widow_control_is_the_default_and_the_file_stays_valid(example_build: Path) -> None:
    path = example_build / "sino-soviet-split-middle-student.docx"
    defaults = _styles(path).find(f"{qn('w:docDefaults')}/{qn('w:pPrDefault')}/{qn('w:pPr')}")
    assert defaults is not None and defaults.find(qn("w:widowControl")) is not None
    assert schema_errors(path) == []


def test_a_reference_docx_that_turns_widow_control_off_is_honoured(make_pack, tmp_path: Path) -> None:
    reference = docx.Document()
    normal = reference.styles["Normal"].element
    ppr = normal.get_or_add_pPr()
    off = etree.SubElement(ppr, qn("w:widowControl"))
    off.set(qn("w:val"), "0")
    buffer = io.BytesIO()
    reference.save(buffer)
    (tmp_path / "house.docx").write_bytes(buffer.getvalue())
    result = build_pack([make_pack()], out=tmp_path / "out", formats=["docx"], levels=["high"],
                        editions=["student"], reference_docx=tmp_path / "house.docx")
    styles = _styles(result.written[0])
    assert styles.find(f"{qn('w:docDefaults')}/{qn('w:pPrDefault')}/{qn('w:pPr')}/{qn('w:widowControl')}") is None
    kept = [s for s in styles.findall(qn("w:style")) if s.get(qn("w:styleId")) == "Normal"]
    assert kept[0].find(f"{qn('w:pPr')}/{qn('w:widowControl')}").get(qn("w:val")) == "0"


@pytest.mark.parametrize("level", ["elementary", "middle", "high"])
def test_no_page_of_the_docx_holds_only_a_heading_or_one_line(example_build: Path, tmp_path: Path,
                                                             level: str) -> None:
    """As LibreOffice paginates the student DOCX (Word's rules: keep with next, widow control)."""
    pdf = to_pdf([example_build / f"sino-soviet-split-{level}-student.docx"], tmp_path)
    pages = body_lines(page_texts(next(iter(pdf.values()))))
    alone = [number for number, lines in enumerate(pages[:-1], 1) if len(lines) == 1]
    assert not alone, f"pages with a single line of text: {alone}"
