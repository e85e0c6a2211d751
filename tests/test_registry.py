"""The registry: every registered kind builds and prints in both formats; an unknown one is an error naming it."""

from __future__ import annotations

import dataclasses
import io
import subprocess
import sys
from dataclasses import dataclass

import docx
import pytest

from builder import load_pack
from builder import model as m
from builder.components.items.crossword import CrosswordSpec
from builder.components.items.word_search import WordSearchSpec
from builder.components.registry import answer_lines, component_of, item_count, registry
from builder.components.worksheet import Worksheet
from builder.core.errors import TeachpackError
from builder.render import get_renderer
from builder.render.html.page import render_html
from builder.resolve.document import resolve

from .conftest import EXAMPLE

PACK = load_pack(EXAMPLE)
# Kinds the example pack does not list (the lead decides what it prints): added to its worksheet here.
NOT_IN_EXAMPLE = (CrosswordSpec(type="crossword"), WordSearchSpec(type="word-search"))


def every_kind_document(edition: str) -> m.Document:
    """The example pack at its top level with every item kind and every listable component it can take."""
    file = PACK.file.model_copy(update={"worksheet": (*PACK.file.worksheet, *NOT_IN_EXAMPLE)})
    pack = dataclasses.replace(PACK, file=file)
    return resolve(pack, max(PACK.levels, key=lambda lv: lv.grades), edition)


def docx_text(data: bytes) -> str:
    out = docx.Document(io.BytesIO(data))
    cells = [c.text for t in out.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in out.paragraphs] + cells)


def test_every_registered_kind_is_built_and_printed_in_both_formats() -> None:
    reg = registry()
    document = every_kind_document("teacher")
    printed_parts = {component_of(c).name for c in document.components}
    items = [i for c in document.components if isinstance(c, Worksheet) for i in c.items]
    # The example pack exercises every built-in kind: a new kind must be added to it (or to NOT_IN_EXAMPLE).
    assert printed_parts >= {name for name in reg.components if name != "custom"}
    assert {i.type for i in items} == set(reg.items)
    html, _ = render_html(document, 650, 900)
    text = docx_text(get_renderer("docx").render(document))
    for item in items:
        assert item_count(item) >= 1
        lines = answer_lines(item, document.labels)
        assert lines and all(lines)
        assert f'class="question {item.type}"' in html
        assert item.heading.split()[0] in text
        for line in lines:  # the answer key prints the same lines in both formats
            assert line.replace("\u00a0", " ") in text.replace("\u00a0", " "), (item.type, line)


@dataclass(frozen=True)
class Unregistered(m.Component):
    pass


def test_an_unregistered_component_is_an_error_naming_it_in_both_formats() -> None:
    document = dataclasses.replace(every_kind_document("student"), components=(Unregistered("x", "X"),))
    for render in (lambda: render_html(document, 650, 900), lambda: get_renderer("docx").render(document)):
        with pytest.raises(TeachpackError, match="no component kind is registered for Unregistered"):
            render()


def test_an_item_of_an_unknown_type_is_an_error_naming_it_in_both_formats() -> None:
    document = every_kind_document("teacher")
    sheet = next(c for c in document.components if isinstance(c, Worksheet))
    stray = dataclasses.replace(sheet.items[0], type="word-ladder")
    bad = dataclasses.replace(document, components=tuple(
        dataclasses.replace(c, items=(stray,)) if c is sheet else c for c in document.components))
    for render in (lambda: render_html(bad, 650, 900), lambda: get_renderer("docx").render(bad)):
        with pytest.raises(TeachpackError, match="no worksheet item kind 'word-ladder' is registered"):
            render()
    with pytest.raises(TeachpackError, match="'word-ladder'"):
        answer_lines(stray, document.labels)


def test_the_cli_starts_without_loading_the_renderers() -> None:
    """`teachpack --help` stays fast: the registry (and python-docx, WeasyPrint) load on first use."""
    code = ("import sys, builder.cli\n"
            "assert 'builder.components.registry' not in sys.modules\n"
            "assert 'weasyprint' not in sys.modules and 'docx' not in sys.modules\n")
    subprocess.run([sys.executable, "-c", code], check=True)
