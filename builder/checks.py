"""Content checks for `teachpack check`: things that build but that a teacher should still fix."""

from __future__ import annotations

from dataclasses import dataclass

from .article import parse_article
from .errors import Problem
from .levels import Level
from .pack import PACK_FILE, Pack, display_path, level_article_path
from .readability import Readability, measure, printed_text
from .terms import finder


def content_warnings(pack: Pack) -> list[Problem]:
    """Warnings about a valid pack: empty definitions, glossary terms the article never uses,
    an empty worksheet, placeholder images that `teachpack import` left to replace."""
    from .importer.draft import placeholder_png

    display = display_path(pack.root / PACK_FILE)
    warnings = []
    article = parse_article(pack.article_text)
    text = " ".join(
        run.text
        for section in article.sections
        for block in section.blocks
        for runs in _block_runs(block)
        for run in runs
    )
    if "worksheet" in pack.file.contents and not pack.file.worksheet:
        warnings.append(Problem(display, None, "worksheet", "has no questions yet; add some, "
                                "or take worksheet out of contents:"))
    placeholder = placeholder_png()
    for image in article.images:
        path = pack.article_path.parent / image.src
        if path.is_file() and path.read_bytes() == placeholder:
            warnings.append(Problem(display_path(pack.article_path), image.line, "",
                                    f"'{image.src}' is a placeholder from teachpack import; "
                                    "replace it with the picture"))
    for i, entry in enumerate(pack.file.glossary, start=1):
        if not entry.definition.strip():
            warnings.append(
                Problem(display, None, f"glossary[{i}].definition", f"'{entry.term}' has no definition yet; write one")
            )
        if not finder(entry).search(text):
            warnings.append(
                Problem(
                    display,
                    None,
                    f"glossary[{i}].term",
                    f"'{entry.term}' does not occur in the article; add the form it takes there to forms:",
                )
            )
    return warnings


def _block_runs(block: object) -> list[tuple]:
    kind = getattr(block, "kind", "")
    if kind in ("paragraph", "subheading"):
        return [block.runs]  # type: ignore[attr-defined]
    if kind == "list":
        return list(block.items)  # type: ignore[attr-defined]
    if kind == "quote":
        return list(block.paragraphs)  # type: ignore[attr-defined]
    return []


@dataclass(frozen=True)
class LevelReading:
    """How hard one level's printed text reads, against the level's band."""

    level: Level
    reading: Readability

    @property
    def verdict(self) -> str:
        low, high = self.level.reading_band
        grade = self.reading.flesch_kincaid
        if grade > high + self.level.reading_tolerance:
            return "too hard"
        if grade < low - self.level.reading_tolerance:
            return "easy"
        return "ok"


def reading_levels(pack: Pack) -> list[LevelReading]:
    """Readability of the text each level actually prints (its rewrites and its sections)."""
    from .resolve import level_sections

    return [LevelReading(level, measure(printed_text(level_sections(pack, level)), pack.file.language))
            for level in pack.levels]


def reading_warnings(pack: Pack, readings: list[LevelReading]) -> list[Problem]:
    """A level whose printed text reads above its band (beyond the profile's tolerance)."""
    display = display_path(pack.root / PACK_FILE)
    out = []
    for row in readings:
        if row.verdict == "too hard":
            low, high = row.level.reading_band
            rewrite = level_article_path(pack.article_path, row.level.id).name
            out.append(Problem(display, None, "", f"level {row.level.id} reads at grade {row.reading.flesch_kincaid:g} "
                               f"(Flesch-Kincaid), above its band {low:g}-{high:g} by more than "
                               f"{row.level.reading_tolerance:g}; simplify its sections in {rewrite}"))
    return out


def pack_warnings(pack: Pack) -> list[Problem]:
    """Everything `check` warns about for one pack, which `build --strict` refuses."""
    return content_warnings(pack) + reading_warnings(pack, reading_levels(pack))
