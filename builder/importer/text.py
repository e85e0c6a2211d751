"""Small text helpers every import step shares: sentences, words, Markdown escaping."""

from __future__ import annotations

import re

# A sentence ends at . ! ? (possibly inside closing quotes or brackets) before a space and a
# capital, a digit or an opening quote. Abbreviations such as "U.N." rarely precede a capital.
_SENTENCE_END = re.compile(r"(?<=[.!?])([\"'\u201d\u2019)\]]*)\s+(?=[\"'\u201c\u2018(\[]?[A-Z0-9])")
_ABBREVIATIONS = {"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "st", "mt",
                  "ft", "mr", "mrs", "ms", "dr", "jr", "sr", "gen", "col", "capt", "lt", "gov", "sen", "rep", "rev",
                  "prof", "no", "vol", "vs", "etc", "approx", "ca", "c", "e.g", "i.e"}

_WORD_STOP = re.compile(r"(\w+)\.$")
_WINDOW = 1 + max(len(word) for word in _ABBREVIATIONS) + 2  # the stop, the longest abbreviation, and more

# Characters that would turn plain text into Markdown formatting, anywhere in a line.
_INLINE = re.compile(r"([\\`*_<])")
_ENTITY = re.compile(r"&(?=#?\w+;)")
# Line starts that would make a heading, quote, list, rule or code fence.
_BLOCK_START = re.compile(r"^(#|>|[-+=~|])")
_NUMBER_START = re.compile(r"^(\d{1,9})([.)])")


def sentences(text: str) -> list[str]:
    """Split a paragraph into sentences, keeping each sentence's own punctuation."""
    parts, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        # Only the few characters before the stop are looked at (linear time, however many stops
        # are skipped): a word that fills the window is too long to be an abbreviation anyway.
        end = match.start()
        before = _WORD_STOP.search(text, max(start, end - _WINDOW), end)
        if before and not (before.start() == end - _WINDOW > start) and (
                before.group(1).lower() in _ABBREVIATIONS or len(before.group(1)) == 1):
            continue  # "Jan. 17", "Mount St. Helens", "Alexander V. Mao": not a sentence end
        parts.append(text[start:match.end(1)].strip())  # closing quotes stay with their sentence
        start = match.end()
    parts.append(text[start:].strip())
    return [part for part in parts if part]


def word_count(text: str) -> int:
    return len(text.split())


def squash(text: str) -> str:
    """Whitespace runs to one space, ends trimmed: how paragraphs are compared and written."""
    return " ".join(text.split())


def escape_markdown(text: str) -> str:
    """Plain text as one Markdown paragraph that prints exactly that text."""
    text = _INLINE.sub(r"\\\1", squash(text))
    text = _ENTITY.sub(r"\\&", text)
    text = _escape_link_openers(text)
    text = _BLOCK_START.sub(r"\\\1", text)
    return _NUMBER_START.sub(r"\1\\\2", text)


def _escape_link_openers(text: str) -> str:
    """Escape each '[' whose next ']' is followed by '(', '[' or ':' (it would start a link).

    The '['s between two ']'s share one answer, so the text is cut at each ']' once: linear time
    (a lookahead regex from every '[' to the next ']' was quadratic on 100 KB of '[').
    """
    pieces = text.split("]")
    for n in range(len(pieces) - 1):
        after = pieces[n + 1][:1]
        if after and after in "([:":
            pieces[n] = pieces[n].replace("[", "\\[")
    return "]".join(pieces)
