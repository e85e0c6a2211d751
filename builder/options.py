"""Build options, declared once: what the CLI's `build` takes, what `build_pack` takes, what the job
planner reads and what the fingerprint hashes.

Every field shapes the files a build writes unless its metadata says otherwise: `SELECTS` for the
options that only choose which jobs run (each job's own level, edition, format and profile are
hashed from the job), `RUNS` for those that change how a build runs but never a file's bytes. A
field added without a marker is hashed, so forgetting the marker costs a rebuild, never a stale file.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from builder.core.errors import WARNING_CODES, Problem, TeachpackError, did_you_mean
from builder.core.levels import presets
from builder.render import BRAILLE_GRADES, DEFAULT_FORMATS, FORMATS, ONLY_EDITIONS, PDF_VARIANTS, makes
from builder.resolve.document import EDITIONS

if TYPE_CHECKING:
    from builder.release.jobs import Job

MAX_VARIANTS = 26
SELECTS = {"shapes": False}  # chooses jobs; what a job is (level, edition, format, profile) is hashed from the job
RUNS = {"shapes": False}  # how the build runs: never part of a file


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


@dataclass(frozen=True)
class BuildOptions:
    """Every option of a build, checked when made: a bad value is a TeachpackError naming the option
    and its choices (all bad values at once). Sequences become tuples, `shard` may be "K/N"."""

    levels: tuple[str, ...] = field(default=(), metadata=SELECTS)
    formats: tuple[str, ...] = field(default=DEFAULT_FORMATS, metadata=SELECTS)
    editions: tuple[str, ...] = field(default=EDITIONS, metadata=SELECTS)
    profiles: tuple[str, ...] = field(default=(), metadata=SELECTS)
    shard: Shard | None = field(default=None, metadata=SELECTS)
    variants: int = 1
    template_dirs: tuple[Path, ...] = ()
    reference_docx: Path | None = None
    workspace: Path | None = None
    pdf_variant: str = field(default=PDF_VARIANTS[0], metadata={"formats": ("pdf",)})  # a DOCX has no PDF variant
    braille_grade: int = field(default=BRAILLE_GRADES[0], metadata={"formats": ("brf",)})
    force: bool = field(default=False, metadata=RUNS)
    strict: bool = field(default=False, metadata=RUNS)
    allow: frozenset[str] = field(default=frozenset(), metadata=RUNS)  # warning codes --strict lets through
    jobs: int = field(default=1, metadata=RUNS)
    job_timeout: float | None = field(default=None, metadata=RUNS)

    def __post_init__(self) -> None:
        tuples = ("levels", "formats", "editions", "profiles")
        for name in tuples:
            object.__setattr__(self, name, tuple(getattr(self, name)))
        object.__setattr__(self, "template_dirs", tuple(Path(d) for d in self.template_dirs))
        object.__setattr__(self, "allow", frozenset(self.allow))
        for name in ("reference_docx", "workspace"):
            if getattr(self, name) is not None:
                object.__setattr__(self, name, Path(getattr(self, name)))
        if isinstance(self.shard, str):
            object.__setattr__(self, "shard", Shard.parse(self.shard))
        if self.job_timeout == 0:
            object.__setattr__(self, "job_timeout", None)
        errors = self._errors()
        if errors:
            raise TeachpackError("\n".join(errors))

    def refused(self, warnings: Iterable[Problem]) -> list[Problem]:
        """The warnings `--strict` refuses: all but the codes `--allow` waives; none without `strict`."""
        return [w for w in warnings if w.code not in self.allow] if self.strict else []

    def _errors(self) -> list[str]:
        errors = []
        unknown = [f for f in self.formats if f not in FORMATS]
        if unknown:
            errors.append(f"--format '{unknown[0]}' is not supported; choose from {', '.join(FORMATS)}")
        for fmt in dict.fromkeys(f for f in self.formats if f in ONLY_EDITIONS):
            if not any(makes(fmt, edition) for edition in self.editions):
                made = " and ".join(ONLY_EDITIONS[fmt])
                errors.append(f"--format {fmt} is made of the {made} edition only; add --edition {made}")
        if self.braille_grade not in BRAILLE_GRADES:
            errors.append(f"--braille-grade {self.braille_grade} is not a braille grade; choose 2 (contracted, "
                          "the default) or 1 (uncontracted)")
        if self.pdf_variant not in PDF_VARIANTS:
            errors.append(f"--pdf-variant '{self.pdf_variant}' is not supported; choose from {', '.join(PDF_VARIANTS)}")
        bad = [e for e in self.editions if e not in EDITIONS]
        if bad:
            errors.append(f"--edition '{bad[0]}' is not an edition; choose from {', '.join(EDITIONS)}")
        known = presets()
        errors += [f"--profile '{name}' is not a profile{did_you_mean(name, known)}; choose from {', '.join(known)}"
                   for name in self.profiles if name not in known]
        if not 1 <= self.variants <= MAX_VARIANTS:
            errors.append(f"--variants {self.variants} is out of range; give a number from 1 to {MAX_VARIANTS}")
        if self.reference_docx is not None and not self.reference_docx.is_file():
            errors.append(f"--reference-docx {self.reference_docx}: not found; give a .docx file")
        errors += [f"--allow '{code}' is not a warning code{did_you_mean(code, WARNING_CODES)}; see the list in "
                   "docs/bad-inputs.md" for code in sorted(self.allow) if code not in WARNING_CODES]
        if self.jobs < 1:
            errors.append(f"--jobs {self.jobs} is out of range; give 1 or more worker processes")
        if self.job_timeout is not None and self.job_timeout < 0:
            errors.append(f"--job-timeout {self.job_timeout:g} is out of range; give seconds, or 0 for no limit")
        return errors


def given(options: BuildOptions | None, fields: dict[str, Any]) -> BuildOptions:
    """The options of a library call: `options`, one made of keyword arguments (the API's older form),
    or `options` with the keyword arguments changed in it."""
    if options is None:
        return BuildOptions(**fields)
    return replace(options, **fields) if fields else options


def shaping(options: BuildOptions, fmt: str) -> dict[str, Any]:
    """The options that shape a file of format `fmt`, by name: every field not marked SELECTS or RUNS
    (and not limited to other formats)."""
    return {f.name: getattr(options, f.name) for f in fields(options)
            if f.metadata.get("shapes", True) and fmt in f.metadata.get("formats", (fmt,))}
