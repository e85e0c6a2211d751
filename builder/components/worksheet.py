"""The worksheet: the pack's questions and generated activities, numbered in the pack's order.

Each item prints through its kind (items/*.py): the worksheet numbers them, the kind prints the body.
A generated activity listed alone in `contents:` is a worksheet of that one activity.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.shared import Length, Mm, Pt

from builder import model as m
from builder.components.api import ComponentContext, ComponentKind
from builder.components.registry import item_kind
from builder.render.docx import xml

if TYPE_CHECKING:
    from builder.render.brf.renderer import BrfWriter
    from builder.render.docx.writer import DocxWriter


@dataclass(frozen=True)
class Worksheet(m.Component):
    """Numbered items: author-written questions and generated activities, in the pack's order."""

    items: tuple[m.Item, ...]


def build(context: ComponentContext) -> m.Component:
    return context.items("worksheet", context.words["worksheet"], context.pack.file.worksheet)


def write_docx(w: DocxWriter, component: Worksheet) -> None:
    w.heading(component.title, 1)
    labels = w.block_words(component, "name_line")  # "Name", or a workspace's own (Name, Period, Teacher)
    if labels:  # one line: each label, then a ruled space to its share of the width (100 mm for one, as the PDF)
        name = w.docx.add_paragraph()
        share = (Mm(100) if len(labels) == 1 else w.text_width) / len(labels)
        for number, label in enumerate(labels, start=1):
            name.paragraph_format.tab_stops.add_tab_stop(Length(int(share * number)), WD_TAB_ALIGNMENT.LEFT,
                                                         WD_TAB_LEADER.HEAVY)
            name.add_run(label if number == 1 else f"  {label}").bold = True
            name.add_run("\t")
        name.paragraph_format.keep_with_next = True  # never alone at the foot of a page
    # The first worksheet numbers through the List Number style itself, so a question a teacher adds in
    # Word with that style joins it; a later one restarts at 1 with a list of its own.
    numbers = w.question_list()
    for item in component.items:
        prompt = w.para(style="List Number")
        if numbers is not None:
            xml.set_numbering(prompt, numbers)
        w.question_mark(prompt, component.title, item.number)
        prompt.paragraph_format.space_before = Pt(10)
        prompt.paragraph_format.keep_with_next = True
        xml.keep_own_spacing(prompt)
        if isinstance(item, m.Activity):
            heading = prompt.add_run(f"{item.lead} ")
            heading.bold = True
            w.key(heading)
            prompt.add_run(item.instructions)
        else:
            prompt.add_run(item.heading)
        item_kind(item.type).docx(w, item)


def write_brf(w: BrfWriter, component: Worksheet) -> None:
    """Each item numbered, its body under it; no name line or answer lines: a braille reader answers on a
    braille writer or a separate sheet (the title page has the name lines)."""
    w.heading(component.title)
    for item in component.items:
        lead = f"{item.lead} {item.instructions}" if isinstance(item, m.Activity) else item.heading
        w.item(f"{item.number}. {lead}")
        w.body(item)


KIND = ComponentKind("worksheet", Worksheet, "worksheet.html", write_docx, build=build, docx_blocks=("name_line",),
                     brf=write_brf,
                     begins_under="anywhere")
