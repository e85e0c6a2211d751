"""teachpack: build printable lesson packs (PDF and DOCX) for several grade levels from one article.

The public API is imported on first use, so `teachpack --help` stays fast.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_API = {
    "build_pack": "build",
    "check_pack": "checks",
    "BuildResult": "build",
    "BuildOptions": "options",
    "Shard": "options",
    "CheckResult": "checks",
    "Problem": "errors",
    "WARNING_CODES": "errors",
    "load_pack": "pack",
    "Pack": "pack",
    "TeachpackError": "errors",
    "PackError": "errors",
    "BuildError": "errors",
}
__all__ = [*_API, "__version__"]


def __getattr__(name: str) -> Any:
    if name in _API:
        return getattr(importlib.import_module(f".{_API[name]}", __name__), name)
    raise AttributeError(f"module 'builder' has no attribute {name!r}")
