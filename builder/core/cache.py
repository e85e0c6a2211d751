"""The user's cache folder for what is slow to make and the same every time (font subsets, drawings,
WordNet in NLTK's layout): $XDG_CACHE_HOME/teachpack/<name>, else ~/.cache/teachpack/<name>.

Everything kept here is named by what it was made from, so a stale entry is never read; a cache that
cannot be written only makes the next build slower.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def cache_dir(name: str) -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "teachpack" / name


def keep(path: Path, data: bytes) -> None:
    """Write `data` to `path` whole or not at all (parallel workers may write the same entry); never raises."""
    part = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".part") as part:
            part.write(data)
        os.replace(part.name, path)
    except OSError:
        if part is not None:
            with contextlib.suppress(OSError):
                os.unlink(part.name)
