"""Where the built-in templates and assets live: inside the installed package, or the repo."""

from __future__ import annotations

from pathlib import Path

from builder.core import files
from builder.core.errors import TeachpackError
from builder.core.files import real_path

_PACKAGE = Path(__file__).resolve().parent.parent  # builder/


def _data_dir(name: str) -> Path:
    # A wheel carries them inside the package (hatch force-include); a checkout has them at the top.
    inside = _PACKAGE / name
    return inside if inside.is_dir() else _PACKAGE.parent / name


TEMPLATES = _data_dir("templates")
ASSETS = _data_dir("assets")


WORKSPACE_TEMPLATES = "templates"


def search_path(user_dirs: tuple[Path, ...], workspace: Path | None) -> tuple[Path, ...]:
    """User folders in the order given, then the workspace's templates/ if it has one (built-ins last, implied)."""
    dirs = [real_path(d) for d in user_dirs]
    for folder in dirs:
        if not folder.is_dir():
            raise TeachpackError(f"--templates {folder}: not a folder; give a folder of templates")
    if workspace is not None and (workspace / WORKSPACE_TEMPLATES).is_dir():
        dirs.append(real_path(workspace / WORKSPACE_TEMPLATES))
    elif workspace is not None:  # looked for and absent: making one later makes the builds stale
        files.remember(workspace / WORKSPACE_TEMPLATES, None)
    return tuple(dict.fromkeys(dirs))
