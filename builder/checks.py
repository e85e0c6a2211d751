"""Content checks for `teachpack check`: things that build but that a teacher should still fix."""

from __future__ import annotations

import re

from .article import parse_article
from .errors import Problem
from .pack import PACK_FILE, Pack, display_path


def content_warnings(pack: Pack) -> list[Problem]:
    """Warnings about a valid pack: empty definitions, glossary terms the article never uses."""
    display = display_path(pack.root / PACK_FILE)
    warnings = []
    text = " ".join(
        run.text
        for section in parse_article(pack.article_text).sections
        for block in section.blocks
        for runs in _block_runs(block)
        for run in runs
    )
    for i, entry in enumerate(pack.file.glossary, start=1):
        if not entry.definition.strip():
            warnings.append(Problem(display, None, f"glossary[{i}].definition",
                                    f"'{entry.term}' has no definition yet; write one"))
        words = [entry.term, *entry.forms]
        if not any(re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text, re.IGNORECASE) for w in words):
            warnings.append(Problem(display, None, f"glossary[{i}].term",
                                    f"'{entry.term}' does not occur in the article; add the form it takes there to forms:"))
    return warnings


def _block_runs(block: object) -> list[tuple]:
    kind = getattr(block, "kind", "")
    if kind in ("paragraph", "subheading"):
        return [block.runs]  # type: ignore[attr-defined]
    if kind == "list":
        return list(block.items)  # type: ignore[attr-defined]
    if kind == "quote":
        return list(block.paragraphs)  # type: ignore[attr-defined]
    return []
