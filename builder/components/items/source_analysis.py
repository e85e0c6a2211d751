"""Who said it, when, and why it matters: questions on the attributed quotations of the level's reading."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from builder import model as m
from builder.components.api import ActivitySpec, CannotBuild, ItemContext, ItemKind, Material, Words
from builder.components.items.pool import title_and_count

if TYPE_CHECKING:
    from builder.render.brf.renderer import BrfWriter
    from builder.render.docx.writer import DocxWriter

_DASH = re.compile(r"^\s*(?:\u2014|\u2013|--|-)\s*")
_INLINE_CREDIT = re.compile(r"^(.*[.!?\"'\u201d\u2019])\s+(?:\u2014|\u2013|--)\s*([A-Z][^\u2014\u2013]*)$", re.DOTALL)


class SourceAnalysisActivity(ActivitySpec):
    type: Literal["source-analysis"]
    lines: int = Field(default=3, ge=1, le=12)


@dataclass(frozen=True)
class SourceQuote:
    quote: str
    speaker: str
    context: str  # the rest of the attribution: where and when
    section: str  # the article section it comes from


@dataclass(frozen=True)
class SourceAnalysis(m.Activity):
    sources: tuple[SourceQuote, ...]
    prompts: tuple[str, ...]
    lines: int  # ruled lines under the last prompt (the one asking why); one under each other

    @property
    def prompt_lines(self) -> tuple[int, ...]:
        """The ruled lines under each prompt: both renderers follow this one rule."""
        return tuple(self.lines if i == len(self.prompts) - 1 else 1 for i in range(len(self.prompts)))


def attributed_quotes(material: Material) -> list[SourceQuote]:
    """Block quotes that end with an attribution line starting with a dash ("\u2014 Name, place, date")."""
    quotes = []
    for section in material.sections:
        for block in section.blocks:
            if not isinstance(block, m.Quote):
                continue
            texts = ["".join(r.text for r in p).strip() for p in block.paragraphs]
            if len(texts) >= 2 and _DASH.match(texts[-1]):
                quote, credit = " ".join(texts[:-1]), _DASH.sub("", texts[-1])
            else:  # the credit on the quote's last line, joined to it by Markdown
                found = _INLINE_CREDIT.match(" ".join(texts))
                if not found:
                    continue
                quote, credit = found.group(1), found.group(2)
            speaker, _, where = credit.partition(",")
            quotes.append(SourceQuote(quote.strip(), speaker.strip(), where.strip(), section.title))
    return quotes


def build(spec: SourceAnalysisActivity, context: ItemContext) -> SourceAnalysis:
    title, _ = title_and_count(spec, context, "source_analysis")
    quotes = attributed_quotes(context.material)
    if not quotes:
        raise CannotBuild(
            "the sections printed at this level hold no attributed quotation (a block quote whose "
            "last line starts with '\u2014 Name, place, date')"
        )
    words = context.words
    return SourceAnalysis(context.number, spec.type, title, words["source_analysis_instructions"], tuple(quotes),
                          (words["source_who"], words["source_when"], words["source_why"]), spec.lines)


def answer_lines(item: SourceAnalysis, words: Words) -> list[str]:
    return [words["source_answer"].format(speaker=s.speaker, context=s.context or words["see_the_reading"],
                                          section=s.section) for s in item.sources]


def count(item: SourceAnalysis) -> int:
    return len(item.sources)


def write_docx(w: DocxWriter, item: SourceAnalysis) -> None:
    for source in item.sources:
        w.indent(w.para(source.quote, "Quote"), keep=True)
        note = w.indent(w.docx.add_paragraph(), keep=True)
        note.add_run(w.words_for("from_the_reading", section=source.section)).italic = True
        for index, (prompt, lines) in enumerate(zip(item.prompts, item.prompt_lines, strict=True)):
            w.indent(w.docx.add_paragraph(f"{m.LETTERS[index].lower()}) {prompt}"), keep=True)
            w.answer_lines(lines)


def write_brf(w: BrfWriter, item: SourceAnalysis) -> None:
    """Each quotation blocked in, where it comes from, then its lettered questions."""
    for source in item.sources:
        w.displayed(source.quote)
        w.item(w.words_for("from_the_reading", section=source.section), nested=True)
        for index, prompt in enumerate(item.prompts):
            w.item(f"{m.LETTERS[index].lower()}) {prompt}", nested=True)


KIND = ItemKind("source-analysis", SourceAnalysisActivity, SourceAnalysis, build, answer_lines, count,
                "item-source-analysis.html", write_docx, generated=True, title="source_analysis", brf=write_brf)
