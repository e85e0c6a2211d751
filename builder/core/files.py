"""The one guarded way to open an input file: inside the allowed folders, a regular file, bounded.

Every reader of user input (pack.yaml, teachpack.yaml, articles and level rewrites, images, the
theme logo, templates and their includes, stylesheets, the reference .docx, import sources) goes
through `read_bytes`. It

- resolves symlinks and `..` and refuses a file outside the allowed roots;
- refuses anything but a regular file (FIFOs, devices, sockets, `/proc` and `/sys` files);
- opens with O_NOFOLLOW and O_NONBLOCK (a FIFO swapped in cannot hang the open), then checks the
  opened descriptor is the regular file that was resolved (no link swapped in between);
- enforces the size limit on the bytes actually read, never on what stat says (0 for /proc files).

Every read, and every `probe` for an optional file, is recorded in the active `ReadLog`, so a
job's input hash is made of what was really opened (fingerprint.py), not of a hand-kept list.
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import io
import os
import stat
import types
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from builder.core.errors import TeachpackError
from builder.core.limits import limit_bytes, size_message

_SYSTEM = (Path("/proc"), Path("/sys"), Path("/dev"))


class FileRefused(TeachpackError):
    """An input file that may not be read: its message names the file, why, and the fix."""


@dataclass
class ReadLog:
    """The files opened (resolved path -> SHA-256 of the bytes read) and probed for but absent (None)."""

    files: dict[str, str | None] = field(default_factory=dict)

    def add(self, path: Path, data: bytes | None) -> None:
        self.files[str(path)] = None if data is None else hashlib.sha256(data).hexdigest()


_logs: contextvars.ContextVar[tuple[ReadLog, ...]] = contextvars.ContextVar("teachpack_read_logs", default=())
_staged: contextvars.ContextVar[Mapping[Path, bytes]] = contextvars.ContextVar(
    "teachpack_staged", default=types.MappingProxyType({}))


@contextlib.contextmanager
def staged(contents: Mapping[Path, bytes]) -> Iterator[None]:
    """Inside the block, reading (or probing for) one of these files gives the bytes given here, not
    what is on disk: an edit is loaded and checked by the same code as a build before it is written."""
    token = _staged.set({**_staged.get(), **{real_path(path): data for path, data in contents.items()}})
    try:
        yield
    finally:
        _staged.reset(token)


@contextlib.contextmanager
def recording() -> Iterator[ReadLog]:
    """Record every file read or probed inside the block (nested blocks each see their own reads)."""
    log = ReadLog()
    token = _logs.set((*_logs.get(), log))
    try:
        yield log
    finally:
        _logs.reset(token)


def _record(path: Path, data: bytes | None) -> None:
    for log in _logs.get():
        log.add(path, data)


def remember(path: Path, digest: str | None) -> None:
    """Record a file read earlier (a cached template used again), by its SHA-256, or an absent one (None)."""
    for log in _logs.get():
        log.files[os.path.realpath(path)] = digest


def real_path(path: Path) -> Path:
    """`path` with symlinks and '..' resolved; as given (made absolute) when it cannot be (a symlink
    loop, a NUL byte), so that the guarded read, or the check that follows, names the problem."""
    try:
        return Path(path).resolve()
    except (OSError, RuntimeError, ValueError):
        return Path(os.path.abspath(path))


def display_path(path: Path) -> str:
    """A path as the user would write it: relative to the current folder when inside it. The last
    part is not followed, so a link is named by its own name, not by where it points."""
    path = Path(path)
    try:
        whole = path.resolve() if path.name in ("", ".", "..") else path.parent.resolve() / path.name
        return str(whole.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def inside(path: Path, roots: Iterable[Path]) -> Path | None:
    """`path` resolved (symlinks and '..' followed) if it lies in one of `roots` (each resolved too)."""
    try:
        resolved = Path(path).resolve()
    except (OSError, RuntimeError, ValueError):  # a symlink loop, a NUL byte
        return None
    for root in roots:
        root = Path(root).resolve()
        if resolved == root or resolved.is_relative_to(root):
            return resolved
    return None


def _loops(path: Path) -> bool:
    try:
        Path(path).resolve(strict=False)
    except RuntimeError:  # Python 3.11 reports a symlink loop so
        return True
    except OSError as exc:
        return exc.errno == 40  # ELOOP
    return False


def _refuse_system(resolved: Path, shown: str) -> None:
    if any(resolved == system or resolved.is_relative_to(system) for system in _SYSTEM):
        raise FileRefused(f"{shown}: is a system file ({resolved}), not a file of the pack; "
                          "replace the link with the real file")


def read_bytes(path: Path, roots: Iterable[Path], kind: str, shown: str | None = None) -> bytes:
    """The bytes of the regular file `path`, which must lie inside `roots`, at most the `kind` limit
    (limits.py). Raises FileRefused with a one-line message naming the file and the fix."""
    shown = shown or str(path)
    roots = tuple(roots)
    resolved = inside(path, roots)
    if resolved is None and _loops(path):
        raise FileRefused(f"{shown}: is a link that leads back to itself (a loop); replace it with the file")
    if resolved is None:
        where = ", ".join(f"{real_path(Path(r)).name or r}/" for r in roots)
        raise FileRefused(f"{shown}: is outside the folders teachpack may read ({where}), or links out of them; "
                          "copy the file into the pack folder")
    _refuse_system(resolved, shown)
    if (data := _staged.get().get(resolved)) is not None:
        if len(data) > limit_bytes(kind):
            raise FileRefused(f"{shown}: {size_message(kind, None)}")
        _record(resolved, data)
        return data
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(resolved, flags)
    except FileNotFoundError:
        raise FileRefused(f"{shown}: not found; check the file name") from None
    except OSError as exc:
        raise FileRefused(f"{shown}: cannot be read ({exc.strerror}); check the file and its permissions") from None
    opened = os.fstat(fd)
    if not stat.S_ISREG(opened.st_mode):
        os.close(fd)
        raise FileRefused(f"{shown}: is not a regular file (a folder, pipe or device); give a file")
    with os.fdopen(fd, "rb", buffering=0) as handle:
        try:
            again = os.stat(resolved, follow_symlinks=False)
        except OSError:
            again = None
        if again is None or (again.st_dev, again.st_ino) != (opened.st_dev, opened.st_ino):
            raise FileRefused(f"{shown}: changed while it was opened; build again when nothing is changing it")
        most = limit_bytes(kind)
        data = _read_at_most(handle, most + 1)
    if len(data) > most:
        raise FileRefused(f"{shown}: {size_message(kind, None)}")
    _record(resolved, data)
    return data


def _read_at_most(handle: io.RawIOBase, size: int) -> bytes:
    chunks, left = [], size
    while left > 0:
        chunk = handle.read(min(left, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def read_text(path: Path, roots: Iterable[Path], kind: str, shown: str | None = None) -> str:
    """`read_bytes` decoded as UTF-8 (a byte-order mark is dropped)."""
    data = read_bytes(path, roots, kind, shown)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileRefused(f"{shown or path}: is not UTF-8 text (byte {exc.start}); save it as UTF-8") from None


def on_disk(path: Path) -> bool:
    """Whether `path` is a regular file whose bytes come from the disk (not staged): its size can be checked
    before it is read."""
    return Path(path).is_file() and real_path(path) not in _staged.get()


def lexists(path: Path) -> bool:
    """Whether there is something at `path` (a link counts, even a broken one), or a staged file."""
    return real_path(path) in _staged.get() or os.path.lexists(path)


def probe(path: Path, roots: Iterable[Path]) -> bool:
    """Whether an optional input (a level rewrite, a template that may shadow a built-in) is there
    to be read: a regular file inside `roots`. An absent one is recorded too, so adding it later
    makes the jobs that looked for it stale."""
    resolved = inside(path, roots)
    target = resolved or Path(os.path.abspath(path))
    if resolved is not None and resolved in _staged.get():
        return True
    try:
        there = resolved is not None and stat.S_ISREG(os.stat(resolved).st_mode)
    except OSError:
        there = False
    if not there:
        _record(target, None)
    return there


@dataclass(frozen=True)
class ZipLimits:
    """Bounds on a zip package (DOCX): member count, total unpacked size, compression ratio."""

    entries: int = 2000
    unpacked: int = 200_000_000
    ratio: int = 200


def open_zip(data: bytes, shown: str, limits: ZipLimits = ZipLimits()) -> zipfile.ZipFile:
    """A ZipFile over `data`, refused (FileRefused) when it is not a zip or could unpack to more than
    `limits` allow: a zip bomb is refused from its directory, before anything is unpacked."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise FileRefused(f"{shown}: is not a Word (.docx) file (not a zip package); save it again as .docx") from None
    members = archive.infolist()
    if len(members) > limits.entries:
        raise FileRefused(f"{shown}: holds {len(members)} parts, over the limit of {limits.entries}; "
                          "save it again from Word, or make it smaller")
    total = sum(m.file_size for m in members)
    if total > limits.unpacked:
        raise FileRefused(f"{shown}: would unpack to {total / 1e6:.0f} MB, over the {limits.unpacked / 1e6:.0f} MB "
                          "limit; make it smaller (fewer or smaller pictures)")
    for member in members:
        if member.file_size > 1_000_000 and member.file_size > limits.ratio * max(member.compress_size, 1):
            times = member.file_size // max(member.compress_size, 1)
            raise FileRefused(f"{shown}: part '{member.filename}' unpacks {times} times larger than it is stored "
                              "(a zip bomb?); save the file again from Word")
    return archive


def read_member(archive: zipfile.ZipFile, name: str, shown: str) -> bytes:
    """One member's bytes, never more than its directory entry declared (a lying header is refused)."""
    info = archive.getinfo(name)
    with archive.open(info) as handle:
        data = handle.read(info.file_size + 1)
    if len(data) > info.file_size:
        raise FileRefused(f"{shown}: part '{name}' is larger than its zip entry says; save the file again")
    return data
