"""The schema of pack.yaml and teachpack.yaml: pydantic models that validate them key by key.

docs/pack-format.md documents every key; messages.py words a model's errors for the teacher.
"""

from __future__ import annotations

import datetime as dt
import re
import typing
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeAlias

from pydantic import BaseModel, Field, create_model, field_validator

from builder.components.registry import listable_components, registry
from builder.core.dates import DateSpan, parse_date
from builder.core.fields import Line, SpecModel, Text
from builder.core.levels import FontName, Level

COMPONENTS = ("cover", "article", "glossary", "timeline", "worksheet")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ID_MAX = 100  # with a level, a preset and an edition, a file name stays under the 255 bytes disks allow


_Model = SpecModel

# A word (characters without a space) longer than this is refused in an article: WeasyPrint breaks
# a word too long for the line in time that grows with the cube of its length (10,000 letters: 5 s).
WORD_MAX = 200


class GlossaryEntry(_Model):
    term: Text
    definition: str = ""  # empty in a draft: `teachpack check` lists it as still to write
    simple: Text | None = None  # for levels whose profile asks for simple wording
    level_definitions: dict[str, Text] = {}  # a level's own wording, over both of the above
    forms: tuple[Text, ...] = ()
    # Set by `teachpack import` ("wordnet") when it drafted the definition from a dictionary:
    # `teachpack check` lists the entry until the teacher has read it and deleted this key.
    drafted: Line | None = None
    levels: tuple[str, ...] | None = None  # the levels that print the entry (each also needs the word)

    def for_level(self, level: Level) -> str:
        if level.id in self.level_definitions:
            return self.level_definitions[level.id]
        return self.simple if level.definitions == "simple" and self.simple else self.definition


class Event(_Model):
    date: DateSpan
    title: Text
    detail: Text | None = None
    levels: tuple[str, ...] | None = None

    @field_validator("date", mode="before")
    @classmethod
    def _parse(cls, value: Any) -> DateSpan:
        if isinstance(value, DateSpan):
            return value
        if isinstance(value, dt.date):  # YAML reads an unquoted 1950-02-14 as a date
            value = value.isoformat()
        if isinstance(value, int):
            value = str(value)
        if not isinstance(value, str):
            raise ValueError('must be a date such as "1950", "1950-02-14" or "1958-1960"')
        return parse_date(value)


class Timeline(_Model):
    title: Text | None = None
    events: tuple[Event, ...] = ()


# --- Worksheet items and listable components: from the registry (components/registry.py). --------


def _item_specs() -> Any:
    """pack.yaml's worksheet entry: one of the registered item kinds' specs, told apart by `type`."""
    specs = tuple(kind.spec for kind in registry().items.values())
    return Annotated[typing.Union[specs], Field(discriminator="type")]  # noqa: UP007 - a union built at run time


ITEM_TYPES: tuple[str, ...] = tuple(registry().items)
ACTIVITY_TYPES: tuple[str, ...] = tuple(t for t, kind in registry().items.items() if kind.generated)
QUESTION_TYPES: tuple[str, ...] = tuple(t for t in ITEM_TYPES if t not in ACTIVITY_TYPES)


def _component_names() -> Any:
    """A `contents:` entry that is only a name: one of the listable components'."""
    return Literal[listable_components()]


def _option_entries() -> tuple[type[BaseModel], ...]:
    """`- <name>: {options}` in contents:, one model per registered component that takes options."""
    return tuple(
        create_model(f"{kind.node.__name__}Entry", __base__=SpecModel,
                     options=(kind.options, Field(alias=name)))
        for name, kind in registry().components.items() if kind.listable and kind.options is not None
    )


_OPTION_ENTRIES = _option_entries()


def component_entry(entry: Any) -> tuple[str, BaseModel | None]:
    """A `contents:` entry (a name, or a name with its options) as (name, options or None)."""
    if isinstance(entry, str):
        kind = registry().components.get(entry)
        return entry, kind.options() if kind is not None and kind.options is not None else None
    name = next(iter(type(entry).model_fields.values())).alias
    assert name is not None
    return name, entry.options


class Standard(_Model):
    """A standard that only some levels teach: `{code: C3 D2.His.14.6-8, levels: [middle]}`."""

    code: Text
    levels: tuple[str, ...] | None = None


class TeacherNotes(_Model):
    """Shown only in the teacher edition's overview."""

    objectives: tuple[Text, ...] = ()
    standards: tuple[Text | Standard, ...] = ()
    timing: Text | None = None
    discussion: tuple[Text, ...] = ()


Color = Annotated[str, Field(pattern=r"^#[0-9a-fA-F]{6}$")]


class ThemeColors(_Model):
    primary: Color | None = None  # headings, rules, the cover title
    accent: Color | None = None  # teacher-only text: edition mark, answers
    text: Color | None = None
    background: Color | None = None
    highlight: Color | None = None  # the level badge and table headers


class ThemeFonts(_Model):
    body: FontName | None = None
    heading: FontName | None = None
    fallback: tuple[FontName, ...] = ()  # fonts for characters the others lack, e.g. [WenQuanYi Micro Hei]


class ThemeFile(_Model):
    """A school's or district's look: name, logo, colours and fonts, for the PDF and the DOCX."""

    school: Line | None = None
    logo: Text | None = None  # PNG or JPEG, relative to the file that names it
    colors: ThemeColors = ThemeColors()
    fonts: ThemeFonts = ThemeFonts()


class CustomComponent(_Model):
    """A component that is only a template in the workspace: `- template: map-activity.html`."""

    template: str = Field(pattern=r"^[\w.-]+\.html$")
    title: Text | None = None
    data: dict[str, Any] = {}


# The types pydantic validates with are made at run time from the registry (plugins add to them), so
# a type checker cannot know them: it sees the static types they always fall within.
if TYPE_CHECKING:
    WorksheetItem: TypeAlias = Any  # one of the registered item kinds' specs (ItemKind.spec)
    ComponentName: TypeAlias = str
    ContentsEntry: TypeAlias = str | CustomComponent | BaseModel  # a name, a template, a name with options
else:
    WorksheetItem = _item_specs()
    ComponentName = _component_names()
    ContentsEntry = typing.Union[(ComponentName, CustomComponent, *_OPTION_ENTRIES)]  # noqa: UP007 - made at run time


class PackFile(_Model):
    """The keys of pack.yaml, as documented in docs/pack-format.md."""

    format: Literal[1] = 1
    id: str | None = Field(default=None, pattern=SLUG.pattern, max_length=ID_MAX)  # part of every file name
    title: Line
    subtitle: Line | None = None
    subject: Line
    language: str = Field(default="en", pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
    paper: Literal["letter", "a4"] = "letter"
    article: Text
    attribution: Text | None = None
    sources: tuple[Text, ...] = ()
    date: dt.date | None = None  # the files' creation date; SOURCE_DATE_EPOCH overrides it
    levels: tuple[str, ...] = Field(min_length=1)
    sections: dict[str, tuple[str, ...]] = {}
    contents: tuple[ContentsEntry, ...] = COMPONENTS
    glossary: tuple[GlossaryEntry, ...] = ()
    timeline: Timeline = Timeline()
    worksheet: tuple[WorksheetItem, ...] = ()
    teacher: TeacherNotes = TeacherNotes()
    profiles: dict[str, dict[str, Any]] = {}  # level profile overrides and custom levels
    theme: ThemeFile = ThemeFile()
    corrections: dict[str, str] = {}
    dictionary: tuple[Text, ...] = ()
    labels: dict[str, Text] = {}  # printed words replaced, over the language's (assets/labels/, labels.py)
    # What `teachpack import` could not settle ("the page says it is page 1 of 5"); `check` lists each
    # until the teacher deletes it.
    import_warnings: tuple[Text, ...] = ()


class WorkspaceFile(_Model):
    """teachpack.yaml beside the pack folders: settings every pack of the workspace shares."""

    profiles: dict[str, dict[str, Any]] = {}
    theme: ThemeFile = ThemeFile()
