"""WeasyPrint's URL fetcher, sandboxed: serves data: URIs and allowed files, refuses everything else.

Imported only by the PDF renderer (it imports WeasyPrint). Nothing here opens a socket: data:
URIs are decoded by urllib's DataHandler and files are read directly, so even a bug in the rule
could not reach the network.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import DataHandler, Request, url2pathname

from weasyprint.urls import URLFetcher, URLFetcherResponse

from builder.core import files
from builder.render.pdf.sandbox import Sandbox

_KINDS = {".css": "template", ".ttf": "font", ".otf": "font", ".woff": "font", ".woff2": "font"}


class SandboxFetcher(URLFetcher):
    """Fetch only what `sandbox` allows; a refused URL raises, which WeasyPrint turns into a skipped
    resource. `refused` keeps every refused URL (the build has warned about them already)."""

    def __init__(self, sandbox: Sandbox) -> None:
        super().__init__(allowed_protocols=("data", "file"), allow_redirects=False)
        self.sandbox = sandbox
        self.refused: list[str] = []
        self.closed = False  # once the layout is done: nothing more is fetched (attachments)

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        reason = "files are not embedded in the PDF" if self.closed else self.sandbox.refusal(url)
        if reason:
            self.refused.append(url)
            raise ValueError(f"refused by the teachpack sandbox ({reason}): {url}")
        if url.lower().startswith("data:"):
            response = DataHandler().data_open(Request(url))
            return URLFetcherResponse(url, response.read(), {"Content-Type": response.headers["Content-Type"]})
        path = Path(url2pathname(unquote(urlsplit(url).path)))
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        try:  # the same guarded read as every other input: no FIFO, no /proc, no swapped link, bounded
            data = files.read_bytes(path, (*self.sandbox.folders, *self.sandbox.files),
                                    _KINDS.get(path.suffix.lower(), "image"))
        except files.FileRefused as exc:
            self.refused.append(url)
            raise ValueError(f"refused by the teachpack sandbox: {exc}") from None
        return URLFetcherResponse(url, data, {"Content-Type": kind})
