"""Finding glossary terms in running text: whole words, any case, but not inside a proper name.

A term or one of its forms is found where no letter, digit, underscore or hyphen touches it on
either side, in any case; a lowercase term written with a capital inside a sentence is part of a
name ("the Chinese Communist Party", "Treaty of Friendship, Alliance and Mutual Assistance"), not
the term. One `TermIndex` finds every entry in one pass, however many there are.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from itertools import chain

from .pack import GlossaryEntry

_OPENERS = ".!?:\"\u201c"  # after one of these (and spaces), a capital starts a sentence
_END = ""  # the key of a trie node's terms: every other key is one (lowercased) character


def _word_char(char: str) -> bool:
    """What `[\\w-]` matches in a regex: a letter, digit, underscore or hyphen."""
    return char.isalnum() or char in "_-"


class _Preceding:
    """Whether a capital at a position starts a sentence, for positions given in increasing order.

    Each stretch of text is looked at once (not the whole text before every match), so a pass
    over all matches stays O(n). Text before `start` does not count, as if it were cut off.
    """

    def __init__(self, text: str, start: int = 0) -> None:
        self.text, self.start, self.scanned, self.last = text, start, start, start - 1

    def sentence_start(self, position: int) -> bool:
        chunk = self.text[self.scanned:position].rstrip()
        if chunk:
            self.last = self.scanned + len(chunk) - 1
        self.scanned = position
        return self.last < self.start or self.text[self.last] in _OPENERS


class TermIndex:
    """Every form of many glossary entries, found in one pass however many entries there are.

    The forms, lowercased, make a trie; from each place a form can start, one walk finds every
    form ending there at a word boundary. O(n * L) for n characters of text and L the longest
    form (a regex per entry would be O(n * k) for k entries, and one alternation of all forms is
    O(n * k) too in Python's engine). L is the price: a 200-character form over text that repeats
    its beginning ("a a a ...") walks 200 characters from every word. Terms can be taken out
    (`discard`) once they no longer matter.
    """

    def __init__(self, entries: Iterable[GlossaryEntry]) -> None:
        self._entries = tuple(entries)
        self._root: dict[str, dict] = {}  # type: ignore[type-arg]
        self._ends: dict[str, list[set[str]]] = {}  # term -> the node sets that hold it
        self._lowercase: dict[str, bool] = {}
        firsts: set[str] = set()
        for entry in self._entries:
            self._lowercase[entry.term] = entry.term == entry.term.lower()
            for word in {entry.term, *entry.forms}:
                node = self._root
                for char in word:
                    node = node.setdefault(char.lower(), {})
                ends = node.setdefault(_END, set())
                ends.add(entry.term)
                self._ends.setdefault(entry.term, []).append(ends)
                firsts.update((word[0], word[0].lower(), word[0].upper()))
        chars = "".join(re.escape(c) for c in sorted(firsts))
        # Where a form can start: one of the first characters, not right after a word character.
        self._starts = re.compile(rf"(?<![\w-])[{chars}]", re.IGNORECASE) if chars else None

    def __len__(self) -> int:
        return len(self._ends)

    def discard(self, term: str) -> None:
        """Stop finding `term` (O(number of its forms))."""
        for ends in self._ends.pop(term, ()):
            ends.discard(term)

    def hits(self, text: str, start: int = 0) -> Iterator[tuple[int, int, str]]:
        """(start, end, term) of each use in `text[start:]`, left to right, longest first, then by term.

        A term's uses are what `re.finditer` of its forms (longest first) finds in that slice, less
        the names: they do not overlap one another, though they may overlap other terms'. O(n * L).
        """
        if self._starts is None:
            return
        preceding = _Preceding(text, start)
        next_from: dict[str, int] = {}  # a term's next use starts where its last one ended
        size = len(text)
        # `start` itself counts as the beginning of the text, as in a slice.
        positions = chain((start,), (match.start() for match in self._starts.finditer(text, start + 1)))
        for position in positions:
            node, end, ends = self._root, position, []
            while end < size and (node := node.get(text[end].lower())) is not None:  # type: ignore[assignment]
                end += 1
                if node.get(_END) and (end == size or not _word_char(text[end])):
                    ends.append((end, node[_END]))
            seen: set[str] = set()  # a term matches its longest form here, as an alternation longest first would
            for end, terms in reversed(ends):
                for term in sorted(terms - seen):
                    seen.add(term)
                    if position < next_from.get(term, start):
                        continue
                    next_from[term] = end
                    if (self._lowercase[term] and text[position].isupper()
                            and not preceding.sentence_start(position)):
                        continue
                    yield position, end, term

    def first_uses(self, text: str) -> Iterator[tuple[int, int, str]]:
        """The first use of each term still in the index, left to right, each taken out once found.

        The text after a use is searched afresh, as if cut off there. O(n * L).
        """
        start = 0
        while self._ends:
            hit = next(self.hits(text, start), None)
            if hit is None:
                return
            self.discard(hit[2])
            yield hit
            start = hit[1]

    def used(self, text: str) -> set[str]:
        """The terms that occur in `text`. O(n * L)."""
        pending = TermIndex(self._entries)
        found: set[str] = set()
        for _, _, term in pending.hits(text):
            pending.discard(term)  # a term found once need not be looked at again
            found.add(term)
        return found

    def occurs(self, text: str) -> bool:
        """Whether any term occurs in `text`. O(n * L)."""
        return next(self.hits(text), None) is not None
