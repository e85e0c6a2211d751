"""Every raw WordprocessingML tweak python-docx has no API for lives here, and only here.

Fields (PAGE, NUMPAGES), list numbering that restarts per list, paragraph borders, table header
rows, cell shading, document language, and styles a reference .docx may lack.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt
from docx.table import Table
from docx.text.paragraph import Paragraph

NUM_FORMATS = {"decimal": "%1.", "upperLetter": "%1.", "bullet": "\u2022"}


def add_field(paragraph: Paragraph, instruction: str, placeholder: str = "1") -> None:
    """Append a field (e.g. PAGE, NUMPAGES) that Word and LibreOffice update when they lay out."""

    def fld_char(kind: str) -> None:
        run = paragraph.add_run()
        char = OxmlElement("w:fldChar")
        char.set(qn("w:fldCharType"), kind)
        run._r.append(char)

    fld_char("begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    paragraph.add_run()._r.append(instr)
    fld_char("separate")
    paragraph.add_run(placeholder)
    fld_char("end")


class Numbering:
    """Creates list definitions and a fresh `w:num` per list, so each list restarts at 1 (or A)."""

    def __init__(self, document: DocxDocument) -> None:
        self._root = document.part.numbering_part.element
        self._abstract: dict[str, int] = {}

    def _abstract_id(self, fmt: str) -> int:
        if fmt not in self._abstract:
            ids = [int(a.get(qn("w:abstractNumId"))) for a in self._root.findall(qn("w:abstractNum"))]
            new_id = max(ids, default=-1) + 1
            text = NUM_FORMATS[fmt]
            abstract = parse_xml(
                f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{new_id}">'
                f'<w:multiLevelType w:val="singleLevel"/>'
                f'<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
                f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
                f'<w:pPr><w:ind w:left="425" w:hanging="425"/></w:pPr></w:lvl></w:abstractNum>'
            )
            first_num = self._root.find(qn("w:num"))
            if first_num is not None:
                first_num.addprevious(abstract)
            else:
                self._root.append(abstract)
            self._abstract[fmt] = new_id
        return self._abstract[fmt]

    def new_list(self, fmt: str, start: int = 1) -> int:
        """A new numbering instance of format `fmt` starting at `start`; returns its numId."""
        abstract = self._abstract_id(fmt)
        ids = [int(n.get(qn("w:numId"))) for n in self._root.findall(qn("w:num"))]
        num_id = max(ids, default=0) + 1
        self._root.append(
            parse_xml(
                f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{abstract}"/>'
                f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="{start}"/></w:lvlOverride></w:num>'
            )
        )
        return num_id


def set_numbering(paragraph: Paragraph, num_id: int) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    numpr = parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr>')
    existing = ppr.find(qn("w:numPr"))
    if existing is not None:
        ppr.remove(existing)
    # numPr must follow pStyle and keepNext/keepLines/pageBreakBefore in CT_PPr's sequence.
    anchor = None
    for tag in ("w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl"):
        found = ppr.find(qn(tag))
        if found is not None:
            anchor = found
    if anchor is not None:
        anchor.addnext(numpr)
    else:
        ppr.insert(0, numpr)


def bottom_border(paragraph: Paragraph, color: str = "888888", size: int = 4) -> None:
    """A rule under the paragraph: the writing line of an answer space.

    Word and LibreOffice merge the borders of neighbouring paragraphs that share them, so a run of
    lines also needs the `between` border or only the last line would be ruled.
    """
    ppr = paragraph._p.get_or_add_pPr()
    rule = f'w:val="single" w:sz="{size}" w:space="1" w:color="{color}"'
    borders = parse_xml(f"<w:pBdr {nsdecls('w')}><w:bottom {rule}/><w:between {rule}/></w:pBdr>")
    _add_borders(ppr, borders)


def only_tab_stops(paragraph: Paragraph) -> None:
    """Clear the tab stops a paragraph inherits from its style (Header has centre and right ones)."""
    style = paragraph.style
    positions = []
    while style is not None:
        positions += [stop.position for stop in style.paragraph_format.tab_stops]
        style = style.base_style
    for position in positions:
        paragraph.paragraph_format.tab_stops.add_tab_stop(position, WD_TAB_ALIGNMENT.CLEAR)


def repeat_header(table: Table) -> None:
    """Mark the first row as a header row, repeated on every page the table spans."""
    trpr = table.rows[0]._tr.get_or_add_trPr()
    trpr.append(parse_xml(f"<w:tblHeader {nsdecls('w')}/>"))
    for row in table.rows:
        row._tr.get_or_add_trPr().append(parse_xml(f"<w:cantSplit {nsdecls('w')}/>"))


def box_paragraph(paragraph: Paragraph, color: str = "2F5F7F") -> None:
    """A border round a paragraph (the cloze word bank)."""
    ppr = paragraph._p.get_or_add_pPr()
    edges = "".join(
        f'<w:{edge} w:val="single" w:sz="8" w:space="4" w:color="{color}"/>'
        for edge in ("top", "left", "bottom", "right")
    )
    _add_borders(ppr, parse_xml(f"<w:pBdr {nsdecls('w')}>{edges}</w:pBdr>"))


def _add_borders(ppr: Any, borders: Any) -> None:
    """Put w:pBdr where CT_PPr's sequence wants it: before shd, tabs, spacing, ind and jc."""
    for tag in ("w:shd", "w:tabs", "w:spacing", "w:ind", "w:jc"):
        found = ppr.find(qn(tag))
        if found is not None:
            found.addprevious(borders)
            return
    ppr.append(borders)


def keep_row(row: object) -> None:
    """A table row that never splits across pages."""
    row._tr.get_or_add_trPr().append(parse_xml(f"<w:cantSplit {nsdecls('w')}/>"))  # type: ignore[attr-defined]


def shade(cell: object, fill: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()  # type: ignore[attr-defined]
    tcpr.append(parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="{fill}"/>'))


def set_font(style: object, family: str) -> None:
    """Use `family` for every script of a style, theme fonts included (python-docx sets only ASCII)."""
    rpr = style.element.get_or_add_rPr()  # type: ignore[attr-defined]
    for old in rpr.findall(qn("w:rFonts")):
        rpr.remove(old)
    fonts = parse_xml(
        f'<w:rFonts {nsdecls("w")} w:ascii="{family}" w:hAnsi="{family}" w:cs="{family}" w:eastAsia="{family}"/>'
    )
    rpr.insert(0, fonts)


def set_language(document: DocxDocument, language: str) -> None:
    """Document language (spell-checking, hyphenation) in the defaults of styles.xml."""
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = parse_xml(f"<w:docDefaults {nsdecls('w')}/>")
        styles.insert(0, defaults)
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = parse_xml(f"<w:rPrDefault {nsdecls('w')}><w:rPr/></w:rPrDefault>")
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(qn("w:rPr"))
    if rpr is None:
        rpr = parse_xml(f"<w:rPr {nsdecls('w')}/>")
        rpr_default.append(rpr)
    for old in rpr.findall(qn("w:lang")):
        rpr.remove(old)
    rpr.append(parse_xml(f'<w:lang {nsdecls("w")} w:val="{language}" w:eastAsia="{language}" w:bidi="{language}"/>'))


_PARAGRAPH_STYLES = {
    # name: (based on, size in pt or None, bold)
    "Title": ("Normal", 28, True),
    "Subtitle": ("Normal", 14, False),
    "Heading 1": ("Normal", 18, True),
    "Heading 2": ("Normal", 14, True),
    "Heading 3": ("Normal", 12, True),
    "List Number": ("Normal", None, False),
    "List Bullet": ("Normal", None, False),
    "Quote": ("Normal", None, False),
    "Caption": ("Normal", 9, False),
    "Header": ("Normal", 8.5, False),
    "Footer": ("Normal", 8.5, False),
    "Answer Line": ("Normal", None, False),
}


_LIBREOFFICE_CORE = "http://schemas.openxmlformats.org/officedocument/2006/relationships/metadata/core-properties"
_PACKAGE_CORE = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"


def normalize_package(data: bytes) -> bytes:
    """Fix what a reference file saved by LibreOffice trips python-docx up with.

    LibreOffice links docProps/core.xml with a relationship type python-docx does not know, so
    python-docx adds a second core.xml and the saved zip holds two. Relink it the standard way.
    """
    source = zipfile.ZipFile(io.BytesIO(data))
    rels = source.read("_rels/.rels").decode("utf-8")
    if _LIBREOFFICE_CORE not in rels:
        return data
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "_rels/.rels":
                content = rels.replace(_LIBREOFFICE_CORE, _PACKAGE_CORE).encode("utf-8")
            target.writestr(item, content)
    return out.getvalue()


class StyleBook:
    """Styles by name, found however the reference file spells them.

    python-docx looks "Heading 1" up as Word's internal "heading 1"; LibreOffice saves the
    display name, which that lookup misses. This falls back to matching the names themselves.
    """

    def __init__(self, document: DocxDocument) -> None:
        self._styles = document.styles
        self._by_name = {s.name: s for s in document.styles if s.name}

    def __getitem__(self, name: str) -> Any:
        if name in self._by_name:
            return self._by_name[name]
        return self._styles[name]  # python-docx's own lookup (it knows Word's built-in aliases)

    def __contains__(self, name: str) -> bool:
        try:
            self[name]
        except KeyError:
            return False
        return True


def ensure_styles(document: DocxDocument) -> list[str]:
    """Create the styles the renderer uses that the reference .docx lacks; return their names.

    Word and LibreOffice save only the styles a document uses, so a staff-made reference file
    often has no "List Number" or "Table Grid". A made-up style beats a crash.
    """
    styles = document.styles
    book = StyleBook(document)
    names = {name for name in [*_PARAGRAPH_STYLES, "Table Grid", "Normal"] if name in book}
    created = []
    for name, (base, size, bold) in _PARAGRAPH_STYLES.items():
        if name in names:
            continue
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = book[base]
        if size:
            style.font.size = Pt(size)
        style.font.bold = bold
        if name.startswith(("Heading", "Title")):
            style.paragraph_format.keep_with_next = True
            level = {"Title": None, "Heading 1": 0, "Heading 2": 1, "Heading 3": 2}[name]
            if level is not None:  # outline level: navigation pane and PDF bookmarks
                style.element.get_or_add_pPr().append(parse_xml(f'<w:outlineLvl {nsdecls("w")} w:val="{level}"/>'))
        if name == "Quote":
            style.font.italic = True
        created.append(name)
    if "Table Grid" not in names:
        style = styles.add_style("Table Grid", WD_STYLE_TYPE.TABLE)
        edges = "".join(
            f'<w:{edge} w:val="single" w:sz="4" w:space="0" w:color="auto"/>'
            for edge in ("top", "left", "bottom", "right", "insideH", "insideV")
        )
        style.element.append(
            parse_xml(
                f"<w:tblPr {nsdecls('w')}><w:tblBorders>{edges}</w:tblBorders>"
                '<w:tblCellMar><w:left w:w="108" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar>'
                "</w:tblPr>"
            )
        )
        created.append("Table Grid")
    return created
