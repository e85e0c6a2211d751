"""dist/manifest.json: every output file with what it is, its checksum and the hash of its inputs.

The manifest is itself reproducible (sorted, no timestamps), so shards' manifests merge by
concatenating their `outputs`. `verify` rechecks the files against it; the build reads it to skip
jobs whose inputs have not changed.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from builder import __version__
from builder.core.errors import Problem, TeachpackError, VerifyError
from builder.release.write import LOCK, PART, atomic_write

MANIFEST = "manifest.json"
FORMAT = 1


@dataclass(frozen=True)
class Entry:
    """One output file. `path` is relative to the output folder, with / separators."""

    path: str
    pack: str
    level: str
    edition: str
    format: str
    variant: str | None  # the form letter when several forms are built
    profile: str | None  # the access preset, if any
    pages: int | None  # None for DOCX: Word paginates it
    size: int
    sha256: str
    inputs: str  # SHA-256 of everything the file was built from (fingerprint.py)
    options: dict[str, object] = field(default_factory=dict)
    warnings: tuple[Problem, ...] = ()  # with their codes: shown again, and refused by --strict, when skipped
    reads: dict[str, str | None] = field(default_factory=dict)  # every file the build read: SHA-256, None if absent


def read_manifest(out: Path) -> dict[str, Entry]:
    """The entries of `out/manifest.json` by path; empty when there is none yet."""
    path = Path(out) / MANIFEST
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        entries = [Entry(**{**item, "warnings": tuple(Problem.from_dict(w) for w in item.get("warnings", ()))})
                   for item in data["outputs"]]
    except (ValueError, KeyError, TypeError) as exc:
        raise TeachpackError(f"{path}: not a teachpack manifest ({exc}); delete it to rebuild everything") from None
    return {entry.path: entry for entry in entries}


def write_manifest(out: Path, entries: dict[str, Entry]) -> None:
    """Write the manifest atomically, entries sorted by path."""
    data = {
        "format": FORMAT,
        "builder": f"teachpack {__version__}",
        "outputs": [_as_json(entries[path]) for path in sorted(entries)],
    }
    atomic_write(Path(out) / MANIFEST, (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode())


def _as_json(entry: Entry) -> dict[str, object]:
    item = asdict(entry)
    item["warnings"] = [w.as_dict() for w in entry.warnings]
    return item


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def intact(out: Path, entry: Entry, known: Checksums | None = None) -> bool:
    """Whether the file is there with exactly the size and checksum the manifest lists. With `known`, a
    file whose size, times and inode are those it had when last hashed is not read again."""
    path = Path(out) / entry.path
    try:
        stat = path.stat()
    except OSError:
        return False
    if not path.is_file() or stat.st_size != entry.size:
        return False
    digest = known.get(entry.path, stat) if known is not None else None
    if digest is None:
        digest = file_sha256(path)
        if known is not None:
            known.remember(entry.path, stat, digest)
    return digest == entry.sha256


class Checksums:
    """The SHA-256 of an output folder's files, each with the size, modification and change times (ns) and
    inode it had when hashed: an up-to-date rebuild stats the files instead of reading them all again (git
    keeps its index the same way). Kept in the user's cache folder (core/cache.py), not in the output folder,
    which holds only the release's files; a stale or unreadable cache only makes the next check slower."""

    def __init__(self, out: Path) -> None:
        from builder.core.cache import cache_dir

        folder = str(Path(out).resolve())
        self._file = cache_dir("checksums") / f"{hashlib.sha256(folder.encode()).hexdigest()[:32]}.json"
        try:
            self._known: dict[str, list[object]] = json.loads(self._file.read_text(encoding="utf-8"))
            assert isinstance(self._known, dict)
        except (OSError, ValueError, AssertionError):
            self._known = {}
        self._changed = False

    @staticmethod
    def _facts(stat: os.stat_result) -> list[object]:
        return [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino]

    def get(self, name: str, stat: os.stat_result) -> str | None:
        known = self._known.get(name)
        if isinstance(known, list) and known[:-1] == self._facts(stat) and isinstance(known[-1], str):
            return known[-1]
        return None

    def remember(self, name: str, stat: os.stat_result, digest: str) -> None:
        self._known[name] = [*self._facts(stat), digest]
        self._changed = True

    def save(self) -> None:
        if self._changed:
            from builder.core.cache import keep

            keep(self._file, json.dumps(self._known, sort_keys=True).encode())
            self._changed = False


def verify(out: Path) -> int:
    """Recheck every file the manifest lists, and that it lists every file there; return how many.
    Raises VerifyError naming each bad, missing, unlisted or temporary file."""
    out = Path(out)
    if not (out / MANIFEST).is_file():
        raise TeachpackError(f"{out / MANIFEST}: not found; give the folder a build wrote (teachpack build --out)")
    entries = read_manifest(out)
    problems = []
    for entry in entries.values():
        path = out / entry.path
        if not path.is_file():
            problems.append(f"{path}: missing")
        elif not intact(out, entry):
            problems.append(f"{path}: does not match the manifest (size or SHA-256 differs)")
    failed = len(problems)
    for path in sorted(p for p in out.rglob("*") if p.is_file() or p.is_symlink()):
        name = path.relative_to(out).as_posix()
        if name in entries or name in (MANIFEST, LOCK):
            continue
        if path.name.startswith(".") and path.name.endswith(PART):
            problems.append(f"{path}: a temporary file of an unfinished build; build into {out} again "
                            "(it removes them), or delete it")
        else:
            problems.append(f"{path}: not in the manifest; delete it, or build it into {out} with teachpack build")
    if problems:
        summary = f"{failed} of {len(entries)} file(s) failed verification"
        if len(problems) > failed:
            summary += f", and {len(problems) - failed} file(s) in {out} are not in the manifest"
        raise VerifyError("\n".join([*problems, summary]))
    return len(entries)
