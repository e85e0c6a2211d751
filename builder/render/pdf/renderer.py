"""PDF renderer: HTML + CSS -> PDF with WeasyPrint. Imports WeasyPrint only when built."""

from __future__ import annotations

import logging
import re
import zlib
from pathlib import Path
from types import ModuleType

from builder.core import files
from builder.core.errors import BuildError, Problem
from builder.core.reproducible import font_clock
from builder.model import Document
from builder.render.html.page import CONTENT_BOX, component_stylesheets, render_html, stylesheet
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
        html, page_css = render_html(document, *CONTENT_BOX[document.paper])
        wp = self._weasyprint
        fetcher = self._fetcher(Sandbox.for_document(document))  # every file and URL the PDF reads passes here
        page = wp.CSS(string=page_css, font_config=self._fonts, url_fetcher=fetcher)
        variant = document.styling.pdf_variant
        options = {
            # pack.css and the parts' own stylesheets are looked up for every PDF, so each one records them
            "stylesheets": [*(self._css(source, base_url, fetcher) for source, base_url in
                              (stylesheet(document.styling.template_dirs),
                               *((text, folder) for _, text, folder in component_stylesheets(document)))), page],
            "pdf_identifier": document.stem.encode(),  # not a random ID: the same document, the same bytes
            "pdf_variant": None if variant == "none" else variant,
        }
        with font_clock(document.created):
            laid_out = wp.HTML(string=html, base_url=document.base_dir.as_uri() + "/", url_fetcher=fetcher).render(
                font_config=self._fonts, **options)
            # Pictures, stylesheets and fonts are all fetched while laying out; what writing the PDF
            # would still fetch is only files to embed as attachments, which teachpack never embeds.
            fetcher.closed = True
            pdf: bytes | None = laid_out.write_pdf(**options)
        from builder.render.pdf.fonts import record_fonts

        record_fonts(laid_out.fonts.values())  # the font files this PDF used are among its inputs
        assert pdf is not None
        return pdf

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
