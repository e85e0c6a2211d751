"""Timeline labels read at their dates: checked on the laid-out PDF (where the text really is) and on the layout."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from lxml import etree

from builder.core.dates import parse_date
from builder.load.loader import load_pack
from builder.model import TimelineItem
from builder.render.html.timeline_layout import DOT, layout_timeline
from builder.resolve.document import resolve
from tests.conftest import EXAMPLE

YEAR = re.compile(r"^\d{3,4}$")


def _lines(pdf: Path, page: int) -> list[tuple[str, float, float, float, float]]:
    """Every text line on `page` of `pdf` as pdftotext lays it out: (text, x0, y0, x1, y1) in pt."""
    out = subprocess.run(["pdftotext", "-bbox-layout", "-f", str(page), "-l", str(page), str(pdf), "-"],
                         check=True, capture_output=True).stdout
    root = etree.fromstring(out, etree.XMLParser(recover=True))
    lines = []
    for line in root.iter("{*}line"):
        words = list(line.iter("{*}word"))
        box = [float(line.get(side)) for side in ("xMin", "yMin", "xMax", "yMax")]
        lines.append((" ".join(w.text or "" for w in words), *box))
    return lines


def _timeline_page(pdf: Path, title: str) -> int:
    pages = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    count = int(re.search(r"Pages:\s+(\d+)", pages).group(1))
    return next(n for n in range(count, 0, -1) if any(text.startswith(title) for text, *_ in _lines(pdf, n)))


@pytest.mark.parametrize("level", ["elementary", "middle", "high"])
def test_each_label_reads_at_its_date_on_the_printed_axis(example_build: Path, level: str) -> None:
    """Read the axis as a reader does: the year numbers printed beside it, and each label's date line level
    with a point of it; that point is within half a year of the event's date, and no two lines overlap."""
    pack = load_pack(EXAMPLE)
    document = resolve(pack, next(lv for lv in pack.levels if lv.id == level))
    timeline = next(c for c in document.components if c.name == "timeline")
    pdf = example_build / f"sino-soviet-split-{level}-student.pdf"
    lines = _lines(pdf, _timeline_page(pdf, timeline.title))
    ticks = sorted(((y0 + y1) / 2, int(text)) for text, x0, y0, x1, y1 in lines if YEAR.match(text))
    assert len(ticks) >= 10, ticks
    assert all(b[1] > a[1] for a, b in zip(ticks, ticks[1:], strict=False)), "the years run down the axis in order"

    def year_at(y: float) -> float:
        for (ya, a), (yb, b) in zip(ticks, ticks[1:], strict=False):
            if y <= yb:
                return a + (b - a) * (y - ya) / (yb - ya)
        return ticks[-1][1]

    axis_right = max(x1 for text, x0, y0, x1, y1 in lines if YEAR.match(text))
    for event in timeline.items:
        span = event.span
        label = next(line for line in lines if line[0].startswith(span.label()))
        read = year_at((label[2] + label[4]) / 2)
        assert abs(read - span.bounds()[0]) <= 0.5, f"{span.label()} reads as {read:.2f} on the axis"
        assert label[1] > axis_right
    labels = [line for line in lines if line[1] > axis_right and line[2] > ticks[0][0] - 20]
    for i, a in enumerate(labels):  # pdftotext's boxes run from ascent to descent: lines set close overlap a little
        for b in labels[i + 1:]:
            apart = abs((a[2] + a[4]) - (b[2] + b[4])) / 2
            side_by_side = min(a[3], b[3]) <= max(a[1], b[1])
            assert side_by_side or apart >= 0.7 * min(a[4] - a[2], b[4] - b[2]), f"{a[0]!r} overlaps {b[0]!r}"


def _crowded(n: int) -> tuple[TimelineItem, ...]:
    """`n` events, most of them within months of one another, some on one day, a few ranges."""
    dates = [f"1960-{1 + i % 12:02d}-{1 + i % 3:02d}" for i in range(n - 3)] + ["1950", "1950", "1962-1975"]
    items = [TimelineItem(parse_date(d), f"Event {i} with a title that is long enough to wrap", "A detail line")
             for i, d in enumerate(dates)]
    return tuple(sorted(items, key=lambda item: item.span.sort_key()))


@pytest.mark.parametrize("n", [2, 6, 14, 24])
@pytest.mark.parametrize("font_size", [13.0, 24.0])  # body type, and large print
def test_crowded_events_stretch_the_axis_not_the_labels_away(n: int, font_size: float) -> None:
    items = _crowded(n)
    layout = layout_timeline(items, width=680, min_height=600, font_size=font_size, max_height=900,
                             min_size=font_size * 0.75)
    ticks = sorted((t.y, int(t.label)) for t in layout.ticks)
    for mark, item in zip(layout.marks, items, strict=False):
        assert mark.label_y + DOT * layout.font_size == pytest.approx(mark.y), "each label is level with its dot"
        assert layout.axis_top <= mark.y <= layout.axis_bottom
        # Between the year ticks around it, the dot is where its date falls (the axis may be stretched there).
        above = max((t for t in ticks if t[0] <= mark.y + 1e-6), default=None)
        below = min((t for t in ticks if t[0] >= mark.y - 1e-6), default=None)
        start = item.span.bounds()[0]
        if above is not None:
            assert above[1] <= start + 1e-9
        if below is not None:
            assert start <= below[1] + 1e-9
    boxes = sorted((m.label_y, m.label_y + m.label_height) for m in layout.marks)
    for (_, bottom), (top, _) in zip(boxes, boxes[1:], strict=False):
        assert top >= bottom - 1e-6, "labels overlap"
    assert layout.tick_size >= 12, "the year numbers are at least 9 pt"
    same_day = [m for m, item in zip(layout.marks, items, strict=False) if item.span.label() == "1950"]
    assert len({round(m.y, 3) for m in same_day}) == len(same_day), "events of one date get a line each"
    if n >= 14:
        assert layout.stretched, "events within weeks of each other need more room than the scale gives"
