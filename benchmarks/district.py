"""District benchmark (issue 18, point 3): a school district's worth of packs, built as CI would build them.

    .venv/bin/python benchmarks/district.py [--packs N]

Makes N packs (default 200) in a temporary folder, removed at the end. They are derived from five
sources: the example pack (packs/sino-soviet-split), the test suite's small pack (tests/roots/basic)
and the three test articles `teachpack import` turns into draft packs (tests/roots/import-md,
import-txt, import-html; imported once each, outside any timing, their drafts then accepted as a
teacher would: the `drafted:` marks deleted). Each pack gets its own id, title and subtitle, and a
draw, seeded from its index, of: the levels it builds (a subset of its source's, sometimes with a
custom level under `profiles:`), the sections a level prints, the paper, `contents:` (with or
without flashcards, timeline, glossary or cover, in several orders), a theme (school name, colours,
sometimes fonts), label overrides, teacher timing, `date:`, subsets of the glossary, timeline and
worksheet (and an activity's `count`, a question's `lines`), and article text (sections swapped,
a paragraph repeated or dropped, sentences added) so that layouts differ. No two packs have the
same content even with id, title, subtitle and date left out (the script checks). Before any timing
every pack is loaded and planned (`build --list-jobs`) and one pack per source goes through
`teachpack check`.

Figures, each against issue 18's target:

1. full build: `teachpack build --all DISTRICT --out OUT --jobs 2 --quiet` from an empty OUT: seconds,
   the documents it wrote (OUT/manifest.json, "outputs") and documents per minute. Target: under
   6 minutes for 200 packs (scaled to N packs for a smaller run).
2. no-op rebuild: the same command again, everything up to date, three times; each run's seconds
   and the documents it rebuilt are shown, and the target is judged on the median of the runs that
   rebuilt nothing. Target: < 2 s.
3. one pack changed: the title in one pack's pack.yaml edited (every document of the pack carries it,
   in its running head and as its document title, so all of them must be rebuilt), then the same
   command (one run); also how many documents were rebuilt (their manifest "inputs" digest
   changed). Target: < 10 s.
4. `--shard 1/4` of the full build into a fresh OUT: seconds and documents, and whether the shard
   holds about a quarter of the full build's documents (within three binomial standard deviations
   of 25%, at least 2 points, since the jobs are split by a hash of the file name).
5. peak RSS during the full build, in two ways. (a) Largest worker: while the build runs, a thread
   of this script reads /proc/PID/status of every descendant of the CLI every 0.2 s and keeps each
   process's VmHWM, the kernel's own high-water mark of its resident set (only growth in a worker's
   last 0.2 s can be missed); the figure is the largest over the workers (the CLI's children that
   run its own command line, read more than once), and the CLI's own VmHWM and the largest program
   they ran (fc-list, ...) are shown beside it. Workers are forked, so their RSS counts pages they
   still share with the CLI. (b) Largest process: `os.wait4` on the CLI (benchmarks/run.py's
   `run`): on Linux its ru_maxrss is the largest of the CLI and every descendant it waited for
   (the kernel folds a reaped child's peak into its parent's), so this covers the workers too;
   it cannot say which process it was, hence (a). Target for both: < 250 MB.

teachpack's own files (builder/*.py, templates, assets) are part of every document's fingerprint. With
an editable install whose checkout is being edited they can change under the benchmark, and then every
document is out of date (a "no-op" rebuilds the lot): the script hashes them after every timed step,
marks the figures of a step before or during which they changed, and says so at the end.

Not a test: timings depend on the machine, and the exit code is 0 whether or not a target is met; it
is non-zero if a build, an import or a check fails.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import json
import math
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

import yaml

import builder
from builder.core.paths import ASSETS, TEMPLATES
from builder.load.article import slugify
from builder.release.fingerprint import tree_digest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import ENV, REPO, TEACHPACK, Run, build, documents, run, table  # noqa: E402

ROOTS = REPO / "tests" / "roots"
COPIED = {"sino-soviet-split": REPO / "packs" / "sino-soviet-split", "water-cycle": ROOTS / "basic"}
IMPORTED = {
    "volcanoes": ROOTS / "import-md" / "article.md",
    "lighthouses": ROOTS / "import-txt" / "nav-and-dates.txt",
    "erie-canal": ROOTS / "import-html" / "page.html",
}

SCHOOLS = [
    "Riverside Unified School District",
    "Lakeview Middle School",
    "Northgate High School",
    "Cedar Hills Elementary",
    "Harbor Point Academy",
    "Maple Grove School",
    "Eastfield Community School",
]
PALETTES = [  # primary, accent, highlight: every text pair at least 4.5:1 (WCAG AA)
    ("#2e5e3e", "#9c3d00", "#e3f0e6"),
    ("#1f4e79", "#8a1538", "#e4eef8"),
    ("#5b2a86", "#7a4a00", "#efe6f7"),
    ("#004d61", "#a0342b", "#e0f2f5"),
    ("#3d3d3d", "#005a9c", "#eeeeee"),
]
BODY_FONTS = ["TeX Gyre Pagella", "TeX Gyre Termes", "TeX Gyre Bonum"]
HEADING_FONTS = ["TeX Gyre Heros", "TeX Gyre Adventor"]
CONTENTS: list[list[Any]] = [
    ["cover", "article", "glossary", "timeline", "worksheet"],
    ["cover", "article", "glossary", "flashcards", "timeline", "worksheet"],
    ["cover", "article", "glossary", "worksheet"],
    ["cover", "article", "timeline", "worksheet", "glossary"],
    ["cover", "article", "glossary", {"flashcards": {"per_page": 10}}, "worksheet"],
    ["article", "glossary", "timeline", "worksheet"],
    ["cover", "article", "flashcards", "worksheet", "timeline"],
]
CUSTOM_LEVELS = {  # sometimes added to a pack's levels, defined under its profiles:
    "grade-7": {"based_on": "middle", "label": "Grade 7", "grades": "7-7", "reading_band": [6.5, 7.5]},
    "ell": {"based_on": "elementary", "label": "English learners", "definitions": "simple"},
}
LABELS = [{"class": "Period"}, {"answer_key": "Answers"}, {"class": "Homeroom", "answer_key": "Key"}]
TIMINGS = [
    "One 50-minute lesson.",
    "Two 45-minute lessons (reading; worksheet).",
    "Three short lessons of 30 minutes each.",
    "One double period, with the worksheet as homework.",
]
NOTES = [  # sentences added to the article's paragraphs
    "Our class read this part aloud together before answering the questions.",
    "Look at the map on the classroom wall to find the places named here.",
    "As you read, ask yourself what changed and why it changed.",
    "Write down one question you still have after reading this part.",
    "Think about how the people who lived through these events might have felt.",
    "Underline the words you do not know and look for them in the glossary.",
    "Talk with a partner about the most important idea in this part.",
]
GENERATED = {"vocabulary-matching", "cloze", "timeline-sequencing", "date-matching", "true-false-facts",
             "source-analysis"}
MINUTES_PER_200 = 6  # issue 18: the full build of 200 packs


@dataclass
class Source:
    """A pack the district's packs are derived from: its folder, pack.yaml as data, and its article."""

    name: str
    folder: Path
    data: dict[str, Any]
    article: str


@dataclass
class Article:
    """An article.md cut into blocks: what comes before the first section, then each section's blocks
    (its "## " heading first)."""

    head: list[str]
    sections: list[list[str]]

    @classmethod
    def parse(cls, text: str) -> Article:
        head: list[str] = []
        sections: list[list[str]] = []
        for block in (b.strip("\n") for b in text.split("\n\n")):
            if not block:
                continue
            if block.startswith("## "):
                sections.append([block])
            elif sections:
                sections[-1].append(block)
            else:
                head.append(block)
        return cls(head, sections)

    def text(self) -> str:
        return "\n\n".join(self.head + [block for section in self.sections for block in section]) + "\n"

    def ids(self) -> list[str]:
        return [slugify(section[0].removeprefix("## ").strip()) for section in self.sections]

    def paragraphs(self) -> list[tuple[int, int]]:
        """(section, block) of every plain paragraph: no heading, list, quote, picture or table."""
        return [(s, b) for s, section in enumerate(self.sections) for b, block in enumerate(section)
                if b and not block.startswith(("#", "-", "*", ">", "!", "|", "<")) and not re.match(r"\d+[.)] ", block)]


def accept_drafts(value: Any) -> Any:
    """pack.yaml data with every `drafted:` mark deleted, as a teacher does after reading the drafts."""
    if isinstance(value, dict):
        return {k: accept_drafts(v) for k, v in value.items() if k != "drafted"}
    if isinstance(value, list):
        return [accept_drafts(v) for v in value]
    return value


def restrict(value: Any, levels: list[str]) -> Any:
    """Every `levels:` list inside `value` cut down to `levels`; an item left with none is dropped."""
    if isinstance(value, dict):
        if isinstance(value.get("levels"), list):
            value = {**value, "levels": [level for level in value["levels"] if level in levels]}
            if not value["levels"]:
                return None
        return {k: restrict(v, levels) for k, v in value.items()}
    if isinstance(value, list):
        return [item for item in (restrict(v, levels) for v in value) if item is not None]
    return value


def sources(tmp: Path) -> list[Source]:
    """The five sources, in tmp/sources/ (outside the district): two copied, three imported."""
    folder = tmp / "sources"
    folder.mkdir()
    for name, path in COPIED.items():
        shutil.copytree(path, folder / name)
    for name, path in IMPORTED.items():
        run([*TEACHPACK, "import", str(path), "--into", str(folder / name)])
        (folder / name / "import-report.md").unlink()
    found = []
    for name in [*COPIED, *IMPORTED]:
        data = yaml.safe_load((folder / name / "pack.yaml").read_text(encoding="utf-8"))
        article = (folder / name / data["article"]).read_text(encoding="utf-8")
        found.append(Source(name, folder / name, accept_drafts(data), article))
    return found


def some(rng: random.Random, items: list[Any], keep: float, least: int) -> list[Any]:
    """Each item kept with probability `keep`, in order; at least `least` of them (or all there are)."""
    kept = [item for item in items if rng.random() < keep]
    if len(kept) >= min(least, len(items)):
        return kept
    return [items[i] for i in sorted(rng.sample(range(len(items)), min(least, len(items))))]


def vary_article(rng: random.Random, text: str) -> Article:
    """The article with sections swapped, a paragraph repeated or dropped and sentences added."""
    article = Article.parse(text)
    if len(article.sections) >= 3 and rng.random() < 0.35:
        i = rng.randrange(len(article.sections) - 1)
        article.sections[i], article.sections[i + 1] = article.sections[i + 1], article.sections[i]
    for _ in range(rng.randint(1, 3)):
        s, b = rng.choice(article.paragraphs())
        article.sections[s][b] += " " + rng.choice(NOTES)
    if rng.random() < 0.3:
        s, b = rng.choice(article.paragraphs())
        article.sections[s].insert(b + 1, article.sections[s][b])
    droppable = [(s, b) for s, b in article.paragraphs()
                 if sum(1 for t, _ in article.paragraphs() if t == s) >= 2]
    if droppable and rng.random() < 0.25:
        s, b = rng.choice(droppable)
        del article.sections[s][b]
    return article


def vary_worksheet(rng: random.Random, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Some of the items, sometimes rotated; an activity's count or a question's lines changed."""
    kept = [dict(item) for item in some(rng, items, 0.7, 2)]
    for item in kept:
        if item["type"] in GENERATED and rng.random() < 0.3:
            item["count"] = rng.randint(3, 6)
        elif item["type"] in ("short-answer", "extended-response") and rng.random() < 0.3:
            item["lines"] = rng.randint(2, 8)
    if len(kept) > 2 and rng.random() < 0.3:
        cut = rng.randrange(1, len(kept))
        kept = kept[cut:] + kept[:cut]
    return kept


def derive(source: Source, index: int, attempt: int) -> tuple[dict[str, Any], str]:
    """Pack number `index` of the district (pack.yaml data and article text), drawn from a generator
    seeded with the index (and `attempt`, bumped only if the draw repeats an earlier pack)."""
    rng = random.Random(f"district pack {index} attempt {attempt}")
    article = vary_article(rng, source.article)
    school = rng.choice(SCHOOLS)
    names = {
        "id": f"{source.name}-{index + 1:03d}",
        "title": f"{source.data['title']} (unit {index + 1})",
        "subtitle": rng.choice([source.data.get("subtitle") or source.data["subject"],
                                f"A reading pack for {school}", f"{source.data['subject']}, unit {index + 1}"]),
    }
    data = {**names, **{k: copy.deepcopy(v) for k, v in source.data.items() if k not in names}}
    data["paper"] = rng.choice(["letter", "a4"])
    data["date"] = f"{2023 + index % 3}-{1 + index % 12:02d}-{1 + index % 28:02d}"

    levels = some(rng, list(source.data["levels"]), 0.6, 1)
    if rng.random() < 0.15:
        custom = rng.choice(sorted(CUSTOM_LEVELS))
        levels.append(custom)
        data["profiles"] = {custom: CUSTOM_LEVELS[custom]}
    data = {k: levels if k == "levels" else restrict(v, levels) for k, v in data.items()}
    ids = article.ids()  # in the article's (possibly swapped) order
    sections: dict[str, list[str]] = {}
    for level in levels:
        roll = rng.random()
        if roll < 0.4 or len(ids) < 2:
            continue  # every section
        if roll < 0.6 and level in source.data.get("sections", {}):
            sections[level] = list(source.data["sections"][level])
        else:
            sections[level] = sorted(rng.sample(ids, rng.randint(max(1, len(ids) // 2), len(ids) - 1)),
                                     key=ids.index)
    if sections:
        data["sections"] = sections
    else:
        data.pop("sections", None)

    data["contents"] = copy.deepcopy(rng.choice(CONTENTS))
    if rng.random() < 0.8:
        primary, accent, highlight = rng.choice(PALETTES)
        theme: dict[str, Any] = {"school": school, "colors": {"primary": primary, "accent": accent}}
        if rng.random() < 0.5:
            theme["colors"]["highlight"] = highlight
        if rng.random() < 0.2:
            theme["fonts"] = {"body": rng.choice(BODY_FONTS), "heading": rng.choice(HEADING_FONTS)}
        data["theme"] = theme
    if rng.random() < 0.25:
        data["labels"] = dict(rng.choice(LABELS))
    if rng.random() < 0.5:
        data["teacher"] = {**data.get("teacher", {}), "timing": rng.choice(TIMINGS)}

    data["glossary"] = some(rng, data.get("glossary", []), 0.75, 2)
    if "timeline" in data:
        data["timeline"]["events"] = some(rng, data["timeline"]["events"], 0.85, 3)
    data["worksheet"] = vary_worksheet(rng, data.get("worksheet", []))
    return data, article.text()


def fingerprint(data: dict[str, Any], article: str) -> str:
    """What makes two packs the same: everything but the id, title, subtitle and date."""
    content = {k: v for k, v in data.items() if k not in ("id", "title", "subtitle", "date")}
    return hashlib.sha256(json.dumps([content, article], sort_keys=True).encode()).hexdigest()


def make_district(folder: Path, bases: list[Source], count: int) -> list[Path]:
    """`count` packs in `folder`, every one different, the sources taken in turn."""
    folder.mkdir()
    seen: set[str] = set()
    packs = []
    for index in range(count):
        source = bases[index % len(bases)]
        attempt = 0
        while (key := fingerprint(*(drawn := derive(source, index, attempt)))) in seen:
            attempt += 1
        seen.add(key)
        data, article = drawn
        pack = folder / data["id"]
        shutil.copytree(source.folder, pack)  # the level rewrites and pictures come along
        header = f"# Made by benchmarks/district.py from {source.name} (pack {index + 1} of {count}).\n"
        dumped = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=110)
        (pack / "pack.yaml").write_text(header + dumped, encoding="utf-8")
        (pack / data["article"]).write_text(article, encoding="utf-8")
        packs.append(pack)
    return packs


@dataclass
class Peak:
    depth: int  # 1: the CLI (a child of this script); 2: what the CLI starts (its workers); deeper: theirs
    command: str  # /proc/PID/cmdline: a forked worker's is the CLI's
    kb: int = 0  # the largest VmHWM read
    seen: int = 0  # how many times it was read: a child caught between fork and exec is read once


@dataclass
class Sampler:
    """Reads VmHWM of every descendant of this process every `interval` seconds, in a thread, while the
    `with` block runs; keeps the largest for each process (a pid and its command line)."""

    interval: float = 0.2
    peaks: dict[tuple[int, str], Peak] = field(default_factory=dict)
    _done: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def __enter__(self) -> Sampler:
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self._done.set()
        if self._thread:
            self._thread.join()

    def _watch(self) -> None:
        while not self._done.is_set():
            waiting = [(pid, 1) for pid in children(os.getpid())]
            while waiting:
                pid, depth = waiting.pop()
                command, kb = read_process(pid)
                if kb is not None:
                    peak = self.peaks.setdefault((pid, command), Peak(depth, command))
                    peak.kb, peak.seen = max(peak.kb, kb), peak.seen + 1
                waiting += [(child, depth + 1) for child in children(pid)]
            self._done.wait(self.interval)

    def cli(self) -> list[Peak]:
        return [p for p in self.peaks.values() if p.depth == 1 and p.seen > 1]

    def workers(self) -> list[Peak]:
        """The CLI's children that run its own command line: the forked workers. Read more than once,
        so not a program the CLI starts, seen before its exec with a copy of the CLI's memory."""
        commands = {p.command for p in self.cli()}
        return [p for p in self.peaks.values() if p.depth == 2 and p.command in commands and p.seen > 1]

    def others(self) -> list[Peak]:
        """Everything else below the CLI: the programs it or its workers run (fc-list, ...), not counting
        a copy of this script or of the CLI caught before its exec."""
        kept = {id(p) for p in self.cli() + self.workers()}
        copies = {p.command for p in self.peaks.values() if p.depth == 1}
        return [p for p in self.peaks.values() if id(p) not in kept and p.command not in copies]


def megabytes(peaks: list[Peak]) -> float:
    """The largest of the peaks, in MB (0 if there are none)."""
    return max((p.kb for p in peaks), default=0) / 1024


def children(pid: int) -> list[int]:
    """The pids of a process's children (every thread's; none if it has gone)."""
    try:
        return [int(child) for task in Path(f"/proc/{pid}/task").iterdir()
                for child in (task / "children").read_text().split()]
    except OSError:
        return []


def read_process(pid: int) -> tuple[str, int | None]:
    """A process's command line and VmHWM in kB (None if it has gone or is a zombie)."""
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return "", None
    found = re.search(r"^VmHWM:\s+(\d+) kB", status, re.M)
    return command, int(found.group(1)) if found else None


def validate(district: Path, packs: list[Path], bases: int, tmp: Path) -> int:
    """Every pack loads and plans (`build --list-jobs`); the first pack of each source passes
    `teachpack check`. The number of jobs planned."""
    listing = subprocess.run([*TEACHPACK, "build", "--all", str(district), "--out", str(tmp / "plan"), "--list-jobs"],
                             cwd=REPO, env=ENV, capture_output=True, text=True)
    if listing.returncode:
        raise SystemExit(f"failed: teachpack build --list-jobs on the district\n{listing.stderr}")
    for pack in packs[:bases]:
        run([*TEACHPACK, "check", str(pack)])
    return len(listing.stdout.splitlines())


def code_digest() -> str:
    """teachpack's own files, as the build's fingerprint reads them: its code, templates and assets."""
    package = Path(builder.__file__).parent
    return tree_digest(package, "*.py") + tree_digest(TEMPLATES) + tree_digest(ASSETS)


@dataclass
class Watch:
    """Runs the timed commands and notes each step before or during which teachpack's own files changed.
    Installed editable from a checkout someone is editing, they can: every document is then out of date,
    and the next "no-op" rebuild rebuilds everything."""

    digest: str = field(default_factory=code_digest)
    changed: list[str] = field(default_factory=list)

    def run(self, step: str, command: list[str]) -> Run:
        try:
            result = run(command)
        except SystemExit as failed:
            if code_digest() != self.digest:
                raise SystemExit(f"{failed.code}\nnote: teachpack's code, templates or assets changed before or "
                                 "during this build: it may have run two versions at once") from None
            raise
        if (now := code_digest()) != self.digest:
            self.digest = now
            self.changed.append(step)
        return result

    def note(self, step: str) -> str:
        return " (teachpack's files changed before or during this step)" if step in self.changed else ""


def rebuilt(out: Path, before: dict[str, str]) -> int:
    """How many documents of the manifest were built since `before` (their inputs digest differs)."""
    return sum(1 for d in documents(out) if before.get(d["path"]) != d["inputs"])


def inputs(out: Path) -> dict[str, str]:
    return {d["path"]: d["inputs"] for d in documents(out)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--packs", type=int, default=200, help="packs in the district (default 200)")
    count = parser.parse_args().packs
    if count < 1:
        parser.error("--packs must be at least 1")
    rows: list[tuple[str, str, str, str]] = []  # figure, value, target, verdict

    def row(figure: str, value: str, target: str = "", met: bool | None = None) -> None:
        rows.append((figure, value, target, "" if met is None else ("met" if met else "NOT met")))
        print(f"  {figure}: {value}", flush=True)

    with tempfile.TemporaryDirectory(prefix="teachpack-district-") as name:
        tmp = Path(name)
        started = time.perf_counter()
        bases = sources(tmp)
        district = tmp / "district"
        packs = make_district(district, bases, count)
        jobs = validate(district, packs, len(bases), tmp)
        print(f"district benchmark on {os.cpu_count()} CPU(s): {count} packs from {len(bases)} sources "
              f"({', '.join(b.name for b in bases)}), {jobs} jobs planned; all packs differ; "
              f"`teachpack check` passed on {min(count, len(bases))}; setup (not timed below) took "
              f"{time.perf_counter() - started:.0f} s", flush=True)

        watch = Watch()
        every = ["--all", str(district)]
        out = tmp / "out"
        with Sampler() as sampler:
            full = watch.run("full", build(out, "--jobs", "2", packs=every))
        made = len(documents(out))
        limit = MINUTES_PER_200 * 60 * count / 200
        row(f"full build, --jobs 2, {count} packs", f"{full.seconds:.1f} s for {made} documents, "
            f"{made / full.seconds * 60:.1f} documents/minute{watch.note('full')}",
            f"< {limit / 60:g} min ({MINUTES_PER_200} min for 200 packs)", full.seconds < limit)

        noops = []  # seconds and documents rebuilt, of each run
        for number in range(3):
            before = inputs(out)
            seconds = watch.run(f"no-op {number}", build(out, "--jobs", "2", packs=every)).seconds
            noops.append((seconds, rebuilt(out, before)))
        idle = [seconds for seconds, again in noops if not again]
        runs = ", ".join(f"{seconds:.2f} s{f' ({again} rebuilt)' if again else ''}" for seconds, again in noops)
        noted = "".join(dict.fromkeys(watch.note(f"no-op {n}") for n in range(3)))
        row("no-op rebuild (median of the runs that rebuilt nothing)",
            f"{statistics.median(idle):.2f} s" if idle else "none rebuilt nothing",
            "< 2 s", bool(idle) and statistics.median(idle) < 2)
        row("no-op rebuild, each run", runs + noted)

        changed = packs[count // 2]
        before = inputs(out)
        text = (changed / "pack.yaml").read_text(encoding="utf-8")
        unit = f"(unit {count // 2 + 1})"
        assert unit in text
        (changed / "pack.yaml").write_text(text.replace(unit, f"{unit[:-1]}, revised)", 1), encoding="utf-8")
        one = watch.run("one", build(out, "--jobs", "2", packs=every))
        own = sum(1 for d in documents(out) if d["pack"] == changed.name)
        row(f"rebuild after one pack's title changed in its pack.yaml ({changed.name})",
            f"{one.seconds:.2f} s ({rebuilt(out, before)} documents rebuilt; the pack has {own}){watch.note('one')}",
            "< 10 s", one.seconds < 10)

        shard = watch.run("shard", build(tmp / "shard", "--jobs", "2", "--shard", "1/4", packs=every))
        part = len(documents(tmp / "shard"))
        share = part / made
        spread = max(0.02, 3 * math.sqrt(0.25 * 0.75 / made))
        row("--shard 1/4 of the full build, fresh out folder",
            f"{shard.seconds:.1f} s for {part} documents{watch.note('shard')}")
        row("--shard 1/4 share of the documents", f"{part} of {made} = {share:.1%}",
            f"about a quarter (25% ± {spread:.0%})", abs(share - 0.25) <= spread)

        worker, workers, others = megabytes(sampler.workers()), sampler.workers(), sampler.others()
        row(f"peak RSS, largest worker of the full build (VmHWM of {len(workers)} workers, read every "
            f"{sampler.interval:g} s)", f"{worker:.0f} MB (the CLI itself: {megabytes(sampler.cli()):.0f} MB; "
            f"{len(others)} other programs they ran, largest {megabytes(others):.0f} MB)", "< 250 MB", worker < 250)
        row("peak RSS, largest process of the full build (wait4 ru_maxrss: the CLI and what it reaped)",
            f"{full.peak_rss_mb:.0f} MB", "< 250 MB", full.peak_rss_mb < 250)

    table(rows)
    if watch.changed:
        print(f"\nwarning: teachpack's code, templates or assets ({Path(builder.__file__).parent.parent}) changed "
              f"while the benchmark ran (before or during: {', '.join(watch.changed)}); those figures are "
              "of a build whose files were out of date, or of two versions of teachpack")


if __name__ == "__main__":
    main()
