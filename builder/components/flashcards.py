"""Flashcards: the level's glossary as cut-out cards, the term on the front and its meaning on the back.

The PDF prints each sheet as a page of fronts, then a page of backs mirrored for a long-edge flip;
the DOCX gives a term/meaning table with solid borders to cut along.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from docx.shared import Pt

from builder import model as m
from builder.components.api import ComponentContext, ComponentKind
from builder.components.glossary import glossary_items
from builder.core.fields import SpecModel
from builder.render.docx import xml

if TYPE_CHECKING:
    from builder.render.brf.renderer import BrfWriter
    from builder.render.docx.writer import DocxWriter


class FlashcardsOptions(SpecModel):
    """`- flashcards: {per_page: 10}`: cards a sheet, 2 columns of 4 or 5 rows."""

    per_page: Literal[8, 10] = 8


@dataclass(frozen=True)
class Flashcards(m.Component):
    cards: tuple[m.GlossaryItem, ...]  # term and the level's wording of its definition
    per_page: int  # 8 or 10; 4 (two rows of larger cards) for large type


LARGE_TYPE = 14  # pt: from this smallest type (large print's is 18) a card's meaning needs four cards a sheet


def build(context: ComponentContext) -> Flashcards:
    options = context.options if isinstance(context.options, FlashcardsOptions) else FlashcardsOptions()
    per_page = 4 if context.level.min_type >= LARGE_TYPE else options.per_page
    return Flashcards("flashcards", context.words["flashcards"], glossary_items(context), per_page)


def write_docx(w: DocxWriter, component: Flashcards) -> None:
    """A heading, then one row a card: cut along the rows and fold down the middle line."""
    w.heading(component.title, 1)
    if not component.cards:
        w.para(w.words["flashcards_none"])
        return
    w.para(w.words["flashcards_docx_instructions"])
    w.table((w.words["term"], w.words["meaning"]), [(c.term, c.definition) for c in component.cards], (0.4, 0.6))
    table = w.docx.tables[-1]
    for row in table.rows[1:]:
        xml.keep_row(row)
        for cell in row.cells:
            paragraph = cell.paragraphs[0]
            paragraph.paragraph_format.space_before = paragraph.paragraph_format.space_after = Pt(9)


def write_brf(w: BrfWriter, component: Flashcards) -> None:
    """The cards as a list of term and meaning: braille cards are not cut from a sheet."""
    w.heading(component.title)
    if not component.cards:
        w.paragraph(w.words["flashcards_none"])
    for card in component.cards:
        w.item(f"{card.term}: {card.definition}")


LABELS = {
    "en": {
        "flashcards": "Flashcards",
        "flashcards_fronts": "Sheet {sheet} of {sheets}: fronts. Print double-sided, flipping on the long edge.",
        "flashcards_backs": "Sheet {sheet} of {sheets}: backs. Cut along the dashed lines.",
        "flashcards_none": "There are no glossary terms at this level, so there are no flashcards.",
        "flashcards_docx_instructions": "Cut along the lines between the rows, then fold each card on the middle line.",
    },
    "es": {
        "flashcards": "Tarjetas de vocabulario",
        "flashcards_fronts": "Hoja {sheet} de {sheets}: anverso. Imprima a doble cara, volteando por el borde largo.",
        "flashcards_backs": "Hoja {sheet} de {sheets}: reverso. Recorte por las líneas discontinuas.",
        "flashcards_none": "No hay términos del glosario en este nivel, así que no hay tarjetas.",
        "flashcards_docx_instructions": "Recorte por las líneas entre las filas y doble cada tarjeta por la línea "
                                        "central.",
    },
}

KIND = ComponentKind("flashcards", Flashcards, "flashcards.html", write_docx, build=build,
                     options=FlashcardsOptions, stylesheet="flashcards.css", labels=LABELS, brf=write_brf,
                     ends_page=True)
