"""Property tests: any text in a pack loads (or is refused with a PackError), parses and renders to a
DOCX and HTML (a few PDFs too), without a crash and within a bounded time per case."""

from __future__ import annotations

import io
import shutil
import tempfile
from datetime import timedelta
from pathlib import Path

import docx
import pypdf
import pytest
import yaml
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st

from builder.core.characters import clean_text
from builder.core.errors import PackError
from builder.load.article import parse_article
from builder.load.loader import Pack, load_pack
from builder.render import get_renderer
from builder.render.html.page import render_html
from builder.resolve.document import resolve

from .conftest import ROOTS

# Any character at all, surrogates included, and the ones that break writers, more often than chance.
ANY = st.characters(codec=None, categories=None) | st.sampled_from(
    ["\x00", "\x07", "\x0b", "\ufeff", "\ufffe", "\r", "\n", "\u202e", "\u0301", "\ud800", "\U0001f30a"])
FILE_TEXT = st.text(alphabet=st.characters(exclude_categories=["Cs"]) | st.sampled_from(
    ["\x00", "\x1b", "\ufeff", "\r", "\u202e", "\u0627", "\u0301", "#", "*", "[", "]", "(", ")", "!", "\n"]),
    max_size=400)
MARKDOWN = st.lists(st.one_of(FILE_TEXT, st.sampled_from([
    "## A heading", "### Sub", "> quoted", "- item", "1. first", "[link](http://example.org)", "![a](http://x/y.png)",
    "<script>alert(1)</script>", "`code`", "**bold** _it_", "x" * 5000, "\u05e9\u05dc\u05d5\u05dd " * 50,
])), max_size=12).map("\n\n".join)

SETTINGS = settings(max_examples=40, deadline=timedelta(seconds=3), derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow])


@given(st.text(alphabet=ANY, max_size=500))
@settings(SETTINGS)
def test_clean_text_leaves_only_writable_characters(text: str) -> None:
    cleaned, removed = clean_text(text)
    cleaned.encode("utf-8")  # no lone surrogate left
    assert clean_text(cleaned) == (cleaned, [])
    assert len(text) - len(cleaned) == sum(len(r.codes) for r in removed)
    docx.Document().add_paragraph(cleaned)  # python-docx raises on anything XML cannot hold


@given(MARKDOWN)
@settings(SETTINGS)
def test_any_article_parses(text: str) -> None:
    parsed = parse_article(clean_text(text)[0])
    assert all(section.id for section in parsed.sections)


def pack_with(folder: Path, article: str, title: str) -> Path:
    shutil.copytree(ROOTS / "basic", folder)
    data = yaml.safe_load((folder / "pack.yaml").read_text(encoding="utf-8"))
    data.pop("sections")
    data["title"] = title
    (folder / "pack.yaml").write_text(yaml.safe_dump(data, allow_unicode=False), encoding="utf-8")
    (folder / "article.md").write_bytes(article.encode("utf-8", "surrogatepass"))
    return folder


def loaded(folder: Path) -> Pack:
    """The pack, or the example rejected when it is refused (rarely: `![]()` names no image file);
    Hypothesis fails the test if it has to reject too many."""
    try:
        return load_pack(folder)
    except PackError:
        reject()


@given(st.text(alphabet=ANY, max_size=300))
@settings(SETTINGS)
def test_any_pack_yaml_loads_or_is_refused(text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = pack_with(Path(tmp) / "pack", "## One\n\nText.\n", "T")
        (folder / "pack.yaml").write_bytes(text.encode("utf-8", "surrogatepass"))
        try:
            load_pack(folder)
        except PackError as exc:
            assert exc.problems and all("\n" not in str(p) for p in exc.problems)  # one line each


@given(MARKDOWN, st.text(alphabet=ANY, max_size=80))
@settings(SETTINGS)
def test_any_text_renders_to_docx_and_html(article: str, title: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = pack_with(Path(tmp) / "pack", "## Start\n\nText.\n\n" + article, "Title " + title)
        pack = loaded(folder)
        document = resolve(pack, pack.levels[-1], "teacher")
        html, _ = render_html(document, 650, 900)
        assert "<script>" not in html
        data = get_renderer("docx").render(document)
        docx.Document(io.BytesIO(data))


@pytest.mark.slow
@given(MARKDOWN, st.text(alphabet=ANY, max_size=40))
@settings(SETTINGS, max_examples=3, deadline=timedelta(seconds=20))
def test_a_few_pdfs_of_any_text(article: str, title: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = pack_with(Path(tmp) / "pack", "## Start\n\nText.\n\n" + article, "Title " + title)
        pack = loaded(folder)
        data = get_renderer("pdf").render(resolve(pack, pack.levels[-1], "student"))
        assert len(pypdf.PdfReader(io.BytesIO(data)).pages) >= 1
