"""Quizlet: the level's glossary as the text Quizlet's Import box takes (Create > Import): each term, a
tab, its meaning in the level's wording; one card a line."""

from __future__ import annotations

from builder.model import Document
from builder.render.quiz import glossary


def quizlet(document: Document) -> bytes:
    lines = [f"{_flat(item.term)}\t{_flat(item.definition)}" for item in glossary(document)]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _flat(text: str) -> str:
    """One line, no tabs: the separators Quizlet's import reads."""
    return " ".join(text.split())
