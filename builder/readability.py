"""Reading level of the text a level prints: Flesch-Kincaid grade and Coleman-Liau index.

Offline and deterministic: syllables come from pyphen's hyphenation dictionary (hyphenation
points + 1, the count textstat used before it needed the network); Coleman-Liau needs none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import pyphen

from . import model as m
from .spelling import MAX_WORD

_WORD = re.compile(r"[A-Za-z0-9\u00C0-\u024F]+(?:['\u2019\-][A-Za-z0-9\u00C0-\u024F]+)*")
# A run of end marks is matched from its first mark only, without backtracking: O(n) on "!!!!…x".
_SENTENCE_END = re.compile(r"(?<![.!?])[.!?]++[\"'\u201d\u2019)\]]*+(?=\s|$)")
_VOWELS = re.compile(r"[aeiouy]+", re.IGNORECASE)


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


@cache
def _dictionary(language: str) -> pyphen.Pyphen:
    # Plain "en" would pick pyphen's British patterns, which split far fewer words.
    lang = language.replace("-", "_")
    if lang not in pyphen.LANGUAGES or lang == "en":
        lang = "en_US"
    return pyphen.Pyphen(lang=lang)


def syllables(word: str, language: str = "en") -> int:
    """Hyphenation points + 1; O(len(word)), and one regex pass for a token longer than any word."""
    if not any(c.isalpha() for c in word):
        return 1  # a number is read as one word; its syllables would only add noise
    if len(word) > MAX_WORD:  # not prose (a pasted run of letters): vowel groups, without pyphen's cache
        return max(1, len(_VOWELS.findall(word)))
    return len(_dictionary(language).positions(word)) + 1


def measure(text: str, language: str = "en") -> Readability:
    """Counts for running prose: words, sentences (at least one), syllables and letters.

    O(n): one pass of each regex, and pyphen per distinct word (its cache) for syllables.
    """
    words = _WORD.findall(text)
    sentences = max(1, len(_SENTENCE_END.findall(text))) if words else 0
    return Readability(
        words=len(words),
        sentences=sentences,
        syllables=sum(syllables(w, language) for w in words),
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
