"""Stage 2, resolve: a Pack at one level and edition -> the neutral `Document`."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from . import model as m
from .article import parse_article
from .levels import Level
from .pack import ExtendedResponse, GlossaryEntry, MultipleChoice, Pack, PackFile, TrueFalse

COMPONENT_TITLES = {"cover": "Cover", "article": "Reading", "glossary": "Glossary",
                    "timeline": "Timeline", "worksheet": "Worksheet"}


def resolve(pack: Pack, level: Level, edition: str = "student") -> m.Document:
    """Choose what `level` prints and shape it into components, in the pack's order."""
    file = pack.file
    article_dir = pack.article_path.parent
    sections = _sections(pack, level)
    sections = bold_first_use(sections, file.glossary)
    sections = tuple(_absolute_figures(s, article_dir) for s in sections)
    builders = {
        "cover": lambda: m.Cover("cover", file.title),
        "article": lambda: m.Article("article", COMPONENT_TITLES["article"], sections, file.attribution, file.sources),
        "glossary": lambda: m.Glossary("glossary", COMPONENT_TITLES["glossary"], _glossary(file.glossary, level)),
        "timeline": lambda: m.Timeline("timeline", file.timeline.title or COMPONENT_TITLES["timeline"], _timeline(file, level)),
        "worksheet": lambda: m.Worksheet("worksheet", COMPONENT_TITLES["worksheet"], _questions(file, level)),
    }
    return m.Document(
        pack_id=pack.id,
        title=file.title,
        subtitle=file.subtitle,
        subject=file.subject,
        language=file.language,
        paper=file.paper,
        level=level,
        edition=edition,
        base_dir=pack.root.resolve(),
        components=tuple(builders[name]() for name in file.contents),
    )


def _sections(pack: Pack, level: Level) -> tuple[m.Section, ...]:
    sections = parse_article(pack.article_text).sections
    wanted = pack.file.sections.get(level.id)
    if wanted is None:
        return sections
    return tuple(s for s in sections if s.id in set(wanted))


def _glossary(entries: Iterable[GlossaryEntry], level: Level) -> tuple[m.GlossaryItem, ...]:
    def wording(entry: GlossaryEntry) -> str:
        return entry.simple if level.definitions == "simple" and entry.simple else entry.definition

    items = [m.GlossaryItem(e.term, wording(e)) for e in entries]
    return tuple(sorted(items, key=lambda item: item.term.casefold()))


def _for_level(levels: tuple[str, ...] | None, level: Level) -> bool:
    return levels is None or level.id in levels


def _timeline(file: PackFile, level: Level) -> tuple[m.TimelineItem, ...]:
    events = [e for e in file.timeline.events if _for_level(e.levels, level)]
    events.sort(key=lambda e: e.date.sort_key())
    return tuple(m.TimelineItem(e.date, e.title, e.detail) for e in events)


def _questions(file: PackFile, level: Level) -> tuple[m.Question, ...]:
    chosen = [q for q in file.worksheet if _for_level(q.levels, level)]
    out = []
    for number, q in enumerate(chosen, start=1):
        if isinstance(q, MultipleChoice):
            answer = f"{q.answer.upper()}. {q.choices[q.answer_index]}"
            out.append(m.Question(number, q.type, q.prompt, choices=q.choices, answer=answer))
        elif isinstance(q, TrueFalse):
            out.append(m.Question(number, q.type, q.prompt, answer="True" if q.answer else "False"))
        elif isinstance(q, ExtendedResponse):
            out.append(m.Question(number, q.type, q.prompt, lines=q.lines, answer=q.model_answer, rubric=q.rubric))
        else:
            out.append(m.Question(number, q.type, q.prompt, lines=q.lines, answer=q.answer))
    return tuple(out)


def bold_first_use(sections: tuple[m.Section, ...], glossary: Iterable[GlossaryEntry]) -> tuple[m.Section, ...]:
    """Mark the first appearance of each glossary term (or one of its forms) in reading order."""
    patterns = {}
    for entry in glossary:
        words = sorted({entry.term, *entry.forms}, key=len, reverse=True)
        alternatives = "|".join(re.escape(w) for w in words)
        patterns[entry.term] = re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.IGNORECASE)
    pending = dict(patterns)

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


def _split_run(run: m.Run, pending: dict[str, re.Pattern[str]]) -> list[m.Run]:
    if run.code or run.href or run.line_break or not pending:
        return [run]
    found = [(match.start(), -len(match.group()), term, match) for term, pattern in pending.items()
             if (match := pattern.search(run.text))]
    if not found:
        return [run]
    _, _, term, match = min(found)
    del pending[term]
    before, hit, after = run.text[: match.start()], match.group(), run.text[match.end():]
    pieces = [m.Run(before, run.bold, run.italic)] if before else []
    pieces.append(m.Run(hit, True, run.italic, term=True))
    if after:
        pieces.extend(_split_run(m.Run(after, run.bold, run.italic), pending))
    return pieces


def _absolute_figures(section: m.Section, base: Path) -> m.Section:
    blocks = tuple(
        m.Figure((base / b.path).resolve(), b.alt, b.caption) if isinstance(b, m.Figure) else b
        for b in section.blocks
    )
    return m.Section(section.id, section.title, blocks)
