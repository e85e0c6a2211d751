"""Generated activities: exercises built from a pack's glossary, timeline and article, with their keys.

Every choice is drawn from a `random.Random` seeded by pack, level, variant and item position, so
the same inputs give the same worksheet on every build and machine, and each variant differs.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from builder import model as m
from builder.core.labels import english
from builder.core.levels import Level
from builder.core.text import sentences as text_sentences
from builder.core.text import word_count
from builder.load.schema import (
    Activity,
    ClozeActivity,
    DateMatching,
    GlossaryEntry,
    SourceAnalysisActivity,
    TimelineSequencing,
    TrueFalseFacts,
    VocabularyMatching,
)
from builder.resolve.terms import TermIndex

TITLES = {  # each activity's title, as a key of the labels file (labels.py)
    "vocabulary-matching": "vocabulary_matching",
    "cloze": "cloze",
    "timeline-sequencing": "timeline_sequencing",
    "date-matching": "date_matching",
    "true-false-facts": "true_false_facts",
    "source-analysis": "source_analysis",
}
Words = Mapping[str, str]  # the pack's labels: every printed instruction and question
_DASH = re.compile(r"^\s*(?:\u2014|\u2013|--|-)\s*")
_INLINE_CREDIT = re.compile(r"^(.*[.!?\"'\u201d\u2019])\s+(?:\u2014|\u2013|--)\s*([A-Z][^\u2014\u2013]*)$", re.DOTALL)


class CannotBuild(Exception):
    """The pack's content cannot make this activity at this level; the message says why and what to do."""


@dataclass(frozen=True)
class Material:
    """What a level's activities may draw on: only what that level prints."""

    sections: tuple[m.Section, ...]
    glossary: tuple[GlossaryEntry, ...]  # entries whose definition is the level's wording
    timeline: tuple[m.TimelineItem, ...]


def seeded(*parts: object) -> random.Random:
    """A generator seeded from the parts' text (never Python's salted hash)."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def build_activity(spec: Activity, number: int, material: Material, level: Level, rng: random.Random,
                   labels: Words | None = None) -> m.Item:
    """Build one activity in the pack's `labels` (English when not given), or raise CannotBuild."""
    words = english() if labels is None else labels
    count = spec.count or level.items
    title = spec.title or words[TITLES[spec.type]]
    if isinstance(spec, VocabularyMatching):
        return _vocabulary(spec, number, title, count, material, rng, words)
    if isinstance(spec, ClozeActivity):
        return _cloze(spec, number, title, count, material, level, rng, words)
    if isinstance(spec, TimelineSequencing):
        return _sequencing(spec, number, title, count, material, rng, words)
    if isinstance(spec, DateMatching):
        return _dates(spec, number, title, count, material, rng, words)
    if isinstance(spec, TrueFalseFacts):
        return _facts(spec, number, title, count, material, rng, words)
    assert isinstance(spec, SourceAnalysisActivity)
    return _sources(spec, number, title, material, words)


def _pick(rng: random.Random, pool: Sequence, count: int, named: bool) -> list:
    """Named items keep the author's choice and order; otherwise a seeded sample."""
    return list(pool[:count]) if named else rng.sample(list(pool), min(count, len(pool)))


def _vocabulary(
    spec: VocabularyMatching, number: int, title: str, count: int, material: Material, rng: random.Random, words: Words
) -> m.Matching:
    entries = [e for e in material.glossary if e.definition]
    if spec.terms:
        entries = [e for name in spec.terms for e in entries if e.term == name]
    if len(entries) < 2:
        raise CannotBuild(
            f"needs at least 2 glossary terms with definitions, has {len(entries)}; add terms to the glossary"
        )
    chosen = _pick(rng, entries, count, bool(spec.terms))
    instructions = words["vocabulary_matching_instructions"]
    return _matching(spec.type, number, title, instructions, [(e.term, e.definition) for e in chosen], rng)


def _matching(kind: str, number: int, title: str, instructions: str, pairs: list[tuple[str, str]],
              rng: random.Random) -> m.Matching:
    """Prompts in a shuffled order against their answers, lettered, in another shuffled order."""
    rng.shuffle(pairs)
    options = [answer for _, answer in pairs]
    rng.shuffle(options)
    return m.Matching(number, kind, title, instructions, tuple(prompt for prompt, _ in pairs), tuple(options),
                      tuple(options.index(answer) for _, answer in pairs))


def _dates(
    spec: DateMatching, number: int, title: str, count: int, material: Material, rng: random.Random, words: Words
) -> m.Matching:
    events = _named_events(spec.events, material)
    by_label: dict[str, m.TimelineItem] = {}
    for event in events:
        by_label.setdefault(event.span.label(), event)  # two events on one date cannot be told apart
    events = list(by_label.values())
    if len(events) < 2:
        raise CannotBuild(f"needs at least 2 timeline events with different dates, has {len(events)}; add events")
    chosen = _pick(rng, events, count, bool(spec.events))
    instructions = words["date_matching_instructions"]
    return _matching(spec.type, number, title, instructions, [(e.title, e.span.label()) for e in chosen], rng)


def _named_events(names: tuple[str, ...] | None, material: Material) -> list[m.TimelineItem]:
    if not names:
        return list(material.timeline)
    return [e for name in names for e in material.timeline if e.title == name]


def _sequencing(
    spec: TimelineSequencing, number: int, title: str, count: int, material: Material, rng: random.Random,
    words: Words,
) -> m.Sequencing:
    events = _named_events(spec.events, material)
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
    chosen = _pick(rng, events, count, bool(spec.events))
    in_time = sorted(chosen, key=lambda e: e.span.sort_key())
    shown = list(chosen)
    rng.shuffle(shown)
    if shown == in_time:  # already in order gives the answer away
        shown = shown[1:] + shown[:1]
    return m.Sequencing(
        number,
        spec.type,
        title,
        words["timeline_sequencing_instructions"].format(count=len(shown)),
        tuple(e.title for e in shown),
        tuple(in_time.index(e) + 1 for e in shown),
        tuple(e.span.label() for e in shown),
    )


def _happened(event: m.TimelineItem, words: Words) -> str:
    """The true statement of when `event` happened."""
    start, end = event.span.start, event.span.end
    if end and end.year != start.year:
        return words["fact_event_span"].format(event=event.title, start=start.year, end=end.year)
    return words["fact_event_year"].format(event=event.title, year=start.year)


def _facts(
    spec: TrueFalseFacts, number: int, title: str, count: int, material: Material, rng: random.Random, words: Words
) -> m.FactCheck:
    """Half the statements are made false by one verifiable swap: another event's year, another term's meaning."""
    events = [e for e in material.timeline]
    years = {e.title: {e.span.start.year} | ({e.span.end.year} if e.span.end else set()) for e in events}
    entries = [e for e in material.glossary if e.definition]
    facts: list[tuple[str, object]] = [("event", e) for e in events] + [("term", e) for e in entries]
    if len(facts) < 2:
        raise CannotBuild("needs at least 2 timeline events or glossary definitions to make statements from")
    chosen = rng.sample(facts, min(count, len(facts)))
    falses = set(rng.sample(range(len(chosen)), len(chosen) // 2))
    statements, answers, notes = [], [], []
    for index, (kind, fact) in enumerate(chosen):
        if kind == "event":
            event: m.TimelineItem = fact  # type: ignore[assignment]
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
            entry: GlossaryEntry = fact  # type: ignore[assignment]
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
    return m.FactCheck(
        number,
        spec.type,
        title,
        words["true_false_facts_instructions"],
        tuple(statements),
        tuple(answers),
        tuple(notes),
    )


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


def _cloze(
    spec: ClozeActivity, number: int, title: str, count: int, material: Material, level: Level, rng: random.Random,
    words: Words,
) -> m.Cloze:
    entries = [e for e in material.glossary if not spec.terms or e.term in spec.terms]
    rank = {e.term: n for n, e in enumerate(entries)}  # a sentence with two terms gives the one listed first
    unused = TermIndex(entries)  # one pass per sentence for all terms, not one per term
    candidates: list[tuple[int, str, str, tuple[int, int]]] = []  # (order, term, sentence, (start, end))
    for order, sentence in enumerate(s for section in material.sections for s in sentences(section)):
        if not 6 <= word_count(sentence) <= 45:
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
    picked = sorted(rng.sample(candidates, min(count, len(candidates))))
    passage, answers = [], []
    for blank, (_, _, sentence, (start, end)) in enumerate(picked, start=1):
        passage.append((sentence[:start], blank, sentence[end:]))
        answers.append(sentence[start:end])
    bank: list[str] = []
    if spec.word_bank if spec.word_bank is not None else level.word_bank:
        blanked = {term for _, term, _, _ in picked}
        unused = sorted(e.term for e in material.glossary if e.term not in blanked)
        bank = sorted({*answers, *rng.sample(unused, min(level.distractors, len(unused)))}, key=str.casefold)
    instructions = words["cloze_instructions_bank" if bank else "cloze_instructions"]
    return m.Cloze(
        number, spec.type, title, instructions, tuple(tuple(p) for p in passage), tuple(bank), tuple(answers)
    )


def attributed_quotes(material: Material) -> list[m.SourceQuote]:
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
            speaker, _, context = credit.partition(",")
            quotes.append(m.SourceQuote(quote.strip(), speaker.strip(), context.strip(), section.title))
    return quotes


def _sources(spec: SourceAnalysisActivity, number: int, title: str, material: Material,
             words: Words) -> m.SourceAnalysis:
    quotes = attributed_quotes(material)
    if not quotes:
        raise CannotBuild(
            "the sections printed at this level hold no attributed quotation (a block quote whose "
            "last line starts with '\u2014 Name, place, date')"
        )
    return m.SourceAnalysis(
        number,
        spec.type,
        title,
        words["source_analysis_instructions"],
        tuple(quotes),
        (words["source_who"], words["source_when"], words["source_why"]),
        spec.lines,
    )
