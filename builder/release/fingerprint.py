"""A job's input hash: the files its build really read, with their SHA-256s, and what shaped it besides.

Every loader reads through files.py, which records each file opened (and each optional file looked
for and absent) in a ReadLog: while a pack loads (build.load_packs), while its document resolves,
and while the worker renders it (templates through the Jinja loader, pictures and stylesheets
through the PDF fetcher, the font files the PDF used: `render/pdf_fonts.py`). The manifest keeps that list
in the job's entry. A job is up to date when its file is intact and hashing exactly those paths
again, with the builder's code and version, the level profile and the options (`static_digests`),
gives the input hash the manifest holds. Nothing is listed by hand, so a hidden file the article
names, a template that now shadows a built-in, or a font update all make the job stale.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from importlib.metadata import version
from pathlib import Path

from builder import __version__
from builder.components.registry import registry
from builder.core.digest import current_digest
from builder.core.paths import ASSETS, TEMPLATES
from builder.core.reproducible import source_date
from builder.options import shaping
from builder.release.jobs import Job
from builder.render.brf import louis
from builder.render.pdf.raster import pdftoppm_version

_CODE = Path(__file__).resolve().parent.parent  # builder/: every module shapes the files
CHANGED = "changed during the build"  # never a SHA-256: the job is stale at the next build


def tree_digest(root: Path, pattern: str = "*") -> str:
    """SHA-256 over the names and contents of the files under `root` matching `pattern`."""
    digest = hashlib.sha256()
    for path in sorted(root.rglob(pattern)):
        relative = path.relative_to(root)
        if any(part.startswith(".") or part == "__pycache__" for part in relative.parts) or not path.is_file():
            continue
        digest.update(relative.as_posix().encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _builder_digest() -> str:
    """The builder itself: its code, its data files and the renderers it drives."""
    parts = {
        "teachpack": __version__,
        "weasyprint": version("weasyprint"),
        "python-docx": version("python-docx"),
        "fonttools": version("fonttools"),  # subsets the fonts the DOCX embeds
        "pdftoppm": pdftoppm_version(),  # draws the DOCX's timeline picture
        "liblouis": louis.version(),  # translates the braille, with its tables
        "code": tree_digest(_CODE, "*.py"),
        "templates": tree_digest(TEMPLATES),
        "assets": tree_digest(ASSETS),
        # An installed plugin's kinds shape the files too: its name and version, and its templates.
        "plugins": [[p.name, p.distribution, p.version] for p in registry().plugins],
        "plugin-templates": [tree_digest(folder) for folder in registry().template_dirs],
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def static_digests(jobs: Sequence[Job]) -> dict[str, str]:
    """The part of each job's input hash that is not the files it read, by output path: the builder,
    the level profile (after overrides and presets) and the options."""
    builder = _builder_digest()
    digests = {}
    for job in jobs:
        parts = {
            "builder": builder,
            "level": job.level.model_dump(mode="json"),
            "options": options(job),
        }
        digests[job.path] = hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()
    return digests


def input_hash(static: str, reads: Mapping[str, str | None]) -> str:
    """A job's input hash: its static digest and every file it read, by path, with its SHA-256."""
    parts = {"static": static, "reads": sorted(reads.items())}
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()


def merge_reads(*logs: Mapping[str, str | None]) -> dict[str, str | None]:
    """One job's reads from each stage (load, resolve, render); a file read twice with different
    contents changed during the build, and is marked so the job is built again next time."""
    merged: dict[str, str | None] = {}
    for log in logs:
        for path, digest in log.items():
            merged[path] = digest if merged.get(path, digest) == digest else CHANGED
    return dict(sorted(merged.items()))


def bases(job: Job) -> dict[str, Path]:
    """The folders a job's reads are named relative to in the manifest, most specific first, so the
    manifest (a release file) names no one's home folder and a checkout moved elsewhere stays up to date."""
    return dict(_bases(job.pack.root, job.pack.workspace))


@functools.lru_cache(maxsize=1024)
def _bases(root: Path, workspace: Path | None) -> tuple[tuple[str, Path], ...]:
    """bases, resolved once per pack folder (a build asks for every job, and resolving stats each folder)."""
    found = [("pack", root.resolve())]
    if workspace is not None:
        found.append(("workspace", Path(workspace).resolve()))
    return (*found, ("builtin-templates", TEMPLATES.resolve()), ("builtin-assets", ASSETS.resolve()))


def portable(reads: Mapping[str, str | None], where: Mapping[str, Path]) -> dict[str, str | None]:
    """`reads` with each path inside one of `where` written as "<name>:<relative path>"; others (system
    fonts, a --templates folder elsewhere) stay absolute."""
    named: dict[str, str | None] = {}
    for path, digest in reads.items():
        named[_portable_name(Path(path), where)] = digest
    return dict(sorted(named.items()))


def _portable_name(path: Path, where: Mapping[str, Path]) -> str:
    for name, base in where.items():
        if path == base or path.is_relative_to(base):
            return f"{name}:{path.relative_to(base).as_posix()}"
    return str(path)


def local(name: str, where: Mapping[str, Path]) -> str:
    """The path a `portable` name stands for on this machine."""
    prefix, colon, rest = name.partition(":")
    if colon and prefix in where:
        return str(where[prefix] / rest) if rest != "." else str(where[prefix])
    return name


class Rehash:
    """The current SHA-256 of files (None when absent or not a regular file), each hashed once."""

    def __init__(self) -> None:
        self._known: dict[str, str | None] = {}

    def __call__(self, path: str) -> str | None:
        if path not in self._known:
            self._known[path] = current_digest(path)
        return self._known[path]

    def reads(self, names: Iterable[str], where: Mapping[str, Path]) -> dict[str, str | None]:
        """The current SHA-256 of each file the manifest names (portable names, see `portable`)."""
        return {name: self(local(name, where)) for name in names}


def options(job: Job) -> dict[str, object]:
    """What shapes a job's file beyond its pack, level and the files it read: the job's own edition,
    format, form and profile, the pack's date, and every build option that shapes a file of its
    format (options.shaping: derived from BuildOptions' fields, never listed here). Paths are named
    as the manifest names reads (`portable`), so a moved checkout stays up to date."""
    where = bases(job)
    shaped = {name: _plain(value, where) for name, value in shaping(job.options, job.format).items()}
    return {
        **shaped,
        "format": job.format,
        "edition": job.edition,
        "variant": job.variant,
        "variants": job.variants,
        "profile": job.level.preset,
        "date": source_date(job.pack.file.date).isoformat(),
    }


def _plain(value: object, where: Mapping[str, Path]) -> object:
    """An option's value as JSON: paths portable, sequences lists, anything else as it prints."""
    if isinstance(value, Path):
        return _portable_name(value.resolve(), where)
    if isinstance(value, (tuple, list, frozenset, set)):
        items = [_plain(item, where) for item in value]
        return sorted(items, key=str) if isinstance(value, (frozenset, set)) else items
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return repr(value)
