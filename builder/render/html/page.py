"""The model -> HTML through the Jinja2 templates (the PDF renderer's first half)."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import lxml.html
from pydantic import BaseModel

from builder.components.custom import Custom
from builder.components.registry import answer_lines, component_of, item_kind
from builder.model import LETTERS, Component, Document, GlossaryItem, TimelineItem
from builder.render.html.templates import render_template, template_source
from builder.render.html.timeline_layout import TimelineLayout, layout_timeline

PLAIN = (str, int, float, bool, type(None))
_PX_PER_MM = 96 / 25.4
# Printable area in CSS px for each paper: the page less the margins of pack.css and of the DOCX (18 mm, 20 mm).
CONTENT_BOX = {
    "letter": ((215.9 - 36) * _PX_PER_MM, (279.4 - 40) * _PX_PER_MM),
    "a4": ((210 - 36) * _PX_PER_MM, (297 - 40) * _PX_PER_MM),
}


def template_view(value: Any) -> Any:
    """`value` as templates may see it: plain values only. Paths become strings (the `uri` filter
    makes them file: URLs), dates ISO strings; frozen dataclasses and pydantic models of plain values
    stay (the sandbox lets templates read their fields and properties, nothing else)."""
    if isinstance(value, PLAIN):
        return value
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (tuple, list)):
        items = [template_view(item) for item in value]
        return value if all(a is b for a, b in zip(items, value, strict=True)) else type(value)(items)
    if isinstance(value, dict):
        return {str(key): template_view(item) for key, item in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changed = {f.name: template_view(getattr(value, f.name)) for f in dataclasses.fields(value)}
        changed = {name: new for name, new in changed.items() if new is not getattr(value, name)}
        if not changed:
            return value
        view = copy.copy(value)
        for name, new in changed.items():
            object.__setattr__(view, name, new)  # frozen: a copy made for the templates, not the model
        return view
    if isinstance(value, BaseModel):
        return value
    raise TypeError(f"{type(value).__name__} cannot be shown to a template; give it as plain data")


def render_html(document: Document, content_width_px: float, content_height_px: float,
                elsewhere: Mapping[str, int] | None = None) -> tuple[str, str]:
    """The document's HTML and its per-document stylesheet (page size, header, level).

    `elsewhere` names the parts laid out in another document, with the page each starts on: a teacher
    edition's student parts, whose pages come from the student edition. They are left out of this HTML,
    and the cover lists them at those pages."""
    dirs = document.styling.template_dirs
    context = {**page_context(document, content_width_px, content_height_px), "elsewhere": dict(elsewhere or {})}
    return render_template("pack.html", context, dirs), render_template("page.css", context, dirs)


def render_drawing(document: Document, component: Component, name: str) -> str:
    """The SVG drawing template `name` (timeline.svg) prints for `component` inside the PDF, rendered on its
    own: the DOCX embeds the same drawing, laid out for the same printable area."""
    context = page_context(document, *CONTENT_BOX[document.paper])
    return render_template(name, {**context, "component": template_view(component)}, document.styling.template_dirs)


def block_words(document: Document, component: Component, block: str) -> list[str]:
    """The words `block` of `component`'s template prints, as the PDF prints them (a workspace's override
    included), one string per piece of text: the labels of the name lines the DOCX writes too."""
    context = page_context(document, *CONTENT_BOX[document.paper])
    html = render_template(template_of(component), {**context, "component": template_view(component)},
                           document.styling.template_dirs, block)
    if not html.strip():
        return []
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    for hidden in root.xpath(".//style | .//script"):
        hidden.drop_tree()
    return [" ".join(text.split()) for text in root.itertext() if text.strip()]


def page_context(document: Document, content_width_px: float, content_height_px: float) -> dict[str, Any]:
    """What every template of `document` sees, its layout helpers sized for a printable area of that many px."""

    def timeline(items: tuple[TimelineItem, ...]) -> TimelineLayout:
        # Labels a little smaller than body text (pt -> px), never below 12 px (9 pt), and the details
        # (0.9 of that) never below the level's smallest type.
        smallest = document.level.min_type * 96 / 72
        font_px = max(12.0, document.level.font_size * 96 / 72 * 0.85, smallest / 0.9)
        # The chart shares its page with the heading and a note: leave them room.
        room = content_height_px - 4.5 * font_px * 1.6
        return layout_timeline(
            items,
            width=content_width_px,
            min_height=min(content_width_px * 1.05, room),
            font_size=round(font_px, 1),
            max_height=room,
            min_size=smallest,
            legend=document.labels["timeline_stretched"],
        )

    def glossary_pages(items: tuple[GlossaryItem, ...]) -> list[tuple[list[GlossaryItem], list[GlossaryItem]]]:
        if document.level.glossary_columns == 1:  # large print: one column that simply flows
            return [(list(items), [])]
        packed = document.hints.glossary
        if packed and sum(left + right for left, right in packed) == len(items):  # measured (PageHints)
            pages, at = [], 0
            for left, right in packed:
                pages.append((list(items[at:at + left]), list(items[at + left:at + left + right])))
                at += left + right
            return pages
        return two_columns(
            items, content_width_px, content_height_px, document.level.font_size * 96 / 72, document.level.line_spacing
        )

    return template_context(document, timeline, glossary_pages)


def template_context(document: Document, timeline: Any, glossary_pages: Any) -> dict[str, Any]:
    """What every template sees: the document as plain data, its printed words as `labels` (the same
    mapping the DOCX writer reads) and three pure helpers."""
    return {
        "doc": template_view(document),
        "labels": template_view(document.labels),
        "timeline_layout": lambda items: template_view(timeline(items)),
        "glossary_pages": lambda items: template_view(glossary_pages(items)),
        "answer_lines": lambda item: answer_lines(item, document.labels),
        "template_of": template_of,
        "item_template": lambda item: item_kind(item.type).template,
        "key_template": lambda item: item_kind(item.type).key_template,
        "letters": LETTERS,
        "elsewhere": {},  # parts laid out in another document: see render_html
    }


def template_of(component: Component) -> str:
    """The template that prints `component`: its registered kind's (a custom part names its own)."""
    if isinstance(component, Custom):
        return component.template_name
    return component_of(component).template


def component_stylesheets(document: Document) -> list[tuple[str, str, str]]:
    """(name, source, folder) of each stylesheet the document's parts bring (ComponentKind.stylesheet),
    from the template path so a workspace may replace it; once each, in print order."""
    names = dict.fromkeys(kind.stylesheet for kind in map(component_of, document.components) if kind.stylesheet)
    sheets = []
    for name in names:
        assert name is not None
        source, filename = template_source(name, document.styling.template_dirs)
        sheets.append((name, source, str(Path(filename).parent) + "/"))
    return sheets


def stylesheet(dirs: tuple[Path, ...]) -> tuple[str, str]:
    """pack.css from the template path (a workspace may replace it) and the folder it came from."""
    source, filename = template_source("pack.css", dirs)
    return source, str(Path(filename).parent) + "/"


def two_columns(
    items: tuple[GlossaryItem, ...], width: float, height: float, font_px: float, line_spacing: float
) -> list[tuple[list[GlossaryItem], list[GlossaryItem]]]:
    """Split glossary entries into pages of two balanced columns, in alphabetical order down each.

    WeasyPrint can balance CSS columns itself, but with entries kept whole it lays the text out
    again and again (about 1 s a page); estimating line counts here costs nothing.
    """
    chars_per_line = max(10, int((width - 34) / 2 / (font_px * 0.47)))
    line = font_px * line_spacing

    def lines(item: GlossaryItem) -> float:
        return 1.0 + math.ceil(len(item.definition) / chars_per_line) + 0.5

    weights = [lines(item) for item in items]
    capacity = 2 * (height - 3.5 * line) / line  # a page's two columns, less the heading
    pages = max(1, math.ceil(sum(weights) / capacity))
    # Spread entries evenly over the pages, then split each page's entries in two.
    groups: list[list[int]] = [[] for _ in range(pages)]
    share, used = sum(weights) / pages, 0.0
    for index, weight in enumerate(weights):
        groups[min(pages - 1, int((used + weight / 2) // share))].append(index)
        used += weight
    result = []
    for group in groups:
        total = sum(weights[i] for i in group)
        # On a tie the left column takes more: one entry goes on the left, not alone on the right.
        split = min(range(len(group) + 1), key=lambda k: (abs(total / 2 - sum(weights[i] for i in group[:k])), -k))
        result.append(([items[i] for i in group[:split]], [items[i] for i in group[split:]]))
    return result
