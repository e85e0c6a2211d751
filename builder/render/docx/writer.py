"""DOCX renderer: the model -> an editable Word file built on the reference .docx styles."""

from __future__ import annotations

import dataclasses
import io
import string
import zipfile
from pathlib import Path
from typing import Any

import docx
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_BREAK, WD_LINE_SPACING, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.shared import Length, Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph
from pydantic import BaseModel

from builder import model as m
from builder.core import files
from builder.core.errors import BuildError, TeachpackError
from builder.core.files import display_path
from builder.core.paths import TEMPLATES
from builder.core.reproducible import fixed_zip
from builder.render.docx import xml

PAPER = {"letter": (Mm(215.9), Mm(279.4)), "a4": (Mm(210), Mm(297))}
MARGIN_X, MARGIN_Y = Mm(18), Mm(20)
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


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


class DocxRenderer:
    name = "docx"
    suffix = ".docx"

    def __init__(self) -> None:
        self._references: dict[Path, tuple[bytes, dict[str, str | None]]] = {}  # each read and checked once

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
        out = _Writer(docx.Document(io.BytesIO(reference)), xml_safe(document))
        out.write()
        buffer = io.BytesIO()
        out.docx.save(buffer)
        return fixed_zip(buffer.getvalue(), document.created)

    def pages(self, data: bytes) -> int | None:
        """Unknown: Word and LibreOffice paginate a DOCX when they open it."""
        return None


class _Writer:
    def __init__(self, target: DocxDocument, document: m.Document) -> None:
        self.docx = target
        self.doc = document
        self.level = document.level
        self.numbering = xml.Numbering(target)
        self.first_component = True
        self.theme = document.styling.theme
        self.words = document.labels  # the same printed words as the PDF's templates
        palette = self.theme.palette
        self.ink = RGBColor.from_string(palette["primary"][1:])  # terms, numbers, cover lines
        self.accent = RGBColor.from_string(palette["accent"][1:])  # teacher-only text: edition mark, answers

    def write(self) -> None:
        body = self.docx.element.body
        for child in list(body):  # keep only the section properties of the reference file
            if child.tag != xml.qn("w:sectPr"):
                body.remove(child)
        body.get_or_add_sectPr()  # a reference file without one has no page to set up
        xml.ensure_styles(self.docx)
        self.style = xml.StyleBook(self.docx)
        xml.set_language(self.docx, self.doc.language)
        xml.complete_zoom(self.docx)
        self._page_setup()
        self._level_styles()
        props = self.docx.core_properties
        props.title = _core_property(self.doc.title)
        props.subject = _core_property(self.doc.subject)
        props.author = "teachpack"
        grades = self._words("grade_band_inline", grades=self.level.grades)
        props.keywords = _core_property(f"{self.level.label}; {grades}")
        props.language = self.doc.language
        props.comments = ""
        # Fixed, not the clock or the reference file's history: the same pack gives the same bytes.
        props.created = props.modified = self.doc.created
        props.last_modified_by = "teachpack"
        props.revision = 1
        for component in self.doc.components:
            self._component(component)

    def _component(self, component: m.Component) -> None:
        writers = {
            m.Cover: self._cover,
            m.Article: self._article,
            m.Glossary: self._glossary,
            m.Timeline: self._timeline,
            m.Worksheet: self._worksheet,
            m.Overview: self._overview,
            m.AnswerKey: self._answer_key,
            m.Custom: self._custom,
        }
        writers[type(component)](component)  # type: ignore[operator]

    # -- page, header, footer, styles ---------------------------------------------------------

    def _page_setup(self) -> None:
        width, height = PAPER[self.doc.paper]
        section = self.docx.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = width, height
        section.left_margin = section.right_margin = MARGIN_X
        section.top_margin = section.bottom_margin = MARGIN_Y
        section.header_distance = section.footer_distance = Mm(9)
        section.different_first_page_header_footer = True  # the cover has neither
        text_width = width - 2 * MARGIN_X

        header = next(iter(section.header.paragraphs), None) or section.header.add_paragraph()
        header.text = ""
        header.style = self.style["Header"]
        xml.only_tab_stops(header)
        header.paragraph_format.tab_stops.add_tab_stop(text_width, WD_TAB_ALIGNMENT.RIGHT)
        if self.theme.logo:
            self._picture(header, self.theme.logo, self.theme.school or self.words["school_logo"], height=Mm(7))
            header.add_run("  ")
        header.add_run(f"{self.theme.school} \u00b7 {self.doc.title}" if self.theme.school else self.doc.title)
        edition = f" \u00b7 {self.doc.edition_label}" if self.doc.marked else ""
        header.add_run("\t" + f"{self._grade_band()}{edition}")

        footer = next(iter(section.footer.paragraphs), None) or section.footer.add_paragraph()
        footer.text = ""
        footer.style = self.style["Footer"]
        footer.alignment = 1  # centre
        fields = {"page": "PAGE", "pages": "NUMPAGES"}  # "Page {page} of {pages}": the label's names as Word fields
        for text, name, _, _ in string.Formatter().parse(self.words["page_of"]):
            if text:
                footer.add_run(text)
            if name:
                xml.add_field(footer, fields[name])
        self.text_width = text_width

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
        """The level sets the type size and line spacing; the reference file sets the rest."""
        normal = self.style["Normal"]
        # Headings keep the reference file's proportions to the body text.
        scale = self.level.font_size / (normal.font.size.pt if normal.font.size else 11)
        for name in ("Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3"):
            font = self.style[name].font
            if font.size:
                font.size = Pt(round(font.size.pt * scale * 2) / 2)
        normal.font.size = Pt(self.level.font_size)
        if self.level.docx_font:  # an access preset's font wins over the reference file's
            for name in ("Normal", "Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3"):
                xml.set_font(self.style[name], self.level.docx_font)
        normal.paragraph_format.line_spacing = self.level.line_spacing
        self._theme_styles()
        for name in ("List Number", "List Bullet", "Quote", "Answer Line"):
            self.style[name].base_style = normal

    # -- helpers -----------------------------------------------------------------------------

    def _words(self, key: str, **values: object) -> str:
        """The label `key` with its {names} filled in."""
        return self.words[key].format(**values)

    def _grade_band(self) -> str:
        """"Elementary · Grades 3–5", as on the cover and in the header."""
        grades = self.level.grades.replace("-", "\u2013")
        return f"{self.level.label} \u00b7 {self._words('grade_band', grades=grades)}"

    def _para(self, text: str = "", style: str | None = None) -> Paragraph:
        """A new paragraph in `style`, set by its id: python-docx's lookup by name scans every style
        of the reference file for each paragraph, which was half the DOCX time."""
        paragraph = self.docx.add_paragraph(text)
        if style is not None:
            paragraph._p.get_or_add_pPr().style = self.style[style].style_id
        return paragraph

    def _picture(self, paragraph: Paragraph, path: Path, alt: str, **size: Length) -> None:
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

    def _heading(self, text: str, level: int) -> Paragraph:
        paragraph = self._para(text, f"Heading {level}")
        if level == 1:
            if not self.first_component:
                paragraph.paragraph_format.page_break_before = True
            self.first_component = False
        return paragraph

    def _runs(self, paragraph: Paragraph, runs: m.Runs) -> None:
        for item in runs:
            if item.line_break:
                paragraph.add_run().add_break(WD_BREAK.LINE)
                continue
            run = paragraph.add_run(item.text)
            run.bold = item.bold or None
            run.italic = item.italic or None
            if item.term:
                run.font.color.rgb = self.ink
            if item.code:
                run.font.name = "Courier New"

    def _list(self, items: tuple[m.Runs, ...], fmt: str, style: str, start: int = 1) -> list[Paragraph]:
        num_id = self.numbering.new_list(fmt, start)
        paragraphs = []
        for item in items:
            paragraph = self._para(style=style)
            xml.set_numbering(paragraph, num_id)
            self._runs(paragraph, item)
            paragraphs.append(paragraph)
        return paragraphs

    def _table(self, header: tuple[str, ...], rows: list[tuple[str, ...]], widths: tuple[float, ...]) -> None:
        table = self.docx.add_table(rows=1, cols=len(header))
        table.style = self.style["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, text in zip(table.rows[0].cells, header, strict=False):
            cell.text = ""
            run = cell.paragraphs[0].add_run(text)
            run.bold = True
            xml.shade(cell, "E4EEF5")
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
        xml.repeat_header(table)
        self.docx.add_paragraph()

    def _answer_lines(self, count: int) -> None:
        for _ in range(count):
            line = self._para(style="Answer Line")
            fmt = line.paragraph_format
            fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            fmt.line_spacing = Mm(self.level.answer_line_mm)
            fmt.space_after = Pt(0)
            fmt.left_indent = Mm(7.5)
            fmt.keep_together = True
            xml.bottom_border(line)

    # -- components --------------------------------------------------------------------------

    def _cover(self, component: m.Cover) -> None:
        self.first_component = False
        if self.theme.logo or self.theme.school:
            school = self.docx.add_paragraph()
            school.paragraph_format.space_before = Pt(40)
            if self.theme.logo:
                self._picture(school, self.theme.logo, self.theme.school or self.words["school_logo"], height=Mm(20))
                school.add_run("   ")
            if self.theme.school:
                name = school.add_run(self.theme.school)
                name.bold = True
                name.font.size = Pt(self.level.font_size * 1.15)
                name.font.color.rgb = self.ink
        subject = self.docx.add_paragraph()
        subject.paragraph_format.space_before = Pt(30 if self.theme.logo or self.theme.school else 90)
        run = subject.add_run(self.doc.subject.upper())
        run.font.color.rgb = self.ink
        run.bold = True
        self._para(self.doc.title, "Title")
        if self.doc.subtitle:
            self._para(self.doc.subtitle, "Subtitle")
        level = self.docx.add_paragraph()
        level.paragraph_format.space_after = Pt(36)
        run = level.add_run(self._grade_band())
        run.bold = True
        run.font.color.rgb = self.ink
        if self.doc.marked:
            level.paragraph_format.space_after = Pt(6)
            edition = self.docx.add_paragraph()
            edition.paragraph_format.space_after = Pt(30)
            mark = edition.add_run(self.doc.edition_label)
            mark.bold = True
            mark.font.color.rgb = self.accent
        for label in (self.words["name"], self.words["class"], self.words["date"]):
            line = self.docx.add_paragraph()
            line.paragraph_format.space_before = Pt(14)
            line.paragraph_format.tab_stops.add_tab_stop(self.text_width, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.HEAVY)
            line.add_run(label).bold = True
            line.add_run("\t")
        parts = [c for c in self.doc.components if c.name != "cover"]
        if parts:
            heading = self.docx.add_paragraph()
            heading.paragraph_format.space_before = Pt(40)
            run = heading.add_run(self.words["in_this_pack"])
            run.bold = True
            run.font.color.rgb = self.ink
            for part in parts:
                self._para(part.title, "List Bullet")

    def _article(self, component: m.Article) -> None:
        self._heading(f"{component.title}: {self.doc.title}", 1)
        for section in component.sections:
            self._heading(section.title, 2)
            for block in section.blocks:
                self._block(block)
        if component.attribution:
            credit = self.docx.add_paragraph()
            credit.paragraph_format.space_before = Pt(18)
            credit.add_run(component.attribution).italic = True
        if component.sources:
            self._heading(self.words["sources"], 3)
            self._list(tuple((m.Run(s),) for s in component.sources), "bullet", "List Bullet")

    def _block(self, block: m.Block) -> None:
        if isinstance(block, m.Paragraph):
            self._runs(self.docx.add_paragraph(), block.runs)
        elif isinstance(block, m.Subheading):
            self._runs(self._para(style="Heading 3"), block.runs)
        elif isinstance(block, m.ListBlock):
            if block.ordered:
                self._list(block.items, "decimal", "List Number", block.start)
            else:
                self._list(block.items, "bullet", "List Bullet")
        elif isinstance(block, m.Quote):
            for runs in block.paragraphs:
                self._runs(self._para(style="Quote"), runs)
        elif isinstance(block, m.Figure):
            self._figure(block)

    def _figure(self, figure: m.Figure) -> None:
        paragraph = self.docx.add_paragraph()
        paragraph.alignment = 1
        self._picture(paragraph, figure.path, figure.alt, width=min(self.text_width, Mm(150)))
        if figure.caption:
            self._para(figure.caption, "Caption")

    def _glossary(self, component: m.Glossary) -> None:
        self._heading(component.title, 1)
        rows = [(i.term, i.definition) for i in component.items]
        self._table((self.words["term"], self.words["meaning"]), rows, (0.3, 0.7))

    def _timeline(self, component: m.Timeline) -> None:
        self._heading(component.title, 1)
        rows = [(i.span.label(), i.title, i.detail or "") for i in component.items]
        headers = (self.words["event_date"], self.words["event"], self.words["event_details"])
        self._table(headers, rows, (0.24, 0.33, 0.43))

    def _worksheet(self, component: m.Worksheet) -> None:
        self._heading(component.title, 1)
        if component.name == "worksheet":
            name = self.docx.add_paragraph()
            name.paragraph_format.tab_stops.add_tab_stop(Mm(100), WD_TAB_ALIGNMENT.LEFT, WD_TAB_LEADER.HEAVY)
            name.add_run(self.words["name"]).bold = True
            name.add_run("\t")
        numbers = self.numbering.new_list("decimal")
        for item in component.items:
            prompt = self._para(style="List Number")
            xml.set_numbering(prompt, numbers)
            prompt.paragraph_format.space_before = Pt(10)
            prompt.paragraph_format.keep_with_next = True
            if isinstance(item, m.Question):
                prompt.add_run(item.prompt)
                self._question(item)
            else:
                heading = prompt.add_run(f"{item.title}. ")
                heading.bold = True
                heading.font.color.rgb = self.ink
                prompt.add_run(item.instructions)
                self._activity(item)

    def _question(self, question: m.Question) -> None:
        if question.type == "multiple-choice":
            for paragraph in self._list(tuple((m.Run(c),) for c in question.choices), "upperLetter", "List Number"):
                self._indent(paragraph, keep=True)
        elif question.type == "true-false":
            self._indent(self.docx.add_paragraph(self._true_false()))
        else:
            self._answer_lines(question.lines)

    def _true_false(self) -> str:
        """The two boxes to tick under a true-or-false statement."""
        return f"\u2610 {self.words['answer_true']}        \u2610 {self.words['answer_false']}"

    def _indent(self, paragraph: Paragraph, keep: bool = False) -> Paragraph:
        fmt = paragraph.paragraph_format
        listed = paragraph._p.style == self.style["List Number"].style_id
        fmt.left_indent = Mm(15) if listed else Mm(7.5)
        fmt.space_after = Pt(2)
        fmt.keep_with_next = keep or None
        return paragraph

    def _boxes(self, rows: list[tuple[str, ...]], widths: tuple[float, ...]) -> None:
        """A borderless table whose first column is a box to write a letter or number in."""
        table = self.docx.add_table(rows=0, cols=len(widths))
        table.autofit = False
        for values in rows:
            cells = table.add_row().cells
            box = cells[0].paragraphs[0].add_run("\u2610")
            box.font.size = Pt(self.level.font_size * 1.8)
            box.font.name = "DejaVu Sans"  # a ballot box in every install; Calibri has none
            for cell, text in zip(cells[1:], values, strict=False):
                cell.text = text
        for column, share in zip(table.columns, widths, strict=False):
            column.width = int(self.text_width * share)
        for row in table.rows:
            xml.keep_row(row)
            for cell, share in zip(row.cells, widths, strict=False):
                cell.width = int(self.text_width * share)
        self.docx.add_paragraph().paragraph_format.space_after = Pt(0)

    def _activity(self, item: m.Item) -> None:
        if isinstance(item, m.Matching):
            rows = []
            for i in range(max(len(item.prompts), len(item.options))):
                prompt = f"{i + 1}. {item.prompts[i]}" if i < len(item.prompts) else ""
                option = f"{LETTERS[i]}. {item.options[i]}" if i < len(item.options) else ""
                rows.append((prompt, option))
            self._boxes(rows, (0.07, 0.33, 0.6))
        elif isinstance(item, m.Cloze):
            if item.bank:
                bank = self._indent(self.docx.add_paragraph())
                bank.add_run(f"{self.words['word_bank']}:   ").bold = True
                bank.add_run("     ".join(item.bank))
                xml.box_paragraph(bank)
            for sentence in item.sentences:
                paragraph = self._indent(self.docx.add_paragraph())
                for piece in sentence:
                    # Every blank the same length, so its size gives nothing away.
                    paragraph.add_run(f"({piece}) ________________" if isinstance(piece, int) else piece)
        elif isinstance(item, m.Sequencing):
            self._boxes([(event,) for event in item.events], (0.07, 0.93))
        elif isinstance(item, m.FactCheck):
            for number, statement in enumerate(item.statements, start=1):
                paragraph = self._indent(self.docx.add_paragraph(f"{number}. {statement}"), keep=True)
                paragraph.paragraph_format.keep_together = True
                self._indent(self.docx.add_paragraph(self._true_false()))
        elif isinstance(item, m.SourceAnalysis):
            for source in item.sources:
                self._indent(self._para(source.quote, "Quote"), keep=True)
                note = self._indent(self.docx.add_paragraph(), keep=True)
                note.add_run(self._words("from_the_reading", section=source.section)).italic = True
                for letter, prompt in zip("abcdefgh", item.prompts, strict=False):
                    self._indent(self.docx.add_paragraph(f"{letter}) {prompt}"), keep=True)
                    self._answer_lines(item.lines if letter == "c" else 1)

    def _custom(self, component: m.Custom) -> None:
        """A workspace template has no Word counterpart: say so where it would be."""
        self._heading(component.title, 1)
        notice = self.docx.add_paragraph()
        notice.add_run(self._words("pdf_only", template=component.template_name)).italic = True

    # -- teacher edition ---------------------------------------------------------------------

    def _overview(self, component: m.Overview) -> None:
        self._heading(component.title, 1)
        lead = self.docx.add_paragraph()
        grades = self._words("grade_band_inline", grades=self.level.grades.replace("-", "\u2013"))
        lead.add_run(f"{self.doc.title} \u00b7 {self.doc.subject} \u00b7 {self.level.label}, {grades}")
        if component.objectives:
            self._heading(self.words["learning_objectives"], 2)
            self._list(tuple((m.Run(o),) for o in component.objectives), "bullet", "List Bullet")
        facts = ((self.words["standards"], ", ".join(component.standards)),
                 (self.words["suggested_timing"], component.timing))
        for label, value in facts:
            if value:
                paragraph = self.docx.add_paragraph()
                paragraph.add_run(f"{label}: ").bold = True
                paragraph.add_run(value)
        self._heading(self.words["in_this_edition"], 2)
        self._heading(self.words["reading_sections"], 3)
        self._list(tuple((m.Run(t),) for t in component.sections), "decimal", "List Number")
        self._heading(self.words["worksheet"], 3)
        counts = {1: "item_count_one"}
        self._list(
            tuple((m.Run(f"{t} ({self._words(counts.get(n, 'item_count_other'), count=n)})"),)
                  for t, n in component.activities),
            "bullet",
            "List Bullet",
        )
        self._heading(self.words["key_terms"], 3)
        self.docx.add_paragraph(", ".join(component.terms))
        if component.discussion:
            self._heading(self.words["discussion_prompts"], 2)
            self._list(tuple((m.Run(d),) for d in component.discussion), "decimal", "List Number")

    def _answer_key(self, component: m.AnswerKey) -> None:
        self._heading(component.title, 1)
        for title, items in component.groups:
            self._heading(title, 2)
            for item in items:
                head = self.docx.add_paragraph()
                head.paragraph_format.keep_with_next = True
                head.paragraph_format.space_before = Pt(6)
                head.add_run(f"{item.number}. ").bold = True
                head.add_run(item.prompt if isinstance(item, m.Question) else item.title)
                for line in m.answer_lines(item, self.words):
                    answer = self._indent(self.docx.add_paragraph())
                    answer.add_run(line).font.color.rgb = self.accent
