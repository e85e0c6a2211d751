"""import-report.md and the terminal summary: what was found, what was taken out, what is left to do."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from builder.importer.events import MAX_WORDS
from builder.importer.sections import Section
from builder.importer.text import escape_markdown, squash, word_count
from builder.model import LETTERS

if TYPE_CHECKING:
    from builder.importer import ImportResult


NO_TIMELINE = ("No dated events: the timeline is left out; add events under timeline: and timeline to contents: "
               "to print one.")


TODO_HEADING = "## What is left to do"  # the workbench shows the numbered list under it


def render_report(result: ImportResult) -> str:
    """The import report, in Markdown, for the teacher to read before editing the draft."""
    r = result
    out = [f"# Import report: {r.title}", "",
           f"Source: `{r.source.name}` (read as {r.fmt}), imported into `{r.into}/`.", ""]
    if r.warnings:
        out += ["Warnings:", "", *(f"- {_text(warning)}" for warning in r.warnings), ""]
    if r.notes or r.emoji:
        out += ["Notes:", ""]
        out += [f"- {_text(note)}" for note in r.notes]
        if r.emoji:
            out.append(f"- {r.emoji} emoji removed (decoration)")
        out.append("")

    out += [TODO_HEADING, ""]
    out += [f"{n}. {todo}" for n, todo in enumerate(_todo(r), start=1)]
    out.append("")

    # In the order a teacher reviews a draft: the drafted parts to check first, then what
    # was taken out and why, then the pictures to supply, then the suggestions.
    out += [f"## Glossary draft ({len(r.glossary)} terms)", ""]
    for t in r.glossary:
        out.append(f"- **{_text(t.term)}**: {_text(t.definition) or '(definition to write)'}; {_text(t.why)}")
        if t.simple and t.simple != t.definition:
            out.append(f"  - simpler, for the youngest level: {_text(t.simple)}")
    out += [] if r.glossary else ["No terms found: add `glossary:` entries to pack.yaml."]
    out.append("")

    out += [f"## Worksheet draft ({len(r.questions)} questions)", ""]
    for n, q in enumerate(r.questions, start=1):
        out.append(f"{n}. ({q.skill}) {_text(q.prompt)}")
        out += [f"   {LETTERS[i]}. {_text(c)}" for i, c in enumerate(q.choices)]
        out.append(f"   Answer: {_text(q.answer)}")
    out += [] if r.questions else ["No questions could be drafted: write them under `worksheet:`."]
    out.append("")

    events = r.timeline.events
    out += [f"## Timeline draft ({len(events)} events)", "", "| Date | Title | Section | In the text |",
            "|---|---|---|---|"]
    out += [f"| {e.date} | {_cell(e.title)} | {_cell(', '.join(s or 'opening' for s in e.sections))} | "
            f"{_cell(e.wording)} |" for e in events]
    if not events:
        out += ["", NO_TIMELINE]
    unresolved = [e for e in events if e.pronoun]
    if unresolved:
        out += ["", "Titles whose subject is a pronoun (no name for it was found before it): say who or what:", ""]
        out += [f"- {e.date}: {_quote(e.title)} (\u201c{e.pronoun}\u201d)" for e in unresolved]
    cut = [e for e in events if e.cut]
    if cut:
        out += ["", f"Titles cut to {MAX_WORDS} words from a longer phrase: check each says what happened:", ""]
        out += [f"- {e.date}: {_quote(e.title)}, from “{_text(e.detail or e.wording)}”" for e in cut]
    if r.timeline.skipped:
        out += ["", "Dates left off the timeline:", ""]
        out += [f"- {_quote(s.wording)} in {_text(s.section or 'the opening')}: {s.reason}" for s in r.timeline.skipped]
    out.append("")

    words = sum(_words(s) for s in r.sections)
    out += [f"## Sections found ({len(r.sections)}, {words} words)", "", "| # | Section | Words | Blocks |",
            "|---|---|---|---|"]
    for n, section in enumerate(r.sections, start=1):
        title = section.title or "Introduction"
        flag = " (title made up: rename it)" if section.made_up else ""
        out.append(f"| {n} | {_cell(title)}{flag} | {_words(section)} | {len(section.blocks)} |")
    out.append("")

    out += [f"## Sources ({len(r.sources)}, moved to pack.yaml)", ""]
    out += [f"- {_text(source)}" for source in r.sources] or ["None found: add `sources:` to pack.yaml."]
    out.append("")

    out += [f"## Removed text ({len(r.removals)})", ""]
    if r.removals:
        reasons = Counter(removal.reason for removal in r.removals)
        out += [", ".join(f"{count} \u00d7 {reason}" for reason, count in reasons.items()) + ".", ""]
        out += [f"- {removal.where}, {removal.reason}: {_quote(removal.text)}" for removal in r.removals]
    else:
        out.append("Nothing.")
    out.append("")

    out += [f"## Repeated paragraphs dropped ({len(r.repeats)})", ""]
    for repeat in r.repeats:
        out += [f"- {repeat.where} (in {_text(repeat.section or 'the opening')}), {word_count(repeat.text)} words, "
                f"repeats text kept in: {_text(', '.join(t or 'the opening' for t in repeat.found_in))}",
                "", f"  > {_text(repeat.text)}", ""]
    if not r.repeats:
        out += ["None.", ""]

    if r.figures:
        out += [f"## Images to supply ({len(r.figures)})", ""]
        out += [f"- `images/{name}`: {_text(caption) or 'no caption'}"
                + (f" (alt text: {_text(r.alts[name])})" if name in r.alts else "")
                + " (a grey placeholder stands in for it)"
                + (f"; not copied: {_text(r.refused[name])}" if name in r.refused else "")
                for name, caption in r.figures]
        out.append("")

    flagged = r.spelling.misspellings
    out += [f"## Spelling ({len(flagged)} likely misspellings)", "",
            "Sure suggestions are in pack.yaml's `corrections:` and are applied when the pack builds; the "
            "article file itself is unchanged. Less sure ones are listed there as comments.", "",
            "| Written | Suggestion | Times | Applied |", "|---|---|---|---|"]
    out += [f"| {_cell(m.word)} | {_cell(m.suggestion or '(none)')} | {m.count} | "
            f"{'yes' if m.word in r.corrections else 'no'} |" for m in flagged]
    if r.spelling.names:
        out += ["", "Names the dictionary lacks, accepted as written (in `dictionary:`): "
                + ", ".join(_text(n) for n in r.spelling.names) + "."]
    out.append("")
    return "\n".join(out)


def _todo(r: ImportResult) -> list[str]:
    todo = []
    drafted = [t.term for t in r.glossary if t.drafted]
    if drafted:
        todo.append(f"Read the {len(drafted)} glossary definition(s) drafted from WordNet 3.0 ("
                    + ", ".join(_text(t) for t in drafted) + "): edit or accept each, then delete its "
                    "`drafted:` line; delete the terms you do not want.")
    todo.append(f"Check the subject (`{r.subject}` is a guess) and the attribution in pack.yaml.")
    if r.warnings:
        todo.insert(0, f"Read the {len(r.warnings)} warning(s) above.")
    empty = sum(1 for t in r.glossary if not t.definition)
    if empty:
        todo.append(f"Write {empty} glossary definition(s), or delete the terms you do not want.")
    if r.figures:
        todo.append(f"Replace {len(r.figures)} placeholder image(s) in images/ (listed below).")
    if r.timeline.events:
        todo.append(f"Read the {len(r.timeline.events)} timeline titles: they are drafts cut from sentences.")
    else:
        todo.append(NO_TIMELINE)
    if r.spelling.misspellings:
        todo.append(f"Check the {len(r.corrections)} spelling correction(s) in pack.yaml.")
    if any(s.made_up for s in r.sections):
        todo.append("Give the sections real titles (the source had no headings).")
    if r.removals or r.repeats:
        todo.append("Skim the removed and repeated text below in case something you need went out.")
    if r.questions:
        todo.insert(bool(r.warnings) + bool(drafted),  # after the definitions the vocabulary questions use
                    f"Read the {len(r.questions)} worksheet question(s) drafted from the article and their answers "
                    "(listed below): edit or accept each, then delete its `drafted:` line; add your own.")
        todo.append("Run `teachpack check` and `teachpack build`.")
    else:
        todo.append("Add worksheet questions, then run `teachpack check` and `teachpack build`.")
    return todo


def summary(r: ImportResult) -> list[str]:
    """A few lines for the terminal."""
    lines = [
        f"Imported {r.source.name} ({r.fmt}) into {r.into}/: {len(r.sections)} sections, "
        f"{sum(_words(s) for s in r.sections)} words",
        f"  removed {len(r.removals)} line(s) of navigation and page furniture, "
        f"{len(r.repeats)} repeated paragraph(s)",
        f"  drafted {len(r.timeline.events)} timeline event(s), {len(r.glossary)} glossary term(s) "
        f"({sum(1 for t in r.glossary if not t.definition)} to define), {len(r.spelling.misspellings)} spelling "
        f"suggestion(s) ({len(r.corrections)} in corrections:), {len(r.questions)} worksheet question(s)",
    ]
    if r.figures:
        lines.append(f"  {len(r.figures)} image(s) to supply: " + ", ".join(f"images/{n}" for n, _ in r.figures))
    lines += [f"  note: {note}" for note in r.notes if "UTF-8" in note]
    lines += [f"  warning: {warning}" for warning in r.warnings]
    if r.update is not None:
        lines.append(f"  --update: refreshed {len(r.update.refreshed)} drafted part(s)"
                     + (f": {', '.join(r.update.refreshed[:8])}" if r.update.refreshed else ""))
        lines.append(f"  --update: kept {len(r.update.kept)} part(s) you edited"
                     + (f": {', '.join(r.update.kept[:8])}" if r.update.kept else ""))
    lines.append(f"Next: read {r.into / 'import-report.md'}, then run `teachpack check {r.into}`")
    return lines


def _words(section: Section) -> int:
    return sum(word_count(b.text) + sum(word_count(i) for i in b.items) for b in section.blocks if b.kind != "figure")


def _text(text: str) -> str:
    """Source text shown in Markdown: one line, with characters that would format it escaped."""
    return escape_markdown(text)


def _quote(text: str) -> str:
    return f"\u201c{_text(text)}\u201d"


def _cell(text: str) -> str:
    return _text(squash(text)).replace("|", "\\|")
