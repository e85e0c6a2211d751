"""Starting points for level rewrites (`teachpack import --levels`): for each level whose text reads above
its band, `article.<level>.md` with the sections that level prints, every heading, date and glossary term
as in `article.md`, and the sentences that push it above its band marked for the teacher to rewrite.

The marks are CriticMarkup's highlight and comment, `{==sentence==}{>>why and how<<}`, which Markdown
editors that know it show as review notes. The loader takes them out before the text is read and
`check` lists every file that still has them (TP209), so a forgotten mark never prints.
Nothing is rewritten automatically, and a level text the teacher already has is never replaced.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from builder.check.drafting import MIN_WORDS, suggestions
from builder.check.readability import measure, printed_text
from builder.core import text as t
from builder.core.levels import Level
from builder.load.article import REVIEW_MARK, parse_article
from builder.load.loader import Pack, level_article_path, load_pack
from builder.release.write import atomic_write

_HEADING = re.compile(r"(?m)^(?=## )")
_NOT_PROSE = ("#", "!", "|", ">", "```", "<")  # headings, pictures, tables, quotations: never marked
_MARKDOWN = re.compile(r"[*_`]|\[|\]\([^)]*\)")  # emphasis and link syntax, left out when a sentence is measured


@dataclass(frozen=True)
class StartingPoint:
    level: str
    path: Path
    grade: float  # the level's text as it reads now (Flesch-Kincaid)
    marked: int  # sentences marked to rewrite
    written: bool  # False: the level needs none, or already has its own text

    def line(self, band: tuple[float, float]) -> str:
        low, high = band
        if not self.written and self.path.exists():
            return (f"kept {self.path.name}: level {self.level} already has its own text (delete the file to "
                    "draft it again)")
        if not self.written:
            near = "within" if self.grade <= high else "close enough to"
            return (f"level {self.level} reads at grade {self.grade:.1f}, {near} {low:g}-{high:g}: no starting "
                    "point needed")
        return (f"wrote {self.path.name}: level {self.level} reads at grade {self.grade:.1f}, above {low:g}-{high:g}; "
                f"{self.marked} sentence(s) marked {{== ==}} to rewrite, with what to change beside each")


def write_starting_points(pack_dir: Path) -> list[str]:
    """Write the starting points of the pack in `pack_dir` (it must load); one line per level, for the user."""
    pack = load_pack(pack_dir)
    lines = []
    for level in pack.levels:
        point = _starting_point(pack, level)
        lines.append(point.line(level.reading_band))
    return lines


def _starting_point(pack: Pack, level: Level) -> StartingPoint:
    from builder.resolve.document import level_sections

    path = level_article_path(pack.article_path, level.id)
    grade = measure(printed_text(level_sections(pack, level))).flesch_kincaid
    high = level.reading_band[1]
    if path.exists() or grade <= high + level.reading_tolerance:
        return StartingPoint(level.id, path, grade, 0, False)
    text, marked = starting_text(pack.article_text, pack.file.sections.get(level.id), high, level.rare_zipf)
    atomic_write(path, text.encode("utf-8"))
    return StartingPoint(level.id, path, grade, marked, True)


def starting_text(article: str, wanted: tuple[str, ...] | list[str] | None, band_high: float,
                  rare_zipf: float) -> tuple[str, int]:
    """The article's Markdown with only the sections in `wanted` (every one when None), its hard sentences
    marked; and how many were marked."""
    chunks = _HEADING.split(article)
    preamble, parts = (chunks[0], chunks[1:]) if not chunks[0].startswith("## ") else ("", chunks)
    ids = [s.id for s in parse_article(article).sections]
    if preamble.strip() and ids and ids[0] == "introduction" and len(ids) == len(parts) + 1:
        ids = ids[1:]
    keep_intro = wanted is None or "introduction" in wanted
    title = "".join(line for line in preamble.splitlines(keepends=True) if line.startswith("# "))
    out = [preamble if keep_intro else title]
    out += [part for sid, part in zip(ids, parts, strict=False) if wanted is None or sid in wanted]
    marked = 0
    lines = []
    for line in "".join(out).splitlines(keepends=True):
        if line.strip() and not line.lstrip().startswith(_NOT_PROSE) and REVIEW_MARK[0] not in line:
            line, count = _mark(line, band_high, rare_zipf)
            marked += count
        lines.append(line)
    return "".join(lines), marked


def _mark(line: str, band_high: float, rare_zipf: float) -> tuple[str, int]:
    """The line with each sentence that reads above `band_high` wrapped in review marks."""
    out, at, count = [], 0, 0
    for sentence in t.sentences(line):
        start = line.find(sentence, at)
        if start < 0:
            continue
        words = _MARKDOWN.sub("", sentence)
        reading = measure(words)
        if reading.words < MIN_WORDS or reading.flesch_kincaid <= band_high:
            continue
        advice = "; ".join([f"reads at grade {reading.flesch_kincaid:.1f}", *suggestions(words, rare_zipf)])
        out += [line[at:start], REVIEW_MARK[0], sentence, REVIEW_MARK[1], REVIEW_MARK[2], advice, REVIEW_MARK[3]]
        at = start + len(sentence)
        count += 1
    return "".join(out) + line[at:], count
