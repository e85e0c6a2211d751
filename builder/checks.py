"""Content checks for `teachpack check`: things that build but that a teacher should still fix."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .a11y import Report
from .article import parse_article
from .errors import Problem
from .fonts import glyph_warnings
from .levels import Level
from .model import Document
from .pack import PACK_FILE, Pack, display_path, level_article_path
from .readability import Readability, measure, printed_text
from .spelling import Misspelling, check_spelling
from .terms import TermIndex


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
    used = TermIndex(pack.file.glossary).used(text)  # one pass for all terms
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
        if entry.term not in used:
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
    return (list(pack.warnings) + content_warnings(pack) + reading_warnings(pack, reading_levels(pack))
            + spelling_warnings(pack, spelling(pack)) + theme_warnings(pack) + glyph_warnings(pack))


@dataclass(frozen=True)
class RareWord:
    """A word rare for a level's grades, printed at that level and not in the glossary."""

    level: str
    word: str
    zipf: float
    sentence: str


def spelling(pack: Pack) -> list[Misspelling]:
    """Likely misspellings in the article and its level rewrites (after `corrections:`).

    Glossary terms and the pack's `dictionary:` are never flagged; names the checker recognises
    as names are not either.
    """
    texts = [printed_text(parse_article(text).sections) for text in (pack.article_text, *pack.level_texts.values())]
    protected = [*pack.file.dictionary, *(w for e in pack.file.glossary for w in (e.term, *e.forms))]
    return check_spelling(texts, protected).misspellings


def spelling_warnings(pack: Pack, found: list[Misspelling]) -> list[Problem]:
    display = display_path(pack.article_path)
    return [Problem(display, None, "", f"'{m.word}' looks misspelled"
                    + (f" (did you mean '{m.suggestion}'?)" if m.suggestion else "")
                    + "; fix it, add it to corrections:, or to dictionary: if it is right") for m in found]


def rare_words(pack: Pack) -> list[RareWord]:
    """Per level: words rarer than the profile's `rare_zipf` that the glossary does not explain."""
    from wordfreq import zipf_frequency

    from .resolve import level_sections
    from .spelling import WORD, is_word

    glossary = TermIndex(pack.file.glossary)
    # Words of a glossary term ("coexistence" in "peaceful coexistence") are explained already.
    phrases = [*pack.file.dictionary, *(t for e in pack.file.glossary for t in (e.term, *e.forms))]
    allowed = {w.lower() for phrase in phrases for w in WORD.findall(phrase)}
    out = []
    for level in pack.levels:
        seen: set[str] = set()
        for sentence in _sentences(printed_text(level_sections(pack, level))):
            for word in WORD.findall(sentence):
                lower = word.lower()
                # Lowercase words only: capitalised ones are mostly names, which a glossary rarely needs.
                if word != lower or lower in seen or lower in allowed or len(lower) < 4 or not is_word(lower):
                    continue
                seen.add(lower)
                zipf = zipf_frequency(lower, pack.file.language.split("-")[0])
                if zipf < level.rare_zipf and not glossary.occurs(word):
                    out.append(RareWord(level.id, lower, round(zipf, 2), sentence))
    return out


def _sentences(text: str) -> list[str]:
    from .activities import SENTENCE_END

    return [s.strip() for paragraph in text.split("\n") for s in SENTENCE_END.split(paragraph) if s.strip()]


@dataclass
class CheckResult:
    """Everything `teachpack check` reports about one pack."""

    documents: list[Document]
    warnings: list[Problem]
    readings: list[LevelReading]
    misspellings: list[Misspelling]
    vocabulary: list[RareWord]
    accessibility: list[Report] = field(default_factory=list)  # with --a11y: one per built file

    def as_dict(self) -> dict[str, object]:
        """The report `teachpack check --json` prints, for CI and editors."""
        return {
            "levels": [
                {
                    "level": row.level.id,
                    "grades": [int(g) for g in row.level.grades.split("-")],
                    "band": list(row.level.reading_band),
                    "words": row.reading.words,
                    "sentences": row.reading.sentences,
                    "flesch_kincaid": row.reading.flesch_kincaid,
                    "coleman_liau": row.reading.coleman_liau,
                    "verdict": row.verdict,
                }
                for row in self.readings
            ],
            "spelling": [{"word": m.word, "suggestion": m.suggestion, "count": m.count} for m in self.misspellings],
            "vocabulary": [{"level": r.level, "word": r.word, "zipf": r.zipf, "sentence": r.sentence}
                           for r in self.vocabulary],
            "problems": [{"file": w.file, "line": w.line, "key": w.path, "message": w.message} for w in self.warnings],
            **({"accessibility": [{"file": r.file, "facts": r.facts, "problems": r.problems}
                                  for r in self.accessibility]} if self.accessibility else {}),  # with --a11y
        }


def check_pack(pack_dir: Path, a11y: bool = False, workspace: Path | None = None) -> CheckResult:
    """Validate a pack, resolve every level without rendering, and measure what it prints; with
    `a11y`, also render every document in memory and read back its accessibility (a11y.py).

    Raises PackError when the pack is invalid; everything else is a warning in the result.
    """
    from .build import plan
    from .pack import load_pack
    from .render.pdf import resource_warnings

    pack = load_pack(Path(pack_dir), workspace)
    documents = plan([pack])
    readings = reading_levels(pack)
    misspellings = spelling(pack)
    # Per document: activities left out, what the PDF sandbox would refuse, and (--a11y) what the files lack.
    document_warnings = [Problem(display_path(pack.root / PACK_FILE), None, "", w)
                         for w in dict.fromkeys(w for d in documents for w in d.warnings)]
    document_warnings += list(dict.fromkeys(w for d in documents for w in resource_warnings(d)))
    accessibility = []
    if a11y:
        from .a11y import check_files

        accessibility = check_files(documents)
        document_warnings += [Problem(r.file, None, "", p) for r in accessibility for p in r.problems]
    warnings = (list(pack.warnings) + content_warnings(pack) + reading_warnings(pack, readings)
                + spelling_warnings(pack, misspellings) + theme_warnings(pack) + glyph_warnings(pack)
                + document_warnings)
    return CheckResult(documents, warnings, readings, misspellings, rare_words(pack), accessibility)


AA_TEXT = 4.5  # WCAG 2 AA contrast for body-size text


def contrast(foreground: str, background: str) -> float:
    """WCAG 2 contrast ratio of two "#rrggbb" colours (1 to 21)."""

    def luminance(color: str) -> float:
        channels = [int(color[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def theme_warnings(pack: Pack) -> list[Problem]:
    """Theme colour pairs that print as text below WCAG AA contrast."""
    palette = pack.theme.palette
    display = display_path(pack.root / PACK_FILE)
    pairs = (("text", "background"), ("primary", "background"), ("accent", "background"), ("primary", "highlight"))
    out = []
    for fore, back in pairs:
        ratio = contrast(palette[fore], palette[back])
        if ratio < AA_TEXT:
            out.append(Problem(display, None, f"theme.colors.{fore}",
                               f"{palette[fore]} on {back} {palette[back]} has contrast {ratio:.2f}:1, below WCAG AA "
                               f"{AA_TEXT}:1; choose a darker {fore} or a lighter {back}"))
    return out
