"""Match timeline events to their dates."""

from __future__ import annotations

from typing import Literal

from builder import model as m
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
from builder.components.items.pool import named_events, pick, title_and_count
from builder.core.fields import Text


class DateMatching(ActivitySpec):
    type: Literal["date-matching"]
    events: tuple[Text, ...] | None = None  # event titles; default: chosen from the timeline


def build(spec: DateMatching, context: ItemContext) -> Matching:
    title, wanted = title_and_count(spec, context, "date_matching")
    by_label: dict[str, m.TimelineItem] = {}
    for event in named_events(spec.events, context.material):
        by_label.setdefault(event.span.label(), event)  # two events on one date cannot be told apart
    events = list(by_label.values())
    if len(events) < 2:
        raise CannotBuild(f"needs at least 2 timeline events with different dates, has {len(events)}; add events")
    chosen = pick(context.rng, events, wanted, bool(spec.events))
    return matching(spec.type, context.number, title, context.words["date_matching_instructions"],
                    [(e.title, e.span.label()) for e in chosen], context.rng)


KIND = ItemKind("date-matching", DateMatching, Matching, build, answers, count, TEMPLATE, write_docx,
                generated=True, title="date_matching", brf=write_brf)
