"""The cover: subject, title, level and edition, name/class/date lines and what the pack holds."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.shared import Mm, Pt

from builder.components.api import ComponentContext, ComponentKind
from builder.model import Component

if TYPE_CHECKING:
    from builder.render.brf.renderer import BrfWriter
    from builder.render.docx.writer import DocxWriter


@dataclass(frozen=True)
class Cover(Component):
    pass


def build(context: ComponentContext) -> Cover:
    return Cover("cover", context.pack.file.title)


def write_docx(w: DocxWriter, component: Cover) -> None:
    w.first_component = False
    theme, level = w.theme, w.level
    if theme.logo or theme.school:
        school = w.docx.add_paragraph()
        school.paragraph_format.space_before = Pt(24)
        if theme.logo:
            w.picture(school, theme.logo, theme.school or w.words["school_logo"], height=Mm(20))
            w.gap(school, 1)
        if theme.school:
            name = school.add_run(theme.school)
            name.bold = True
            name.font.size = Pt(level.font_size * 1.15)
            w.key(name)
    subject = w.docx.add_paragraph()
    subject.paragraph_format.space_before = Pt(18 if theme.logo or theme.school else 72)
    run = subject.add_run(w.doc.subject.upper())
    w.key(run)
    run.bold = True
    w.para(w.doc.title, "Title")
    if w.doc.subtitle:
        w.para(w.doc.subtitle, "Subtitle")
    band = w.docx.add_paragraph()
    band.paragraph_format.space_after = Pt(36)
    run = band.add_run(w.grade_band())
    run.bold = True
    w.key(run)
    if w.doc.marked:
        band.paragraph_format.space_after = Pt(6)
        edition = w.docx.add_paragraph()
        edition.paragraph_format.space_after = Pt(30)
        mark = edition.add_run(w.doc.edition_label)
        mark.bold = True
        w.teacher(mark)
    for label in w.block_words(component, "name_lines"):  # Name, Class, Date, or a workspace's own
        line = w.docx.add_paragraph()
        line.paragraph_format.space_before = Pt(14)
        line.paragraph_format.tab_stops.add_tab_stop(w.text_width, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.HEAVY)
        line.add_run(label).bold = True
        line.add_run("\t")
    parts = [c for c in w.doc.components if c.name != "cover"]
    if parts:
        heading = w.docx.add_paragraph()
        heading.paragraph_format.space_before = Pt(28)
        heading.paragraph_format.keep_with_next = True
        run = heading.add_run(w.words["in_this_pack"])
        run.bold = True
        w.key(run)
        w.contents()  # each part with its page number, set close: the cover is one page at every level


def write_brf(w: BrfWriter, component: Cover) -> None:
    """A braille title page: title, level and edition, the name lines, and the transcriber's note."""
    if w.doc.styling.theme.school:
        w.centred(w.doc.styling.theme.school)
    w.centred(w.doc.title)
    if w.doc.subtitle:
        w.centred(w.doc.subtitle)
    w.centred(w.doc.subject)
    grades = w.words_for("grade_band", grades=w.doc.level.grades.replace("-", "\u2013"))
    w.centred(f"{w.doc.level.label}, {grades}")
    w.centred(w.doc.edition_label)
    for label in w.block_words(component, "name_lines"):  # Name, Class, Date, or a workspace's own
        w.item(f"{label}:")
    w.paragraph(w.words_for("braille_note", grade=w.doc.styling.braille_grade))


KIND = ComponentKind("cover", Cover, "cover.html", write_docx, build=build, docx_blocks=("name_lines",),
                     brf=write_brf, ends_page=True)
