"""How `teachpack build` shows a build: a progress bar on a terminal, one line per job in logs and CI,
a summary at the end (built, skipped, failed, time), or nothing but errors with --quiet."""

from __future__ import annotations

import os
import sys
import time
from collections import Counter
from typing import TYPE_CHECKING

import typer

from builder.release.jobs import JobReport

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID


def interactive() -> bool:
    """A person is watching: stderr is a terminal and no CI system says otherwise."""
    return sys.stderr.isatty() and not os.environ.get("CI")


class BuildProgress:
    """Receives `build_pack`'s on_start and on_job calls and prints as it goes."""

    def __init__(self, quiet: bool = False, bar: bool | None = None) -> None:
        self.quiet = quiet
        self.use_bar = interactive() if bar is None else bar
        self.counts: Counter[str] = Counter()
        self.started = time.perf_counter()
        self._bar: Progress | None = None
        self._task: TaskID | None = None

    def start(self, total: int) -> None:
        if self.quiet or not self.use_bar or not total:
            return
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        # No refresh thread (auto_refresh off): worker processes are forked after this, and a fork
        # must not copy a thread holding the terminal's lock. The bar redraws as each job ends.
        self._bar = Progress(
            TextColumn("building"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.description}"),
            console=Console(stderr=True),
            auto_refresh=False,
            transient=True,
        )
        self._bar.start()
        self._task = self._bar.add_task("", total=total)

    def job(self, report: JobReport) -> None:
        self.counts[report.status] += 1
        if self.quiet:
            return
        if self._bar is not None and self._task is not None:
            if report.status != "skipped":
                self._bar.update(self._task, advance=1, description=report.path.name)
                self._bar.refresh()
        elif not (self.use_bar and report.status == "skipped"):  # on a terminal the summary counts those
            typer.echo(_line(report))

    def finish(self) -> None:
        """Take the bar down and print the summary; call it even when the build raised."""
        if self._bar is not None:
            self._bar.stop()
            self._bar = None
        if self.quiet or not self.counts:
            return
        seconds = time.perf_counter() - self.started
        typer.echo(
            f"{self.counts['built']} built, {self.counts['skipped']} skipped (up to date), "
            f"{self.counts['failed']} failed in {seconds:.1f} s"
        )


def _line(report: JobReport) -> str:
    if report.status == "built":
        return f"built   {report.path} ({report.seconds:.2f} s)"
    if report.status == "skipped":
        return f"skipped {report.path} (up to date)"
    return f"FAILED  {report.error}"
