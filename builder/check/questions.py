"""`teachpack check --questions`: every level's worksheet, questions and keys, in reading order, so a
teacher can review them on one screen (the same items and key lines the PDF and DOCX print)."""

from __future__ import annotations

from collections.abc import Iterable

from builder import model as m
from builder.components.registry import answer_lines


def question_lines(documents: Iterable[m.Document]) -> list[str]:
    """One block per level (its first edition and form): each item's number, prompt or title, choices
    or statements, and the answer key's lines."""
    out: list[str] = []
    seen: set[str] = set()
    for document in documents:
        if document.level.id in seen:
            continue
        seen.add(document.level.id)
        out += [f"{document.level.label} (grades {document.level.grades})", ""]
        items = [item for c in document.components for item in getattr(c, "items", ())
                 if isinstance(item, m.Item)]
        if not items:
            out += ["  (no worksheet items)", ""]
        for item in items:
            out.append(f"  {item.number}. {item.heading}")
            out += [f"     {m.LETTERS[i]}. {choice}" for i, choice in enumerate(getattr(item, "choices", ()))]
            out += [f"     {n}. {s}" for n, s in enumerate(getattr(item, "statements", ()), start=1)]
            out += [f"     Key: {line}" for line in answer_lines(item, document.labels)]
        out.append("")
    return out
