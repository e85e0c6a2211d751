"""The neutral document model between resolve and render: no HTML, no DOCX, only content.

Both renderers read the same `Document`, so the PDF and the DOCX of one pack cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .dates import DateSpan
from .levels import Level


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
    number: int
    type: str
    prompt: str
    choices: tuple[str, ...] = ()
    lines: int = 0
    answer: str = ""
    rubric: tuple[str, ...] = ()


@dataclass(frozen=True)
class Component:
    """One part of the pack, in print order. `name` picks the template and the DOCX writer."""

    name: str
    title: str


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
    questions: tuple[Question, ...]


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

    @property
    def stem(self) -> str:
        return f"{self.pack_id}-{self.level.id}-{self.edition}"
