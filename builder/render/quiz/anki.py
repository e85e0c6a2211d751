"""Anki: the level's glossary as a deck (an .apkg file: File > Import in Anki), through genanki: a note a
term, its meaning in the level's wording on the back and, as context, the reading's first sentence that
uses the term.

Deck and note type ids are derived from the pack, so a deck imported again updates the one a student
already has rather than adding a copy; dates come from the document, so the same level gives the same file.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
from pathlib import Path

from builder.core.reproducible import fixed_zip
from builder.model import Document
from builder.render.quiz import glossary

FRONT = "{{Term}}"
BACK = '{{FrontSide}}<hr id="answer">{{Meaning}}<br><br><i>{{Context}}</i>'


def _id(*parts: str) -> int:
    """A stable id Anki accepts (a positive 31-bit number) from `parts`."""
    return int(hashlib.sha256("\0".join(parts).encode()).hexdigest()[:7], 16) + (1 << 30)


def context(document: Document, term: str) -> str:
    """The first sentence of the reading that uses `term`, or ""."""
    from builder.components.article import Article
    from builder.components.items.cloze import sentences

    pattern = re.compile(rf"\b{re.escape(term)}\b", re.IGNORECASE)
    found = (s for part in document.components if isinstance(part, Article)
             for section in part.sections for s in sentences(section) if pattern.search(s))
    return next(found, "")


def anki_deck(document: Document) -> bytes:
    import genanki

    model = genanki.Model(
        _id("teachpack", "glossary note"), "teachpack glossary term",
        fields=[{"name": "Term"}, {"name": "Meaning"}, {"name": "Context"}],
        templates=[{"name": "Term to meaning", "qfmt": FRONT, "afmt": BACK}],
    )
    deck = genanki.Deck(_id(document.pack_id, document.level.id, document.form or ""),
                        f"{document.title}::{document.level.label}")
    for item in glossary(document):
        deck.add_note(genanki.Note(model=model, fields=[_html(item.term), _html(item.definition),
                                                        _html(context(document, item.term))],
                                   guid=genanki.guid_for(document.pack_id, document.level.id, item.term)))
    with tempfile.TemporaryDirectory(prefix="teachpack-anki-") as folder:
        path = Path(folder) / "deck.apkg"
        genanki.Package(deck).write_to_file(str(path), timestamp=document.created.timestamp())
        return fixed_zip(path.read_bytes(), document.created)


def _html(text: str) -> str:
    import html

    return html.escape(text, quote=False)
