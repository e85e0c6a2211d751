"""The neutral document model between resolve and render: no HTML, no DOCX, only content.

Both renderers read the same `Document`, so the PDF and the DOCX of one pack cannot drift apart.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from builder.core.dates import DateSpan
from builder.core.errors import Problem
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
class Item:
    """A numbered worksheet item. Its `type` names its kind in the registry (components/registry.py),
    which knows its template, DOCX writer, answer-key lines and count; each kind's node extends this."""

    number: int
    type: str

    @property
    def heading(self) -> str:
        """What the answer key repeats to name the item: a question's prompt, an activity's title."""
        raise NotImplementedError(type(self).__name__)


@dataclass(frozen=True)
class Activity(Item):
    """A generated activity's node: its title and instructions print before its body."""

    title: str
    instructions: str

    @property
    def heading(self) -> str:
        return self.title

    @property
    def lead(self) -> str:
        """The title as the sentence that opens the item: "Matching." but "True or false?", never "?."."""
        return self.title if self.title.endswith((".", "?", "!", ":", "…")) else f"{self.title}."


@dataclass(frozen=True)
class Component:
    """One part of the pack, in print order. Its node class names its kind in the registry;
    `name` is this part's own id (the HTML anchor), `title` its heading."""

    name: str
    title: str


LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # choice, option and form letters, in print order


def form_letter(variant: int, variants: int) -> str | None:
    """"A", "B", ... for variant 0, 1, ... when several forms are built; None for a single form."""
    return LETTERS[variant] if variants > 1 else None


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
    braille_grade: int = 2  # Unified English Braille grade 2 (contracted) or 1 (uncontracted); see render.brf


@dataclass(frozen=True)
class PageHints:
    """What a measured layout of a document decided about its pages (render/pdf/measure.py), for the PDF's
    templates: the parts that begin on the page before them (under what ends there, when that page was
    less than half full), the glossary's entries per page, (left column, right column), and the order of
    the parts. Empty: the first layout, from estimates."""

    flow: tuple[str, ...] = ()
    glossary: tuple[tuple[int, int], ...] | None = None
    # The parts in the PDF's order, when a one-page part moves up into a page that would be left blank (the
    # page before flashcards, which begin on a right-hand page); None: the resolved order.
    order: tuple[str, ...] | None = None
    # Worksheets whose items print in another order to fill the gaps page breaks leave, numbered again in
    # it: (worksheet name, the items' indexes as resolved, in print order).
    items: tuple[tuple[str, tuple[int, ...]], ...] = ()


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
    warnings: tuple[Problem, ...] = ()  # activities that could not be built, and why (TP201)
    created: dt.datetime = DEFAULT_DATE  # the one date a file carries: never the clock (reproducible.py)
    pack_file: str = "pack.yaml"  # the pack's pack.yaml as the user names it, for warnings about the document
    labels: dict[str, str] = field(default_factory=english, hash=False)  # the printed words (labels.py)
    # The teacher edition's own parts (its overview and answer key), by name: every other part is the student
    # edition's, and its PDF reuses the student edition's pages around the teacher's own (T1, T2, ...).
    teacher_parts: tuple[str, ...] = ()
    hints: PageHints = PageHints()  # set by the PDF renderer from a first layout; the DOCX paginates itself

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

    def student_pages(self) -> Document:
        """The student edition this teacher edition holds: its pages print in the teacher edition as they are."""
        return dataclasses.replace(self, edition="student", teacher_parts=(),
                                   components=tuple(c for c in self.components if c.name not in self.teacher_parts))

    def page_runs(self) -> list[str]:
        """Which run of pages each part is on: "all" in a student edition; in a teacher edition "front" (the
        cover and overview: T1, T2, ...), "student" (the student edition's parts, with its page numbers) and
        "back" (the answer key). Both renderers lay a teacher edition out in these runs."""
        names = [c.name for c in self.components]
        if not self.teacher_parts:
            return ["all"] * len(names)
        own = [name in self.teacher_parts or (i == 0 and name == "cover") for i, name in enumerate(names)]
        first = next((i for i, mine in enumerate(own) if not mine), len(names))
        return ["student" if not mine else "front" if i < first else "back" for i, mine in enumerate(own)]

    @property
    def marked(self) -> bool:
        """Whether the cover and header name the edition (anything but a plain student copy)."""
        return self.edition == "teacher" or bool(self.form or self.level.preset)

