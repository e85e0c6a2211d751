"""The pictures an import may copy into the draft: only from the source's own folder or a `data:` URI.

A source names pictures it does not own (`../../private/x.png`, `/etc/...`, `file:///...`, a
symlink out of its folder, a page on the web); the draft is shared, so none of those is read.
Every picture is also bounded: its file within the image size limit, its pixels within the pixel
limit (read from the header, never decoded). A picture refused is `PictureRefused`, whose message
is the reason the report gives; the figure keeps a placeholder.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path, PurePosixPath, PureWindowsPath
from urllib.parse import unquote, unquote_to_bytes

from builder.core import files
from builder.core.limits import limit_bytes, size_message
from builder.core.pictures import SUFFIXES, picture_kind, undrawable

NAMES = {".png", ".jpg", ".jpeg", ".gif"}  # the file names of what both renderers can embed

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
    if relative.suffix.lower() not in NAMES:
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
    kind = picture_kind(data)
    if kind is None:
        raise PictureRefused("is not a PNG, JPEG or GIF picture (another format, or a damaged file); "
                             "save it as PNG or JPEG")
    if problem := undrawable(data, kind):
        raise PictureRefused(f"{problem.reason}; {problem.fix}")
    return data


def suffix(data: bytes) -> str:
    """The file suffix for picture bytes `checked` accepted."""
    return SUFFIXES[picture_kind(data) or "PNG"]
