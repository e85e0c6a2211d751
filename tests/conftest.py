"""Shared fixtures: mini-packs in tests/roots/, the example pack built once per session."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

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
