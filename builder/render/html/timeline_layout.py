"""Lay out a vertical timeline drawn to scale: a year axis, ticks, range bars, labels that never overlap.

Pure geometry (numbers and strings); the SVG itself is written by the `timeline.svg` template.
Sizes are CSS pixels (96 per inch).
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Callable
from dataclasses import dataclass

from builder.model import TimelineItem

CHAR_WIDTH = 0.53  # average glyph width of the label font, in ems (measured on TeX Gyre Heros)
LINE = 1.25  # label line height, in ems
GAP = 6.0  # vertical space between two labels
LANE = 9.0  # horizontal distance between range bars


@dataclass(frozen=True)
class YearTick:
    y: float
    label: str


@dataclass(frozen=True)
class Mark:
    y: float  # where the event sits on the axis
    y_end: float | None  # end of a range bar, None for a single date
    lane_x: float  # x of the bar (ranges) or the axis (single dates)
    label_y: float  # top of the label block
    label_height: float
    date: str
    title_lines: tuple[str, ...]  # the first starts with `date`
    detail_lines: tuple[str, ...]


@dataclass(frozen=True)
class TimelineLayout:
    width: float
    height: float
    axis_x: float
    axis_top: float
    axis_bottom: float
    label_x: float
    font_size: float
    tick_size: float  # the year numbers on the axis
    ticks: tuple[YearTick, ...]
    marks: tuple[Mark, ...]


def layout_timeline(
    items: tuple[TimelineItem, ...],
    width: float,
    min_height: float,
    font_size: float = 11.0,
    max_height: float = 900.0,
    min_size: float = 32 / 3,
) -> TimelineLayout:
    """Place `items` on a vertical year axis `width` px wide and at least `min_height` tall.

    No text is smaller than `min_size` px (the level's smallest type: 8 pt is 10.7 px).
    """
    floor = max(9.0, min_size)
    start = min(item.span.bounds()[0] for item in items)
    end = max(item.span.bounds()[1] for item in items)
    first_year, last_year = math.floor(start), math.ceil(end)
    if last_year - first_year < 2:
        last_year = first_year + 2

    lanes = _lanes(items)
    tick_size = max(11.0, floor)
    axis_x = max(52.0, 14 + tick_size * 2.5)  # room for a year in the tick labels' type
    label_x = axis_x + 14 + LANE * max(lanes.values(), default=-1) + 18
    margin = 14.0

    def fit(size: float, details: bool) -> tuple[list[tuple[tuple[str, ...], tuple[str, ...]]], list[float]]:
        chars = max(12, int((width - label_x) / (size * CHAR_WIDTH)))
        # The first line reads "date  title"; the template sets the date in bold.
        blocks = [
            (
                tuple(textwrap.wrap(f"{item.span.label()}\u2002{item.title}", chars)),
                tuple(textwrap.wrap(item.detail or "", int(chars * 1.12))) if details else (),
            )
            for item in items
        ]
        heights = [size * LINE * len(t) + size * 0.9 * LINE * len(d) for t, d in blocks]
        return blocks, heights

    def needed(heights: list[float]) -> float:
        return sum(heights) + GAP * len(heights) + 3 * margin

    # Too many words for the room: first the details go, then the type shrinks (to `floor` at least).
    details = font_size * 0.9 >= floor
    blocks, block_heights = fit(font_size, details)
    if needed(block_heights) > max_height:
        blocks, block_heights = fit(font_size, False)
    while needed(block_heights) > max_height and font_size > floor:
        font_size = max(floor, font_size * 0.92)
        blocks, block_heights = fit(font_size, False)
    height = max(min_height, min(needed(block_heights) * 1.1, max_height), needed(block_heights))
    top, bottom = margin, height - margin

    def y_of(year: float) -> float:
        return top + (year - first_year) / (last_year - first_year) * (bottom - top)

    anchors = [y_of(item.span.bounds()[0]) for item in items]
    tops = _spread(anchors, block_heights, top - margin / 2, bottom + margin / 2)
    marks = []
    for item, anchor, label_top, (title, detail), h in zip(items, anchors, tops, blocks, block_heights, strict=False):
        lane = lanes.get(id(item))
        ranged = lane is not None
        marks.append(
            Mark(
                y=anchor,
                y_end=y_of(item.span.bounds()[1]) if ranged else None,
                lane_x=axis_x + 14 + LANE * lane if lane is not None else axis_x,
                label_y=label_top,
                label_height=h,
                date=item.span.label(),
                title_lines=title,
                detail_lines=detail,
            )
        )
    return TimelineLayout(
        width, height, axis_x, top, bottom, label_x, font_size, tick_size, _ticks(first_year, last_year, y_of),
        tuple(marks),
    )


def _lanes(items: tuple[TimelineItem, ...]) -> dict[int, int]:
    """Give each range a lane so that overlapping ranges sit side by side."""
    lane_ends: list[float] = []
    lanes: dict[int, int] = {}
    for item in items:
        if not item.span.is_range:
            continue
        begin, finish = item.span.bounds()
        for lane, lane_end in enumerate(lane_ends):
            if lane_end <= begin:
                lane_ends[lane] = finish
                lanes[id(item)] = lane
                break
        else:
            lane_ends.append(finish)
            lanes[id(item)] = len(lane_ends) - 1
    return lanes


def _spread(anchors: list[float], heights: list[float], top: float, bottom: float) -> list[float]:
    """Label tops as near their anchors as possible, in order, never overlapping, within bounds."""
    tops = []
    cursor = top
    for anchor, h in zip(anchors, heights, strict=False):
        y = max(anchor - h / 2 + 4, cursor)
        tops.append(y)
        cursor = y + h + GAP
    # Pushed past the bottom: slide labels back up, last first.
    limit = bottom
    for i in range(len(tops) - 1, -1, -1):
        if tops[i] + heights[i] > limit:
            tops[i] = limit - heights[i]
        limit = tops[i] - GAP
    return tops


def _ticks(first: int, last: int, y_of: Callable[[float], float]) -> tuple[YearTick, ...]:
    span = last - first
    step = next(s for s in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000) if span / s <= 25)
    start = math.ceil(first / step) * step
    return tuple(YearTick(y_of(year), str(year)) for year in range(start, last + 1, step))
