"""The checks: things that build but that a teacher should still fix. `teachpack check` and
`build --strict` run the same lists, PACK_CHECKS once per pack and DOCUMENT_CHECKS per document
and format, and every warning is a Problem with a code from errors.WARNING_CODES.

A warning gets its code where it is made (loading, resolving, the PDF sandbox, the fonts, the
reference .docx); this module only collects them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

from builder.check.a11y import Report
from builder.check.drafting import HardSentence, hardest_sentences
from builder.check.glyphs import glyph_warnings
from builder.check.readability import Readability, measure, printed_text
from builder.check.spelling import Misspelling, check_spelling
from builder.core import files
from builder.core.colours import AA_TEXT, contrast
from builder.core.errors import Problem
from builder.core.files import display_path
from builder.core.levels import Level
from builder.core.text import sentences
from builder.load.loader import PACK_FILE, Pack, level_article_path
from builder.model import Document
from builder.options import BuildOptions
from builder.resolve.terms import TermIndex


def content_warnings(pack: Pack) -> list[Problem]:
    """Warnings about a valid pack: empty definitions, definitions import drafted and nobody has read yet,
    glossary terms the article never uses, an empty worksheet, placeholder images import left to replace."""
    from builder.importer.draft import placeholder_png

    display = display_path(pack.root / PACK_FILE)
    warnings = []
    from builder.resolve.document import section_text

    article = pack.article
    # A term counts when the article or any level's own rewrite uses it (issue 14: "'electricity' does
    # not occur" was said of a word both level rewrites use).
    text = "\n".join(section_text(a.sections) for a in (article, *pack.level_articles.values()))
    for i, warning in enumerate(pack.file.import_warnings, start=1):
        warnings.append(Problem(display, None, f"import_warnings[{i}]", f"{warning} (then delete this line)",
                                "TP207"))
    for i, item in enumerate(pack.file.worksheet, start=1):
        if getattr(item, "drafted", None):
            warnings.append(Problem(display, None, f"worksheet[{i}].drafted",
                                    f"'{_short(getattr(item, 'prompt', ''))}': drafted by import; check the question "
                                    "and its answer, edit or accept it, then delete the drafted: line", "TP208"))
    if "worksheet" in pack.file.contents and not pack.file.worksheet:
        warnings.append(Problem(display, None, "worksheet", "has no questions yet; add some, "
                                "or take worksheet out of contents:", "TP202"))
    used = TermIndex(pack.file.glossary).used(text)  # one pass for all terms
    placeholder = placeholder_png()
    for image in article.images:
        path = pack.article_path.parent / image.src
        # Loading checked every picture; the size first, so only a placeholder-sized one is read again.
        if path.is_file() and path.stat().st_size == len(placeholder) and files.read_bytes(
                path, (pack.root,), "image", display_path(path)) == placeholder:
            warnings.append(Problem(display_path(pack.article_path), image.line, "",
                                    f"'{image.src}' is a placeholder from teachpack import; "
                                    "replace it with the picture", "TP203"))
    for i, entry in enumerate(pack.file.glossary, start=1):
        if not entry.definition.strip():
            warnings.append(
                Problem(display, None, f"glossary[{i}].definition", f"'{entry.term}' has no definition yet; write one",
                        "TP204")
            )
        elif entry.drafted:
            warnings.append(
                Problem(display, None, f"glossary[{i}].drafted",
                        f"'{entry.term}': the definition was drafted by import from {entry.drafted}; read it, "
                        "edit or accept it, then delete the drafted: line", "TP206")
            )
        if entry.term not in used:
            warnings.append(
                Problem(
                    display,
                    None,
                    f"glossary[{i}].term",
                    f"'{entry.term}' does not occur in the article or a level's rewrite; add the form it takes "
                    "there to forms:",
                    "TP205",
                )
            )
    return warnings


def _short(text: str, size: int = 60) -> str:
    return text if len(text) <= size else text[:size].rsplit(" ", 1)[0] + "\u2026"


@dataclass(frozen=True)
class LevelReading:
    """How hard one level's printed text reads, against the level's band (judged for English only)."""

    level: Level
    reading: Readability
    judged: bool = True  # False when the pack is not in English: the formulas are English ones

    @property
    def verdict(self) -> str:
        if not self.judged:
            return "n/a"
        low, high = self.level.reading_band
        grade = self.reading.flesch_kincaid
        if grade > high + self.level.reading_tolerance:
            return "too hard"
        if grade < low - self.level.reading_tolerance:
            return "easy"
        return "ok"


def is_english(pack: Pack) -> bool:
    """Whether the pack's `language:` is English, the only language spelling and reading levels know."""
    return pack.file.language.split("-")[0].lower() == "en"


def reading_levels(pack: Pack) -> list[LevelReading]:
    """Readability of the text each level actually prints (its rewrites and its sections)."""
    from builder.resolve.document import level_sections

    return [LevelReading(level, measure(printed_text(level_sections(pack, level)), pack.file.language),
                         is_english(pack)) for level in pack.levels]


class Measured:
    """One pack and what its checks measure, each measured once: `check` prints them, the checks judge them."""

    def __init__(self, pack: Pack) -> None:
        self.pack = pack

    @cached_property
    def readings(self) -> list[LevelReading]:
        return reading_levels(self.pack)

    @cached_property
    def misspellings(self) -> list[Misspelling]:
        return spelling(self.pack) if is_english(self.pack) else []


def reading_warnings(measured: Measured) -> list[Problem]:
    """A level whose printed text reads above its band (beyond the profile's tolerance)."""
    pack = measured.pack
    display = display_path(pack.root / PACK_FILE)
    out = []
    for row in measured.readings:
        if row.verdict == "too hard":
            low, high = row.level.reading_band
            rewrite = level_article_path(pack.article_path, row.level.id).name
            out.append(Problem(display, None, "", f"level {row.level.id} reads at grade {row.reading.flesch_kincaid:g} "
                               f"(Flesch-Kincaid), above its band {low:g}-{high:g} by more than "
                               f"{row.level.reading_tolerance:g}; simplify its sections in {rewrite}", "TP301"))
    return out


def english_only_notes(pack: Pack) -> list[Problem]:
    """Said once for a pack not in English, in place of English verdicts on its text."""
    if is_english(pack):
        return []
    return [Problem(display_path(pack.root / PACK_FILE), None, "language",
                    f"'{pack.file.language}': spelling and reading levels are checked for English only, so this "
                    "pack's text is not judged (its reading figures are shown, without a verdict)", "TP100")]


def load_warnings(measured: Measured) -> list[Problem]:
    """What loading the pack cleaned up or found questionable (load/loader.py)."""
    return list(measured.pack.warnings)


def font_warnings(measured: Measured) -> list[Problem]:
    """Fonts not installed, and text the PDF's fonts cannot draw (check/glyphs.py)."""
    return glyph_warnings(measured.pack)


def spelling_warnings(measured: Measured) -> list[Problem]:
    display = display_path(measured.pack.article_path)
    return [Problem(display, None, "", f"'{m.word}' looks misspelled"
                    + (f" (did you mean '{m.suggestion}'?)" if m.suggestion else "")
                    + "; fix it, add it to corrections:, or to dictionary: if it is right", "TP101")
            for m in measured.misspellings]


# The checks of one pack, in the order their warnings are listed. Each takes the Measured pack.
PACK_CHECKS: tuple[Callable[[Measured], list[Problem]], ...] = (
    load_warnings,
    lambda measured: content_warnings(measured.pack),
    reading_warnings,
    spelling_warnings,
    lambda measured: theme_warnings(measured.pack),
    font_warnings,
)


def activity_warnings(document: Document) -> list[Problem]:
    """Activities that could not be built for the document's level (resolve/document.py), and why."""
    return list(document.warnings)


def pdf_warnings(document: Document) -> list[Problem]:
    """What the document's PDF would be refused by the sandbox, and images without alt text (render/pdf/renderer.py)."""
    from builder.render.pdf.renderer import resource_warnings

    return resource_warnings(document)


def docx_warnings(document: Document) -> list[Problem]:
    """What sanitising the document's reference .docx took out, and the fonts the DOCX cannot carry
    (render/docx/writer.py): the documents of a build share their reference, which is read once while
    it does not change, and most share their fonts."""
    reference = document.styling.reference_docx
    stamp: tuple[int, int] = (0, 0)
    dropped: list[Problem] = []
    if reference is not None:
        try:
            facts = Path(reference).stat()
        except OSError:
            return []  # refused when it is read for the render, in its own words
        stamp = facts.st_mtime_ns, facts.st_size
        dropped = list(_reference_warnings(Path(reference), *stamp))
    level, theme = document.level, document.styling.theme
    key = (reference, *stamp, level.font_family, level.heading_family, level.docx_font, theme.body_font,
           theme.heading_font)
    if key not in _FONT_WARNINGS:
        from builder.render.docx.writer import font_warnings

        _FONT_WARNINGS[key] = tuple(Problem("", None, "", w, "TP406") for w in font_warnings(document))
    return dropped + list(_FONT_WARNINGS[key])


_FONT_WARNINGS: dict[tuple[object, ...], tuple[Problem, ...]] = {}  # by reference file and fonts asked for


@lru_cache(maxsize=8)
def _reference_warnings(reference: Path, mtime_ns: int, size: int) -> tuple[Problem, ...]:
    from builder.render.docx.writer import reference_warnings

    return tuple(Problem("", None, "", w, "TP402") for w in reference_warnings(reference))


# The checks of one resolved document: for every format, then for each format's file.
DOCUMENT_CHECKS: dict[str | None, Callable[[Document], list[Problem]]] = {
    None: activity_warnings,
    "pdf": pdf_warnings,
    "docx": docx_warnings,
}


def pack_warnings(pack: Pack | Measured) -> list[Problem]:
    """Every warning of PACK_CHECKS for one pack: what `check` reports and `build --strict` refuses."""
    measured = pack if isinstance(pack, Measured) else Measured(pack)
    return [w for check in PACK_CHECKS for w in check(measured)]


def document_warnings(document: Document, fmt: str | None) -> list[Problem]:
    """The warnings of DOCUMENT_CHECKS for one document: its format-independent ones (fmt None), or its file's
    (a format with no checks of its own, braille, has none)."""
    check = DOCUMENT_CHECKS.get(fmt)
    return check(document) if check else []


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
    texts = [printed_text(article.sections) for article in (pack.article, *pack.level_articles.values())]
    protected = [*pack.file.dictionary, *(w for e in pack.file.glossary for w in (e.term, *e.forms))]
    return check_spelling(texts, protected).misspellings


def rare_words(pack: Pack) -> list[RareWord]:
    """Per level: words rarer than the profile's `rare_zipf` that the glossary does not explain."""
    from wordfreq import zipf_frequency

    from builder.check.spelling import WORD, _stems, is_word
    from builder.resolve.document import level_sections

    glossary = TermIndex(pack.file.glossary)
    # Words of a glossary term ("coexistence" in "peaceful coexistence") are explained already.
    phrases = [*pack.file.dictionary, *(t for e in pack.file.glossary for t in (e.term, *e.forms))]
    allowed = {w.lower() for phrase in phrases for w in WORD.findall(phrase)}
    out = []
    for level in pack.levels:
        seen: set[str] = set()
        for sentence in sentences(printed_text(level_sections(pack, level))):
            for token in WORD.findall(sentence):
                word = re.sub(r"['\u2019]s?$", "", token)  # "the general's": the word is "general"
                lower = word.lower()
                # Lowercase words only: capitalised ones are mostly names, which a glossary rarely needs.
                forms = {lower, *_stems(lower)}  # one of "allege" and "alleges"
                if word != lower or forms & seen or lower in allowed or len(lower) < 4 or not is_word(lower):
                    continue
                seen.update(forms)
                zipf = zipf_frequency(lower, pack.file.language.split("-")[0])
                if zipf < level.rare_zipf and not glossary.occurs(word):
                    out.append(RareWord(level.id, lower, round(zipf, 2), sentence))
    return out


@dataclass
class CheckResult:
    """Everything `teachpack check` reports about one pack."""

    documents: list[Document]
    warnings: list[Problem]
    readings: list[LevelReading]
    misspellings: list[Misspelling]
    vocabulary: list[RareWord]
    accessibility: list[Report] = field(default_factory=list)  # with --a11y: one per built file
    notes: list[Problem] = field(default_factory=list)  # said once, never a warning: checks that do not apply
    # The drafting aid: for each level above its band, its hardest sentences with suggestions.
    hard: dict[str, list[HardSentence]] = field(default_factory=dict)

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
            "problems": [w.as_dict() for w in self.warnings],
            "hardest_sentences": {level: [{"grade": h.grade, "words": h.words, "sentence": h.sentence,
                                           "suggestions": list(h.suggestions)} for h in found]
                                  for level, found in self.hard.items()},
            **({"notes": [n.as_dict() for n in self.notes]} if self.notes else {}),  # a pack not in English
            **({"accessibility": [{"file": r.file, "facts": r.facts, "problems": r.problems}
                                  for r in self.accessibility]} if self.accessibility else {}),  # with --a11y
        }


def check_pack(pack_dir: Path, a11y: bool = False, workspace: Path | None = None) -> CheckResult:
    """Validate a pack, resolve every level without rendering, and run every check on it (the lists
    `build --strict` runs, for every format); with `a11y`, also render every document in memory and
    read back its accessibility (a11y.py).

    Raises PackError when the pack is invalid; everything else is a warning in the result.
    """
    from builder.load.loader import load_pack
    from builder.release.jobs import plan_jobs
    from builder.render import FORMATS

    pack = load_pack(Path(pack_dir), workspace)
    documents = [job.resolve() for job in plan_jobs([pack], BuildOptions(formats=FORMATS[:1]))]
    measured = Measured(pack)
    warnings = pack_warnings(measured)
    warnings += [w for fmt in DOCUMENT_CHECKS for d in documents for w in document_warnings(d, fmt)]
    accessibility = []
    if a11y:
        from builder.check.a11y import check_files

        accessibility = check_files(documents)
        warnings += [Problem(r.file, None, "", p, "TP503") for r in accessibility for p in r.problems]
    return CheckResult(documents, list(dict.fromkeys(warnings)), measured.readings, measured.misspellings,
                       rare_words(pack), accessibility, english_only_notes(pack), drafting_aid(pack, measured))


def drafting_aid(pack: Pack, measured: Measured) -> dict[str, list[HardSentence]]:
    """For each level that reads too hard: the sentences that push it above its band, hardest first."""
    from builder.resolve.document import level_sections

    return {row.level.id: hardest_sentences(printed_text(level_sections(pack, row.level)), row.level.reading_band[1],
                                            row.level.rare_zipf)
            for row in measured.readings if row.verdict == "too hard"}


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
                               f"{AA_TEXT}:1; choose a darker {fore} or a lighter {back}", "TP502"))
    return out
