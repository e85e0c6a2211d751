"""LibreOffice as the tests' stand-in for a Word user: it opens a DOCX, lays it out and prints it to PDF.

setup.sh installs it (libreoffice-writer-nogui); a test that needs it fails, not skips, when it is
missing, so a CI machine without it cannot pass by leaving the check out.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import pytest

TIMEOUT = 300  # seconds for one batch of files; a cold start takes about 5 s, a pack's DOCX about 2 s


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        pytest.fail("LibreOffice (soffice) is not installed: run ./setup.sh, which installs libreoffice-writer-nogui")
    return found


# LibreOffice's PDF/UA export (7.4: the writer_pdf_Export filter takes its options as JSON after a colon).
PDF_UA = ('pdf:writer_pdf_Export:{"PDFUACompliance":{"type":"boolean","value":"true"},'
          '"UseTaggedPDF":{"type":"boolean","value":"true"}}')


def to_pdf(paths: Iterable[Path], out: Path, export: str = "pdf") -> dict[Path, Path]:
    """Each DOCX in `paths` converted to PDF in `out` by one LibreOffice run; {docx: pdf}. `export` is the
    --convert-to argument (PDF_UA: a tagged PDF/UA-1 file).

    A profile of its own (UserInstallation) keeps parallel runs and the user's LibreOffice apart."""
    paths = list(paths)
    out.mkdir(parents=True, exist_ok=True)
    names = [path.stem for path in paths]
    assert len(set(names)) == len(names), "two files would convert to the same PDF name"
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        result = subprocess.run(
            [soffice(), f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
             "--convert-to", export, "--outdir", str(out), *map(str, paths)],
            capture_output=True, text=True, timeout=TIMEOUT, check=False)
    converted = {path: out / f"{path.stem}.pdf" for path in paths}
    missing = [str(path) for path, pdf in converted.items() if not pdf.is_file()]
    assert not missing, f"LibreOffice did not convert {missing}: {result.stdout}{result.stderr}"
    return converted


def page_texts(pdf: Path) -> list[str]:
    """The text of each page of `pdf` (pdftotext; pages split at form feeds)."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    pages = text.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def page_size_pt(pdf: Path) -> tuple[float, float]:
    """The first page's width and height in points (pdfinfo)."""
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    line = next(line for line in info.splitlines() if line.startswith("Page size:"))
    width, _, height = line.split(":", 1)[1].split()[:3]
    return float(width), float(height)


def body_lines(texts: list[str]) -> list[list[str]]:
    """Each page's lines without its running header and footer: the lines (digits aside) that most pages
    repeat. A page left with none is blank to a reader, whatever its header says."""
    def norm(line: str) -> str:
        return re.sub(r"\d+", "#", " ".join(line.split()))

    counts = Counter(n for text in texts for n in {norm(line) for line in text.splitlines() if line.strip()})
    running = {n for n, count in counts.items() if count >= max(3, len(texts) // 2)}
    return [[line for line in text.splitlines() if line.strip() and norm(line) not in running] for text in texts]
