"""PDF renderer: HTML + CSS -> PDF with WeasyPrint. Imports WeasyPrint only when built."""

from __future__ import annotations

from ..model import Document
from ..paths import TEMPLATES
from .html import render_html

# Printable width in CSS px (96/in) for each paper: page width less 18 mm margins each side.
_CONTENT_WIDTH = {"letter": 8.5 * 96 - 2 * 18 / 25.4 * 96, "a4": (210 - 36) / 25.4 * 96}


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
        html, page_css = render_html(document, _CONTENT_WIDTH[document.paper])
        wp = self._weasyprint
        page = wp.CSS(string=page_css, font_config=self._fonts)
        pdf = wp.HTML(string=html, base_url=str(document.base_dir) + "/").write_pdf(
            stylesheets=[self._base_css, page],
            font_config=self._fonts,
            pdf_identifier=document.stem.encode(),
        )
        assert pdf is not None
        return pdf
