"""The library API: load -> plan jobs -> resolve -> render -> write, for one or more packs.

A build plans one job per output file (jobs.py), skips those whose inputs and file match the
manifest (fingerprint.py, manifest.py), resolves the rest before writing anything, renders them in
worker processes and records every file in `out/manifest.json`. Only one build writes into a
folder at a time (write.OutLock); every file it reads is recorded (files.recording) for the
input hash.
"""

from __future__ import annotations

import contextvars
import dataclasses
import functools
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from builder.core import files
from builder.core.errors import BuildError, PackError, Problem, TeachpackError
from builder.load.loader import PACK_FILE, Pack, load_pack
from builder.model import Document
from builder.options import BuildOptions, given
from builder.release.jobs import (
    DocumentKey,
    Interrupted,
    Job,
    JobReport,
    Rendered,
    Task,
    Workers,
    held_signals,
    in_process,
    plan_jobs,
    run_tasks,
)
from builder.release.manifest import MANIFEST, Checksums, Entry, intact, read_manifest, write_manifest
from builder.release.write import OutLock, commit_part, remove_parts

Reads = dict[str, str | None]  # files.ReadLog.files: path -> SHA-256 of what was read, None if absent


@dataclass
class BuildResult:
    written: list[Path] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)  # each with its code (errors.WARNING_CODES)
    skipped: list[Path] = field(default_factory=list)  # up to date: inputs and file match the manifest


def find_packs(folder: Path) -> list[Path]:
    """The pack folders (each holding a pack.yaml) directly inside `folder`, by name: `--all`."""
    folder = Path(folder)
    if not folder.is_dir():
        raise TeachpackError(f"--all {folder}: not a folder; give the folder that holds your pack folders")
    found = sorted(child for child in folder.iterdir() if (child / PACK_FILE).is_file())
    if not found:
        raise TeachpackError(f"--all {folder}: no pack folders in it (none holds a {PACK_FILE})")
    return found


def load_packs(pack_dirs: Sequence[Path], workspace: Path | None = None,
               reads: dict[str, Reads] | None = None) -> list[Pack]:
    """Load every pack (each folder once), collecting the problems of all of them before giving up.
    `reads`, if given, receives the files each pack's loading read, by pack id."""
    unique = {Path(folder).resolve(): Path(folder) for folder in reversed(pack_dirs)}
    packs, problems = [], []
    for folder in reversed(unique.values()):
        try:
            with files.recording() as log:
                pack = load_pack(folder, workspace)
        except PackError as exc:
            problems.extend(exc.problems)
            continue
        packs.append(pack)
        if reads is not None:
            reads[pack.id] = dict(log.files)
    if problems:
        raise PackError(problems)
    return packs


@dataclass
class BuildPlan:
    """This build's jobs (one shard's, if sharded), their input hashes, and which are up to date."""

    out: Path
    jobs: list[Job]
    inputs: dict[str, str]  # job path -> the input hash's part that is not the files read (fingerprint.py)
    manifest: dict[str, Entry]  # what out/manifest.json holds now
    intact: set[str]  # paths whose file matches its manifest entry
    unchanged: set[str]  # paths whose inputs match their manifest entry (its warnings are still theirs)
    fresh: set[str]  # both: nothing to do (none with --force)
    checksums: Checksums  # the output files' checksums, so the next build need not read them again
    reads: dict[str, Reads] = field(default_factory=dict)  # pack id -> the files loading it read

    @property
    def todo(self) -> list[Job]:
        return [job for job in self.jobs if job.path not in self.fresh]


def plan_build(
    pack_dirs: Sequence[Path] | Path,
    out: Path = Path("dist"),
    options: BuildOptions | None = None,
    **fields: Any,
) -> BuildPlan:
    """Load the packs and plan their jobs without rendering: what `--list-jobs` prints, what a build runs."""
    from builder.release.fingerprint import Rehash, bases, input_hash, static_digests

    if isinstance(pack_dirs, (str, Path)):
        pack_dirs = [Path(pack_dirs)]
    options = given(options, fields)
    reads: dict[str, Reads] = {}
    jobs = plan_jobs(load_packs(pack_dirs, options.workspace, reads), options, reads)
    if options.shard is not None:
        jobs = options.shard.select(jobs)
    out = Path(out)
    manifest = read_manifest(out)
    inputs = static_digests(jobs)
    known = Checksums(out)
    whole = {job.path for job in jobs if job.path in manifest and intact(out, manifest[job.path], known)}
    known.save()
    current = Rehash()  # each file the last builds read, hashed again once: up to date if none changed
    unchanged = {
        job.path for job in jobs if (entry := manifest.get(job.path))
        and entry.inputs == input_hash(inputs[job.path], current.reads(entry.reads, bases(job)))
    }
    fresh = set() if options.force else whole & unchanged
    return BuildPlan(out, jobs, inputs, manifest, whole, unchanged, fresh, known, reads)


def build_pack(
    pack_dirs: Sequence[Path] | Path,
    out: Path = Path("dist"),
    options: BuildOptions | None = None,
    *,
    on_written: Callable[[Path], None] | None = None,
    on_warning: Callable[[Problem], None] | None = None,
    on_start: Callable[[int], None] | None = None,
    on_job: Callable[[JobReport], None] | None = None,
    **fields: Any,
) -> BuildResult:
    """Build PDF and/or DOCX files for the packs into `out/<pack-id>/` and record them in `out/manifest.json`.

    `options` is a BuildOptions; its fields may be given as keyword arguments instead (or to change
    some of `options`). `template_dirs` (searched before the workspace's templates/ and the
    built-ins), `reference_docx` and `workspace` (teachpack.yaml and templates/; default: the folder
    holding each pack) set the look;
    `pdf_variant` is WeasyPrint's (tagged PDF/UA-1 by default, "none" for an untagged PDF).
    `jobs` worker processes render in parallel (1: in this process); `shard` builds one part of the
    jobs; files already up to date are skipped unless `force`. `on_start` hears how many jobs will
    run, `on_job` about each job as it ends (skipped ones first). A job running longer than
    `job_timeout` seconds is killed and fails (None: no limit, and --jobs 1 renders in this process).

    Every warning (a coded Problem) goes to `on_warning`; with `strict`, those whose code is not in
    `allow` fail the build. Raises PackError or TeachpackError (nothing written) for bad input, for
    warnings when `strict` and when another build is writing into `out`; BuildError, after every
    other job has run, if any failed; Interrupted (a KeyboardInterrupt) on SIGINT or SIGTERM, once the workers are
    stopped and the finished files recorded.
    """
    options = given(options, fields)
    # The worker processes start first, while this process is small (they would share, and count, all it
    # loads); with PDFs to make they load WeasyPrint while this process plans, resolves and checks.
    workers = None if in_process(options.jobs, 2, options.job_timeout) else Workers(options.jobs)
    try:
        planned = plan_build(pack_dirs, out, options)
        if workers is not None:
            _employ(workers, planned.todo, options)
        return _build(planned, options, workers, on_written, on_warning, on_start, on_job)
    finally:
        if workers is not None:
            workers.stop(kill=True)  # run_tasks stops them; here only when the build stopped before it


def _employ(workers: Workers, todo: Sequence[Job], options: BuildOptions) -> None:
    """Keep as many workers as the jobs can use (a group of jobs runs in one), and have them load
    WeasyPrint when there are PDFs to make."""
    groups = {job.layout_group if job.layout_group is not None else job.path for job in todo}
    workers.keep(0 if in_process(options.jobs, len(todo), options.job_timeout) else min(options.jobs, len(groups)))
    if "pdf" in {job.format for job in todo}:
        workers.warm(("pdf",))


def _build(
    planned: BuildPlan,
    options: BuildOptions,
    workers: Workers | None,
    on_written: Callable[[Path], None] | None,
    on_warning: Callable[[Problem], None] | None,
    on_start: Callable[[int], None] | None,
    on_job: Callable[[JobReport], None] | None,
) -> BuildResult:
    out, todo = planned.out, planned.todo
    documents, resolve_reads = _resolve(todo)
    if todo:  # templates and reference files fail here, before anything is written
        from builder.render import preflight

        preflight(list(documents.values()), {job.format for job in todo},
                  workers.ready if workers and workers.formats else None)
    kept = [w for job in planned.jobs if job.path in planned.fresh for w in planned.manifest[job.path].warnings]
    # The warnings of the files to make. With --strict they are needed before anything is written; else they
    # are found while the workers render (a thread of this process, which mostly waits on the workers).
    checking = _Checking(todo, documents, planned)
    result = BuildResult()

    def announce() -> None:
        """Every warning once, to `on_warning`; with --strict, those not allowed stop the build here."""
        warnings = list(dict.fromkeys([*kept, *(w for found in (checking.result() or {}).values() for w in found)]))
        refused = options.refused(warnings)
        if refused:
            allowed = len(warnings) - len(refused)
            waived = f" ({allowed} more allowed by --allow)" if allowed else ""
            raise TeachpackError("\n".join(
                [*map(str, refused), f"{len(refused)} warning(s) and --strict is set{waived}; nothing was written"]
            ))
        result.warnings = warnings
        for warning in warnings:
            if on_warning:
                on_warning(warning)

    if options.strict or not todo:
        checking.run()
        announce()
    else:
        checking.start()
    if not todo:
        _report_skipped(planned, result, on_start, on_job)
        return result
    with OutLock(out):  # a second build into `out` is refused here, before it writes anything
        remove_parts(out)  # left by a build that was killed
        _report_skipped(planned, result, on_start, on_job)
        entries = read_manifest(out)  # under the lock: exactly what is on disk now
        before = dict(entries)
        written = planned.checksums  # each new file's checksum too, so the next build need not read it again
        from builder.release.fingerprint import bases, input_hash, merge_reads, portable

        def done(index: int, outcome: Rendered) -> None:
            job, path = todo[index], out / todo[index].path
            error = outcome.error
            if not error:
                try:
                    commit_part(path)  # moved into place and recorded together (signals are held)
                except BuildError as exc:
                    error = str(exc)
            if error:
                result.failed.append(error)
                if job.path not in planned.intact:  # the entry no longer describes the file there
                    entries.pop(job.path, None)
            else:
                reads = portable(merge_reads(planned.reads.get(job.pack.id, {}), resolve_reads[job.document_key],
                                             outcome.reads), bases(job))
                # Its warnings are added once they are all found (below), before the manifest is written.
                entries[job.path] = _entry(job, outcome, input_hash(planned.inputs[job.path], reads), [], reads)
                written.remember(job.path, path.stat(), outcome.sha256)
                result.written.append(path)
                if on_written:
                    on_written(path)
            if on_job:
                on_job(JobReport(path, "failed" if error else "built", outcome.seconds, error))

        tasks = [Task(documents[job.document_key], job.format, out / job.path, job.layout_group) for job in todo]
        try:
            run_tasks(tasks, options.jobs, done, options.job_timeout, workers)
        except Interrupted as exc:
            raise Interrupted(exc.signum, f"build stopped by {signal.Signals(exc.signum).name}: "
                                          f"{len(result.written)} of {len(todo)} file(s) written and recorded in "
                                          f"{out / MANIFEST}, no partial files left; build again to make the rest"
                              ) from None
        finally:  # even on Ctrl-C or SIGTERM: the files that were finished stay recorded, with their warnings
            stopped = sys.exc_info()[0] is not None
            found = checking.result(timeout=0.5 if stopped else None)  # a signal does not wait for them
            for job in todo:
                if job.path in entries and entries[job.path] is not before.get(job.path):
                    # Without its warnings (still being found when a signal came), it is made again next time.
                    entries[job.path] = dataclasses.replace(entries[job.path], warnings=tuple(found[job.path])) \
                        if found is not None else dataclasses.replace(entries[job.path], inputs="")
            if entries != before:
                with held_signals():
                    write_manifest(out, entries)
            written.save()
    if not options.strict:
        announce()
    order = {out / job.path: i for i, job in enumerate(planned.jobs)}
    result.written.sort(key=order.__getitem__)
    if result.failed:
        raise BuildError("\n".join(result.failed))
    return result


class _Checking:
    """The warnings of a build's jobs (`_warnings`), found here or in a thread of their own while the
    workers render; the thread runs in a copy of this context (files read are recorded as they would be)."""

    def __init__(self, jobs: Sequence[Job], documents: dict[DocumentKey, Document], planned: BuildPlan) -> None:
        self._work = functools.partial(_warnings, jobs, documents, planned)
        self._found: dict[str, list[Problem]] | None = None
        self._error: BaseException | None = None
        self._thread: threading.Thread | None = None

    def run(self) -> None:
        try:
            self._found = self._work()
        except BaseException as exc:  # raised again by result(), in the build's thread
            self._error = exc

    def start(self) -> None:
        context = contextvars.copy_context()
        self._thread = threading.Thread(target=context.run, args=(self.run,), name="teachpack-checks", daemon=True)
        self._thread.start()

    def result(self, timeout: float | None = None) -> dict[str, list[Problem]] | None:
        """The warnings of each job, by path; None if they are still being found after `timeout` seconds."""
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                return None
        if self._error is not None:
            raise self._error
        assert self._found is not None
        return self._found


def _report_skipped(planned: BuildPlan, result: BuildResult, on_start: Callable[[int], None] | None,
                    on_job: Callable[[JobReport], None] | None) -> None:
    if on_start:
        on_start(len(planned.todo))
    for job in planned.jobs:
        if job.path in planned.fresh:
            result.skipped.append(planned.out / job.path)
            if on_job:
                on_job(JobReport(planned.out / job.path, "skipped"))


def _resolve(jobs: Sequence[Job]) -> tuple[dict[DocumentKey, Document], dict[DocumentKey, Reads]]:
    """One resolved document per (pack, level, profile, edition, form): the PDF and DOCX jobs share it.
    With each, the files resolving it read."""
    documents, reads = {}, {}
    for job in jobs:
        if job.document_key not in documents:
            with files.recording() as log:
                documents[job.document_key] = job.resolve()
            reads[job.document_key] = dict(log.files)
    return documents, reads


def _warnings(jobs: Sequence[Job], documents: dict[DocumentKey, Document],
              planned: BuildPlan) -> dict[str, list[Problem]]:
    """Each job's warnings, from the lists `check` runs (checks.py): its pack's, its document's and its
    file's (for a PDF, what the sandbox would refuse; for a DOCX, what its reference .docx lost).
    A job whose inputs match its manifest entry (its file was removed or changed, or --force) has the
    warnings found last time: they are cached with the files, under the same input hash."""
    found = {job.path: list(planned.manifest[job.path].warnings) for job in jobs if job.path in planned.unchanged}
    jobs = [job for job in jobs if job.path not in found]
    if not jobs:
        return found
    from builder.check.checks import (  # spelling and readability: only when something is built
        document_warnings,
        pack_warnings,
    )

    packs: dict[str, list[Problem]] = {}
    made: dict[tuple[DocumentKey, str | None], list[Problem]] = {}
    for job in jobs:
        if job.pack.id not in packs:
            packs[job.pack.id] = pack_warnings(job.pack)
        document = documents[job.document_key]
        for fmt in (None, job.format):
            if (job.document_key, fmt) not in made:
                made[job.document_key, fmt] = document_warnings(document, fmt)
        found[job.path] = list(dict.fromkeys(packs[job.pack.id] + made[job.document_key, None]
                                             + made[job.document_key, job.format]))
    return found


def _entry(job: Job, outcome: Rendered, inputs: str, warnings: list[Problem], reads: Reads) -> Entry:
    from builder.release.fingerprint import options

    return Entry(
        path=job.path,
        pack=job.pack.id,
        level=job.level.id,
        edition=job.edition,
        format=job.format,
        variant=job.form,
        profile=job.level.preset,
        pages=outcome.pages,
        size=outcome.size,
        sha256=outcome.sha256,
        inputs=inputs,
        options=options(job),
        warnings=tuple(warnings),
        reads=reads,
    )
