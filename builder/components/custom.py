"""A workspace template listed in `contents:` (`- template: map-activity.html`), with the data the pack gives it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from builder import model as m
from builder.components.api import ComponentKind

if TYPE_CHECKING:
    from builder.render.brf.renderer import BrfWriter
    from builder.render.docx.writer import DocxWriter


@dataclass(frozen=True)
class Custom(m.Component):
    """PDF only: a template has no Word counterpart, so the DOCX says so where it would be."""

    template_name: str
    data: dict[str, object] = field(default_factory=dict, hash=False)


def write_docx(w: DocxWriter, component: Custom) -> None:
    w.heading(component.title, 1)
    notice = w.docx.add_paragraph()
    notice.add_run(w.words_for("pdf_only", template=component.template_name)).italic = True


def write_brf(w: BrfWriter, component: Custom) -> None:
    w.heading(component.title)
    w.paragraph(w.words_for("pdf_only", template=component.template_name))


# Its template is the workspace's own file, named by each use (Custom.template_name).
KIND = ComponentKind("custom", Custom, "", write_docx, brf=write_brf)
