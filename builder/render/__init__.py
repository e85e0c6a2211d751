"""Stage 3, render: one renderer per output format, all with the same small interface."""

from __future__ import annotations

from typing import Protocol

from builder.model import Document


class Renderer(Protocol):
    name: str
    suffix: str

    def render(self, document: Document) -> bytes:
        """The finished file's bytes; nothing is written to disk here."""
        ...

    def pages(self, data: bytes) -> int | None:
        """How many pages `data` (from `render`) has, or None when only the reader's layout decides."""
        ...


def get_renderer(name: str) -> Renderer:
    """A fresh renderer for format `name`; keep it for a whole build (it caches fonts)."""
    if name == "pdf":
        from builder.render.pdf.renderer import PdfRenderer

        return PdfRenderer()
    if name == "docx":
        from builder.render.docx.writer import DocxRenderer

        return DocxRenderer()
    raise ValueError(name)


FORMATS = ("pdf", "docx")
# WeasyPrint's tagged variants (structure tree, /Lang, alt text) and "none"; the first is the default.
PDF_VARIANTS = ("pdf/ua-1", "pdf/ua-2", "none")


def preflight(documents: list[Document], formats: set[str]) -> None:
    """Raise the first template, reference .docx or PDF engine problem before any file is written.

    Renders the HTML of one document per (template path, edition), which compiles every template
    those documents use and catches undefined variables, and opens each reference .docx once.
    """
    if "pdf" in formats:
        from builder.render.pdf.renderer import load_weasyprint

        load_weasyprint()
    seen: set[object] = set()
    for document in documents:
        key = (document.styling.template_dirs, document.edition)
        if "pdf" in formats and key not in seen:
            from builder.render.html.page import render_html, stylesheet

            seen.add(key)
            render_html(document, 650, 900)
            stylesheet(document.styling.template_dirs)
        if "docx" in formats and document.styling.reference_docx not in seen:
            from builder.render.docx.writer import read_reference

            seen.add(document.styling.reference_docx)
            if document.styling.reference_docx is not None:
                read_reference(document.styling.reference_docx)
