"""Stage 4, write: files appear whole or not at all, and only one build writes into a folder at a time.

A worker renders into `.<name>.part` beside the file; the build's own process renames it into place
and records it in the manifest in one step (`commit_part`), so nothing lands unrecorded. Parts left
by a killed build are removed by the next one (`remove_parts`), under the folder's lock (`OutLock`).
"""

from __future__ import annotations

import os
from pathlib import Path
from types import TracebackType

from builder.core.errors import BuildError, TeachpackError

LOCK = ".teachpack.lock"
PART = ".part"


def atomic_write(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that a reader never sees a partial file (the manifest, a build in one process)."""
    write_part(path, data)
    commit_part(path)


def part_path(path: Path) -> Path:
    """Where a worker writes `path` before the build moves it into place: `.<name>.part` beside it."""
    return path.with_name(f".{path.name}{PART}")


def write_part(path: Path, data: bytes) -> None:
    """Write `data` to `path`'s part file (never to `path` itself: the build renames it, see commit_part)."""
    part = part_path(path)
    try:
        part.parent.mkdir(parents=True, exist_ok=True)
        fd = _create(part)
    except OSError as exc:
        raise BuildError(f"{path.parent}: cannot write here ({exc.strerror}); choose another --out folder") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(part, 0o644)
    except BaseException as exc:
        part.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise BuildError(f"{path}: could not be written ({exc.strerror}); nothing was changed") from None
        raise


def _create(part: Path) -> int:
    """The part file, opened new and empty for writing (what a read-only folder refuses)."""
    return os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0), 0o644)


def commit_part(path: Path) -> None:
    """Move `path`'s finished part file into place (an atomic rename in the same folder)."""
    try:
        os.replace(part_path(path), path)
    except OSError as exc:
        part_path(path).unlink(missing_ok=True)
        raise BuildError(f"{path}: could not be written ({exc.strerror}); nothing was changed") from None


def remove_parts(out: Path) -> list[Path]:
    """Delete every part file under `out` (left by a build that was killed); return them."""
    found = sorted(path for path in Path(out).rglob(f".*{PART}") if path.is_file())
    for path in found:
        path.unlink(missing_ok=True)
    return found


class OutLock:
    """`out/.teachpack.lock`, held (flock, exclusive) while a build writes into `out`, removed after.

    A second build into the same folder is refused at once, naming the first one's pid, rather
    than both writing files and each a manifest that lists only its own. The kernel drops the lock
    when the process ends, however it ends, so a killed build never leaves the folder locked.
    """

    def __init__(self, out: Path) -> None:
        self.out = Path(out)
        self._fd: int | None = None

    def __enter__(self) -> OutLock:
        import fcntl

        path = self.out / LOCK
        while True:
            try:
                self.out.mkdir(parents=True, exist_ok=True)
                fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
            except OSError as exc:  # one line now, rather than one per file after rendering them all
                raise TeachpackError(f"--out {self.out}: cannot create the folder ({exc.strerror}); "
                                     "choose another --out folder") from None
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                other = os.read(fd, 32).decode("ascii", "replace").strip() or "unknown"
                os.close(fd)
                raise TeachpackError(f"--out {self.out}: another build (pid {other}) is writing into it; "
                                     "wait for it to finish, or build into another --out folder") from None
            try:  # the build before may have removed the file after we opened it: lock the one there now
                same = os.stat(path).st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:
                same = False
            if same:
                break
            os.close(fd)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._fd = fd
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if self._fd is not None:
            Path(self.out / LOCK).unlink(missing_ok=True)  # still holding the lock: no one else has it
            os.close(self._fd)  # which releases it
            self._fd = None
