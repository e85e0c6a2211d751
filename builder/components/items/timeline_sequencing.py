"""Put the level's timeline events in order."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from builder import model as m
from builder.components.api import ActivitySpec, CannotBuild, ItemContext, ItemKind, Words
from builder.components.items.pool import named_events, pick, title_and_count
from builder.core.fields import Text

if TYPE_CHECKING:
    from builder.render.brf.renderer import BrfWriter
    from builder.render.docx.writer import DocxWriter


class TimelineSequencing(ActivitySpec):
    type: Literal["timeline-sequencing"]
    events: tuple[Text, ...] | None = None  # event titles; default: chosen from the timeline


@dataclass(frozen=True)
class Sequencing(m.Activity):
    events: tuple[str, ...]  # in the shuffled order printed
    answers: tuple[int, ...]  # each printed event's place in time, from 1
    dates: tuple[str, ...]  # each printed event's date, for the key


def build(spec: TimelineSequencing, context: ItemContext) -> Sequencing:
    title, wanted = title_and_count(spec, context, "timeline_sequencing")
    events = named_events(spec.events, context.material)
    if spec.events:
        keys: dict[tuple[float, float], str] = {}
        for event in events:
            key = event.span.sort_key()
            if key in keys:
                raise CannotBuild(
                    f"'{keys[key]}' and '{event.title}' share a date, so their order is not a fact; choose one of them"
                )
            keys[key] = event.title
    else:
        distinct: dict[tuple[float, float], m.TimelineItem] = {}
        for event in events:
            distinct.setdefault(event.span.sort_key(), event)
        events = list(distinct.values())
    if len(events) < 3:
        raise CannotBuild(f"needs at least 3 timeline events with different dates, has {len(events)}; add events")
    chosen = pick(context.rng, events, wanted, bool(spec.events))
    in_time = sorted(chosen, key=lambda e: e.span.sort_key())
    shown = list(chosen)
    context.rng.shuffle(shown)
    if shown == in_time:  # already in order gives the answer away
        shown = shown[1:] + shown[:1]
    return Sequencing(
        context.number,
        spec.type,
        title,
        context.words["timeline_sequencing_instructions"].format(count=len(shown)),
        tuple(e.title for e in shown),
        tuple(in_time.index(e) + 1 for e in shown),
        tuple(e.span.label() for e in shown),
    )


def answers(item: Sequencing, words: Words) -> list[str]:
    return ["; ".join(f"{p}: {e} ({d})" for p, e, d in zip(item.answers, item.events, item.dates, strict=True))]


def count(item: Sequencing) -> int:
    return len(item.events)


def write_docx(w: DocxWriter, item: Sequencing) -> None:
    w.boxes([(event,) for event in item.events], (0.07, 0.93))


def write_brf(w: BrfWriter, item: Sequencing) -> None:
    """The events in the shuffled order printed, each with a blank for its place in time."""
    for event in item.events:
        w.item(f"{w.blank()} {event}", nested=True)


KIND = ItemKind("timeline-sequencing", TimelineSequencing, Sequencing, build, answers, count, "item-sequencing.html",
                write_docx, generated=True, title="timeline_sequencing", brf=write_brf)
