"""Numbering that survives editing (issue 16, point 4): the worksheet's questions, options, matching
items and fact-check statements are real Word lists; the answer key's numbers are REF fields to the
questions' bookmarks. A teacher deletes one question and inserts another in a built DOCX; LibreOffice,
opening it as a Word user would, prints worksheet and key numbers that still agree."""

from __future__ import annotations

import copy
import re
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from lxml import etree

from builder import build_pack
from tests.conftest import EXAMPLE
from tests.libreoffice import to_pdf
from tests.ooxml import schema_errors

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
LITERAL_NUMBER = re.compile(r"^\s*(\d{1,2}|[A-H])[.)]\s")


@pytest.fixture(scope="module")
def teacher(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("numbering")
    result = build_pack([EXAMPLE], out=out, formats=["docx"], levels=["middle"], editions=["teacher"])
    return result.written[0]


def _bookmarks(body) -> dict[str, object]:
    return {mark.get(qn("w:name")): mark.getparent() for mark in body.iter(qn("w:bookmarkStart"))}


def _refs(paragraph) -> list[str]:
    return [m[1] for node in paragraph.iter(qn("w:instrText")) for m in [re.match(r"\s*REF (\S+)", node.text)] if m]


def test_questions_options_and_matching_items_are_real_lists_and_key_numbers_are_fields(teacher: Path) -> None:
    document = docx.Document(str(teacher))
    body = document.element.body
    marks = _bookmarks(body)
    questions = [p for name, p in marks.items() if name.startswith("_TpQ")]
    assert len(questions) == 15
    list_number = document.styles["List Number"]
    style_numbering = list_number.element.pPr.find(qn("w:numPr"))
    assert style_numbering is not None  # the style carries the list: a paragraph given it in Word joins it
    for prompt in questions:
        assert prompt.find(f"{W}pPr/{W}pStyle").get(qn("w:val")) == list_number.style_id
        assert not LITERAL_NUMBER.match("".join(t.text for t in prompt.iter(qn("w:t"))))
    key_heads = [p for p in body.iter(qn("w:p")) if _refs(p)]
    assert len(key_heads) == len(questions)
    for head in key_heads:
        (name,) = _refs(head)
        assert name in marks
    cells = [cell for table in document.tables for row in table.rows for cell in row.cells]
    for cell in cells:
        text = cell.text.strip()
        assert not LITERAL_NUMBER.match(text), text
    numbered_cells = [c for c in cells if c.paragraphs[0]._p.find(f"{W}pPr/{W}numPr") is not None]
    assert len(numbered_cells) >= 2 * 6  # the vocabulary and date matching: prompts 1-n, options A-n
    assert schema_errors(teacher) == []


def _numbered_lines(text: str) -> list[tuple[int, str]]:
    found = []
    for line in text.splitlines():
        match = re.match(r"(\d{1,2})\.\s+(\S.*)", line)  # at the margin: not an inner item
        if match:
            found.append((int(match[1]), " ".join(match[2].split()[:4])))
    return found


def _edit(path: Path, out: Path) -> None:
    """As a teacher would in Word: delete question 1 (its prompt, its body, its key entry) and insert a
    new question before question 3 in the List Number style (copied from a prompt, so no bookmark)."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    root = etree.fromstring(parts["word/document.xml"])
    body = root.find(f"{W}body")
    marks = _bookmarks(body)
    first, third = marks["_TpQ1"], marks["_TpQ3"]
    prompts = set(p for name, p in marks.items() if name.startswith("_TpQ"))
    key_heads = [p for p in body if p.tag == f"{W}p" and _refs(p)]
    for start, stops in ((first, prompts), (next(h for h in key_heads if _refs(h) == ["_TpQ1"]), set(key_heads))):
        node = start
        while node is not None and (node is start or node not in stops):
            following = node.getnext()
            body.remove(node)
            node = following
    inserted = copy.deepcopy(third)
    for child in list(inserted):
        if child.tag in (f"{W}r", f"{W}bookmarkStart", f"{W}bookmarkEnd"):
            inserted.remove(child)
    run = etree.SubElement(inserted, f"{W}r")
    etree.SubElement(run, f"{W}t").text = "Inserted question about the Warsaw Pact"
    third.addprevious(inserted)
    parts["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def test_after_a_teacher_deletes_and_inserts_questions_the_key_still_agrees(teacher: Path, tmp_path: Path) -> None:
    edited = tmp_path / "edited.docx"
    _edit(teacher, edited)
    pdfs = to_pdf([teacher, edited], tmp_path / "pdf")

    def text_of(pdf: Path) -> str:
        return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout

    for source, pdf in pdfs.items():
        text = text_of(pdf)
        body, _, key = text.rpartition("Answer Key")
        worksheet = _numbered_lines(body)
        entries = _numbered_lines(key)
        assert len(entries) == (15 if source == teacher else 14)
        for number, heading in entries:
            printed = [n for n, line in worksheet if line.startswith(heading) or heading.startswith(line)]
            assert printed and printed[-1] == number, (source.name, number, heading, printed)
        if source == edited:
            assert (2, "Inserted question about the") in worksheet  # old question 2 is 1; the new one is 2
            assert [n for n, _ in entries] == [1, *range(3, 16)]  # the key skips the new, unanswered one
