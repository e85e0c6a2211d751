"""What a component or worksheet item kind declares, in one place: the API for built-in and plugin kinds.

A kind is one module that makes one `ComponentKind` or `ItemKind`: its pack.yaml spec, its model
node, how it is built for a resolved level, its answer-key lines and item count (items), its HTML
template, its DOCX writer and its braille writer. `registry.py` collects them; the load, resolve and
render stages ask the registry for a kind and never switch on one. (Resolve makes the teacher
edition's overview and answer key itself, from the parts it has built.) The braille writer may be
missing (a plugin's kind, the teacher-only parts): a build asking for the braille of a document
holding such a part fails before anything is written.
"""

from __future__ import annotations

import builtins
import hashlib
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, Field

from builder.core.fields import Line, SpecModel, Text
from builder.core.levels import Level
from builder.model import Component, Item, Section, TimelineItem

if TYPE_CHECKING:
    from builder.render.brf.renderer import BrfWriter
    from builder.render.docx.writer import DocxWriter

Words = Mapping[str, str]  # the pack's labels: every printed instruction and title


class CannotBuild(Exception):
    """The pack's content cannot make this item at this level; the message says why and what to do."""


@dataclass(frozen=True)
class Material:
    """What a level's items may draw on: only what that level prints."""

    sections: tuple[Section, ...]
    glossary: tuple[Any, ...]  # GlossaryEntry (load/schema.py), each with the definition in the level's wording
    timeline: tuple[TimelineItem, ...]
    # The level's written questions (prompts and choices), casefolded: an activity does not pick an event
    # a question asks about, whose answer would then be printed beside the question.
    asked: str = ""


@dataclass(frozen=True)
class ItemContext:
    """Everything an item's `build` may use: its number, the level, its material and a seeded generator."""

    number: int
    level: Level
    material: Material
    rng: random.Random
    words: Words
    variant: int = 0  # 0 for Form A; later forms may reshuffle


def seeded(*parts: object) -> random.Random:
    """A generator seeded from the parts' text (never Python's salted hash): same pack, same worksheet."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


class QuestionSpec(SpecModel):
    """An author-written question in pack.yaml's `worksheet:`."""

    prompt: Text
    levels: tuple[str, ...] | None = None
    # Set by `teachpack import` ("import") on a question it drafted; `check` lists it until deleted.
    drafted: Line | None = None
    # The handout may print the answer elsewhere (the year on the timeline page): see ActivitySpec.
    open_book: bool = False


class ActivitySpec(SpecModel):
    """A generated activity: built from the glossary, timeline or article, never typed out."""

    title: Text | None = None
    count: int | None = Field(default=None, ge=2, le=30)  # default: the level's items per activity
    levels: tuple[str, ...] | None = None
    # The handout may print the answers before the activity (the timeline page before sequencing):
    # the class is meant to look them up.
    open_book: bool = False


@dataclass(frozen=True)
class ItemKind:
    """One kind of worksheet item. `spec` has `type: Literal["<type>"]`; `build` returns a `node`
    (a subclass of model.Item) or raises CannotBuild."""

    type: str
    spec: builtins.type[BaseModel]  # builtins: `type` is the field above in this class's annotations
    node: builtins.type[Item]
    build: Callable[[Any, ItemContext], Item]
    answers: Callable[[Any, Words], list[str]]  # the answer key's lines, in the pack's words
    count: Callable[[Any], int]  # how many things a student answers, for the teacher's overview
    template: str  # the HTML file printing the item's body (a macro `body(q)`), on the template path
    docx: Callable[[DocxWriter, Any], None]  # writes the item's body after its numbered prompt
    generated: bool = False  # an activity: may also be listed alone in `contents:`
    title: str | None = None  # the label key of a generated activity's title
    labels: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # language -> key -> words it adds
    templates: Path | None = None  # a plugin's own template folder, searched after the built-in one
    # Writes the item's body after its numbered prompt in braille; None: the braille file cannot print it
    # (a build asking for braille says so before writing anything).
    brf: Callable[[BrfWriter, Any], None] | None = None
    # What the answer key prints of the item after its lines (a puzzle's solved grid): an HTML file (a macro-free
    # template seeing `q`, on the template path) and a DOCX writer; None: the lines are the whole key.
    key_template: str | None = None
    key_docx: Callable[[DocxWriter, Any], None] | None = None


@dataclass(frozen=True)
class ComponentContext:
    """What a component's `build` may use: the pack, the level and what resolve made of them."""

    pack: Any  # load.Pack
    level: Level
    words: Words
    sections: tuple[Section, ...]  # the level's sections, glossary terms marked at first use
    material: Material
    options: BaseModel | None  # the component's options from `contents:`, or None
    items: Callable[[str, str, Any], Component]  # (name, title, item specs) -> a numbered worksheet


@dataclass(frozen=True)
class ComponentKind:
    """One part of a pack. `build` is None for parts resolve makes itself (the teacher's overview and
    answer key); `options` is the model of `- <name>: {...}` in `contents:` when it takes any."""

    name: str
    node: type[Component]
    template: str  # the HTML file, on the template path
    docx: Callable[[DocxWriter, Any], None]
    build: Callable[[ComponentContext], Component] | None = None
    options: type[BaseModel] | None = None
    stylesheet: str | None = None  # a CSS file on the template path, added to the PDFs that print this part
    labels: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    templates: Path | None = None
    # What of its templates the DOCX uses too (everything else is PDF only; `teachpack templates list` says
    # which): blocks of `template` whose printed words the DOCX writes (DocxWriter.block_words), and an SVG
    # template the PDF includes that the DOCX embeds as a picture (DocxWriter.drawing).
    docx_blocks: tuple[str, ...] = ()
    drawing: str | None = None
    brf: Callable[[BrfWriter, Any], None] | None = None  # writes it in braille; None: it has no braille (ItemKind.brf)
    # Whether, in the PDF, it may begin on the page the part before it ends on when that page is less than a
    # third full (render/pdf/measure.py): "never" (it begins a page), "whole" (only when it fits there whole)
    # or "anywhere" (it may break over the pages that follow).
    begins_under: Literal["never", "whole", "anywhere"] = "never"
    ends_page: bool = False  # nothing begins on its last page (a cover, cards to cut out)

    @property
    def listable(self) -> bool:
        """Whether `contents:` may name it."""
        return self.build is not None
