"""Reading level of the text a level prints: Flesch-Kincaid grade and Coleman-Liau index.

Offline and deterministic: sentences, words and syllables come from the one text toolkit
(`builder.core.text`: pysbd sentences, CMU-dictionary syllables); Coleman-Liau needs no syllables.
"""

from __future__ import annotations

from dataclasses import dataclass

from builder import model as m
from builder.core import text as t


@dataclass(frozen=True)
class Readability:
    words: int
    sentences: int
    syllables: int
    letters: int

    @property
    def flesch_kincaid(self) -> float:
        if not self.words:
            return 0.0
        return round(0.39 * self.words / self.sentences + 11.8 * self.syllables / self.words - 15.59, 1)

    @property
    def coleman_liau(self) -> float:
        if not self.words:
            return 0.0
        letters_per_100 = self.letters / self.words * 100
        sentences_per_100 = self.sentences / self.words * 100
        return round(0.0588 * letters_per_100 - 0.296 * sentences_per_100 - 15.8, 1)


def measure(text: str, language: str = "en") -> Readability:
    """Counts for running prose: words, sentences (at least one), syllables and letters.

    Linear time: the toolkit's sentence splitter is bounded per call, syllables are dictionary lookups.
    `language` is accepted for callers; the formulas, the splitter and the dictionary are English.
    """
    words = t.words(text)
    sentences = max(1, len(t.sentences(text))) if words else 0
    return Readability(
        words=len(words),
        sentences=sentences,
        syllables=sum(t.syllables(w) for w in words),
        letters=sum(sum(c.isalnum() for c in w) for w in words),
    )


def printed_text(sections: tuple[m.Section, ...]) -> str:
    """The prose a level's students read: paragraphs, list items and quotes, not headings."""
    parts = []
    for section in sections:
        for block in section.blocks:
            if isinstance(block, m.Paragraph):
                parts.append(block.runs)
            elif isinstance(block, m.ListBlock):
                parts.extend(block.items)
            elif isinstance(block, m.Quote):
                parts.extend(block.paragraphs)
    return "\n".join("".join(run.text for run in runs) for runs in parts)
