"""Small text helpers every import step shares: sentences and words (the one toolkit), Markdown escaping."""

from __future__ import annotations

import re

from builder.core.text import sentences, word_count

__all__ = ["escape_markdown", "sentences", "squash", "word_count"]  # sentences and words: the one toolkit

# Characters that would turn plain text into Markdown formatting, anywhere in a line.
_INLINE = re.compile(r"([\\`*_<])")
_ENTITY = re.compile(r"&(?=#?\w+;)")
# Line starts that would make a heading, quote, list, rule or code fence.
_BLOCK_START = re.compile(r"^(#|>|[-+=~|])")
_NUMBER_START = re.compile(r"^(\d{1,9})([.)])")


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
