"""The timeline: the level's events in date order, drawn to scale in the PDF, a table in the DOCX."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from builder import model as m
from builder.components.api import ComponentContext, ComponentKind

if TYPE_CHECKING:
    from builder.render.docx.writer import DocxWriter


@dataclass(frozen=True)
class Timeline(m.Component):
    items: tuple[m.TimelineItem, ...]


def build(context: ComponentContext) -> Timeline:
    title = context.pack.file.timeline.title or context.words["timeline"]
    return Timeline("timeline", title, context.material.timeline)


def write_docx(w: DocxWriter, component: Timeline) -> None:
    w.heading(component.title, 1)
    rows = [(i.span.label(), i.title, i.detail or "") for i in component.items]
    headers = (w.words["event_date"], w.words["event"], w.words["event_details"])
    w.table(headers, rows, (0.24, 0.33, 0.43))


KIND = ComponentKind("timeline", Timeline, "timeline.html", write_docx, build=build)
