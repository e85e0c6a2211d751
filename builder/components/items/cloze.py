"""Fill in the blanks: sentences from the level's reading with a glossary term taken out of each."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from builder import model as m
from builder.components.api import ActivitySpec, CannotBuild, ItemContext, ItemKind, Words
from builder.components.items.pool import title_and_count
from builder.core.fields import Text
from builder.core.text import sentences as text_sentences
from builder.core.text import word_count
from builder.resolve.terms import TermIndex

if TYPE_CHECKING:
    from builder.render.brf.renderer import BrfWriter
    from builder.render.docx.writer import DocxWriter

Blank = int  # a cloze blank, numbered from 1


class ClozeActivity(ActivitySpec):
    type: Literal["cloze"]
    terms: tuple[Text, ...] | None = None
    word_bank: bool | None = None  # default: the level's setting


@dataclass(frozen=True)
class Cloze(m.Activity):
    sentences: tuple[tuple[str | Blank, ...], ...]
    bank: tuple[str, ...]  # empty when the level has no word bank
    answers: tuple[str, ...]  # the word removed from each blank


def sentences(section: m.Section) -> list[str]:
    """The section's prose, one sentence at a time (paragraphs and list items, not quotes)."""
    out = []
    for block in section.blocks:
        texts = (
            [block.runs]
            if isinstance(block, m.Paragraph)
            else list(block.items)
            if isinstance(block, m.ListBlock)
            else []
        )
        for runs in texts:
            text = "".join(r.text for r in runs).strip()
            out.extend(text_sentences(text))
    return out


_LEANING = re.compile(r"^(?:(?:But|And|So|Yet|Then|Still|Also)\s+)?(?:He|She|It|They|We|This|These|That|Those|His|"
                      r"Her|Its|Their|Such)\b")


def leans_back(sentence: str) -> bool:
    """The sentence opens on a word that points to another sentence ("He also attacked ..."): alone in a
    cloze passage, nobody can tell who or what it means."""
    return _LEANING.match(sentence.lstrip("\"'\u201c\u2018(")) is not None


def build(spec: ClozeActivity, context: ItemContext) -> Cloze:
    title, wanted = title_and_count(spec, context, "cloze")
    material, rng, level = context.material, context.rng, context.level
    entries = [e for e in material.glossary if not spec.terms or e.term in spec.terms]
    rank = {e.term: n for n, e in enumerate(entries)}  # a sentence with two terms gives the one listed first
    unused = TermIndex(entries)  # one pass per sentence for all terms, not one per term
    candidates: list[tuple[int, str, str, tuple[int, int]]] = []  # (order, term, sentence, (start, end))
    for order, sentence in enumerate(s for section in material.sections for s in sentences(section)):
        if not 6 <= word_count(sentence) <= 45 or leans_back(sentence):
            continue
        first: dict[str, tuple[int, int]] = {}
        for start, end, term in unused.hits(sentence):
            first.setdefault(term, (start, end))
        if first:
            term = min(first, key=rank.__getitem__)
            unused.discard(term)
            candidates.append((order, term, sentence, first[term]))
    if len(candidates) < 2:
        raise CannotBuild(
            f"found {len(candidates)} of its glossary terms in the sections printed at this level "
            "(it needs 2); add forms: to the glossary or print more sections"
        )
    picked = sorted(rng.sample(candidates, min(wanted, len(candidates))))
    passage: list[tuple[str | Blank, ...]] = []
    answers: list[str] = []
    for blank, (_, _, sentence, (start, end)) in enumerate(picked, start=1):
        passage.append((sentence[:start], blank, sentence[end:]))
        answers.append(sentence[start:end])
    bank: list[str] = []
    if spec.word_bank if spec.word_bank is not None else level.word_bank:
        blanked = {term for _, term, _, _ in picked}
        spare = sorted(e.term for e in material.glossary if e.term not in blanked)
        if not spare and len(picked) > 2:  # no term left over: one blank fewer, so the last one is not free
            *rest, (_, term, _, _) = picked
            passage, answers, picked = passage[:-1], answers[:-1], rest
            spare = [term]
        if not spare:
            raise CannotBuild("has a word bank but no glossary term to spare as a wrong choice (the bank would give "
                              "its last blank away); add a glossary term, or set word_bank: false")
        # At least one word the passage does not take, whatever the level says.
        bank = sorted({*answers, *rng.sample(spare, min(max(1, level.distractors), len(spare)))}, key=str.casefold)
    instructions = context.words["cloze_instructions_bank" if bank else "cloze_instructions"]
    return Cloze(context.number, spec.type, title, instructions, tuple(passage), tuple(bank), tuple(answers))


def answer_lines(item: Cloze, words: Words) -> list[str]:
    return ["; ".join(f"({i})\u00a0{a}" for i, a in enumerate(item.answers, start=1))]


def count(item: Cloze) -> int:
    return len(item.answers)


def write_docx(w: DocxWriter, item: Cloze) -> None:
    if item.bank:
        bank = w.indent(w.para(style="Word Bank"))  # the style draws the box, in the theme's colour
        bank.add_run(f"{w.words['word_bank']}:").bold = True
        for word in item.bank:  # a wide gap between the words: widened spaces, not runs of them
            w.gap(bank, 1.5)
            bank.add_run(word)
    for sentence in item.sentences:
        paragraph = w.indent(w.docx.add_paragraph())
        for piece in sentence:
            # Every blank the same length, so its size gives nothing away.
            paragraph.add_run(f"({piece}) ________________" if isinstance(piece, int) else piece)


def write_brf(w: BrfWriter, item: Cloze) -> None:
    """The word bank, then each sentence with its numbered blank shown as braille shows one (dots 3-6)."""
    if item.bank:
        w.item(f"{w.words['word_bank']}: {', '.join(item.bank)}", nested=True)
    for sentence in item.sentences:
        w.item("".join(f"({piece}) {w.blank()}" if isinstance(piece, int) else piece for piece in sentence),
               nested=True)


KIND = ItemKind("cloze", ClozeActivity, Cloze, build, answer_lines, count, "item-cloze.html", write_docx,
                generated=True, title="cloze", brf=write_brf)
