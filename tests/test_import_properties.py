"""Property tests: the importer never crashes, and never loses a word of the source without saying so."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder.check.spelling import check_spelling
from builder.core.errors import TeachpackError
from builder.importer import ImportResult, make_draft
from builder.load.article import parse_article

WORDS = re.compile(r"[^\W_]+")
# Lines a pasted web page is made of: prose, headings, menus, stamps, figure labels, Markdown-like marks.
PIECES = st.sampled_from([
    "The river froze in 1950-53 and again (1958).", "Return to the main page", "[Home] [Maps]",
    "Created: 1:11 AM 4/22/2006", "Figure 2.--", "# not a heading", "* star _under_ `tick` <b>",
    "[link](http://x)", "&amp; 1. item", "Stakin's approch", "\U0001f30a", "Sources", "Glossary",
    "**Term** - a meaning", "the late 1960s", "Caf\u00e9 na\u00efve \u00fcber", "Short Title",
])
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")) | st.just("\n"), max_size=300)
LINE = st.one_of(PIECES, TEXT)
DOCUMENT = st.lists(st.lists(LINE, min_size=1, max_size=3).map("\n".join), max_size=12).map("\n\n".join)

SETTINGS = settings(max_examples=60, deadline=timedelta(seconds=2), derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@pytest.fixture(scope="module", autouse=True)
def warm_caches() -> None:
    """Load the dictionaries once, so the deadline measures the importer, not the first load."""
    check_spelling(["warm the caches"])


def draft(tmp_path: Path, text: str, name: str = "source.txt") -> ImportResult | None:
    source = tmp_path / name
    source.write_text(text, encoding="utf-8")
    try:
        return make_draft(source, tmp_path / "pack")
    except TeachpackError as exc:
        assert "\n" not in str(exc)
        return None


def accounted(result: ImportResult) -> str:
    """Every piece of text the import kept or reported."""
    blocks = [b for s in result.sections for b in s.blocks]
    parts = [result.title, *(s.title for s in result.sections), *result.sources,
             *(b.text for b in blocks), *(i for b in blocks for i in b.items),
             *(c for b in blocks for row in b.rows for c in row),
             *(r.text for r in result.removals), *(r.text for r in result.repeats),
             *(t.term + " " + t.definition for t in result.glossary), *result.notes]
    return " ".join(parts)


@SETTINGS
@given(text=DOCUMENT)
def test_never_crashes_and_loses_nothing(tmp_path: Path, text: str) -> None:
    result = draft(tmp_path, text)
    if result is None:
        return
    kept = set(WORDS.findall(accounted(result)))
    lost = set(WORDS.findall(text)) - kept
    assert not lost
    # And the article file prints exactly the kept text: the Markdown escaping loses nothing.
    article = parse_article(result.files["article.md"].decode("utf-8"))
    printed = " ".join(run.text for s in article.sections for b in s.blocks
                       for runs in ([b.runs] if hasattr(b, "runs") else list(getattr(b, "items", ())) or
                                    list(getattr(b, "paragraphs", ()))) for run in runs)
    printed += " " + " ".join(s.title for s in article.sections) + " " + " ".join(
        getattr(b, "alt", "") for s in article.sections for b in s.blocks)
    body = " ".join(t for s in result.sections for b in s.blocks for t in (b.text, *b.items))
    assert set(WORDS.findall(body)) <= set(WORDS.findall(printed))


@SETTINGS
@given(text=TEXT)
def test_any_text_in_any_format(tmp_path: Path, text: str) -> None:
    for name in ("source.md", "source.html"):
        draft(tmp_path, text, name)
