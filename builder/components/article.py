"""The reading: the level's sections, glossary terms in bold at first use, the attribution and sources."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

from builder import model as m
from builder.components.api import ComponentContext, ComponentKind

if TYPE_CHECKING:
    from builder.render.brf.renderer import BrfWriter
    from builder.render.docx.writer import DocxWriter


@dataclass(frozen=True)
class Article(m.Component):
    sections: tuple[m.Section, ...]
    attribution: str | None
    sources: tuple[str, ...]


def build(context: ComponentContext) -> Article:
    file = context.pack.file
    return Article("article", context.words["reading"], context.sections, file.attribution, file.sources)


def write_docx(w: DocxWriter, component: Article) -> None:
    w.heading(f"{component.title}: {w.doc.title}", 1)
    for section in component.sections:
        w.heading(section.title, 2)
        for block in section.blocks:
            _block(w, block)
    if component.attribution:
        credit = w.docx.add_paragraph()
        credit.paragraph_format.space_before = Pt(18)
        credit.add_run(component.attribution).italic = True
    if component.sources:
        w.heading(w.words["sources"], 3)
        w.add_list(tuple((m.Run(s),) for s in component.sources), "bullet", "List Bullet")


def _block(w: DocxWriter, block: m.Block) -> None:
    if isinstance(block, m.Paragraph):
        w.runs(w.docx.add_paragraph(), block.runs)
    elif isinstance(block, m.Subheading):
        w.runs(w.para(style="Heading 3"), block.runs)
    elif isinstance(block, m.ListBlock):
        if block.ordered:
            w.add_list(block.items, "decimal", "List Number", block.start)
        else:
            w.add_list(block.items, "bullet", "List Bullet")
    elif isinstance(block, m.Quote):
        for runs in block.paragraphs:
            w.runs(w.para(style="Quote"), runs)
    elif isinstance(block, m.Figure):
        paragraph = w.docx.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        w.picture(paragraph, block.path, block.alt, width=min(w.text_width, Mm(150)))
        if block.caption:
            w.para(block.caption, "Caption")
    else:
        raise TypeError(f"the DOCX writer has no rule for a {type(block).__name__} block")


def write_brf(w: BrfWriter, component: Article) -> None:
    w.heading(f"{component.title}: {w.doc.title}")
    for section in component.sections:
        w.section(section.title)
        for block in section.blocks:
            _brf_block(w, block)
    if component.attribution:
        w.paragraph(component.attribution)
    if component.sources:
        w.section(w.words["sources"])
        for source in component.sources:
            w.item(source)


def _brf_block(w: BrfWriter, block: m.Block) -> None:
    if isinstance(block, m.Paragraph):
        w.paragraph(w.text(block.runs))
    elif isinstance(block, m.Subheading):
        w.subheading(w.text(block.runs))
    elif isinstance(block, m.ListBlock):
        for number, runs in enumerate(block.items, start=block.start):
            w.item(f"{number}. {w.text(runs)}" if block.ordered else f"\u2022 {w.text(runs)}")
    elif isinstance(block, m.Quote):
        for runs in block.paragraphs:
            w.displayed(w.text(runs))
    elif isinstance(block, m.Figure):
        w.picture(block.alt, block.caption)
    else:
        raise TypeError(f"the braille writer has no rule for a {type(block).__name__} block")


KIND = ComponentKind("article", Article, "article.html", write_docx, build=build, brf=write_brf)
