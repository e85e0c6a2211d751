"""The neutral document model between resolve and render: no HTML, no DOCX, only content.

Both renderers read the same `Document`, so the PDF and the DOCX of one pack cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from builder.core.dates import DateSpan
from builder.core.labels import english, preset_label
from builder.core.levels import Level
from builder.core.reproducible import DEFAULT_DATE


@dataclass(frozen=True)
class Run:
    """A stretch of text with one look. `term` marks a glossary term at its first use."""

    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False
    term: bool = False
    href: str | None = None
    line_break: bool = False


Runs = tuple[Run, ...]


@dataclass(frozen=True)
class Paragraph:
    runs: Runs
    kind: str = field(default="paragraph", init=False)


@dataclass(frozen=True)
class Subheading:
    runs: Runs
    kind: str = field(default="subheading", init=False)


@dataclass(frozen=True)
class ListBlock:
    ordered: bool
    items: tuple[Runs, ...]
    start: int = 1
    kind: str = field(default="list", init=False)


@dataclass(frozen=True)
class Quote:
    paragraphs: tuple[Runs, ...]
    kind: str = field(default="quote", init=False)


@dataclass(frozen=True)
class Figure:
    path: Path
    alt: str
    caption: str | None
    kind: str = field(default="figure", init=False)


Block = Paragraph | Subheading | ListBlock | Quote | Figure


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class GlossaryItem:
    term: str
    definition: str


@dataclass(frozen=True)
class TimelineItem:
    span: DateSpan
    title: str
    detail: str | None


@dataclass(frozen=True)
class Question:
    """An author-written question; `answer` is what the key prints."""

    number: int
    type: str
    prompt: str
    choices: tuple[str, ...] = ()
    lines: int = 0
    answer: str = ""
    rubric: tuple[str, ...] = ()
    kind: str = field(default="question", init=False)


@dataclass(frozen=True)
class Matching:
    """Numbered prompts against lettered options (vocabulary or dates)."""

    number: int
    type: str
    title: str
    instructions: str
    prompts: tuple[str, ...]
    options: tuple[str, ...]
    answers: tuple[int, ...]  # for each prompt, the index of its option
    kind: str = field(default="matching", init=False)


Blank = int  # a cloze blank, numbered from 1


@dataclass(frozen=True)
class Cloze:
    number: int
    type: str
    title: str
    instructions: str
    sentences: tuple[tuple[str | Blank, ...], ...]
    bank: tuple[str, ...]  # empty when the level has no word bank
    answers: tuple[str, ...]  # the word removed from each blank
    kind: str = field(default="cloze", init=False)


@dataclass(frozen=True)
class Sequencing:
    number: int
    type: str
    title: str
    instructions: str
    events: tuple[str, ...]  # in the shuffled order printed
    answers: tuple[int, ...]  # each printed event's place in time, from 1
    dates: tuple[str, ...]  # each printed event's date, for the key
    kind: str = field(default="sequencing", init=False)


@dataclass(frozen=True)
class FactCheck:
    number: int
    type: str
    title: str
    instructions: str
    statements: tuple[str, ...]
    answers: tuple[bool, ...]
    notes: tuple[str, ...]  # for the key: the true fact behind each statement
    kind: str = field(default="fact-check", init=False)


@dataclass(frozen=True)
class SourceQuote:
    quote: str
    speaker: str
    context: str  # the rest of the attribution: where and when
    section: str  # the article section it comes from


@dataclass(frozen=True)
class SourceAnalysis:
    number: int
    type: str
    title: str
    instructions: str
    sources: tuple[SourceQuote, ...]
    prompts: tuple[str, ...]
    lines: int
    kind: str = field(default="source-analysis", init=False)


Item = Question | Matching | Cloze | Sequencing | FactCheck | SourceAnalysis


@dataclass(frozen=True)
class Component:
    """One part of the pack, in print order. `name` picks the template and the DOCX writer."""

    name: str
    title: str

    @property
    def template(self) -> str:
        return f"{self.name}.html"


@dataclass(frozen=True)
class Cover(Component):
    pass


@dataclass(frozen=True)
class Article(Component):
    sections: tuple[Section, ...]
    attribution: str | None
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Glossary(Component):
    items: tuple[GlossaryItem, ...]


@dataclass(frozen=True)
class Timeline(Component):
    items: tuple[TimelineItem, ...]


@dataclass(frozen=True)
class Worksheet(Component):
    """Numbered items: author-written questions and generated activities, in the pack's order."""

    items: tuple[Item, ...]

    @property
    def template(self) -> str:
        return "worksheet.html"  # activities listed in `contents:` on their own share it


@dataclass(frozen=True)
class Custom(Component):
    """A workspace template listed in `contents:`, with the data the pack gives it (PDF only)."""

    template_name: str
    data: dict[str, object] = field(default_factory=dict, hash=False)

    @property
    def template(self) -> str:
        return self.template_name


@dataclass(frozen=True)
class Overview(Component):
    """The teacher edition's first page: what the pack holds and the teacher's notes."""

    sections: tuple[str, ...]
    activities: tuple[tuple[str, int], ...]  # (title, item count)
    terms: tuple[str, ...]
    objectives: tuple[str, ...]
    standards: tuple[str, ...]
    timing: str | None
    discussion: tuple[str, ...]


@dataclass(frozen=True)
class AnswerKey(Component):
    """Every answer of every worksheet in the document, grouped by worksheet title."""

    groups: tuple[tuple[str, tuple[Item, ...]], ...]


def form_letter(variant: int, variants: int) -> str | None:
    """"A", "B", ... for variant 0, 1, ... when several forms are built; None for a single form."""
    return _LETTERS[variant] if variants > 1 else None


def output_stem(pack_id: str, level: Level, edition: str, form: str | None) -> str:
    """The output file name without suffix, e.g. sino-soviet-split-middle-teacher-large-print-form-b."""
    suffix = f"-form-{form.lower()}" if form and form != "A" else ""
    preset = f"-{level.preset}" if level.preset else ""
    return f"{pack_id}-{level.id}-{edition}{preset}{suffix}"


DEFAULT_COLORS = {"primary": "#1d3f57", "accent": "#8a3b12", "text": "#111111", "background": "#ffffff",
                  "highlight": "#e4eef5"}


@dataclass(frozen=True)
class Theme:
    """A school's look. Colours not given keep teachpack's own (DEFAULT_COLORS)."""

    school: str | None = None
    logo: Path | None = None
    colors: tuple[tuple[str, str], ...] = ()
    body_font: str | None = None
    heading_font: str | None = None
    fallback_fonts: tuple[str, ...] = ()  # after the level's or theme's fonts, for characters they lack

    @property
    def palette(self) -> dict[str, str]:
        return {**DEFAULT_COLORS, **dict(self.colors)}


@dataclass(frozen=True)
class Styling:
    """Where a document's look comes from, beyond its level: templates, Word styles, theme."""

    template_dirs: tuple[Path, ...] = ()  # searched before the built-in templates
    reference_docx: Path | None = None  # None: the built-in templates/reference.docx
    theme: Theme = Theme()
    pdf_variant: str = "pdf/ua-1"  # WeasyPrint's PDF variant ("none": untagged); see render.PDF_VARIANTS


@dataclass(frozen=True)
class Document:
    """Everything one output file shows: one pack at one level, in one edition."""

    pack_id: str
    title: str
    subtitle: str | None
    subject: str
    language: str
    paper: str
    level: Level
    edition: str
    base_dir: Path
    components: tuple[Component, ...]
    form: str | None = None  # "A", "B", ... when several variants are built
    styling: Styling = Styling()
    warnings: tuple[str, ...] = ()  # activities that could not be built, and why
    created: dt.datetime = DEFAULT_DATE  # the one date a file carries: never the clock (reproducible.py)
    pack_file: str = "pack.yaml"  # the pack's pack.yaml as the user names it, for warnings about the document
    labels: dict[str, str] = field(default_factory=english, hash=False)  # the printed words (labels.py)

    @property
    def stem(self) -> str:
        return output_stem(self.pack_id, self.level, self.edition, self.form)

    @property
    def edition_label(self) -> str:
        """"Teacher Edition", "Student Edition · Large print · Form B": what the cover and header say."""
        words = self.labels
        parts = [words["teacher_edition" if self.edition == "teacher" else "student_edition"]]
        if self.level.preset:
            parts.append(preset_label(words, self.level.preset))
        if self.form:
            parts.append(words["form"].format(form=self.form))
        return " \u00b7 ".join(parts)

    @property
    def marked(self) -> bool:
        """Whether the cover and header name the edition (anything but a plain student copy)."""
        return self.edition == "teacher" or bool(self.form or self.level.preset)


_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def answer_lines(item: Item, labels: Mapping[str, str] | None = None) -> list[str]:
    """The answer key's text for one worksheet item, a line each, in `labels` (English when not given):
    both renderers print these."""
    words = english() if labels is None else labels
    if isinstance(item, Question):
        return [item.answer] + ([words["rubric"].format(point=point) for point in item.rubric])
    if isinstance(item, Matching):
        return [
            "; ".join(
                f"{i}\u00a0\u2192\u00a0{_LETTERS[a]} ({item.prompts[i - 1]})"
                for i, a in enumerate(item.answers, start=1)
            )
        ]
    if isinstance(item, Cloze):
        return ["; ".join(f"({i})\u00a0{a}" for i, a in enumerate(item.answers, start=1))]
    if isinstance(item, Sequencing):
        return ["; ".join(f"{p}: {e} ({d})" for p, e, d in zip(item.answers, item.events, item.dates, strict=False))]
    if isinstance(item, FactCheck):
        return [f"{i}. {note}" for i, note in enumerate(item.notes, start=1)]
    assert isinstance(item, SourceAnalysis)
    return [
        words["source_answer"].format(
            speaker=s.speaker, context=s.context or words["see_the_reading"], section=s.section
        )
        for s in item.sources
    ]
