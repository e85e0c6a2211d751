"""Stage 4, write: files appear whole or not at all (temp file in the same folder, then rename)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import BuildError


def atomic_write(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that a reader never sees a partial file."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    except OSError as exc:
        raise BuildError(f"{path.parent}: cannot write here ({exc.strerror}); choose another --out folder") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise BuildError(f"{path}: could not be written ({exc.strerror}); nothing was changed") from None
        raise
