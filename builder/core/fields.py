"""The field types every pack.yaml model shares: strict mappings, non-empty text, title-like lines."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field


class SpecModel(BaseModel):
    """A mapping of pack.yaml: unknown keys refused, values frozen, text stripped."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


Text = Annotated[str, Field(min_length=1)]
# A title-like line (title, subtitle, subject, school): Word keeps at most 255 characters in a core
# property, and WeasyPrint's line breaking of one very long line takes minutes.
TITLE_MAX = 200
Line = Annotated[str, Field(min_length=1, max_length=TITLE_MAX)]
