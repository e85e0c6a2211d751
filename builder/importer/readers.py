"""Read a source file, whatever its format, into one list of raw blocks.

One reader per format, each small, each returning the same `Source`: the later steps (cleaning,
sections, drafts) never look at the format again. Bad input raises TeachpackError, one line.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from builder.core import files
from builder.core.errors import TeachpackError
from builder.importer import metadata
from builder.importer.metadata import Metadata
from builder.importer.pictures import NAMES as IMAGE_TYPES
from builder.importer.pictures import PictureRefused, checked, data_picture, local_picture, suffix
from builder.importer.text import squash, word_count

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

FORMATS = ("txt", "md", "html", "docx")
EXTENSIONS = {".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html",
              ".docx": "docx"}


@dataclass
class RawBlock:
    """One block of the source. `kind` is text, heading, list, quote, table or figure.

    `text` is plain text (a txt block keeps its line breaks until cleaning decides what each line
    is); `markdown`, when set, is the block's own Markdown (from a .md source) to write unchanged.
    """

    kind: str
    text: str = ""
    where: str = ""
    level: int = 0
    items: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    image: str | None = None
    markdown: str | None = None
    lead: str | None = None  # bold words that open the paragraph ("**Term** - definition")
    refused: str | None = None  # a figure whose picture was not copied: "'<address>' <why>"
    alt: str = ""  # a figure's alt text, for the report


@dataclass
class Source:
    path: Path
    fmt: str
    title: str | None
    blocks: list[RawBlock]
    images: dict[str, bytes] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # things the report must mention (encoding, ...)
    missing_images: list[str] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)  # page text an extractor dropped, for the report
    meta: Metadata = field(default_factory=Metadata)
    taken: list[tuple[str, str, str]] = field(default_factory=list)  # (text, why, where) moved into pack.yaml
    warnings: list[str] = field(default_factory=list)  # the report and pack.yaml both show these


def source_format(path: Path, fmt: str | None) -> str:
    """The format to read `path` as: --format if given, else from the extension."""
    if fmt is not None:
        if fmt not in FORMATS:
            raise TeachpackError(f"--format '{fmt}' is not supported; choose from {', '.join(FORMATS)}")
        return fmt
    found = EXTENSIONS.get(path.suffix.lower())
    if found is None:
        kind = f"'{path.suffix}'" if path.suffix else "without an extension"
        raise TeachpackError(f"{path}: unsupported file type {kind}; save it as .txt, .md, .html or .docx, "
                             f"or name its format with --format {'|'.join(FORMATS)}")
    return found


def read_source(path: Path, fmt: str | None = None) -> Source:
    """Read `path` into raw blocks; raises TeachpackError for a missing, empty or unreadable file.

    The source is read through files.read_bytes: a regular file inside its own folder (not a FIFO,
    a device, a /proc file or a link out), at most the "source" size limit.
    """
    fmt = source_format(path, fmt)
    if not path.exists():
        raise TeachpackError(f"{path}: not found; check the path")
    if path.is_dir():
        raise TeachpackError(f"{path}: is a folder; give the article's file (.txt, .md, .html or .docx)")
    data = files.read_bytes(path, [path.parent], "source", str(path))
    if not data.strip():
        raise TeachpackError(f"{path}: is empty; give the file that holds the article's text")
    if fmt == "docx":
        source = _read_docx(path, data)
    else:
        text, note = decode(data, path)
        source = READERS[fmt](path, text)
        if note:
            source.notes.insert(0, note)
    if not any(block.text.strip() or block.items or block.rows for block in source.blocks):
        raise TeachpackError(f"{path}: has no article text; check that it is the right file")
    return source


def decode(data: bytes, path: Path) -> tuple[str, str | None]:
    """Bytes to text: UTF-8 (with or without BOM), UTF-16 with a BOM, else Windows-1252, else Latin-1.

    Returns the text and, when it was not UTF-8, a note saying which encoding was used.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), None
    binary = re.search(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]", data[:65536])
    if binary:
        raise TeachpackError(f"{path}: is not a text file (binary data at byte {binary.start()}); "
                             "save the article as .txt, .md, .html or .docx")
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        position = exc.start
    for encoding, name in (("cp1252", "Windows-1252"), ("latin-1", "Latin-1 (ISO-8859-1)")):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return text, (f"{path.name} is not UTF-8 (byte {position}); it was read as {name}: "
                      "check accented letters and quotes")
    raise AssertionError("latin-1 decodes any bytes")


def _read_txt(path: Path, text: str) -> Source:
    """Blank lines separate blocks; a block keeps its lines for the cleaner to judge one by one."""
    blocks: list[RawBlock] = []
    lines: list[str] = []
    first = 0
    for number, line in enumerate([*text.splitlines(), ""], start=1):
        if line.strip():
            if not lines:
                first = number
            lines.append(line.strip())
        elif lines:
            blocks.append(_txt_block(lines, f"line {first}"))
            lines = []
    source = Source(path, "txt", None, blocks)
    _take_byline(source)
    return source


def _take_byline(source: Source) -> None:
    """'By Jane Doe' and a date line among the first lines go into the metadata (and the report)."""
    from builder.importer.metadata import byline, date_line

    authors: tuple[str, ...] = ()
    day = None
    for block in source.blocks[:3]:
        if block.kind != "text":
            continue
        kept = []
        for line in block.text.split("\n"):
            names = None if authors else byline(line)
            found = None if day else date_line(line)
            if names or found:
                authors, day = names or authors, found or day
                source.taken.append((line, "byline or date line (kept in the attribution)", block.where))
            else:
                kept.append(line)
        block.text = "\n".join(kept)
    source.blocks = [b for b in source.blocks if b.kind != "text" or b.text.strip()]
    source.meta = Metadata(authors=authors, date=day)


_BULLET = re.compile(r"^(?:[-*\u2022\u25aa\u25e6\u2023]|\d{1,3}[.)])\s+")


def _txt_block(lines: list[str], where: str) -> RawBlock:
    if len(lines) > 1 and all(_BULLET.match(line) for line in lines):
        return RawBlock("list", where=where, items=tuple(_BULLET.sub("", line) for line in lines))
    return RawBlock("text", "\n".join(lines), where)


def _read_md(path: Path, text: str) -> Source:
    """CommonMark tokens to blocks; paragraphs keep their own Markdown (bold, links, ...)."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark", {"html": True}).parse(text)
    source = Source(path, "md", None, [])
    stripped = 0
    i = 0
    while i < len(tokens):
        token = tokens[i]
        where = f"line {(token.map or [0])[0] + 1}"
        if token.type == "heading_open":
            source.blocks.append(RawBlock("heading", _plain(tokens[i + 1]), where, level=int(token.tag[1])))
            i += 3
        elif token.type == "paragraph_open":
            inline = tokens[i + 1]
            children = [c for c in inline.children or [] if not (c.type == "text" and not c.content.strip())]
            if len(children) == 1 and children[0].type == "image":
                image = children[0]
                _add_image(source, path.parent, str(image.attrs.get("src", "")), _plain(image),
                           str(image.attrs.get("title") or ""), where)
            else:
                markdown, removed = strip_tags(inline.content)
                stripped += removed
                lead = None
                if len(children) > 1 and children[0].type == "strong_open":
                    lead = children[1].content.strip()
                source.blocks.append(RawBlock("text", _plain(inline), where, markdown=squash(markdown), lead=lead))
            i += 3
        elif token.type in ("bullet_list_open", "ordered_list_open", "blockquote_open"):
            close = token.type.replace("_open", "_close")
            depth, j, items = 0, i, []
            while True:
                t = tokens[j]
                depth += (t.type == token.type) - (t.type == close)
                if t.type == "inline":
                    items.append(_plain(t))
                if depth == 0:
                    break
                j += 1
            kind = "quote" if token.type == "blockquote_open" else "list"
            source.blocks.append(RawBlock(kind, " ".join(items) if kind == "quote" else "", where,
                                          items=tuple(items) if kind == "list" else ()))
            i = j + 1
        elif token.type == "html_block":
            text_only, removed = strip_tags(token.content)
            stripped += removed
            if text_only.strip():
                source.blocks.append(RawBlock("text", squash(text_only), where))
            i += 1
        elif token.type in ("fence", "code_block"):
            source.blocks.append(RawBlock("text", squash(token.content), where))
            i += 1
        else:
            i += 1
    if stripped:
        source.notes.append(f"{stripped} HTML tag(s) removed from the Markdown (styling, scripts)")
    return source


_RAW_TEXT = re.compile(r"(script|style)\b", re.IGNORECASE)
_RAW_CLOSE = {name: re.compile(rf"</{name}\s*>", re.IGNORECASE) for name in ("script", "style")}
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")


def strip_tags(text: str) -> tuple[str, int]:
    """Remove HTML tags, comments, and whole scripts and styles; return the text and how many went.

    One pass from left to right, in linear time: each search for a closing `-->`, `</script>` or
    `</style>` either jumps past what it removes or, when the closing is missing, is not made again
    (a closing absent after one point is absent after every later one). An unclosed comment or
    script stays as text. A tag stops at the next `<`, so its scan never overlaps the next one.
    """
    out, removed, kept_from, at = [], 0, 0, 0
    unclosed: set[str] = set()
    while (at := text.find("<", at)) >= 0:
        end, space = None, ""
        if text.startswith("<!--", at):
            close = -1 if "-->" in unclosed else text.find("-->", at + 4)
            if close < 0:
                unclosed.add("-->")
            else:
                end = close + 3
        elif (raw := _RAW_TEXT.match(text, at + 1)) and (name := raw.group(1).lower()) not in unclosed:
            closing = _RAW_CLOSE[name].search(text, raw.end())
            if closing is None:
                unclosed.add(name)
            else:
                end, space = closing.end(), " "
        if end is None and (tag := _TAG.match(text, at)):
            end = tag.end()
        if end is None:
            at += 1
            continue
        out += [text[kept_from:at], space]
        removed += 1
        kept_from = at = end
    out.append(text[kept_from:])
    return "".join(out), removed


def _plain(token: object) -> str:
    """The text of an inline token; line breaks stay, for definition lists written line by line."""
    children = getattr(token, "children", None) or []
    if not children:
        return squash(getattr(token, "content", ""))
    parts = [c.content if c.type in ("text", "code_inline") else (_plain(c) if c.type == "image" else "\n")
             for c in children if c.type in ("text", "code_inline", "softbreak", "hardbreak", "image")]
    return "\n".join(squash(line) for line in "".join(parts).split("\n") if line.strip())


def _add_image(source: Source, base: Path, src: str, alt: str, caption: str, where: str) -> None:
    """A figure: its picture is copied into the pack when it is a file inside the source's folder
    (pictures.py) or a `data:` URI, within the limits; else the figure is marked to supply, and why."""
    name, refused = None, None
    try:
        if src.lower().startswith("data:"):
            data = data_picture(src)
            wanted = "image" + suffix(data)
        else:
            data, wanted = local_picture(src, base)
        name = _image_name(source, wanted)
        source.images[name] = data
    except PictureRefused as why:
        refused = f"'{_shown(src)}' {why}"
        source.missing_images.append(_shown(src) or "(no address)")
    source.blocks.append(RawBlock("figure", caption or alt, where, image=name, refused=refused, alt=alt))


def _shown(src: str) -> str:
    """A picture's address as the report shows it: a long one (a data: URI) by its start only."""
    return f"{src[:200]}…" if len(src) > 200 else src


def _image_name(source: Source, wanted: str) -> str:
    """A file name under images/ that no other image of this import has taken."""
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", PurePosixPath(wanted).stem).strip("-") or "image"
    suffix = PurePosixPath(wanted).suffix.lower()
    name, n = f"{stem}{suffix}", 1
    while name in source.images:
        n += 1
        name = f"{stem}-{n}{suffix}"
    return name


_BLOCK_TAGS = ("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "td", "th", "figcaption", "dt", "dd",
               "pre", "div", "nav", "footer", "header", "aside", "section")


def _read_html(path: Path, text: str) -> Source:
    """The article part of a web page, found by trafilatura; what it leaves out is reported."""
    import logging

    import lxml.html
    import trafilatura
    from lxml import etree

    # trafilatura logs its doubts about a page at ERROR; what it leaves out is in our report instead.
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)

    xml = trafilatura.extract(text, output_format="xml", include_tables=True, include_images=True,
                              include_comments=False, include_links=False, favor_recall=True, with_metadata=True)
    source = Source(path, "html", None, [])
    if not xml:
        return source
    doc = etree.fromstring(xml.encode("utf-8"))
    page = lxml.html.document_fromstring(text)
    source.meta = metadata.from_html(text, page)
    source.title = source.meta.title
    captions = {}  # trafilatura drops <figcaption>: take it from the page
    for figure in page.iter("figure"):
        caption = figure.find(".//figcaption")
        for img in figure.iter("img") if caption is not None else ():
            captions[img.get("src")] = squash(caption.text_content())
    source.warnings += _pages(page)
    main = doc.find("main")
    for n, element in enumerate(main if main is not None else [], start=1):
        where = f"block {n}"
        content = squash("".join(element.itertext()))
        if element.tag == "head":
            level = int((element.get("rend") or "h2")[1:] or 2)
            source.blocks.append(RawBlock("heading", content, where, level=level))
        elif element.tag == "list":
            items = tuple(squash("".join(item.itertext())) for item in element.iter("item"))
            source.blocks.append(RawBlock("list", where=where, items=tuple(i for i in items if i)))
        elif element.tag == "quote":
            source.blocks.append(RawBlock("quote", content, where))
        elif element.tag == "table":
            rows = tuple(tuple(squash("".join(cell.itertext())) for cell in row.iter("cell"))
                         for row in element.iter("row"))
            source.blocks.append(RawBlock("table", where=where, rows=rows))
        elif element.tag == "graphic":
            src = element.get("src") or ""
            _add_image(source, path.parent, src, element.get("alt") or "", captions.get(src, ""), where)
        elif content and (content in captions.values() or _CREDIT.search(content)):
            _caption(source.blocks, content, where)
        elif content:
            source.blocks.append(RawBlock("text", content, where))
    _take_dek(source, metadata.deks(page))
    kept = " ".join(part for b in source.blocks for part in (b.text, *b.items, *(" ".join(r) for r in b.rows)))
    for element in page.iter("script", "style"):
        element.drop_tree()
    left_out = [squash(el.text_content()) for el in page.iter(*_BLOCK_TAGS)
                if not any(child.tag in _BLOCK_TAGS for child in el.iterdescendants())]
    source.left_out = [line for line in dict.fromkeys(left_out) if line and line not in kept]
    return source


# "Photo: Sam Lee", "Credit: ...", "... / Desert Weekly", "(Getty Images)": a picture's credit line.
_CREDIT = re.compile(r"^(?=(?:\S+\s+){0,24}\S*$)(?:(?:photo(?:graph)?s?|image|illustration|credit|picture|map)"
                     r"(?: by)?\s*[:\u00a9]|.{3,}\s/\s[A-Z][^/]{1,40}$|.*\((?:[^()]*\b(?:Getty|AFP|AP|Reuters|Alamy|"
                     r"Shutterstock)\b[^()]*)\)$)", re.I)
_PAGE_OF = re.compile(r"\bpage\s+1\s+(?:of|/)\s+(\d{1,3})(?!\d)", re.I)
_NEXT = re.compile(r"^(?:next page|continue reading|continue to page \d+|next\s*[\u203a\u00bb>]+"
                   r"|page \d+\s*[\u203a\u00bb>])\W*$", re.I)


def _caption(blocks: list[RawBlock], text: str, where: str) -> None:
    """A caption or credit line: it captions the figure just before, else it stands for a figure to supply."""
    last = blocks[-1] if blocks else None
    if last is not None and last.kind == "figure":
        if text not in last.text:
            last.text = f"{last.text} {text}".strip() if last.text != last.alt else text
    else:
        blocks.append(RawBlock("figure", text, where))


def _take_dek(source: Source, deks: list[str]) -> None:
    """The summary under the headline, when the page marks it and the extractor kept it as the first
    paragraph: it becomes the subtitle, not a paragraph."""
    first = next((b for b in source.blocks[:3] if b.kind == "text" or (b.kind == "heading" and b.level >= 2)), None)
    subtitle = source.meta.subtitle
    if first is not None and (first.text in deks or (first.kind == "heading" and subtitle
                                                     and first.text.startswith(subtitle))):
        # The dek, as a paragraph or as a subheading before any paragraph ("<h2>The rocky island of
        # Redonda ... <span>Monday, 6 January 2020</span></h2>"); the page's date stamp is left off it.
        source.blocks.remove(first)
        dek = _without_stamp(first.text)
        source.meta = replace(source.meta, subtitle=dek if metadata.fits(dek) else subtitle)
        source.taken.append((first.text, "summary under the headline (pack.yaml's subtitle)", first.where))
    elif source.meta.subtitle and any(b.text.startswith(source.meta.subtitle) for b in source.blocks
                                      if b.kind == "text"):
        source.meta = replace(source.meta, subtitle=None)  # the description is the first paragraph, not a dek


def _without_stamp(text: str) -> str:
    """Without a date that ends the text: "... its recovery?Monday, 6 January 2020" -> "... its recovery?"."""
    from builder.importer.datefind import find_dates

    dates = find_dates(text)
    if not dates or dates[-1][1] < len(text.rstrip(" .")):
        return text
    before = text[:dates[-1][0]]
    cut = re.sub(r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s*|\s*[|\u00b7\u2022\u2013\u2014]\s*)$", "", before)
    # Only a stamp set apart from the sentence: glued on, after a weekday or a separator ("in 2019" stays).
    if cut == before and before[-1:].isspace():
        return text
    return cut.strip() or text


def _pages(page: object) -> list[str]:
    """Warnings for an article split over several pages: only this page was saved."""
    text = squash(page.text_content())  # type: ignore[attr-defined]
    count = _PAGE_OF.search(text)
    links = [squash(a.text_content()) for a in page.iter("a", "button")]  # type: ignore[attr-defined]
    following = next((t for t in links if _NEXT.match(t)), None)
    if count:
        return [f"the page says it is page 1 of {count.group(1)}: only this page was imported; "
                "save the other pages and add their text to article.md"]
    if following or page.xpath("//link[@rel='next']"):  # type: ignore[attr-defined]
        shown = f"'{following}'" if following else "a link to a next page"
        return [f"the page ends in {shown}: the article may go on on another page; "
                "check it, and add the rest to article.md"]
    return []


def _read_docx(path: Path, data: bytes) -> Source:
    """Word paragraphs by style: headings, captions, images and tables; broken lines joined."""
    document = _open_docx(path, data)
    from docx.oxml.ns import qn
    from docx.table import Table

    source = Source(path, "docx", None, [], meta=metadata.from_docx(document.core_properties))
    images = 0
    for n, item in enumerate(document.iter_inner_content(), start=1):
        where = f"paragraph {n}"
        if isinstance(item, Table):
            rows = tuple(tuple(dict.fromkeys(squash(cell.text) for cell in row.cells)) for row in item.rows)
            source.blocks.append(RawBlock("table", where=where, rows=rows))
            continue
        style = item.style.name if item.style is not None else ""
        for blip in item._p.iter(qn("a:blip")):
            part = document.part.related_parts.get(blip.get(qn("r:embed")) or "")
            if part is None:
                continue
            images += 1
            shown = f"image {images}"
            kind = PurePosixPath(str(part.partname)).suffix.lower()
            try:
                if kind not in IMAGE_TYPES:
                    raise PictureRefused(f"is {kind or 'without a type'}, not PNG, JPEG or GIF; save it as PNG or JPEG")
                name, refused = _image_name(source, f"image-{images}{kind}"), None
                source.images[name] = checked(part.blob)
            except PictureRefused as why:
                name, refused = None, f"{shown} ({PurePosixPath(str(part.partname)).name}) {why}"
                source.missing_images.append(shown)
            source.blocks.append(RawBlock("figure", "", where, image=name, refused=refused))
        text = item.text
        if not text.strip():
            continue
        if style == "Title":
            source.title = source.title or squash(text)
            source.blocks.append(RawBlock("heading", squash(text), where, level=1))
        elif style.startswith("Heading") and style[8:].isdigit():
            source.blocks.append(RawBlock("heading", squash(text), where, level=int(style[8:]) + 1))
        elif style == "Caption" and source.blocks and source.blocks[-1].kind == "figure":
            source.blocks[-1].text = squash(text)
        elif style.startswith("List"):
            _append_list_item(source.blocks, squash(text), where)
        else:
            runs = [run for run in item.runs if run.text.strip()]
            lead = squash(runs[0].text) if len(runs) > 1 and runs[0].bold and not runs[-1].bold else None
            for piece in _join_broken_lines(text):
                _append_paragraph(source.blocks, piece, where, lead)
                lead = None  # only the first line of the paragraph opens with the bold words
    source.title = source.title or _docx_title(source.meta.title, source.blocks)
    source.meta = replace(source.meta, title=source.title)
    _article_of_saved_page(source)
    return source


WEB_PAGE_BLOCKS = 40  # a document this long ...
WEB_PAGE_SHORT = 0.4  # ... with this share of its lines under five words is a web page saved or pasted into Word
SHORT_LINE = 10  # a paragraph shorter than this counts against the run of text it is in


def _article_of_saved_page(source: Source) -> None:
    """A web page saved or pasted into Word brings its menus, language lists and link lists along.

    Such a document (long, with many lines under five words) keeps only its densest run of text: the
    run of blocks with the greatest sum of (words - SHORT_LINE) per paragraph, every heading, list and
    short line counting against it (body text extraction, Finn, Kushmerick and Smyth 2001). A web
    extractor cannot help here: Word keeps none of the page's markup that tells a menu from the
    article. What is left out is reported as page furniture. Other documents are left as they are.
    """
    lines = [b for b in source.blocks if b.kind in ("text", "heading", "list")]
    short = sum(word_count(b.text or " ".join(b.items)) < 5 for b in lines)
    if len(lines) < WEB_PAGE_BLOCKS or short < WEB_PAGE_SHORT * len(lines):
        return
    scores = [word_count(b.text) - SHORT_LINE if b.kind == "text" else -2 if b.kind == "heading"
              else -3 * len(b.items) if b.kind == "list" else 0 for b in source.blocks]
    best, best_span, total, start = 0, (0, 0), 0, 0
    for n, score in enumerate(scores):  # the greatest-sum run, in one pass (Kadane)
        if total <= 0:
            total, start = 0, n
        total += score
        if total > best:
            best, best_span = total, (start, n + 1)
    first, end = best_span
    if first > 0 and source.blocks[first - 1].kind == "heading":  # the run's own heading
        first -= 1
    for block in source.blocks[:first] + source.blocks[end:]:
        source.left_out.append(squash(block.text or " ".join(block.items))
                               or f"a picture ({block.image or block.refused})")
    source.blocks = source.blocks[first:end]


def _docx_title(core: str | None, blocks: list[RawBlock]) -> str | None:
    """The title a Word file's properties give, if the document bears it out: Word and LibreOffice
    keep a stale one from a template or a saved web page ("Close banner"). With headings, the one
    that agrees with it; without any heading, the property itself; otherwise the first top-level
    heading (a headline comes before the page's other top headings). No property: the outline decides."""
    headings = [b for b in blocks if b.kind == "heading"]
    if core is None or not headings:
        return core
    if (found := next((h.text for h in headings if metadata.agrees(h.text, core)), None)):
        return found
    top = min(h.level for h in headings)
    return next(h.text for h in headings if h.level == top)


_HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"


def _links_made_external(archive: zipfile.ZipFile, data: bytes) -> bytes:
    """The package with every hyperlink to a part it does not hold marked external.

    LibreOffice saves a web page's "#" links as hyperlink relationships without TargetMode="External";
    Word opens such a file, python-docx looks for a part "word/#" and fails. Rewritten in memory only.
    """
    from lxml import etree

    names = set(archive.namelist())
    fixed: dict[str, bytes] = {}
    for name in names:
        if not name.endswith(".rels"):
            continue
        tree = etree.fromstring(archive.read(name), etree.XMLParser(resolve_entities=False, no_network=True))
        base = PurePosixPath(name).parent.parent
        changed = False
        for rel in tree:
            target = rel.get("Target") or ""
            inside = str(base / target).lstrip("/") if not target.startswith("/") else target.lstrip("/")
            if rel.get("Type") == _HYPERLINK and rel.get("TargetMode") != "External" and inside not in names:
                rel.set("TargetMode", "External")
                changed = True
        if changed:
            fixed[name] = etree.tostring(tree, xml_declaration=True, encoding="UTF-8", standalone=True)
    if not fixed:
        return data
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in archive.infolist():
            copy.writestr(info, fixed.get(info.filename) or archive.read(info.filename))
    return out.getvalue()


def _open_docx(path: Path, data: bytes) -> DocxDocument:
    """Open a .docx, turning every way a damaged file can fail into one line for the user."""
    import docx

    fix = "open it in Word or LibreOffice and save it again as .docx"
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise TeachpackError(f"{path}: is not a Word document (not a .docx package); {fix}")
    try:
        # The build's zip limits (entries, unpacked size, ratio), from the directory before anything
        # is unpacked; then every part is read once within the size its entry declares (a lying
        # entry is refused, a damaged one named), so python-docx only ever unpacks what was checked.
        with files.open_zip(data, str(path)) as archive:
            if "word/document.xml" not in archive.namelist():
                raise TeachpackError(f"{path}: is not a Word document (no word/document.xml inside); {fix}")
            for info in archive.infolist():
                try:
                    files.read_member(archive, info.filename, str(path))
                except TeachpackError:
                    raise
                except Exception:  # noqa: BLE001 - a bad CRC, a cut stream, an unknown method: all "damaged"
                    raise TeachpackError(f"{path}: is damaged ({info.filename} cannot be read); {fix}") from None
            data = _links_made_external(archive, data)
        return docx.Document(io.BytesIO(data))
    except TeachpackError:
        raise
    except Exception as exc:  # zip, XML and python-docx's own errors all mean the same thing here
        raise TeachpackError(f"{path}: is damaged ({type(exc).__name__}); {fix}") from None


_SENTENCE_CLOSE = re.compile(r"[.!?:;\"'\u201d\u2019)]$")


def _join_broken_lines(text: str) -> list[str]:
    """Manual line breaks inside a Word paragraph: joined when the line stops mid-sentence."""
    pieces: list[str] = []
    for line in (squash(line) for line in text.split("\n")):
        if not line:
            continue
        if pieces and not _SENTENCE_CLOSE.search(pieces[-1]):
            pieces[-1] += " " + line
        else:
            pieces.append(line)
    return pieces


def _append_paragraph(blocks: list[RawBlock], text: str, where: str, lead: str | None) -> None:
    """Add a paragraph, or join it to the one before when a hard return cut a sentence in two."""
    last = blocks[-1] if blocks else None
    if (last is not None and last.kind == "text" and not _SENTENCE_CLOSE.search(last.text)
            and text[:1].islower()):
        last.text = f"{last.text} {text}"
    else:
        blocks.append(RawBlock("text", text, where, lead=lead))


def _append_list_item(blocks: list[RawBlock], text: str, where: str) -> None:
    if blocks and blocks[-1].kind == "list":
        blocks[-1].items = (*blocks[-1].items, text)
    else:
        blocks.append(RawBlock("list", where=where, items=(text,)))


READERS: dict[str, Callable[[Path, str], Source]] = {"txt": _read_txt, "md": _read_md, "html": _read_html}
