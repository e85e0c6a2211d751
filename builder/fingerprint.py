"""A job's inputs as one SHA-256: when it matches the manifest and the file is intact, skip the job.

The inputs: every file in the pack folder (pack.yaml, article.md, each article.<level>.md, images),
the workspace around it (teachpack.yaml and templates/ beside the pack folder), the built-in
templates and assets, the builder's code and version and those of WeasyPrint and python-docx, the
level profile after overrides and presets, and the options that shape the file. Hidden files and
the output folder itself are left out.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from importlib.metadata import version
from pathlib import Path

from . import __version__
from .jobs import Job
from .pack import WORKSPACE_FILE, Pack
from .paths import ASSETS, TEMPLATES
from .reproducible import source_date

_CODE = Path(__file__).resolve().parent
# Beside a pack folder: the settings and the template overrides it shares with the other packs there
# (kept as names here so a build with nothing to do does not import Jinja2 to learn them).
_WORKSPACE = (WORKSPACE_FILE, "templates")


def tree_digest(root: Path, pattern: str = "*", skip: Path | None = None) -> str:
    """SHA-256 over the names and contents of the files under `root` matching `pattern`."""
    digest = hashlib.sha256()
    if root.is_file():
        digest.update(hashlib.sha256(root.read_bytes()).digest())
        return digest.hexdigest()
    for path in sorted(root.rglob(pattern)):
        relative = path.relative_to(root)
        if any(part.startswith(".") or part == "__pycache__" for part in relative.parts) or not path.is_file():
            continue
        if skip is not None and path.resolve().is_relative_to(skip):
            continue
        digest.update(relative.as_posix().encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _builder_digest() -> str:
    """The builder itself: its code, its data files and the renderers it drives."""
    parts = {
        "teachpack": __version__,
        "weasyprint": version("weasyprint"),
        "python-docx": version("python-docx"),
        "code": tree_digest(_CODE, "*.py"),
        "templates": tree_digest(TEMPLATES),
        "assets": tree_digest(ASSETS),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def _pack_digest(pack: Pack, out: Path) -> str:
    workspace = pack.workspace or pack.root.resolve().parent
    parts = {
        "pack": tree_digest(pack.root, skip=out),
        "workspace": [
            tree_digest(workspace / name, skip=out)
            for name in _WORKSPACE
            if (workspace / name).exists()
        ],
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def input_digests(jobs: Sequence[Job], out: Path) -> dict[str, str]:
    """Each job's input hash, by output path. Reads each pack's files once."""
    builder = _builder_digest()
    out = Path(out).resolve()
    packs: dict[str, str] = {}
    digests = {}
    for job in jobs:
        if job.pack.id not in packs:
            packs[job.pack.id] = _pack_digest(job.pack, out)
        parts = {
            "builder": builder,
            "pack": packs[job.pack.id],
            "look": _look_digest(job, out),
            "level": job.level.model_dump(mode="json"),
            "options": options(job),
        }
        digests[job.path] = hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()
    return digests


def _look_digest(job: Job, out: Path) -> list[str]:
    """`--templates` folders and the reference .docx, wherever they are."""
    look = job.look
    paths = [*look.template_dirs, *([look.reference_docx] if look.reference_docx else [])]
    return [tree_digest(path, skip=out) for path in paths]


def options(job: Job) -> dict[str, object]:
    """The build options that shape a job's file beyond its pack, level, edition and format."""
    return {
        "format": job.format,
        "edition": job.edition,
        "variant": job.variant,
        "variants": job.variants,
        "profile": job.level.preset,
        "date": source_date(job.pack.file.date).isoformat(),
        **({"pdf_variant": job.look.pdf_variant} if job.format == "pdf" else {}),
    }
