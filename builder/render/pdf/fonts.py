"""The font files a rendered PDF used, recorded as inputs of its job (fingerprint.py hashes them).

Imported only by the PDF renderer: it reads WeasyPrint's font objects and fontconfig's file list.
"""

from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from builder.core import files
from builder.core.digest import current_digest

_font_files: dict[str, list[str]] = {}  # family -> the font files fontconfig has for it (per process)
_font_digest = functools.cache(current_digest)  # each font file hashed once per process


def record_fonts(fonts: Iterable[Any]) -> None:
    """Record the font files a rendered PDF used (WeasyPrint's `Document.fonts` values) in the
    active read log, so a changed or replaced font file makes the PDF stale.

    WeasyPrint keeps each font's HarfBuzz face, not its file name: the file is the one of
    fontconfig's files of that family with the face's bytes; if none matches, every file of the
    family is recorded. Fonts from @font-face rules came through the
    fetcher and are recorded there.
    """
    from weasyprint.text.fonts import get_hb_object_data

    for font in fonts:
        family = getattr(font, "family", "")
        content = get_hb_object_data(font.hb_face) or b""  # file_content may be the subset by now
        candidates = _family_files(family)
        wanted = hashlib.sha256(content).hexdigest()
        exact = [path for path in candidates if _font_digest(path) == wanted]
        for path in exact or candidates:
            files.remember(Path(path), _font_digest(path))


def _family_files(family: str) -> list[str]:
    if not _font_files:
        _font_files.update(_system_fonts())
        _font_files.setdefault("", [])
    return _font_files.get(family.casefold(), [])


def _system_fonts() -> dict[str, list[str]]:
    """Every font file fontconfig knows (the lookup Pango makes), by lower-case family name."""
    from weasyprint.text.ffi import ffi, fontconfig

    found: dict[str, list[str]] = {}
    fontset = fontconfig.FcConfigGetFonts(ffi.NULL, 0)  # FcSetSystem of the current configuration
    if fontset == ffi.NULL:
        return found
    value = ffi.new("FcChar8 **")
    for i in range(fontset.nfont):
        pattern = fontset.fonts[i]
        if fontconfig.FcPatternGetString(pattern, b"file", 0, value) != 0:
            continue
        path = os.path.realpath(ffi.string(value[0]).decode("utf-8", "surrogateescape"))
        n = 0
        while fontconfig.FcPatternGetString(pattern, b"family", n, value) == 0:
            found.setdefault(ffi.string(value[0]).decode("utf-8", "replace").casefold(), []).append(path)
            n += 1
    return {family: sorted(set(paths)) for family, paths in found.items()}
