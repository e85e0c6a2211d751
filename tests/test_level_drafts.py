"""`teachpack import --levels` (issue 14, item 4): starting points for the level rewrites that keep every
heading, date and glossary term, with the sentences that push the level above its band marked."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from builder import load_pack
from builder.importer import import_source
from builder.importer.levels import starting_text, write_starting_points
from builder.load.article import parse_article, without_review_marks
from builder.resolve.document import level_sections, section_text

# Our own article, written long-winded on purpose so that it reads above the elementary band.
ARTICLE = """<html><head><title>The lighthouse keepers of Skerry Point</title></head><body>
<h1>The lighthouse keepers of Skerry Point</h1>
<p>The lighthouse at Skerry Point, which was completed in 1842 after nearly a decade of construction on an exposed
and treacherous granite outcrop, guided merchant shipping through the notoriously dangerous northern channel.</p>
<p>Its keepers lived in isolated cottages beside the tower. They trimmed the wicks every night.</p>
<h2>A hard life on the rock</h2>
<p>Supplies arrived by boat only when the weather permitted, and during the prolonged winter storms of 1871 the
keepers subsisted for seven weeks on salted provisions, rainwater and whatever fish they could catch.</p>
<p>The families kept goats and grew potatoes in a small walled garden. Children rowed to school.</p>
<h2>The light goes electric</h2>
<p>Electrification in 1931 transformed the keepers' responsibilities, replacing the laborious nightly maintenance of
paraffin lamps with the comparatively straightforward supervision of generators and automatic switching equipment.</p>
<p>The last keeper left in 1989, when the light was fully automated and controlled from the mainland.</p>
</body></html>"""


@pytest.fixture
def imported(tmp_path: Path) -> Path:
    source = tmp_path / "lighthouse.html"
    source.write_text(ARTICLE, encoding="utf-8")
    import_source(source, tmp_path / "pack")
    return tmp_path / "pack"


def test_a_starting_point_keeps_headings_dates_and_terms_and_marks_the_hard_sentences(imported: Path) -> None:
    lines = write_starting_points(imported)
    written = imported / "article.elementary.md"
    assert any(line.startswith("wrote article.elementary.md: level elementary reads at grade") for line in lines)
    text = written.read_text(encoding="utf-8")
    original = (imported / "article.md").read_text(encoding="utf-8")
    plain, marked = without_review_marks(text)
    assert marked and text.count("{==") == len(marked) == text.count("{>>")
    assert "reads at grade" in text and "split it into two sentences after" in text
    assert [s.title for s in parse_article(plain).sections] == [s.title for s in parse_article(original).sections]
    assert set(re.findall(r"\b1[89]\d\d\b", plain)) == set(re.findall(r"\b1[89]\d\d\b", original))
    pack = load_pack(imported)
    elementary = next(lv for lv in pack.levels if lv.id == "elementary")
    printed = section_text(level_sections(pack, elementary))
    assert all(e.term.casefold() in printed.casefold() or any(f.casefold() in printed.casefold() for f in e.forms)
               for e in pack.file.glossary if e.term.casefold() in original.casefold())
    # The marks never print: the loader takes them out, and says the text still needs rewriting.
    assert "{==" not in printed and "{>>" not in printed and "<<}" not in printed
    warning = next(w for w in pack.warnings if w.code == "TP209")
    assert warning.file.endswith("article.elementary.md") and warning.line == marked[0]
    assert warning.message.startswith(f"{len(marked)} sentence(s) still marked")
    assert "rewrite each for the level and delete its marks" in str(warning)


def test_a_level_text_the_teacher_has_is_kept(imported: Path) -> None:
    mine = imported / "article.elementary.md"
    mine.write_text("## A hard life on the rock\n\nThe keepers had a hard life.\n", encoding="utf-8")
    lines = write_starting_points(imported)
    assert mine.read_text(encoding="utf-8") == "## A hard life on the rock\n\nThe keepers had a hard life.\n"
    assert "kept article.elementary.md: level elementary already has its own text (delete the file to draft it " \
           "again)" in lines


def test_only_the_sections_the_level_prints() -> None:
    article = "# T\n\nOpening words here.\n\n## One\n\nFirst part.\n\n## Two\n\nSecond part.\n"
    text, marked = starting_text(article, ("two",), 5.0, 3.5)
    assert text == "# T\n## Two\n\nSecond part.\n" and marked == 0
    text, _ = starting_text(article, None, 5.0, 3.5)
    assert text == article


def test_import_levels_from_the_command_line(tmp_path: Path) -> None:
    source = tmp_path / "lighthouse.html"
    source.write_text(ARTICLE, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "builder", "import", str(source), "--into", str(tmp_path / "p"),
                           "--levels"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "wrote article.elementary.md" in done.stdout
    assert (tmp_path / "p" / "article.elementary.md").exists()
    assert not (tmp_path / "p" / "article.high.md").exists()  # high reads within its band
