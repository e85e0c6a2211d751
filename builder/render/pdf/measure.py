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

from builder.components.answer_key import AnswerKey
from builder.components.worksheet import Worksheet
from builder.model import Document, PageHints

NEARLY_EMPTY = 1 / 3  # no page may be less full than this (but a document's last, or a page a part must end)
HALF_EMPTY = 1 / 2  # a worksheet pushed off a page less full than this may begin there with a shorter item


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
    # Each worksheet's items as set, by the worksheet's id: (page, top px, height with margins, bottom margin).
    questions: dict[str, tuple[tuple[int, float, float, float], ...]] = dataclasses.field(default_factory=dict)
    heads: dict[str, float] = dataclasses.field(default_factory=dict)  # a worksheet's top to its first item

    def first_page(self, name: str) -> int | None:
        """The index of the first page `name` (an element's id) is on, or None."""
        return next((i for i, page in enumerate(self.pages) if name in page.starts), None)


def measure(pages: Sequence[Any]) -> Measured:
    """Measure WeasyPrint pages (Document.pages) of one layout."""
    from weasyprint.formatting_structure import boxes

    measured, entries, glossary_top = [], [], None
    questions: dict[str, list[tuple[int, float, float, float]]] = {}
    heads: dict[str, float] = {}
    height = 1.0
    for number, page in enumerate(pages):
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
                if (isinstance(box, boxes.BlockBox) and box.element_tag == "section" and box.element is not None
                        and "worksheet" in (box.element.get("class") or "").split() and box.element.get("id")):
                    name = box.element.get("id")
                    for ol in box.descendants():  # worksheet.html: ol.questions > li.question
                        if (isinstance(ol, boxes.BlockBox) and ol.element_tag == "ol" and ol.element is not None
                                and "questions" in (ol.element.get("class") or "").split()):
                            for item in ol.children:
                                if isinstance(item, boxes.BlockBox) and item.element_tag == "li":
                                    if name not in heads:
                                        heads[name] = item.position_y - box.position_y
                                    questions.setdefault(name, []).append(
                                        (number, item.position_y - top, item.margin_height(), item.margin_bottom))
        measured.append(Page(min(1.0, max(0.0, bottom / height)), bottom, tuple(page.anchors)))
    return Measured(tuple(measured), height, tuple(entries), glossary_top,
                    {name: tuple(items) for name, items in questions.items()}, heads)


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
        return PageHints(tuple(n for n in hints.flow if n != moved), hints.glossary, order, hints.items)
    flow = set(hints.flow)
    lower = 0.0  # how much lower the glossary begins than measured, when it now begins under another part
    for before, name in zip(names, names[1:], strict=False):
        start = measured.first_page(name)
        if name in flow or name not in flows or before in closed or not start:
            continue
        previous = measured.pages[start - 1]
        if previous.fill == 0:  # blank: a part that starts on a right page
            continue
        # A page takes what follows when that saves a page: when what the part sets on its last page (a part
        # kept whole: all of it) fits in the room left. One under a third full takes it anyway, if it can
        # break over pages.
        last = max(i for i, page in enumerate(measured.pages) if name in page.starts)
        room = 1 - previous.fill - _gap(measured) / measured.height
        fits = measured.pages[last].fill <= room and (name in breakable or last == start)
        if not fits and not (name in breakable and previous.fill < NEARLY_EMPTY):
            continue
        flow.add(name)
        if name == "glossary":
            lower = previous.bottom + _gap(measured)
    glossary = _glossary(measured, lower) if "glossary" in names else None
    items = dict(hints.items)
    for name, printed in measured.questions.items():
        start = measured.first_page(name)
        if start is None:
            continue
        begin = None  # where its first item would go if it began on the page before (it flows, but was pushed on)
        above = measured.pages[start - 1] if start else None
        if name in flow and above is not None and above.fill < HALF_EMPTY and printed[0][0] == start:
            begin = above.bottom + _gap(measured) + measured.heads.get(name, 0.0)
        packed = _packed(printed, measured.height, begin)
        if packed is not None:
            current = items.get(name, tuple(range(len(printed))))
            items[name] = tuple(current[i] for i in packed)
    return PageHints(tuple(n for n in names if n in flow), glossary if glossary is not None else hints.glossary,
                     hints.order, tuple(sorted(items.items())))


def _packed(printed: Sequence[tuple[int, float, float, float]], height: float,
            begin: float | None) -> tuple[int, ...] | None:
    """A worksheet's items in an order that fills the gaps the page breaks leave, or None to keep theirs.

    First fit, in order: each next item goes where the last one ended if it fits there, else the first later
    item that fits does, else a new page begins with the next one. Taken only when it ends on fewer pages,
    or when it lets a worksheet that was to begin on the page before (`begin`: where its first item would be
    set there, px from the top) begin there after all. The answer key follows the printed order."""
    first_page, first_top = printed[0][0], printed[0][1]

    def fill(order: Sequence[int], at: float, page: int) -> tuple[int, list[int]]:
        pages, placed, remaining = page, list[int](), list(order)
        while remaining:
            fitting = next((i for i in remaining if at + printed[i][2] - printed[i][3] <= height), None)
            if fitting is None:
                if at == 0.0:  # an item taller than a page: it goes alone, on a page of its own
                    fitting = remaining[0]
                else:
                    pages, at = pages + 1, 0.0
                    continue
            remaining.remove(fitting)
            placed.append(fitting)
            at += printed[fitting][2]
        return pages, placed

    natural = list(range(len(printed)))
    kept_pages = printed[-1][0]
    if begin is not None:
        pages, order = fill(natural, begin, first_page - 1)
        starts_before = order and begin + printed[order[0]][2] - printed[order[0]][3] <= height
        if starts_before and order != natural:
            return tuple(order)
    pages, order = fill(natural, first_top, first_page)
    return tuple(order) if pages < kept_pages and order != natural else None


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
    """`document` as its page decisions print it: its parts in their order (PageHints.order), and each
    worksheet's items in theirs (PageHints.items), numbered again in that order, the answer key's too."""
    hints = document.hints
    components = document.components
    order = hints.order
    if order and sorted(order) == sorted(c.name for c in components):
        by_name = {c.name: c for c in components}
        components = tuple(by_name[name] for name in order)
    moved: dict[int, Any] = {}  # id of an item as resolved -> the item as printed
    for name, permutation in hints.items:
        part = next((c for c in components if c.name == name), None)
        if not isinstance(part, Worksheet) or sorted(permutation) != list(range(len(part.items))):
            continue
        items = part.items
        first = min((item.number for item in items), default=1)
        printed = tuple(dataclasses.replace(items[i], number=first + n) for n, i in enumerate(permutation))
        moved.update((id(items[i]), item) for i, item in zip(permutation, printed, strict=True))
        components = tuple(dataclasses.replace(part, items=printed) if c is part else c for c in components)
    if moved:  # the answer key: each worksheet's items, now as printed
        components = tuple(
            dataclasses.replace(c, groups=tuple(
                (title, tuple(sorted((moved.get(id(i), i) for i in group), key=lambda i: i.number)))
                for title, group in c.groups))
            if isinstance(c, AnswerKey) else c
            for c in components)
    if components == document.components:
        return document
    return dataclasses.replace(document, components=components)
