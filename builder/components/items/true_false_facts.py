"""True-or-false statements about the level's events and terms; half made false by one checkable swap."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from builder import model as m
from builder.components.api import ActivitySpec, CannotBuild, ItemContext, ItemKind, Words
from builder.components.items.pool import title_and_count

if TYPE_CHECKING:
    from builder.render.docx.writer import DocxWriter


class TrueFalseFacts(ActivitySpec):
    type: Literal["true-false-facts"]


@dataclass(frozen=True)
class FactCheck(m.Activity):
    statements: tuple[str, ...]
    answers: tuple[bool, ...]
    notes: tuple[str, ...]  # for the key: the true fact behind each statement


def _happened(event: m.TimelineItem, words: Words) -> str:
    """The true statement of when `event` happened."""
    start, end = event.span.start, event.span.end
    if end and end.year != start.year:
        return words["fact_event_span"].format(event=event.title, start=start.year, end=end.year)
    return words["fact_event_year"].format(event=event.title, year=start.year)


def build(spec: TrueFalseFacts, context: ItemContext) -> FactCheck:
    """Half the statements are made false by one verifiable swap: another event's year, another term's meaning."""
    title, wanted = title_and_count(spec, context, "true_false_facts")
    words, rng = context.words, context.rng
    events = list(context.material.timeline)
    years = {e.title: {e.span.start.year} | ({e.span.end.year} if e.span.end else set()) for e in events}
    entries = [e for e in context.material.glossary if e.definition]
    facts: list[tuple[str, Any]] = [("event", e) for e in events] + [("term", e) for e in entries]
    if len(facts) < 2:
        raise CannotBuild("needs at least 2 timeline events or glossary definitions to make statements from")
    chosen = rng.sample(facts, min(wanted, len(facts)))
    falses = set(rng.sample(range(len(chosen)), len(chosen) // 2))
    statements, answers, notes = [], [], []
    for index, (kind, fact) in enumerate(chosen):
        if kind == "event":
            event: m.TimelineItem = fact
            truth = _happened(event, words)
            wrong_years = sorted({e.span.start.year for e in events} - years[event.title])
            if index in falses and wrong_years:
                year = rng.choice(wrong_years)
                statements.append(words["fact_event_year"].format(event=event.title, year=year))
                answers.append(False)
                notes.append(words["fact_false_event"].format(event=event.title, date=event.span.label()))
                continue
            statements.append(truth)
        else:
            entry = fact
            truth = words["fact_term"].format(term=entry.term, definition=entry.definition)
            others = [e for e in entries if e.definition != entry.definition]
            if index in falses and others:
                other = rng.choice(others)
                statements.append(words["fact_term"].format(term=entry.term, definition=other.definition))
                answers.append(False)
                notes.append(
                    words["fact_false_term"].format(other=other.term, term=entry.term, definition=entry.definition)
                )
                continue
            statements.append(truth)
        answers.append(True)
        notes.append(words["fact_true"])
    return FactCheck(context.number, spec.type, title, words["true_false_facts_instructions"], tuple(statements),
                     tuple(answers), tuple(notes))


def answer_lines(item: FactCheck, words: Words) -> list[str]:
    return [f"{i}. {note}" for i, note in enumerate(item.notes, start=1)]


def count(item: FactCheck) -> int:
    return len(item.statements)


def write_docx(w: DocxWriter, item: FactCheck) -> None:
    for number, statement in enumerate(item.statements, start=1):
        paragraph = w.indent(w.docx.add_paragraph(f"{number}. {statement}"), keep=True)
        paragraph.paragraph_format.keep_together = True
        w.indent(w.docx.add_paragraph(w.true_false()))


KIND = ItemKind("true-false-facts", TrueFalseFacts, FactCheck, build, answer_lines, count, "item-fact-check.html",
                write_docx, generated=True, title="true_false_facts")
