"""The model -> HTML through the Jinja2 templates (the PDF renderer's first half)."""

from __future__ import annotations

import math
from pathlib import Path

import jinja2

from ..model import Document, GlossaryItem, TimelineItem, answer_lines
from .templates import environment, template_error
from .timeline_layout import TimelineLayout, layout_timeline


def render_html(document: Document, content_width_px: float, content_height_px: float) -> tuple[str, str]:
    """The document's HTML and its per-document stylesheet (page size, header, level)."""
    dirs = document.styling.template_dirs
    env = environment(dirs)

    def timeline(items: tuple[TimelineItem, ...]) -> TimelineLayout:
        # Labels a little smaller than body text (pt -> px), never below 12 px (9 pt).
        font_px = max(12.0, document.level.font_size * 96 / 72 * 0.85)
        # The chart shares its page with the heading and a note: leave them room.
        room = content_height_px - 4.5 * font_px * 1.6
        return layout_timeline(
            items,
            width=content_width_px,
            min_height=min(content_width_px * 1.05, room),
            font_size=round(font_px, 1),
            max_height=room,
        )

    def glossary_pages(items: tuple[GlossaryItem, ...]) -> list[tuple[list[GlossaryItem], list[GlossaryItem]]]:
        if document.level.glossary_columns == 1:  # large print: one column that simply flows
            return [(list(items), [])]
        return two_columns(
            items, content_width_px, content_height_px, document.level.font_size * 96 / 72, document.level.line_spacing
        )

    context = {
        "doc": document,
        "timeline_layout": timeline,
        "glossary_pages": glossary_pages,
        "answer_lines": answer_lines,
    }
    try:
        html = env.get_template("pack.html").render(context)
        css = env.get_template("page.css").render(context)
    except jinja2.TemplateError as exc:
        raise template_error(exc, dirs) from None
    return html, css


def stylesheet(dirs: tuple[Path, ...]) -> tuple[str, str]:
    """pack.css from the template path (a workspace may replace it) and the folder it came from."""
    env = environment(dirs)
    try:
        source, filename, _ = env.loader.get_source(env, "pack.css")  # type: ignore[union-attr]
    except jinja2.TemplateError as exc:
        raise template_error(exc, dirs) from None
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
