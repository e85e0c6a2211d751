"""The DOCX half of `check --a11y`: the rules of Word's Accessibility Checker, read from the file's XML.

One table, `RULES`: each rule has the name Word's checker gives it, a function that reads the package
and a fix a curriculum editor can follow in Word. What Word checks and this does not (reading order of
floating objects, colour as the only way to tell things apart, captions of audio and video) is listed
in docs/accessibility.md.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from docx.oxml.ns import qn

from builder.core.colours import AA_LARGE, AA_TEXT, contrast

_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_V = "urn:schemas-microsoft-com:vml"
DECORATIVE = "{C183D7F6-B498-43B3-948B-1728B52AA6E4}"  # the a:ext Word writes for "Mark as decorative"
_ADEC = "http://schemas.microsoft.com/office/drawing/2017/decorative"
WHITE, BLACK = "FFFFFF", "000000"


@dataclass
class Finding:
    """What one rule found: a fact when it passes, else the places that break it ("what", "where")."""

    fact: str
    issues: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Rule:
    name: str  # as Word's Accessibility Checker names it
    check: Callable[[Package], Finding]
    fix: str  # what to do in Word


def check_docx(data: bytes, language: str, min_type: float | None = None) -> list[tuple[bool, str]]:
    """(passed, line) for every rule of RULES on the DOCX `data`: the fact when it passes, else one line per
    kind of problem with where it is and the fix. With `min_type` (the level's smallest type, pt), no
    text may be smaller."""
    package = Package(data, language, min_type)
    lines = []
    for rule in RULES:
        found = rule.check(package)
        if not found.issues:
            lines.append((True, found.fact))
            continue
        grouped: dict[str, list[str]] = {}
        for what, where in found.issues:
            grouped.setdefault(what, []).append(where)
        for what, places in grouped.items():
            places = list(dict.fromkeys(places))
            shown = ", ".join(places[:3]) + (f" and {len(places) - 3} more" if len(places) > 3 else "")
            lines.append((False, f"{rule.name}: {what} ({shown}); {rule.fix}" if shown else
                          f"{rule.name}: {what}; {rule.fix}"))
    return lines


# -- the package, as Word resolves it ------------------------------------------------------------


class Package:
    """The DOCX's document, headers, footers and notes, with the style and theme lookups the rules need."""

    def __init__(self, data: bytes, language: str, min_type: float | None = None) -> None:
        import docx
        from lxml import etree

        self.language = language
        self.min_type = min_type
        self.document = docx.Document(io.BytesIO(data))
        self.body = self.document.element.body
        self.stories: list[tuple[str, Any]] = [("body", self.document.element)]
        theme = None
        for part in self.document.part.package.iter_parts():
            name = str(part.partname)
            root = getattr(part, "_element", None)
            for prefix, label in (("/word/header", "the header"), ("/word/footer", "the footer"),
                                  ("/word/footnotes", "the footnotes"), ("/word/endnotes", "the endnotes")):
                if name.startswith(prefix) and root is not None:
                    self.stories.append((label, root))
            if name.startswith("/word/theme/") and theme is None:
                theme = etree.fromstring(part.blob, etree.XMLParser(resolve_entities=False, no_network=True))
        self.styles = Styles(self.document.styles.element, _theme_colours(theme))
        self._headings: dict[int, str] = {}  # id of a body child -> the heading above it
        self._children = list(self.body)  # kept alive: lxml gives a node the same proxy (and id) while one lives
        last = ""
        for child in self._children:
            if child.tag == qn("w:p") and self.styles.heading_level(child) and _text(child).strip():
                last = " ".join(_text(child).split())
            self._headings[id(child)] = last

    def where(self, node: Any) -> str:
        """Where `node` is, as an editor finds it: in the header, or under the heading before it."""
        top = node
        for up in node.iterancestors():
            if up.tag == qn("w:body"):
                heading = self._headings.get(id(top), "")
                return f"under '{_short(heading)}'" if heading else "before the first heading"
            top = up
        root = top
        return next((label for label, story in self.stories if story is root), "the document")

    def elements(self, tag: str) -> Iterator[Any]:
        """Every `tag` element of every story, in order."""
        for _, root in self.stories:
            yield from root.iter(tag if tag.startswith("{") else qn(tag))


class Styles:
    """styles.xml as Word reads it: a style's chain through basedOn, the defaults, the theme's colours."""

    def __init__(self, root: Any, theme: dict[str, str]) -> None:
        self.theme = theme
        self.by_id = {s.get(qn("w:styleId")): s for s in root.findall(qn("w:style"))}
        self.default = {s.get(qn("w:type")): s.get(qn("w:styleId")) for s in root.findall(qn("w:style"))
                        if s.get(qn("w:default")) in ("1", "true", "on")}
        self.run_defaults = root.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")

    def chain(self, style_id: str | None) -> list[Any]:
        """The style and the ones it is based on, nearest first."""
        out: list[Any] = []
        while style_id and style_id in self.by_id and len(out) < 50:
            style = self.by_id[style_id]
            if style in out:
                break
            out.append(style)
            based = style.find(qn("w:basedOn"))
            style_id = based.get(qn("w:val")) if based is not None else None
        return out

    def name(self, style_id: str | None) -> str:
        style = self.by_id.get(style_id)
        name = style.find(qn("w:name")) if style is not None else None
        return str(name.get(qn("w:val"))) if name is not None else str(style_id or "")

    def paragraph_chain(self, paragraph: Any) -> list[Any]:
        ref = paragraph.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        return self.chain(ref.get(qn("w:val")) if ref is not None else self.default.get("paragraph"))

    def heading_level(self, paragraph: Any) -> int:
        """1 for Title and Heading 1, n for Heading n, from the outline level otherwise; 0 for body text."""
        direct = paragraph.find(f"{qn('w:pPr')}/{qn('w:outlineLvl')}")
        for style in self.paragraph_chain(paragraph):
            name = (style.find(qn("w:name")).get(qn("w:val")) if style.find(qn("w:name")) is not None else "").lower()
            if name == "title":
                return 1
            if match := re.fullmatch(r"heading ([1-9])", name):
                return int(match[1])
            if direct is None:
                direct = style.find(f"{qn('w:pPr')}/{qn('w:outlineLvl')}")
        level = int(direct.get(qn("w:val"), "9")) if direct is not None else 9
        return level + 1 if level < 9 else 0

    def paragraph_value(self, paragraph: Any, tag: str) -> Any:
        """The nearest `tag` of the paragraph's properties: its own, then its style's chain."""
        found = paragraph.find(f"{qn('w:pPr')}/{qn(tag)}")
        if found is not None:
            return found
        for style in self.paragraph_chain(paragraph):
            found = style.find(f"{qn('w:pPr')}/{qn(tag)}")
            if found is not None:
                return found
        return None

    def run_value(self, run: Any, tag: str, table: Table | None) -> Any:
        """The nearest `tag` of a run's properties, in Word's order: the run's own, its character style's
        chain, its paragraph style's chain, its table style (the header row's part first), the defaults."""
        rpr = run.find(qn("w:rPr"))
        sources = [rpr] if rpr is not None else []
        ref = rpr.find(qn("w:rStyle")) if rpr is not None else None
        if ref is not None:
            sources += [s.find(qn("w:rPr")) for s in self.chain(ref.get(qn("w:val")))]
        paragraph = next(run.iterancestors(qn("w:p")), None)
        if paragraph is not None:
            sources += [s.find(qn("w:rPr")) for s in self.paragraph_chain(paragraph)]
        if table is not None:
            sources += table.style_parts(run, "w:rPr")
        sources.append(self.run_defaults)
        for source in sources:
            found = source.find(qn(tag)) if source is not None else None
            if found is not None:
                return found
        return None

    def colour(self, node: Any, attribute: str = "w:val", theme_attribute: str = "w:themeColor") -> str | None:
        """A colour element's colour as RRGGBB (a theme colour through the theme, tint and shade applied),
        "auto", or None when it names none."""
        theme = node.get(qn(theme_attribute))
        value = (node.get(qn(attribute)) or "").upper()
        if theme and theme in _THEME_SLOTS and _THEME_SLOTS[theme] in self.theme:
            rgb = [int(self.theme[_THEME_SLOTS[theme]][i:i + 2], 16) for i in (0, 2, 4)]
            prefix = "w:themeFill" if theme_attribute == "w:themeFill" else "w:theme"
            tint, shade = node.get(qn(f"{prefix}Tint")), node.get(qn(f"{prefix}Shade"))
            if tint:
                rgb = [round(c * int(tint, 16) / 255 + 255 * (1 - int(tint, 16) / 255)) for c in rgb]
            if shade:
                rgb = [round(c * int(shade, 16) / 255) for c in rgb]
            return "".join(f"{c:02X}" for c in rgb)
        if value == "AUTO":
            return "auto"
        return value if re.fullmatch(r"[0-9A-F]{6}", value) else None

    def fill(self, shading: Any) -> str | None:
        """The background a w:shd paints, RRGGBB, or None for none (nil, or an automatic fill)."""
        if shading is None or shading.get(qn("w:val")) == "nil":
            return None
        if shading.get(qn("w:val")) == "solid":
            colour = self.colour(shading, "w:color")
        else:
            colour = self.colour(shading, "w:fill", "w:themeFill")
        return None if colour in (None, "auto") else colour


class Table:
    """A w:tbl: data or layout as Word's checker tells them, and what its style gives a cell."""

    def __init__(self, element: Any, styles: Styles) -> None:
        self.element = element
        self.styles = styles
        ref = element.find(f"{qn('w:tblPr')}/{qn('w:tblStyle')}")
        self.style_id = ref.get(qn("w:val")) if ref is not None else styles.default.get("table")
        names = {styles.name(self.style_id).casefold(), str(self.style_id).casefold()}
        # Word: a table needs a header row unless it is in Table Normal (python-docx: "Normal Table").
        self.data = self.style_id is not None and self.style_id != styles.default.get("table") and \
            not names & {"table normal", "normal table", "tablenormal"}
        self.rows = [tr for tr in element.iterchildren(qn("w:tr"))]
        look = element.find(f"{qn('w:tblPr')}/{qn('w:tblLook')}")
        self.first_row_styled = True  # Word's default when the table says nothing
        if look is not None and look.get(qn("w:firstRow")) is not None:
            self.first_row_styled = look.get(qn("w:firstRow")) in ("1", "true", "on")
        elif look is not None and look.get(qn("w:val")):
            self.first_row_styled = bool(int(str(look.get(qn("w:val"))), 16) & 0x20)

    def header_row(self) -> bool:
        if not self.rows:
            return False
        mark = self.rows[0].find(f"{qn('w:trPr')}/{qn('w:tblHeader')}")
        return mark is not None and mark.get(qn("w:val"), "true") not in ("0", "false", "off")

    def property(self, tag: str) -> Any:
        return self.element.find(f"{qn('w:tblPr')}/{qn(tag)}")

    def style_parts(self, node: Any, tag: str) -> list[Any]:
        """The table style's `tag` (w:rPr, w:tcPr) for the cell holding `node`: the header row's
        conditional formatting first (when the row is the first and tblLook lets it apply)."""
        row = next(node.iterancestors(qn("w:tr")), None)
        out = []
        for style in self.styles.chain(self.style_id):
            if row is not None and self.rows and row is self.rows[0] and self.first_row_styled:
                out += [p.find(qn(tag)) for p in style.findall(qn("w:tblStylePr")) if p.get(qn("w:type")) == "firstRow"]
            out.append(style.find(qn(tag)))
        return [part for part in out if part is not None]

    def grid(self) -> list[list[Any]]:
        """Each row's cells, a cell repeated for each grid column it spans."""
        out = []
        for row in self.rows:
            cells: list[Any] = []
            before = row.find(f"{qn('w:trPr')}/{qn('w:gridBefore')}")
            cells += [None] * int(before.get(qn("w:val"), "0")) if before is not None else []
            for cell in row.iterchildren(qn("w:tc")):
                span = cell.find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}")
                cells += [cell] * (int(span.get(qn("w:val"), "1")) if span is not None else 1)
            out.append(cells)
        return out


# -- the rules ---------------------------------------------------------------------------------


def _title(package: Package) -> Finding:
    title = package.document.core_properties.title
    return Finding("title", [] if (title or "").strip() else [("the document has no title", "")])


def _language(package: Package) -> Finding:
    defaults = package.styles.run_defaults
    lang = defaults.find(qn("w:lang")) if defaults is not None else None
    value = lang.get(qn("w:val"), "") if lang is not None else ""
    core = package.document.core_properties.language or ""
    wanted = package.language
    if value == wanted and core == wanted:
        return Finding(f"language {value}")
    return Finding("", [(f"the language is '{value or core}' (core properties: '{core}'), not '{wanted}'", "")])


_PICTURE_FILE = re.compile(r"\.(png|jpe?g|gif|bmp|tiff?|svg|emf|wmf|webp|heic)\b", re.IGNORECASE)
_VAGUE_ALT = re.compile(r"^(an? )?(image|picture|photo|photograph|graphic) of\b", re.IGNORECASE)


def _alt_text(package: Package) -> Finding:
    found: list[tuple[str, str]] = []
    count = 0
    for props in package.elements(f"{{{_WP}}}docPr"):
        count += 1
        if _decorative(props):
            continue
        alt = " ".join(f"{props.get('title') or ''} {props.get('descr') or ''}".split())
        where = package.where(props)
        if not alt:
            found.append(("a picture has no alt text", where))
        elif _PICTURE_FILE.search(alt):
            found.append((f"the alt text '{_short(alt)}' is a file name", where))
        elif _VAGUE_ALT.match(alt):
            found.append((f"the alt text '{_short(alt)}' starts by saying it is a picture", where))
    for shape in package.elements(f"{{{_V}}}shape"):
        if shape.find(f"{{{_V}}}imagedata") is not None:
            count += 1
            if not (shape.get("alt") or "").strip():
                found.append(("a picture has no alt text", package.where(shape)))
    return Finding(f"{count} pictures with alt text", found)


def _decorative(props: Any) -> bool:
    for ext in props.iter(f"{{{_A}}}ext"):
        if ext.get("uri") == DECORATIVE:
            mark = ext.find(f"{{{_ADEC}}}decorative")
            return mark is not None and mark.get("val") in ("1", "true")
    return False


def _inline(package: Package) -> Finding:
    anchored = [("a picture or shape floats (anchored, text wraps round it)", package.where(a))
                for a in package.elements(f"{{{_WP}}}anchor")]
    return Finding("every picture in line with text", anchored)


def _tables(package: Package) -> list[Table]:
    return [Table(t, package.styles) for _, root in package.stories for t in root.iter(qn("w:tbl"))]


def _table_headers(package: Package) -> Finding:
    tables = _tables(package)
    data = [t for t in tables if t.data]
    found = [("a data table has no header row", package.where(t.element)) for t in data if not t.header_row()]
    found += [("a layout table marks a header row", package.where(t.element))
              for t in tables if not t.data and t.header_row()]
    return Finding(f"{len(data)} data tables with header rows and {len(tables) - len(data)} layout tables without",
                   found)


def _table_alt_text(package: Package) -> Finding:
    data = [t for t in _tables(package) if t.data]
    found = []
    for table in data:
        caption = table.property("w:tblCaption")
        if caption is None or not (caption.get(qn("w:val")) or "").strip():
            found.append(("a data table has no title (alt text)", package.where(table.element)))
    return Finding(f"{len(data)} data tables with a title", found)


def _merged_cells(package: Package) -> Finding:
    found = []
    for table in (t for t in _tables(package) if t.data):
        columns = len(table.element.findall(f"{qn('w:tblGrid')}/{qn('w:gridCol')}"))
        merged = any(cell.find(f"{qn('w:tcPr')}/{qn(tag)}") is not None for cell in table.element.iter(qn("w:tc"))
                     for tag in ("w:vMerge", "w:hMerge")) or \
            any(cells.count(cell) > 1 for cells in table.grid() for cell in cells if cell is not None)
        split = any(len(cells) != columns or None in cells for cells in table.grid())
        if merged or split:
            found.append(("a data table has merged or split cells", package.where(table.element)))
    return Finding("no merged or split cells", found)


def _blank_rows(package: Package) -> Finding:
    found = []
    for table in _tables(package):
        grid = table.grid()
        if not grid:
            continue
        if any(all(cell is None or _empty(cell) for cell in cells) for cells in grid):
            found.append(("a table has a blank row", package.where(table.element)))
        width = max(len(cells) for cells in grid)
        for column in range(width):
            cells = [row[column] for row in grid if column < len(row)]
            if len(grid) > 1 and all(cell is None or _empty(cell) for cell in cells):
                found.append(("a table has a blank column", package.where(table.element)))
                break
    return Finding("no blank table rows or columns", found)


def _headings(package: Package) -> Finding:
    levels: list[int] = []
    found: list[tuple[str, str]] = []
    for paragraph in package.body.iter(qn("w:p")):
        level = package.styles.heading_level(paragraph)
        if not level:
            continue
        if not _text(paragraph).strip():
            found.append(("a heading is empty", package.where(paragraph)))
            continue
        if levels and level > levels[-1] + 1 or not levels and level > 1:
            found.append((f"a heading skips a level (H{levels[-1] if levels else 0} -> H{level})",
                          f"'{_short(' '.join(_text(paragraph).split()))}'"))
        levels.append(level)
    if not levels:
        found.append(("the document has no headings", ""))
    return Finding(f"{len(levels)} headings in order", found)


_BLANKS = re.compile(r"[ \u00a0]{3,}|\t{2,}|\n{2,}")


def _blank_characters(package: Package) -> Finding:
    found = []
    for _, root in package.stories:
        for container in [root, *root.iter(qn("w:body"), qn("w:tc"), qn("w:txbxContent"))]:
            run = 0
            for child in container:
                if child.tag != qn("w:p"):
                    run = 0
                    continue
                run = run + 1 if _blank(child, package.styles) else 0
                if run == 2:
                    found.append(("empty paragraphs in a row make space", package.where(child)))
        for paragraph in root.iter(qn("w:p")):
            if match := _BLANKS.search(_text(paragraph, breaks=True)):
                kind = {" ": "spaces", "\u00a0": "spaces", "\t": "tabs", "\n": "line breaks"}[match[0][0]]
                found.append((f"repeated {kind} make space", package.where(paragraph)))
    return Finding("no repeated blank characters", found)


_VAGUE_LINK = {"click here", "click", "here", "link", "this link", "more", "read more", "learn more", "this",
               "go", "website", "page", "this page"}
_URL = re.compile(r"^(https?://|www\.)\S+$", re.IGNORECASE)
LONGEST_URL = 30  # characters: a link that shows a longer address reads as noise


def _link_text(package: Package) -> Finding:
    links = list(package.elements("w:hyperlink"))
    found = []
    for link in links:
        text = " ".join(_text(link).split())
        plain = re.sub(r"[^\w ]", "", text).strip().casefold()
        where = package.where(link)
        if not text:
            found.append(("a link has no text", where))
        elif plain in _VAGUE_LINK:
            found.append((f"the link text '{text}' does not say where it goes", where))
        elif _URL.match(text) and len(text) > LONGEST_URL:
            found.append((f"the link text is a long address ('{_short(text, 40)}')", where))
    return Finding(f"{len(links)} links with meaningful text", found)


def _text_runs(package: Package) -> Iterator[tuple[Any, str, Table | None]]:
    """Every run with visible text, its text and the table it sits in (for the table style's formatting)."""
    tables = {id(t): Table(t, package.styles) for _, root in package.stories for t in root.iter(qn("w:tbl"))}
    for run in package.elements("w:r"):
        text = "".join(t.text or "" for t in run.iter(qn("w:t")))
        if not text.strip() or _on(package.styles.run_value(run, "w:vanish", None)):
            continue
        element = next(run.iterancestors(qn("w:tbl")), None)
        yield run, text, tables.get(id(element)) if element is not None else None


def _text_contrast(package: Package) -> Finding:
    found = []
    for run, text, table in _text_runs(package):
        background = _background(run, package.styles, table)
        colour = package.styles.run_value(run, "w:color", table)
        fore = package.styles.colour(colour) if colour is not None else "auto"
        if fore in (None, "auto"):  # Word shows automatic text black, or white on a dark background
            fore = BLACK if contrast(BLACK, background) >= contrast(WHITE, background) else WHITE
        size = package.styles.run_value(run, "w:sz", table)
        points = int(size.get(qn("w:val"), "20")) / 2 if size is not None else 10
        large = points >= 18 or (points >= 14 and _on(package.styles.run_value(run, "w:b", table)))
        ratio = contrast(fore, background)
        needed = AA_LARGE if large else AA_TEXT
        if ratio < needed:
            found.append((f"#{fore} text on #{background} is {ratio:.1f}:1, below {needed}:1",
                          f"'{_short(text.strip(), 30)}' {package.where(run)}"))
    return Finding("text contrast (WCAG AA)", found)


def _type_size(package: Package) -> Finding:
    """Not one of Word's rules but the level's: no text below its smallest type (18 pt in large print)."""
    if package.min_type is None:
        return Finding("type sizes (no level given)")
    found, smallest = [], None
    for run, text, table in _text_runs(package):
        size = package.styles.run_value(run, "w:sz", table)
        points = int(size.get(qn("w:val"), "20")) / 2 if size is not None else 10
        smallest = points if smallest is None else min(smallest, points)
        if points < package.min_type - 0.05:
            found.append((f"text at {points:g} pt, below the level's smallest type {package.min_type:g} pt",
                          f"'{_short(text.strip(), 30)}' {package.where(run)}"))
    return Finding(f"smallest type {smallest:g} pt" if smallest is not None else "no text", found)


def _background(run: Any, styles: Styles, table: Table | None) -> str:
    """What is painted behind a run: its highlight or shading, its paragraph's, its cell's, else white."""
    highlight = styles.run_value(run, "w:highlight", None)
    if highlight is not None and highlight.get(qn("w:val")) in _HIGHLIGHTS:
        return _HIGHLIGHTS[str(highlight.get(qn("w:val")))]
    fill = styles.fill(styles.run_value(run, "w:shd", None))
    paragraph = next(run.iterancestors(qn("w:p")), None)
    if fill is None and paragraph is not None:
        fill = styles.fill(styles.paragraph_value(paragraph, "w:shd"))
    cell = next(run.iterancestors(qn("w:tc")), None)
    if fill is None and cell is not None:
        fill = styles.fill(cell.find(f"{qn('w:tcPr')}/{qn('w:shd')}"))
        for part in table.style_parts(run, "w:tcPr") if table is not None and fill is None else []:
            fill = fill or styles.fill(part.find(qn("w:shd")))
        if fill is None and table is not None:
            fill = styles.fill(table.property("w:shd"))
    return fill or WHITE


RULES: tuple[Rule, ...] = (
    Rule("Document title", _title, "give it a title in File > Info > Properties > Title"),
    Rule("Document language", _language, "set the language in Review > Language > Set Proofing Language and in "
         "File > Info > Properties"),
    Rule("Missing alternative text", _alt_text, "right-click the picture > View Alt Text and say what it shows "
         "(or tick Mark as decorative for an ornament)"),
    Rule("Object not inline", _inline, "select it, then Layout Options > In Line with Text"),
    Rule("Missing table header", _table_headers, "select the first row, Table Layout > Repeat Header Rows; a table "
         "used only to lay things out takes the Table Normal style and no header row"),
    Rule("Missing table alt text", _table_alt_text, "Table Properties > Alt Text > Title: say what the table lists"),
    Rule("Merged or split cells", _merged_cells, "Table Layout > Split Cells (or Merge) until every row has one cell "
         "per column"),
    Rule("Blank table rows or columns", _blank_rows, "delete the empty row or column; use cell margins for space"),
    Rule("Heading order", _headings, "use Heading 1 for each part, then Heading 2, 3 in order, each with words"),
    Rule("Repeated blank characters", _blank_characters, "delete the extras and set the space with Paragraph > "
         "Spacing Before/After, indents or a tab stop"),
    Rule("Unclear hyperlink text", _link_text, "select the link, Edit Hyperlink, and type words that say where it "
         "goes"),
    Rule("Text too small", _type_size, "raise the style's font size (Home > Styles > Modify), or build with "
         "the level's profile"),
    Rule("Hard-to-read text contrast", _text_contrast, "pick a darker font colour or a lighter shading (Home > "
         "Font Color; or change the colour in the style)"),
)


# -- small helpers -------------------------------------------------------------------------------

_THEME_SLOTS = {"dark1": "dk1", "light1": "lt1", "dark2": "dk2", "light2": "lt2", "text1": "dk1", "background1": "lt1",
                "text2": "dk2", "background2": "lt2", "hyperlink": "hlink", "followedHyperlink": "folHlink",
                **{f"accent{n}": f"accent{n}" for n in range(1, 7)}}
_HIGHLIGHTS = {"yellow": "FFFF00", "green": "00FF00", "cyan": "00FFFF", "magenta": "FF00FF", "blue": "0000FF",
               "red": "FF0000", "darkBlue": "000080", "darkCyan": "008080", "darkGreen": "008000",
               "darkMagenta": "800080", "darkRed": "800000", "darkYellow": "808000", "darkGray": "808080",
               "lightGray": "C0C0C0", "black": "000000", "white": "FFFFFF"}
_CONTENT = (qn("w:drawing"), qn("w:pict"), qn("w:object"), qn("w:fldChar"), qn("w:fldSimple"), qn("w:sym"),
            qn("w:sectPr"))


def _theme_colours(theme: Any) -> dict[str, str]:
    """The theme's colour scheme: slot (dk1, accent1, ...) -> RRGGBB."""
    scheme = theme.find(f".//{{{_A}}}clrScheme") if theme is not None else None
    out = {}
    for slot in scheme if scheme is not None else []:
        colour = slot.find(f"{{{_A}}}srgbClr")
        system = slot.find(f"{{{_A}}}sysClr")
        value = colour.get("val") if colour is not None else system.get("lastClr") if system is not None else None
        if value and isinstance(slot.tag, str):
            out[slot.tag.rpartition("}")[2]] = value.upper()
    return out


def _text(node: Any, breaks: bool = False) -> str:
    """The visible text under `node` (tabs and, with `breaks`, line breaks as \\t and \\n)."""
    out = []
    for item in node.iter(qn("w:t"), qn("w:tab"), qn("w:br")):
        if item.tag == qn("w:t"):
            out.append(item.text or "")
        elif item.tag == qn("w:tab") and item.getparent().tag == qn("w:r"):
            out.append("\t")
        elif item.tag == qn("w:br") and breaks and item.get(qn("w:type"), "textWrapping") == "textWrapping":
            out.append("\n")
    return "".join(out)


def _empty(cell: Any) -> bool:
    return not _text(cell).strip() and not any(True for tag in _CONTENT for _ in cell.iter(tag))


def _blank(paragraph: Any, styles: Styles) -> bool:
    """An empty paragraph that only makes space: no text, picture or field, and no border drawing a line
    (an answer line is a drawn line, not a blank)."""
    if _text(paragraph).strip() or any(True for tag in (*_CONTENT, qn("w:br")) for _ in paragraph.iter(tag)):
        return False
    return styles.paragraph_value(paragraph, "w:pBdr") is None


def _on(toggle: Any) -> bool:
    return toggle is not None and toggle.get(qn("w:val"), "true") not in ("0", "false", "off")


def _short(text: str, most: int = 40) -> str:
    return text if len(text) <= most else text[: most - 1] + "\u2026"
