"""Input size limits: a pack that is absurdly large is a mistake or an attack, never a lesson.

Each limit can be raised (or lowered) with an environment variable, in megabytes, for the rare
real pack that needs it: TEACHPACK_MAX_ARTICLE_MB, TEACHPACK_MAX_YAML_MB, TEACHPACK_MAX_IMAGE_MB,
TEACHPACK_MAX_TEMPLATE_MB, TEACHPACK_MAX_DOCX_MB, TEACHPACK_MAX_SOURCE_MB, TEACHPACK_MAX_FONT_MB.
The limit is enforced on the bytes actually read (files.py), never on what the file system reports.

A picture is also limited in pixels (TEACHPACK_MAX_IMAGE_MEGAPIXELS, default 50): a small file
can hold a huge picture, which WeasyPrint would leave out of the PDF (or decode for minutes).
"""

from __future__ import annotations

import os
from pathlib import Path

from builder.core.errors import TeachpackError

# The defaults, in MB: "template" covers templates, includes and stylesheets; "docx" a reference
# .docx; "source" an article given to `teachpack import`; "font" a font file a stylesheet names.
LIMITS_MB = {"article": 5.0, "yaml": 1.0, "image": 20.0, "template": 1.0, "docx": 20.0, "source": 20.0,
             "font": 30.0}


def limit_bytes(kind: str) -> int:
    """The size limit for `kind` ("article", "yaml" or "image") in bytes, after any override."""
    name = f"TEACHPACK_MAX_{kind.upper()}_MB"
    given = os.environ.get(name)
    if given is None:
        return int(LIMITS_MB[kind] * 1_000_000)
    try:
        megabytes = float(given)
    except ValueError:
        megabytes = -1.0
    if not megabytes > 0:
        raise TeachpackError(f"{name}={given!r} is not a size; give megabytes, e.g. {LIMITS_MB[kind]:g}")
    return int(megabytes * 1_000_000)


MAX_IMAGE_MEGAPIXELS = 50.0


def limit_pixels() -> int:
    """The most pixels a picture may have, after any TEACHPACK_MAX_IMAGE_MEGAPIXELS override."""
    name = "TEACHPACK_MAX_IMAGE_MEGAPIXELS"
    given = os.environ.get(name)
    if given is None:
        return int(MAX_IMAGE_MEGAPIXELS * 1_000_000)
    try:
        megapixels = float(given)
    except ValueError:
        megapixels = -1.0
    if not megapixels > 0:
        raise TeachpackError(f"{name}={given!r} is not a number of pixels; give megapixels, e.g. "
                             f"{MAX_IMAGE_MEGAPIXELS:g}")
    return int(megapixels * 1_000_000)


def too_large(path: Path, kind: str) -> str | None:
    """A message when the file at `path` is over the limit for `kind`, else None (a quick first look;
    files.read_bytes enforces the limit on what it reads)."""
    try:
        size, most = path.stat().st_size, limit_bytes(kind)
    except OSError:  # a link loop, a vanished file: the guarded read that follows names it
        return None
    return None if size <= most else size_message(kind, size)


def size_message(kind: str, size: int | None) -> str:
    """"is 6.1 MB, over the 5 MB limit for an article; make it smaller, or raise ..." (size unknown: "is over")."""
    most = limit_bytes(kind)
    what = f"is {size / 1_000_000:.1f} MB, over" if size is not None else "is over"
    return (f"{what} the {most / 1_000_000:g} MB limit for {_NAMES[kind]}; "
            f"make it smaller, or raise TEACHPACK_MAX_{kind.upper()}_MB")


_NAMES = {"article": "an article", "yaml": "a settings file", "image": "an image", "template": "a template",
          "docx": "a Word file", "source": "an article to import", "font": "a font"}
