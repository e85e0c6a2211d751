"""Pictures: what kind a file is, and whether WeasyPrint and Word can draw it. One check for the
pictures a pack names (load/checks.py) and the pictures an import copies (importer/pictures.py).

The size comes from the header, through the format's own Pillow reader (not `Image.open`, which
warns or raises on a large picture before we could read its size); nothing is decoded at full size.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO

from builder.core.limits import limit_pixels

KINDS = {b"\x89PNG\r\n\x1a\n": "PNG", b"\xff\xd8\xff": "JPEG", b"GIF87a": "GIF", b"GIF89a": "GIF"}  # how they start
SUFFIXES = {"PNG": ".png", "JPEG": ".jpg", "GIF": ".gif"}


def picture_kind(data: bytes) -> str | None:
    """"PNG", "JPEG" or "GIF" (what both the PDF and the DOCX can show), or None for anything else."""
    return next((kind for start, kind in KINDS.items() if data.startswith(start)), None)


@dataclass(frozen=True)
class Undrawable:
    """Why a picture would be left out or printed incomplete: `reason` ("is 9000×9000 pixels ..."), what
    the PDF would do with it, and the `fix`."""

    reason: str
    effect: str
    fix: str


def undrawable(data: bytes, kind: str) -> Undrawable | None:
    """Why WeasyPrint would leave this picture out or take minutes over it (too many pixels,
    damaged), or None when it can be drawn. `kind` is what `picture_kind` said."""
    from PIL import GifImagePlugin, ImageFile, JpegImagePlugin, PngImagePlugin  # WeasyPrint's picture reader

    readers: dict[str, Callable[[IO[bytes]], ImageFile.ImageFile]] = {
        "PNG": PngImagePlugin.PngImageFile, "JPEG": JpegImagePlugin.JpegImageFile, "GIF": GifImagePlugin.GifImageFile}
    reader = readers[kind]
    most = limit_pixels()
    tolerant = ImageFile.LOAD_TRUNCATED_IMAGES  # WeasyPrint sets it (to print what it can): we want to know
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        with reader(io.BytesIO(data)) as picture:
            width, height = picture.size
            if width * height > most:
                return Undrawable(f"is {width}×{height} pixels ({width * height / 1e6:.0f} megapixels), over the "
                                  f"{most / 1e6:g}-megapixel limit", "the PDF may leave it out",
                                  "make it smaller (a printed page needs about 2500×3500 pixels), or raise "
                                  "TEACHPACK_MAX_IMAGE_MEGAPIXELS")
            if kind == "PNG":
                picture.verify()  # every chunk and its checksum, through to the end
            else:  # verify() checks nothing in a JPEG or GIF: decode it (a JPEG at 1/8 size)
                picture.draft("RGB", (max(1, width // 8), max(1, height // 8)))
                picture.load()
    except Exception as exc:  # noqa: BLE001 - Pillow's readers raise many kinds on a damaged file
        return Undrawable(f"is damaged or cut short ({type(exc).__name__}: {str(exc)[:80]})",
                          "the PDF would print it incomplete or leave it out",
                          "save the picture again (or export it again as PNG)")
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = tolerant
    return None
