"""Draft timeline events from the dates written in the article.

Finds full dates ("March 6, 1946"), months ("June 1950"), years and year ranges ("1957-60"),
decades ("the late 1960s") and centuries ("19th century"), each turned into a date the pack
format accepts. Decades and centuries become year ranges (the words stay in the detail); BC dates
are reported but left off, since pack dates have no BC years. Numbers that only look like years
("8,000 words", "$1900", "1500 soldiers") are not dates.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from builder.core.dates import parse_date
from builder.importer import events
from builder.importer.events import not_an_event, reference_section
from builder.importer.text import sentences, squash

if TYPE_CHECKING:
    from builder.importer.sections import Section

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH = r"(?P<month>(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?)"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_PART = r"(?:(?P<part>early|mid|late|Early|Mid|Late)[\s-]+)?"
_BC = r"(?:BCE|BC|B\.C\.(?:E\.)?)"
_NOT_AFTER = r"(?<![\d$\u00a3\u20ac,.#/:-])"
_UNITS = ("people|men|women|soldiers|troops|words|pages|years|miles|kilometers|kilometres|km|tons|tonnes|dollars|"
          "pounds|feet|metres|meters|copies|students|children|deaths|casualties|ships|planes|tanks|horses|acres|"
          "workers|votes|members|million|billion|thousand|hundred|percent")
_YEAR_END = rf"(?!\d|[,.]\d|['\u2019]?s\b|\s*%|\s+(?:{_UNITS})\b|\s*{_BC})"


class _Skip(Exception):
    """A date that cannot go on the timeline; the message says why."""


@dataclass
class DraftEvent:
    date: str
    title: str
    detail: str | None
    sections: list[str]
    wording: str
    from_heading: bool = False
    pronoun: str | None = None  # the title's subject is this pronoun: no name to put for it was found
    cut: bool = False  # the title is the first words of a longer phrase: it may stop mid-phrase


@dataclass
class SkippedDate:
    wording: str
    section: str
    reason: str


@dataclass
class Timeline:
    events: list[DraftEvent] = field(default_factory=list)
    skipped: list[SkippedDate] = field(default_factory=list)


def _month(match: re.Match[str]) -> int:
    return _MONTHS.index(match.group("month")[:3].lower()) + 1


def _full_date(match: re.Match[str]) -> str:
    return f"{int(match.group('year')):04d}-{_month(match):02d}-{int(match.group('day')):02d}"


def _month_year(match: re.Match[str]) -> str:
    return f"{int(match.group('year')):04d}-{_month(match):02d}"


def _bc(match: re.Match[str]) -> str:
    raise _Skip("BC dates cannot go on the timeline (pack dates have no BC years)")


def _century(match: re.Match[str]) -> str:
    n = int(match.group("n"))
    if not 1 <= n <= 21:
        raise _Skip("not a century the timeline can show")
    start, end = (n - 1) * 100 + 1, n * 100
    part = (match.group("part") or "").lower()
    start, end = {"early": (start, start + 32), "mid": (start + 33, start + 65), "late": (start + 66, end)}.get(
        part, (start, end))
    return f"{start}-{end}"


def _decade(match: re.Match[str]) -> str:
    """'the late 1960s' -> 1965-1969; 'the 1800s' means the hundred years, 'the late 1800s' 1866-1899."""
    start = int(match.group("decade"))
    part = (match.group("part") or "").lower()
    if start % 100 == 0:
        first, last = {"early": (0, 32), "mid": (33, 65), "late": (66, 99)}.get(part, (0, 99))
    else:
        first, last = {"early": (0, 4), "mid": (3, 7), "late": (5, 9)}.get(part, (0, 9))
    return f"{start + first}-{start + last}"


def _range(match: re.Match[str]) -> str:
    start, end_text = int(match.group("start")), match.group("end")
    end = int(end_text) if len(end_text) == 4 else start // 100 * 100 + int(end_text)
    if end <= start and len(end_text) == 2:
        end += 100  # "1998-02" runs into the next century
    if not start < end <= start + 200:
        raise _Skip("not a range of years")
    return f"{start}-{end}"


def _year(match: re.Match[str]) -> str:
    return str(int(match.group("year")))


# Most specific first: a span one pattern takes is not looked at by the later ones.
_PATTERNS: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+(?P<year>\d{{4}})\b"), _full_date),
    (re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH},?\s+(?P<year>\d{{4}})\b"), _full_date),
    (re.compile(rf"\b{_MONTH},?\s+(?:of\s+)?(?P<year>\d{{4}})\b"), _month_year),
    (re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)[\s-]+[Cc]entury\s*{_BC}"), _bc),
    (re.compile(rf"{_NOT_AFTER}\b\d{{1,4}}(?:\s*[-\u2013]\s*\d{{1,4}})?\s*{_BC}(?!\w)"), _bc),
    (re.compile(rf"\b{_PART}(?P<n>\d{{1,2}})(?:st|nd|rd|th)[\s-]+[Cc]entury\b"), _century),
    (re.compile(rf"{_NOT_AFTER}\b{_PART}(?P<decade>1\d{{2}}0|20\d0)['\u2019]?s\b"), _decade),
    (re.compile(r"\b[Bb]etween\s+(?P<start>1\d{3}|20\d{2})\s+and\s+(?P<end>\d{4})\b"), _range),
    (re.compile(rf"{_NOT_AFTER}\b(?P<start>1\d{{3}}|20\d{{2}})\s*(?:[-\u2013\u2014]|\bto\b|\buntil\b|\bthrough\b)\s*"
                rf"(?P<end>\d{{4}}|\d{{2}})(?![\d,.]\d|\d)"), _range),
    (re.compile(r"(?:\b(?:AD|A\.D\.)\s*(?P<year>\d{1,4})\b|\b(?P<year2>\d{1,4})\s*(?:AD|CE)\b)"),
     lambda m: str(int(m.group("year") or m.group("year2")))),
    (re.compile(rf"{_NOT_AFTER}\b(?P<year>1\d{{3}}|20\d{{2}}){_YEAR_END}"), _year),
]


def find_dates(text: str) -> list[tuple[int, int, str | _Skip]]:
    """Every date in `text`: (start, end, pack-format date or the reason it was skipped).

    The patterns are tried in order and a later one never takes text an earlier one matched: `found`
    stays sorted and without overlaps, so each pattern's matches (in text order too) are checked
    against it with one pointer moving forward, in linear time however many dates a sentence holds.
    """
    found: list[tuple[int, int, str | _Skip]] = []
    for pattern, convert in _PATTERNS:
        taken, at = [], 0
        for match in pattern.finditer(text):
            while at < len(found) and found[at][1] <= match.start():
                at += 1
            if at < len(found) and found[at][0] < match.end():
                continue
            value: str | _Skip
            try:
                value = convert(match)
                parse_date(value)
            except _Skip as skip:
                value = skip
            except ValueError:  # "February 30, 1950": not a real date
                value = _Skip("not a real date")
            taken.append((match.start(), match.end(), value))
        found = sorted(found + taken, key=lambda item: item[0])
    return found


def draft_timeline(sections: list[Section], published: int | None = None) -> Timeline:
    """Events from section headings and sentences, merged by date, in date order, titles distinct.

    A date is left off (and listed with the reason) when its sentence is a citation, a time stamp
    or a reference list, when it is a page range or part of a phone number, when a decade or
    century only describes something, when a future year is not a plan, or when no title with a
    subject and a verb can be made from its sentence. `published`: the year the article came out; a
    later year is its future (this year when the article does not say).
    """
    now = published or dt.date.today().year
    timeline = Timeline()
    merged: dict[str, DraftEvent] = {}
    years: dict[tuple[str, str], list[DraftEvent]] = {}
    for section in sections:
        units = [(section.title, True)] if section.title else []
        for block in section.blocks:
            if block.kind in ("text", "quote", "figure"):
                units.extend((sentence, False) for sentence in sentences(squash(block.text)))
            units.extend((sentence, False) for item in block.items for sentence in sentences(item))
        before: list[str] = []
        in_references = reference_section(section.title)
        for text, is_heading in units:
            found = find_dates(text)
            why_not = "in a reference list, not an event" if in_references else (found and not_an_event(text))
            for start, end, value in found:
                wording = text[start:end]
                reason = str(value) if isinstance(value, _Skip) else why_not or _not_here(text, start, end, value, now)
                title = None
                if not reason and is_heading:
                    heading = _heading_title(text, start, end)
                    # A heading that is only a date and a plain word ("October 22, 2019 report") names no event.
                    title = events.Title(heading) if " " in heading or heading[:1].isupper() else None
                    reason = None if title else NO_TITLE
                elif not reason:
                    title = events.make_title(text, start, end, before[-3:], [(s, e) for s, e, _ in found])
                    reason = None if title else NO_TITLE
                if title is None and reason == NO_TITLE and isinstance(value, str) and value in merged:
                    same = merged[value]  # no title of its own, but it tells more about an event already drafted
                    same.detail = same.detail or _detail(text)
                    continue
                if reason or title is None or isinstance(value, _Skip):
                    timeline.skipped.append(SkippedDate(wording, section.title, reason or "not a date"))
                    continue
                text_title = title.text
                if int(value.split("-")[0]) > now:  # a plan: _not_here let only those through
                    text_title = "Target: " + text_title
                event = DraftEvent(value, text_title, None if is_heading else _detail(text), [section.title], wording,
                                   is_heading, title.pronoun, title.cut)
                _merge(merged, years, event)
            if not is_heading:
                before.append(text)
    timeline.events = sorted(merged.values(), key=lambda e: parse_date(e.date).sort_key())
    for event, distinct in zip(timeline.events, events.distinct([(e.title, e.detail or e.wording)
                                                                  for e in timeline.events]), strict=True):
        event.title = distinct
    return timeline


_SPAN_WORDING = re.compile(r"(?:century|\d0['\u2019]?s)\s*$", re.I)


def _not_here(text: str, start: int, end: int, value: str, now: int) -> str | None:
    """Why a date the patterns took is still not an event here, or None."""
    wording = text[start:end]
    if events.in_phone_number(text, start, end):
        return "part of a phone number"
    if value.isdigit() and events.quantity(text, start, end):
        return "a number of things, not a year"
    if "-" in value and len(value) == 9 and events.page_range(text, start):
        return "a page range, not years"
    if _SPAN_WORDING.search(wording) and not events.about_span(text, start, end):
        return "a decade or century that describes something, not a span the text is about"
    first = int(value.split("-")[0])
    if first > now and not events.future_target(text):
        return "a year after the article was written, and the sentence is not about a plan"
    return None


NO_TITLE = "no clear event in the sentence to title it (a subject and a verb)"
MAX_SECTIONS = 20  # an event names at most the first 20 sections it was found in


def _merge(merged: dict[str, DraftEvent], years: dict[tuple[str, str], list[DraftEvent]], event: DraftEvent) -> None:
    """One event per date; a year also merges with a month or day of that year in the same section.

    `years` holds the events of `merged` by (first section, year), in `merged`'s order, so that a
    year is matched against the few dates of its own year, not against every event so far.
    """
    same = merged.get(event.date)
    key = (event.sections[0], event.date.split("-")[0])
    if same is None:
        same = next((other for other in years.get(key, ()) if _same_year(other.date, event.date)), None)
        if same is not None and len(event.date) > len(same.date):  # the more precise date wins
            del merged[same.date]
            same.date = event.date
            merged[same.date] = same
            years[key].remove(same)
            years[key].append(same)
    if same is None:
        merged[event.date] = event
        years.setdefault(key, []).append(event)
        return
    if event.from_heading and not same.from_heading:
        same.title, same.from_heading = event.title, True
    same.detail = same.detail or event.detail
    if len(same.sections) < MAX_SECTIONS:  # bounded: a date in every section would make this quadratic
        same.sections.extend(s for s in event.sections if s not in same.sections)


def _same_year(a: str, b: str) -> bool:
    """'1953' and '1953-03' or '1953-03-05' (not a range such as '1953-1956')."""
    short, long = sorted((a, b), key=len)
    return short.isdigit() and re.fullmatch(rf"{short}-\d\d(?:-\d\d)?", long) is not None


def _heading_title(text: str, start: int, end: int) -> str:
    """'Korean War (1950-53)' -> 'Korean War'; 'Reforms in 1907' stays whole (not 'Reforms in')."""
    title = squash(re.sub(r"\(\s*\)", "", text[:start] + text[end:])).strip(" ,:;-\u2013")
    if not title or title.split()[-1].lower() in events.FUNCTION:
        return squash(text)
    return title



MAX_DETAIL = 220


def _detail(sentence: str) -> str:
    """The sentence the date came from, without wrapping quotes, cut at a word if very long."""
    text = squash(sentence).strip("\"'\u201c\u201d ")
    if len(text) <= MAX_DETAIL:
        return text
    return text[:MAX_DETAIL].rsplit(" ", 1)[0].rstrip(",;:") + "\u2026"
