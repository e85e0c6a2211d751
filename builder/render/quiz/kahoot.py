"""Kahoot!: the level's quiz as the spreadsheet Kahoot imports (Create > Kahoot > Add question > Import
spreadsheet), laid out as Kahoot's quiz template: a question a row from row 9, the question in column B,
up to four answers in C to F, the time limit in G and the number of the right answer in H.

Kahoot takes single-answer questions within its limits only: the question at most 120 characters, each
answer at most 75, 2 to 4 answers. Multiple choice and true-or-false items that fit go in; every other
item is listed, with why, on a second sheet ("Left out"), never dropped unsaid.
"""

from __future__ import annotations

import io
import re
import zipfile

from builder.model import Document
from builder.render.quiz import QuizQuestion, questions, zipped

QUESTION, ANSWER, MOST = 120, 75, 4  # Kahoot's limits: characters a question, characters an answer, answers
TIME_LIMIT = 30  # seconds a question: one of the times Kahoot allows (5, 10, 20, 30, 60, 90, 120, 240)
KINDS = {"matching": "a matching question", "cloze": "a sentence with blanks", "essay": "a written answer"}
FIRST_ROW = 9  # the template's first question row, under its instructions and headings (row 8)
HEADINGS = ("Question - max 120 characters", "Answer 1 - max 75 characters", "Answer 2 - max 75 characters",
            "Answer 3 - max 75 characters", "Answer 4 - max 75 characters",
            "Time limit (sec) - 5, 10, 20, 30, 60, 90, 120, or 240 secs", "Correct answer(s) - choose at least one")


def kahoot_rows(document: Document) -> tuple[list[tuple[str, list[str], int]], list[tuple[str, str]]]:
    """The questions Kahoot takes, (question, answers, the right one's number from 1), and those it cannot,
    (name, why)."""
    words = document.labels
    taken: list[tuple[str, list[str], int]] = []
    left: list[tuple[str, str]] = []
    for q in questions(document):
        choices = _choices(q, words["answer_true"], words["answer_false"])
        if choices is None:
            left.append((q.name, f"{KINDS[q.kind]}: Kahoot takes questions with one right answer of 2 to 4"))
        elif len(q.text) > QUESTION:
            left.append((q.name, f"the question has {len(q.text)} characters; Kahoot takes {QUESTION}"))
        elif not 2 <= len(choices) <= MOST:
            left.append((q.name, f"{len(choices)} answers; Kahoot takes 2 to {MOST}"))
        elif any(len(text) > ANSWER for text, _ in choices):
            left.append((q.name, f"an answer is longer than Kahoot's {ANSWER} characters"))
        else:
            right = next(n for n, (_, is_right) in enumerate(choices, 1) if is_right)
            taken.append((q.text, [text for text, _ in choices], right))
    return taken, left


def _choices(q: QuizQuestion, true: str, false: str) -> list[tuple[str, bool]] | None:
    if q.kind == "multichoice":
        return [(text.strip(), right) for text, right in q.choices]
    if q.kind == "truefalse":
        return [(true, q.truth is True), (false, q.truth is False)]
    return None


def kahoot(document: Document) -> bytes:
    from openpyxl import Workbook

    taken, left = kahoot_rows(document)
    book = Workbook()
    sheet = book.active
    sheet.title = "Kahoot quiz"
    sheet["B2"] = f"{document.title}: {document.level.label}"
    for column, heading in enumerate(HEADINGS, start=2):
        sheet.cell(row=FIRST_ROW - 1, column=column, value=heading)
    for row, (question, answers, right) in enumerate(taken, start=FIRST_ROW):
        sheet.cell(row=row, column=1, value=row - FIRST_ROW + 1)
        sheet.cell(row=row, column=2, value=question)
        for column, answer in enumerate(answers, start=3):
            sheet.cell(row=row, column=column, value=answer)
        sheet.cell(row=row, column=7, value=TIME_LIMIT)
        sheet.cell(row=row, column=8, value=right)
    notes = book.create_sheet("Left out")
    notes.append(("Question", "Why Kahoot cannot take it"))
    for name, why in left:
        notes.append((name, why))
    book.properties.creator = "teachpack"
    book.properties.created = book.properties.modified = document.created.replace(tzinfo=None)
    buffer = io.BytesIO()
    book.save(buffer)  # openpyxl dates the file's "modified" by the clock: it is set back to the document's
    stamp = document.created.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(buffer) as archive:
        entries = [(info.filename, archive.read(info)) for info in archive.infolist()]
    entries = [(name, re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp, data)
                if name == "docProps/core.xml" else data) for name, data in entries]
    return zipped(entries, document.created)
