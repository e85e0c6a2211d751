"""teachpack: build printable lesson packs (PDF and DOCX) for several grade levels from one article.

The public API is imported on first use, so `teachpack --help` stays fast.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_API = {
    "build_pack": "build",
    "check_pack": "check.checks",
    "BuildResult": "build",
    "BuildOptions": "options",
    "Shard": "options",
    "CheckResult": "check.checks",
    "Problem": "core.errors",
    "WARNING_CODES": "core.errors",
    "load_pack": "load.loader",
    "Pack": "load.loader",
    "TeachpackError": "core.errors",
    "PackError": "core.errors",
    "BuildError": "core.errors",
}
__all__ = [*_API, "__version__"]


def __getattr__(name: str) -> Any:
    if name in _API:
        return getattr(importlib.import_module(f".{_API[name]}", __name__), name)
    raise AttributeError(f"module 'builder' has no attribute {name!r}")
