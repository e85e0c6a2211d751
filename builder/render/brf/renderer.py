"""BRF renderer: the student edition as a braille-ready file (UEB through liblouis, BANA page layout).

Each component and item kind writes its own text through BrfWriter (its `brf` writer in the registry),
as print text with a braille format; the renderer translates all of a document's text in one liblouis
run, lays the braille out in pages (layout.py) and writes the pages as upper-case braille ASCII.
"""

from __future__ import annotations

import math

from builder import model as m
from builder.components.api import ComponentKind, ItemKind
from builder.components.registry import component_of, item_kind
from builder.core.errors import BuildError, TeachpackError
from builder.render.brf import layout, louis
from builder.render.brf.layout import Block, Format

EDITIONS = ("student",)  # what a braille file is made of: a teacher edition in braille is rarely wanted


def writer_of(kind: ComponentKind | ItemKind) -> None:
    """Raise when `kind` has no braille writer: a plugin's kind may lack one; a build asking for braille
    says so before anything is written (preflight)."""
    if kind.brf is None:
        name = kind.name if isinstance(kind, ComponentKind) else kind.type
        raise TeachpackError(f"'{name}' has no braille writer (its kind gives no `brf`), so the braille file "
                             "cannot print it; leave out --format brf, or give the kind a brf writer "
                             "(docs/extending.md)")


def check_document(document: m.Document) -> None:
    """Raise when `document` cannot become a braille file: not a student edition, or a part or item whose kind
    has no braille writer."""
    if document.edition not in EDITIONS:
        raise TeachpackError(f"the braille file is made of the {' and '.join(EDITIONS)} edition only, not the "
                             f"{document.edition} edition")
    if document.language.lower().split("-")[0] != "en":
        raise TeachpackError(f"braille is made with the tables of Unified English Braille; this pack's language is "
                             f"'{document.language}': leave out --format brf")
    for component in document.components:
        writer_of(component_of(component))
        for item in getattr(component, "items", ()):
            if isinstance(item, m.Item):
                writer_of(item_kind(item.type))


class BrfWriter:
    """Collects one document's text, in print, each block with its braille format. Components and items write
    through its helpers (components/*.py); the renderer translates and lays out what it holds."""

    def __init__(self, document: m.Document) -> None:
        self.doc = document
        self.words = document.labels
        self.blocks: list[tuple[str, Format]] = []
        self.literal: set[int] = set()  # the blocks that are braille ASCII already (letters), not translated

    def words_for(self, key: str, **values: object) -> str:
        return self.words[key].format(**values)

    def add(self, text: str, fmt: Format) -> None:
        if text.strip():
            self.blocks.append((text, fmt))

    def heading(self, text: str) -> None:
        """A part's heading: centred, on a new page."""
        self.add(text, layout.HEADING)

    def section(self, text: str) -> None:
        """A section's heading within a part, at cell 5."""
        self.add(text, layout.CELL5)

    def subheading(self, text: str) -> None:
        self.add(text, layout.CELL7)

    def paragraph(self, text: str) -> None:
        self.add(text, layout.PARAGRAPH)

    def item(self, text: str, nested: bool = False) -> None:
        """A list item (1-3); `nested`, one under another item (3-5): a question's choices."""
        self.add(text, layout.NESTED if nested else layout.ITEM)

    def letters(self, text: str) -> None:
        """A row of letters read one by one (a word search's grid row), under the item: uncontracted and without
        capital signs, so each cell is one letter. Braille ASCII writes the letters a-z as themselves, so
        they are not translated (liblouis would contract "ow" or "ing"); other letters are."""
        if text.isascii() and text.isalpha():
            self.literal.add(len(self.blocks))
            self.add(text.upper(), layout.NESTED)
        else:
            self.item(text, nested=True)

    def displayed(self, text: str) -> None:
        """A quotation, blocked in from the text around it."""
        self.add(text, layout.DISPLAYED)

    def centred(self, text: str) -> None:
        self.add(text, layout.TITLE)

    def blank(self) -> str:
        """A blank to fill in, as braille shows one: a row of cells of dots 3-6 (print hyphens)."""
        return "----"

    def block_words(self, component: m.Component, block: str) -> list[str]:
        """The words the PDF prints in `block` of `component`'s template, a workspace's override included
        (the name lines): the same words as the print, as DocxWriter.block_words gives them."""
        from builder.render.html.page import block_words

        return block_words(self.doc, component, block)

    def picture(self, alt: str, caption: str | None) -> None:
        """A picture is its alt text (and its caption): braille has no pictures."""
        self.paragraph(self.words_for("braille_picture", alt=alt or self.words["braille_no_alt"]))
        if caption:
            self.paragraph(caption)

    def component(self, component: m.Component) -> None:
        kind = component_of(component)  # an unregistered node is an error naming it
        writer_of(kind)
        assert kind.brf is not None
        kind.brf(self, component)

    def body(self, item: m.Item) -> None:
        """What a worksheet item prints after its numbered prompt, by its kind."""
        kind = item_kind(item.type)  # an unknown type is an error naming it
        writer_of(kind)
        assert kind.brf is not None
        kind.brf(self, item)

    @staticmethod
    def text(runs: m.Runs) -> str:
        """Runs as one line of print: bold and links are not marked in braille here, a line break is a space."""
        return " ".join("".join(" " if r.line_break else r.text for r in runs).split())


class BrfRenderer:
    name = "brf"
    suffix = ".brf"

    def render(self, document: m.Document) -> bytes:
        check_document(document)
        writer = BrfWriter(document)
        for component in document.components:
            writer.component(component)
        grade = document.styling.braille_grade
        texts = [text for i, (text, _) in enumerate(writer.blocks) if i not in writer.literal]
        # The page numbers go in the same liblouis run: as many as the text could fill, generously counted.
        guess = _most_pages(writer.blocks)
        braille = louis.forward([*texts, document.title, *map(str, range(1, guess + 1))], grade)
        translated = iter(braille[: len(texts)])
        blocks = [Block(text if i in writer.literal else next(translated), fmt)
                  for i, (text, fmt) in enumerate(writer.blocks)]
        head, numbers = braille[len(texts)], braille[len(texts) + 1 :]
        pages = layout.paginate(blocks)
        if len(pages) > len(numbers):  # never seen: more pages than the count allows for
            numbers += louis.forward([str(n) for n in range(len(numbers) + 1, len(pages) + 1)], grade)
        data = layout.pages_text(pages, head, numbers)
        outside = sorted(set(data) - louis.BRAILLE_ASCII - {"\r", "\n", "\f"})
        if outside:
            raise BuildError(f"the braille has characters that are not braille ASCII ({''.join(outside)!r}) "
                             "(please report this)")
        return data.encode("ascii")

    def forget(self) -> None:
        """Nothing is kept from one document for the next."""

    def pages(self, data: bytes) -> int:
        """Braille pages: each ends with a form feed."""
        return data.count(b"\f")


def _most_pages(blocks: list[tuple[str, Format]]) -> int:
    """More pages than `blocks` can fill: braille of a print text is at most about twice as long (capital and
    number signs), and each block may add a blank line and start a page."""
    lines = sum(math.ceil((2 * len(text) + 8) / (layout.CELLS - 6)) + 1 for text, _ in blocks)
    parts = sum(fmt.new_page for _, fmt in blocks)
    return lines // layout.capacity(1) + parts + 2
