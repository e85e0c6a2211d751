"""The resource sandbox: what a PDF may read while it is made, and what its HTML and CSS ask for.

WeasyPrint fetches whatever the HTML and CSS name (images, stylesheets, fonts), and a template or
a pack can name anything: `http://`, `file:///etc/passwd`, `../../secret.txt`, a symlink out of
the pack. Only `data:` URIs and files inside the pack folder, the template folders (`--templates`,
the workspace's templates/, the built-ins), the built-in assets and the theme's logo are served.

Two halves share one rule (`Sandbox.refusal`): `scan` reads the HTML and CSS a document will use
and lists what would be refused, so a build warns (or, with --strict, stops) before it writes
anything; the URL fetcher given to WeasyPrint (render/fetcher.py) enforces the rule while it draws.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urljoin, urlsplit
from urllib.request import url2pathname

from builder.components.registry import registry
from builder.core import files
from builder.core.paths import ASSETS, TEMPLATES
from builder.model import Document

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element  # what tinyhtml5.parse builds

_MAX_IMPORTS = 10  # @import chains deeper than this are not followed by the scan (the fetcher still rules)
_SVG = "{http://www.w3.org/2000/svg}"
_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"


@dataclass(frozen=True)
class Sandbox:
    """The folders (and single files) a document's resources may come from, symlinks resolved."""

    folders: tuple[Path, ...]
    files: tuple[Path, ...] = ()

    @classmethod
    def for_document(cls, document: Document) -> Sandbox:
        folders = (document.base_dir, *document.styling.template_dirs, TEMPLATES, *registry().template_dirs, ASSETS)
        logo = document.styling.theme.logo
        return cls(tuple(dict.fromkeys(f.resolve() for f in folders)), (logo.resolve(),) if logo else ())

    def refusal(self, url: str) -> str | None:
        """Why `url` may not be read (one short clause), or None when it may."""
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "data":
            return None
        if scheme in ("http", "https", "ftp"):
            return "network access is off"
        if scheme != "file":
            return f"'{scheme or url}' is not a file or data: URI"
        if parts.netloc not in ("", "localhost"):
            return "a file on another machine"
        try:
            path = Path(url2pathname(unquote(parts.path))).resolve()  # follows symlinks and '..'
        except (ValueError, OSError, RuntimeError):  # a NUL byte (%00), a symlink loop
            return "not a usable file name"
        if not (path in self.files or any(path.is_relative_to(folder) for folder in self.folders)):
            return "outside the pack and template folders"
        if path.exists() and not path.is_file():  # stat only: opening a FIFO would wait for a writer
            return "not a regular file (a folder, pipe or device)"
        return None


@dataclass(frozen=True)
class Finding:
    """A reference the sandbox refuses (`reason` says why), or an image without alt text (no reason)."""

    source: str  # the file or part that makes the reference
    reference: str
    reason: str | None = None

    def message(self) -> str:
        if self.reason is None:
            return f'{self.source}: <img src="{self.reference}"> has no alt text; add alt="..." describing the picture'
        return (f"{self.source} refers to '{self.reference}' ({self.reason}); it is left out of the PDF: copy the "
                "file into the pack or templates/ folder and refer to it there")


def scan(sandbox: Sandbox, html: str, base_url: str, stylesheets: list[tuple[str, str, str]]) -> list[Finding]:
    """Every refused reference in `html` and in `stylesheets` ((name, CSS, base URL) each), and every
    <img> without alt text. Parsed with the parsers WeasyPrint uses, so escapes hide nothing."""
    import tinyhtml5

    found: list[Finding] = []

    def check(source: str, url: str, base: str) -> None:
        absolute = urljoin(base, url.strip())
        if absolute.startswith("#") or not absolute:
            return
        reason = sandbox.refusal(absolute)
        if reason:
            found.append(Finding(source, url, reason))

    for name, css, base in stylesheets:
        for url, where in _css_urls(css, base, sandbox, 0):
            check(name, url, where)
    root = tinyhtml5.parse(html, namespace_html_elements=False)
    base_element = root.find(".//base[@href]")
    if base_element is not None:
        base_url = urljoin(base_url, base_element.get("href", ""))
    for element in root.iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        for url in _element_urls(element, tag):
            check("the HTML from the templates", url, base_url)
        if tag == "style" and element.text:
            for url, where in _css_urls(element.text, base_url, sandbox, 0):
                check("a <style> in the templates", url, where)
        if element.get("style"):
            for url, where in _css_urls(element.get("style", ""), base_url, sandbox, 0, declarations=True):
                check("a style= attribute in the templates", url, where)
        if tag in ("a", "link") and _is_attachment(element):
            found.append(Finding("the HTML from the templates", element.get("href", ""), "a file attachment; "
                                 'teachpack does not embed files in a PDF, remove rel="attachment"'))
        if tag == "img" and not element.get("alt", "").strip():
            found.append(Finding("the HTML from the templates", element.get("src", "")))
    return found


def _is_attachment(element: Element) -> bool:
    """<a rel="attachment"> and <link rel="attachment">: WeasyPrint would embed the file named."""
    return bool(element.get("href")) and "attachment" in element.get("rel", "").lower().split()


def _element_urls(element: Element, tag: str) -> Iterator[str]:
    """The URLs an element makes WeasyPrint fetch (links to follow are not fetched)."""

    def get(name: str) -> str:
        return element.get(name) or ""

    if get("src"):
        yield get("src")
    if tag == "object" and get("data"):
        yield get("data")
    if tag == "link" and get("href") and not _is_attachment(element):
        yield get("href")
    if tag.startswith(_SVG) and tag != f"{_SVG}a":
        for attribute in (_XLINK_HREF, "href"):
            if get(attribute):
                yield get(attribute)


def _css_urls(css: str, base_url: str, sandbox: Sandbox, depth: int,
              declarations: bool = False) -> Iterator[tuple[str, str]]:
    """(url, base it is relative to) for every url() and @import in `css`, following allowed imports."""
    import tinycss2

    nodes = tinycss2.parse_blocks_contents(css) if declarations else tinycss2.parse_stylesheet(css)
    for url, is_import in _walk(nodes):
        yield url, base_url
        absolute = urljoin(base_url, url)
        if is_import and depth < _MAX_IMPORTS and sandbox.refusal(absolute) is None and absolute.startswith("file:"):
            path = Path(url2pathname(unquote(urlsplit(absolute).path)))
            try:
                text = files.read_text(path, (*sandbox.folders, *sandbox.files), "template")
            except files.FileRefused:
                continue  # the fetcher refuses it too; the refusal is the fetcher's to report
            yield from _css_urls(text, absolute, sandbox, depth + 1)


def _walk(nodes: list[Any]) -> Iterator[tuple[str, bool]]:
    """(url, is it an @import) for every URL token in a tinycss2 node list, at any depth."""
    for node in nodes:
        kind = getattr(node, "type", "")
        if kind == "url":
            yield node.value, False
        elif kind == "function" and node.lower_name in ("url", "src"):
            strings = [t.value for t in node.arguments if t.type == "string"]
            if strings:
                yield strings[0], False
            yield from _walk(node.arguments)
        elif kind == "at-rule" and node.lower_at_keyword == "import":
            target = next((t for t in node.prelude if t.type in ("url", "string", "function")), None)
            if target is not None and target.type == "function":
                yield from ((url, True) for url, _ in _walk([target]))
            elif target is not None:
                yield target.value, True
            yield from _walk(node.content or [])
        else:
            for part in ("prelude", "content", "arguments", "value"):
                children = getattr(node, part, None)
                if isinstance(children, list):
                    yield from _walk(children)
