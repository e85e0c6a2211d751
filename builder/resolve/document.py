"""Stage 2, resolve: a Pack at one level, edition and variant -> the neutral `Document`."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from builder import model as m
from builder.components.answer_key import AnswerKey
from builder.components.api import CannotBuild, ComponentContext, ItemContext, Material, QuestionSpec, seeded
from builder.components.custom import Custom
from builder.components.overview import Overview
from builder.components.registry import component_kind, item_count, item_kind, registry
from builder.components.worksheet import Worksheet
from builder.core import files
from builder.core.errors import Problem, TeachpackError
from builder.core.files import display_path, real_path
from builder.core.labels import labels_for, level_label
from builder.core.levels import Level, builtin_levels
from builder.core.paths import search_path
from builder.core.reproducible import source_date
from builder.load.loader import PACK_FILE, Pack
from builder.load.schema import CustomComponent, GlossaryEntry, PackFile, WorksheetItem, component_entry
from builder.resolve.terms import TermIndex

EDITIONS = ("student", "teacher")


def styling(pack: Pack, template_dirs: tuple[Path, ...] = (), reference_docx: Path | None = None,
            pdf_variant: str = m.Styling.pdf_variant, braille_grade: int = m.Styling.braille_grade) -> m.Styling:
    """The pack's look: `--templates` folders, then the workspace's templates/, and the theme.

    The Word styles come from `--reference-docx`, else the first reference.docx on the template
    path, else the built-in one.
    """
    dirs = search_path(template_dirs, pack.workspace)
    if reference_docx is None:
        for folder in dirs:
            if (folder / "reference.docx").is_file():
                reference_docx = folder / "reference.docx"
                break
            files.remember(folder / "reference.docx", None)  # looked for: adding one later makes the DOCX stale
        parent = real_path(reference_docx.parent) if reference_docx is not None else None
        if reference_docx is not None and parent is not None and not real_path(reference_docx).is_relative_to(parent):
            # Its styles, headers and footers go into every DOCX: a link out of the folder is refused.
            raise TeachpackError(f"{reference_docx}: a link to a file outside {reference_docx.parent}; "
                                 "copy the reference .docx into the folder instead")
    return m.Styling(dirs, reference_docx, pack.theme, pdf_variant, braille_grade)


def resolve(pack: Pack, level: Level, edition: str = "student", variant: int = 0, variants: int = 1,
            look: m.Styling | None = None) -> m.Document:
    """Choose what `level` prints and shape it into components, in the pack's order.

    Each part is built by its registered kind (components/registry.py). `variant` (0 for Form A)
    reseeds every generated activity; the teacher edition adds an overview first and the answer key last.
    """
    file = pack.file
    words = labels_for(file.language, file.labels)
    plain_sections = level_sections(pack, level)
    printed = section_text(plain_sections)
    glossary = _level_glossary(file.glossary, level, printed)
    material = Material(plain_sections, glossary, _timeline(file, level, printed, section_text(pack.article.sections)),
                        _asked(file.worksheet, level))
    sections = tuple(
        _absolute_figures(s, pack.article_path.parent) for s in bold_first_use(plain_sections, glossary)
    )
    warnings: list[Problem] = []

    # The worksheets with an item that the timeline page, or the glossary page, would answer.
    tested: dict[str, set[str]] = {"timeline": set(), "glossary": set()}
    tested["flashcards"] = tested["glossary"]  # the cards print each term with its definition too

    def worksheet(name: str, title: str, specs: Iterable[Any]) -> Worksheet:
        specs = list(specs)
        built = Worksheet(name, title, _items(pack, level, material, variant, specs, warnings, words))
        built_types = {item.type for item in built.items}
        printed = [s for s in specs if _for_level(s.levels, level)
                   and (isinstance(s, QuestionSpec) or s.type in built_types)]  # not an activity left out
        for page, answered in (("timeline", _answered_by_timeline), ("glossary", _answered_by_glossary)):
            if any(answered(s, material) for s in printed):
                tested[page].add(name)
        return built

    components: list[m.Component] = []
    for entry in file.contents:
        if isinstance(entry, CustomComponent):
            title = entry.title or entry.template.removesuffix(".html").replace("-", " ").capitalize()
            components.append(Custom(f"custom-{len(components) + 1}", title, entry.template, entry.data))
            continue
        name, options = component_entry(entry)
        if name in registry().items:  # a generated activity listed on its own, with default options
            spec = _default_activity(name)
            components.append(worksheet(f"activity-{name}", words[item_kind(name).title or name], [spec]))
            continue
        kind = component_kind(name)
        assert kind.build is not None  # contents: lists only buildable kinds (load/schema.py)
        components.append(kind.build(ComponentContext(pack, level, words, sections, material, options, worksheet)))
    components = _references_after_their_tests(components, tested)
    if edition == "teacher":
        components = _teacher_edition(file, components, sections, words, level, glossary)
    builtin = builtin_levels().get(level.id)
    shown = level_label(words, level.id, level.label, builtin.label if builtin else None)
    return m.Document(
        pack_id=pack.id,
        title=file.title,
        subtitle=file.subtitle,
        subject=file.subject,
        language=file.language,
        paper=file.paper,
        level=level if shown == level.label else level.model_copy(update={"label": shown}),
        edition=edition,
        base_dir=pack.root.resolve(),
        components=tuple(components),
        form=m.form_letter(variant, variants),
        styling=look or styling(pack),
        warnings=tuple(warnings),
        created=source_date(file.date),
        pack_file=display_path(pack.root / PACK_FILE),
        labels=words,
        teacher_parts=tuple(c.name for c in components if isinstance(c, (Overview, AnswerKey))),
    )


def _default_activity(name: str) -> Any:
    """An activity listed in `contents:` by name alone takes every option's default."""
    return TypeAdapter(WorksheetItem).validate_python({"type": name})


def _items(
    pack: Pack, level: Level, material: Material, variant: int, specs: Iterable[Any], warnings: list[Problem],
    words: dict[str, str],
) -> tuple[m.Item, ...]:
    """Number the level's questions and activities; an activity that cannot be built becomes a warning."""
    items: list[m.Item] = []
    for index, spec in enumerate(specs):
        if not _for_level(spec.levels, level):
            continue
        context = ItemContext(len(items) + 1, level, material, seeded(pack.id, level.id, variant, index), words,
                              variant)
        try:
            items.append(item_kind(spec.type).build(spec, context))
        except CannotBuild as why:
            warnings.append(Problem(display_path(pack.root / PACK_FILE), None, "", f"{pack.id}: level {level.id}: "
                                    f"worksheet item {index + 1} ({spec.type}) left out: {why}", "TP201"))
    return tuple(items)


def _teacher_edition(
    file: PackFile, components: list[m.Component], sections: tuple[m.Section, ...], words: dict[str, str],
    level: Level, glossary: tuple[GlossaryEntry, ...],
) -> list[m.Component]:
    worksheets = [c for c in components if isinstance(c, Worksheet) and c.items]
    generated = [
        (item.heading, item_count(item))
        for sheet in worksheets for item in sheet.items if item_kind(item.type).generated
    ]
    written = sum(not item_kind(item.type).generated for sheet in worksheets for item in sheet.items)
    activities = tuple(generated + ([(words["written_questions"], written)] if written else []))
    notes = file.teacher
    overview = Overview(
        "overview",
        words["teacher_overview"],
        tuple(s.title for s in sections),
        activities,
        tuple(sorted((e.term for e in glossary), key=str.casefold)),  # the level's own glossary
        notes.objectives,
        # A standard given with levels: is listed only for those ("C3 D2.His.14.6-8" for middle school).
        tuple(s if isinstance(s, str) else s.code for s in notes.standards
              if isinstance(s, str) or _for_level(s.levels, level)),
        notes.timing,
        notes.discussion,
    )
    cover_first = components[:1] if components and components[0].name == "cover" else []
    rest = components[len(cover_first) :]
    key = [AnswerKey("answer-key", words["answer_key"], tuple((c.title, c.items) for c in worksheets))]
    return [*cover_first, overview, *rest, *(key if worksheets else [])]


def level_sections(pack: Pack, level: Level) -> tuple[m.Section, ...]:
    """The sections a level prints: its rewrite of a section where it has one, else the original."""
    sections = pack.article.sections
    if level.id in pack.level_articles:
        rewrites = {s.id: s for s in pack.level_articles[level.id].sections}
        sections = tuple(rewrites.get(s.id, s) for s in sections)
    wanted = pack.file.sections.get(level.id)
    if wanted is None:
        return sections
    return tuple(s for s in sections if s.id in set(wanted))


TESTS_TIMELINE = frozenset({"timeline-sequencing", "date-matching"})  # the timeline page gives their answers
# The glossary page prints each term beside its definition: the matching, and the crossword's answers to its
# clues; and every term a word search hides.
TESTS_GLOSSARY = frozenset({"vocabulary-matching", "crossword", "word-search"})


def _spec_text(spec: Any) -> str:
    """A written question's words, prompt and choices, casefolded."""
    return " ".join((spec.prompt, *getattr(spec, "choices", ()))).casefold()


def _asked(specs: Iterable[Any], level: Level) -> str:
    return "\n".join(_spec_text(s) for s in specs if isinstance(s, QuestionSpec) and _for_level(s.levels, level))


def _answered_by_timeline(spec: Any, material: Material) -> bool:
    """An activity that asks for the timeline's order or dates, or a written question that names one of its
    events (the page prints the event's date): unless marked `open_book: true`."""
    if getattr(spec, "open_book", False):
        return False
    if isinstance(spec, QuestionSpec):
        text = _spec_text(spec)
        return any(e.title.casefold() in text for e in material.timeline)
    return spec.type in TESTS_TIMELINE


def _answered_by_glossary(spec: Any, material: Material) -> bool:
    """Vocabulary matching, a crossword or a word search, or a written question whose choices include a
    glossary definition ("which meaning fits this sentence?"): unless marked `open_book: true`."""
    if getattr(spec, "open_book", False):
        return False
    if isinstance(spec, QuestionSpec):
        definitions = {e.definition.casefold() for e in material.glossary if e.definition}
        return any(c.casefold() in definitions for c in getattr(spec, "choices", ()))
    return spec.type in TESTS_GLOSSARY


def _references_after_their_tests(components: list[m.Component], tested: dict[str, set[str]]) -> list[m.Component]:
    """A handout does not print an answer before its question: the timeline page, the glossary page and the
    flashcards each move to just after the last worksheet they would answer, keeping their order between
    themselves (an item's `open_book: true` keeps the order as listed)."""
    out = list(components)
    names = [c.name for c in components]
    for page in sorted(tested, key=lambda p: -names.index(p) if p in names else 0):  # the later page first
        at = next((i for i, c in enumerate(out) if c.name == page), None)
        later = [i for i, c in enumerate(out) if c.name in tested[page] and at is not None and i > at]
        if at is None or not later:
            continue
        moving = out.pop(at)
        out.insert(later[-1], moving)  # after the last one: its index shifted down by one
    return out


def section_text(sections: Iterable[m.Section]) -> str:
    """The words the sections print: paragraphs, subheadings, list items and quotes."""
    out: list[str] = []
    for section in sections:
        out.append(section.title)
        for block in section.blocks:
            if isinstance(block, m.Paragraph | m.Subheading):
                out.append("".join(r.text for r in block.runs))
            elif isinstance(block, m.ListBlock):
                out += ["".join(r.text for r in item) for item in block.items]
            elif isinstance(block, m.Quote):
                out += ["".join(r.text for r in p) for p in block.paragraphs]
    return "\n".join(out)


def _level_glossary(entries: Iterable[GlossaryEntry], level: Level, printed: str) -> tuple[GlossaryEntry, ...]:
    """The entries the level's own text uses (the term or one of its forms) and its `levels:` allow, with
    the definition in the level's wording: a level never defines, matches or blanks a word it does not print."""
    entries = [e for e in entries if _for_level(e.levels, level)]
    used = TermIndex(entries).used(printed)
    return tuple(e.model_copy(update={"definition": e.for_level(level)}) for e in entries if e.term in used)


def _for_level(levels: tuple[str, ...] | None, level: Level) -> bool:
    return levels is None or level.id in levels


def _timeline(file: PackFile, level: Level, printed: str, article: str) -> tuple[m.TimelineItem, ...]:
    """The events the level's `levels:` allow, less those whose year the article gives only in what
    this level does not print (an event from a section the level leaves out)."""
    events = [e for e in file.timeline.events if _for_level(e.levels, level)
              and not (str(e.date.start.year) in article and str(e.date.start.year) not in printed)]
    events.sort(key=lambda e: e.date.sort_key())
    return tuple(m.TimelineItem(e.date, e.title, e.detail) for e in events)


def bold_first_use(sections: tuple[m.Section, ...], glossary: Iterable[GlossaryEntry]) -> tuple[m.Section, ...]:
    """Mark the first appearance of each glossary term (or one of its forms) in reading order.

    One pass over the article however many terms: O(n + k * L + m log m) (TermIndex.first_uses).
    """
    pending = TermIndex(glossary)

    def mark(runs: m.Runs) -> m.Runs:
        out: list[m.Run] = []
        for run in runs:
            out.extend(_split_run(run, pending))
        return tuple(out)

    result = []
    for section in sections:
        blocks: list[m.Block] = []
        for block in section.blocks:
            if isinstance(block, m.Paragraph):
                blocks.append(m.Paragraph(mark(block.runs)))
            elif isinstance(block, m.ListBlock):
                blocks.append(m.ListBlock(block.ordered, tuple(mark(item) for item in block.items), block.start))
            elif isinstance(block, m.Quote):
                blocks.append(m.Quote(tuple(mark(p) for p in block.paragraphs)))
            else:
                blocks.append(block)
        result.append(m.Section(section.id, section.title, tuple(blocks)))
    return tuple(result)


def _split_run(run: m.Run, pending: TermIndex) -> list[m.Run]:
    """The run cut around the terms it uses first; those terms leave `pending`. One pass (TermIndex.first_uses)."""
    if run.code or run.href or run.line_break or not pending:
        return [run]
    pieces, done = [], 0
    for start, end, _ in pending.first_uses(run.text):
        if start > done:
            pieces.append(m.Run(run.text[done:start], run.bold, run.italic))
        pieces.append(m.Run(run.text[start:end], True, run.italic, term=True))
        done = end
    if not pieces:
        return [run]
    if done < len(run.text):
        pieces.append(m.Run(run.text[done:], run.bold, run.italic))
    return pieces


def _absolute_figures(section: m.Section, base: Path) -> m.Section:
    blocks = tuple(
        m.Figure((base / b.path).resolve(), b.alt, b.caption) if isinstance(b, m.Figure) else b for b in section.blocks
    )
    return m.Section(section.id, section.title, blocks)
