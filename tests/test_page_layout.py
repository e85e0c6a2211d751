"""Pages that waste no paper: decisions measured on a WeasyPrint layout (render/pdf/measure.py), checked on
the printed pixels of the example pack and on measurements made up for the rules."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from builder import build_pack
from builder.model import PageHints
from builder.render.pdf.measure import NEARLY_EMPTY, Measured, Page, _glossary, decide
from tests.conftest import EXAMPLE, page_fills

ALLOWED = {"flashcards"}  # a sheet of cards to cut out ends its page, however few cards are left for it


def _exempt(pdf: Path) -> set[int]:
    """The pages (from 1) of `pdf` on which a part that ends its page ends: read from the PDF's bookmarks."""
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    starts = []
    for entry in reader.outline:
        if isinstance(entry, list):
            continue
        starts.append((reader.get_destination_page_number(entry) + 1, entry.title))
    exempt = set()
    for (page, title), following in zip(starts, [*starts[1:], (len(reader.pages) + 1, "")], strict=False):
        if title.lower().startswith(tuple(ALLOWED)):
            exempt.update(range(page, following[0]))
    return exempt


@pytest.mark.parametrize("level", ["elementary", "middle", "high"])
@pytest.mark.parametrize("edition", ["student", "teacher"])
def test_no_page_is_less_than_a_third_full(example_build: Path, level: str, edition: str) -> None:
    """Read from the pixels poppler prints: every page but the last, and those of cards to cut out, is at
    least a third full."""
    pdf = example_build / f"sino-soviet-split-{level}-{edition}.pdf"
    fills = page_fills(pdf)
    exempt = _exempt(pdf) | {len(fills)}
    thin = [(n, round(fill, 2)) for n, fill in enumerate(fills, 1) if fill < NEARLY_EMPTY and n not in exempt]
    assert not thin, f"pages less than a third full: {thin}"


def test_the_example_pack_uses_fewer_pages_and_the_manifest_counts_them(example_build: Path) -> None:
    manifest = json.loads((example_build.parent / "manifest.json").read_text(encoding="utf-8"))
    pdfs = [entry for entry in manifest["outputs"] if entry["format"] == "pdf"]
    assert len(pdfs) == 6 and all(isinstance(entry["pages"], int) and entry["pages"] > 0 for entry in pdfs)
    from pypdf import PdfReader

    for entry in pdfs:
        assert entry["pages"] == len(PdfReader(example_build.parent / entry["path"]).pages)
    # 128 pages before pages were measured (a blank page before the flashcards, sources and worksheet tails
    # alone on their pages); the 85 of issue 19 assumed teacher editions without the whole student handout.
    assert sum(entry["pages"] for entry in pdfs) <= 116


def _page(fill: float, *starts: str, height: float = 900.0) -> Page:
    return Page(fill, fill * height, starts)


def test_a_part_begins_under_a_nearly_empty_page_only_where_that_helps() -> None:
    from tests.conftest import make_document

    document = make_document(["cover", "article", "worksheet", "glossary"])
    # The article ends on a page a fifth full; the worksheet ends a page half full; the glossary is a page.
    pages = (_page(0.7, "cover"), _page(0.9, "article"), _page(0.2, "article"), _page(0.9, "worksheet"),
             _page(0.5, "worksheet"), _page(0.8, "glossary"))
    measured = Measured(pages, 900.0, (), None)
    hints = decide(document, measured, ["worksheet", "glossary"], ["worksheet", "glossary"], ["cover"])
    # The worksheet must take the page under a third full; the glossary (0.8 of a page) would not fit under the
    # half of a page the worksheet leaves: begun there it would only spread over two pages.
    assert hints.flow == ("worksheet",)
    assert decide(document, measured, ["worksheet"], ["worksheet"], ["article"]).flow == ()  # it ends its page
    # A short part begins under a page well over half full when it fits there whole (an imported article's
    # one-entry glossary was left alone on a page an eighth full).
    pages = (_page(0.7, "cover"), _page(0.9, "article"), _page(0.7, "worksheet"), _page(0.1, "glossary"))
    hints = decide(document, Measured(pages, 900.0, (), None), ["worksheet", "glossary"], ["worksheet", "glossary"],
                   ["cover"])
    assert hints.flow == ("glossary",)


def test_a_blank_page_before_cards_takes_a_one_page_part_or_gives_one_back() -> None:
    from tests.conftest import make_document

    document = make_document(["cover", "glossary", "flashcards", "timeline"])
    pages = (_page(0.7, "cover"), _page(0.8, "glossary"), _page(0.0), _page(0.5, "flashcards"),
             _page(0.5, "flashcards"), _page(0.9, "timeline"))
    hints = decide(document, Measured(pages, 900.0, (), None), ["timeline"], [], ["flashcards"])
    assert hints.order == ("cover", "glossary", "timeline", "flashcards")
    document = make_document(["cover", "timeline", "flashcards"])
    pages = (_page(0.7, "cover"), _page(0.9, "timeline"), _page(0.0), _page(0.5, "flashcards"))
    hints = decide(document, Measured(pages, 900.0, (), None), ["timeline"], [], ["flashcards"])
    assert hints.order == ("cover", "flashcards", "timeline")


def test_glossary_columns_are_packed_from_measured_heights() -> None:
    entries = tuple((100.0 + 10 * (i % 3), 10.0) for i in range(20))  # 2,200 px of entries
    measured = Measured((_page(0.9, "glossary"),), 900.0, entries, 60.0)
    pages = _glossary(measured, 0.0)
    assert pages is not None and sum(left + right for left, right in pages) == 20
    heights = [h for h, _ in entries]
    at = 0
    for number, (left, right) in enumerate(pages):
        room = 900.0 - (60.0 if number == 0 else 0.0)
        for count in (left, right):
            column = heights[at:at + count]
            assert sum(column) - 10.0 <= room + 1e-6, "a column runs past its page"
            at += count
    assert pages[0][0] + pages[0][1] >= 14, "the first page is filled before the next is begun"
    left, right = pages[-1]
    assert abs(left - right) <= 1, "the last page's columns are balanced"
    assert _glossary(Measured((_page(0.9),), 900.0, (), None), 0.0) is None


def test_page_decisions_are_kept_and_give_the_same_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Decided on a first layout, or read back from the cache: the same bytes."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    options = {"levels": ("high",), "formats": ("pdf",), "editions": ("student",)}
    build_pack([EXAMPLE], out=tmp_path / "cold", **options)
    kept = list((tmp_path / "cache" / "teachpack" / "layout").glob("*.json"))
    assert kept and any(json.loads(path.read_text())["flow"] for path in kept)
    build_pack([EXAMPLE], out=tmp_path / "warm", **options)
    name = "sino-soviet-split/sino-soviet-split-high-student.pdf"
    assert (tmp_path / "cold" / name).read_bytes() == (tmp_path / "warm" / name).read_bytes()
    assert PageHints() == PageHints((), None, None)


def test_worksheet_items_fill_the_gaps_page_breaks_leave() -> None:
    from builder.render.pdf.measure import _packed

    # (page, top, height, bottom margin): a tall item that does not fit under the first, short ones after it.
    printed = ((0, 100.0, 300.0, 10.0), (1, 0.0, 800.0, 10.0), (2, 0.0, 200.0, 10.0), (2, 200.0, 200.0, 10.0))
    # In order they take three pages; the short items fill the first page's gap and save one.
    assert _packed(printed, 900.0, None) == (0, 2, 3, 1)
    assert _packed(((0, 100.0, 300.0, 10.0), (0, 400.0, 300.0, 10.0)), 900.0, None) is None  # nothing to gain
    # An item taller than a page, after others, goes on a page of its own (and the packing ends).
    tall = ((0, 100.0, 300.0, 10.0), (1, 0.0, 1500.0, 10.0), (3, 0.0, 100.0, 10.0))
    assert _packed(tall, 900.0, None) in (None, (0, 2, 1))
    # A worksheet that was to begin under the page before, pushed on by its tall first item, begins there
    # with the first item that fits.
    assert _packed(((1, 60.0, 700.0, 10.0), (1, 760.0, 100.0, 10.0)), 900.0, 600.0) == (1, 0)


def test_the_printed_order_numbers_the_items_and_the_answer_key_again(example_build: Path) -> None:
    import dataclasses

    from builder.load.loader import load_pack
    from builder.render.pdf.measure import arranged
    from builder.resolve.document import resolve

    pack = load_pack(EXAMPLE)
    document = resolve(pack, pack.levels[1], "teacher")
    worksheet = next(c for c in document.components if c.name == "worksheet")
    count = len(worksheet.items)
    order = (count - 1, *range(count - 1))  # the last item first
    printed = arranged(dataclasses.replace(document, hints=PageHints(items=(("worksheet", order),))))
    items = next(c for c in printed.components if c.name == "worksheet").items
    assert [item.number for item in items] == list(range(1, count + 1))
    assert items[0].heading == worksheet.items[-1].heading and items[1].heading == worksheet.items[0].heading
    key = next(c for c in printed.components if c.name == "answer-key")
    assert [item.heading for item in key.groups[0][1]] == [item.heading for item in items]
