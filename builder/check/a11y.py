"""`teachpack check --a11y`: build each document in memory and read back what assistive technology uses.

PDF (pypdf): a structure tree, the document language, a title shown as the window title,
bookmarks, alt text on every Figure, headings that never skip a level, a header cell in every
table, and a tag tree in page order. DOCX (python-docx): title and language, alt text (docPr descr)
on every picture, heading styles that never skip a level, and repeated header rows on data tables.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from builder.model import Document

if TYPE_CHECKING:
    from pypdf.generic import DictionaryObject


@dataclass
class Report:
    """One built file: what was found (`facts`) and what fails (`problems`), one short line each."""

    file: str
    facts: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def check_files(documents: list[Document]) -> list[Report]:
    """Render every document as PDF and DOCX (nothing written) and report on each file."""
    from builder.render import get_renderer

    pdf, word = get_renderer("pdf"), get_renderer("docx")
    reports = []
    for document in documents:
        reports.append(pdf_report(f"{document.stem}.pdf", pdf.render(document), document.language))
        reports.append(docx_report(f"{document.stem}.docx", word.render(document), document.language))
    return reports


def pdf_report(name: str, data: bytes, language: str) -> Report:
    """What a screen reader gets from the PDF `data`."""
    import pypdf

    report = Report(name)
    reader = pypdf.PdfReader(io.BytesIO(data))
    catalog = cast("DictionaryObject", reader.trailer["/Root"])  # the document catalog is a dictionary
    tree = catalog.get("/StructTreeRoot")
    lang = str(catalog.get("/Lang", ""))
    title = str(reader.metadata.get("/Title", "")) if reader.metadata is not None else ""
    marked = bool(catalog.get("/MarkInfo", {}).get("/Marked"))
    outline = _count(reader.outline)
    if tree is None or not marked:
        report.problems.append("not tagged (no structure tree); build with --pdf-variant pdf/ua-1")
        return report
    report.facts.append("tagged")
    _expect(report, lang.lower() == language.lower(), f"language {lang}", f"language is '{lang}', not '{language}'")
    display = bool(catalog.get("/ViewerPreferences", {}).get("/DisplayDocTitle"))
    _expect(report, bool(title) and display, "title", "no document title shown as the window title")
    _expect(report, outline > 0, f"{outline} bookmarks", "no bookmarks")
    pages = {page.indirect_reference.idnum: number for number, page in enumerate(reader.pages)
             if page.indirect_reference is not None}  # a page read from a file always has its reference
    elements = list(_elements(tree.get_object()))
    figures = [e for e in elements if e.get("/S") == "/Figure"]
    blind = [e for e in figures if not str(e.get("/Alt", "")).strip()]
    _expect(report, not blind, f"{len(figures)} figures with alt text",
            f"{len(blind)} of {len(figures)} figures have no alt text")
    _headings(report, [int(str(e["/S"])[2]) for e in elements if str(e.get("/S", "")) in _HEADINGS])
    tables = [e for e in elements if e.get("/S") == "/Table"]
    bare = [t for t in tables if not any(c.get("/S") == "/TH" for c in _elements(t))]
    _expect(report, not bare, f"{len(tables)} tables with header cells",
            f"{len(bare)} of {len(tables)} tables have no header cell (<th>); lay a layout table out with <div>s "
            "and display: table")
    order = [pages[e.raw_get("/Pg").idnum] for e in elements if "/Pg" in e and e.raw_get("/Pg").idnum in pages]
    _expect(report, order == sorted(order), "reading order follows the pages",
            "the tag tree goes back to an earlier page (reading order differs from the visual order)")
    return report


def docx_report(name: str, data: bytes, language: str) -> Report:
    """What Word's Accessibility Checker and a screen reader get from the DOCX `data`: the rules of
    builder.check.docx_a11y.RULES, a fact for each one it passes, a problem line with the fix for each failure."""
    from builder.check.docx_a11y import check_docx

    report = Report(name)
    for passed, line in check_docx(data, language):
        (report.facts if passed else report.problems).append(line)
    return report


_HEADINGS = {f"/H{n}" for n in range(1, 7)}


def _headings(report: Report, levels: list[int]) -> None:
    """Headings start at level 1 and never skip one on the way down (H1 -> H3)."""
    skips = [f"H{a}->H{b}" for a, b in zip([0, *levels], levels, strict=False) if b > a + 1]
    _expect(report, bool(levels) and not skips, f"{len(levels)} headings in order",
            f"headings skip a level ({', '.join(dict.fromkeys(skips))})" if levels else "no headings")


def _expect(report: Report, ok: bool, fact: str, problem: str) -> None:
    (report.facts if ok else report.problems).append(fact if ok else problem)


def _elements(node: object) -> Iterator[DictionaryObject]:
    """Every structure element under `node`, depth first, in the order of the tag tree."""
    from pypdf.generic import DictionaryObject

    kids = node.get("/K") if hasattr(node, "get") else None
    if kids is None:
        return
    for kid in kids if isinstance(kids, list) else [kids]:
        kid = kid.get_object() if hasattr(kid, "get_object") else kid
        if isinstance(kid, DictionaryObject) and kid.get("/S") is not None:
            yield kid
            yield from _elements(kid)


def _count(outline: list[Any]) -> int:
    return sum(_count(item) if isinstance(item, list) else 1 for item in outline)


def report_lines(reports: list[Report]) -> list[str]:
    """The report as printed: a line per file with what it has, then its problems."""
    lines = []
    for report in reports:
        lines.append(f"{report.file}: {', '.join(report.facts)}")
        lines.extend(f"  problem: {problem}" for problem in report.problems)
    return lines
