"""What a laid-out PDF holds, measured from WeasyPrint's own boxes, and the page decisions taken from it.

A first layout of a document is measured: how full each page is, the page each part starts on, and the
height of every glossary entry as it is really set. `decide` turns that into PageHints (model.py): the
parts that begin under what ends on a page less than a third full, and glossary columns packed from the
measured heights. The renderer lays the document out again with them when they change anything, and
keeps them (cached under the first layout's inputs) so the next build lays it out once.
Pure functions over WeasyPrint's page boxes; nothing here writes a PDF.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from builder.model import Document, PageHints

NEARLY_EMPTY = 1 / 3  # no page may be less full than this (but a document's last, or a page a part must end)
HALF_EMPTY = 1 / 2  # a part that may, begins under what ends on a page less full than this


@dataclass(frozen=True)
class Page:
    fill: float  # how far down its content area the page is used, 0 (blank) to 1
    bottom: float  # where what is drawn on it ends, px below the content area's top
    starts: tuple[str, ...]  # the ids of the elements on it (WeasyPrint's anchors: a part's on each of its pages)


@dataclass(frozen=True)
class Measured:
    pages: tuple[Page, ...]
    height: float  # a page's content area, px
    entries: tuple[tuple[float, float], ...]  # each glossary entry's height with its margins, and its bottom margin
    glossary_top: float | None  # where the glossary's first entry is set, px below its page's content top

    def first_page(self, name: str) -> int | None:
        """The index of the first page `name` (an element's id) is on, or None."""
        return next((i for i, page in enumerate(self.pages) if name in page.starts), None)


def measure(pages: Sequence[Any]) -> Measured:
    """Measure WeasyPrint pages (Document.pages) of one layout."""
    from weasyprint.formatting_structure import boxes

    measured, entries, glossary_top = [], [], None
    height = 1.0
    for page in pages:
        page_box = page._page_box  # WeasyPrint's laid-out page (the pinned version's box tree)
        top, height = page_box.content_box_y(), page_box.height
        bottom = 0.0
        for root in page_box.children:
            if isinstance(root, boxes.MarginBox):  # the running head and the page number
                continue
            for box in root.descendants():
                drawn = isinstance(box, (boxes.LineBox, boxes.ReplacedBox)) or (
                    isinstance(box, boxes.BlockBox) and (box.border_bottom_width or box.border_top_width))
                if drawn and box.height:
                    bottom = max(bottom, box.position_y + box.margin_height() - box.margin_bottom - top)
                if (isinstance(box, boxes.BlockContainerBox) and box.element_tag == "ul" and box.element is not None
                        and "glossary-column" in (box.element.get("class") or "").split()):
                    for entry in box.children:  # glossary.html: ul.glossary-column > li.entry
                        if isinstance(entry, boxes.BlockBox) and entry.element_tag == "li":
                            if glossary_top is None:
                                glossary_top = entry.position_y - top
                            entries.append((entry.margin_height(), entry.margin_bottom))
        measured.append(Page(min(1.0, max(0.0, bottom / height)), bottom, tuple(page.anchors)))
    return Measured(tuple(measured), height, tuple(entries), glossary_top)


def decide(document: Document, measured: Measured, flows: Sequence[str], breakable: Sequence[str],
           closed: Sequence[str] = ()) -> PageHints:
    """The page decisions for `document` from a layout of it, added to those it was laid out with: `flows`
    names the parts that may begin on the page before them, `breakable` those of them that may break over
    pages (else one begins there only when it fits whole), `closed` the parts nothing begins under (the
    cover, flashcards: their pages are theirs). A part moved up into a blank page is decided on first: the
    pages after it change, so the rest waits for the layout with it moved."""
    hints = document.hints
    names = [c.name for c in arranged(document).components]  # as the layout measured prints them
    order = _filled(names, measured, flows, breakable)
    if order is not None:
        moved = next(a for a, b in zip(order, names, strict=True) if a != b)
        return PageHints(tuple(n for n in hints.flow if n != moved), hints.glossary, order)
    flow = set(hints.flow)
    lower = 0.0  # how much lower the glossary begins than measured, when it now begins under another part
    for before, name in zip(names, names[1:], strict=False):
        start = measured.first_page(name)
        if name in flow or name not in flows or before in closed or not start:
            continue
        previous = measured.pages[start - 1]
        if previous.fill == 0 or previous.fill >= HALF_EMPTY:  # blank: a part that starts on a right page
            continue
        # Begun there, it ends a page sooner only if what it sets on its last page fits in the room left (a part
        # kept whole: all of it); else it would only spread over the same number of pages.
        # A page under a third full must take what follows (if that can break over pages); one under half full
        # only when that saves a page.
        last = max(i for i, page in enumerate(measured.pages) if name in page.starts)
        room = 1 - previous.fill - _gap(measured) / measured.height
        fits = measured.pages[last].fill <= room and (name in breakable or last == start)
        if not fits and not (name in breakable and previous.fill < NEARLY_EMPTY):
            continue
        flow.add(name)
        if name == "glossary":
            lower = previous.bottom + _gap(measured)
    glossary = _glossary(measured, lower) if "glossary" in names else None
    return PageHints(tuple(n for n in names if n in flow), glossary if glossary is not None else hints.glossary,
                     hints.order)


def _gap(measured: Measured) -> float:
    """The space a part beginning under another leaves above its heading (pack.css `section.flows`): 2.5 em
    of the body type, taken as a fortieth of the page's height."""
    return measured.height / 40 * 2.5


def _glossary(measured: Measured, lower: float) -> tuple[tuple[int, int], ...] | None:
    """Entries per page, (left column, right column), packed into the measured heights: each page's columns
    filled before the next page is begun, the last page's balanced. `lower`: how much lower the glossary's
    first entry begins than it did when measured. None when the layout set no glossary columns."""
    entries = measured.entries
    if not entries or measured.glossary_top is None:
        return None
    first = measured.height - measured.glossary_top - lower
    pages: list[tuple[int, int]] = []
    i = 0
    while i < len(entries):
        room = first if not pages else measured.height
        left = max(1, _fits(entries, i, room))  # an entry taller than a column goes alone
        right = _fits(entries, i + left, room)
        if i + left + right >= len(entries):  # the rest fits on this page: balance its two columns
            rest = entries[i:]
            split = min(range(1, len(rest) + 1), key=lambda k: (max(_height(rest[:k]), _height(rest[k:])), -k))
            pages.append((split, len(rest) - split))
            break
        pages.append((left, right))
        i += left + right
    return tuple(pages)


def _height(entries: Sequence[tuple[float, float]]) -> float:
    """A column's height: its entries one under the other, the last one's bottom margin dropped at its foot."""
    return sum(h for h, _ in entries) - (entries[-1][1] if entries else 0.0)


def _fits(entries: Sequence[tuple[float, float]], start: int, room: float) -> int:
    """How many entries from `start` one column `room` px tall holds."""
    count = 0
    while start + count < len(entries) and _height(entries[start:start + count + 1]) <= room:
        count += 1
    return count


def _filled(names: list[str], measured: Measured, flows: Sequence[str],
            breakable: Sequence[str]) -> tuple[str, ...] | None:
    """The parts' order with a one-page part moved so that a part beginning on a right-hand page (flashcards)
    leaves no blank page before it: one that follows it moves up into the blank page, or else the one just
    before it moves after it (either way it begins a page earlier). Only parts that may move (that `flows`,
    kept whole) move. None when no page is left blank."""
    def one_page(name: str) -> bool:
        return name in flows and name not in breakable and sum(name in page.starts for page in measured.pages) == 1

    for at, name in enumerate(names):
        start = measured.first_page(name)
        if not start or measured.pages[start - 1].fill > 0 or measured.pages[start - 1].starts:
            continue
        later = [n for n in names[at + 1:] if one_page(n)]
        if later:  # the first one-page part after it moves up into the blank page
            return (*names[:at], later[0], *(n for n in names[at:] if n != later[0]))
        if at > 0 and one_page(names[at - 1]):  # else the one-page part before it moves after it
            return (*names[:at - 1], name, names[at - 1], *names[at + 1:])
    return None


def arranged(document: Document) -> Document:
    """`document` with its parts in the order its page decisions give (PageHints.order), if any."""
    order = document.hints.order
    if not order or sorted(order) != sorted(c.name for c in document.components):
        return document
    by_name = {c.name: c for c in document.components}
    return dataclasses.replace(document, components=tuple(by_name[name] for name in order))
