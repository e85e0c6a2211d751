"""Match glossary terms to the level's wording of their definitions."""

from __future__ import annotations

from typing import Literal

from builder.components.api import ActivitySpec, CannotBuild, ItemContext, ItemKind
from builder.components.items.matching import (
    TEMPLATE,
    Matching,
    answers,
    count,
    matching,
    write_brf,
    write_docx,
)
from builder.components.items.pool import pick, title_and_count
from builder.core.fields import Text


class VocabularyMatching(ActivitySpec):
    type: Literal["vocabulary-matching"]
    terms: tuple[Text, ...] | None = None  # default: chosen from the glossary


def build(spec: VocabularyMatching, context: ItemContext) -> Matching:
    title, wanted = title_and_count(spec, context, "vocabulary_matching")
    entries = [e for e in context.material.glossary if e.definition]
    if spec.terms:
        entries = [e for name in spec.terms for e in entries if e.term == name]
    if len(entries) < 2:
        raise CannotBuild(
            f"needs at least 2 glossary terms with definitions, has {len(entries)}; add terms to the glossary"
        )
    chosen = pick(context.rng, entries, wanted, bool(spec.terms))
    return matching(spec.type, context.number, title, context.words["vocabulary_matching_instructions"],
                    [(e.term, e.definition) for e in chosen], context.rng)


KIND = ItemKind("vocabulary-matching", VocabularyMatching, Matching, build, answers, count, TEMPLATE, write_docx,
                generated=True, title="vocabulary_matching", brf=write_brf)
