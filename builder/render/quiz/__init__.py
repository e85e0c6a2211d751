"""Quiz and study-set exports: the worksheet items and the glossary a level prints, for the systems where
students already are (Moodle, any LMS that reads GIFT, Quizlet).

`questions(document)` turns the resolved document's worksheet items into plain quiz questions, one
model for every quiz format: each item a machine can grade keeps its key (multiple choice, true or
false, matching, the blanks of a cloze), and each it cannot (written answers, source analysis) becomes
an essay with the model answer as the grader's notes, never left out. The writers (moodle.py, gift.py,
study.py) only spell that model in their format.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from builder import model as m
from builder.core.errors import TeachpackError

Kind = Literal["multichoice", "truefalse", "matching", "cloze", "essay"]


@dataclass(frozen=True)
class QuizQuestion:
    """One question as a quiz system holds it. `name` is its number on the handout ("3", "9.2")."""

    kind: Kind
    name: str
    text: str
    choices: tuple[tuple[str, bool], ...] = ()  # multichoice: each choice and whether it is right
    truth: bool | None = None  # truefalse
    pairs: tuple[tuple[str, str], ...] = ()  # matching: each prompt and the answer it matches
    # cloze: the text as pieces, a piece being words or, for a blank, the answers it accepts
    pieces: tuple[str | tuple[str, ...], ...] = ()
    grader: str = ""  # essay: what a right answer says (the pack's model answer, rubric, the key's lines)


def questions(document: m.Document) -> tuple[QuizQuestion, ...]:
    """Every worksheet item of `document`, in print order, as quiz questions."""
    from builder.components.items.cloze import Cloze
    from builder.components.items.matching import Matching
    from builder.components.items.question import Question
    from builder.components.items.source_analysis import SourceAnalysis
    from builder.components.items.timeline_sequencing import Sequencing
    from builder.components.items.true_false_facts import FactCheck
    from builder.components.registry import answer_lines
    from builder.components.worksheet import Worksheet

    words = document.labels
    made: list[QuizQuestion] = []
    for sheet in (c for c in document.components if isinstance(c, Worksheet)):
        for item in sheet.items:
            name = str(item.number)
            if isinstance(item, Question) and item.type == "multiple-choice" and item.choices:
                right = m.LETTERS.index(item.answer[:1])
                made.append(QuizQuestion("multichoice", name, item.prompt,
                                         tuple((c, i == right) for i, c in enumerate(item.choices))))
            elif isinstance(item, Question) and item.type == "true-false":
                made.append(QuizQuestion("truefalse", name, item.prompt, truth=item.answer == words["answer_true"]))
            elif isinstance(item, Question):  # written: a model answer to grade by, not one to match
                grader = "\n".join([item.answer, *item.rubric]).strip()
                made.append(QuizQuestion("essay", name, item.prompt, grader=grader))
            elif isinstance(item, Matching):
                pairs = tuple((p, item.options[a]) for p, a in zip(item.prompts, item.answers, strict=True))
                if sum(len(b) for _, b in pairs) > sum(len(a) for a, _ in pairs):  # short answers in the menus
                    pairs = tuple((b, a) for a, b in pairs)
                made.append(QuizQuestion("matching", name, _lead(item), pairs=pairs))
            elif isinstance(item, Sequencing):  # each event against its place in time
                pairs = tuple((e, str(a)) for e, a in zip(item.events, item.answers, strict=True))
                made.append(QuizQuestion("matching", name, _lead(item), pairs=pairs))
            elif isinstance(item, Cloze):
                for number, sentence in enumerate(item.sentences, 1):
                    pieces = tuple(p if isinstance(p, str) else (item.answers[p - 1],) for p in sentence)
                    if any(isinstance(p, tuple) for p in pieces):
                        made.append(QuizQuestion("cloze", f"{name}.{number}", _lead(item), pieces=pieces))
            elif isinstance(item, FactCheck):
                for number, (statement, truth) in enumerate(zip(item.statements, item.answers, strict=True), 1):
                    made.append(QuizQuestion("truefalse", f"{name}.{number}", f"{item.title} {statement}",
                                             truth=truth))
            elif isinstance(item, SourceAnalysis):
                quote = " ".join(f"\u201c{s.quote}\u201d ({s.speaker}, {s.context})" for s in item.sources)
                for letter, prompt in zip("abcdefgh", item.prompts, strict=False):
                    made.append(QuizQuestion("essay", f"{name}{letter}", f"{quote} {prompt}",
                                             grader="\n".join(answer_lines(item, words))))
            else:  # a kind this export does not know (a plugin's): graded by hand, with the key's lines
                made.append(QuizQuestion("essay", name, item.heading, grader="\n".join(answer_lines(item, words))))
    if not made:
        raise TeachpackError(f"the {document.level.id} level prints no worksheet items to export as a quiz; "
                             "add questions or activities to its worksheet (pack.yaml worksheet: or contents:)")
    return tuple(made)


@dataclass
class Export:
    """An export's renderer (render.Renderer): `write` makes the file of one document; a reader lays it out
    itself (no pages), and nothing is kept between documents. Made by render.get_renderer from EXPORTS."""

    name: str
    suffix: str
    write: Callable[[m.Document], bytes]

    def render(self, document: m.Document) -> bytes:
        return self.write(document)

    def pages(self, data: bytes) -> int | None:
        return None

    def forget(self) -> None:
        pass


def zipped(entries: list[tuple[str, bytes]], created: Any) -> bytes:
    """A zip of `entries` (name, bytes), dated `created` (core.reproducible.fixed_zip): the same level, the
    same bytes."""
    import io
    import zipfile

    from builder.core.reproducible import fixed_zip

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries:
            archive.writestr(name, data)
    return fixed_zip(buffer.getvalue(), created)


def xml_bytes(root: Any) -> bytes:
    """An lxml element as a UTF-8 XML file with its declaration."""
    from lxml import etree

    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return data


def _lead(item: m.Activity) -> str:
    """An activity's title and instructions as one question text."""
    stop = "" if item.title.endswith((".", "?", "!", ":")) else "."
    return f"{item.title}{stop} {item.instructions}"


def glossary(document: m.Document) -> tuple[m.GlossaryItem, ...]:
    """The level's glossary, in its wording: what a study set drills."""
    from builder.components.flashcards import Flashcards
    from builder.components.glossary import Glossary

    for part in document.components:
        if isinstance(part, Glossary) and part.items:
            return part.items
        if isinstance(part, Flashcards) and part.cards:
            return part.cards
    raise TeachpackError(f"the {document.level.id} level prints no glossary to make a study set of; add "
                         "glossary terms its text uses (pack.yaml glossary:) and glossary to contents:")
