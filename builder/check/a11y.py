"""`teachpack check --a11y`: build each document in memory and read back what assistive technology uses.

PDF: first the independent PDF/UA-1 validator `page` (pdfua.py: every failed rule with its id and a
fix); then our own reading with pypdf of what it does not judge: a structure tree, the document
language, a title shown as the window title, bookmarks, alt text on every Figure that says something
(not a file name, not "image of ..."), headings that never skip a level, a header cell in every
table, a tag tree in page order, body text at the level's size and nothing below its smallest type,
and text colours at WCAG 2.2 AA contrast on the page's background.
DOCX: the rules of Word's Accessibility Checker (docx_a11y.py).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from builder.core.colours import AA_LARGE, AA_TEXT, contrast
from builder.core.levels import Level
from builder.model import Document

if TYPE_CHECKING:
    from pypdf import PdfReader
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
        background = document.level.background or document.styling.theme.palette["background"]
        reports.append(pdf_report(f"{document.stem}.pdf", pdf.render(document), document.language,
                                  level=document.level, background=background))
        reports.append(docx_report(f"{document.stem}.docx", word.render(document), document.language,
                                   level=document.level))
    return reports


def pdf_report(name: str, data: bytes, language: str, *, level: Level | None = None,
               background: str = "#ffffff") -> Report:
    """What a screen reader, and a reader with low vision, get from the PDF `data`: page's PDF/UA-1
    verdict, then our own checks. With `level`, its type sizes are checked too."""
    import pypdf

    from builder.check import pdfua

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
    verdict = pdfua.validate(data)
    if verdict.failures:
        report.problems.extend(f.line() for f in verdict.failures)
    else:
        report.facts.append(verdict.fact)
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
    for alt in (str(e.get("/Alt", "")).strip() for e in figures):
        if alt and (weak := alt_text_problem(alt)):
            report.problems.append(weak)
    _headings(report, [int(str(e["/S"])[2]) for e in elements if str(e.get("/S", "")) in _HEADINGS])
    tables = [e for e in elements if e.get("/S") == "/Table"]
    bare = [t for t in tables if not any(c.get("/S") == "/TH" for c in _elements(t))]
    _expect(report, not bare, f"{len(tables)} tables with header cells",
            f"{len(bare)} of {len(tables)} tables have no header cell (<th>); lay a layout table out with <div>s "
            "and display: table")
    order = [pages[e.raw_get("/Pg").idnum] for e in elements if "/Pg" in e and e.raw_get("/Pg").idnum in pages]
    _expect(report, order == sorted(order), "reading order follows the pages",
            "the tag tree goes back to an earlier page (reading order differs from the visual order)")
    _type(report, reader, level, background)
    return report


_FILE_NAME = re.compile(r"^\S+\.(png|jpe?g|gif|svg|webp|tiff?|bmp)$", re.IGNORECASE)
_SAYS_PICTURE = re.compile(r"^(an? )?(image|picture|photo|photograph|graphic|figure)( of\b|$)", re.IGNORECASE)


def alt_text_problem(alt: str) -> str | None:
    """Why `alt` tells a screen reader user nothing, or None: a file name, or "image of ..." (the
    reader already says it is a picture)."""
    if _FILE_NAME.match(alt):
        return f"alt text '{alt[:60]}' is a file name; describe what the picture shows"
    if _SAYS_PICTURE.match(alt):
        return (f"alt text '{alt[:60]}' starts by calling it a picture (screen readers already say so); "
                "describe what it shows")
    return None


@dataclass(frozen=True)
class _Run:
    size: float  # pt, as printed (the font size times the text and page matrices' scale)
    color: tuple[float, float, float]  # its fill colour, 0-1 RGB
    bold: bool
    page: int
    text: str


def _runs(reader: PdfReader) -> Iterator[_Run]:
    """Every piece of text pypdf reads off the pages, with its printed size and colour."""
    for number, page in enumerate(reader.pages, start=1):
        yield from _page_runs(page, number)


def _page_runs(page: Any, number: int) -> list[_Run]:
    found: list[_Run] = []
    fill = [(0.0, 0.0, 0.0)]  # the current fill colour, set by rg (RGB) or g (grey)

    def operand(op: bytes, args: list[Any], cm: list[float], tm: list[float]) -> None:
        if op == b"rg" and len(args) == 3:
            fill[0] = (float(args[0]), float(args[1]), float(args[2]))
        elif op == b"g" and len(args) == 1:
            fill[0] = (float(args[0]),) * 3

    def text(words: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        if not words.strip():
            return
        # The text matrix times the current transformation: its determinant is the area scale.
        a, b = tm[0] * cm[0] + tm[1] * cm[2], tm[0] * cm[1] + tm[1] * cm[3]
        c, d = tm[2] * cm[0] + tm[3] * cm[2], tm[2] * cm[1] + tm[3] * cm[3]
        name = str(font.get("/BaseFont", "")) if font else ""
        found.append(_Run(round(size * abs(a * d - b * c) ** 0.5, 1), fill[0], "Bold" in name, number,
                          " ".join(words.split())))

    page.extract_text(visitor_operand_before=operand, visitor_text=text)
    return found


def _type(report: Report, reader: PdfReader, level: Level | None, background: str) -> None:
    """Body text at the level's size, no text below its smallest type, every colour at AA contrast."""
    runs = list(_runs(reader))
    if not runs:
        return
    if level is not None:
        chars: dict[float, int] = {}
        for run in runs:
            chars[run.size] = chars.get(run.size, 0) + len(run.text)
        body = max(chars, key=lambda size: chars[size])
        _expect(report, abs(body - level.font_size) < 0.2, f"body text {body:g} pt",
                f"body text is {body:g} pt, not the level's {level.font_size:g} pt: a stylesheet changes the "
                "html font-size; leave it to var(--body-size)")
        small = min(runs, key=lambda run: run.size)
        _expect(report, small.size >= level.min_type - 0.05, f"smallest type {small.size:g} pt",
                f"text at {small.size:g} pt on page {small.page} ('{small.text[:40]}'), below the level's "
                f"smallest type {level.min_type:g} pt; in the template's CSS write its size as "
                "max(…, var(--min-type))")
    faint: dict[str, _Run] = {}  # a text colour below AA -> the first text printed in it
    for run in runs:
        large = run.size >= 18 or (run.bold and run.size >= 14)
        color = _hex(run.color)
        if color != background and contrast(color, background) < (AA_LARGE if large else AA_TEXT):
            faint.setdefault(color, run)
    _expect(report, not faint, "text contrast AA",
            "; ".join(f"text '{run.text[:30]}' in {color} on page {run.page} has contrast "
                      f"{contrast(color, background):.1f}:1 on {background}, below WCAG AA; "
                      "choose a darker colour" for color, run in faint.items()))


def _hex(color: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(max(0.0, min(1.0, v)) * 255):02x}" for v in color)


def docx_report(name: str, data: bytes, language: str, *, level: Level | None = None) -> Report:
    """What Word's Accessibility Checker and a screen reader get from the DOCX `data`: the rules of
    builder.check.docx_a11y.RULES, a fact for each one it passes, a problem line with the fix for each failure."""
    from builder.check.docx_a11y import check_docx

    report = Report(name)
    for passed, line in check_docx(data, language, level.min_type if level is not None else None):
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
