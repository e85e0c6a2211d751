"""Grade-level profiles: how a level is printed (type size, spacing, glossary wording)."""

from __future__ import annotations

import re
from functools import cache
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from builder.core.paths import ASSETS

# A font family name goes into CSS and into the DOCX's XML: only characters real family names use.
_FONT_NAME = re.compile(r"^[^\W_][\w .+-]{0,99}$")
FONT_NAME_RULE = "letters, digits, spaces, hyphens, dots, underscores and '+', at most 100 characters"
# A level name is part of every file name built for it (pack-<level>-student.pdf).
LEVEL_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LEVEL_NAME_MAX = 40


def font_name(value: str) -> str:
    """`value` if it can be a font family name, else ValueError saying what is allowed."""
    if not _FONT_NAME.match(value):
        raise ValueError(f"'{value[:60]}' cannot be a font name; a font name has only {FONT_NAME_RULE}")
    return value


def level_name_problem(name: str) -> str | None:
    """Why `name` cannot name a level (it becomes part of file names), or None."""
    if len(name) <= LEVEL_NAME_MAX and LEVEL_NAME.match(name):
        return None
    return (f"'{name[:60]}' cannot be a level name (it is part of the file names); use lowercase letters, digits "
            f"and hyphens, at most {LEVEL_NAME_MAX} characters, like year-7")


FontName = Annotated[str, AfterValidator(font_name)]


class Level(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    label: str = Field(min_length=1, max_length=100)
    grades: str
    reading_band: tuple[float, float]
    reading_tolerance: float = Field(default=1.0, ge=0, le=5)
    font_family: FontName
    heading_family: FontName
    font_size: float = Field(gt=6, le=40)
    min_type: float = Field(default=8, ge=6, le=40)  # pt: the smallest type anywhere, running heads included
    line_spacing: float = Field(ge=1, le=3)
    answer_line_mm: float = Field(ge=5, le=30)
    definitions: Literal["simple", "standard"]
    items: int = Field(ge=2, le=30)  # items per generated activity
    word_bank: bool  # cloze passages come with a word bank
    distractors: int = Field(ge=0, le=10)  # extra words in the word bank
    rare_zipf: float = Field(default=3.0, ge=0, le=8)  # rarer words are glossary candidates for `check`
    letter_spacing: float = Field(default=0, ge=0, le=0.3)  # em
    word_spacing: float = Field(default=0, ge=0, le=1)  # em
    glossary_columns: Literal[1, 2] = 2
    background: str | None = Field(default=None, pattern=r"^#[0-9a-fA-F]{6}$")
    docx_font: FontName | None = None  # replaces the reference .docx fonts when set
    preset: str | None = None  # the access preset applied, if any (part of file names)


AT_LEAST = ("font_size", "min_type", "line_spacing", "answer_line_mm")


def _read(name: str) -> dict[str, dict[str, Any]]:
    import yaml  # our own files, still read with the safe loader

    profiles: dict[str, dict[str, Any]] = yaml.safe_load((ASSETS / name).read_text(encoding="utf-8"))
    return profiles


@cache
def builtin_levels() -> dict[str, Level]:
    """The profiles in assets/levels.yaml, by id."""
    return {name: Level(id=name, **values) for name, values in _read("levels.yaml").items()}


@cache
def presets() -> dict[str, dict[str, Any]]:
    """Access presets (assets/presets.yaml): partial profiles applied on top of a level."""
    return _read("presets.yaml")


def merge_levels(*overrides: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Built-in profiles with each override applied in turn (workspace, then pack).

    An override of a known level changes only the keys it gives; a new name needs `based_on`.
    Returns raw values; the caller validates them so errors can name the file and key.
    """
    raw = {name: dict(values) for name, values in _read("levels.yaml").items()}
    for source in overrides:
        for name, values in source.items():
            values = dict(values)
            base = values.pop("based_on", name)
            if base not in raw:
                raise KeyError(base)
            raw[name] = {**raw[base], **values}
    return raw


def with_preset(level: Level, name: str) -> Level:
    """`level` with an access preset applied: sizes only grow, other values are replaced."""
    values = dict(presets()[name])
    values.pop("label")
    for key in AT_LEAST:
        if key in values:
            values[key] = max(values[key], getattr(level, key))
    return level.model_copy(update={**values, "preset": name})
