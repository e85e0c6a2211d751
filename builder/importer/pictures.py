"""The pictures an import may copy into the draft: only from the source's own folder or a `data:` URI.

A source names pictures it does not own (`../../private/x.png`, `/etc/...`, `file:///...`, a
symlink out of its folder, a page on the web); the draft is shared, so none of those is read.
Every picture is also bounded: its file within the image size limit, its pixels within the pixel
limit (read from the header, never decoded). A picture refused is `PictureRefused`, whose message
is the reason the report gives; the figure keeps a placeholder.
"""

from __future__ import annotations

import base64
import io
import re
import warnings
from pathlib import Path, PurePosixPath, PureWindowsPath
from urllib.parse import unquote, unquote_to_bytes

from .. import files
from ..limits import limit_bytes, limit_pixels, size_message

TYPES = {b"\x89PNG\r\n\x1a\n": ".png", b"\xff\xd8\xff": ".jpg", b"GIF87a": ".gif", b"GIF89a": ".gif"}
SUFFIXES = {".png", ".jpg", ".jpeg", ".gif"}  # what both renderers can embed

_SMALLER = "make it smaller, or raise TEACHPACK_MAX_IMAGE_MEGAPIXELS"
_HERE = "copy the picture next to the source"
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_DATA = re.compile(r"^data:([^,;]*)((?:;[^,;]*)*?)(;base64)?,", re.IGNORECASE)


class PictureRefused(Exception):
    """A picture the import does not copy; the message says why, for the report."""


def local_picture(src: str, folder: Path) -> tuple[bytes, str]:
    """The bytes and file name of the picture `src` names, read from inside `folder` only."""
    if not src:
        raise PictureRefused("has no address")
    scheme = _SCHEME.match(src)
    if scheme and scheme.group(1).lower() == "file":
        raise PictureRefused("is a file:// address, outside the source's folder; " + _HERE)
    if (scheme and not PureWindowsPath(src).drive) or src.startswith("//"):
        raise PictureRefused("is on the web (the import never downloads); save the picture next to the source")
    if src.startswith(("/", "\\")) or PureWindowsPath(src).drive:
        raise PictureRefused("is an absolute path, outside the source's folder; " + _HERE)
    relative = PurePosixPath(unquote(src.split("#")[0].split("?")[0]).replace("\\", "/"))
    if relative.suffix.lower() not in SUFFIXES:
        raise PictureRefused("is not a PNG, JPEG or GIF file; save it as PNG or JPEG")
    if "\x00" in str(relative) or any(len(part.encode("utf-8", "replace")) > 255 for part in relative.parts):
        raise PictureRefused("is not a file name a disk can hold (a NUL byte, or over 255 bytes); rename the picture")
    target = folder / relative
    if files.inside(target, [folder]) is None:
        raise PictureRefused("is outside the source's folder (or links out of it); " + _HERE)
    try:
        data = files.read_bytes(target, [folder], "image", src)
    except files.FileRefused as refused:
        raise PictureRefused(str(refused).removeprefix(f"{src}: ")) from None
    return checked(data), relative.name


def data_picture(src: str) -> bytes:
    """The picture a `data:` URI holds (base64 or percent-encoded), within the limits."""
    head = _DATA.match(src)
    if head is None:
        raise PictureRefused("is a damaged data: address")
    body = src[head.end():]
    most = limit_bytes("image")
    if len(body) > 2 * most:  # base64 is 4/3 the size, percent-encoding at most 3 times
        raise PictureRefused(size_message("image", None))
    try:
        data = base64.b64decode(body, validate=False) if head.group(3) else unquote_to_bytes(body)
    except ValueError:  # binascii.Error: bad padding
        raise PictureRefused("is a damaged data: address (not base64)") from None
    return checked(data)


def checked(data: bytes) -> bytes:
    """`data` when it is a PNG, JPEG or GIF within the image size and pixel limits, else PictureRefused."""
    if len(data) > limit_bytes("image"):
        raise PictureRefused(size_message("image", len(data)))
    if not data.startswith(tuple(TYPES)):
        raise PictureRefused("is not a PNG, JPEG or GIF picture (another format, or a damaged file); "
                             "save it as PNG or JPEG")
    width, height = _size(data)
    most = limit_pixels()
    if width * height > most:
        raise PictureRefused(f"is {width}×{height} pixels, over the {most / 1e6:g}-megapixel limit; {_SMALLER}")
    return data


def suffix(data: bytes) -> str:
    """The file suffix for picture bytes `checked` accepted."""
    return next(s for magic, s in TYPES.items() if data.startswith(magic))


def _size(data: bytes) -> tuple[int, int]:
    """Width and height from the picture's header; Pillow opens lazily, so nothing is decoded."""
    from PIL import Image

    with warnings.catch_warnings():
        # Pillow warns on a huge picture (and raises at twice its own limit): we compare the size ourselves.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as picture:
                return picture.size
        except Image.DecompressionBombError:
            raise PictureRefused(f"has more than {2 * (Image.MAX_IMAGE_PIXELS or 0) / 1e6:.0f} megapixels, over the "
                                 f"{limit_pixels() / 1e6:g}-megapixel limit; {_SMALLER}") from None
        except Exception:  # noqa: BLE001 - Pillow's header readers raise many kinds on a damaged file
            raise PictureRefused("is damaged (its header cannot be read); save it again as PNG or JPEG") from None
