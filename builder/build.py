"""The library API: load -> resolve -> render -> write, for one or more packs."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .checks import LevelReading, content_warnings, pack_warnings, reading_levels, reading_warnings
from .errors import BuildError, PackError, Problem, TeachpackError
from .levels import presets, with_preset
from .model import Document
from .pack import PACK_FILE, Pack, display_path, load_pack
from .render import FORMATS, get_renderer
from .resolve import EDITIONS, resolve
from .write import atomic_write

MAX_VARIANTS = 26


@dataclass
class BuildResult:
    written: list[Path] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def load_packs(pack_dirs: Sequence[Path]) -> list[Pack]:
    """Load every pack, collecting the problems of all of them before giving up."""
    packs, problems = [], []
    for folder in pack_dirs:
        try:
            packs.append(load_pack(Path(folder)))
        except PackError as exc:
            problems.extend(exc.problems)
    if problems:
        raise PackError(problems)
    return packs


def plan(
    packs: Sequence[Pack],
    levels: Sequence[str] = (),
    editions: Sequence[str] = EDITIONS,
    variants: int = 1,
    profiles: Sequence[str] = (),
) -> list[Document]:
    """Resolve every (pack, level, edition, variant) to be built. Input errors surface here, before any writing."""
    bad = [e for e in editions if e not in EDITIONS]
    if bad:
        raise TeachpackError(f"--edition '{bad[0]}' is not an edition; choose from {', '.join(EDITIONS)}")
    known = presets()
    for name in profiles:
        if name not in known:
            close = difflib.get_close_matches(name, list(known), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise TeachpackError(f"--profile '{name}' is not a profile{hint}; choose from {', '.join(known)}")
    if not 1 <= variants <= MAX_VARIANTS:
        raise TeachpackError(f"--variants {variants} is out of range; give a number from 1 to {MAX_VARIANTS}")
    problems = []
    documents = []
    for pack in packs:
        ids = [level.id for level in pack.levels]
        for wanted in levels:
            if wanted not in ids:
                close = difflib.get_close_matches(wanted, ids, n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                problems.append(
                    Problem(
                        display_path(pack.root / PACK_FILE),
                        None,
                        "levels",
                        f"--level '{wanted}' is not a level of this pack{hint}; it has {', '.join(ids)}",
                    )
                )
        for level in pack.levels:
            if levels and level.id not in levels:
                continue
            shaped = [with_preset(level, name) for name in dict.fromkeys(profiles)] or [level]
            documents.extend(
                resolve(pack, look, edition, variant, variants)
                for look in shaped
                for variant in range(variants)
                for edition in dict.fromkeys(editions)
            )
    if problems:
        raise PackError(problems)
    return documents


def build_pack(
    pack_dirs: Sequence[Path] | Path,
    out: Path = Path("dist"),
    levels: Sequence[str] = (),
    formats: Sequence[str] = FORMATS,
    editions: Sequence[str] = EDITIONS,
    variants: int = 1,
    profiles: Sequence[str] = (),
    strict: bool = False,
    on_written: Callable[[Path], None] | None = None,
    on_warning: Callable[[str], None] | None = None,
) -> BuildResult:
    """Build PDF and/or DOCX files for the packs into `out/<pack-id>/`.

    Raises PackError or TeachpackError (nothing written) for bad input, and for warnings when
    `strict`; BuildError if any document failed.
    """
    if isinstance(pack_dirs, (str, Path)):
        pack_dirs = [Path(pack_dirs)]
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise TeachpackError(f"--format '{unknown[0]}' is not supported; choose from {', '.join(FORMATS)}")
    packs = load_packs(pack_dirs)
    documents = plan(packs, levels, editions, variants, profiles)
    warnings = [str(w) for pack in packs for w in pack_warnings(pack)]
    warnings += dict.fromkeys(w for d in documents for w in d.warnings)
    if strict and warnings:
        raise TeachpackError(
            "\n".join([*warnings, f"{len(warnings)} warning(s) and --strict is set; nothing was written"])
        )
    for warning in warnings:
        if on_warning:
            on_warning(warning)
    result = BuildResult(warnings=warnings)
    for fmt in dict.fromkeys(formats):
        renderer = get_renderer(fmt)  # one per format for the whole build: fonts load once
        for document in documents:
            path = Path(out) / document.pack_id / f"{document.stem}{renderer.suffix}"
            try:
                atomic_write(path, renderer.render(document))
            except TeachpackError as exc:
                result.failed.append(f"{path.name}: {exc}")
                continue
            result.written.append(path)
            if on_written:
                on_written(path)
    if result.failed:
        raise BuildError("\n".join(result.failed))
    return result


@dataclass
class CheckResult:
    documents: list[Document]
    warnings: list[Problem]
    readings: list[LevelReading]

    def as_dict(self) -> dict[str, object]:
        """The report `teachpack check --json` prints, for CI and editors."""
        return {
            "levels": [
                {
                    "level": row.level.id,
                    "grades": [int(g) for g in row.level.grades.split("-")],
                    "band": list(row.level.reading_band),
                    "words": row.reading.words,
                    "sentences": row.reading.sentences,
                    "flesch_kincaid": row.reading.flesch_kincaid,
                    "coleman_liau": row.reading.coleman_liau,
                    "verdict": row.verdict,
                }
                for row in self.readings
            ],
            "spelling": [],
            "vocabulary": [],
            "problems": [
                {"file": w.file, "line": w.line, "key": w.path, "message": w.message} for w in self.warnings
            ],
        }


def check_pack(pack_dir: Path) -> CheckResult:
    """Validate a pack and resolve every level without rendering; raises PackError on problems."""
    pack = load_pack(Path(pack_dir))
    documents = plan([pack])
    readings = reading_levels(pack)
    activity_warnings = [
        Problem(display_path(pack.root / PACK_FILE), None, "", w)
        for w in dict.fromkeys(w for d in documents for w in d.warnings)
    ]
    warnings = content_warnings(pack) + reading_warnings(pack, readings) + activity_warnings
    return CheckResult(documents, warnings, readings)
