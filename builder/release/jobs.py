"""Jobs: one output file each, planned from the packs, split into shards, run in worker processes.

A job is (pack, level and access profile, edition, form, format). Planning needs no rendering, so
`--list-jobs` and an up-to-date rebuild never import WeasyPrint. Each worker process keeps one
renderer per format for its whole life, so fonts load once per process, not once per file.

The pool is our own (processes and pipes, not concurrent.futures), because a job that runs over
its time must be stopped alone: its worker is killed and replaced, and the other jobs go on. What
comes back from a worker is plain data, an error included, so nothing can fail to cross back.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import math
import multiprocessing
import multiprocessing.context
import multiprocessing.process
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any, Literal

from builder.core import files
from builder.core.errors import PackError, Problem, TeachpackError, did_you_mean
from builder.core.files import display_path
from builder.core.levels import Level, with_preset
from builder.load.loader import PACK_FILE, Pack
from builder.model import Document, Styling, form_letter, output_stem
from builder.options import BuildOptions, given
from builder.options import Shard as Shard  # planned jobs are split by it; importable from here as before
from builder.release.write import part_path, write_part
from builder.render import SUFFIXES, Renderer, get_renderer, makes
from builder.resolve.document import resolve, styling

# fork starts a worker in milliseconds with the parent's imports; macOS and Windows can only spawn safely.
_START_METHOD = "fork" if sys.platform == "linux" else "spawn"


DocumentKey = tuple[str, str, str | None, str, int]  # pack, level, profile, edition, variant


@dataclass(frozen=True, eq=False)
class Job:
    """One output file: a pack at one level (with any access profile), edition and form, in one format."""

    pack: Pack
    level: Level
    edition: str
    variant: int
    variants: int
    format: str
    look: Styling = Styling()
    options: BuildOptions = BuildOptions()  # the build's options, of which the fingerprint hashes those shaping a file

    @property
    def form(self) -> str | None:
        return form_letter(self.variant, self.variants)

    @property
    def path(self) -> str:
        """Where the file goes, relative to the output folder, with / separators (the manifest's key)."""
        stem = output_stem(self.pack.id, self.level, self.edition, self.form)
        return f"{self.pack.id}/{stem}.{SUFFIXES.get(self.format, self.format)}"

    @property
    def document_key(self) -> DocumentKey:
        """Jobs with the same key render the same resolved document (the PDF and the DOCX of it)."""
        return (self.pack.id, self.level.id, self.level.preset, self.edition, self.variant)

    @property
    def layout_group(self) -> object:
        """Jobs that share laid-out pages, run in one worker: a PDF's student and teacher editions."""
        return (self.pack.id, self.level.id, self.level.preset, self.variant) if self.format == "pdf" else None

    def resolve(self) -> Document:
        return resolve(self.pack, self.level, self.edition, self.variant, self.variants, self.look)


def plan_jobs(
    packs: Sequence[Pack],
    options: BuildOptions | None = None,
    reads: dict[str, dict[str, str | None]] | None = None,
    **fields: Any,
) -> list[Job]:
    """Every job the options ask for (`options`, or a BuildOptions made of `fields`), in a fixed order.
    Unknown levels and two packs with one id fail here. `reads`, if given, receives the files each
    pack's look was looked for in, by pack id."""
    options = given(options, fields)
    owners: dict[str, Pack] = {}
    for pack in packs:
        other = owners.setdefault(pack.id, pack)
        if other is not pack:
            raise TeachpackError(
                f"{display_path(other.root)} and {display_path(pack.root)} are both pack '{pack.id}'; "
                "give one of them another id: in its pack.yaml"
            )
    styles = {}
    for pack in packs:
        with files.recording() as log:  # what the look was looked for in: template folders, reference .docx
            styles[pack.id] = styling(pack, options.template_dirs, options.reference_docx, options.pdf_variant,
                                      options.braille_grade)
        if reads is not None:
            reads[pack.id] = {**reads.get(pack.id, {}), **log.files}
    problems = []
    jobs: list[Job] = []
    for pack in packs:
        ids = [level.id for level in pack.levels]
        for wanted in options.levels:
            if wanted not in ids:
                problems.append(
                    Problem(
                        display_path(pack.root / PACK_FILE),
                        None,
                        "levels",
                        f"--level '{wanted}' is not a level of this pack{did_you_mean(wanted, ids)}; "
                        f"it has {', '.join(ids)}",
                    )
                )
        for level in pack.levels:
            if options.levels and level.id not in options.levels:
                continue
            shaped = [with_preset(level, name) for name in dict.fromkeys(options.profiles)] or [level]
            jobs.extend(
                Job(pack, look, edition, variant, options.variants, fmt, styles[pack.id], options)
                for look in shaped
                for variant in range(options.variants)
                for edition in dict.fromkeys(options.editions)
                for fmt in dict.fromkeys(options.formats)
                if makes(fmt, edition)  # braille: the student edition only
            )
    if problems:
        raise PackError(problems)
    return jobs


def default_workers() -> int:
    """One worker per CPU this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


@dataclass(frozen=True)
class Task:
    """What a worker needs for one job: the resolved document, the format and the file to write."""

    document: Document
    format: str
    target: Path
    # Tasks with one group run one after the other in one worker, in order: a student edition's PDF, then
    # the teacher edition's, which reuses its pages (the renderer keeps the last layouts). None: a group alone.
    group: object = None


@dataclass(frozen=True)
class Rendered:
    """A task's outcome, sent back from the worker as plain data (so it always crosses the process
    boundary): the file's facts and the files its rendering read, or the error that stopped it."""

    sha256: str = ""
    size: int = 0
    pages: int | None = None
    seconds: float = 0.0
    error: str | None = None
    reads: dict[str, str | None] = field(default_factory=dict)  # files.ReadLog: path -> SHA-256, None if absent


@dataclass(frozen=True)
class JobReport:
    """What a progress display hears about each job as it ends."""

    path: Path
    status: Literal["built", "skipped", "failed"]
    seconds: float = 0.0
    error: str | None = None


class Interrupted(KeyboardInterrupt):
    """SIGINT or SIGTERM stopped the build: the workers were killed, their part files removed, and
    the files finished before it are recorded in the manifest."""

    def __init__(self, signum: int, message: str = "") -> None:
        super().__init__(message or f"build stopped by {signal.Signals(signum).name}")
        self.signum = signum

    @property
    def exit_code(self) -> int:
        return 128 + self.signum  # 130 for SIGINT, 143 for SIGTERM, as a shell reports them


_renderers: dict[str, Renderer] = {}  # this process's renderers, by format
_group: object = None  # the group of the task this process ran last
_in_worker = False  # this process is a worker (_serve), not the build's own


def _reset_renderers() -> None:
    """Start a build (or a worker) with no renderers: each is made on first use and then kept."""
    _renderers.clear()


def _run(task: Task) -> Rendered:
    """Render one document into its part file (write.part_path), recording every file it reads.

    Runs in a worker process, or in-process for --jobs 1 without a timeout. Whatever it raises
    comes back as a one-line error: a TeachpackError in its own words, anything else as a bug.
    """
    started = time.perf_counter()
    name = task.target.name
    global _group
    if task.group is None or task.group != _group:  # what the last group kept is no use to this one
        for renderer in _renderers.values():
            renderer.forget()
    _group = task.group
    try:
        if task.format not in _renderers:
            _renderers[task.format] = get_renderer(task.format)  # WeasyPrint is imported here, on the first PDF
        renderer = _renderers[task.format]
        with files.recording() as log:
            data = renderer.render(task.document)
        write_part(task.target, data)
        pages = renderer.pages(data)
        if _in_worker and task.format == "docx":
            # python-docx's objects refer to each other, and left to Python's collector a worker's memory
            # grew with every pack (166 MB after 12 district packs' DOCX files; collected, 97 MB). Cheap
            # once the worker's long-lived objects are frozen out of the collector's way (_serve).
            gc.collect()
    except TeachpackError as exc:
        return Rendered(seconds=time.perf_counter() - started, error=f"{name}: {exc}")
    except Exception as exc:  # a bug: reported as data, so it cannot cancel the other jobs
        return Rendered(seconds=time.perf_counter() - started, error=_internal(name, exc))
    return Rendered(
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        pages=pages,
        seconds=time.perf_counter() - started,
        reads=dict(log.files),
    )


def _internal(name: str, exc: BaseException) -> str:
    message = " ".join(str(exc).split())
    return f"{name}: internal error: {type(exc).__name__}: {message} (please report this)"


def run_tasks(
    tasks: Sequence[Task],
    workers: int,
    on_done: Callable[[int, Rendered], None],
    timeout: float | None = None,
    started: Workers | None = None,
) -> None:
    """Run every task, calling `on_done(index, outcome)` as each ends; PDFs first, as they take longest.

    A failed task is an outcome, never an exception. With a `timeout` (seconds of wall-clock time
    per task) every task runs in a worker process, even with one worker: a process can be killed
    whatever it is stuck in (a Python alarm cannot stop C code in Pango, and would leave the
    renderer's caches half-updated). With one worker and no timeout everything runs in this process.

    SIGINT and SIGTERM raise Interrupted here (a KeyboardInterrupt); the workers are killed at once
    and the part files of unfinished tasks removed. `on_done` runs with both signals held, so a
    file moved into place is always recorded too. `started`: worker processes started earlier
    (Workers), which the tasks run in; they are stopped here.
    """
    order = sorted(range(len(tasks)), key=lambda i: tasks[i].format != "pdf")
    groups: dict[object, list[int]] = {}
    for i in order:  # a group keeps its tasks' order, and goes where its first task would
        groups.setdefault(("alone", i) if tasks[i].group is None else ("group", tasks[i].group), []).append(i)
    finished: set[int] = set()

    def done(index: int, outcome: Rendered) -> None:
        with held_signals():
            on_done(index, outcome)
            finished.add(index)

    if started is not None and not started.pool:  # none kept: the tasks run here
        started = None
    if started is None:
        _reset_renderers()
    with _signals_raise():
        try:
            if started is None and in_process(workers, len(tasks), timeout):
                for group in groups.values():
                    for i in group:
                        done(i, _run(tasks[i]))
            else:
                pool = started or Workers(min(workers, len(groups)))
                _run_pool(tasks, list(groups.values()), pool, timeout, done)
        except BaseException:
            for i, task in enumerate(tasks):
                if i not in finished:
                    part_path(task.target).unlink(missing_ok=True)
            raise


@dataclass
class _Worker:
    """One worker process and the parent's end of its pipe; `index` is the task it is running."""

    process: multiprocessing.process.BaseProcess
    conn: Connection
    index: int | None = None
    deadline: float = math.inf
    queue: deque[int] = field(default_factory=deque)  # the rest of the group it is running
    warming: bool = False  # it sends ("ready", error or None) first, once its renderers are loaded


def in_process(workers: int, tasks: int, timeout: float | None) -> bool:
    """Whether run_tasks renders in this process: one worker (or one task) and no time limit."""
    return timeout is None and (workers <= 1 or tasks <= 1)


class Workers:
    """Worker processes started when a build begins, while this process is still small (a worker forked
    later would count every pack loaded and document resolved here in its own memory too). `warm` asks
    them to load their renderers (WeasyPrint and its fonts) while this process plans and resolves;
    `ready` waits for them and gives the first one's error loading a renderer (the same words as in this
    process), if any; `keep` stops those the build has no work for."""

    def __init__(self, size: int) -> None:
        self.context = multiprocessing.get_context(_START_METHOD)
        self.formats: tuple[str, ...] = ()
        self.pool = [self.start() for _ in range(size)]

    def start(self) -> _Worker:
        worker = _start_worker(self.context)
        if self.formats:  # one started in place of a killed one: it loads them too, and says so first
            worker.conn.send(("warm", self.formats))
            worker.warming = True
        return worker

    def keep(self, size: int) -> None:
        for worker in self.pool[size:]:
            _stop(worker, kill=False)
        del self.pool[size:]

    def warm(self, formats: tuple[str, ...]) -> None:
        self.formats = formats
        for worker in self.pool:
            worker.conn.send(("warm", formats))
            worker.warming = True

    def ready(self) -> str | None:
        errors = [_warmed(worker) for worker in self.pool]
        return next((error for error in errors if error), None)

    def stop(self, kill: bool) -> None:
        for worker in self.pool:
            _stop(worker, kill=kill)


def _warmed(worker: _Worker) -> str | None:
    """Read a worker's first message, sent when it has loaded its renderers: None, or what failed."""
    if not worker.warming:
        return None
    worker.warming = False
    try:
        message = worker.conn.recv()
    except (EOFError, OSError):
        return None  # it died: its task reports that
    return message[1] if isinstance(message, tuple) and message[:1] == ("ready",) else None


def _run_pool(tasks: Sequence[Task], groups: Sequence[Sequence[int]], workers: Workers, timeout: float | None,
              done: Callable[[int, Rendered], None]) -> None:
    """Deal the groups of tasks out to `size` worker processes, one task at a time each, a group's tasks
    to one worker in order; kill and replace a worker whose task runs over `timeout` or whose process
    dies, reporting that task as failed (the rest of its group goes to the next free worker)."""
    pending = deque(deque(group) for group in groups)
    pool = workers.pool

    def retire(worker: _Worker) -> None:
        """Kill a worker and put a fresh one in its place, if there is work left for it."""
        _stop(worker, kill=True)
        pool.remove(worker)
        if worker.queue:
            pending.appendleft(worker.queue)
        if pending:
            pool.append(workers.start())

    def lost(worker: _Worker, outcome: Rendered) -> Rendered:
        """A worker's task failed with it (dead or over time): retire it, drop its part file."""
        assert worker.index is not None
        retire(worker)
        part_path(tasks[worker.index].target).unlink(missing_ok=True)
        return outcome

    try:
        while True:
            for worker in pool:
                while worker.index is None and (worker.queue or pending):
                    if not worker.queue:
                        worker.queue = pending.popleft()
                    index = worker.queue.popleft()
                    try:
                        worker.conn.send((index, tasks[index]))
                    except Exception as exc:  # the document cannot be sent (pickled): a bug, this task only
                        done(index, Rendered(error=_internal(tasks[index].target.name, exc)))
                        continue
                    worker.index, worker.deadline = index, time.monotonic() + (timeout or math.inf)
            busy = [worker for worker in pool if worker.index is not None]
            if not busy:
                return
            soonest = min(worker.deadline for worker in busy)
            ready = wait([worker.conn for worker in busy], None if soonest == math.inf
                         else max(0.0, soonest - time.monotonic()))
            now = time.monotonic()
            for worker in busy:
                running = worker.index
                assert running is not None
                task = tasks[running]
                if worker.conn in ready:
                    try:
                        if worker.warming:  # a worker started in place of a killed one: its first word
                            _warmed(worker)
                            if not worker.conn.poll():
                                continue
                        _, outcome = worker.conn.recv()
                    except (EOFError, OSError):  # the process died: a crash in C code, or the OOM killer
                        worker.process.join(5)
                        outcome = lost(worker, Rendered(error=(
                            f"{task.target.name}: internal error: the worker process ended "
                            f"({_how(worker.process.exitcode)}) (please report this)")))
                    worker.index, worker.deadline = None, math.inf
                    done(running, outcome)
                elif worker.deadline <= now:
                    done(running, lost(worker, Rendered(seconds=timeout or 0.0, error=(
                        f"{task.target.name}: took longer than {timeout:g} s (--job-timeout); make the "
                        "document smaller (a shorter article or title), or give a longer --job-timeout"))))
    except BaseException:
        for worker in pool:
            _stop(worker, kill=True)
        raise
    finally:
        for worker in pool:
            _stop(worker, kill=False)


def _how(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        return f"killed by {signal.Signals(-exitcode).name}"
    return f"exit code {exitcode}"


def _start_worker(context: multiprocessing.context.BaseContext) -> _Worker:
    ours, theirs = context.Pipe()
    # typeshed's BaseContext (what get_context gives for a method named at run time) lacks Process;
    # every concrete context (fork, spawn, forkserver) has it.
    process = context.Process(target=_serve, args=(theirs,), name="teachpack-worker", daemon=True)  # type: ignore[attr-defined]
    process.start()
    theirs.close()
    return _Worker(process, ours)


def _stop(worker: _Worker, kill: bool) -> None:
    """End a worker: killed at once (SIGKILL), or asked to finish when it is idle."""
    if worker.process.exitcode is None:
        if kill:
            worker.process.kill()
        else:
            try:
                worker.conn.send(None)
            except OSError:
                worker.process.kill()
        worker.process.join(5)
        if worker.process.exitcode is None:
            worker.process.kill()
            worker.process.join()
    worker.conn.close()


def _serve(conn: Connection) -> None:
    """A worker's life: run tasks from the pipe until told to stop (None) or the parent goes away; asked
    to ("warm", formats), load those renderers and answer ("ready", None or what failed)."""
    # Ctrl-C, and CI's SIGTERM, may reach the whole process group: the parent decides, and kills us
    # (SIGKILL) itself; we die with it if it is killed outright (_die_with_parent).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    _die_with_parent()
    _reset_renderers()
    global _in_worker
    _in_worker = True
    gc.freeze()  # what the worker was forked with stays: the collector need not walk it again and again
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        if message[0] == "warm":
            conn.send(("ready", _warm(message[1])))
            gc.freeze()  # and WeasyPrint, its fonts
            continue
        index, task = message
        conn.send((index, _run(task)))


def _warm(formats: tuple[str, ...]) -> str | None:
    """Make this worker's renderers for `formats` before any task (WeasyPrint imported, its fonts set up)."""
    fmt = ""
    try:
        for fmt in formats:
            _renderers[fmt] = get_renderer(fmt)
    except TeachpackError as exc:
        return str(exc)
    except Exception as exc:  # a bug: the tasks report it again, each as its own
        return _internal(fmt, exc)
    return None


def _die_with_parent() -> None:
    """On Linux, have the kernel kill this worker if the build is killed (kill -9 leaves no orphan
    rendering on, holding the output folder's lock)."""
    if sys.platform != "linux":
        return
    import ctypes

    with contextlib.suppress(OSError, AttributeError):  # no prctl: the build still kills its workers itself
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() == 1:  # the parent died before the call: do not render for no one
        os._exit(1)


_STOPPING = (signal.SIGINT, signal.SIGTERM)


@contextlib.contextmanager
def _signals_raise() -> Iterator[None]:
    """While tasks run, SIGINT and SIGTERM raise Interrupted (unless someone else handles them)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: object) -> None:
        raise Interrupted(signum)

    saved = {}
    for signum in _STOPPING:
        current = signal.getsignal(signum)
        if current in (signal.SIG_DFL, signal.default_int_handler):
            saved[signum] = current
            signal.signal(signum, stop)
    try:
        yield
    finally:
        for signum, handler in saved.items():
            signal.signal(signum, handler)


@contextlib.contextmanager
def held_signals() -> Iterator[None]:
    """Hold SIGINT and SIGTERM for the block (they are delivered after it): for a step that must
    not stop halfway, such as moving a file into place and recording it."""
    old = signal.pthread_sigmask(signal.SIG_BLOCK, _STOPPING)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)
