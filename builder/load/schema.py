"""The schema of pack.yaml and teachpack.yaml: pydantic models that validate them key by key.

docs/pack-format.md documents every key; messages.py words a model's errors for the teacher.
"""

from __future__ import annotations

import datetime as dt
import re
import typing
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from builder.core.dates import DateSpan, parse_date
from builder.core.levels import FontName, Level

COMPONENTS = ("cover", "article", "glossary", "timeline", "worksheet")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ID_MAX = 100  # with a level, a preset and an edition, a file name stays under the 255 bytes disks allow


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


Text = Annotated[str, Field(min_length=1)]
# A title-like line (title, subtitle, subject, school): Word keeps at most 255 characters in a core
# property, and WeasyPrint's line breaking of one very long line takes minutes.
TITLE_MAX = 200
Line = Annotated[str, Field(min_length=1, max_length=TITLE_MAX)]
# A word (characters without a space) longer than this is refused in an article: WeasyPrint breaks
# a word too long for the line in time that grows with the cube of its length (10,000 letters: 5 s).
WORD_MAX = 200


class GlossaryEntry(_Model):
    term: Text
    definition: str = ""  # empty in a draft: `teachpack check` lists it as still to write
    simple: Text | None = None  # for levels whose profile asks for simple wording
    level_definitions: dict[str, Text] = {}  # a level's own wording, over both of the above
    forms: tuple[Text, ...] = ()

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


# --- Worksheet items: the question and activity specs, then the unions built from them. ---------
# Kept together (and WorksheetItem, ComponentName and ITEM_TYPES defined once, here) so the kinds
# can move into modules of their own with the unions built from a registry.


class _Question(_Model):
    prompt: Text
    levels: tuple[str, ...] | None = None


class ShortAnswer(_Question):
    type: Literal["short-answer"]
    answer: Text
    lines: int = Field(default=3, ge=1, le=20)


class MultipleChoice(_Question):
    type: Literal["multiple-choice"]
    choices: tuple[Text, ...] = Field(min_length=2, max_length=8)
    answer: str

    @model_validator(mode="after")
    def _answer_is_a_choice(self) -> MultipleChoice:
        letters = [chr(ord("A") + i) for i in range(len(self.choices))]
        if self.answer.upper() not in letters:
            raise ValueError(f"answer must be the letter of a choice: {', '.join(letters)}")
        return self

    @property
    def answer_index(self) -> int:
        return ord(self.answer.upper()) - ord("A")


class TrueFalse(_Question):
    type: Literal["true-false"]
    answer: bool


class ExtendedResponse(_Question):
    type: Literal["extended-response"]
    model_answer: Text
    rubric: tuple[Text, ...] = ()
    lines: int = Field(default=8, ge=1, le=30)


class _Activity(_Model):
    """A generated activity: built from the glossary, timeline or article, never typed out."""

    title: Text | None = None
    count: int | None = Field(default=None, ge=2, le=30)  # default: the level's items per activity
    levels: tuple[str, ...] | None = None


class VocabularyMatching(_Activity):
    type: Literal["vocabulary-matching"]
    terms: tuple[Text, ...] | None = None  # default: chosen from the glossary


class ClozeActivity(_Activity):
    type: Literal["cloze"]
    terms: tuple[Text, ...] | None = None
    word_bank: bool | None = None  # default: the level's setting


class TimelineSequencing(_Activity):
    type: Literal["timeline-sequencing"]
    events: tuple[Text, ...] | None = None  # event titles; default: chosen from the timeline


class DateMatching(_Activity):
    type: Literal["date-matching"]
    events: tuple[Text, ...] | None = None


class TrueFalseFacts(_Activity):
    type: Literal["true-false-facts"]


class SourceAnalysisActivity(_Activity):
    type: Literal["source-analysis"]
    lines: int = Field(default=3, ge=1, le=12)


Activity = (
    VocabularyMatching | ClozeActivity | TimelineSequencing | DateMatching | TrueFalseFacts | SourceAnalysisActivity
)
WorksheetItem = Annotated[
    ShortAnswer | MultipleChoice | TrueFalse | ExtendedResponse | Activity, Field(discriminator="type")
]
QUESTION_TYPES = ("short-answer", "multiple-choice", "true-false", "extended-response")
ActivityName = Literal[
    "vocabulary-matching", "cloze", "timeline-sequencing", "date-matching", "true-false-facts", "source-analysis"
]
ACTIVITY_TYPES: tuple[str, ...] = typing.get_args(ActivityName)
ITEM_TYPES = QUESTION_TYPES + ACTIVITY_TYPES
ComponentName = Literal["cover", "article", "glossary", "timeline", "worksheet"] | ActivityName
# --- End of the worksheet items. -----------------------------------------------------------------


class TeacherNotes(_Model):
    """Shown only in the teacher edition's overview."""

    objectives: tuple[Text, ...] = ()
    standards: tuple[Text, ...] = ()
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
    contents: tuple[ComponentName | CustomComponent, ...] = COMPONENTS
    glossary: tuple[GlossaryEntry, ...] = ()
    timeline: Timeline = Timeline()
    worksheet: tuple[WorksheetItem, ...] = ()
    teacher: TeacherNotes = TeacherNotes()
    profiles: dict[str, dict[str, Any]] = {}  # level profile overrides and custom levels
    theme: ThemeFile = ThemeFile()
    corrections: dict[str, str] = {}
    dictionary: tuple[Text, ...] = ()
    labels: dict[str, Text] = {}  # printed words replaced, over the language's (assets/labels/, labels.py)


class WorkspaceFile(_Model):
    """teachpack.yaml beside the pack folders: settings every pack of the workspace shares."""

    profiles: dict[str, dict[str, Any]] = {}
    theme: ThemeFile = ThemeFile()
