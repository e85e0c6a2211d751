"""Where the built-in templates and assets live: inside the installed package, or the repo."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _data_dir(name: str) -> Path:
    # A wheel carries them inside the package (hatch force-include); a checkout has them at the top.
    inside = _PACKAGE / name
    return inside if inside.is_dir() else _PACKAGE.parent / name


TEMPLATES = _data_dir("templates")
ASSETS = _data_dir("assets")
