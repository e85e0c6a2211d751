"""Input size limits: a pack that is absurdly large is a mistake or an attack, never a lesson.

Each limit can be raised (or lowered) with an environment variable, in megabytes, for the rare
real pack that needs it: TEACHPACK_MAX_ARTICLE_MB, TEACHPACK_MAX_YAML_MB, TEACHPACK_MAX_IMAGE_MB.
"""

from __future__ import annotations

import os
from pathlib import Path

from .errors import TeachpackError

LIMITS_MB = {"article": 5.0, "yaml": 1.0, "image": 20.0}  # the defaults, in MB


def limit_bytes(kind: str) -> int:
    """The size limit for `kind` ("article", "yaml" or "image") in bytes, after any override."""
    name = f"TEACHPACK_MAX_{kind.upper()}_MB"
    given = os.environ.get(name)
    if given is None:
        return int(LIMITS_MB[kind] * 1_000_000)
    try:
        megabytes = float(given)
    except ValueError:
        megabytes = -1.0
    if not megabytes > 0:
        raise TeachpackError(f"{name}={given!r} is not a size; give megabytes, e.g. {LIMITS_MB[kind]:g}")
    return int(megabytes * 1_000_000)


def too_large(path: Path, kind: str) -> str | None:
    """A message when the file at `path` is over the limit for `kind`, else None."""
    size, most = path.stat().st_size, limit_bytes(kind)
    if size <= most:
        return None
    return (f"is {size / 1_000_000:.1f} MB, over the {most / 1_000_000:g} MB limit for {_NAMES[kind]}; "
            f"make it smaller, or raise TEACHPACK_MAX_{kind.upper()}_MB")


_NAMES = {"article": "an article", "yaml": "a settings file", "image": "an image"}
