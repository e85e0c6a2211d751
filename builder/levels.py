"""Grade-level profiles: how a level is printed (type size, spacing, glossary wording)."""

from __future__ import annotations

from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from .paths import ASSETS


class Level(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    label: str
    grades: str
    reading_band: tuple[float, float]
    reading_tolerance: float = Field(default=1.0, ge=0, le=5)
    font_family: str
    heading_family: str
    font_size: float = Field(gt=6, le=40)
    line_spacing: float = Field(ge=1, le=3)
    answer_line_mm: float = Field(ge=5, le=30)
    definitions: Literal["simple", "standard"]
    items: int = Field(ge=2, le=30)  # items per generated activity
    word_bank: bool  # cloze passages come with a word bank
    distractors: int = Field(ge=0, le=10)  # extra words in the word bank


@cache
def builtin_levels() -> dict[str, Level]:
    """The profiles in assets/levels.yaml, by id."""
    import yaml  # the file is ours, but still read with the safe loader

    raw = yaml.safe_load((ASSETS / "levels.yaml").read_text(encoding="utf-8"))
    return {name: Level(id=name, **values) for name, values in raw.items()}
