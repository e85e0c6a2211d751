"""The pieces on their own: dates, the timeline layout, the YAML reader, the article and the model."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.core.dates import PartialDate, parse_date
from builder.load.article import parse_article, slugify
from builder.load.schema import GlossaryEntry
from builder.load.yamlfile import read_yaml
from builder.model import Section, TimelineItem
from builder.render.html.templates import css_string
from builder.render.html.timeline_layout import layout_timeline
from builder.resolve.document import bold_first_use


@pytest.mark.parametrize(
    "text,label,bounds",
    [
        ("1950", "1950", (1950.0, 1951.0)),
        ("1950-02", "February 1950", (1950 + 31 / 365, 1950 + 59 / 365)),
        ("1950-02-14", "February 14, 1950", (1950 + 44 / 365, 1950 + 45 / 365)),
        ("1958-1960", "1958\u20131960", (1958.0, 1961.0)),
        ("1950-06-25 to 1953-07-27", "June 25, 1950\u2013July 27, 1953", None),
    ],
)
def test_parse_date(text: str, label: str, bounds: tuple[float, float] | None) -> None:
    span = parse_date(text)
    assert span.label() == label
    if bounds:
        assert span.bounds() == pytest.approx(bounds)


@pytest.mark.parametrize(
    "text,message",
    [
        ("1950-13", "is not a real date"),
        ("1950-02-30", "is not a real date"),
        ("Feb 1950", "is not a date; write YYYY, YYYY-MM, YYYY-MM-DD or a range like 1958-1960"),
        ("1960-1958", "ends before it starts"),
    ],
)
def test_parse_date_errors(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_date(text)


def test_dates_sort_chronologically() -> None:
    spans = [parse_date(t) for t in ("1950-1953", "1950-02-14", "1949-10-01", "1950")]
    ordered = sorted(spans, key=lambda s: s.sort_key())
    assert [s.label() for s in ordered] == ["October 1, 1949", "1950", "1950\u20131953", "February 14, 1950"]
    assert PartialDate(1950).position() < PartialDate(1950, 2, 14).position()


def _items(n: int, span_every: int = 4) -> tuple[TimelineItem, ...]:
    items = []
    for i in range(n):
        year = 1949 + (i * 7) % 21
        date = f"{year}-{year + 2}" if i % span_every == 0 else f"{year}-0{1 + i % 9}"
        items.append(
            TimelineItem(parse_date(date), f"Event number {i} with a title long enough to wrap once", "Detail")
        )
    return tuple(sorted(items, key=lambda it: it.span.sort_key()))


@pytest.mark.parametrize("n", [1, 2, 8, 16, 30])
def test_timeline_labels_never_overlap_and_stay_inside(n: int) -> None:
    layout = layout_timeline(_items(n), width=680, min_height=600, font_size=14, max_height=760)
    boxes = sorted((m.label_y, m.label_y + m.label_height) for m in layout.marks)
    for (_, bottom), (top, _) in zip(boxes, boxes[1:], strict=False):
        assert top >= bottom, "labels overlap"
    assert boxes[0][0] >= 0 and boxes[-1][1] <= layout.height + 1e-6


def test_timeline_is_to_scale() -> None:
    items = tuple(TimelineItem(parse_date(d), d, None) for d in ("1950", "1951", "1960"))
    layout = layout_timeline(items, width=600, min_height=500)
    ys = [m.y for m in layout.marks]
    assert (ys[2] - ys[0]) == pytest.approx(10 * (ys[1] - ys[0]))
    ranged = layout_timeline((TimelineItem(parse_date("1950-1953"), "War", None),), 600, 500)
    mark = ranged.marks[0]
    assert mark.y_end is not None and mark.y_end > mark.y
    assert {t.label for t in layout.ticks} >= {"1950", "1955", "1960"}


def test_overlapping_ranges_get_separate_lanes() -> None:
    items = tuple(TimelineItem(parse_date(d), d, None) for d in ("1950-1953", "1952-1956", "1954-1955"))
    lanes = [m.lane_x for m in layout_timeline(items, 600, 500).marks]
    assert lanes[0] != lanes[1] and lanes[2] == lanes[0]


def test_yaml_lines_and_duplicates(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("a: 1\nb:\n  - x: 1\n  - x: 2\n", encoding="utf-8")
    data, lines, problems = read_yaml(path, "p.yaml")
    assert problems == [] and data == {"a": 1, "b": [{"x": 1}, {"x": 2}]}
    assert lines[("b", 1, "x")] == 4
    path.write_text("a: 1\nc:\n  d: 1\n  d: 2\n", encoding="utf-8")
    _, _, problems = read_yaml(path, "p.yaml")
    assert [str(p) for p in problems] == ["p.yaml:4: c.d: duplicate key (first given on line 3); keep one"]


def test_yaml_refuses_python_tags(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("a: !!python/object/apply:os.system ['true']\n", encoding="utf-8")
    _, _, problems = read_yaml(path, "p.yaml")
    assert [str(p) for p in problems] == [
        "p.yaml:1: a: unsupported tag 'tag:yaml.org,2002:python/object/apply:os.system'; remove it"
    ]


def test_article_sections_and_blocks() -> None:
    article = parse_article(
        "# T\n\nLead.\n\n## Mao in Moscow (1950)\n\nA **b** *i*.\n\n- x\n- y\n\n"
        "> Quote\n\n### Sub\n\n<script>alert(1)</script>\n\n## Mao in Moscow (1950)\n\nAgain.\n"
    )
    assert [s.id for s in article.sections] == ["introduction", "mao-in-moscow-1950", "mao-in-moscow-1950-2"]
    kinds = [b.kind for b in article.sections[1].blocks]
    assert kinds == ["paragraph", "list", "quote", "subheading", "paragraph"]
    assert article.sections[1].blocks[-1].runs[0].text == "<script>alert(1)</script>"  # text, never markup
    assert slugify("  Ends -- (1969)! ") == "ends-1969"


def test_glossary_terms_bold_once_at_first_use() -> None:
    sections = parse_article(
        "## A\n\nThe alliance held. Alliances fail; the alliance broke.\n\n## B\n\nAn alliance again.\n"
    ).sections
    glossary = [GlossaryEntry(term="alliance", definition="d", forms=("alliances",))]
    marked = bold_first_use(sections, glossary)
    terms = [r.text for s in marked for b in s.blocks for r in b.runs if r.term]
    assert terms == ["alliance"]
    first = marked[0].blocks[0].runs
    assert "".join(r.text for r in first) == "The alliance held. Alliances fail; the alliance broke."
    assert isinstance(marked[0], Section)


def test_term_not_matched_inside_other_words() -> None:
    sections = parse_article("## A\n\nA coalition, then the Cold War.\n").sections
    marked = bold_first_use(
        sections, [GlossaryEntry(term="Cold War", definition="d"), GlossaryEntry(term="coal", definition="d")]
    )
    assert [r.text for r in marked[0].blocks[0].runs if r.term] == ["Cold War"]


def test_css_string_escapes_quotes_and_newlines() -> None:
    assert css_string('Say "hi"\\\n') == '"Say \\22 hi\\22 \\5c \\a "'


def test_glossary_columns_balance_and_fill_the_left_first() -> None:
    from builder.model import GlossaryItem
    from builder.render.html.page import two_columns

    one = (GlossaryItem("shovels", ""),)
    assert two_columns(one, 650, 900, 16, 1.4) == [([one[0]], [])]
    items = tuple(GlossaryItem(f"term {i}", "A definition of middling length for the test. " * (1 + i % 3)) for i in range(10))
    (left, right), = two_columns(items, 650, 900, 16, 1.4)
    assert left + right == list(items) and abs(len(left) - len(right)) <= 2
