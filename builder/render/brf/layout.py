"""Braille pages as transcribers lay them out (BANA, Braille Formats: Principles of Print-to-Braille
Transcription): 40 cells a line, 25 lines a page.

Line 1 of every page but the first holds the running head (the title, centred); line 25 holds the
braille page number at the right margin and nothing else, so it always has its three blank cells
before it. Text fills the lines between. Each block of text has a format: where its first line and
its runover lines start (paragraphs 3-1, list items 1-3, nested items 3-5, cell-5 and cell-7
headings), or centred. Lines break at the spaces of the braille, never inside a braille word; a word
longer than a line is divided with a hyphen (after a hyphen of its own where it has one).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

CELLS = 40  # cells in a line
LINES = 25  # lines on a page
CENTRED_MOST = CELLS - 6  # a centred line keeps at least three blank cells at each side
HEAD_MOST = CELLS - 6  # the running head: the title, cut at a word to fit
# Signs that belong to the cell after them (capital, number, grade 1, typeform and symbol prefixes):
# a long word is never divided right after one of them.
PREFIXES = frozenset(',#;^_.@"')


@dataclass(frozen=True)
class Format:
    """Where a block's lines start (cells from the margin, 0 for cell 1) and what goes around it."""

    first: int = 0
    runover: int = 0
    centred: bool = False
    blank_before: bool = False  # a blank line before it, unless it starts a page
    new_page: bool = False
    keep: bool = False  # a heading: on the same page as the first line after it


PARAGRAPH = Format(2, 0)  # 3-1
ITEM = Format(0, 2)  # 1-3
NESTED = Format(2, 4)  # 3-5
DISPLAYED = Format(4, 4, blank_before=True)  # a quotation: blocked in two cells from nested items
HEADING = Format(centred=True, blank_before=True, new_page=True, keep=True)  # a part's heading, on a new page
CENTRED = Format(centred=True, blank_before=True, keep=True)  # a main heading within a part
CELL5 = Format(4, 4, blank_before=True, keep=True)  # a section heading
CELL7 = Format(6, 6, blank_before=True, keep=True)  # a subheading
TITLE = Format(centred=True)  # a title page line


@dataclass(frozen=True)
class Block:
    """One block of braille (one line of braille ASCII, not yet divided) and its format."""

    braille: str
    format: Format


def wrap(braille: str, first: int, runover: int, width: int = CELLS) -> list[str]:
    """`braille` in lines of at most `width` cells, the first indented `first` cells, the others `runover`."""
    lines: list[str] = []
    line, indent = "", first
    for word in braille.split():
        while word:
            room = width - indent - (len(line) + 1 if line else 0)
            if len(word) <= room:
                line, word = f"{line} {word}" if line else word, ""
            elif line:  # the word goes to the next line whole
                lines.append(" " * indent + line)
                line, indent = "", runover
            else:  # longer than a whole line: divide it
                head, word = _divide(word, room)
                lines.append(" " * indent + head)
                indent = runover
    if line or not lines:
        lines.append(" " * indent + line)
    return lines


def _divide(word: str, room: int) -> tuple[str, str]:
    """The part of `word` that fits in `room` cells with its hyphen, and the rest."""
    own = word.rfind("-", 1, room)  # after a hyphen of its own: no hyphen added
    if own > 0:
        return word[: own + 1], word[own + 1 :]
    cut = room - 1
    while cut > 1 and word[cut - 1] in PREFIXES:
        cut -= 1
    return word[:cut] + "-", word[cut:]


def centre(line: str, width: int = CELLS) -> str:
    return " " * ((width - len(line)) // 2) + line


def block_lines(block: Block) -> list[str]:
    f = block.format
    if f.centred:
        return [centre(line) for line in wrap(block.braille, 0, 0, CENTRED_MOST)]
    return wrap(block.braille, f.first, f.runover)


def capacity(page: int) -> int:
    """The text lines of page `page` (from 0): the first has no running head; the last line is the number's."""
    return LINES - 1 if page == 0 else LINES - 2


def paginate(blocks: Sequence[Block]) -> list[list[str]]:
    """The text lines of each page, in order (running heads and page numbers not yet added)."""
    laid = [block_lines(b) for b in blocks]
    pages: list[list[str]] = [[]]
    for index, (block, lines) in enumerate(zip(blocks, laid, strict=True)):
        page = pages[-1]
        if block.format.new_page and page:
            pages.append(page := [])
        blank = block.format.blank_before and bool(page)
        if block.format.keep and page and capacity(len(pages) - 1) - len(page) < blank + _kept(blocks, laid, index):
            pages.append(page := [])
            blank = False
        if blank:
            page.append("")
        for line in lines:
            if len(page) >= capacity(len(pages) - 1):
                pages.append(page := [])
            page.append(line)
    return pages


def _kept(blocks: Sequence[Block], laid: Sequence[list[str]], index: int) -> int:
    """The lines heading `index` keeps together: itself, the headings right after it and the first line of
    the text under them, with the blank lines between."""
    count, at = len(laid[index]), index + 1
    while at < len(blocks) and not blocks[at].format.new_page:
        count += blocks[at].format.blank_before
        if not blocks[at].format.keep:
            return count + 1
        count += len(laid[at])
        at += 1
    return count


def running_head(title: str) -> str:
    """The title in braille cut after its last whole word that fits, centred."""
    words, head = title.split(), ""
    for word in words:
        if len(head) + bool(head) + len(word) > HEAD_MOST:
            break
        head = f"{head} {word}" if head else word
    return centre(head or title[:HEAD_MOST])


def pages_text(pages: Sequence[Sequence[str]], head: str, numbers: Sequence[str]) -> str:
    """The file: each page 25 lines (the running head on line 1 from the second page, the braille page number
    at the right of line 25), lines ending CR LF, each page ending with a form feed."""
    out = []
    for index, text in enumerate(pages):
        lines = ([] if index == 0 else [running_head(head)]) + list(text)
        lines += [""] * (LINES - 1 - len(lines))
        lines.append(numbers[index].rjust(CELLS))
        out.append("".join(f"{line.rstrip()}\r\n" for line in lines) + "\f")
    return "".join(out)
