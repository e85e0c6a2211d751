"""`teachpack import`: a raw article (.txt, .md, .html, .docx) -> a draft pack that builds at once.

Stages, one module each: read (readers) -> clean (boilerplate, repeats) -> sections -> drafts
(datefind, glossary, spelling) -> draft files and report. Everything is made and checked in
memory; files are written only at the end, each atomically, so bad input writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from builder.check.spelling import Spelling
from builder.core.errors import TeachpackError
from builder.importer.clean import Removal, Repeat
from builder.importer.datefind import Timeline
from builder.importer.glossary import Term
from builder.importer.questions import DraftQuestion
from builder.importer.readers import FORMATS, RawBlock
from builder.importer.sections import Section
from builder.importer.update import Update
from builder.load.loader import PACK_FILE

__all__ = ["FORMATS", "ImportResult", "import_source"]

REPORT_FILE = "import-report.md"


@dataclass
class ImportResult:
    """What the import found and wrote; the report and the terminal summary are made from it."""

    source: Path
    into: Path
    fmt: str
    title: str
    subtitle: str | None
    subject: str
    attribution: str
    sections: list[Section]
    sources: list[str]
    removals: list[Removal]
    repeats: list[Repeat]
    timeline: Timeline
    glossary: list[Term]
    spelling: Spelling
    corrections: dict[str, str]
    figures: list[tuple[str, str]]  # (image file, caption) of images the teacher must supply
    notes: list[str]
    emoji: int = 0
    warnings: list[str] = field(default_factory=list)  # shown first in the report, and in pack.yaml
    alts: dict[str, str] = field(default_factory=dict)  # placeholder image -> the source's alt text
    refused: dict[str, str] = field(default_factory=dict)  # placeholder image -> the picture not copied, and why
    files: dict[str, bytes] = field(default_factory=dict)  # path inside the pack -> content
    written: list[Path] = field(default_factory=list)
    update: Update | None = None  # what --update refreshed and kept
    questions: list[DraftQuestion] = field(default_factory=list)  # drafted worksheet questions


def import_source(source: Path, into: Path, fmt: str | None = None, force: bool = False,
                  update: bool = False) -> ImportResult:
    """Import `source` into the pack folder `into`; refuses a folder that holds a pack unless `force`
    (replace it) or `update` (refresh what the last import drafted, keep what the teacher edited).

    Raises TeachpackError (nothing written) for input it cannot read.
    """
    source, into = Path(source), Path(into)
    if into.exists() and not into.is_dir():
        raise TeachpackError(f"{into}: is a file; give a folder for --into")
    if force and update:
        raise TeachpackError("--force and --update: choose one (--update keeps the teacher's edits, --force "
                             "replaces them)")
    if (into / PACK_FILE).exists() and not (force or update):
        raise TeachpackError(f"{into}: already holds a pack ({PACK_FILE}); import into a new folder, add "
                             "--update to refresh what was drafted and keep your edits, or --force to replace "
                             "its pack.yaml, article.md and import report")
    return write_draft(make_draft(source, into, fmt), update)


def import_new(source: Path, folder_for: Callable[[str], Path], fmt: str | None = None) -> ImportResult:
    """Import `source` into a new pack folder named after the article's title: `folder_for(title)`
    gives a folder that does not exist yet (the workbench's New pack)."""
    source = Path(source)
    result = make_draft(source, folder_for, fmt)
    if result.into.exists():
        raise TeachpackError(f"{result.into}: exists already; choose another name for the new pack")
    return write_draft(result, update=False)


def write_draft(result: ImportResult, update: bool) -> ImportResult:
    """Write a draft into `result.into`: a new pack, or (`update`) what the last import drafted, refreshed."""
    from builder.importer.update import plan_update, record_files
    from builder.release.write import atomic_write

    into = result.into
    if update and (into / PACK_FILE).exists():
        result.update = plan_update(into, result.files)
        files = result.update.files
    else:
        files = {**result.files, **record_files(result.files)}
    for name, data in files.items():
        (into / name).parent.mkdir(parents=True, exist_ok=True)
        atomic_write(into / name, data)
        result.written.append(into / name)
    return result


def make_draft(source: Path, into: Path | Callable[[str], Path], fmt: str | None = None) -> ImportResult:
    """Everything `import_source` does but writing: the files are in `result.files`. `into` may be a
    function of the title found, giving the folder."""
    import yaml

    from builder.check.spelling import check_spelling
    from builder.importer.clean import find_repeats, remove_boilerplate
    from builder.importer.datefind import draft_timeline
    from builder.importer.draft import compose_article, compose_pack, placeholder_png
    from builder.importer.glossary import draft_glossary
    from builder.importer.questions import draft_questions
    from builder.importer.readers import read_source
    from builder.importer.report import render_report
    from builder.importer.sections import outline
    from builder.load.article import parse_article
    from builder.load.loader import apply_corrections
    from builder.load.schema import PackFile

    raw = read_source(source, fmt)
    blocks, removals, stamps, emoji = remove_boilerplate(raw.blocks)
    dateline = stamps.pop("dateline", None)
    if dateline and (raw.meta.date is None or raw.meta.date_guessed):  # the story's own date beats a guess
        raw.meta = replace(raw.meta, date=dateline, date_guessed=False)
    removals[:0] = [Removal(text, "page menu or footer, left out by the article extractor", "page")
                    for text in raw.left_out]
    removals[:0] = [Removal(text, why, where) for text, why, where in raw.taken]
    plan = outline(blocks, _strip_emoji(raw.title), known=raw.fmt == "html" and bool(raw.title))
    removals += plan.removals
    title = plan.title or source.stem.replace("-", " ").replace("_", " ").strip().capitalize() or "Untitled"

    paragraphs = [(block, section.title) for section in plan.sections for block in section.blocks
                  if block.kind in ("text", "quote")]
    repeats = find_repeats(paragraphs)
    dropped = {id(paragraphs[i][0]) for i, _ in repeats}
    for section in plan.sections:
        section.blocks = [block for block in section.blocks if id(block) not in dropped]
    sections = _tidy(plan.sections)
    if not sections:
        raise TeachpackError(f"{source}: holds only navigation and page furniture, no article text; "
                             "check that it is the right file")

    images = dict(raw.images)
    figures: list[tuple[str, str]] = []
    refused: dict[str, str] = {}
    alts: dict[str, str] = {}
    for block in (b for s in sections for b in s.blocks if b.kind == "figure" and b.image is None):
        block.image = f"figure-{len(figures) + 1}.png"
        images[block.image] = placeholder_png()
        figures.append((block.image, block.text))
        if block.alt and block.alt != block.text:
            alts[block.image] = block.alt
        if block.refused:
            refused[block.image] = block.refused

    texts = [t for s in sections for t in (s.title, *_texts(s.blocks))]
    spelling = check_spelling(texts, protected=[term for term, _ in plan.glossary])
    corrections = {m.word: m.suggestion for m in spelling.misspellings if m.sure and m.suggestion}
    drafted = draft_glossary(sections, plan.glossary, title)
    # The corrections apply to the terms and their forms as to the article they must match.
    glossary = [replace(t, term=apply_corrections(t.term, corrections),
                                    forms=tuple(dict.fromkeys(apply_corrections(f, corrections) for f in t.forms)))
                for t in drafted.terms]
    # "Now" for the article is when it was published: a 2023 article's "in 2024" is its future.
    published = int(raw.meta.date[:4]) if raw.meta.date and raw.meta.date[:4].isdigit() else None
    timeline = draft_timeline(sections, published)
    for event in timeline.events:
        event.title = apply_corrections(event.title, corrections)
        event.detail = event.detail and apply_corrections(event.detail, corrections)

    questions = [DraftQuestion(q.kind, q.skill, apply_corrections(q.prompt, corrections),
                               q.answer if q.kind == "multiple-choice" else apply_corrections(q.answer, corrections),
                               tuple(apply_corrections(c, corrections) for c in q.choices), q.source)
                 for q in draft_questions(sections, glossary, timeline.events)]

    subject = "History" if len(timeline.events) >= 3 else "Reading"
    stamp = ", ".join(f"{label} {date}" for label, date in stamps.items())
    meta = replace(raw.meta, title=title)
    attribution = meta.citation() or f"Imported from {source.name}" + (f" (page {stamp})" if stamp else "") + "."
    sources = [*plan.sources, *([meta.url] if meta.url and meta.url not in plan.sources else [])]
    folder = into(title) if callable(into) else into
    result = ImportResult(source, folder, raw.fmt, title, meta.subtitle, subject, attribution, sections, sources,
                          removals, [r for _, r in repeats], timeline, glossary, spelling, corrections, figures,
                          [*raw.notes, *plan.notes, *(f"image to supply: {src}" for src in raw.missing_images),
                           *([drafted.note] if drafted.note else [])],
                          emoji, raw.warnings, alts, refused, questions=questions)

    article = compose_article(title, sections)
    pack_yaml = compose_pack(title=title, subtitle=meta.subtitle, subject=subject, attribution=attribution,
                             sources=sources, glossary=glossary, events=timeline.events,
                             misspellings=spelling.misspellings, names=spelling.names, source_name=source.name,
                             warnings=raw.warnings, questions=questions)
    # A draft that does not load is a bug in the importer, never the user's input.
    PackFile.model_validate(yaml.safe_load(pack_yaml))
    assert parse_article(article).sections, "the draft article has no sections"
    result.files = {f"images/{name}": data for name, data in images.items()}
    result.files |= {"article.md": article.encode("utf-8"), PACK_FILE: pack_yaml.encode("utf-8"),
                     REPORT_FILE: render_report(result).encode("utf-8")}
    return result


def _strip_emoji(text: str | None) -> str | None:
    from builder.importer.clean import strip_emoji

    return (strip_emoji(text) or None) if text else None


def _tidy(sections: list[Section]) -> list[Section]:
    """Drop sections the repeats emptied; an opening that holds only figures joins the next section."""
    sections = [s for s in sections if s.blocks]
    if len(sections) > 1 and not sections[0].title and all(b.kind == "figure" for b in sections[0].blocks):
        opening = sections.pop(0)
        sections[0].blocks[:0] = opening.blocks
    return sections


def _texts(blocks: list[RawBlock]) -> list[str]:
    return [t for b in blocks for t in (b.text.replace("\n", " "), *b.items, *(c for row in b.rows for c in row))]
