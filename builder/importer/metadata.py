"""Who wrote the article, where and when: the headline, dek, authors, date, site and address.

Read from what the file itself says: a web page's meta tags, Open Graph and JSON-LD (through
trafilatura, checked against the headline the page shows), a Word file's core properties, a
pasted text's "By ..." and date lines. The result fills pack.yaml's title, subtitle, attribution
and sources, so a teacher can print where the text came from.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date as Date
from datetime import datetime
from typing import Any

from builder.core.fields import TITLE_MAX
from builder.importer.text import sentences, squash, word_count

MAX_SUBTITLE_WORDS = 40  # a longer "description" is the article's first paragraph, not a dek
MAX_TITLE_WORDS = 30


@dataclass(frozen=True)
class Metadata:
    """What the source says about itself; every field may be missing."""

    title: str | None = None
    subtitle: str | None = None
    authors: tuple[str, ...] = ()
    date: str | None = None  # ISO, "2019-03-12" (or "2019-03", "2019")
    site: str | None = None
    url: str | None = None
    date_guessed: bool = False  # the date is trafilatura's guess from the page text, not a tag

    def citation(self) -> str | None:
        """'Adapted from "Headline" by Jane Doe, Site, 12 March 2019. https://…', or None when nothing is known."""
        if not (self.authors or self.site or self.date or self.url):
            return None
        parts = [f"Adapted from \u201c{self.title}\u201d" if self.title else "Adapted"]
        if self.authors:
            parts[0] += " by " + _names(self.authors)
        parts += [p for p in (self.site, self.date and long_date(self.date)) if p]
        text = ", ".join(parts) + "."
        return f"{text} {self.url}" if self.url else text


def _names(authors: tuple[str, ...]) -> str:
    return authors[0] if len(authors) == 1 else ", ".join(authors[:-1]) + " and " + authors[-1]


def long_date(iso: str) -> str:
    """'2019-03-12' -> '12 March 2019'; a year or year-month stays as readable as it can."""
    try:
        day = Date.fromisoformat(iso[:10])
    except ValueError:
        match = re.fullmatch(r"(\d{4})-(\d{2})", iso[:7])
        if match and 1 <= int(match.group(2)) <= 12:
            return datetime(int(match.group(1)), int(match.group(2)), 1).strftime("%B %Y")
        return iso
    return f"{day.day} {day.strftime('%B %Y')}"


# ---- web pages ----------------------------------------------------------------------------------

_ARTICLE_TYPES = re.compile(r"(?:News|Report|Scholarly|Blog|Opinion|Analysis)?Article|BlogPosting|WebPage$")
_SEPARATOR = re.compile(r"\s+[|\u2013\u2014-]\s+|\s+::\s+")
_DEK = re.compile(r"(?:^|[\s_-])(?:dek|deck|standfirst|subtitle|subheadline)(?:$|\s)", re.I)
_BYLINE = re.compile(r"\b(?:byline|author)\b", re.I)
_BY = re.compile(r"^by\s+", re.I)


def from_html(text: str, page: Any) -> Metadata:
    """A web page's metadata; `page` is the page parsed by lxml.html (scripts still in)."""
    import trafilatura

    found = trafilatura.extract_metadata(page)  # meta, Open Graph, JSON-LD, <title>
    ld = _json_ld(page)
    site = _text(_name(ld.get("publisher"))) or _text(_meta(page, "og:site_name")) or _text(found.sitename)
    host = _text(found.hostname) or ""
    # trafilatura's own title is often the page's first <h1> ("Allergies Health Center", a site section):
    # it is no second opinion on an <h1>, so it counts only when the page has no title of its own.
    candidates = [c for c in (_text(ld.get("headline")), _text(_meta(page, "og:title")),
                              _text(page.findtext(".//title"))) if c] or [c for c in [_text(found.title)] if c]
    # <h1> first; an <h2> counts too, for sites that keep <h1> for their own name or section.
    h1, h2 = ([t for t in (squash(h.text_content()) for h in page.iter(tag)) if t and word_count(t) <= MAX_TITLE_WORDS]
              for tag in ("h1", "h2"))
    title = choose_title(candidates, h1, site, host, h2)
    authors = _authors(ld, page, found.author, site)
    day = _iso(ld.get("datePublished")) or _iso(_meta(page, "article:published_time"))
    guessed = day is None and _iso(found.date) is not None
    day = day or _iso(found.date)
    url = _text(ld.get("url")) if str(ld.get("url", "")).startswith("http") else None
    url = _canonical(page) or _text(_meta(page, "og:url")) or url or _text(found.url)
    subtitle: str | None = whole_sentences(_text(ld.get("description")) or _text(found.description) or "")
    if not fits(subtitle) or subtitle == title:
        subtitle = _dek(page, title)
    return Metadata(title, subtitle, authors, day, site, url, guessed)


def choose_title(candidates: list[str], headings: list[str], site: str | None, host: str,
                 subheadings: Sequence[str] = ()) -> str | None:
    """The headline: the page's <h1> that agrees with its metadata titles (or an <h2> that does, for
    sites that keep <h1> for their name or section), else the first of those (JSON-LD headline,
    og:title, <title>) without a " | Site" tail; an <h1> alone is a last resort."""
    for heading in (*headings, *subheadings):
        if any(agrees(heading, c) for c in candidates):
            return strip_site(heading, site, host)
    if candidates:
        return strip_site(candidates[0], site, host)
    return strip_site(headings[0], site, host) if len(headings) == 1 else None


def strip_site(title: str, site: str | None, host: str) -> str:
    """'Rivers | Kids Club' -> 'Rivers': a tail after a bar always goes; after a dash, only the site's name."""
    pieces = _SEPARATOR.split(title)
    if " | " in title or " :: " in title:
        return pieces[0].strip() or title
    while len(pieces) > 1 and _is_site(pieces[-1], site, host):
        pieces.pop()
    return " - ".join(pieces).strip() if len(pieces) > 1 else pieces[0].strip()


def _is_site(text: str, site: str | None, host: str) -> bool:
    tail = _key(text)
    names = [_key(n) for n in (site or "", host, *host.split(".")[-2:-1]) if _key(n)]
    return bool(tail) and any(tail == n or (len(tail) >= 3 and (n.startswith(tail) or tail.startswith(n)))
                              for n in names)


def agrees(heading: str, title: str) -> bool:
    """Most of the heading's words are in the metadata title: the same headline, perhaps reworded."""
    words = set(_words(heading))
    return bool(words) and len(words & set(_words(title))) / len(words) >= 0.6 and (len(words) > 1 or
                                                                                    _key(heading) == _key(title))


def _authors(ld: dict[str, Any], page: Any, found: str | None, site: str | None) -> tuple[str, ...]:
    """People, from the first place that names any: JSON-LD, article:author, the byline, meta author.
    The site or publisher named as an author ("CNN", "Condé Nast") or a handle ("@site") is not a person."""
    skip = {_key(site or ""), _key(_name(ld.get("publisher")) or "")}
    places = [[_name(a) for a in _as_list(ld.get("author"))],
              page.xpath("//meta[@property='article:author']/@content"), _byline(page), (found or "").split(";")]
    for place in places:
        names: list[str] = []
        for person in (squash(_BY.sub("", p or "")) for p in place):
            if person and not person.startswith(("@", "http")) and _key(person) not in skip | {_key(n) for n in names}:
                names.append(person)
        if names:
            return tuple(names)
    return ()


def _byline(page: Any) -> list[str]:
    for element in page.xpath("//*[@rel='author'] | //*[@itemprop='author']"):
        name = squash(element.text_content())
        if name and word_count(name) <= 6:
            return [name]
    for element in page.iter("*"):
        if isinstance(element.tag, str) and _BYLINE.search(str(element.get("class") or "")):
            line = squash(element.text_content())
            if _BY.match(line) and word_count(line) <= 12:
                return re.split(r",\s*|\s+and\s+", _BY.sub("", line))
    return []


def deks(page: Any) -> list[str]:
    """Texts the page marks as the summary under its headline (class "dek", "standfirst", ...)."""
    return [text for element in page.iter("p", "h2", "div") if _DEK.search(str(element.get("class") or ""))
            or element.get("itemprop") == "alternativeHeadline"
            if fits(text := squash(element.text_content()))]


def fits(text: str | None) -> bool:
    """A subtitle is one line of pack.yaml: short enough to print under the title."""
    return text is not None and bool(text) and word_count(text) <= MAX_SUBTITLE_WORDS and len(text) <= TITLE_MAX


def _dek(page: Any, title: str | None) -> str | None:
    return next((text for text in deks(page) if text != title), None)


def whole_sentences(text: str) -> str:
    """A description cut short ("What's the secret to its...") keeps only its whole sentences."""
    if not text.endswith(("...", "\u2026")):
        return text
    return " ".join(sentences(text)[:-1])


def _json_ld(page: Any) -> dict[str, Any]:
    """The first Article (or NewsArticle, ...) among the page's JSON-LD objects, @graph and lists included."""
    for script in page.xpath("//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text_content() or "")
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, list):
                stack[:0] = item
            elif isinstance(item, dict):
                kinds = [str(k) for k in _as_list(item.get("@type"))]
                if any(_ARTICLE_TYPES.match(k) for k in kinds) and item.get("headline"):
                    return item
                stack += _as_list(item.get("@graph"))
    return {}


def _meta(page: Any, name: str) -> str | None:
    found = page.xpath(f"//meta[@property='{name}' or @name='{name}']/@content")
    return found[0] if found else None


def _canonical(page: Any) -> str | None:
    found = [h for h in page.xpath("//link[@rel='canonical']/@href") if h.startswith("http")]
    return found[0] if found else None


def _name(value: Any) -> str | None:
    value = value[0] if isinstance(value, list) and value else value
    if isinstance(value, dict):
        return _text(value.get("name"))
    return _text(value)


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [] if value is None else [value]


def _text(value: Any) -> str | None:
    return squash(value) or None if isinstance(value, str) else None


def _iso(value: Any) -> str | None:
    match = re.match(r"\d{4}(?:-\d{2}(?:-\d{2})?)?", value.strip()) if isinstance(value, str) else None
    return match.group() if match else None


def _key(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", "", text.lower())


def _words(text: str) -> list[str]:
    return re.findall(r"[0-9a-z]+", text.lower())


# ---- Word files and pasted text -----------------------------------------------------------------

def from_docx(properties: Any) -> Metadata:
    """A Word file's core properties: title, author (";" or "," between names) and created date."""
    authors = tuple(a for a in (squash(a) for a in re.split(r"[;,]", properties.author or "")) if a)
    created = properties.created
    return Metadata(squash(properties.title or "") or None, None, authors,
                    created.date().isoformat() if created else None)


_TEXT_BY = re.compile(r"^[Bb]y\s+([A-Z][\w.'\u2019-]*(?:[ ,]+(?:and\s+)?[A-Z][\w.'\u2019-]*){0,8})$")
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_TEXT_DATE = re.compile(rf"^(?:(?:published|posted|updated)\s*:?\s*)?(\d{{1,2}}\s+{_MONTH}\s+\d{{4}}"
                        rf"|{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})$", re.I)


def byline(line: str) -> tuple[str, ...] | None:
    """'By Jane Doe and Sam Lee' -> the names; None when the line is not a byline."""
    match = _TEXT_BY.match(squash(line))
    if not match:
        return None
    return tuple(n for n in (squash(n) for n in re.split(r",\s*|\s+and\s+", match.group(1))) if n)


def date_line(line: str) -> str | None:
    """'12 March 2019', 'March 12, 2019', '2019-03-12' on a line of its own -> ISO date."""
    match = _TEXT_DATE.match(squash(line))
    if not match:
        return None
    text = re.sub(r"[,.]", "", match.group(1))
    for form in ("%Y-%m-%d", "%d %B %Y", "%d %b %Y", "%B %d %Y", "%b %d %Y"):
        try:
            return datetime.strptime(text, form).date().isoformat()
        except ValueError:
            continue
    return None
