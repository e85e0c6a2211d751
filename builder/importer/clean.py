"""Take out what is not the article: site navigation, stamps, decoration, and repeated paragraphs.

Nothing goes silently: every line or paragraph taken out becomes a `Removal` with its reason,
listed in the import report.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from builder.importer.readers import RawBlock
from builder.importer.text import sentences, squash, word_count


@dataclass(frozen=True)
class Removal:
    text: str
    reason: str
    where: str


_SHORT = r"(?=(?:\S+\s+){0,24}\S*$)"  # at most 25 words: a menu line, not a paragraph
_BOILERPLATE = [
    (re.compile(r"^(?:\[[^\[\]]{1,80}\]\s*)+$"), "navigation links"),
    (re.compile(_SHORT + r"(?i:(?:return|go back|back) to)\b"), "navigation ('Return to ...')"),
    (re.compile(_SHORT + r"(?i:related\b.*\b(?:pages?|links|articles|topics|stories)\b)"), "links to related pages"),
    (re.compile(_SHORT + r"(?i:navigate|navigation|site map|skip to|main menu|you are here)\b"), "site navigation"),
    (re.compile(_SHORT + r"(?i:share|print|e-?mail|tweet|follow us|subscribe)\b(?:\s+(?:this|on|to|us)\b.*)?$"),
     "sharing links"),
    (re.compile(_SHORT + r"(?:\u00a9|(?i:copyright\b|all rights reserved))"), "copyright notice"),
    # "Read more: Inside a Startup's Attempt ...", "Related: ...", "Watch: ...": a link to another page.
    (re.compile(_SHORT + r"(?i:read more|related|see also|more|watch|listen|read next|also read)\s*:\s+\S"),
     "a link to another page"),
    (re.compile(r"(?i:loading|please wait)\W*$|" + _SHORT + r"(?i:please wait\b|this (?:feature|content|interactive|"
                r"graphic|video|map|tool|quiz) is (?:temporarily |currently )?unavailable|(?:please )?enable javascript"
                r"|javascript is (?:required|disabled)|your browser does not support)"),
     "interactive widget or its status message"),
    # The page's own details, one label and its value a line ("Date 19.01.2020", "Keywords Berlin, Africa"):
    # each label only with a value of its kind, so "Date palms grow in oases" stays.
    (re.compile(r"^(?i:date)\b:?\s+\d{1,4}[./-]\d{1,2}[./-]\d{1,4}$|^(?i:authors?)\b:?\s+[A-Z][\w.'\u2019-]*"
                r"(?:\s+[A-Z][\w.'\u2019-]*){0,3}$|^(?i:keywords|tags)\b:?\s+[^,]+(?:,\s*[^,]+)+$"
                r"|^(?i:permalink|short link)\b:?\s+https?://\S+$|^(?i:related subjects)\b"),
     "page details (date, author, keywords, permalink)"),
    (re.compile(r"^(?i:(?:feedback:?\s*)?send us your feedback|(?:print\s+)*print this page)\b"
                r"|^(?i:watch video|listen to audio)"
                r"(?:\s+\d{1,2}:\d{2})?$"),
     "page tools (feedback, print, video)"),
]
_STAMP = re.compile(r"^(?i:(created|last updated|last modified|updated|posted|published)\s*:)\s*(.*)$")
_EMOJI = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\ufe0f\u200d\u20e3]+")
_SLASH_DATE = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})")
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


# A wiki's or site's link beside a heading: "Details[edit]", "History [edit source]", "Notes [hide]".
_HEADING_TOOL = re.compile(r"\s*\[\s*(?i:edit(?: source)?|hide|show|top|back to top)\s*\]\s*$")
# The back matter of an encyclopedia or a paper: lists of sources and links, not part of the reading.
_BACK_MATTER = re.compile(r"^(?i:references|external links|see also|further reading|notes|footnotes|"
                          r"bibliography|citations|works cited|notes and references|sources)\s*:?$")

# A site's links to its other pages under a heading of their own: "More Must-Reads From TIME", "Related".
_MORE_LINKS = re.compile(r"^(?i:more (?:must-reads|stories|articles|news|to read|on this|from)\b.{0,60}|read more|"
                         r"related(?: (?:stories|articles|content|coverage|reading|topics))?|recommended(?: for you)?|"
                         r"most (?:popular|read|viewed)|trending(?: now)?|you (?:may|might) also like|"
                         r"editor['\u2019]?s picks|top stories|(?:today|popular|trending) on\b.{0,40})\s*:?$")


def remove_boilerplate(blocks: list[RawBlock]) -> tuple[list[RawBlock], list[Removal], dict[str, str], int]:
    """Drop navigation and stamp lines, emoji decoration and back matter (References, External links);
    return blocks, removals, stamps, emoji count.

    Stamps ("Created:", "Last updated:") map a lowercase label to a date, for the attribution.
    """
    kept: list[RawBlock] = []
    removals: list[Removal] = []
    stamps: dict[str, str] = {}
    emoji = 0
    _take_dateline(blocks, removals, stamps)
    back_matter: int | None = None  # the level of the back-matter heading being skipped
    back_title = ""
    for block in blocks:
        if block.kind == "heading":
            block.text = _HEADING_TOOL.sub("", block.text)
            if back_matter is not None and block.level <= back_matter:
                back_matter = None
            if back_matter is None and (_BACK_MATTER.match(block.text) or _MORE_LINKS.match(block.text)):
                back_matter, back_title = block.level, block.text
        if back_matter is not None:
            why = (f"back matter ('{back_title}'): sources and links, not the reading"
                   if _BACK_MATTER.match(back_title) else f"links to other pages ('{back_title}')")
            removals.append(Removal(squash(block.text or "; ".join(block.items)), why, block.where))
            continue
        emoji += len(_EMOJI.findall(block.text)) + sum(len(_EMOJI.findall(item)) for item in block.items)
        block.text = strip_emoji(block.text)
        block.items = tuple(strip_emoji(item) for item in block.items)
        if block.kind == "text":
            lines = []
            for line in block.text.split("\n"):
                reason = _boilerplate(line)
                stamp = _STAMP.match(line)
                if stamp:
                    stamps[stamp.group(1).lower()] = _stamp_date(stamp.group(2))
                    reason = "page date stamp (kept in the attribution)"
                if reason:
                    removals.append(Removal(squash(line), reason, block.where))
                else:
                    lines.append(line)
            if len(lines) < block.text.count("\n") + 1:
                block.markdown = None  # the source's Markdown still holds the lines taken out
            block.text = "\n".join(lines)
        elif block.kind == "heading" and _boilerplate(block.text):
            removals.append(Removal(block.text, _boilerplate(block.text) or "", block.where))
            continue
        elif block.kind == "list":
            items = []
            for item in block.items:
                if reason := _boilerplate(item):
                    removals.append(Removal(squash(item), reason, block.where))
                else:
                    items.append(item)
            if len(items) < len(block.items):
                block.items, block.markdown = tuple(items), None
        if block.text or block.items or block.rows or block.kind == "figure":
            kept.append(block)
    return _without_galleries(_without_repeated_headings(kept, removals), removals), removals, stamps, emoji


REPEATED_HEADING = 3  # a heading printed this often is a gallery's or widget's title, not the article's outline


def _without_repeated_headings(blocks: list[RawBlock], removals: list[Removal]) -> list[RawBlock]:
    """The same heading over every slide of a gallery ("Racist, ruthless, cruel: ..." twelve times): out."""
    times = Counter(b.text for b in blocks if b.kind == "heading")
    kept = []
    for block in blocks:
        if block.kind == "heading" and block.level > 1 and times[block.text] >= REPEATED_HEADING:
            removals.append(Removal(block.text, f"a heading repeated {times[block.text]} times: the title of a "
                                    "gallery or widget of the page", block.where))
        else:
            kept.append(block)
    return kept


GALLERY = 3  # pictures with no caption but their alt text, in a part of the page with under 25 words of text


def _without_galleries(blocks: list[RawBlock], removals: list[Removal]) -> list[RawBlock]:
    """A run of headed parts made of uncaptioned pictures and a line or two ("Today on ...", "Thanks!
    Now check your email") is a promotion or a slide strip, not the article: taken out, reported."""
    parts: list[list[RawBlock]] = []
    for block in blocks:
        if not parts or block.kind == "heading":
            parts.append([])
        parts[-1].append(block)
    kept: list[RawBlock] = []
    gallery: int | None = None  # the heading level of the gallery being removed
    for part in parts:
        level = part[0].level if part[0].kind == "heading" else None
        pictures = sum(b.kind == "figure" and (not b.text or b.text == b.alt) for b in part)
        words = sum(word_count(b.text) for b in part if b.kind in ("text", "list", "quote")) + \
            sum(word_count(i) for b in part for i in b.items)
        # A gallery, and the parts under it (deeper headings) with no more words than a status line.
        within = gallery is not None and level is not None and level > gallery
        if level is None or words >= 25 or not (pictures >= GALLERY or within):
            gallery = None
            kept += part
            continue
        gallery = gallery if within else level
        removals += [Removal(squash(b.text or b.alt or "; ".join(b.items)), "pictures with no caption, "
                             "a promotion or slide strip of the page", b.where) for b in part]
    return kept


# A news story's dateline, before its first sentence: "Feb. 23, 2015 -- ", "WASHINGTON (AP) — ",
# "LONDON, March 3 (Reuters) - ".
_DATELINE = re.compile(
    r"^(?:(?P<date>(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2},\s+\d{4})"
    r"|[A-Z][A-Z.'\u2019-]+(?:\s+[A-Z][A-Z.'\u2019-]+){0,3}(?:,\s+[A-Z][\w.]+(?:\s+\d{1,2})?)?"
    r"(?:\s+\((?:AP|Reuters|AFP|UPI|CNN|Bloomberg|dpa)\))?)\s*(?:--|[\u2013\u2014]|-)\s+(?=[A-Z\u201c\"])")


def _take_dateline(blocks: list[RawBlock], removals: list[Removal], stamps: dict[str, str]) -> None:
    """The dateline off the first paragraph, reported; its date kept (stamps["dateline"]) for the attribution."""
    from builder.importer.datefind import find_dates

    first = next((b for b in blocks if b.kind == "text"), None)
    match = _DATELINE.match(first.text) if first is not None else None
    if first is None or match is None or word_count(first.text) < 12:
        return
    line = match.group().strip()
    dates = [value for _, _, value in find_dates(match.group("date") or "") if isinstance(value, str)]
    if dates:
        stamps["dateline"] = dates[0]
    first.text, first.markdown = first.text[match.end():], None
    removals.append(Removal(line, "the story's dateline (its date kept for the attribution)", first.where))


def strip_emoji(text: str) -> str:
    """Emoji are decoration ("🌊 Rivers 🌊"): out, with the spaces they leave at the ends of lines."""
    return "\n".join(line.strip() for line in _EMOJI.sub("", text).split("\n")).strip()


def _boilerplate(line: str) -> str | None:
    line = line.strip()
    return next((reason for pattern, reason in _BOILERPLATE if pattern.match(line)), None)


def _stamp_date(text: str) -> str:
    """'1:11 AM 4/22/2006' -> '2006-04-22' (US month/day order, as such stamps are written)."""
    slash = _SLASH_DATE.search(text)
    if slash:
        month, day, year = slash.groups()
        return f"{year}-{int(month):02d}-{int(day):02d}"
    iso = _ISO_DATE.search(text)
    return iso.group() if iso else squash(text)[:40]


@dataclass(frozen=True)
class Repeat:
    text: str
    where: str
    section: str
    found_in: tuple[str, ...]  # titles of the sections that hold the kept copy


MIN_WORDS = 8  # shorter paragraphs ("Yes.") may repeat on purpose
SAME_SENTENCE = 85  # rapidfuzz ratio from which two sentences count as the same
COVERED = 0.8  # share of a paragraph's characters found elsewhere that makes it a repeat
RARE = 4  # a sentence is compared with the sentences that share one of its rarest words ...
COMMON = 200  # ... a word in more sentences than this says nothing about which ones repeat it
NEAREST = 100  # and with at most this many of them, those sharing the most of those words first

_WORD = re.compile(r"\w+")


def find_repeats(paragraphs: list[tuple[RawBlock, str]]) -> list[tuple[int, Repeat]]:
    """Paragraphs that repeat others almost word for word; one copy of each text stays.

    `paragraphs` pairs each block with its section title. A summary that repeats several later
    paragraphs is dropped, since each part is kept where it belongs; of two equal paragraphs, the
    later one goes. Returns (index, Repeat) for each paragraph to drop.

    Linear in the number of sentences: each sentence is compared only with the sentences that share
    its rarest words or its whole text (`_Candidates`), at most NEAREST of them, never with all.
    """
    from rapidfuzz import fuzz, process

    split = [sentences(squash(block.text)) if word_count(block.text) >= MIN_WORDS else [] for block, _ in paragraphs]
    candidates = _Candidates(split)
    kept = set(range(len(paragraphs)))
    dropped = []
    # Longest first: a summary is checked against the parts it repeats before they are checked against it.
    for i in sorted(kept, key=lambda n: (-len(paragraphs[n][0].text), -n)):
        if not split[i]:
            continue
        matched, total, sources = 0, 0, []
        for k, sentence in enumerate(split[i]):
            others = candidates.near(i, k, kept)
            best = process.extractOne(sentence, [split[j][m] for j, m in others], scorer=fuzz.ratio,
                                      score_cutoff=SAME_SENTENCE) if others else None
            total += len(sentence)
            if best is not None:
                matched += len(sentence)
                sources.append(others[best[2]][0])
        if total and matched / total >= COVERED:
            kept.discard(i)
            block, section = paragraphs[i]
            found_in = tuple(dict.fromkeys(paragraphs[j][1] for j in sorted(set(sources))))
            dropped.append((i, Repeat(squash(block.text), block.where, section, found_in)))
    return sorted(dropped, key=lambda pair: pair[0])


class _Candidates:
    """Which sentences might repeat a given one: an index from each word (and each whole sentence)
    to the sentences holding it. Two sentences 85 % alike share most words, so the rarest ones."""

    def __init__(self, split: list[list[str]]) -> None:
        self.keys: dict[tuple[int, int], list[str]] = {}
        self.holders: dict[str, list[tuple[int, int]]] = {}
        for j, sentences_ in enumerate(split):
            for m, sentence in enumerate(sentences_):
                keys = ["\0" + sentence.lower(), *dict.fromkeys(_WORD.findall(sentence.lower()))]
                self.keys[j, m] = keys
                for key in keys:
                    self.holders.setdefault(key, []).append((j, m))

    def near(self, i: int, k: int, kept: set[int]) -> list[tuple[int, int]]:
        """Sentences of other kept paragraphs sharing the whole text or one of the RARE rarest words of
        sentence k of paragraph i, those sharing the most first (at most NEAREST), in text order."""
        whole, *words = self.keys[i, k]
        rare = sorted((w for w in words if len(self.holders[w]) <= COMMON), key=lambda w: (len(self.holders[w]), w))
        keys = [whole, *rare[:RARE]] if len(self.holders[whole]) <= COMMON else rare[:RARE]
        shared = Counter(place for key in keys for place in self.holders[key]
                         if place[0] != i and place[0] in kept)
        nearest = sorted(shared, key=lambda place: (-shared[place], place))[:NEAREST]
        return sorted(nearest)
