"""Characters no writer can take, removed once in the load stage, with a warning naming file and line.

XML 1.0 (hence DOCX, and the XMP metadata of a PDF) has no place for NUL, most C0 control
characters, U+FFFE/U+FFFF or lone surrogates: python-docx raises on them and WeasyPrint draws
boxes. A byte order mark inside the text is an invisible leftover of pasting files together.
Line ends need nothing here: reading files in text mode turns CRLF and CR into LF.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Everything XML 1.0 forbids (tab, LF and CR are allowed), plus U+FEFF.
_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufeff\ufffe\uffff\ud800-\udfff]")


@dataclass(frozen=True)
class Removed:
    """Characters taken out of one line: its number (from 1) and what they were, as U+ codes."""

    line: int
    codes: tuple[str, ...]

    def message(self) -> str:
        return (f"removed {len(self.codes)} character(s) that cannot be printed or saved in Word "
                f"({', '.join(dict.fromkeys(self.codes))}); check the text there")


def clean_text(text: str) -> tuple[str, list[Removed]]:
    """`text` without unwritable characters, and where they were (one entry per line)."""
    if not _UNWRITABLE.search(text):
        return text, []
    removed: dict[int, list[str]] = {}
    for match in _UNWRITABLE.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        removed.setdefault(line, []).append(f"U+{ord(match.group()):04X}")
    return _UNWRITABLE.sub("", text), [Removed(line, tuple(codes)) for line, codes in removed.items()]
