"""Find the article's title and sections, its figures, its sources list and its glossary.

Headings come from the source's own markup (Markdown `#`, HTML `<h2>`, Word heading styles) when
it has any; plain text gets them from its layout (a short line without closing punctuation, on
its own); text with no headings at all is cut into parts of readable length.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from builder.importer.clean import Removal
from builder.importer.readers import RawBlock
from builder.importer.text import sentences, squash, word_count


@dataclass
class Section:
    title: str
    blocks: list[RawBlock] = field(default_factory=list)
    where: str = ""
    made_up: bool = False  # the importer named it ("Part 2"): the teacher should retitle it


@dataclass
class Outline:
    title: str | None
    sections: list[Section]
    sources: list[str] = field(default_factory=list)
    glossary: list[tuple[str, str]] = field(default_factory=list)  # (term, definition) from the source
    removals: list[Removal] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


_FIGURE = re.compile(r"^(?:figure|fig\.?)\s*(\d{1,3})\s*[.:\u2013\u2014-]*\s*(.*)$", re.IGNORECASE)
_CLOSING = re.compile(r"[.,;:!?\"'\u201d\u2019\u2026]$")
_DATE_PARENS = re.compile(r"\(\s*(?:c\.\s*)?\d{1,4}(?:\s*[-\u2013]\s*\d{1,4})?\s*(?:BC|BCE|AD|CE)?\s*\)$")
_SOURCES = re.compile(r"^(?:sources?|references|bibliography|works cited|further reading|citations)$", re.I)
_GLOSSARY = re.compile(r"^(?:glossary|key (?:terms|words|vocabulary)|vocabulary|word list)$", re.I)
_DEFINITION = re.compile(r"^\**\s*([^*:\u2013\u2014]{1,60}?)\s*\**\s*(?:[:\u2013\u2014]|\s-)\s*(.+)$")

MAX_HEADING_WORDS = 12
PART_WORDS = 300  # a made-up part closes once it holds this many words
LONG_PARAGRAPH = 350  # headless text: longer paragraphs are cut at sentences first


def outline(blocks: list[RawBlock], title: str | None, known: bool = False) -> Outline:
    """Sort blocks into titled sections; sources and glossary sections come out of the article.

    `known`: the title came from the source's metadata (a web page's headline), so the heading
    that repeats it goes, and no other heading is taken for the title.
    """
    if known and title:
        blocks = [b for b in blocks if not (b.kind == "heading" and _key(b.text) == _key(title))]
    explicit = any(block.kind == "heading" for block in blocks)
    blocks = _attach_figures(blocks)
    if not explicit:
        blocks = [_as_heading(block) for block in blocks]
    headings = [block for block in blocks if block.kind == "heading"]
    # The first heading is the title when only figures stand before it and it is the only heading
    # of its level (a Markdown "# Title", a Word "Title", a pasted page's first line).
    if not known and headings and all(b.kind == "figure" for b in blocks[:blocks.index(headings[0])]):
        first = headings[0]
        if not explicit or sum(1 for h in headings if h.level == first.level) == 1:
            title = first.text
            blocks.remove(first)
            headings.pop(0)
    top = min((h.level for h in headings), default=2)
    result = Outline(title, [])
    current = Section("")
    result.sections.append(current)
    for block in blocks:
        if block.kind == "heading" and block.level == top:
            current = Section(block.text, where=block.where)
            result.sections.append(current)
        else:
            current.blocks.append(block)
    if not headings:
        result.sections = _cut_into_parts(result.sections[0].blocks, result)
    _take_special_sections(result)
    return result


def _attach_figures(blocks: list[RawBlock]) -> list[RawBlock]:
    """"Figure 1.-- caption" lines become figures (or the caption of the image just before)."""
    out: list[RawBlock] = []
    for block in blocks:
        match = _FIGURE.match(squash(block.text)) if block.kind == "text" and word_count(block.text) <= 40 else None
        if match is None:
            out.append(block)
            continue
        label = f"{squash(block.text)[:match.start(1)].strip()} {match.group(1)}"  # "Figure 1", "Fig. 3"
        rest = match.group(2).strip(" -\u2013\u2014")
        caption = f"{label}: {rest}" if rest else label
        if out and out[-1].kind == "figure" and not out[-1].text:
            out[-1].text = caption
        else:
            out.append(RawBlock("figure", caption, block.where))
    return out


def _key(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


def is_heading_line(text: str) -> bool:
    """A pasted heading: one short line, a capital first, no closing punctuation (a date in brackets is fine)."""
    text = text.strip()
    if not text or "\n" in text or len(text) > 90 or word_count(text) > MAX_HEADING_WORDS:
        return False
    if not (text[0].isupper() or text[0].isdigit()):
        return False
    if text.endswith(")"):
        return bool(_DATE_PARENS.search(text)) or "(" not in text
    return not _CLOSING.search(text)


def _as_heading(block: RawBlock) -> RawBlock:
    if block.kind == "text" and is_heading_line(block.text):
        return RawBlock("heading", squash(block.text), block.where, level=2)
    return block


def _cut_into_parts(blocks: list[RawBlock], result: Outline) -> list[Section]:
    """Text without headings: parts of about PART_WORDS words, cut between paragraphs."""
    pieces: list[RawBlock] = []
    for block in blocks:
        if block.kind == "text" and word_count(block.text) > LONG_PARAGRAPH:
            chunks = _chunk_sentences(sentences(squash(block.text)), PART_WORDS // 2)
            result.notes.append(f"a paragraph of {word_count(block.text)} words ({block.where}) was cut into "
                                f"{len(chunks)} paragraphs at sentence ends")
            pieces.extend(RawBlock("text", chunk, block.where) for chunk in chunks)
        else:
            pieces.append(block)
    parts: list[Section] = []
    words = PART_WORDS
    for block in pieces:
        if words >= PART_WORDS:
            parts.append(Section(f"Part {len(parts) + 1}", where=block.where, made_up=True))
            words = 0
        parts[-1].blocks.append(block)
        words += word_count(block.text) + sum(word_count(item) for item in block.items)
    if len(parts) > 1 and words < PART_WORDS // 3:  # a short tail joins the part before it
        parts[-2].blocks.extend(parts.pop().blocks)
    return parts


def _chunk_sentences(items: list[str], size: int) -> list[str]:
    chunks: list[str] = []
    words = size
    for sentence in items:
        if words >= size:
            chunks.append(sentence)
            words = 0
        else:
            chunks[-1] += " " + sentence
        words += word_count(sentence)
    return chunks


def _take_special_sections(result: Outline) -> None:
    """Move Sources and Glossary sections into pack.yaml; drop headings that head nothing."""
    kept = []
    for section in result.sections:
        title = squash(section.title)
        if _SOURCES.match(title):
            found = [squash(line) for block in section.blocks for line in (*block.text.split("\n"), *block.items)
                     if line.strip()]
            result.sources.extend(found)
            result.notes.append(f"section '{title}': {len(found)} source(s) moved to pack.yaml")
            continue
        if _GLOSSARY.match(title):
            result.notes.append(f"section '{title}' moved to pack.yaml's glossary")
            for block in section.blocks:
                for line in (*block.text.split("\n"), *block.items, *(" - ".join(row) for row in block.rows)):
                    match = _DEFINITION.match(squash(line))
                    if match:
                        result.glossary.append((match.group(1).strip(), match.group(2).strip()))
                    elif line.strip():
                        result.glossary.append((squash(line), ""))
            continue
        _take_definitions(section, result)
        if not section.blocks:
            if title:
                result.removals.append(Removal(title, "heading with no text under it (a site name?)", section.where))
            continue
        kept.append(section)
    result.sections = kept


def _take_definitions(section: Section, result: Outline) -> None:
    """Two or more paragraphs in a row like "**Term** - definition" are a glossary: move them."""
    runs: list[list[int]] = [[]]
    for i, block in enumerate(section.blocks):
        if block.kind == "text" and block.lead and _DEFINITION.match(squash(block.text)):
            runs[-1].append(i)
        elif runs[-1]:
            runs.append([])
    taken = {i for run in runs if len(run) >= 2 for i in run}
    for i in sorted(taken):
        match = _DEFINITION.match(squash(section.blocks[i].text))
        assert match is not None
        result.glossary.append((match.group(1).strip(), match.group(2).strip()))
    if taken:
        result.notes.append(f"{len(taken)} definition(s) in '{section.title or 'the opening'}' moved to the glossary")
        section.blocks = [block for i, block in enumerate(section.blocks) if i not in taken]
