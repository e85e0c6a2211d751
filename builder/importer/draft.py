"""Write the draft pack's two text files, article.md and pack.yaml, from what the import found.

pack.yaml is written by hand rather than dumped, so that it carries comments a teacher can follow
(which section an event came from, which corrections are less sure); it is parsed and validated
before anything is written.
"""

from __future__ import annotations

import functools
import json
import re
import struct
import zlib
from collections.abc import Sequence

from builder.check.spelling import Misspelling
from builder.importer.datefind import DraftEvent
from builder.importer.events import MAX_WORDS
from builder.importer.glossary import Term
from builder.importer.questions import DRAFTED, DraftQuestion
from builder.importer.readers import RawBlock
from builder.importer.sections import Section
from builder.importer.text import escape_markdown, squash
from builder.load.schema import COMPONENTS

LEVELS = ("elementary", "middle", "high")


def compose_article(title: str, sections: list[Section]) -> str:
    """article.md: the title, then a `## ` heading per section and its blocks."""
    out = [f"# {escape_markdown(title)}", ""]
    for section in sections:
        out += [f"## {escape_markdown(section.title or 'Introduction')}", ""]
        for block in section.blocks:
            out += [*_block(block), ""]
    return "\n".join(out).rstrip() + "\n"


def _block(block: RawBlock) -> list[str]:
    if block.kind == "heading":
        return [f"### {escape_markdown(block.text)}"]
    if block.kind == "list":
        return [f"- {escape_markdown(item)}" for item in block.items]
    if block.kind == "quote":
        return [f"> {escape_markdown(block.text)}"]
    if block.kind == "table":
        return [f"- {line}" for line in table_lines(block.rows)]
    if block.kind == "figure":
        caption = squash(block.text) or "Image to be supplied"
        alt = re.sub(r"[\[\]\\]", "", squash(block.alt) or caption)
        title = caption.replace("\\", "/").replace('"', "'")
        return [f'![{alt}](images/{block.image} "{title}")']
    return [block.markdown or escape_markdown(block.text.replace("\n", " "))]


def table_lines(rows: tuple[tuple[str, ...], ...]) -> list[str]:
    """A table as list items ("**River**: Danube; **Length**: 2850 km"): the pack format has no tables."""
    rows = tuple(row for row in rows if any(cell.strip() for cell in row))
    if len(rows) < 2:
        return [escape_markdown(" | ".join(row)) for row in rows]
    header, *body = rows
    return ["; ".join(f"**{escape_markdown(h)}**: {escape_markdown(v)}" if h.strip() else escape_markdown(v)
                      for h, v in zip(header, row, strict=False) if v.strip()) or "\u2014" for row in body]


def compose_pack(*, title: str, subtitle: str | None = None, subject: str, attribution: str, sources: list[str],
                 glossary: list[Term], events: list[DraftEvent], misspellings: list[Misspelling], names: list[str],
                 source_name: str, warnings: Sequence[str] = (), questions: Sequence[DraftQuestion] = ()) -> str:
    """pack.yaml with the drafts, commented for the teacher."""
    out = [
        f"# Draft made by `teachpack import` from {source_name}. Read import-report.md, then run",
        "# `teachpack check` on this folder: it lists what is left to write.",
        f"title: {_scalar(title)}",
        *([f"subtitle: {_scalar(subtitle)}"] if subtitle else []),
        f"subject: {_scalar(subject)}  # a guess: change it",
        "language: en",
        "paper: letter",
        "article: article.md",
        f"attribution: {_scalar(attribution)}",
    ]
    if warnings:
        out += ["import_warnings:  # `teachpack check` lists each until you delete it: fix it, then delete it",
                *(f"  - {_scalar(_comment(warning))}" for warning in warnings)]
    if sources:
        out += ["sources:", *(f"  - {_scalar(s)}" for s in sources)]
    # No dated events, no timeline page: an empty one would print (the report says how to add it).
    contents = [c for c in COMPONENTS if events or c != "timeline"]
    out += [f"levels: [{', '.join(LEVELS)}]", f"contents: [{', '.join(contents)}]"]
    if glossary:
        out.append("glossary:  # empty definitions are still to write; delete the terms you do not want")
        for term in glossary:
            out.append(f"  - term: {_scalar(term.term)}")
            if term.drafted:
                out.append(f"    # drafted from {_comment(term.why.rsplit('; sense ', 1)[-1])}: read it; "
                           "`teachpack check` lists it until you delete the drafted: line")
            out.append(f"    definition: {_scalar(term.definition)}")
            if term.simple:
                out.append(f"    simple: {_scalar(term.simple)}  # the wording for the youngest level")
            if term.drafted:
                out.append(f"    drafted: {_scalar(term.drafted)}")
            if term.forms:
                out.append(f"    forms: [{', '.join(json.dumps(f, ensure_ascii=False) for f in term.forms)}]")
    if events:
        out += ["timeline:", "  events:"]
        for event in events:
            out += [f"    - date: {json.dumps(event.date)}", f"      title: {_scalar(event.title)}"]
            if event.detail:
                out.append(f"      detail: {_scalar(event.detail)}")
            if event.cut:
                out.append(f"      # title cut to {MAX_WORDS} words from its sentence: check it says what happened")
            out.append(f"      # found as \"{_comment(event.wording)}\" in: "
                       f"{_comment(', '.join(s or 'the opening' for s in event.sections))}")
    if questions or len([t for t in glossary if t.definition]) >= 4:
        out.append("worksheet:  # drafted by import: `teachpack check` lists each until you delete its drafted: line")
        if len([t for t in glossary if t.definition]) >= 4:
            out.append("  - type: vocabulary-matching  # built from the glossary for each level")
        for q in questions:
            out.append(f"  - type: {q.kind}  # {q.skill}")
            out.append(f"    prompt: {_scalar(q.prompt)}")
            if q.choices:
                out.append("    choices:")
                out += [f"      - {_scalar(c)}" for c in q.choices]
            out.append(f"    answer: {_scalar(q.answer)}")
            out.append(f"    drafted: {DRAFTED}")
    sure = [m for m in misspellings if m.sure and m.suggestion]
    unsure = [m for m in misspellings if not m.sure and m.suggestion]
    if sure or unsure:
        out.append(f"corrections:{'' if sure else ' {}'}  # applied to the article when it builds "
                   "(article.md is unchanged); delete any that is wrong")
        out += [f"  {_scalar(m.word)}: {_scalar(m.suggestion or '')}" for m in sure]
        out += [f"  # {_comment(m.word)}: {_comment(m.suggestion or '')}  (less sure: remove the # to apply)"
                for m in unsure]
    if names:
        out.append("dictionary:  # names the spelling check accepts; check their spelling once")
        out += [f"  - {_scalar(name)}" for name in names]
    return "\n".join(out) + "\n"


_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 ,.'()\u2013\u2019-]*")
_YAML_WORDS = {"yes", "no", "true", "false", "on", "off", "null", "y", "n"}


def _scalar(text: str) -> str:
    """A YAML scalar: plain when that reads back as the same string, else double-quoted (JSON)."""
    if _PLAIN.fullmatch(text) and text.lower() not in _YAML_WORDS and not text.endswith((" ", ",")):
        return text
    return json.dumps(text, ensure_ascii=False)


def _comment(text: str) -> str:
    return squash(text).replace("\n", " ")


@functools.cache  # one per import would compress the same picture again for every figure
def placeholder_png(width: int = 480, height: int = 270) -> bytes:
    """A light grey picture with a darker frame: stands in for an image the teacher must supply."""
    frame, fill = b"\xa0\xa0\xa0", b"\xe8\xe8\xe8"
    edge = b"\x00" + frame * width
    middle = b"\x00" + frame * 4 + fill * (width - 8) + frame * 4
    raw = edge * 4 + middle * (height - 8) + edge * 4

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")
