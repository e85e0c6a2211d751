"""Jobs: one output file each, planned from the packs, split into shards, run in worker processes.

A job is (pack, level and access profile, edition, form, format). Planning needs no rendering, so
`--list-jobs` and an up-to-date rebuild never import WeasyPrint. Each worker process keeps one
renderer per format for its whole life, so fonts load once per process, not once per file.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from .errors import PackError, Problem, TeachpackError, did_you_mean
from .levels import Level, presets, with_preset
from .model import Document, Styling, form_letter, output_stem
from .pack import PACK_FILE, Pack, display_path
from .render import FORMATS, PDF_VARIANTS, Renderer, get_renderer
from .resolve import EDITIONS, resolve, styling
from .write import atomic_write

MAX_VARIANTS = 26
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

    @property
    def form(self) -> str | None:
        return form_letter(self.variant, self.variants)

    @property
    def path(self) -> str:
        """Where the file goes, relative to the output folder, with / separators (the manifest's key)."""
        stem = output_stem(self.pack.id, self.level, self.edition, self.form)
        return f"{self.pack.id}/{stem}.{self.format}"

    @property
    def document_key(self) -> DocumentKey:
        """Jobs with the same key render the same resolved document (the PDF and the DOCX of it)."""
        return (self.pack.id, self.level.id, self.level.preset, self.edition, self.variant)

    def resolve(self) -> Document:
        return resolve(self.pack, self.level, self.edition, self.variant, self.variants, self.look)


def plan_jobs(
    packs: Sequence[Pack],
    levels: Sequence[str] = (),
    editions: Sequence[str] = EDITIONS,
    variants: int = 1,
    profiles: Sequence[str] = (),
    formats: Sequence[str] = FORMATS,
    template_dirs: Sequence[Path] = (),
    reference_docx: Path | None = None,
    pdf_variant: str = PDF_VARIANTS[0],
) -> list[Job]:
    """Every job the options ask for, in a fixed order. Bad options and unknown levels fail here."""
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise TeachpackError(f"--format '{unknown[0]}' is not supported; choose from {', '.join(FORMATS)}")
    if pdf_variant not in PDF_VARIANTS:
        raise TeachpackError(f"--pdf-variant '{pdf_variant}' is not supported; choose from {', '.join(PDF_VARIANTS)}")
    bad = [e for e in editions if e not in EDITIONS]
    if bad:
        raise TeachpackError(f"--edition '{bad[0]}' is not an edition; choose from {', '.join(EDITIONS)}")
    known = presets()
    for name in profiles:
        if name not in known:
            raise TeachpackError(
                f"--profile '{name}' is not a profile{did_you_mean(name, known)}; choose from {', '.join(known)}"
            )
    if not 1 <= variants <= MAX_VARIANTS:
        raise TeachpackError(f"--variants {variants} is out of range; give a number from 1 to {MAX_VARIANTS}")
    owners: dict[str, Pack] = {}
    for pack in packs:
        other = owners.setdefault(pack.id, pack)
        if other is not pack:
            raise TeachpackError(
                f"{display_path(other.root)} and {display_path(pack.root)} are both pack '{pack.id}'; "
                "give one of them another id: in its pack.yaml"
            )
    if reference_docx is not None and not Path(reference_docx).is_file():
        raise TeachpackError(f"--reference-docx {reference_docx}: not found; give a .docx file")
    styles = {pack.id: styling(pack, tuple(Path(d) for d in template_dirs), reference_docx, pdf_variant)
              for pack in packs}
    problems = []
    jobs = []
    for pack in packs:
        ids = [level.id for level in pack.levels]
        for wanted in levels:
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
            if levels and level.id not in levels:
                continue
            shaped = [with_preset(level, name) for name in dict.fromkeys(profiles)] or [level]
            jobs.extend(
                Job(pack, look, edition, variant, variants, fmt, styles[pack.id])
                for look in shaped
                for variant in range(variants)
                for edition in dict.fromkeys(editions)
                for fmt in dict.fromkeys(formats)
            )
    if problems:
        raise PackError(problems)
    return jobs


@dataclass(frozen=True)
class Shard:
    """Shard `index` of `count` (from 1): `--shard 2/3`."""

    index: int
    count: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        try:
            index, count = (int(part) for part in text.split("/"))
        except ValueError:
            index = count = 0
        if not 1 <= index <= count:
            raise TeachpackError(f"--shard '{text}' is not a shard; give K/N with 1 <= K <= N, e.g. 2/3")
        return cls(index, count)

    def select(self, jobs: Sequence[Job]) -> list[Job]:
        """This shard's jobs, in plan order.

        Each format's jobs are ranked by a hash of their file name and dealt out in turn, so the
        shards differ by at most one job of each format (PDFs cost the most), every job lands in
        exactly one shard, and the order of the pack arguments changes nothing.
        """
        mine = set()
        dealt = 0
        for fmt in FORMATS:
            ranked = sorted((j.path for j in jobs if j.format == fmt), key=_stable_hash)
            for path in ranked:
                if dealt % self.count == self.index - 1:
                    mine.add(path)
                dealt += 1
        return [job for job in jobs if job.path in mine]


def _stable_hash(path: str) -> bytes:
    """The same in every process and on every machine (unlike hash(), which PYTHONHASHSEED salts)."""
    return hashlib.sha256(path.encode()).digest()


def default_workers() -> int:
    """One worker per CPU this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


@dataclass(frozen=True)
class Task:
    """What a worker needs for one job: the resolved document, the format and the file to write."""

    document: Document
    format: str
    target: Path


@dataclass(frozen=True)
class Rendered:
    """A task's outcome, sent back from the worker: the file's facts, or the error that stopped it."""

    sha256: str = ""
    size: int = 0
    pages: int | None = None
    seconds: float = 0.0
    error: str | None = None


@dataclass(frozen=True)
class JobReport:
    """What a progress display hears about each job as it ends."""

    path: Path
    status: Literal["built", "skipped", "failed"]
    seconds: float = 0.0
    error: str | None = None


_renderers: dict[str, Renderer] = {}  # this process's renderers, by format


def _reset_renderers() -> None:
    """Start a build (or a worker) with no renderers: each is made on first use and then kept."""
    _renderers.clear()


def _run(task: Task) -> Rendered:
    """Render one document and write it atomically. Runs in a worker process, or in-process for --jobs 1."""
    started = time.perf_counter()
    if task.format not in _renderers:
        _renderers[task.format] = get_renderer(task.format)  # WeasyPrint is imported here, on the first PDF
    renderer = _renderers[task.format]
    try:
        data = renderer.render(task.document)
        atomic_write(task.target, data)
    except TeachpackError as exc:
        return Rendered(seconds=time.perf_counter() - started, error=f"{task.target.name}: {exc}")
    return Rendered(
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        pages=renderer.pages(data),
        seconds=time.perf_counter() - started,
    )


def run_tasks(tasks: Sequence[Task], workers: int, on_done: Callable[[int, Rendered], None]) -> None:
    """Run every task, calling `on_done(index, outcome)` as each ends; PDFs first, as they take longest.

    With one worker (or one task) everything runs in this process. A failed task is an outcome, not
    an exception; anything else raised is a bug and stops the build once running tasks have ended.
    """
    order = sorted(range(len(tasks)), key=lambda i: tasks[i].format != "pdf")
    _reset_renderers()
    if workers <= 1 or len(tasks) <= 1:
        for i in order:
            on_done(i, _run(tasks[i]))
        return
    context = multiprocessing.get_context(_START_METHOD)
    with ProcessPoolExecutor(min(workers, len(tasks)), mp_context=context, initializer=_reset_renderers) as pool:
        futures = {pool.submit(_run, tasks[i]): i for i in order}
        try:
            for future in as_completed(futures):
                on_done(futures[future], future.result())
        except BaseException:  # Ctrl-C or a bug: start nothing new; running tasks finish or clean up
            pool.shutdown(wait=True, cancel_futures=True)
            raise
