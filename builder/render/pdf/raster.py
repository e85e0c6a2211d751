"""SVG drawings as PNG pictures, drawn as the PDF draws them: for the DOCX's copy of the timeline that
Word 2013 and LibreOffice show (Word 2016 and later draw the SVG itself).

WeasyPrint lays the SVG out alone on a page of its size, with the PDF's fonts; poppler's pdftoppm
rasterises that page to raw pixels (PPM); the PNG is written here, with zlib and no timestamp, so the
same drawing gives the same bytes. pdftoppm's own PNG writer took five times as long for a larger file.
The fingerprint imports this module for `pdftoppm_version`: what it needs of the renderer is imported late.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path
from typing import TYPE_CHECKING

from builder.core import files
from builder.core.cache import cache_dir, keep
from builder.core.errors import BuildError
from builder.core.reproducible import font_clock, tool_version

if TYPE_CHECKING:
    from builder.model import Document

DPI = 150
PDFTOPPM = "pdftoppm"
_PPM_HEADER = re.compile(rb"P6\s+(\d+)\s+(\d+)\s+255\s")
_PURPOSE = "draw the DOCX's timeline picture"
_INSTALL = "install poppler-utils (./setup.sh, or apt-get install poppler-utils)"


def check_tools(weasyprint: bool = True) -> None:
    """Raise, before any file is written, when a picture cannot be made here: WeasyPrint (unless checked
    already, `weasyprint` False) or pdftoppm missing."""
    from builder.render.pdf.renderer import load_weasyprint

    if weasyprint:
        load_weasyprint(_PURPOSE, "or leave the timeline out of `contents:`")
    if shutil.which(PDFTOPPM) is None:
        raise BuildError(f"cannot {_PURPOSE}: poppler's {PDFTOPPM} is not installed; {_INSTALL}")


@functools.cache
def pdftoppm_version() -> str | None:
    """"pdftoppm version 22.12.0", or None: its rasteriser shapes the DOCX's pictures."""
    return tool_version(PDFTOPPM, "-v")


class Rasteriser:
    """PNG pictures of SVG drawings; one per renderer, so fonts are loaded once and each drawing is drawn once."""

    def __init__(self) -> None:
        check_tools()
        from weasyprint.text.fonts import FontConfiguration

        from builder.render.pdf.renderer import load_weasyprint

        self._weasyprint = load_weasyprint()
        self._fonts = FontConfiguration()
        self._done: dict[str, tuple[bytes, dict[str, str | None]]] = {}  # svg -> PNG and the files drawing it read

    def png(self, svg: str, width_px: float, height_px: float, document: Document) -> bytes:
        """The SVG `svg`, `width_px` by `height_px` CSS px, as a PNG at DPI dots per inch."""
        key = f"{width_px}x{height_px}\n{svg}"
        if key not in self._done:
            self._done[key] = _from_disk(key) or self._drawn(key, svg, width_px, height_px, document)
        data, reads = self._done[key]
        for name, digest in reads.items():  # drawn once, used by every document: each one records it
            files.remember(Path(name), digest)
        return data

    def _drawn(self, key: str, svg: str, width_px: float, height_px: float,
               document: Document) -> tuple[bytes, dict[str, str | None]]:
        with files.recording() as log:
            data = self._draw(svg, width_px, height_px, document)
        reads = dict(log.files)
        _to_disk(key, data, reads)
        return data, reads

    def _draw(self, svg: str, width_px: float, height_px: float, document: Document) -> bytes:
        from builder.render.pdf.fetcher import SandboxFetcher
        from builder.render.pdf.fonts import record_fonts
        from builder.render.pdf.sandbox import Sandbox

        page = (f"<style>@page {{ size: {width_px}px {height_px}px; margin: 0 }} html, body {{ margin: 0 }} "
                "svg { display: block }</style>")
        fetcher = SandboxFetcher(Sandbox.for_document(document))  # a workspace's drawing reads what the PDF may
        with font_clock(document.created):
            laid_out = self._weasyprint.HTML(string=page + svg, base_url=document.base_dir.as_uri() + "/",
                                             url_fetcher=fetcher).render(font_config=self._fonts)
            fetcher.closed = True
            pdf = laid_out.write_pdf()
        record_fonts(laid_out.fonts.values())
        try:
            done = subprocess.run([PDFTOPPM, "-r", str(DPI), "-singlefile", "-"], input=pdf, capture_output=True,
                                  timeout=60, check=False)
        except OSError as exc:
            raise BuildError(f"cannot {_PURPOSE}: {PDFTOPPM} did not start ({exc.strerror}); "
                             f"{_INSTALL}") from None
        found = _PPM_HEADER.match(done.stdout)
        if done.returncode != 0 or found is None:
            reason = done.stderr.decode(errors="replace").strip().splitlines()[-1:] or [f"exit {done.returncode}"]
            raise BuildError(f"cannot {_PURPOSE}: {PDFTOPPM} failed ({reason[0]})")
        width, height = int(found.group(1)), int(found.group(2))
        return png(width, height, done.stdout[found.end():])


def png(width: int, height: int, rgb: bytes) -> bytes:
    """A PNG of `rgb` (width x height pixels, 3 bytes each, rows top down), marked DPI dots per inch."""
    stride = width * 3
    rows = b"".join(b"\0" + rgb[y * stride:(y + 1) * stride] for y in range(height))  # filter 0 (none) per row

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    per_metre = round(DPI / 0.0254)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1))
            + chunk(b"IDAT", zlib.compress(rows, 6)) + chunk(b"IEND", b""))


CACHE_VERSION = "1"  # raise when the drawing changes for the same SVG, fonts and tools


def _cache_file(key: str) -> Path:
    """Where the picture of drawing `key` is kept between builds and processes ($XDG_CACHE_HOME/teachpack/
    pictures): named by the drawing, WeasyPrint's and pdftoppm's versions and ours. A fresh worker drew each
    timeline again (up to 1.5 s, the same layout the PDF does)."""
    from importlib.metadata import version

    name = hashlib.sha256(repr((key, version("weasyprint"), pdftoppm_version(), DPI, CACHE_VERSION)).encode())
    return cache_dir("pictures") / f"{name.hexdigest()}.json"


def _from_disk(key: str) -> tuple[bytes, dict[str, str | None]] | None:
    """The cached picture of `key` and the files drawing it read, if every one of them (the fonts) is still
    what it was; None otherwise, or when there is none or it cannot be read."""
    from builder.core.digest import current_digest

    try:
        entry = json.loads(_cache_file(key).read_text(encoding="utf-8"))
        data, reads = base64.b64decode(entry["png"]), dict(entry["reads"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if any(current_digest(name) != digest for name, digest in reads.items()):
        return None  # a font changed: draw it again
    return data, reads


def _to_disk(key: str, data: bytes, reads: dict[str, str | None]) -> None:
    """Keep the picture for later builds; whole or not at all (parallel workers may write the same one).
    A cache that cannot be written only makes later builds slower."""
    entry = json.dumps({"png": base64.b64encode(data).decode(), "reads": reads})
    keep(_cache_file(key), entry.encode())
