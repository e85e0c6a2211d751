"""PDF renderer: HTML + CSS -> PDF with WeasyPrint. Imports WeasyPrint only when built."""

from __future__ import annotations

import re
import zlib
from pathlib import Path

from ..model import Document
from ..reproducible import font_clock
from .html import render_html, stylesheet

_PX_PER_MM = 96 / 25.4
# Printable area in CSS px for each paper: the page less the margins of pack.css (18 mm, 20 mm).
_CONTENT_BOX = {
    "letter": ((215.9 - 36) * _PX_PER_MM, (279.4 - 40) * _PX_PER_MM),
    "a4": ((210 - 36) * _PX_PER_MM, (297 - 40) * _PX_PER_MM),
}


class PdfRenderer:
    name = "pdf"
    suffix = ".pdf"

    def __init__(self) -> None:
        import weasyprint
        from weasyprint.text.fonts import FontConfiguration

        self._weasyprint = weasyprint
        # One font configuration for every document of a build: fonts are found and loaded once.
        self._fonts = FontConfiguration()
        self._base_css: dict[tuple[Path, ...], object] = {}  # per template path: parsed once

    def _stylesheet(self, dirs: tuple[Path, ...]) -> object:
        if dirs not in self._base_css:
            source, base_url = stylesheet(dirs)
            self._base_css[dirs] = self._weasyprint.CSS(string=source, base_url=base_url, font_config=self._fonts)
        return self._base_css[dirs]

    def render(self, document: Document) -> bytes:
        html, page_css = render_html(document, *_CONTENT_BOX[document.paper])
        wp = self._weasyprint
        page = wp.CSS(string=page_css, font_config=self._fonts)
        with font_clock(document.created):
            pdf = wp.HTML(string=html, base_url=str(document.base_dir) + "/").write_pdf(
                stylesheets=[self._stylesheet(document.styling.template_dirs), page],
                font_config=self._fonts,
                pdf_identifier=document.stem.encode(),  # not a random ID: the same document, the same bytes
            )
        assert pdf is not None
        return pdf

    def pages(self, data: bytes) -> int | None:
        """The page count of a PDF this renderer wrote, for the manifest."""
        return page_count(data)


_OBJECT_STREAM = re.compile(rb"<<([^>]*/Type /ObjStm[^>]*)>>\s*stream\r?\n")
_PAGE = re.compile(rb"/Type\s*/Page(?![A-Za-z])")


def page_count(data: bytes) -> int:
    """Count the page objects of a WeasyPrint PDF, which keeps them in compressed object streams."""
    count = len(_PAGE.findall(data))
    for match in _OBJECT_STREAM.finditer(data):
        length = re.search(rb"/Length (\d+)", match.group(1))
        if length:
            count += len(_PAGE.findall(zlib.decompress(data[match.end() : match.end() + int(length.group(1))])))
    return count
