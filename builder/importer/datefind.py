"""Draft timeline events from the dates written in the article.

Finds full dates ("March 6, 1946"), months ("June 1950"), years and year ranges ("1957-60"),
decades ("the late 1960s") and centuries ("19th century"), each turned into a date the pack
format accepts. Decades and centuries become year ranges (the words stay in the detail); BC dates
are reported but left off, since pack dates have no BC years. Numbers that only look like years
("8,000 words", "$1900", "1500 soldiers") are not dates.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from builder.core.dates import parse_date
from builder.importer.sections import Section
from builder.importer.text import sentences, squash

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


def draft_timeline(sections: list[Section]) -> Timeline:
    """Events from section headings and sentences, merged by date, in date order."""
    timeline = Timeline()
    merged: dict[str, DraftEvent] = {}
    years: dict[tuple[str, str], list[DraftEvent]] = {}
    for section in sections:
        units = [(section.title, True)] if section.title else []
        for block in section.blocks:
            if block.kind in ("text", "quote", "figure"):
                units.extend((sentence, False) for sentence in sentences(squash(block.text)))
            units.extend((sentence, False) for item in block.items for sentence in sentences(item))
        for text, is_heading in units:
            for start, end, value in find_dates(text):
                wording = text[start:end]
                if isinstance(value, _Skip):
                    timeline.skipped.append(SkippedDate(wording, section.title, str(value)))
                    continue
                title = _heading_title(text, start, end) if is_heading else _title(text, start, end)
                event = DraftEvent(value, title, None if is_heading else _detail(text), [section.title], wording,
                                   is_heading)
                _merge(merged, years, event)
    timeline.events = sorted(merged.values(), key=lambda e: parse_date(e.date).sort_key())
    return timeline


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


_FUNCTION = {"a", "an", "the", "and", "but", "so", "or", "of", "in", "on", "at", "by", "to", "for", "from", "during",
             "since", "until", "with", "that", "which", "who", "while", "ironically", "especially", "however",
             "then", "also", "even", "was", "were", "is", "are"}
_SUBORDINATE = re.compile(r"\s(?:that|which|who|because|although|so that|when|while)\s")
_COPULA = re.compile(r"\s(?:was|were|is|are)\s")
MAX_TITLE_WORDS = 12


def _heading_title(text: str, start: int, end: int) -> str:
    """'Korean War (1950-53)' -> 'Korean War'."""
    title = squash(re.sub(r"\(\s*\)", "", text[:start] + text[end:])).strip(" ,:;-\u2013")
    return title or squash(text)


def _title(sentence: str, start: int, end: int) -> str:
    """A short title from the clause that holds the date, for the teacher to polish."""
    marked = sentence[:start] + "\x00" + sentence[end:]
    marked = re.sub(r"\((?![^()]*\x00)[^()]*\)", "", marked)  # asides in brackets, except the date's own
    marked = re.sub(r"\(\s*\x00\s*\)", "\x00", marked)
    clauses = re.split(r"[,;:\u2014]|\s\u2013\s|\s-\s", marked)
    index = next(i for i, clause in enumerate(clauses) if "\x00" in clause)
    clause = clauses[index]
    if re.match(r"\s*an?\s", clause) and index > 0:  # "..., a departure from ... (1957-60)": the thing named before
        clause = clauses[index - 1]
    clause = re.sub(r"\b(?:[Ii]n|[Oo]n|[Bb]y|[Dd]uring|[Ss]ince|[Ff]rom)?\s*(?:the\s+)?\x00", "", clause)
    clause = squash(clause.replace("\x00", "").strip(" \"'\u201c\u201d.!?"))
    if len(clause.split()) < 2:  # "In 1950, Mao went to Moscow": the date had a clause of its own
        clause = squash(re.sub(r"\x00|\([^()]*\)", "", ",".join(clauses[index + 1:index + 2])).strip(" \"'.!?"))
    copula = _COPULA.search(" " + clause + " ")
    if copula and len(clause[copula.end() - 1:].split()) >= 2 and len(clause.split()) > 6:
        clause = clause[copula.end() - 1:]
    sub = _SUBORDINATE.search(" " + clause + " ")
    if sub and len(clause[:sub.start()].split()) >= 3:
        clause = clause[:sub.start()]
    words = clause.split()
    if len(words) > MAX_TITLE_WORDS:
        words = words[-8:] if sentence[end:].strip(" )\"'.!?\u201d") == "" else words[:8]
    while words and words[0].lower() in _FUNCTION:
        words.pop(0)
    while words and words[-1].lower() in _FUNCTION:
        words.pop()
    title = " ".join(words).strip(" ,;:\"'\u201c\u201d")
    return (title[:1].upper() + title[1:]) if title else squash(sentence)[:60]


MAX_DETAIL = 220


def _detail(sentence: str) -> str:
    """The sentence the date came from, without wrapping quotes, cut at a word if very long."""
    text = squash(sentence).strip("\"'\u201c\u201d ")
    if len(text) <= MAX_DETAIL:
        return text
    return text[:MAX_DETAIL].rsplit(" ", 1)[0].rstrip(",;:") + "\u2026"
