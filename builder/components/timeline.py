"""The timeline: the level's events in date order, drawn to scale (timeline.svg); the DOCX has the same
drawing as a picture, then the events as a table a teacher can edit."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from docx.shared import Pt

from builder import model as m
from builder.components.api import ComponentContext, ComponentKind

if TYPE_CHECKING:
    from builder.render.brf.renderer import BrfWriter
    from builder.render.docx.writer import DocxWriter


@dataclass(frozen=True)
class Timeline(m.Component):
    items: tuple[m.TimelineItem, ...]


def build(context: ComponentContext) -> Timeline:
    title = context.pack.file.timeline.title or context.words["timeline"]
    return Timeline("timeline", title, context.material.timeline)


def write_docx(w: DocxWriter, component: Timeline) -> None:
    heading = w.heading(component.title, 1)
    if component.items:  # as timeline.html: the note, then the chart, on the heading's page
        heading.paragraph_format.keep_with_next = True
        note = w.para(w.words["timeline_note"])
        note.paragraph_format.keep_with_next = True
        note.runs[0].font.size = Pt(max(round(w.level.font_size * 0.85 * 2) / 2, w.level.min_type))
    w.drawing(component)  # timeline.svg draws nothing for no events
    rows = [(i.span.label(), i.title, i.detail or "") for i in component.items]
    headers = (w.words["event_date"], w.words["event"], w.words["event_details"])
    w.table(headers, rows, (0.24, 0.33, 0.43))


def write_brf(w: BrfWriter, component: Timeline) -> None:
    """The events as a dated list (no tactile drawing): date \u2013 event, then its details."""
    w.heading(component.title)
    for item in component.items:
        w.item(f"{item.span.label()} \u2013 {item.title}" + (f": {item.detail}" if item.detail else ""))


KIND = ComponentKind("timeline", Timeline, "timeline.html", write_docx, build=build, drawing="timeline.svg",
                     brf=write_brf,
                     begins_under="whole")
