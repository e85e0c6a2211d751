"""Finding glossary terms in running text: whole words, any case, but not inside a proper name.

A term or one of its forms is found where no letter, digit, underscore or hyphen touches it on
either side, in any case; a lowercase term written with a capital inside a sentence is part of a
name ("the Chinese Communist Party", "Treaty of Friendship, Alliance and Mutual Assistance"), not
the term. One `TermIndex` finds every entry in one pass, however many there are.
"""

from __future__ import annotations

import heapq
import re
from collections import deque
from collections.abc import Iterable, Iterator

from builder.load.schema import GlossaryEntry

_OPENERS = ".!?:\"\u201c"  # after one of these (and spaces), a capital starts a sentence


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

    An Aho-Corasick automaton of the forms, lowercased, reads the text once, a character at a
    time, and reports each form where it ends; forms not standing as whole words are dropped
    there. O(n + m log m) for n characters and m whole-word occurrences of forms, whatever the
    number or length of the forms (a regex per entry would be O(n * k) for k entries, and one
    alternation of all forms is O(n * k) too in Python's engine). Terms can be taken out
    (`discard`) once they no longer matter.
    """

    def __init__(self, entries: Iterable[GlossaryEntry]) -> None:
        self._entries = tuple(entries)
        # The automaton, one list entry per node (0 is the root): its moves, its failure link
        # (the longest proper suffix that is also a node), its depth, the terms whose form ends
        # there, and the nearest node on its failure chain (itself included) where a form ends.
        self._moves: list[dict[str, int]] = [{}]
        self._fail: list[int] = [0]
        self._depth: list[int] = [0]
        self._terms: list[set[str]] = [set()]
        self._ends: dict[str, list[set[str]]] = {}  # term -> the node sets that hold it
        self._lowercase: dict[str, bool] = {}
        firsts: set[str] = set()
        for entry in self._entries:
            self._lowercase[entry.term] = entry.term == entry.term.lower()
            for word in {entry.term, *entry.forms}:
                node = 0
                for char in word:
                    key = char.lower()
                    if key not in self._moves[node]:
                        self._moves[node][key] = len(self._moves)
                        self._moves.append({})
                        self._fail.append(0)
                        self._depth.append(self._depth[node] + 1)
                        self._terms.append(set())
                    node = self._moves[node][key]
                self._terms[node].add(entry.term)
                self._ends.setdefault(entry.term, []).append(self._terms[node])
                firsts.update((word[0], word[0].lower(), word[0].upper()))
        self._output = [-1] * len(self._moves)
        queue = deque(self._moves[0].values())
        while queue:  # breadth first, so that every failure link points to a node already done
            node = queue.popleft()
            fail = self._fail[node]
            self._output[node] = node if self._terms[node] else self._output[fail]
            for key, child in self._moves[node].items():
                link = fail
                while link and key not in self._moves[link]:
                    link = self._fail[link]
                self._fail[child] = self._moves[link].get(key, 0)
                queue.append(child)
        self._longest = max(self._depth)
        chars = "".join(re.escape(c) for c in sorted(firsts))
        self._firsts = re.compile(f"[{chars}]", re.IGNORECASE) if chars else None  # where a form can begin

    def __len__(self) -> int:
        return len(self._ends)

    def discard(self, term: str) -> None:
        """Stop finding `term` (O(number of its forms))."""
        for ends in self._ends.pop(term, ()):
            ends.discard(term)

    def _occurrences(self, text: str, start: int) -> Iterator[tuple[int, int, str]]:
        """(start, end, term) of every whole-word occurrence of a form in `text[start:]`, by end. O(n + m)."""
        if self._firsts is None:
            return
        moves, fail, depth, terms, output = self._moves, self._fail, self._depth, self._terms, self._output
        size, node, at = len(text), 0, start
        while at < size:
            if not node:  # nothing begun: skip to the next character that can begin a form
                found = self._firsts.search(text, at)
                if found is None:
                    return
                at = found.start()
            key = text[at].lower()
            while node and key not in moves[node]:
                node = fail[node]
            node = moves[node].get(key, 0)
            at += 1
            end = output[node]
            if end < 0 or (at < size and _word_char(text[at])):
                continue
            while end >= 0:
                begin = at - depth[end]
                if terms[end] and (begin == start or not _word_char(text[begin - 1])):
                    for term in tuple(terms[end]):  # a consumer may discard terms meanwhile
                        yield begin, at, term
                end = output[fail[end]]

    def hits(self, text: str, start: int = 0) -> Iterator[tuple[int, int, str]]:
        """(start, end, term) of each use in `text[start:]`, left to right, longest first, then by term.

        A term's uses are what `re.finditer` of its forms (longest first) finds in that slice, less
        the names: they do not overlap one another, though they may overlap other terms'. Text
        before `start` counts for nothing, as if cut off. O(n + m log m).
        """
        preceding = _Preceding(text, start)
        next_from: dict[str, int] = {}  # a term's next use starts where its last one ended
        taken: dict[str, int] = {}  # where each term was last looked at: its longest form there counts
        waiting: list[tuple[int, int, str]] = []  # (start, -length, term), until no longer form can start earlier

        def ready(before: float) -> Iterator[tuple[int, int, str]]:
            while waiting and waiting[0][0] < before:
                begin, length, term = heapq.heappop(waiting)
                if taken.get(term) == begin or term not in self._ends:
                    continue
                taken[term] = begin
                if begin < next_from.get(term, start):
                    continue
                next_from[term] = begin - length
                if self._lowercase[term] and text[begin].isupper() and not preceding.sentence_start(begin):
                    continue
                yield begin, begin - length, term

        for begin, end, term in self._occurrences(text, start):
            heapq.heappush(waiting, (begin, begin - end, term))
            yield from ready(end - self._longest)  # an occurrence found later starts at or after this
        yield from ready(float("inf"))

    def first_uses(self, text: str) -> Iterator[tuple[int, int, str]]:
        """The first use of each term still in the index, left to right, each taken out once found.

        The text after a use is searched afresh, as if cut off there: O(n + k * L + m log m) for k
        terms found and L the longest form (each fresh search rereads at most L characters).
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
        """The terms that occur in `text`. O(n + m log m)."""
        pending = TermIndex(self._entries)
        found: set[str] = set()
        for _, _, term in pending.hits(text):
            pending.discard(term)  # a term found once need not be looked at again
            found.add(term)
        return found

    def occurs(self, text: str) -> bool:
        """Whether any term occurs in `text`. O(n + m log m)."""
        return next(self.hits(text), None) is not None
