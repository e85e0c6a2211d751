"""What the workbench does, without HTTP: the packs of a workspace, their status, previews and builds.

Everything here calls the library (load_pack, check_pack, import_source, build_pack, the PDF
renderer); the routes in app.py only turn requests into these calls and their results into pages.
"""

from __future__ import annotations

import contextlib
import hashlib
import multiprocessing
import os
import re
import signal
import subprocess
import tempfile
import threading
import time
import zipfile
from collections import OrderedDict
from concurrent.futures import CancelledError, ProcessPoolExecutor, TimeoutError
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from builder.core.errors import PackError, Problem, TeachpackError
from builder.load.loader import PACK_FILE, Pack, load_pack

if TYPE_CHECKING:
    from builder.check.checks import CheckResult

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
THUMBNAIL_DPI = 36  # the pages beside the form: a Letter page 306 pixels wide, sharp at 2x in a 7rem column
PAGE_DPI = 72  # the Preview tab: pages large enough to read
PREVIEW_TIMEOUT = 300  # seconds, as a build job's default --job-timeout
PREVIEWS_KEPT = 12  # rendered previews kept in memory (level x edition x pack state)


@dataclass
class PackInfo:
    name: str  # the folder's name: the pack's address in the workbench
    folder: Path
    pack: Pack | None
    problems: list[Problem]
    built: float | None  # when its files were last built (seconds since the epoch)
    misspellings: list[Any] = field(default_factory=list)  # for the Spelling tab: what the check flags

    @property
    def title(self) -> str:
        return self.pack.file.title if self.pack else self.name


@dataclass
class BuildState:
    """One build running (or finished) in the background, read by the progress indicator."""

    total: int = 0
    done: int = 0
    failed: list[str] = field(default_factory=list)
    error: str = ""
    running: bool = True
    files: list[Path] = field(default_factory=list)


class Workbench:
    """A workspace folder of pack folders, and the builds and previews made of them."""

    def __init__(self, workspace: Path) -> None:
        self.workspace = Path(workspace).resolve()
        self.out = self.workspace / "dist"
        self.builds: dict[str, BuildState] = {}
        self._pdfs: OrderedDict[tuple[str, ...], bytes] = OrderedDict()
        self._previews: OrderedDict[tuple[str | int, ...], list[bytes]] = OrderedDict()
        self._render_lock = threading.Lock()
        self.renderer = PreviewProcess()
        self._build_lock = threading.Lock()
        self._checked: dict[str, tuple[str, CheckResult | None]] = {}

    # --- packs -----------------------------------------------------------------------------------

    def folder(self, name: str) -> Path:
        """The folder of pack `name`: a plain folder name inside the workspace, never a path out of it."""
        if not SLUG.match(name) and not re.fullmatch(r"[\w][\w.-]*", name):
            raise TeachpackError(f"{name!r}: not a pack folder name")
        folder = self.workspace / name
        if folder.resolve().parent != self.workspace or not (folder / PACK_FILE).is_file():
            raise TeachpackError(f"{name!r}: no pack folder of that name in {self.workspace}")
        return folder

    def names(self) -> list[str]:
        return sorted(child.name for child in self.workspace.iterdir()
                      if child.is_dir() and (child / PACK_FILE).is_file())

    def info(self, name: str) -> PackInfo:
        folder = self.folder(name)
        try:
            pack: Pack | None = load_pack(folder)
            problems: list[Problem] = []
        except PackError as exc:
            pack, problems = None, exc.problems
        built = None
        if pack is not None and (self.out / pack.id).is_dir():
            times = [p.stat().st_mtime for p in (self.out / pack.id).iterdir() if p.is_file()]
            built = max(times) if times else None
        return PackInfo(name, folder, pack, problems, built)

    def new_name(self, title: str) -> str:
        """A free folder name made from a title: 'The Moon Landing' -> 'the-moon-landing' (-2, -3 if taken)."""
        base = re.sub(r"[^a-z0-9]+", "-", title.casefold()).strip("-")[:60].strip("-") or "pack"
        name, number = base, 2
        while (self.workspace / name).exists():
            name, number = f"{base}-{number}", number + 1
        return name

    def import_article(self, filename: str, data: bytes) -> str:
        """Import an uploaded or pasted article into a new pack folder named after its title (the
        title teachpack import finds, e.g. 'the-erie-canal'); returns the folder's name."""
        from builder.importer import import_new

        suffix = Path(filename).suffix.casefold()
        if suffix not in (".txt", ".md", ".html", ".htm", ".docx"):
            raise TeachpackError(f"{filename}: teachpack imports .txt, .md, .html and .docx files; save the article "
                                 "as one of them, or paste its text")
        if suffix == ".docx" and not data.startswith(b"PK"):
            raise TeachpackError(f"{filename}: is not a Word file (.docx) inside; open it in Word and save it again "
                                 "as .docx")
        if suffix != ".docx" and b"\0" in data[:4096]:
            raise TeachpackError(f"{filename}: is not a text file; save the article as .txt, .html or .docx")
        stem = re.sub(r"[^\w.-]+", "-", Path(filename).stem).strip("-.") or "article"
        with tempfile.TemporaryDirectory() as scratch:
            source = Path(scratch) / (stem + suffix)
            source.write_bytes(data)
            result = import_new(source, lambda title: self.workspace / self.new_name(title or stem))
        return result.into.name

    def state(self, name: str) -> tuple[Pack, str]:
        """The pack loaded, and a key made of every file its loading read: it changes when any of them does."""
        from builder.core import files

        with files.recording() as log:
            pack = load_pack(self.folder(name))
        return pack, hashlib.sha256(repr(sorted(log.files.items())).encode()).hexdigest()[:16]

    def check(self, name: str) -> CheckResult:
        """`teachpack check` of the pack (without --a11y), kept until one of its files changes."""
        from builder.check.checks import check_pack

        _, key = self.state(name)
        if self._checked.get(name, ("", None))[0] != key:
            self._checked[name] = (key, check_pack(self.folder(name)))
        result = self._checked[name][1]
        assert result is not None
        return result

    # --- preview -----------------------------------------------------------------------------------

    def preview(self, name: str, level: str, edition: str, dpi: int = THUMBNAIL_DPI) -> tuple[str, list[bytes]]:
        """The pages of one level and edition as JPEG images at `dpi`, and a key that changes with the pack.

        The layout runs in a preview process of its own, kept warm (WeasyPrint imported, fonts loaded)
        and out of the server's way; the PDF is kept, so the larger pages of the Preview tab come from
        the layout the thumbnails were made from."""
        _, key = self.state(name)
        wanted = (name, key, level, edition)
        with self._render_lock:  # one layout at a time; a request for the one being made waits for it
            if wanted not in self._pdfs:
                pdf, thumbnails = self.renderer.render(self.folder(name), level, edition)
                self._pdfs[wanted] = pdf
                self._previews[(*wanted, THUMBNAIL_DPI)] = thumbnails
            self._pdfs.move_to_end(wanted)
            if (*wanted, dpi) not in self._previews:
                self._previews[(*wanted, dpi)] = pdf_pages(self._pdfs[wanted], dpi)
            self._previews.move_to_end((*wanted, dpi))
            for cache in (self._pdfs, self._previews):
                while len(cache) > PREVIEWS_KEPT:
                    cache.popitem(last=False)
            return key, self._previews[(*wanted, dpi)]

    def prefetch(self, name: str, level: str, edition: str) -> None:
        """Start laying out the preview now, in the background: right after a save, while the saved page
        travels to the browser and asks for its preview, which then waits only for what is left."""

        def run() -> None:
            with contextlib.suppress(TeachpackError):  # the preview request that follows reports it
                self.preview(name, level, edition)

        threading.Thread(target=run, daemon=True).start()

    def page(self, name: str, key: str, level: str, edition: str, dpi: int, number: int) -> bytes | None:
        """One page image of the preview made for pack state `key` (from the cache: the address of an
        image names the state it shows), or of the pack as it is now if that one is gone; None past the end."""
        pages = self._previews.get((name, key, level, edition, dpi))
        if pages is None:
            _, pages = self.preview(name, level, edition, dpi)
        return pages[number - 1] if 1 <= number <= len(pages) else None

    # --- builds ------------------------------------------------------------------------------------

    def start_build(self, name: str) -> BuildState:
        """Build every file of the pack into dist/ in a background thread; one build at a time."""
        folder = self.folder(name)
        if not self._build_lock.acquire(blocking=False):
            raise TeachpackError("a build is already running; wait for it to finish")
        state = self.builds[name] = BuildState()
        threading.Thread(target=self._build, args=(folder, state), daemon=True).start()
        return state

    def _build(self, folder: Path, state: BuildState) -> None:
        from builder.build import build_pack
        from builder.options import BuildOptions
        from builder.release.jobs import JobReport

        def started(total: int) -> None:
            state.total = total

        def finished(report: JobReport) -> None:
            state.done += 1

        try:
            result = build_pack([folder], self.out, BuildOptions(jobs=2), on_start=started, on_job=finished)
            state.failed = result.failed
            state.files = result.written + result.skipped
        except TeachpackError as exc:
            state.error = "; ".join(exc.lines())
        finally:
            state.running = False
            self._build_lock.release()

    def built_files(self, pack: Pack) -> list[Path]:
        folder = self.out / pack.id
        return sorted(p for p in folder.iterdir() if p.suffix in (".pdf", ".docx")) if folder.is_dir() else []

    def download_rows(self, pack: Pack) -> list[tuple[str, Path | None, Path | None]]:
        """The built files as rows of (what it is, the PDF, the DOCX), in the pack's level order, the
        student edition before the teacher's: 'Middle, teacher edition'."""
        order = {level.id: number for number, level in enumerate(pack.levels)}
        rows: dict[str, dict[str, Path]] = {}
        for path in self.built_files(pack):
            rows.setdefault(path.stem, {})[path.suffix] = path
        out = []
        for stem, found in rows.items():
            words = stem.removeprefix(f"{pack.id}-").split("-")
            level = words[0] if words[0] in order else ""
            edition = "teacher" if "teacher" in words else "student"
            extras = re.sub(r"\bform (\w)\b", lambda m: f"Form {m[1].upper()}",
                            " ".join(w for w in words if w not in (level, edition)))
            label = f"{level.capitalize()}, {edition} edition" + (f", {extras}" if extras else "")
            out.append(((order.get(level, len(order)), edition, stem), label, found.get(".pdf"), found.get(".docx")))
        return [(label, pdf, docx) for _, label, pdf, docx in sorted(out, key=lambda row: row[0])]

    def zip_of(self, pack: Pack) -> bytes:
        """Every built file of the pack in one zip, with fixed dates (the same files give the same zip)."""
        import io

        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in self.built_files(pack):
                info = zipfile.ZipInfo(f"{pack.id}/{path.name}", date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, path.read_bytes())
        return buffer.getvalue()


class PreviewProcess:
    """The process that lays out previews: started once (spawned, never forked from the threaded server),
    warmed up at once, started again if it dies; a layout taking longer than a build job may is stopped."""

    def __init__(self) -> None:
        self._pool: ProcessPoolExecutor | None = None
        self._stopped = False

    def warm(self) -> ProcessPoolExecutor:
        """Start the process now (`teachpack serve` does at once; tests only when they preview)."""
        if self._stopped:
            raise TeachpackError("the preview was stopped because the workbench is shutting down")
        if self._pool is None:
            self._pool = self._start()
        return self._pool

    @staticmethod
    def _start() -> ProcessPoolExecutor:
        pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_warm_up)
        pool.submit(int)  # starts the process (and its warm-up) now, not on the first save
        return pool

    def render(self, folder: Path, level: str, edition: str) -> tuple[bytes, list[bytes]]:
        pool = self.warm()
        future = pool.submit(_layout, str(folder), level, edition)
        try:
            return future.result(timeout=PREVIEW_TIMEOUT)
        except (BrokenProcessPool, TimeoutError):
            self.close(kill=True)
            raise TeachpackError("the preview could not be laid out (it took too long, or its process stopped); "
                                 "save again, or build the pack to see the files") from None
        except CancelledError:  # the server is stopping (close() cancels what is queued)
            raise TeachpackError("the preview was stopped because the workbench is shutting down") from None

    def stop(self) -> None:
        """Stop for good, when the server stops: a prefetch still running gets an error, not a new process."""
        self._stopped = True
        self.close()

    def close(self, kill: bool = False) -> None:
        pool, self._pool = self._pool, None
        if pool is None:
            return
        processes = list(getattr(pool, "_processes", None) or {})  # the executor keeps them by pid
        pool.shutdown(wait=not kill, cancel_futures=True)
        if kill:
            for pid in processes:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)


def _warm_up() -> None:
    from builder.render import get_renderer

    _renderers["pdf"] = get_renderer("pdf")  # WeasyPrint imported and its fonts configured once


_renderers: dict[str, Any] = {}


def _layout(folder: str, level: str, edition: str) -> tuple[bytes, list[bytes]]:
    """In the preview process: the PDF of one level and edition (untagged: tags change nothing on the
    page and cost a fifth of the time) and its thumbnails."""
    from builder.release.jobs import plan_jobs
    from builder.render import get_renderer

    pack = load_pack(Path(folder))
    jobs = plan_jobs([pack], levels=(level,), editions=(edition,), formats=("pdf",), pdf_variant="none")
    renderer = _renderers.setdefault("pdf", get_renderer("pdf"))
    pdf: bytes = renderer.render(jobs[0].resolve())
    return pdf, pdf_pages(pdf, THUMBNAIL_DPI)


def pdf_pages(pdf: bytes, dpi: int) -> list[bytes]:
    """Each page of a PDF as a JPEG image, by poppler's pdftoppm (installed by setup.sh). JPEG, not PNG:
    pdftoppm encodes the 17 pages of a pack in a fifth of the time (0.08 s against 0.4 s, measured)."""
    with tempfile.TemporaryDirectory() as scratch:
        source = Path(scratch) / "preview.pdf"
        source.write_bytes(pdf)
        try:
            subprocess.run(["pdftoppm", "-r", str(dpi), "-jpeg", "-jpegopt", "quality=85", str(source),
                            str(Path(scratch) / "page")], check=True, capture_output=True, timeout=120)
        except FileNotFoundError:
            raise TeachpackError("the preview needs pdftoppm (Debian package poppler-utils); run ./setup.sh") from None
        except subprocess.CalledProcessError as exc:
            reason = exc.stderr.decode(errors="replace").strip()[:200]
            raise TeachpackError(f"the preview could not be drawn ({reason}); build the pack to see the files") \
                from None
        except subprocess.TimeoutExpired:
            raise TeachpackError("the preview took too long to draw; build the pack to see the files") from None
        pages = sorted(Path(scratch).glob("page-*.jpg"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
        return [p.read_bytes() for p in pages]


def when(seconds: float | None) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(seconds)) if seconds else "never"
