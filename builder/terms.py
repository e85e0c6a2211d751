"""Finding glossary terms in running text: whole words, any case, but not inside a proper name."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .pack import GlossaryEntry


@dataclass(frozen=True)
class TermFinder:
    """Finds one glossary entry (its term or any of its forms) in text."""

    term: str
    pattern: re.Pattern[str]
    lowercase: bool  # "alliance" is a common noun; "Cold War" is a name

    def search(self, text: str, start: int = 0) -> re.Match[str] | None:
        """The first use of the term at or after `start`.

        A lowercase term written with a capital inside a sentence is part of a name ("the Chinese
        Communist Party", "Treaty of Friendship, Alliance and Mutual Assistance"), not the term.
        """
        for match in self.pattern.finditer(text, start):
            capital = match.group()[0].isupper()
            sentence_start = not text[: match.start()].strip() or text[: match.start()].rstrip()[-1] in ".!?:\"\u201c"
            if self.lowercase and capital and not sentence_start:
                continue
            return match
        return None


def finder(entry: GlossaryEntry) -> TermFinder:
    words = sorted({entry.term, *entry.forms}, key=len, reverse=True)
    alternatives = "|".join(re.escape(w) for w in words)
    pattern = re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.IGNORECASE)
    return TermFinder(entry.term, pattern, entry.term == entry.term.lower())
