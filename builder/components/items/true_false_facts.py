"""True-or-false statements about the level's events and terms; half made false by one checkable swap."""

from __future__ import annotations

from dataclasses import dataclass
from random import Random
from typing import TYPE_CHECKING, Any, Literal

from builder import model as m
from builder.components.api import ActivitySpec, CannotBuild, ItemContext, ItemKind, Words
from builder.components.items.pool import title_and_count, unasked_events
from builder.render.docx import xml

if TYPE_CHECKING:
    from builder.render.brf.renderer import BrfWriter
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


def answer_pattern(size: int, rng: Random) -> list[bool]:
    """`size` answers, half of them false (the odd one true), shuffled with `rng` so that no more than
    two equal answers run together: a class cannot guess "T, T, T, F, F, F"."""
    pattern = [True] * (size - size // 2) + [False] * (size // 2)
    for _ in range(200):  # a shuffle with no run of three comes within a few tries for any size
        rng.shuffle(pattern)
        if not any(pattern[i] == pattern[i + 1] == pattern[i + 2] for i in range(size - 2)):
            return pattern
    return [i % 2 == 0 for i in range(size)]  # never reached in practice; alternating is still fair


def build(spec: TrueFalseFacts, context: ItemContext) -> FactCheck:
    """Half the statements are made false by one verifiable swap: another event's year, another term's
    meaning. Each event and each definition is in the activity once: a false statement never borrows
    the definition of a term the activity also states."""
    title, wanted = title_and_count(spec, context, "true_false_facts")
    words, rng = context.words, context.rng
    events = unasked_events(context.material)
    years = {e.title: {e.span.start.year} | ({e.span.end.year} if e.span.end else set()) for e in events}
    entries = [e for e in context.material.glossary if e.definition]
    facts: list[tuple[str, Any]] = [("event", e) for e in events] + [("term", e) for e in entries]
    if len(facts) < 2:
        raise CannotBuild("needs at least 2 timeline events or glossary definitions to make statements from")
    chosen = rng.sample(facts, min(wanted, len(facts)))
    stated = {fact.definition for kind, fact in chosen if kind == "term"}
    spare = [e for e in entries if e.definition not in stated]  # definitions a false statement may borrow

    def falsifiable(kind: str, fact: Any) -> bool:
        if kind == "event":
            return bool({e.span.start.year for e in events} - years[fact.title])
        return bool(spare)

    # The answers first, then the facts put where they can give that answer.
    pattern = answer_pattern(len(chosen), rng)
    can = [f for f in chosen if falsifiable(*f)]
    cannot = [f for f in chosen if not falsifiable(*f)]
    needed = pattern.count(False)
    if len(can) < needed:  # too few facts can be made false: fewer false answers, still no long runs
        pattern = _pattern_with(len(chosen), len(can))
        needed = pattern.count(False)
    false_facts, true_facts = can[:needed], can[needed:] + cannot
    statements, answers, notes = [], [], []
    for answer in pattern:
        kind, fact = false_facts.pop(0) if not answer else true_facts.pop(0)
        if kind == "event":
            event: m.TimelineItem = fact
            if not answer:
                year = rng.choice(sorted({e.span.start.year for e in events} - years[event.title]))
                statements.append(words["fact_event_year"].format(event=event.title, year=year))
                notes.append(words["fact_false_event"].format(event=event.title, date=event.span.label()))
            else:
                statements.append(_happened(event, words))
                notes.append(words["fact_true"])
        else:
            entry = fact
            if not answer:
                other = rng.choice(spare)
                spare.remove(other)  # each borrowed definition once
                statements.append(words["fact_term"].format(term=entry.term, definition=other.definition))
                notes.append(
                    words["fact_false_term"].format(other=other.term, term=entry.term, definition=entry.definition)
                )
            else:
                statements.append(words["fact_term"].format(term=entry.term, definition=entry.definition))
                notes.append(words["fact_true"])
        answers.append(answer)
    return FactCheck(context.number, spec.type, title, words["true_false_facts_instructions"], tuple(statements),
                     tuple(answers), tuple(notes))


def _pattern_with(size: int, falses: int) -> list[bool]:
    """`size` answers with only `falses` false ones, spread so that the trues run as little as they can."""
    pattern = [True] * size
    step = size / (falses + 1)
    for n in range(falses):
        pattern[int(step * (n + 1))] = False
    return pattern


def answer_lines(item: FactCheck, words: Words) -> list[str]:
    return [f"{i}. {note}" for i, note in enumerate(item.notes, start=1)]


def count(item: FactCheck) -> int:
    return len(item.statements)


def write_docx(w: DocxWriter, item: FactCheck) -> None:
    numbers = w.numbering.new_list("decimal")  # the statements are a real list: 1, 2, ...
    for statement in item.statements:
        paragraph = w.para(statement, "List Number")
        xml.set_numbering(paragraph, numbers)
        w.indent(paragraph, keep=True)
        paragraph.paragraph_format.keep_together = True
        w.indent(w.true_false())


def write_brf(w: BrfWriter, item: FactCheck) -> None:
    for number, statement in enumerate(item.statements, start=1):
        w.item(f"{number}. {statement} ({w.words['answer_true']} / {w.words['answer_false']})", nested=True)


KIND = ItemKind("true-false-facts", TrueFalseFacts, FactCheck, build, answer_lines, count, "item-fact-check.html",
                write_docx, generated=True, title="true_false_facts", brf=write_brf)
