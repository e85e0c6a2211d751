"""Every raw WordprocessingML tweak python-docx has no API for lives here, and only here.

Fields (PAGE, NUMPAGES, the contents' PAGEREF), bookmarks, list numbering that restarts per
list, paragraph borders, table header rows, cell shading, document language, SVG pictures, styles a
reference .docx may lack, and the sanitising of a reference .docx (sanitize_package). Every element
is built with lxml (`element`), never by pasting text into XML, so a font name or title with `"` or
`<` cannot break a part.
"""

from __future__ import annotations

import copy
import posixpath
import re
from collections.abc import Sequence
from typing import Any

from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.parts.numbering import NumberingPart
from docx.shared import Length, Pt, RGBColor
from docx.styles.style import BaseStyle
from docx.table import Table, _Row
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from lxml import etree

from builder.render.docx.schema_order import CHILD_ORDER

NUM_FORMATS = {"decimal": "%1.", "upperLetter": "%1.", "bullet": "\u2022"}


def element(tag: str, children: tuple[Any, ...] = (), /, **attrs: object) -> Any:
    """`<tag attr="value">children</tag>` built with lxml, which escapes every value: text from a
    pack or theme (a font name with `"` or `<`) never goes into the XML by string concatenation.
    Attribute names are prefixed with `_` for `:` (w_val is w:val)."""
    made = OxmlElement(tag, {qn(name.replace("_", ":", 1)): xml_text(str(value)) for name, value in attrs.items()})
    for child in children:
        made.append(child)
    return made


# Characters XML 1.0 cannot hold at all (C0 controls other than tab, newline and carriage return,
# lone surrogates, U+FFFE and U+FFFF): lxml refuses them and Word could not show them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """`text` without the characters no XML file may contain."""
    return _NOT_XML.sub("", text)


def add_field(paragraph: Paragraph, instruction: str, placeholder: str = "1") -> None:
    """Append a field (e.g. PAGE, NUMPAGES) that Word and LibreOffice update when they lay out."""
    begin, separate, end = _field_runs(instruction)
    paragraph._p.extend((*begin, separate))
    paragraph.add_run(placeholder)
    paragraph._p.append(end)


def _field_runs(instruction: str) -> tuple[Any, Any, Any]:
    """The runs of a complex field's begin (with its instruction), separate and end, in that order."""
    instr = element("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    begin = (element("w:r", (element("w:fldChar", w_fldCharType="begin"),)), element("w:r", (instr,)))
    return begin, element("w:r", (element("w:fldChar", w_fldCharType="separate"),)), \
        element("w:r", (element("w:fldChar", w_fldCharType="end"),))


def _text_run(text: str) -> Any:
    run = element("w:r", (element("w:t"),))
    run[0].text = text
    run[0].set(qn("xml:space"), "preserve")
    return run


TOC_STYLE = "toc 1"  # Word's own name for the style of a contents entry at level 1 (shown as "TOC 1")


def section_break(document: DocxDocument) -> Any:
    """A new section from here on, starting a new page: its properties a copy of the last section's with no
    header or footer of its own (they go on from the section before). The break is put on the last paragraph
    written (python-docx's add_section adds an empty paragraph for it, a line that could push a full page's
    last line onto a page of its own); after a table, which cannot hold it, on an empty paragraph of no height."""
    from docx.enum.section import WD_SECTION
    from docx.section import Section

    body = document.element.body
    sentinel = body.get_or_add_sectPr()
    last = sentinel.getprevious()
    if last is None or last.tag != qn("w:p") or last.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None:
        last = body.add_p()
        last.get_or_add_pPr().append(element("w:spacing", w_before=0, w_after=0, w_line=20, w_lineRule="exact"))
    last.set_sectPr(sentinel.clone())
    for reference in sentinel.xpath("w:headerReference|w:footerReference"):
        sentinel.remove(reference)
    sentinel.start_type = WD_SECTION.NEW_PAGE
    return Section(sentinel, document.part)


def restart_page_numbers(section: Any, start: int) -> None:
    """Number the section's pages from `start` (w:pgNumType; schema_order puts it in its place)."""
    sect_pr = section._sectPr
    numbering = sect_pr.find(qn("w:pgNumType"))
    if numbering is None:
        numbering = element("w:pgNumType")
        sect_pr.append(numbering)
    numbering.set(qn("w:start"), str(start))


def add_contents(placeholder: Paragraph, headings: list[Paragraph], right: Length, document: DocxDocument,
                 numbers: Sequence[tuple[str, str]] = ()) -> None:
    """Replace `placeholder` with the contents of `headings` (the Heading 1 of every part), each entry laid out
    as Word's own contents are: the heading inside a `_Toc` bookmark, the entry a hyperlink to it in the
    "toc 1" style (made when the reference lacks it), a dot leader to a PAGEREF field of the heading's page.

    The entries are not wrapped in a TOC field: LibreOffice (7.4) shows a TOC field's last result as plain
    text, so its page numbers would be whatever the file carries, and teachpack cannot lay the pages out;
    PAGEREF fields on their own LibreOffice computes as it paginates, and Word updates them when it opens
    the file (`update_fields_on_open`). Until then a number is blank, never a guess. `numbers`: the words
    printed before and after each heading's page number (a teacher page's "T"), if any."""
    style_id = _toc_style(document)
    names = bookmark_names(document, len(headings))
    ids = iter(range(_next_bookmark_id(document), 1 << 30))
    for heading, name, (before, after) in zip(headings, names, numbers or [("", "")] * len(headings), strict=True):
        number = next(ids)
        heading._p.insert(1 if heading._p.pPr is not None else 0, element("w:bookmarkStart", w_id=number, w_name=name))
        heading._p.append(element("w:bookmarkEnd", w_id=number))
        begin, separate, end = _field_runs(f"PAGEREF {name} \\h")
        tab = element("w:r", (element("w:tab"),))
        around = ([_text_run(before)] if before else [], [_text_run(after)] if after else [])
        link = element("w:hyperlink", (_text_run(heading.text), tab, *around[0], *begin, separate, end, *around[1]),
                       w_anchor=name, w_history=1)
        leader = element("w:tab", w_val="right", w_leader="dot", w_pos=right.twips)
        ppr = element("w:pPr", (element("w:pStyle", w_val=style_id), element("w:tabs", (leader,))))
        placeholder._p.addprevious(element("w:p", (ppr, link)))
    placeholder._p.getparent().remove(placeholder._p)


def _toc_style(document: DocxDocument) -> str:
    """The style id of the reference's "toc 1" (LibreOffice: "Contents 1"), made like Word's when it has none:
    Normal with no space between entries, so the cover's contents stay on one page."""
    for style in document.styles.element.findall(qn("w:style")):
        name = style.find(qn("w:name"))
        if style.get(qn("w:type")) == "paragraph" and name is not None and \
                name.get(qn("w:val"), "").casefold() in (TOC_STYLE, "contents 1"):
            return str(style.get(qn("w:styleId")))
    made = document.styles.add_style(TOC_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    made.base_style = document.styles["Normal"]
    made.style_id = "TOC1"
    made.paragraph_format.space_after = Pt(0)
    made.paragraph_format.line_spacing = 1.15
    made.unhide_when_used = True
    made.priority = 39
    return "TOC1"


def bookmark_names(document: DocxDocument, count: int) -> list[str]:
    """`count` `_Toc` bookmark names no part of the document uses yet, the same for the same document."""
    taken = {node.get(qn("w:name")) for root in _word_roots(document) for node in root.iter(qn("w:bookmarkStart"))}
    names: list[str] = []
    number = 1
    while len(names) < count:
        name = f"_Toc{number:09d}"  # Word's own are _Toc and nine digits
        if name not in taken:
            names.append(name)
        number += 1
    return names


def _next_bookmark_id(document: DocxDocument) -> int:
    """A bookmark id above every one in the document's parts: ids are unique across the whole document."""
    ids = [int(value) for root in _word_roots(document) for tag in ("w:bookmarkStart", "w:bookmarkEnd")
           for node in root.iter(qn(tag)) if (value := node.get(qn("w:id"), "")).lstrip("-").isdigit()]
    return max(ids, default=-1) + 1


def _word_roots(document: DocxDocument) -> list[Any]:
    """The XML of the body, headers, footers and notes (every part whose text may hold bookmarks)."""
    roots = [document.element]
    for part in document.part.package.iter_parts():
        root = getattr(part, "_element", None)
        if root is not None and root is not document.element and \
                str(part.partname).startswith(("/word/header", "/word/footer", "/word/footnotes", "/word/endnotes")):
            roots.append(root)
    return roots


# w:settings children that follow w:updateFields in the schema's sequence (ECMA-376 §17.15.1.78).
_AFTER_UPDATE_FIELDS = ("w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat")


def update_fields_on_open(document: DocxDocument) -> None:
    """Ask Word to update every field when it opens the file (the contents' page numbers), in schema order.
    Word asks the reader first ("This document contains fields that may refer to other files...")."""
    settings = document.settings.element
    for old in settings.findall(qn("w:updateFields")):
        settings.remove(old)
    _insert_setting(settings, element("w:updateFields", w_val="true"), (*_AFTER_UPDATE_FIELDS, *_AFTER_COMPAT))


def _insert_setting(settings: Any, setting: Any, followers: tuple[str, ...]) -> None:
    """Put `setting` before the first child of w:settings that the schema wants after it."""
    wanted = {_qn(tag) for tag in followers}
    follower = next((child for child in settings if child.tag in wanted), None)
    if follower is None:
        settings.append(setting)
    else:
        follower.addprevious(setting)


SVG_BLIP = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"  # Word 2016's extension: an SVG drawn instead of the PNG
_ASVG = "http://schemas.microsoft.com/office/drawing/2016/SVG/main"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"


def add_svg(document: DocxDocument, inline: Any, svg: bytes) -> None:
    """Give a picture (python-docx's `wp:inline`, its PNG the main blip that Word 2013 and LibreOffice show)
    the SVG that Word 2016 and later draw instead: an image/svg+xml part, named in the blip's extension
    list as Word writes it. The schema takes any element inside `a:ext`."""
    part = Part(document.part.package.next_partname("/word/media/image%d.svg"), "image/svg+xml", svg,
                document.part.package)
    relationship = document.part.relate_to(part, RT.IMAGE)
    blip = inline.find(f".//{{{_A}}}blip")
    extensions = blip.find(f"{{{_A}}}extLst")
    if extensions is None:
        extensions = etree.SubElement(blip, f"{{{_A}}}extLst")
    extension = etree.SubElement(extensions, f"{{{_A}}}ext", uri=SVG_BLIP)
    picture = etree.SubElement(extension, f"{{{_ASVG}}}svgBlip", nsmap={"asvg": _ASVG})
    picture.set(f"{{{_R}}}embed", relationship)


_CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]*)", re.IGNORECASE)


def svg_outside_links(root: Any) -> list[str]:
    """What an SVG links to outside itself (hrefs, and url()s in attributes and style sheets, other than
    `#...` and data: URIs): inside a DOCX such a link points nowhere, or at a file or address Word would fetch."""
    found = []
    for node in root.iter():
        if not isinstance(node.tag, str):
            continue
        values = [value for name, value in node.attrib.items() if etree.QName(name).localname == "href"]
        css = [*node.attrib.values(), *([node.text or ""] if etree.QName(node).localname == "style" else [])]
        values += [target for text in css for target in _CSS_URL.findall(text)]
        found += [value for value in values if not value.strip().startswith(("#", "data:"))]
    return found


class Numbering:
    """Creates list definitions and a fresh `w:num` per list, so each list restarts at 1 (or A)."""

    def __init__(self, document: DocxDocument) -> None:
        self._root = _numbering_part(document).element
        self._abstract: dict[str, int] = {}

    def _abstract_id(self, fmt: str, style_id: str | None = None) -> int:
        """The list definition of format `fmt` (one per style it is tied to: `style_id`'s paragraphs)."""
        key = f"{fmt}:{style_id or ''}"
        if key not in self._abstract:
            ids = [int(a.get(qn("w:abstractNumId"))) for a in self._root.findall(qn("w:abstractNum"))]
            new_id = max(ids, default=-1) + 1
            level = element("w:lvl", (
                element("w:start", w_val=1),
                element("w:numFmt", w_val=fmt),
                *((element("w:pStyle", w_val=style_id),) if style_id else ()),
                element("w:lvlText", w_val=NUM_FORMATS[fmt]),
                element("w:lvlJc", w_val="left"),
                element("w:pPr", (element("w:ind", w_left=425, w_hanging=425),)),
            ), w_ilvl=0)
            abstract = element("w:abstractNum", (element("w:multiLevelType", w_val="singleLevel"), level),
                               w_abstractNumId=new_id)
            first_num = self._root.find(qn("w:num"))
            if first_num is not None:
                first_num.addprevious(abstract)
            else:
                self._root.append(abstract)
            self._abstract[key] = new_id
        return self._abstract[key]

    def style_list(self, style: BaseStyle, fmt: str = "decimal") -> int:
        """The list a paragraph style numbers (its numPr), made and linked when the style has none, so
        that a paragraph given the style in Word, from the gallery, continues the same list."""
        ppr = style.element.get_or_add_pPr()
        numpr = ppr.find(qn("w:numPr"))
        found = numpr.find(qn("w:numId")) if numpr is not None else None
        if found is not None and int(found.get(qn("w:val"), "0")) > 0:
            return int(found.get(qn("w:val")))
        num_id = self.new_list(fmt)
        abstract_id = self._abstract_id(fmt, style.style_id)
        num = next(n for n in self._root.findall(qn("w:num")) if n.get(qn("w:numId")) == str(num_id))
        num.find(qn("w:abstractNumId")).set(qn("w:val"), str(abstract_id))
        if numpr is not None:
            ppr.remove(numpr)
        numpr = element("w:numPr", (element("w:numId", w_val=num_id),))
        anchor = None
        for tag in ("w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl"):
            anchor = ppr.find(qn(tag)) if ppr.find(qn(tag)) is not None else anchor
        if anchor is not None:
            anchor.addnext(numpr)
        else:
            ppr.insert(0, numpr)
        return num_id

    def new_list(self, fmt: str, start: int = 1) -> int:
        """A new numbering instance of format `fmt` starting at `start`; returns its numId."""
        abstract = self._abstract_id(fmt)
        ids = [int(n.get(qn("w:numId"))) for n in self._root.findall(qn("w:num"))]
        num_id = max(ids, default=0) + 1
        override = element("w:lvlOverride", (element("w:startOverride", w_val=start),), w_ilvl=0)
        self._root.append(element("w:num", (element("w:abstractNumId", w_val=abstract), override), w_numId=num_id))
        return num_id


def _numbering_part(document: DocxDocument) -> NumberingPart:
    """The document's numbering part, created when the reference file has none: Word writes none
    for a document without lists, and python-docx cannot make one (NumberingPart.new raises)."""
    try:
        return document.part.numbering_part
    except NotImplementedError:
        part = NumberingPart(PackURI("/word/numbering.xml"), CT.WML_NUMBERING, element("w:numbering"),
                             document.part.package)
        document.part.relate_to(part, RT.NUMBERING)
        return part


def add_bookmark(paragraph: Paragraph, name: str, bookmark_id: int) -> None:
    """Mark the whole paragraph with a bookmark `name` (a REF or PAGEREF field can then point at it)."""
    start = element("w:bookmarkStart", w_id=bookmark_id, w_name=name)
    ppr = paragraph._p.pPr
    if ppr is not None:
        ppr.addnext(start)
    else:
        paragraph._p.insert(0, start)
    paragraph._p.append(element("w:bookmarkEnd", w_id=bookmark_id))


def set_numbering(paragraph: Paragraph, num_id: int) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    numpr = element("w:numPr", (element("w:ilvl", w_val=0), element("w:numId", w_val=num_id)))
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


_AFTER_CONTEXTUAL = ("w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
                     "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")


def keep_own_spacing(paragraph: Paragraph) -> None:
    """The paragraph's space before counts even after a paragraph of its own style: "List Number" has
    contextualSpacing, which would run a question into the last option of the one before it."""
    ppr = paragraph._p.get_or_add_pPr()
    for old in ppr.findall(qn("w:contextualSpacing")):
        ppr.remove(old)
    ppr.insert_element_before(element("w:contextualSpacing", w_val=0), *_AFTER_CONTEXTUAL)


LINK_COLOR = "0563C1"  # Word's own colour for the Hyperlink style, used when the reference has none


def add_hyperlink(paragraph: Paragraph, text: str, url: str, document: DocxDocument) -> Run:
    """A run of `text` that links to `url` (an external relationship, as Word writes it), in the
    character style "Hyperlink", made when the reference file lacks it so a reference can restyle links."""
    styles = document.styles
    if "Hyperlink" not in [style.name for style in styles]:
        style = styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
        style.font.underline = True
        style.font.color.rgb = RGBColor.from_string(LINK_COLOR)
    relationship = paragraph.part.relate_to(url, RT.HYPERLINK, is_external=True)
    link = element("w:hyperlink", r_id=relationship)
    paragraph._p.append(link)
    run_element = element("w:r")
    link.append(run_element)
    run = Run(run_element, paragraph)
    run.text = text
    run.style = styles["Hyperlink"]
    return run


_HEADER_FOOTER = tuple((tag, kind) for tag in ("w:headerReference", "w:footerReference")
                       for kind in ("default", "even", "first"))


def inherit_section_parts(document: DocxDocument) -> None:
    """Give the last section the headers and footers it shows from earlier sections: the body (and with it
    every section but the last) is replaced, and a section without its own header shows the one before."""
    body = document.element.body
    final = body.find(qn("w:sectPr"))
    if final is None:
        return
    earlier = list(body.iterchildren(qn("w:p")))
    earlier_sections = [p.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") for p in earlier]
    for tag, kind in _HEADER_FOOTER:
        if any(ref.get(qn("w:type")) == kind for ref in final.findall(qn(tag))):
            continue
        for section in reversed([s for s in earlier_sections if s is not None]):
            found = [ref for ref in section.findall(qn(tag)) if ref.get(qn("w:type")) == kind]
            if found:
                final.insert(0, copy.deepcopy(found[0]))  # references come first in CT_SectPr, in any order
                break


def even_and_odd_headers(document: DocxDocument) -> bool:
    """Whether the document prints even pages with their own header and footer (settings.xml)."""
    try:
        return bool(document.settings.odd_and_even_pages_header_footer)
    except Exception:  # no settings part: python-docx makes a default one, where it is off
        return False


_DRAWN = ("w:drawing", "w:pict", "w:object", "w:fldSimple", "w:instrText", "w:sym")


def is_blank_story(story: Any) -> bool:
    """True when a header or footer is missing, or holds no text, picture, shape or field."""
    if story.is_linked_to_previous:
        return True
    root = story._element
    text = "".join(node.text or "" for node in root.iter(qn("w:t")))
    return not text.strip() and not any(True for tag in _DRAWN for _ in root.iter(qn(tag)))


def clear_story(story: Any, keep: Paragraph | None = None) -> None:
    """Empty a header or footer: every paragraph and table goes but `keep`, which loses its content."""
    for child in list(story._element):
        if keep is None or child is not keep._p:
            story._element.remove(child)
    if keep is not None:
        keep.clear()  # type: ignore[no-untyped-call]
    elif not len(story._element):
        story._element.append(element("w:p"))  # a story must hold a paragraph


_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
_FIELDS = {"page": "PAGE", "pages": "NUMPAGES"}


def fill_placeholders(story: Any, values: dict[str, str | None]) -> None:
    """Replace `{name}` in a header or footer's text with its value (a None value: the Word field of that
    name, PAGE or NUMPAGES), keeping the formatting of the run the placeholder was in. Word splits text
    into runs as it pleases ("{pack_" + "title}"), so the text of neighbouring plain runs is joined first."""
    for paragraph in story._element.iter(qn("w:p")):
        group: list[Any] = []
        for child in [*paragraph, None]:
            plain = child is not None and child.tag == qn("w:r") and len(child) and all(
                node.tag in (qn("w:rPr"), qn("w:t")) for node in child) and child.find(qn("w:t")) is not None
            if plain:
                group.append(child)
                continue
            if group:
                _fill_runs(group, values)
            group = []


def _fill_runs(runs: list[Any], values: dict[str, str | None]) -> None:
    text = "".join(node.text or "" for run in runs for node in run.iter(qn("w:t")))
    if not any(name in values for name in _PLACEHOLDER.findall(text)):
        return
    properties = runs[0].find(qn("w:rPr"))

    def run(*children: Any) -> Any:
        made = element("w:r", ((copy.deepcopy(properties),) if properties is not None else ()) + children)
        return made

    def text_run(value: str) -> Any:
        node = element("w:t", **{"xml:space": "preserve"})
        node.text = value
        return run(node)

    made: list[Any] = []
    position = 0
    for match in _PLACEHOLDER.finditer(text):
        name = match[1]
        if name not in values:
            continue
        if match.start() > position:
            made.append(text_run(text[position:match.start()]))
        value = values[name]
        if value is None:
            instruction = element("w:instrText", **{"xml:space": "preserve"})
            instruction.text = f" {_FIELDS[name]} "
            made += [run(element("w:fldChar", w_fldCharType="begin")), run(instruction),
                     run(element("w:fldChar", w_fldCharType="separate")), text_run("1"),
                     run(element("w:fldChar", w_fldCharType="end"))]
        elif value:
            made.append(text_run(value))
        position = match.end()
    if position < len(text):
        made.append(text_run(text[position:]))
    for new in made:
        runs[0].addprevious(new)
    for old in runs:
        old.getparent().remove(old)


_RANK = {qn(f"w:{parent}"): {qn(f"w:{child}"): rank for rank, child in enumerate(children)}
         for parent, children in CHILD_ORDER.items()}


def schema_order(root: Any) -> None:
    """Put the children of settings, styles, paragraph, run, table, cell and section properties under `root`
    in the order ECMA-376 requires: a reference may hold them out of order (pandoc's own does), and Word
    may refuse such a file. An element the schema does not list there stays after its neighbour."""
    for node in root.iter(*_RANK):
        rank = _RANK[node.tag]
        keys, last = [], -1
        for child in node:
            last = rank.get(child.tag, last)
            keys.append(last)
        if keys != sorted(keys):
            children = list(node)
            for index in sorted(range(len(children)), key=keys.__getitem__):
                node.append(children[index])  # appending moves it: the children end up in key order


def complete_margins(section: Any) -> None:
    """Fill the page margin attributes the schema requires (python-docx writes only those it sets)."""
    margins = section._sectPr.find(qn("w:pgMar"))
    if margins is not None:
        for name, default in (("w:top", 1440), ("w:right", 1440), ("w:bottom", 1440), ("w:left", 1440),
                              ("w:header", 720), ("w:footer", 720), ("w:gutter", 0)):
            if margins.get(qn(name)) is None:
                margins.set(qn(name), str(default))


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
    trpr.append(element("w:tblHeader"))
    for row in table.rows:
        row._tr.get_or_add_trPr().append(element("w:cantSplit"))


def data_table(table: Table, title: str, description: str) -> None:
    """Mark a table of data as Word's checker wants one: its first row a header row, repeated on every page
    the table spans (`repeat_header`), and its alt text (Table Properties > Alt Text: w:tblCaption and
    w:tblDescription) saying what it lists."""
    repeat_header(table)
    tblpr = table._tbl.tblPr
    for tag, value in (("w:tblCaption", title), ("w:tblDescription", description)):
        for old in tblpr.findall(qn(tag)):
            tblpr.remove(old)
        if value.strip():
            tblpr.append(element(tag, w_val=value))  # schema_order puts them after w:tblLook


def layout_table(table: Table) -> None:
    """Mark a table that only lays things out (a box beside each line): the Table Normal style (no w:tblStyle),
    no header row, and a w:tblLook that turns off the header-row and first-column formatting, so neither Word
    nor a screen reader takes its first row for column headers."""
    tblpr = table._tbl.tblPr
    for tag in ("w:tblStyle", "w:tblLook", "w:tblCaption", "w:tblDescription"):
        for old in tblpr.findall(qn(tag)):
            tblpr.remove(old)
    tblpr.append(element("w:tblLook", w_val="0600", w_firstRow=0, w_lastRow=0, w_firstColumn=0, w_lastColumn=0,
                         w_noHBand=1, w_noVBand=1))
    for row in table.rows:
        for mark in row._tr.findall(f"{qn('w:trPr')}/{qn('w:tblHeader')}"):
            mark.getparent().remove(mark)


def no_cell_margins(table: Table) -> None:
    """No space inside the cells of `table` (a puzzle's squares), so each square is as wide as its column."""
    table._tbl.tblPr.append(element("w:tblCellMar", tuple(element(f"w:{edge}", w_w=0, w_type="dxa")
                                                        for edge in ("top", "left", "bottom", "right"))))


def cell_lines(cell: Any, color: str, size: int = 8) -> None:
    """A line round one cell (a puzzle's square): its neighbours without one stay blank."""
    line = {"w_val": "single", "w_sz": size, "w_space": 0, "w_color": color}
    cell._tc.get_or_add_tcPr().append(element("w:tcBorders", tuple(element(f"w:{edge}", **line)
                                                                   for edge in ("top", "left", "bottom", "right"))))


def add_gap(paragraph: Paragraph, points: float) -> Run:
    """One space widened by `points` (character spacing, Font > Advanced > Spacing: Expanded): space between
    two things on a line without repeated spaces, which Word's checker flags and a screen reader reads out."""
    run = paragraph.add_run(" ")
    run._r.get_or_add_rPr().append(element("w:spacing", w_val=round(points * 20)))
    return run


def space_after_tables(document: DocxDocument, space: Length) -> None:
    """Take out the empty paragraph left after each table to keep a line of space below it, and give the
    paragraph after it that space before instead: an empty paragraph used for spacing is what Word's checker
    calls a repeated blank, and a screen reader reads it as "blank". The paragraph stays where Word needs one:
    between two tables (they would merge) and at the end of the body; a paragraph that starts a new page
    gets no space (it is at the top of its page)."""
    body = document.element.body
    children = list(body)
    for before, spacer, after in zip(children, children[1:], children[2:], strict=False):
        if before.tag != qn("w:tbl") or spacer.tag != qn("w:p") or after.tag != qn("w:p") or not _is_spacer(spacer):
            continue
        body.remove(spacer)
        if after.find(f"{qn('w:pPr')}/{qn('w:pageBreakBefore')}") is not None:
            continue
        fmt = Paragraph(after, document._body).paragraph_format
        current, style = fmt.space_before, Paragraph(after, document._body).style
        while current is None and style is not None:
            current, style = style.paragraph_format.space_before, style.base_style
        fmt.space_before = Length((current or 0) + space)


def _is_spacer(paragraph: Any) -> bool:
    """An empty paragraph: no text, picture, field, break or bookmark, and no border or numbering of its own."""
    if any(node.tag in (qn("w:t"), qn("w:drawing"), qn("w:pict"), qn("w:fldChar"), qn("w:fldSimple"), qn("w:br"),
                        qn("w:bookmarkStart"), qn("w:sectPr"), qn("w:tab"), qn("w:sym")) for node in paragraph.iter()):
        return False
    ppr = paragraph.find(qn("w:pPr"))
    return ppr is None or (ppr.find(qn("w:pBdr")) is None and ppr.find(qn("w:numPr")) is None
                           and ppr.find(qn("w:pStyle")) is None)


def box_style(style: BaseStyle, color: str) -> None:
    """A border round the paragraphs of `style` (the cloze word bank's), unless it has borders already."""
    ppr = style.element.get_or_add_pPr()
    if ppr.find(qn("w:pBdr")) is None:
        edges = tuple(element(f"w:{edge}", w_val="single", w_sz=8, w_space=4, w_color=color)
                      for edge in ("top", "left", "bottom", "right"))
        _add_borders(ppr, element("w:pBdr", edges))


def rule_style(style: BaseStyle, color: str = "888888", size: int = 4) -> None:
    """The writing line under each paragraph of `style` (Answer Line), unless it has borders already.

    Word and LibreOffice merge the borders of neighbouring paragraphs that share them, so a run of
    lines also needs the `between` border or only the last line would be ruled."""
    ppr = style.element.get_or_add_pPr()
    if ppr.find(qn("w:pBdr")) is None:
        rule = {"w_val": "single", "w_sz": size, "w_space": 1, "w_color": color}
        _add_borders(ppr, element("w:pBdr", (element("w:bottom", **rule), element("w:between", **rule))))


def header_row_style(style: BaseStyle, fill: str) -> None:
    """A table style whose first row is bold on a `fill` background (tblStylePr firstRow), unless the
    style already says how its first row looks."""
    root = style.element
    if any(p.get(qn("w:type")) == "firstRow" for p in root.findall(qn("w:tblStylePr"))):
        return
    root.append(element("w:tblStylePr", (
        element("w:rPr", (element("w:b"),)),
        element("w:tcPr", (element("w:shd", w_val="clear", w_color="auto", w_fill=fill),)),
    ), w_type="firstRow"))


def _add_borders(ppr: Any, borders: Any) -> None:
    """Put w:pBdr where CT_PPr's sequence wants it: before shd, tabs, spacing, ind and jc."""
    for tag in ("w:shd", "w:tabs", "w:spacing", "w:ind", "w:jc"):
        found = ppr.find(qn(tag))
        if found is not None:
            found.addprevious(borders)
            return
    ppr.append(borders)


def keep_row(row: _Row) -> None:
    """A table row that never splits across pages."""
    row._tr.get_or_add_trPr().append(element("w:cantSplit"))


def drop_trailing_spacer(document: DocxDocument) -> None:
    """Remove the empty paragraph that ends the body just after a table (the space left below it), before
    a part that starts on a new page: when the table fills its page, that paragraph alone makes a blank
    page. The heading that follows is then the paragraph Word needs after a table."""
    body = document.element.body
    children = [child for child in body if child.tag != qn("w:sectPr")]
    if len(children) < 2 or children[-1].tag != qn("w:p") or children[-2].tag != qn("w:tbl"):
        return
    last = children[-1]
    if not any(node.tag in (qn("w:t"), qn("w:drawing"), qn("w:br"), qn("w:fldChar")) for node in last.iter()):
        body.remove(last)


def keep_table_together(table: Table, rows: int | None = None) -> None:
    """The whole table on one page, after the paragraph that keeps with it (a question's prompt): Word
    keeps a table together when every paragraph of every row but the last keeps with the next. With
    `rows`, only the first `rows` rows stay with that paragraph and the table may break after them."""
    for row in table.rows[: len(table.rows) - 1 if rows is None else min(rows - 1, len(table.rows) - 1)]:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True


def set_font(style: BaseStyle, family: str) -> None:
    """Use `family` for every script of a style, theme fonts included (python-docx sets only ASCII)."""
    rpr = style.element.get_or_add_rPr()
    for old in rpr.findall(qn("w:rFonts")):
        rpr.remove(old)
    rpr.insert(0, element("w:rFonts", w_ascii=family, w_hAnsi=family, w_cs=family, w_eastAsia=family))


def complete_zoom(document: DocxDocument) -> None:
    """Give `w:zoom` the `w:percent` the schema requires (python-docx's default template and Word's
    "best fit" omit it)."""
    zoom = document.settings.element.find(qn("w:zoom"))
    if zoom is not None and zoom.get(qn("w:percent")) is None:
        zoom.set(qn("w:percent"), "100")


def set_language(document: DocxDocument, language: str) -> None:
    """Document language (spell-checking, hyphenation) in the defaults of styles.xml."""
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = element("w:docDefaults")
        styles.insert(0, defaults)
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = element("w:rPrDefault", (element("w:rPr"),))
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(qn("w:rPr"))
    if rpr is None:
        rpr = element("w:rPr")
        rpr_default.append(rpr)
    for old in rpr.findall(qn("w:lang")):
        rpr.remove(old)
    rpr.append(element("w:lang", w_val=language, w_eastAsia=language_slot(language, _EAST_ASIAN, "zh-CN"),
                       w_bidi=language_slot(language, _RIGHT_TO_LEFT, "ar-SA")))


def widow_control(document: DocxDocument) -> bool:
    """Word's widow and orphan control (no first or last line of a paragraph alone on a page) as the
    document's default, unless the reference file's defaults or its Normal style already decide it either
    way (a house style is honoured). OOXML applies it only where it is set, and python-docx's template and
    many reference files set it nowhere. Returns whether it was added."""
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    normal = next((s for s in styles.findall(qn("w:style"))
                   if s.get(qn("w:type")) == "paragraph" and s.get(qn("w:default")) in ("1", "true", "on")), None)
    for holder in (defaults, normal):
        if holder is not None and holder.find(f".//{qn('w:pPr')}/{qn('w:widowControl')}") is not None:
            return False
    if defaults is None:
        defaults = element("w:docDefaults")
        styles.insert(0, defaults)
    ppr_default = defaults.find(qn("w:pPrDefault"))
    if ppr_default is None:
        ppr_default = element("w:pPrDefault")
        defaults.append(ppr_default)
    ppr = ppr_default.find(qn("w:pPr"))
    if ppr is None:
        ppr = element("w:pPr")
        ppr_default.append(ppr)
    ppr.append(element("w:widowControl"))
    schema_order(defaults)
    return True


_EAST_ASIAN = {"zh", "ja", "ko"}
_RIGHT_TO_LEFT = {"ar", "he", "fa", "ur", "yi", "ps", "dv"}


def language_slot(language: str, family: set[str], default: str) -> str:
    """The language Word assumes for East Asian (or right-to-left) text: the pack's own when it is one,
    else the usual default (Word's: Simplified Chinese, Arabic), so a Chinese name in an English pack is
    spell-checked and broken as Chinese, not as English."""
    return language if language.split("-")[0].casefold() in family else default


# w:settings children that follow w:compat in the schema's sequence (ECMA-376 §17.15.1.78).
_AFTER_COMPAT = ("w:docVars", "w:rsids", "m:mathPr", "w:attachedSchema", "w:themeFontLang", "w:clrSchemeMapping",
                 "w:doNotIncludeSubdocsInStats", "w:doNotAutoCompressPictures", "w:forceUpgrade", "w:captions",
                 "w:readModeInkLockDown", "w:smartTagType", "sl:schemaLibrary", "w:shapeDefaults",
                 "w:doNotEmbedSmartTags", "w:decimalSymbol", "w:listSeparator")
_WORD_URI = "http://schemas.microsoft.com/office/word"


def set_compatibility_mode(document: DocxDocument, mode: int = 15) -> None:
    """Word's compatibility mode (15: Word 2013 and later), so the file does not open in Compatibility Mode."""
    settings = document.settings.element
    compat = settings.find(qn("w:compat"))
    if compat is None:
        compat = element("w:compat")
        _insert_setting(settings, compat, _AFTER_COMPAT)
    setting = next((c for c in compat.findall(qn("w:compatSetting")) if c.get(qn("w:name")) == "compatibilityMode"),
                   None)
    if setting is None:
        setting = element("w:compatSetting", w_name="compatibilityMode", w_uri=_WORD_URI)
        compat.append(setting)
    setting.set(qn("w:val"), str(mode))


def _qn(tag: str) -> str:
    prefix, _, local = tag.partition(":")
    if prefix == "sl":
        return f"{{http://schemas.openxmlformats.org/schemaLibrary/2006/main}}{local}"
    return str(qn(tag))


_THEMED_SLOTS = (("w:ascii", "w:asciiTheme"), ("w:hAnsi", "w:hAnsiTheme"), ("w:eastAsia", "w:eastAsiaTheme"),
                 ("w:cs", "w:cstheme"))


def resolve_theme_fonts(document: DocxDocument) -> None:
    """Where a style or run names a font and also links the slot to the theme, Word shows the theme's
    font (ECMA-376 §17.3.2.26) and the named one is lost: keep the named one, as Word itself does when
    a font is picked from its menu (teachpack's level fonts, or a reference's Georgia headings)."""
    for root in (document.styles.element, document.element):
        for fonts in root.iter(qn("w:rFonts")):
            for named, themed in _THEMED_SLOTS:
                if fonts.get(qn(named)) and fonts.get(qn(themed)) is not None:
                    del fonts.attrib[qn(themed)]


def number_drawings(document: DocxDocument) -> None:
    """Give every drawing in the package (body, headers, footers) its own id: python-docx numbers each part
    from 1, and the same id in the body and a header is a known cause of Word's repair prompt."""
    number = 0
    for part in document.part.package.iter_parts():
        root = getattr(part, "_element", None)
        if root is None:
            continue
        for doc_pr in root.iter(f"{{{_WP}}}docPr"):
            number += 1
            doc_pr.set("id", str(number))


def list_fonts(document: DocxDocument) -> None:
    """Every font the styles and the text name, listed in fontTable.xml (Word substitutes a font it
    finds no entry for by guessing)."""
    names: set[str] = set()
    roots = [document.styles.element, document.element,
             *(getattr(p, "_element", None) for p in document.part.package.iter_parts()
               if str(p.partname).startswith(("/word/header", "/word/footer")))]
    for root in roots:
        if root is None:
            continue
        for fonts in root.iter(qn("w:rFonts")):
            for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
                if value := fonts.get(qn(slot)):
                    names.add(value)
    part = next((p for p in document.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml"), None)
    if part is None or not names:
        return
    table = etree.fromstring(part.blob, _SAFE_PARSER)
    listed = {font.get(qn("w:name")) for font in table.findall(qn("w:font"))}
    for name in sorted(names - listed):
        table.append(element("w:font", w_name=name))
    part._blob = etree.tostring(table, xml_declaration=True, encoding="UTF-8", standalone=True)


def set_application(document: DocxDocument, application: str) -> None:
    """docProps/app.xml says what made the file, and how many words it holds (the reference's own
    application and statistics are about another file)."""
    words = sum(len("".join(t.text or "" for t in paragraph.iter(qn("w:t"))).split())
                for paragraph in document.element.body.iter(qn("w:p")))
    part = next((p for p in document.part.package.iter_parts() if str(p.partname) == "/docProps/app.xml"), None)
    if part is None:
        return
    root = etree.fromstring(part.blob, _SAFE_PARSER)
    namespace = etree.QName(root).namespace
    for name in ("Application", "AppVersion", "Words"):
        for node in root.findall(f"{{{namespace}}}{name}"):
            root.remove(node)
    etree.SubElement(root, f"{{{namespace}}}Application").text = application  # the schema's xsd:all: any order
    counted = etree.SubElement(root, f"{{{namespace}}}Words")
    counted.text = str(words)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


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
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_O = "urn:schemas-microsoft-com:office:office"
_CORE = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
_WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
_DC = "http://purl.org/dc/elements/1.1/"
_APP = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
_SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)

# Fields that pull in another file or address each time Word updates them (INCLUDE is INCLUDETEXT's
# old name, IMPORT INCLUDEPICTURE's; DDE and DDEAUTO start other programs).
_FETCHING_FIELDS = re.compile(r"\s*(INCLUDEPICTURE|INCLUDETEXT|INCLUDE|IMPORT|LINK|DDEAUTO|DDE)\b", re.IGNORECASE)
# The reference's own metadata: each output sets its own title, subject, language, dates and author.
_CORE_DROPPED = {f"{{{_CORE}}}category": "category", f"{{{_CORE}}}keywords": "keywords",
                 f"{{{_DC}}}description": "description", f"{{{_DC}}}creator": "creator",
                 f"{{{_CORE}}}lastModifiedBy": "lastModifiedBy", f"{{{_CORE}}}contentStatus": "contentStatus",
                 f"{{{_DC}}}identifier": "identifier", f"{{{_CORE}}}version": "version"}
# app.xml keeps only these; the rest is about the reference file (its company, manager, template,
# statistics, part titles) or a base address for its links (HyperlinkBase).
_APP_KEPT = {"Application", "AppVersion", "DocSecurity", "ScaleCrop", "LinksUpToDate", "SharedDoc",
             "HyperlinksChanged"}
_APP_QUIET = {"Template", "TotalTime", "Pages", "Words", "Characters", "CharactersWithSpaces", "Lines",
              "Paragraphs", "HeadingPairs", "TitlesOfParts",  # counts and defaults, not worth a warning
              "Company"}  # Word fills it in from the Office install, like the two below
# Who saved the reference: Word and LibreOffice write these by themselves into every file, so a house
# style saved by Word would always warn (and fail --strict); they are dropped without a word.
_CORE_QUIET = {"creator", "lastModifiedBy"}
# Parts dropped with their relationships, by where they usually are and by relationship type.
# An altChunk is a file (HTML, RTF, another .docx) Word converts when it opens the document, fetching
# whatever that file links to.
_THUMBNAIL, _CUSTOM, _CUSTOM_XML = "its thumbnail picture", "its custom properties", "its custom XML data"
_CHUNK = "the files it imports when Word opens it (altChunk)"
_EXTRA_PARTS = {"docProps/thumbnail": _THUMBNAIL, "docProps/custom.xml": _CUSTOM, "customXml/": _CUSTOM_XML}
_EXTRA_TYPES = {"/metadata/thumbnail": _THUMBNAIL, "/custom-properties": _CUSTOM, "/customXml": _CUSTOM_XML,
                "/customXmlProps": _CUSTOM_XML, "/aFChunk": _CHUNK}


def _routine(what: str, data: bytes) -> bool:
    """True for an extra every file of its maker holds, dropped without a warning (or --strict would refuse
    every Word or LibreOffice house style): Word's preview thumbnail and empty bibliography, LibreOffice's
    empty custom properties."""
    if what == _THUMBNAIL:
        return True
    try:
        root = etree.fromstring(data, _SAFE_PARSER)
    except etree.XMLSyntaxError:
        return False
    if what == _CUSTOM:
        return not len(root)
    if what == _CUSTOM_XML:  # Word's empty list of bibliography sources, and what describes an item
        local = etree.QName(root).localname
        return (local == "Sources" and not len(root)) or local == "datastoreItem"
    return False


def _shorten(text: str, most: int = 100) -> str:
    return text if len(text) <= most else text[: most - 1] + "\u2026"


def _rels_source(rels_name: str) -> str:
    """The part a .rels file belongs to ("" for the package): word/_rels/document.xml.rels -> word/document.xml."""
    folder, name = posixpath.split(rels_name)
    return posixpath.join(posixpath.dirname(folder), name[: -len(".rels")]).lstrip("/")


def _target(source: str, target: str) -> str:
    if target.startswith("/"):
        return posixpath.normpath(target).lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))


def _drop_fields(root: Any, dropped: list[str]) -> bool:
    """Remove every field whose instruction fetches from elsewhere, simple (`w:fldSimple`) or
    complex (`w:fldChar` begin .. end, however many runs and paragraphs it spans)."""
    changed = False
    for simple in list(root.iter(qn("w:fldSimple"))):
        instruction = simple.get(qn("w:instr"), "")
        if _FETCHING_FIELDS.match(instruction):
            dropped.append(instruction)
            if simple.getparent() is not None:
                simple.getparent().remove(simple)
                changed = True
    runs = list(root.iter(qn("w:r")))
    order = {id(run): i for i, run in enumerate(runs)}
    open_fields: list[tuple[int, list[str]]] = []
    spans = []
    for found in root.iter(qn("w:fldChar"), qn("w:instrText"), qn("w:delInstrText")):
        where = order.get(id(found.getparent()))
        if where is None:
            continue
        if found.tag != qn("w:fldChar"):
            if open_fields:
                open_fields[-1][1].append(found.text or "")
            continue
        kind = found.get(qn("w:fldCharType"))
        if kind == "begin":
            open_fields.append((where, []))
        elif kind == "end" and open_fields:
            begin, instruction = open_fields.pop()
            spans.append((begin, where, "".join(instruction)))
    spans += [(begin, len(runs) - 1, "".join(instruction)) for begin, instruction in open_fields]  # never ended
    doomed: set[int] = set()
    for begin, end, instruction in sorted(spans):
        if _FETCHING_FIELDS.match(instruction) and begin not in doomed:
            dropped.append(instruction)
            doomed.update(range(begin, end + 1))
    for i in sorted(doomed):
        parent = runs[i].getparent()
        if parent is not None:
            parent.remove(runs[i])
            changed = True
    return changed


def _drop_references(root: Any, gone: set[str]) -> bool:
    """Remove what points at a dropped relationship: the attribute where it is optional (a picture's
    `r:link`, a hyperlink's `r:id`), else the element (`w:attachedTemplate`, `w:subDoc`, ...); a
    picture left with nothing to draw goes too."""
    changed = False
    for node in list(root.iter()):
        if not isinstance(node.tag, str):
            continue
        names = [name for name, value in node.attrib.items()
                 if value in gone and (name.startswith(f"{{{_R}}}") or name == f"{{{_O}}}relid")]
        if not names:
            continue
        changed = True
        local = etree.QName(node).localname
        if local in ("blip", "imagedata", "hyperlink"):
            for name in names:
                del node.attrib[name]
            for name in (f"{{{_O}}}href", "src"):
                node.attrib.pop(name, None)
            picture = next((up for up in node.iterancestors(qn("w:drawing"), qn("w:pict"))), None)
            if local != "hyperlink" and picture is not None and not any(name.startswith(f"{{{_R}}}")
                                                                         for name in node.attrib):
                picture.getparent().remove(picture)  # a linked picture only: nothing is left to draw
        elif local in ("hlinkClick", "hlinkHover"):
            for name in names:
                node.set(name, "")
        elif node.getparent() is not None:
            node.getparent().remove(node)
    return changed


def _properties(parts: dict[str, bytes], dropped: list[str]) -> None:
    """Empty the reference's own core and extended properties, listing the non-empty ones dropped."""
    if "docProps/core.xml" in parts:
        root = etree.fromstring(parts["docProps/core.xml"], _SAFE_PARSER)
        for node in list(root):
            if node.tag in _CORE_DROPPED:
                if (node.text or "").strip() and _CORE_DROPPED[node.tag] not in _CORE_QUIET:
                    dropped.append(f"{_CORE_DROPPED[node.tag]} '{_shorten(node.text.strip(), 40)}'")
                root.remove(node)
        parts["docProps/core.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    if "docProps/app.xml" in parts:
        root = etree.fromstring(parts["docProps/app.xml"], _SAFE_PARSER)
        for node in list(root):
            name = etree.QName(node).localname if isinstance(node.tag, str) else ""
            if name in _APP_KEPT:
                continue
            value = "".join(node.itertext()).strip()
            if name not in _APP_QUIET and value:
                dropped.append(f"{name} '{_shorten(value, 40)}'")
            root.remove(node)
        parts["docProps/app.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def sanitize_package(parts: dict[str, bytes], shown: str) -> tuple[dict[str, bytes], list[str]]:
    """The reference .docx's parts (name -> bytes) with nothing that reaches outside the file and none
    of its own metadata, and one warning (naming `shown`) for each thing taken out.

    Removed: every relationship with TargetMode="External" (an attachedTemplate, a linked picture, a
    hyperlink, a subdocument, ...) and what points at it; INCLUDEPICTURE, INCLUDETEXT, LINK and DDE
    fields; the thumbnail, custom properties and custom XML parts, with their relationships and
    content types; the core and extended properties that describe the reference itself. Word
    contacts a linked address when the file opens, and metadata would reach every student's file.
    """
    warnings: list[str] = []
    parts = dict(parts)
    # LibreOffice links docProps/core.xml with a type python-docx does not know (python-docx would
    # add a second core.xml): relink it the standard way.
    if "_rels/.rels" in parts:
        parts["_rels/.rels"] = parts["_rels/.rels"].replace(_LIBREOFFICE_CORE.encode(), _PACKAGE_CORE.encode())
    extras = {name: what for name in parts for prefix, what in _EXTRA_PARTS.items() if name.startswith(prefix)}
    gone: dict[str, set[str]] = {}  # source part -> relationship ids removed from it
    for rels_name in sorted(n for n in parts if n.endswith(".rels")):
        source = _rels_source(rels_name)
        if source in extras:
            continue
        root = etree.fromstring(parts[rels_name], _SAFE_PARSER)
        for rel in root.findall(f"{{{_RELS}}}Relationship"):
            kind, target = rel.get("Type", ""), rel.get("Target", "")
            extra = next((what for end, what in _EXTRA_TYPES.items() if kind.endswith(end)), None)
            if rel.get("TargetMode") == "External":
                reason = "a reader would be sent there" if kind.endswith("/hyperlink") else \
                    "Word would fetch it when the file opens"
                warnings.append(f"{shown}: dropped a link to {_shorten(target)} ({kind.rsplit('/', 1)[-1]}); {reason}")
            elif extra is not None:
                extras.setdefault(_target(source, target), extra)
            elif _target(source, target) not in extras:
                continue
            gone.setdefault(source, set()).add(rel.get("Id", ""))
            root.remove(rel)
        if source in gone:
            parts[rels_name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    for what in dict.fromkeys(_EXTRA_TYPES.values()):
        names = sorted(n for n, kind in extras.items() if kind == what and n in parts and not n.endswith(".rels")
                       and not _routine(what, parts[n]))
        if names:
            warnings.append(f"{shown}: dropped {what} ({', '.join(names)}); an output DOCX carries none")
    for name in list(parts):
        if name in extras or _rels_source(name) in extras:
            del parts[name]
    for name in sorted(parts):
        if not (name.startswith("word/") and name.endswith(".xml")) and name not in gone:
            continue
        root = etree.fromstring(parts[name], _SAFE_PARSER)
        fields: list[str] = []
        changed = name.startswith("word/") and _drop_fields(root, fields)
        changed = _drop_references(root, gone.get(name, set())) or changed
        for instruction in fields:
            effect = "ask to start the program" if instruction.split()[0].upper().startswith("DDE") else "fetch what"
            warnings.append(f"{shown}: dropped a field '{_shorten(' '.join(instruction.split()))}' ({name}); "
                            f"Word would {effect} it names when the file opens")
        if changed:
            parts[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    properties: list[str] = []
    _properties(parts, properties)
    if properties:
        warnings.append(f"{shown}: dropped its document properties ({', '.join(properties)}); "
                        "each DOCX sets its own")
    if "[Content_Types].xml" in parts:
        root = etree.fromstring(parts["[Content_Types].xml"], _SAFE_PARSER)
        present = {name.lower() for name in parts}
        for override in root.findall(f"{{{_CONTENT_TYPES}}}Override"):
            if override.get("PartName", "").lstrip("/").lower() not in present:
                root.remove(override)
        parts["[Content_Types].xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return parts, warnings


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


def style_type_problems(document: DocxDocument) -> list[str]:
    """The styles the renderer uses that the reference file has, but of another type (a character
    style named "Header"): python-docx refuses to apply them. One line each, with the fix."""
    wanted = {**{name: WD_STYLE_TYPE.PARAGRAPH for name in ["Normal", *_PARAGRAPH_STYLES]},
              "Table Grid": WD_STYLE_TYPE.TABLE}
    book = StyleBook(document)
    problems = []
    for name, kind in wanted.items():
        if name in book and book[name].type != kind:
            problems.append(f"style '{name}' is a {book[name].type.name.lower()} style, but teachpack needs a "
                            f"{kind.name.lower()} style of that name; change its type or delete it in the "
                            "reference .docx")
    return problems


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
                style.element.get_or_add_pPr().append(element("w:outlineLvl", w_val=level))
        if name == "Quote":
            style.font.italic = True
        created.append(name)
    if "Table Grid" not in names:
        style = styles.add_style("Table Grid", WD_STYLE_TYPE.TABLE)
        edges = tuple(element(f"w:{edge}", w_val="single", w_sz=4, w_space=0, w_color="auto")
                      for edge in ("top", "left", "bottom", "right", "insideH", "insideV"))
        margins = element("w:tblCellMar", (element("w:left", w_w=108, w_type="dxa"),
                                           element("w:right", w_w=108, w_type="dxa")))
        style.element.append(element("w:tblPr", (element("w:tblBorders", edges), margins)))
        created.append("Table Grid")
    return created
