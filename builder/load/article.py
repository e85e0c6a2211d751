"""Markdown article -> sections of neutral blocks. `## ` headings start sections."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from markdown_it import MarkdownIt
from markdown_it.token import Token

from builder.model import Block, Figure, ListBlock, Paragraph, Quote, Run, Runs, Section, Subheading

# Raw HTML stays literal text: an article is content, never markup that runs. The typographer
# prints "straight" quotes as curly ones and -- as a dash, as a printed handout should.
_MD = MarkdownIt("commonmark", {"html": False, "typographer": True}).enable(["replacements", "smartquotes"])
# A printed handout links only to the web, to mail, or within itself: a relative or file: link
# would put a path of the build machine into the PDF, and javascript: or data: links can run code.
LINK_SCHEMES = ("http", "https", "mailto")
# CriticMarkup's highlight and comment, {==sentence==}{>>note<<}: how `teachpack import --levels` marks a
# sentence for the teacher to rewrite. The loader takes the marks out of a level text before reading it.
REVIEW_MARK = ("{==", "==}", "{>>", "<<}")
_REVIEW = re.compile(r"\{==(.*?)==\}|\{>>.*?<<\}", re.DOTALL)


@dataclass(frozen=True)
class Reference:
    """An image or link target as written in the article, and its line."""

    src: str
    line: int
    alt: str = ""


@dataclass(frozen=True)
class ParsedArticle:
    sections: tuple[Section, ...]
    images: tuple[Reference, ...]
    refused_links: tuple[Reference, ...] = ()  # printed as plain text


def without_review_marks(text: str) -> tuple[str, list[int]]:
    """`text` with its review marks taken out (a highlighted sentence kept, a note dropped), and the lines
    of the highlighted sentences."""
    lines = [text.count("\n", 0, m.start()) + 1 for m in _REVIEW.finditer(text) if m.group(0).startswith("{==")]
    return _REVIEW.sub(lambda m: m.group(1) or "", text), lines


def safe_href(href: str) -> str | None:
    """`href` if a handout may link to it (the web, mail, a place in the document), else None."""
    if href.startswith("#"):
        return href
    parts = urlsplit(href)
    if parts.scheme.lower() in LINK_SCHEMES and (parts.netloc or parts.scheme.lower() == "mailto"):
        return href
    return None


def slugify(text: str) -> str:
    """Section id from a heading: "Mao in Moscow (1950)" -> "mao-in-moscow-1950"."""
    return re.sub(r"[^\w]+", "-", text.lower()).strip("-_") or "section"


def parse_article(text: str) -> ParsedArticle:
    """Split the article into sections; image paths stay as written (checked by the loader)."""
    tokens = _MD.parse(text)
    sections: list[tuple[str, list[Block]]] = []
    images: list[Reference] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.type == "heading_open" and token.tag in ("h1", "h2"):
            title = _plain(tokens[i + 1])
            if token.tag == "h2":
                sections.append((title, []))
            i += 3
            continue
        if not sections:
            sections.append(("Introduction", []))
        blocks = sections[-1][1]
        i = _block(tokens, i, blocks, images)
    seen: dict[str, int] = {}
    result = []
    for title, blocks in sections:
        if not blocks and title == "Introduction":
            continue
        sid = slugify(title)
        seen[sid] = seen.get(sid, 0) + 1
        if seen[sid] > 1:
            sid = f"{sid}-{seen[sid]}"
        result.append(Section(sid, title, tuple(blocks)))
    refused = [
        Reference(str(child.attrs.get("href", "")), (token.map or [0])[0] + 1)
        for token in tokens
        if token.type == "inline"
        for child in token.children or []
        if child.type == "link_open" and safe_href(str(child.attrs.get("href", ""))) is None
    ]
    return ParsedArticle(tuple(result), tuple(images), tuple(refused))


def _block(tokens: list[Token], i: int, out: list[Block], images: list[Reference]) -> int:
    """Append the block starting at tokens[i] to `out`; return the index after it."""
    token = tokens[i]
    kind = token.type
    if kind == "heading_open":
        out.append(Subheading(_runs(tokens[i + 1])))
        return i + 3
    if kind == "paragraph_open":
        inline = tokens[i + 1]
        children = [c for c in inline.children or [] if not (c.type == "text" and not c.content.strip())]
        if len(children) == 1 and children[0].type == "image":
            image = children[0]
            # markdown-it percent-encodes the address (carte-é.png -> carte-%C3%A9.png): the file has the real name
            src = unquote(str(image.attrs.get("src", "")))
            images.append(Reference(src, (token.map or [0])[0] + 1, _plain(image)))
            title = image.attrs.get("title")
            out.append(Figure(Path(src), _plain(image), str(title) if title else None))
        else:
            out.append(Paragraph(_runs(inline)))
        return i + 3
    if kind in ("bullet_list_open", "ordered_list_open"):
        # Nested lists flatten into the outer list: a handout rarely needs more.
        items, end = _inlines_until_closed(tokens, i)
        start = int(token.attrs.get("start", 1) or 1)
        out.append(ListBlock(kind == "ordered_list_open", tuple(items), start))
        return end + 1
    if kind == "blockquote_open":
        paragraphs, end = _inlines_until_closed(tokens, i)
        out.append(Quote(tuple(paragraphs)))
        return end + 1
    if kind in ("fence", "code_block"):
        lines = token.content.rstrip("\n").split("\n")
        runs: list[Run] = []
        for n, line in enumerate(lines):
            runs.append(Run(line, code=True))
            if n < len(lines) - 1:
                runs.append(Run("", line_break=True))
        out.append(Paragraph(tuple(runs)))
        return i + 1
    return i + 1  # hr and anything else print nothing


def _inlines_until_closed(tokens: list[Token], i: int) -> tuple[list[Runs], int]:
    """The text of every inline inside the container opened at tokens[i], and the index of its close."""
    opening = tokens[i].type
    closing = opening.replace("_open", "_close")
    depth = 0
    found: list[Runs] = []
    for j in range(i, len(tokens)):
        kind = tokens[j].type
        if kind == opening:
            depth += 1
        elif kind == closing:
            depth -= 1
            if depth == 0:
                return found, j
        elif kind == "inline":
            found.append(_runs(tokens[j]))
    return found, len(tokens) - 1


def _runs(inline: Token) -> Runs:
    runs: list[Run] = []
    bold = italic = 0
    href: str | None = None
    for child in inline.children or []:
        t = child.type
        if t == "strong_open":
            bold += 1
        elif t == "strong_close":
            bold -= 1
        elif t == "em_open":
            italic += 1
        elif t == "em_close":
            italic -= 1
        elif t == "link_open":
            href = safe_href(str(child.attrs.get("href", "")))
        elif t == "link_close":
            href = None
        elif t in ("text", "html_inline"):
            runs.append(Run(child.content, bool(bold), bool(italic), href=href))
        elif t == "code_inline":
            runs.append(Run(child.content, code=True, href=href))
        elif t == "softbreak":
            runs.append(Run(" ", bool(bold), bool(italic), href=href))
        elif t == "hardbreak":
            runs.append(Run("", line_break=True))
        elif t == "image":
            runs.append(Run(_plain(child), bool(bold), bool(italic), href=href))
    return _merge(runs)


def _merge(runs: list[Run]) -> Runs:
    """Join neighbouring runs that look the same (fewer DOCX runs, simpler HTML)."""
    merged: list[Run] = []
    for run in runs:
        if merged and not run.line_break and not merged[-1].line_break and _look(merged[-1]) == _look(run):
            merged[-1] = Run(merged[-1].text + run.text, *_look(run))
        else:
            merged.append(run)
    return tuple(merged)


def _look(run: Run) -> tuple[bool, bool, bool, bool, str | None]:
    return run.bold, run.italic, run.code, run.term, run.href


def _plain(token: Token) -> str:
    if token.children:
        return "".join(
            c.content for c in token.children if c.type in ("text", "code_inline", "softbreak", "image")
        ).strip()
    return token.content.strip()
