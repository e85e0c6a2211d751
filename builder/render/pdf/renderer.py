"""PDF renderer: HTML + CSS -> PDF with WeasyPrint. Imports WeasyPrint only when built."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import re
import zlib
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from builder.components.registry import component_of
from builder.core import files
from builder.core.cache import cache_dir, keep
from builder.core.errors import BuildError, Problem
from builder.core.reproducible import font_clock
from builder.model import Document, PageHints
from builder.render.html.page import CONTENT_BOX, component_stylesheets, render_html, stylesheet
from builder.render.pdf.measure import arranged, decide, measure
from builder.render.pdf.sandbox import Sandbox, scan


def load_weasyprint(purpose: str = "make PDFs", instead: str = "or build --format docx") -> ModuleType:
    """WeasyPrint, imported on first use. Without Pango (or WeasyPrint) no PDF (nor the DOCX's timeline
    picture, `purpose`) can be made: one line saying how to fix it, raised before any file is written."""
    try:
        import weasyprint
    except Exception as exc:  # cffi raises OSError without Pango, Python ImportError without WeasyPrint
        reason = (str(exc).splitlines() or [type(exc).__name__])[0]
        raise BuildError(f"cannot {purpose}: WeasyPrint did not load ({reason}); install Pango with ./setup.sh "
                         f"(apt-get install libpango-1.0-0 libpangoft2-1.0-0), {instead}") from None
    module: ModuleType = weasyprint  # WeasyPrint is untyped: to mypy the import is Any
    return module


@dataclass(frozen=True)
class _Layout:
    """One laid-out WeasyPrint document, the options to write it with, and the files laying it out read."""

    document: Any
    options: dict[str, Any]
    reads: dict[str, str | None]
    html: str = ""  # what was laid out: the document's HTML and page stylesheet with its page decisions
    page_css: str = ""
    hints: PageHints = PageHints()  # those decisions


PASSES = 3  # layouts after the first, each with the decisions measured on the one before
_HINTS_RULES = 6  # the version of measure.py's rules: kept decisions of other rules are not read


def _hints_file(key: tuple[object, ...], weasyprint_version: str) -> Path:
    """Where the page decisions for the layout of `key` (its HTML, stylesheets and options) are kept."""
    digest = hashlib.sha256(repr((key, weasyprint_version, _HINTS_RULES)).encode()).hexdigest()
    return cache_dir("layout") / f"{digest}.json"


def read_hints(path: Path) -> PageHints | None:
    """Page decisions kept earlier, or None when there are none (or they cannot be read: they are made again)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        glossary = data["glossary"]
        order = data["order"]
        return PageHints(tuple(data["flow"]), None if glossary is None else tuple(tuple(p) for p in glossary),
                         None if order is None else tuple(order),
                         tuple((name, tuple(indexes)) for name, indexes in data["items"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


_LAYOUTS_KEPT = 2  # a student edition and the teacher pages around it: enough for the jobs' order, and small


def assembled(own: Sequence[Any], student: Sequence[Any], after: Sequence[str]) -> list[Any]:
    """A teacher edition's pages: its cover and overview, every page of the student edition, then its own parts
    named `after` (the answer key). Each WeasyPrint page's anchors name the parts that start on it. The
    teacher's first pages are an even number (pack.css starts the key of `.teacher-pages` on a right-hand
    page), so each student page prints on the same side of the sheet as in the handout: printed
    double-sided, the flashcards' backs still fall behind their fronts."""
    key = next((i for i, page in enumerate(own) if any(name in page.anchors for name in after)), len(own))
    return [*own[:key], *student, *own[key:]]


class PdfRenderer:
    name = "pdf"
    suffix = ".pdf"

    def __init__(self) -> None:
        weasyprint = load_weasyprint()
        from weasyprint.text.fonts import FontConfiguration

        from builder.render.pdf.fetcher import SandboxFetcher

        # WeasyPrint logs what it skips (refused resources, images without alt): the build has
        # warned about those already, once, in its own words; keep them off the user's terminal.
        logging.getLogger("weasyprint").addHandler(logging.NullHandler())
        self._weasyprint = weasyprint
        self._fetcher = SandboxFetcher
        # One font configuration for every document of a build: fonts are found and loaded once.
        self._fonts = FontConfiguration()
        # Per template path and text: parsed once, with the files parsing it read.
        self._base_css: dict[tuple[str, str], tuple[object, dict[str, str | None]]] = {}
        # The last documents laid out, by everything their layout depends on: a teacher edition right after
        # its student edition (the jobs run them one after the other, in one worker) takes its pages from here.
        self._layouts: OrderedDict[tuple[object, ...], _Layout] = OrderedDict()

    def _css(self, source: str, base_url: str, fetcher: object) -> object:
        """A stylesheet from the template path, parsed once per text and folder; each PDF records what it read."""
        if (base_url, source) not in self._base_css:
            with files.recording() as log:  # what parsing it fetched (@import, @font-face files) ...
                css = self._weasyprint.CSS(string=source, base_url=base_url, font_config=self._fonts,
                                           url_fetcher=fetcher)
            self._base_css[base_url, source] = (css, dict(log.files))
        css, fetched = self._base_css[base_url, source]
        for path, digest in fetched.items():  # ... is read by every PDF that uses it, parsed once or not
            files.remember(Path(path), digest)
        return css

    def render(self, document: Document) -> bytes:
        own, pages = self.compose(document)
        laid_out = own.document if pages == own.document.pages else own.document.copy(pages)
        with font_clock(document.created):
            pdf: bytes | None = laid_out.write_pdf(**own.options)
        from builder.render.pdf.fonts import record_fonts

        record_fonts(laid_out.fonts.values())  # the font files this PDF used are among its inputs
        assert pdf is not None
        return pdf

    def compose(self, document: Document) -> tuple[_Layout, list[Any]]:
        """The PDF's pages and the layout whose title, language and options it is written with: one laid-out
        document, or for a teacher edition its own pages (numbered T1, T2, ...) around the student edition's
        pages, all of them laid out once and reused as they are (WeasyPrint's `Document.copy` of pages of both)."""
        if not document.teacher_parts:
            own = self._layout(document)
            return own, own.document.pages
        student = self._layout(document.student_pages())
        first: dict[str, int] = {}  # the page each student part starts on, which the teacher's cover lists
        for number, page in enumerate(student.document.pages, 1):
            for name in page.anchors:
                first.setdefault(name, number)
        runs = list(zip(document.components, document.page_runs(), strict=True))
        elsewhere = {c.name: first[c.name] for c, run in runs if run == "student" and c.name in first}
        # The answer key lists the worksheets' items as the student pages print them (PageHints.items).
        own = self._layout(dataclasses.replace(document, hints=PageHints(items=student.hints.items)), elsewhere)
        return own, assembled(own.document.pages, student.document.pages, [c.name for c, run in runs if run == "back"])

    def _layout(self, document: Document, elsewhere: dict[str, int] | None = None) -> _Layout:
        """`document` laid out by WeasyPrint (without the parts laid out `elsewhere`: render_html), or the same
        layout again when this worker has just made it (a student edition, then its teacher edition's student
        pages); either way every file it read is recorded.

        A first layout is measured (measure.py) and, when that changes a page decision (a part begins under
        what ends on a nearly empty page, the glossary's columns are packed from their real heights), laid out
        again with them, at most PASSES times. The decisions are kept under the first layout's inputs, so the
        next build of the same document lays it out once, with the same result."""
        html, page_css = render_html(arranged(document), *CONTENT_BOX[document.paper], elsewhere)
        sheets = (stylesheet(document.styling.template_dirs),
                  *((text, folder) for _, text, folder in component_stylesheets(document)))
        key = (html, page_css, sheets, document.base_dir, document.styling.pdf_variant, document.stem,
               document.created)
        if key in self._layouts:
            self._layouts.move_to_end(key)
            done = self._layouts[key]
            for path, digest in done.reads.items():
                files.remember(Path(path), digest)
            return done
        kinds = {c.name: component_of(c) for c in document.components}
        flows = [name for name, kind in kinds.items() if kind.begins_under != "never"]
        breakable = [name for name, kind in kinds.items() if kind.begins_under == "anywhere"]
        closed = [name for name, kind in kinds.items() if kind.ends_page]
        measured = bool(flows) or "glossary" in kinds
        cached = _hints_file(key, self._weasyprint.__version__) if measured else None
        kept = read_hints(cached) if cached else None

        first = document

        def laid_out(hints: PageHints) -> tuple[Document, _Layout]:
            """The document laid out with `hints` (with the HTML made above when they are its own)."""
            if hints == first.hints:
                return first, self._lay_out(first, html, page_css, sheets)
            hinted = dataclasses.replace(first, hints=hints)
            return hinted, self._lay_out(hinted, *render_html(arranged(hinted), *CONTENT_BOX[hinted.paper],
                                                               elsewhere), sheets)

        document, done = laid_out(document.hints if kept is None else kept)
        if measured and kept is None:
            for _ in range(PASSES):
                hints = decide(document, measure(done.document.pages), flows, breakable, closed)
                if hints == document.hints:
                    break
                document, done = laid_out(hints)
            if cached:
                keep(cached, json.dumps(dataclasses.asdict(document.hints)).encode())
        done = dataclasses.replace(done, hints=document.hints)
        self._layouts[key] = done
        while len(self._layouts) > _LAYOUTS_KEPT:
            self._layouts.popitem(last=False)
        return done

    def _lay_out(self, document: Document, html: str, page_css: str,
                 sheets: tuple[tuple[str, str], ...]) -> _Layout:
        """One WeasyPrint layout of `html` and its stylesheets, recording every file it reads."""
        wp = self._weasyprint
        fetcher = self._fetcher(Sandbox.for_document(document))  # every file and URL the PDF reads passes here
        variant = document.styling.pdf_variant
        with files.recording() as log:
            page = wp.CSS(string=page_css, font_config=self._fonts, url_fetcher=fetcher)
            options = {
                # pack.css and the parts' own stylesheets are looked up for every PDF, so each one records them
                "stylesheets": [*(self._css(source, base_url, fetcher) for source, base_url in sheets), page],
                "pdf_identifier": document.stem.encode(),  # not a random ID: the same document, the same bytes
                "pdf_variant": None if variant == "none" else variant,
            }
            with font_clock(document.created):
                laid_out = wp.HTML(string=html, base_url=document.base_dir.as_uri() + "/",
                                   url_fetcher=fetcher).render(font_config=self._fonts, **options)
        # Pictures, stylesheets and fonts are all fetched while laying out; what writing the PDF
        # would still fetch is only files to embed as attachments, which teachpack never embeds.
        fetcher.closed = True
        for path, digest in log.files.items():  # ... and recorded in the job's own log too
            files.remember(Path(path), digest)
        return _Layout(laid_out, options, dict(log.files), html, page_css)

    def forget(self) -> None:
        """Let go of the layouts kept for the next job (a new group of jobs starts: they are no use to it)."""
        self._layouts.clear()

    def pages(self, data: bytes) -> int | None:
        """The page count of a PDF this renderer wrote, for the manifest."""
        return page_count(data)


def resource_warnings(document: Document) -> list[Problem]:
    """What the document's PDF would be refused (files outside the sandbox, the network) and images
    without alt text, one line each naming the pack file and the reference; found before writing."""
    html, page_css = render_html(document, *CONTENT_BOX[document.paper])
    source, base_url = stylesheet(document.styling.template_dirs)
    parts = [(_shown(folder, name), text, Path(folder).as_uri() + "/")
             for name, text, folder in component_stylesheets(document)]
    found = scan(Sandbox.for_document(document), html, document.base_dir.as_uri() + "/",
                 [(_shown(base_url, "pack.css"), source, Path(base_url).as_uri() + "/"), *parts,
                  ("page.css", page_css, document.base_dir.as_uri() + "/")])
    return [Problem(document.pack_file, None, "", f.message(), "TP501" if f.reason is None else "TP401") for f in found]


def _shown(folder: str, name: str) -> str:
    return files.display_path(Path(folder) / name)


_OBJECT_STREAM = re.compile(rb"<<([^>]*/Type /ObjStm[^>]*)>>\s*stream\r?\n")
_PAGE = re.compile(rb"/Type\s*/Page(?![A-Za-z])")


def page_count(data: bytes) -> int:
    """Count the page objects of a WeasyPrint PDF, which keeps them in compressed object streams."""
    count = len(_PAGE.findall(data))
    for match in _OBJECT_STREAM.finditer(data):
        length = re.search(rb"/Length (\d+)", match.group(1))
        if length:
            count += len(_PAGE.findall(zlib.decompress(data[match.end() : match.end() + int(length.group(1))])))
    return count
