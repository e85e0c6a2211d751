"""Shared fixtures: mini-packs in tests/roots/, the example pack built once per session."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from builder import build_pack

REPO = Path(__file__).resolve().parent.parent
ROOTS = Path(__file__).resolve().parent / "roots"
EXAMPLE = REPO / "packs" / "sino-soviet-split"


@pytest.fixture(scope="session")
def example_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example pack built at every level in both formats; returns dist/<pack-id>/."""
    out = tmp_path_factory.mktemp("dist")
    build_pack([EXAMPLE], out=out)
    return out / "sino-soviet-split"


@pytest.fixture
def make_pack(tmp_path: Path):
    """Copy tests/roots/basic, apply `changes` to its pack.yaml (or replace its text), return the folder."""

    def make(changes: dict | None = None, text: str | None = None, article: str | None = None) -> Path:
        folder = tmp_path / "pack"
        shutil.copytree(ROOTS / "basic", folder)
        pack_file = folder / "pack.yaml"
        if text is not None:
            pack_file.write_text(text, encoding="utf-8")
        elif changes:
            data = yaml.safe_load(pack_file.read_text(encoding="utf-8"))
            for key, value in changes.items():
                if value is None:
                    data.pop(key, None)
                else:
                    data[key] = value
            pack_file.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        if article is not None:
            (folder / "article.md").write_text(article, encoding="utf-8")
        return folder

    return make


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout


def outline_titles(reader: Any) -> list[str]:
    """Every bookmark's title of a pypdf PdfReader, in order, nested ones included."""
    titles: list[str] = []

    def walk(items: list) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(item.title)

    walk(reader.outline)
    return titles


def pdfua_failures(data: bytes) -> list[str]:
    """page's failed PDF/UA-1 rules for the PDF `data`, as "RULE-ID: message"."""
    from builder.check.pdfua import validate

    return [f"{f.rule}: {f.message}" for f in validate(data).failures]


def claims_pdfua1(path: Path) -> bool:
    """Whether the PDF at `path` says it is PDF/UA-1 (its XMP's pdfuaid:part); False for a file that is
    not a readable PDF (a test's damaged copy) or is untagged or PDF/UA-2 on purpose."""
    import pypdf

    try:
        metadata = pypdf.PdfReader(path).trailer["/Root"].get("/Metadata")
        return metadata is not None and b'pdfuaid:part="1"' in metadata.get_object().get_data()
    except Exception:  # noqa: BLE001 - any unreadable file is not one we claim anything for
        return False


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Every PDF/UA-1 file any test wrote (hostile packs, every option the tests try) goes through the
    independent validator `page`: one failed rule fails the run, naming the file and the rule."""
    factory = getattr(session.config, "_tmp_path_factory", None)
    if factory is None or factory._basetemp is None:  # no test asked for a temporary folder
        return
    checked, failed = 0, []
    for path in sorted(factory.getbasetemp().rglob("*.pdf")):
        if path.is_file() and not path.is_symlink() and claims_pdfua1(path):
            checked += 1
            failed += [f"{path.relative_to(factory.getbasetemp())}: {line}" for line in pdfua_failures(path.read_bytes())]
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line(f"page (PDF/UA-1): {checked} PDFs the tests wrote, {len(failed)} failed rules")
        for line in failed:
            reporter.write_line(f"  {line}", red=True)
    if failed:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def page_fills(pdf: Path, margin_mm: float = 20.0) -> list[float]:
    """How far down its text area each page of `pdf` is used, 0 (blank) to 1, read from the printed pixels
    (poppler renders it): the lowest ink between the top and bottom margins, where the running head and the
    page number are not. Independent of WeasyPrint's boxes, which measure.py reads."""
    import tempfile

    from PIL import Image

    fills = []
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(["pdftoppm", "-r", "36", "-gray", str(pdf), f"{folder}/p"], check=True)
        for image_path in sorted(Path(folder).iterdir(), key=lambda p: int(p.stem.rsplit("-", 1)[1])):
            image = Image.open(image_path)
            per_mm = image.width / (215.9 if abs(image.width / image.height - 215.9 / 279.4) < 0.01 else 210.0)
            top, bottom = int(margin_mm * per_mm), image.height - int(margin_mm * per_mm)
            pixels = image.load()
            inked = [y for y in range(top, bottom) if any(pixels[x, y] < 235 for x in range(image.width))]
            fills.append((inked[-1] - top + 1) / (bottom - top) if inked else 0.0)
    return fills


def make_document(names: list[str]) -> Any:
    """A Document whose parts are named `names` (plain Components: for rules that read only the parts' names)."""
    from builder.core.levels import builtin_levels
    from builder.model import Component, Document

    return Document("p", "T", None, "S", "en", "letter", builtin_levels()["middle"], "student", REPO,
                    tuple(Component(name, name.title()) for name in names))
