"""The glossary: the level's terms in alphabetical order with the level's wording of each definition."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from builder import model as m
from builder.components.api import ComponentContext, ComponentKind

if TYPE_CHECKING:
    from builder.render.brf.renderer import BrfWriter
    from builder.render.docx.writer import DocxWriter


@dataclass(frozen=True)
class Glossary(m.Component):
    items: tuple[m.GlossaryItem, ...]


def glossary_items(context: ComponentContext) -> tuple[m.GlossaryItem, ...]:
    """The level's entries, term and definition in its wording, sorted as a reader looks them up."""
    items = (m.GlossaryItem(e.term, e.definition) for e in context.material.glossary)
    return tuple(sorted(items, key=lambda i: i.term.casefold()))


def build(context: ComponentContext) -> Glossary:
    return Glossary("glossary", context.words["glossary"], glossary_items(context))


def write_docx(w: DocxWriter, component: Glossary) -> None:
    w.heading(component.title, 1)
    rows = [(i.term, i.definition) for i in component.items]
    w.table((w.words["term"], w.words["meaning"]), rows, (0.3, 0.7))


def write_brf(w: BrfWriter, component: Glossary) -> None:
    """Each term, then its meaning, as a list item: what a braille glossary looks like."""
    w.heading(component.title)
    for item in component.items:
        w.item(f"{item.term}: {item.definition}")


KIND = ComponentKind("glossary", Glossary, "glossary.html", write_docx, build=build, brf=write_brf,
                     begins_under="anywhere")
