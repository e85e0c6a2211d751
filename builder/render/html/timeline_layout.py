"""Lay out a vertical timeline: a year axis, ticks, range bars, and labels level with their dots that never overlap.

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
DOT = 0.65  # from a label's top to its dot, in ems: level with the middle of the figures of its date
LANE = 9.0  # horizontal distance between range bars


@dataclass(frozen=True)
class YearTick:
    y: float
    label: str


@dataclass(frozen=True)
class Segment:
    """A stretch of the axis between two events (or an end): `stretched` when it is drawn longer than the
    scale, to make room for labels of events close together (the template draws it dashed)."""

    y0: float
    y1: float
    stretched: bool


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
    segments: tuple[Segment, ...] = ()
    legend_lines: tuple[str, ...] = ()  # under the axis when it is stretched: what its dashes mean

    @property
    def stretched(self) -> bool:
        return any(segment.stretched for segment in self.segments)


def layout_timeline(
    items: tuple[TimelineItem, ...],
    width: float,
    min_height: float,
    font_size: float = 11.0,
    max_height: float = 900.0,
    min_size: float = 32 / 3,
    legend: str = "",
) -> TimelineLayout:
    """Place `items` on a vertical year axis `width` px wide, `min_height` to `max_height` tall.

    Every label sits level with its dot, its dot where its date is on the axis. Where events crowd closer
    than their labels are tall, the axis stretches there (a piecewise scale: `Segment.stretched`, drawn
    dashed) rather than a label sliding away from its date. No text is smaller than `min_size` px (the
    level's smallest type: 8 pt is 10.7 px); the year numbers are at least 12 px (9 pt). `legend` says what
    the dashes mean, printed under the axis when it is stretched.
    """
    floor = max(9.0, min_size)
    start = min(item.span.bounds()[0] for item in items)
    end = max(item.span.bounds()[1] for item in items)
    first_year, last_year = math.floor(start), math.ceil(end)
    if last_year - first_year < 2:
        last_year = first_year + 2

    lanes = _lanes(items)
    tick_size = max(12.0, floor)
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

    order = sorted(range(len(items)), key=lambda i: items[i].span.sort_key())
    dates = [items[i].span.bounds()[0] for i in order]
    # What the dashes of a stretched axis mean, in lines under it; the labels leave room for them.
    legend_lines = tuple(textwrap.wrap(legend, max(12, int((width - axis_x - 22) / (tick_size * CHAR_WIDTH)))))
    legend_height = tick_size * LINE * len(legend_lines) + 4 * bool(legend_lines)
    room = max_height - 2 * margin - legend_height

    def stacked(heights: list[float]) -> float:
        return sum(heights[i] + gap for i in order)  # the height of the labels one under the other

    # Too many words for the room: first the details go, then the labels close up, then the type shrinks
    # (to `floor` at least).
    gap = GAP
    details = font_size * 0.9 >= floor
    blocks, heights = fit(font_size, details)
    if stacked(heights) > room:
        blocks, heights = fit(font_size, False)
    if stacked(heights) > room:
        gap = max(GAP / 3, GAP - (stacked(heights) - room) / len(items))
    while stacked(heights) > room and font_size > floor:
        font_size = max(floor, font_size * 0.92)
        blocks, heights = fit(font_size, False)
    lead = font_size * DOT  # from a label's top down to its dot, level with the middle of its first line

    def axis(scale: float) -> tuple[list[float], float]:
        """Each event's dot with `scale` px a year, pushed down (stretching the axis) where the label
        above would otherwise reach it; and where the last year falls."""
        ys, reach, at, date = [], -math.inf, margin + (dates[0] - first_year) * scale, dates[0]
        for i, d in zip(order, dates, strict=True):
            at = max(at + (d - date) * scale, reach + lead)
            ys.append(at)
            reach, date = at - lead + heights[i] + gap, d
        return ys, max(at + (last_year - date) * scale, reach - gap)

    def widest(limit: float) -> float:
        """The largest scale whose axis and labels end above `limit` (bisection: they only grow with it)."""
        low, high = 0.0, room / (last_year - first_year)
        for _ in range(40):
            middle = (low + high) / 2
            low, high = (middle, high) if axis(middle)[1] <= limit else (low, middle)
        return low

    # As tall as the labels need and a tenth more, at least `min_height`: a short timeline is no taller than
    # its page, the DOCX's included, leaves room for (a picture scaled down would shrink its type too).
    target = max(min_height, min(stacked(heights) * 1.1 + 3 * margin, max_height))
    # Labels that do not fit even one under the other (type at its floor) still leave the axis a scale: a
    # tick every fifth of the span, at least, far enough apart for their numbers.
    least = 1.5 * tick_size / max(1.0, (last_year - first_year) / 5)
    scale = max(least, widest(target - margin))
    dots, bottom = axis(scale)
    if any(_stretched(b - a, d1 - d0, scale) for a, b, d0, d1 in zip(dots, dots[1:], dates, dates[1:], strict=False)):
        scale = max(least, widest(target - margin - legend_height))
        dots, bottom = axis(scale)
    else:
        legend_lines, legend_height = (), 0.0
    height = max(min_height, bottom + margin + legend_height)

    # The axis as (year, y) points: where it starts, each event, where it ends.
    points = [(float(first_year), margin + 0.0)]
    for d, y in zip(dates, dots, strict=True):
        if d <= points[-1][0]:  # events of one date: the axis holds still, its length given to the labels
            d = math.nextafter(points[-1][0], math.inf)
        points.append((d, y))
    points.append((max(float(last_year), math.nextafter(points[-1][0], math.inf)),
                   points[-1][1] + (last_year - dates[-1]) * scale))

    def y_of(year: float) -> float:
        for (y0, p0), (y1, p1) in zip(points, points[1:], strict=False):
            if year <= y1:
                return p0 + (p1 - p0) * max(0.0, year - y0) / (y1 - y0)
        return points[-1][1] + (year - points[-1][0]) * scale

    segments = tuple(
        Segment(p0, p1, stretched=_stretched(p1 - p0, y1 - y0, scale))
        for (y0, p0), (y1, p1) in zip(points, points[1:], strict=False) if p1 > p0
    )
    at_dot = dict(zip(order, dots, strict=True))
    marks = []
    for i, (item, (title, detail), h) in enumerate(zip(items, blocks, heights, strict=True)):
        lane = lanes.get(id(item))
        marks.append(
            Mark(
                y=at_dot[i],
                y_end=y_of(item.span.bounds()[1]) if lane is not None else None,
                lane_x=axis_x + 14 + LANE * lane if lane is not None else axis_x,
                label_y=at_dot[i] - lead,
                label_height=h,
                date=item.span.label(),
                title_lines=title,
                detail_lines=detail,
            )
        )
    return TimelineLayout(
        width, height, axis_x, margin, points[-1][1], label_x, font_size, tick_size,
        _ticks(first_year, last_year, y_of, tick_size), tuple(marks), segments, legend_lines,
    )


def _stretched(length: float, years: float, scale: float) -> bool:
    """Whether a stretch of axis `length` px long for `years` years is longer than the scale draws them."""
    return length > years * scale * 1.05 + 0.5


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


def _ticks(first: int, last: int, y_of: Callable[[float], float], size: float) -> tuple[YearTick, ...]:
    """A tick every year, or every 2, 5, 10, ... years where that would bring two of the numbers (`size` px
    type) closer than one and a half lines, wherever the axis is not stretched enough to part them."""
    span = last - first
    for step in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000):
        start = math.ceil(first / step) * step
        ticks = tuple(YearTick(y_of(year), str(year)) for year in range(start, last + 1, step))
        if span / step <= 25 and all(b.y - a.y >= 1.5 * size for a, b in zip(ticks, ticks[1:], strict=False)):
            break
    return ticks
