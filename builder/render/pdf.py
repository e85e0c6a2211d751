"""PDF renderer: HTML + CSS -> PDF with WeasyPrint. Imports WeasyPrint only when built."""

from __future__ import annotations

from ..model import Document
from ..paths import TEMPLATES
from .html import render_html

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
        self._base_css = weasyprint.CSS(filename=str(TEMPLATES / "pack.css"), font_config=self._fonts)

    def render(self, document: Document) -> bytes:
        html, page_css = render_html(document, *_CONTENT_BOX[document.paper])
        wp = self._weasyprint
        page = wp.CSS(string=page_css, font_config=self._fonts)
        pdf = wp.HTML(string=html, base_url=str(document.base_dir) + "/").write_pdf(
            stylesheets=[self._base_css, page],
            font_config=self._fonts,
            pdf_identifier=document.stem.encode(),
        )
        assert pdf is not None
        return pdf
