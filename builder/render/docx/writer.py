"""DOCX renderer: the model -> an editable Word file built on the reference .docx styles."""

from __future__ import annotations

import dataclasses
import io
import itertools
import string
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import docx
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml.ns import qn
from docx.shared import Length, Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from lxml import etree
from pydantic import BaseModel

from builder import __version__
from builder import model as m
from builder.components.registry import component_of
from builder.core import files
from builder.core.errors import BuildError, TeachpackError
from builder.core.files import display_path
from builder.core.paths import TEMPLATES
from builder.core.reproducible import fixed_zip
from builder.render.docx import fonts, xml

if TYPE_CHECKING:
    from builder.render.pdf.raster import Rasteriser

# A drawing's PNG copy: (SVG, width px, height px, document) -> PNG bytes (DocxRenderer.rasterise).
Rasterise = Callable[[str, float, float, m.Document], bytes]
_SVG = "http://www.w3.org/2000/svg"
_SVG_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def checked_drawing(document: m.Document, component: m.Component) -> tuple[str, str, Any, float, float] | None:
    """The SVG drawing `component`'s kind declares (timeline.svg), rendered for `document` as the PDF prints
    it: (template name, SVG text, its parsed root, width and height in px), or None when it prints nothing.
    One clear error, naming the template file, for what cannot go into a DOCX; preflight calls this before
    anything is written."""
    from builder.render.html.page import render_drawing
    from builder.render.html.templates import template_source

    name = component_of(component).drawing
    if name is None:
        raise ValueError(f"component '{component.name}' declares no drawing")  # a bug of the kind, not input
    svg = render_drawing(document, component, name)
    if not svg.strip():
        return None
    shown = display_path(Path(template_source(name, document.styling.template_dirs)[1]))
    try:
        root = etree.fromstring(svg.encode(), _SVG_PARSER)
    except etree.XMLSyntaxError as exc:
        raise TeachpackError(f"{shown}: the DOCX embeds this drawing, but it is not well-formed SVG ({exc.msg}); "
                             "fix the template") from None
    width_px, height_px = (_px(root.get(side)) for side in ("width", "height"))
    if root.tag != f"{{{_SVG}}}svg" or width_px is None or height_px is None:
        raise TeachpackError(f"{shown}: the DOCX embeds this drawing, but it is not one <svg> with a width and "
                             "height in px; fix the template")
    if links := xml.svg_outside_links(root):
        raise TeachpackError(f"{shown}: the DOCX embeds this drawing, which links to '{links[0]}' outside it; "
                             "Word would look for it elsewhere: put it in as a data: URI")
    return name, svg, root, width_px, height_px


def _px(value: str | None) -> float | None:
    """A CSS length in px ("680.3", "680.3px") as a number; None for anything else (mm, %, missing)."""
    text = (value or "").strip().removesuffix("px")
    try:
        number = float(text)
    except ValueError:
        return None
    return number if number > 0 else None

PAPER = {"letter": (Mm(215.9), Mm(279.4)), "a4": (Mm(210), Mm(297))}
MARGIN_X, MARGIN_Y = Mm(18), Mm(20)
MIN_DISTANCE = Mm(5)  # a header or footer teachpack writes sits at least this far from the page's edge


BUILT_IN = TEMPLATES / "reference.docx"
CORE_PROPERTY_MOST = 255  # python-docx refuses a longer title, subject or keywords


def _sanitized(path: Path) -> tuple[bytes, list[str]]:
    """The reference .docx at `path`, read through the guarded reader (inside its own folder, within the
    size and zip limits), with everything external and its own metadata taken out (docx_xml.sanitize_package),
    checked to open in python-docx; and a warning for each thing taken out."""
    shown = display_path(path)
    data = files.read_bytes(path, [path.parent], "docx", shown)
    archive = files.open_zip(data, shown)
    try:
        parts = {name: files.read_member(archive, name, shown) for name in archive.namelist()}
        parts, warnings = xml.sanitize_package(parts, shown)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
            for name, content in parts.items():
                target.writestr(name, content)
        problems = xml.style_type_problems(docx.Document(io.BytesIO(buffer.getvalue())))
    except TeachpackError:
        raise
    except Exception as exc:  # zip, XML and key errors of a damaged file, from zipfile, lxml and python-docx
        raise TeachpackError(f"{shown}: not a usable Word file ({type(exc).__name__}); save it again from Word or "
                             "LibreOffice as .docx") from None
    if problems:
        raise TeachpackError("\n".join(f"{shown}: {problem}" for problem in problems))
    return buffer.getvalue(), warnings


def read_reference(path: Path) -> bytes:
    """A reference .docx, sanitised and checked to open; one clear error if it cannot be used."""
    return _sanitized(path)[0]


def reference_warnings(path: Path | None) -> list[str]:
    """What sanitising the reference .docx at `path` took out, one warning each (none for the built-in one)."""
    if path is None or Path(path).resolve() == BUILT_IN.resolve():
        return []
    return _sanitized(Path(path))[1]


def font_warnings(document: m.Document) -> list[str]:
    """The fonts the DOCX of `document` would name that cannot travel inside it (not installed, or their
    licence or format forbids embedding), one warning each with what Word shows instead (fonts.py): the
    fonts of its styles once the level and theme have set them, and of its reference file's headers."""
    writer = DocxWriter(docx.Document(io.BytesIO(read_reference(document.styling.reference_docx or BUILT_IN))),
                        xml_safe(document))
    writer.set_styles()
    return fonts.warnings({*fonts.named(writer.docx), fonts.SYMBOL_FONTS[0]})


def xml_safe(value: Any) -> Any:
    """`value` (the document model, or any part of it) with every string stripped of the characters
    XML cannot hold (docx_xml.xml_text): python-docx would raise on them. Unchanged parts are kept."""
    if isinstance(value, str):
        return xml.xml_text(value)
    if isinstance(value, tuple | list):
        cleaned = [xml_safe(item) for item in value]
        if all(new is old for new, old in zip(cleaned, value, strict=True)):
            return value
        return value._make(cleaned) if hasattr(value, "_make") else type(value)(cleaned)  # a NamedTuple too
    if isinstance(value, dict):
        cleaned_dict = {xml_safe(k): xml_safe(v) for k, v in value.items()}
        return cleaned_dict if cleaned_dict != value else value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: new for f in dataclasses.fields(value) if f.init
                   for old in [getattr(value, f.name)] for new in [xml_safe(old)] if new is not old}
        return dataclasses.replace(value, **changes) if changes else value
    if isinstance(value, BaseModel):
        updates = {name: new for name in type(value).model_fields
                   for old in [getattr(value, name)] for new in [xml_safe(old)] if new is not old}
        return value.model_copy(update=updates) if updates else value
    return value


def _core_property(text: str) -> str:
    """`text` cut to python-docx's core-property limit (the full title is still in the document)."""
    return text if len(text) <= CORE_PROPERTY_MOST else text[: CORE_PROPERTY_MOST - 1] + "\u2026"


KEY_TEXT, TEACHER_TEXT = "Key Text", "Teacher Text"  # character styles: the primary and the accent colour
SHORT_ROW = 70  # characters: a box table whose rows are all this short (one line each) is kept whole
WORD_BANK, PACK_TABLE = "Word Bank", "Pack Table"  # a boxed paragraph; a table with a shaded header row
HEADINGS = ("Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3")  # set in the level's heading font


class DocxRenderer:
    name = "docx"
    suffix = ".docx"

    def __init__(self) -> None:
        self._references: dict[Path, tuple[bytes, dict[str, str | None]]] = {}  # each read and checked once
        self._rasteriser: Rasteriser | None = None  # made for the first drawing: it loads WeasyPrint

    def rasterise(self, svg: str, width_px: float, height_px: float, document: m.Document) -> bytes:
        """The PNG copy of an SVG drawing (for Word 2013 and LibreOffice), drawn as the PDF draws it."""
        if self._rasteriser is None:
            from builder.render.pdf.raster import Rasteriser

            self._rasteriser = Rasteriser()
        return self._rasteriser.png(svg, width_px, height_px, document)

    def reference(self, path: Path | None) -> bytes:
        """The bytes of the reference .docx (the built-in one when `path` is None), checked to open."""
        path = path or BUILT_IN
        if path not in self._references:
            with files.recording() as log:
                data = read_reference(path)
            self._references[path] = data, dict(log.files)
        data, reads = self._references[path]
        for name, digest in reads.items():  # read once, used by every document: each one records it
            files.remember(Path(name), digest)
        return data

    def render(self, document: m.Document) -> bytes:
        reference = self.reference(document.styling.reference_docx)
        out = DocxWriter(docx.Document(io.BytesIO(reference)), xml_safe(document), self.rasterise)
        out.write()
        buffer = io.BytesIO()
        out.docx.save(buffer)
        return fixed_zip(buffer.getvalue(), document.created)

    def forget(self) -> None:
        """Nothing is kept from one document for the next."""

    def pages(self, data: bytes) -> int | None:
        """Unknown: Word and LibreOffice paginate a DOCX when they open it."""
        return None


class DocxWriter:
    """Writes one Document into a copy of the reference .docx. Components and items write their own
    parts through its public helpers (components/*.py); it sets up the page, styles and properties."""

    def __init__(self, target: DocxDocument, document: m.Document, rasterise: Rasterise | None = None) -> None:
        self.docx = target
        self.doc = document
        self._rasterise = rasterise
        self.parts: list[Paragraph] = []  # the Heading 1 of each part, in order: the cover's contents list them
        self._part_numbers: list[tuple[str, str]] = []  # the words before and after each part's page number
        self._run = "all"  # which pages the part being written is on: Document.page_runs
        self._character_ids: dict[str, str] = {}  # character style name -> its id
        self._contents: Paragraph | None = None  # where the cover's contents go, once every part is written
        self.level = document.level
        self.numbering = xml.Numbering(target)
        self.first_component = True
        self.theme = document.styling.theme
        self.words = document.labels  # the same printed words as the PDF's templates
        palette = self.theme.palette
        self._bookmarks = itertools.count(1)
        self._questions: dict[tuple[str, int], str] = {}  # (worksheet title, number) -> its bookmark
        self._style_numbered = False
        self.ink = RGBColor.from_string(palette["primary"][1:])  # terms, numbers, cover lines
        self.accent = RGBColor.from_string(palette["accent"][1:])  # teacher-only text: edition mark, answers

    _numbered = False  # a teacher edition whose page footers teachpack writes: numbered in runs (Document.page_runs)

    def write(self) -> None:
        body = self.docx.element.body
        xml.inherit_section_parts(self.docx)
        for child in list(body):  # keep only the section properties of the reference file
            if child.tag != qn("w:sectPr"):
                body.remove(child)
        body.get_or_add_sectPr()  # a reference file without one has no page to set up
        self.set_styles()
        xml.set_language(self.docx, self.doc.language)
        xml.complete_zoom(self.docx)
        self._page_setup()
        self._text_styles()
        props = self.docx.core_properties
        props.title = _core_property(self.doc.title)
        props.subject = _core_property(self.doc.subject)
        props.author = "teachpack"
        grades = self.words_for("grade_band_inline", grades=self.level.grades)
        props.keywords = _core_property(f"{self.level.label}; {grades}")
        props.language = self.doc.language
        props.comments = ""
        # Fixed, not the clock or the reference file's history: the same pack gives the same bytes.
        props.created = props.modified = self.doc.created
        props.last_modified_by = "teachpack"
        props.revision = 1
        runs = self.doc.page_runs() if self._numbered else ["all"] * len(self.doc.components)
        for index, component in enumerate(self.doc.components):
            if index and runs[index] != runs[index - 1]:
                self._new_section(runs[index])
            self._run = runs[index]
            self._component(component)
        if self._contents is not None and self.parts:
            xml.add_contents(self._contents, self.parts, self.text_width, self.docx, self._part_numbers)
            xml.update_fields_on_open(self.docx)
        # A line of space below each table, set on what follows it, not an empty paragraph.
        xml.space_after_tables(self.docx, Pt(self.level.font_size * self.level.line_spacing))
        xml.set_compatibility_mode(self.docx)
        for part in (self.docx.settings.element, self.docx.styles.element, self.docx.element.body):
            xml.schema_order(part)
        xml.resolve_theme_fonts(self.docx)
        xml.number_drawings(self.docx)
        fonts.embed(self.docx)  # last: every run is written; lists the fonts in the font table too
        xml.set_application(self.docx, f"teachpack/{__version__}")

    def set_styles(self) -> None:
        """The paragraph styles as the level, the theme and the reference file make them: what the DOCX's
        fonts come from (font_warnings asks before anything is rendered)."""
        xml.ensure_styles(self.docx)
        xml.widow_control(self.docx)  # no paragraph's first or last line alone on a page
        self.style = xml.StyleBook(self.docx)
        self._level_styles()

    def _component(self, component: m.Component) -> None:
        component_of(component).docx(self, component)  # an unregistered node is an error naming it

    # -- page, header, footer, styles ---------------------------------------------------------

    def _page_setup(self) -> None:
        """The page: the built-in reference gets the pack's paper, teachpack's margins and its running header
        and "Page X of Y" footer. A workspace's own reference is the house style: its page size, orientation,
        margins, distances and its headers and footers (first, even, odd) stay; teachpack fills only the
        ones it leaves empty, and fills the placeholders ({pack_title}, {page}, ...) in the ones it has."""
        section = self.docx.sections[-1]
        house = self.doc.styling.reference_docx is not None
        if not house or section.page_width is None or section.page_height is None:
            section.orientation = WD_ORIENT.PORTRAIT
            section.page_width, section.page_height = PAPER[self.doc.paper]
        if not house or None in (section.left_margin, section.right_margin, section.top_margin,
                                 section.bottom_margin):
            section.left_margin = section.right_margin = MARGIN_X
            section.top_margin = section.bottom_margin = MARGIN_Y
        if not house or section.header_distance is None or section.footer_distance is None:
            section.header_distance = section.footer_distance = Mm(9)
        xml.complete_margins(section)
        assert section.page_width is not None and section.left_margin is not None and section.right_margin is not None
        self.text_width = Length(section.page_width - section.left_margin - section.right_margin)
        values = self.placeholders()
        # The cover has neither header nor footer, unless the house style gives its first page one.
        first = [section.first_page_header, section.first_page_footer]
        if not (house and section.different_first_page_header_footer):
            for part in first:
                if not part.is_linked_to_previous:
                    xml.clear_story(part)
        section.different_first_page_header_footer = True
        stories = [(section.header, section.footer)]
        if xml.even_and_odd_headers(self.docx):
            stories.append((section.even_page_header, section.even_page_footer))
        # A teacher edition's pages are numbered in runs (Document.page_runs: T1, T2, the student pages, the key's)
        # when teachpack writes the page footers; a house style's own footer numbers the pages as it does.
        self._numbered = bool(self.doc.teacher_parts) and (not house or all(
            xml.is_blank_story(footer) for _, footer in stories))
        for header, footer in stories:
            if not house or xml.is_blank_story(header):
                self._running_header(header)
                if (section.header_distance or 0) < MIN_DISTANCE:  # LibreOffice writes 0 when it has no header
                    section.header_distance = Mm(9)
            if not house or xml.is_blank_story(footer):
                self._page_footer(footer, "teacher_page" if self._numbered else "page_of")
                if (section.footer_distance or 0) < MIN_DISTANCE:
                    section.footer_distance = Mm(9)
        if self._numbered:
            xml.restart_page_numbers(section, 1)
        for story in [*first, *(part for pair in stories for part in pair)]:
            if not story.is_linked_to_previous:
                xml.fill_placeholders(story, values)

    def placeholders(self) -> dict[str, str | None]:
        """What a reference's headers and footers may name in braces; None marks a Word field."""
        return {"pack_title": self.doc.title, "subtitle": self.doc.subtitle or "", "level": self.level.label,
                "grades": self.grades(),
                "edition": self.doc.edition_label if self.doc.marked else "", "school": self.theme.school or "",
                "page": None, "pages": None}

    def _running_header(self, story: Any) -> None:
        header = next(iter(story.paragraphs), None) or story.add_paragraph()
        xml.clear_story(story, keep=header)
        header.style = self.style["Header"]
        xml.only_tab_stops(header)
        header.paragraph_format.tab_stops.add_tab_stop(self.text_width, WD_TAB_ALIGNMENT.RIGHT)
        if self.theme.logo:
            self.picture(header, self.theme.logo, self.theme.school or self.words["school_logo"], height=Mm(7))
            header.add_run(" ")
        header.add_run(f"{self.theme.school} \u00b7 {self.doc.title}" if self.theme.school else self.doc.title)
        edition = f" \u00b7 {self.doc.edition_label}" if self.doc.marked else ""
        header.add_run("\t" + f"{self.grade_band()}{edition}")

    def _new_section(self, run: str) -> None:
        """A teacher edition's next run of pages (Document.page_runs), in a section of its own starting a new page: the
        student pages numbered as the student handout numbers them (its cover is page 1), then the answer
        key's pages, Key 1, Key 2, ... The PDF numbers those on from the teacher's first pages (T3, T4); a
        DOCX cannot, as Word lays the pages out: only nested field arithmetic could count them, which
        LibreOffice (7.4) prints as garbage. The header goes on from the first section; the footers are
        teachpack's (a house style's own footer numbers the pages in one run: `_numbered`)."""
        section = xml.section_break(self.docx)
        section.different_first_page_header_footer = False  # only the cover's page has none
        covered = bool(self.doc.components) and self.doc.components[0].name == "cover"
        xml.restart_page_numbers(section, 2 if run == "student" and covered else 1)
        stories = [section.footer, *([section.even_page_footer] if xml.even_and_odd_headers(self.docx) else [])]
        for story in stories:
            story.is_linked_to_previous = False
            self._page_footer(story, "key_page" if run == "back" else "page_number")
        self.first_component = True  # the section starts the page: its first heading needs no page break

    def _page_footer(self, story: Any, label: str = "page_of") -> None:
        footer = next(iter(story.paragraphs), None) or story.add_paragraph()
        xml.clear_story(story, keep=footer)
        footer.style = self.style["Footer"]
        footer.alignment = 1  # centre
        fields = {"page": "PAGE", "pages": "NUMPAGES"}  # "Page {page} of {pages}": the label's names as Word fields
        for text, name, _, _ in string.Formatter().parse(self.words[label]):
            if text:
                footer.add_run(text)
            if name:
                xml.add_field(footer, fields[name])

    def _text_styles(self) -> None:
        """The styles that carry every colour, so a reference file (or a teacher in Word) recolours it in one
        place: the character styles Key Text and Teacher Text, the word bank's box (Word Bank), the writing
        lines (Answer Line) and the data tables' shaded header row (Pack Table); made in the theme's colours
        when the reference has none of that name (or, for the last three, gives them no border or shading)."""
        names = {style.name for style in self.docx.styles}
        for name, color in ((KEY_TEXT, self.ink), (TEACHER_TEXT, self.accent)):
            if name not in names:
                self.docx.styles.add_style(name, WD_STYLE_TYPE.CHARACTER).font.color.rgb = color
            elif self.doc.styling.reference_docx is None and name == KEY_TEXT and "primary" in dict(self.theme.colors):
                self.docx.styles[name].font.color.rgb = color
        palette = self.theme.palette
        if WORD_BANK not in names:
            self.docx.styles.add_style(WORD_BANK, WD_STYLE_TYPE.PARAGRAPH).base_style = self.style["Normal"]
        xml.box_style(self.docx.styles[WORD_BANK], palette["primary"][1:].upper())
        xml.rule_style(self.style["Answer Line"])
        if PACK_TABLE not in names:
            table = self.docx.styles.add_style(PACK_TABLE, WD_STYLE_TYPE.TABLE)
            table.base_style = self.style["Table Grid"]
        xml.header_row_style(self.docx.styles[PACK_TABLE], palette["highlight"][1:].upper())

    def key(self, run: Run) -> Run:
        """Mark a run as key text (terms at first use, numbers, the cover's lines): the primary colour."""
        return self._character_style(run, KEY_TEXT)

    def teacher(self, run: Run) -> Run:
        """Mark a run as for the teacher (answers, the edition mark): the accent colour."""
        return self._character_style(run, TEACHER_TEXT)

    def _character_style(self, run: Run, name: str) -> Run:
        """Set by the style's id, as `para` does: python-docx's lookup by name scans every style each time."""
        if name not in self._character_ids:
            self._character_ids[name] = self.docx.styles[name].style_id
        run._r.get_or_add_rPr().style = self._character_ids[name]
        return run

    def _theme_styles(self) -> None:
        """A theme restyles the built-in reference file; a workspace's own reference .docx is the authority
        for Word styles, so the theme leaves it alone (its logo and school name still appear)."""
        if self.doc.styling.reference_docx is not None:
            return
        given = dict(self.theme.colors)
        headings = ("Title", "Heading 1", "Heading 2", "Heading 3")
        if "primary" in given:
            for name in headings:
                self.style[name].font.color.rgb = self.ink
        if "text" in given:
            self.style["Normal"].font.color.rgb = RGBColor.from_string(given["text"][1:])
        if self.theme.body_font:
            xml.set_font(self.style["Normal"], self.theme.body_font)
        if self.theme.heading_font:
            for name in (*headings, "Subtitle"):
                xml.set_font(self.style[name], self.theme.heading_font)

    def _level_styles(self) -> None:
        """The level sets the type size and line spacing, and with the built-in reference file its fonts;
        a workspace's own reference file keeps its fonts (its house style) unless an access preset names one."""
        normal = self.style["Normal"]
        # Headings keep the reference file's proportions to the body text.
        scale = self.level.font_size / (normal.font.size.pt if normal.font.size else 11)
        for name in HEADINGS:
            font = self.style[name].font
            if font.size:
                font.size = Pt(round(font.size.pt * scale * 2) / 2)
        normal.font.size = Pt(self.level.font_size)
        if self.doc.styling.reference_docx is None:  # the PDF's fonts; a theme's fonts still win (_theme_styles)
            xml.set_font(normal, self.level.font_family)
            for name in HEADINGS:
                xml.set_font(self.style[name], self.level.heading_family)
            # The built-in file's captions are #4F81BD, 4.0:1 on white (below WCAG AA): the PDF's figcaption grey.
            self.style["Caption"].font.color.rgb = RGBColor(0x44, 0x44, 0x44)
        if self.level.docx_font:  # an access preset's font wins over the reference file's
            for name in ("Normal", *HEADINGS):
                xml.set_font(self.style[name], self.level.docx_font)
        self._theme_styles()
        # The level's spacing as the PDF has it, times the type size, whatever the font's own line height.
        normal.paragraph_format.line_spacing = fonts.line_spacing(normal.font.name, self.level.line_spacing)
        for name in ("List Number", "List Bullet", "Quote", "Answer Line"):
            self.style[name].base_style = normal
        # No style smaller than the level's smallest type (large print: 18 pt), headers and footers included.
        smallest = Pt(self.level.min_type)
        for style in self.docx.styles:
            font = getattr(style, "font", None)
            if font is not None and font.size is not None and font.size < smallest:
                font.size = smallest

    # -- helpers -----------------------------------------------------------------------------

    def words_for(self, key: str, **values: object) -> str:
        """The label `key` with its {names} filled in."""
        return self.words[key].format(**values)

    def grade_band(self) -> str:
        """"Elementary · Grades 3–5", as on the cover and in the header."""
        return f"{self.level.label} \u00b7 {self.grades()}"

    def grades(self) -> str:
        """"Grades 6–8", with an en dash, as the cover and the header print it."""
        return self.words_for("grade_band", grades=self.level.grades.replace("-", "\u2013"))

    def para(self, text: str = "", style: str | None = None) -> Paragraph:
        """A new paragraph in `style`, set by its id: python-docx's lookup by name scans every style
        of the reference file for each paragraph, which was half the DOCX time."""
        paragraph = self.docx.add_paragraph(text)
        if style is not None:
            paragraph._p.get_or_add_pPr().style = self.style[style].style_id
        return paragraph

    def picture(self, paragraph: Paragraph, path: Path, alt: str, **size: Length) -> None:
        """A picture (a figure, the logo) with its alt text; one clear error for a file python-docx cannot read.
        Read through files.py like every input: from the pack folder or the logo file, nothing else."""
        roots = (Path(self.doc.base_dir), *([Path(self.theme.logo)] if self.theme.logo else []))
        data = files.read_bytes(Path(path), roots, "image", display_path(Path(path)))
        try:
            shape = paragraph.add_run().add_picture(io.BytesIO(data), **size)
        except Exception as exc:  # python-docx raises assorted errors for images it cannot read
            raise BuildError(f"{display_path(path)}: this image cannot go into a DOCX ({type(exc).__name__}); "
                             "use PNG or JPEG") from None
        shape._inline.docPr.set("descr", alt)

    def heading(self, text: str, level: int) -> Paragraph:
        if level == 1 and not self.first_component:
            xml.drop_trailing_spacer(self.docx)  # it would be alone on a page after a full one
        paragraph = self.para(text, f"Heading {level}")
        if level == 1:
            if not self.first_component:
                paragraph.paragraph_format.page_break_before = True
            self.first_component = False
            self.parts.append(paragraph)
            # The contents print a teacher page's number as its footer does (T2, Key 1): the words around {page}.
            label = {"front": "teacher_number", "back": "key_number"}.get(self._run)
            before, _, after = self.words[label].partition("{page}") if label else ("", "", "")
            self._part_numbers.append((before, after))
        return paragraph

    def contents(self) -> None:
        """The contents of the pack here (the cover's "In this pack"): every part's Heading 1 with its page
        number, written once the parts are (DocxWriter.write)."""
        self._contents = self.para()

    def block_words(self, component: m.Component, block: str) -> list[str]:
        """The words the PDF prints in `block` of `component`'s template, a workspace's override included
        (the district's Name / Period / Teacher): a block its kind lists in `docx_blocks`."""
        from builder.render.html.page import block_words

        if block not in component_of(component).docx_blocks:
            raise ValueError(f"block '{block}' of component '{component.name}' is not in its docx_blocks")
        return block_words(self.doc, component, block)

    def drawing(self, component: m.Component, room: Length | None = None) -> None:
        """The SVG drawing the PDF prints for `component` (its kind's `drawing` template, rendered for this
        document) as a picture the width of the text and at most `room` tall (default: a page less a heading):
        the SVG for Word 2016 and later, a PNG of it for older Word and LibreOffice, its <title> as alt text.
        Nothing when the template prints nothing (a timeline without events)."""
        drawn = checked_drawing(self.doc, component)
        if drawn is None:
            return
        name, svg, root, width_px, height_px = drawn
        assert self._rasterise is not None, "a DocxWriter that draws pictures is given a rasteriser"
        png = self._rasterise(svg, width_px, height_px, self.doc)
        if room is None:
            room = self.room_below_heading()
        width = self.text_width
        height = Length(int(width * height_px / width_px))
        if height > room:  # taller than the page leaves: scale it down, keeping its proportions
            width, height = Length(int(width * room / height)), room
        paragraph = self.para()
        fmt = paragraph.paragraph_format
        fmt.line_spacing = 1.0  # a picture's line is the picture: a level's wider spacing would add to it
        fmt.space_before = fmt.space_after = Pt(4)
        fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
        shape = paragraph.add_run().add_picture(io.BytesIO(png), width=width, height=height)
        title = root.find(f"{{{_SVG}}}title")
        shape._inline.docPr.set("descr", " ".join("".join(title.itertext()).split()) if title is not None else "")
        shape._inline.docPr.set("name", name)
        xml.add_svg(self.docx, shape._inline, b'<?xml version="1.0" encoding="UTF-8"?>\n' + svg.strip().encode())

    def room_below_heading(self) -> Length:
        """The height a page leaves under a part's Heading 1 and a two-line note, generously counted."""
        heading = self.style["Heading 1"]
        heading_pt = heading.font.size.pt if heading.font.size else 18
        fmt = heading.paragraph_format
        spacing = sum(length.pt for length in (fmt.space_before, fmt.space_after) if length is not None)
        body_pt = self.level.font_size * self.level.line_spacing
        used = Pt(heading_pt * 1.3 + spacing + 2 * body_pt + 24)
        return Length(PAPER[self.doc.paper][1] - 2 * MARGIN_Y - used)

    def runs(self, paragraph: Paragraph, runs: m.Runs) -> None:
        for item in runs:
            if item.line_break:
                paragraph.add_run().add_break(WD_BREAK.LINE)
                continue
            if item.href and item.href.startswith(("http://", "https://", "mailto:")):
                run = xml.add_hyperlink(paragraph, item.text, item.href, self.docx)
            else:  # a place in the document (#...) has no bookmark in the DOCX: its text only
                run = paragraph.add_run(item.text)
            run.bold = item.bold or None
            run.italic = item.italic or None
            if item.term:
                self.key(run)
            if item.code:
                run.font.name = "Courier New"

    def bookmark(self, paragraph: Paragraph, name: str) -> str:
        """A bookmark on `paragraph`, its id unique in the document; returns `name`."""
        xml.add_bookmark(paragraph, name, next(self._bookmarks))
        return name

    def question_list(self) -> int | None:
        """The numbering of a worksheet's questions: None for the first worksheet, whose questions the List
        Number style numbers (its own list, linked when the reference's style has none); a fresh list
        restarting at 1 for each later one."""
        if not self._style_numbered:
            self.numbering.style_list(self.style["List Number"])
            self._style_numbered = True
            return None
        return self.numbering.new_list("decimal")

    def question_mark(self, paragraph: Paragraph, worksheet: str, number: int) -> None:
        """Bookmark a question's prompt, for the answer key's REF field to its number."""
        self._questions[(worksheet, number)] = self.bookmark(paragraph, f"_TpQ{len(self._questions) + 1}")

    def question_number(self, paragraph: Paragraph, worksheet: str, number: int) -> None:
        """The number of question `number` of `worksheet`, in bold: a REF field to the question's own
        numbering, so the key follows when a teacher adds or deletes a question and updates fields
        (Word: F9; LibreOffice updates them as it lays out); its text as printed until then."""
        mark = self._questions.get((worksheet, number))
        before = len(paragraph.runs)
        if mark is None:  # a key without its worksheet in this document
            paragraph.add_run(str(number))
        else:
            xml.add_field(paragraph, f"REF {mark} \\r \\h", str(number))
        for run in paragraph.runs[before:]:
            run.bold = True

    def add_list(self, items: tuple[m.Runs, ...], fmt: str, style: str, start: int = 1) -> list[Paragraph]:
        num_id = self.numbering.new_list(fmt, start)
        paragraphs = []
        for item in items:
            paragraph = self.para(style=style)
            xml.set_numbering(paragraph, num_id)
            self.runs(paragraph, item)
            paragraphs.append(paragraph)
        return paragraphs

    def table(self, header: tuple[str, ...], rows: Sequence[tuple[str, ...]], widths: tuple[float, ...],
              title: str | None = None) -> None:
        """A data table: a header row of `header`, then `rows`, in the Pack Table style, its alt text
        `title` (default: the heading of the part it is in) and its columns as the description."""
        table = self.docx.add_table(rows=1, cols=len(header))
        table.style = self.docx.styles[PACK_TABLE]  # its first row shaded in the style, not cell by cell
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, text in zip(table.rows[0].cells, header, strict=False):
            cell.text = ""
            run = cell.paragraphs[0].add_run(text)
            run.bold = True
        for values in rows:
            cells = table.add_row().cells
            for i, (cell, text) in enumerate(zip(cells, values, strict=False)):
                cell.text = ""
                run = cell.paragraphs[0].add_run(text)
                run.bold = (i == 0) or None
        # Word reads the cell widths, LibreOffice the grid columns: set both.
        table.autofit = False
        for column, share in zip(table.columns, widths, strict=False):
            column.width = int(self.text_width * share)
        for row in table.rows:
            for cell, share in zip(row.cells, widths, strict=False):
                cell.width = int(self.text_width * share)
        if title is None:
            title = self.parts[-1].text if self.parts else self.doc.title
        xml.data_table(table, title, ", ".join(header))
        self.docx.add_paragraph()  # the space below it: space_after_tables moves it onto what follows

    def answer_lines(self, count: int) -> None:
        """Ruled lines to write on, kept on one page with each other and with the prompt before them."""
        for number in range(count):
            line = self.para(style="Answer Line")
            fmt = line.paragraph_format
            fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            fmt.line_spacing = Mm(self.level.answer_line_mm)
            fmt.space_after = Pt(0)
            fmt.left_indent = Mm(7.5)
            fmt.keep_together = True
            fmt.keep_with_next = number < count - 1 or None  # the rule under it is the Answer Line style's

    def true_false(self) -> Paragraph:
        """A paragraph with the two boxes to tick under a true-or-false statement, a wide gap between them."""
        paragraph = self.para(f"\u2610 {self.words['answer_true']}")
        self.gap(paragraph, 2)
        paragraph.add_run(f"\u2610 {self.words['answer_false']}")
        return paragraph

    def gap(self, paragraph: Paragraph, ems: float) -> Run:
        """A space `ems` wide (in the level's type size) between two things on one line: one widened space,
        never a row of spaces (Word's checker: repeated blank characters)."""
        return xml.add_gap(paragraph, self.level.font_size * (ems - 0.25))

    def indent(self, paragraph: Paragraph, keep: bool = False) -> Paragraph:
        fmt = paragraph.paragraph_format
        listed = paragraph._p.style == self.style["List Number"].style_id
        fmt.left_indent = Mm(15) if listed else Mm(7.5)
        fmt.space_after = Pt(2)
        fmt.keep_with_next = keep or None
        return paragraph

    def grid(self, rows: Sequence[Sequence[tuple[str, bool]]], numbers: bool) -> None:
        """A puzzle's squares as a table of equal square cells, kept on one page with the paragraph after it.
        Each cell is (text, blank): a line goes round every square but the blank ones (a crossword's unused
        squares). `numbers`: the text is a crossword's clue number, small in the top left corner (never below
        the level's smallest type); else a letter, centred at the level's size."""
        width = len(rows[0])
        # As in the PDF: about twice the type tall, at most 10 or 11 mm, never wider than the page allows.
        side = Length(min(int(Mm(10 if numbers else 11)), int(self.text_width * 0.9 / width),
                          int(Pt(self.level.font_size * 2.3))))
        table = self.docx.add_table(rows=0, cols=width)
        table.autofit = False
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        size = Pt(max(self.level.font_size * 0.55, self.level.min_type) if numbers else self.level.font_size)
        place = WD_CELL_VERTICAL_ALIGNMENT.TOP if numbers else WD_CELL_VERTICAL_ALIGNMENT.CENTER
        for values in rows:
            row = table.add_row()
            row.height, row.height_rule = side, WD_ROW_HEIGHT_RULE.EXACTLY
            xml.keep_row(row)
            for cell, (text, blank) in zip(row.cells, values, strict=True):
                cell.width = side
                cell.vertical_alignment = place
                paragraph = cell.paragraphs[0]
                fmt = paragraph.paragraph_format
                fmt.line_spacing, fmt.space_before, fmt.space_after = 1.0, Pt(0), Pt(0)
                fmt.alignment = WD_ALIGN_PARAGRAPH.LEFT if numbers else WD_ALIGN_PARAGRAPH.CENTER
                fmt.left_indent = Pt(1.5) if numbers else None  # off the square's line
                if text:
                    run = paragraph.add_run(text)
                    run.font.size = size
                if not blank:
                    xml.cell_lines(cell, "222222" if numbers else "AAAAAA")
        for column in table.columns:
            column.width = side
        xml.layout_table(table)
        xml.no_cell_margins(table)
        xml.keep_table_together(table)
        for cell in table.rows[-1].cells:  # and with the heading under it (the clues, the words to find)
            cell.paragraphs[0].paragraph_format.keep_with_next = True
        self.docx.add_paragraph()  # the space below it: space_after_tables moves it onto what follows

    def boxes(self, rows: Sequence[tuple[str, ...]], widths: tuple[float, ...],
              numbered: tuple[str | None, ...] = ()) -> None:
        """A borderless table whose first column is a box to write a letter or number in. A column whose
        `numbered` format is given ("decimal", "upperLetter") numbers its cells as one real list."""
        table = self.docx.add_table(rows=0, cols=len(widths))
        table.autofit = False
        lists = [self.numbering.new_list(fmt) if fmt else None for fmt in numbered]
        for values in rows:
            cells = table.add_row().cells
            box = cells[0].paragraphs[0].add_run("\u2610")
            box.font.size = Pt(self.level.font_size * 1.8)  # its font: the first with a ballot box (fonts.py)
            for column, (cell, text) in enumerate(zip(cells[1:], values, strict=False)):
                cell.text = text
                num_id = lists[column] if column < len(lists) else None
                if num_id is not None and text:
                    xml.set_numbering(cell.paragraphs[0], num_id)
        for column, share in zip(table.columns, widths, strict=False):
            column.width = int(self.text_width * share)
        for row in table.rows:
            xml.keep_row(row)
            for cell, share in zip(row.cells, widths, strict=False):
                cell.width = int(self.text_width * share)
        # A table of short rows (sequencing) stays whole with its question; a longer one (matching with
        # definitions) keeps its first two rows with it and may break between rows after them, or the
        # question would leave a page holding only what came before it (the worksheet's title, alone).
        short = len(rows) <= 10 and all(len(" ".join(values)) <= SHORT_ROW for values in rows)
        xml.keep_table_together(table, None if short else 2)
        xml.layout_table(table)
        self.docx.add_paragraph()  # the space below it: space_after_tables moves it onto what follows
