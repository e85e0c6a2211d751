"""Fontconfig's answers, asked through its command-line tools (`fc-list`): the lookup Pango makes for
the PDF, so the glyph check (check/glyphs.py) and the DOCX's embedded fonts (render/docx/fonts.py) see
the font files the PDF uses. Without fontconfig every answer is empty.
"""

from __future__ import annotations

import shutil
import subprocess


def fc_list(pattern: str, fmt: str) -> list[str]:
    """The lines `fc-list --format fmt pattern` prints, empty ones left out ([] without fontconfig)."""
    if shutil.which("fc-list") is None:
        return []
    result = subprocess.run(["fc-list", "--format", fmt, pattern], capture_output=True, text=True, check=False)
    return [line for line in result.stdout.splitlines() if line]


def pattern_value(family: str) -> str:
    """A family name as a fontconfig pattern value (its special characters escaped)."""
    return "".join(f"\\{c}" if c in "\\-:," else c for c in family)
