"""Stage 3, render: one renderer per output format, all with the same small interface."""

from __future__ import annotations

from typing import Protocol

from ..model import Document


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
        from .pdf import PdfRenderer

        return PdfRenderer()
    if name == "docx":
        from .docx import DocxRenderer

        return DocxRenderer()
    raise ValueError(name)


FORMATS = ("pdf", "docx")
