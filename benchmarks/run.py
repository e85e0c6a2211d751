"""Release-build benchmark: one run on this machine, figures and ratios against the targets of issue 7.

    .venv/bin/python benchmarks/run.py [--quick]

Measures, with the example packs in packs/: a cold full build; an up-to-date rebuild; `teachpack
--help`; peak RSS of a rendering process; --jobs 2 against --jobs 1; the share of a cold build
spent outside WeasyPrint's layout and PDF writing; a long article (its sections repeated to about
100 pages) for time and memory growth; and, when pandoc is installed, pandoc with
--pdf-engine=weasyprint making only the article PDF and DOCX for the same levels and editions; and
the bare-WeasyPrint floor: the very HTML and CSS teachpack generates for the PDFs, rendered in one
process that imports only WeasyPrint, against `teachpack build --format pdf --jobs 1` of the same PDFs.
Not a test: timings depend on the machine. `--quick` skips the long article.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKS = REPO / "packs"
BIN = Path(sys.executable).parent
TEACHPACK = [str(BIN / "teachpack")]
ENV = {**{k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}, "PATH": f"{BIN}:{os.environ['PATH']}"}

# Runs a build in this interpreter with WeasyPrint's layout and PDF writing timed (one process: --jobs 1).
TIMED_BUILD = """
import json, sys, time
import weasyprint, weasyprint.document
spent = [0.0]
def timed(function):
    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            spent[0] += time.perf_counter() - started
    return wrapper
weasyprint.HTML.render = timed(weasyprint.HTML.render)  # layout
weasyprint.document.Document.write_pdf = timed(weasyprint.document.Document.write_pdf)  # PDF writing
from builder.cli import app
try:
    app(sys.argv[1:])
except SystemExit as exit:
    assert not exit.code, exit.code
print(json.dumps({"weasyprint": spent[0]}), file=sys.stderr)
"""

# Writes, with teachpack's own API and outside any timing, the HTML and stylesheets of every layout the PDFs
# of the example packs need (after reuse: a teacher edition is its own pages around its student edition's
# pages), and a plan.json saying which pages of which layouts each PDF is made of; the bare renderer reads it.
DUMP_HTML = """
import json, sys
from pathlib import Path
from builder.load.loader import load_pack
from builder.options import BuildOptions
from builder.release.jobs import plan_jobs
from builder.render.html.page import component_stylesheets, stylesheet
from builder.render.pdf.renderer import PdfRenderer
out = Path(sys.argv[1])
packs = [load_pack(Path(p)) for p in sys.argv[2:]]
layouts, plan = {}, []
renderer = PdfRenderer()
laying_out = renderer._layout
def recorded(source, elsewhere=None):  # each layout the renderer uses, with the HTML and CSS it laid out
    laid = laying_out(source, elsewhere)
    if id(laid.document) not in layouts:
        html, page_css = laid.html, laid.page_css  # with the page decisions measured on a first layout
        folder = out / f"layout-{len(layouts)}"
        folder.mkdir(parents=True)
        (folder / "index.html").write_text(html, encoding="utf-8")
        (folder / "page.css").write_text(page_css, encoding="utf-8")
        sheets = [stylesheet(source.styling.template_dirs)]
        sheets += [(text, base) for _, text, base in component_stylesheets(source)]
        css = []
        for number, (text, base) in enumerate(sheets):
            (folder / f"{number}.css").write_text(text, encoding="utf-8")
            css.append([str(folder / f"{number}.css"), base])
        css.append([str(folder / "page.css"), source.base_dir.as_uri() + "/"])
        layouts[id(laid.document)] = {"html": str(folder / "index.html"), "base_url": source.base_dir.as_uri() + "/",
                                      "css": css, "variant": source.styling.pdf_variant, "stem": source.stem,
                                      "number": len(layouts), "pages": laid.document.pages}
    return laid
renderer._layout = recorded
jobs = plan_jobs(packs, BuildOptions(formats=("pdf",)))
for job in sorted(jobs, key=lambda job: str(job.layout_group)):  # a group's jobs in order, as a build runs them
    document = job.resolve()
    own, pages = renderer.compose(document)
    where = {id(page): (entry["number"], n) for entry in layouts.values() for n, page in enumerate(entry["pages"])}
    plan.append({"pdf": str(out / f"{document.stem}.pdf"), "layout": layouts[id(own.document)]["number"],
                 "pages": [where[id(page)] for page in pages]})
entries = sorted(({k: v for k, v in entry.items() if k != "pages"} for entry in layouts.values()),
                 key=lambda entry: entry["number"])
(out / "plan.json").write_text(json.dumps({"layouts": entries, "pdfs": plan}), encoding="utf-8")
"""

# The floor: WeasyPrint alone lays out each of those layouts once and writes every PDF from their pages (a
# combined PDF with Document.copy), one font configuration and one parse of each stylesheet for the whole
# run, as a lean script of one's own would.
BARE_WEASYPRINT = """
import json, sys
from pathlib import Path
import weasyprint
from weasyprint.text.fonts import FontConfiguration
plan = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
fonts = FontConfiguration()
parsed, laid_out = {}, {}
def layout(entry):
    if entry["number"] not in laid_out:
        sheets = []
        for path, base in entry["css"]:
            key = (Path(path).read_text(encoding="utf-8"), base)
            if key not in parsed or path.endswith("page.css"):
                parsed[key] = weasyprint.CSS(string=key[0], base_url=base, font_config=fonts)
            sheets.append(parsed[key])
        variant = None if entry["variant"] == "none" else entry["variant"]
        options = {"stylesheets": sheets, "pdf_variant": variant, "pdf_identifier": entry["stem"].encode()}
        document = weasyprint.HTML(filename=entry["html"], base_url=entry["base_url"]).render(font_config=fonts,
                                                                                           **options)
        laid_out[entry["number"]] = (document, options)
    return laid_out[entry["number"]]
for pdf in plan["pdfs"]:
    document, options = layout(plan["layouts"][pdf["layout"]])
    pages = [layout(plan["layouts"][number])[0].pages[page] for number, page in pdf["pages"]]
    whole = pages == document.pages
    Path(pdf["pdf"]).write_bytes((document if whole else document.copy(pages)).write_pdf(**options))
"""


@dataclass
class Run:
    seconds: float
    peak_rss_mb: float  # the largest of the process and the workers it waited for
    stderr: str


def run(command: list[str], cwd: Path = REPO) -> Run:
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    stderr = process.stderr.read() if process.stderr else ""
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if status:
        raise SystemExit(f"failed: {' '.join(command)}\n{stderr}")
    return Run(seconds, usage.ru_maxrss / 1024, stderr)


def best(command: list[str], times: int = 5) -> float:
    return statistics.median(run(command).seconds for _ in range(times))


def build(out: Path, *options: str, packs: list[str] | None = None) -> list[str]:
    return [*TEACHPACK, "build", *(packs or ["--all", str(PACKS)]), "--out", str(out), "--quiet", *options]


def documents(out: Path) -> list[dict]:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))["outputs"]


def long_pack(tmp: Path, copies: int) -> Path:
    """The example pack with its article's sections repeated `copies` times (headings numbered)."""
    folder = tmp / f"long-{copies}"
    shutil.copytree(PACKS / "sino-soviet-split", folder)
    text = (folder / "article.md").read_text(encoding="utf-8")
    title, _, body = text.partition("\n## ")
    sections = "## " + body
    repeated = [sections] + [
        re.sub(r"^## (.+)$", rf"## \1 (part {i})", sections, flags=re.M) for i in range(2, copies + 1)
    ]
    (folder / "article.md").write_text(title + "\n" + "\n".join(repeated), encoding="utf-8")
    pack = (folder / "pack.yaml").read_text(encoding="utf-8")
    (folder / "pack.yaml").write_text(re.sub(r"^id: .*$", f"id: long-{copies}", pack, flags=re.M), encoding="utf-8")
    return folder


def main() -> None:
    quick = "--quick" in sys.argv
    rows: list[tuple[str, str, str, str]] = []  # figure, value, target, verdict

    def row(figure: str, value: str, target: str = "", met: bool | None = None) -> None:
        rows.append((figure, value, target, "" if met is None else ("met" if met else "NOT met")))
        print(f"  {figure}: {value}", flush=True)

    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        names = ", ".join(p.name for p in sorted(PACKS.iterdir()))
        print(f"teachpack benchmark on {os.cpu_count()} CPU(s); example packs: {names}")

        cold = run(build(tmp / "cold"))
        count = len(documents(tmp / "cold"))
        row("cold full build (default --jobs)", f"{cold.seconds:.2f} s for {count} documents")
        noop = best(build(tmp / "cold"))
        row("up-to-date rebuild", f"{noop:.3f} s", "< 0.5 s", noop < 0.5)
        helped = best([*TEACHPACK, "--help"])
        row("teachpack --help", f"{helped:.3f} s", "< 0.3 s", helped < 0.3)

        one = run(build(tmp / "j1", "--jobs", "1", "--force"))
        two = run(build(tmp / "j2", "--jobs", "2", "--force"))
        speedup = one.seconds / two.seconds
        row("--jobs 1", f"{one.seconds:.2f} s, peak RSS {one.peak_rss_mb:.0f} MB (one process renders everything)")
        row("--jobs 2", f"{two.seconds:.2f} s, peak RSS {two.peak_rss_mb:.0f} MB (largest of CLI and workers)")
        row(f"--jobs 2 speed-up on {count} documents", f"{speedup:.2f}x", ">= 1.6x", speedup >= 1.6)
        peak = max(one.peak_rss_mb, two.peak_rss_mb)
        row("peak RSS per worker", f"{peak:.0f} MB", "< 250 MB", peak < 250)
        same = all((tmp / "j1" / d["path"]).read_bytes() == (tmp / "j2" / d["path"]).read_bytes()
                   for d in documents(tmp / "j1"))
        row("--jobs 1 and --jobs 2 give identical files", "yes" if same else "NO", "identical", same)

        # --job-timeout 0 with --jobs 1: rendered in the timed process itself (a worker's time would not be seen)
        timed = run([sys.executable, "-c", TIMED_BUILD, "build", "--all", str(PACKS), "--out", str(tmp / "timed"),
                     "--jobs", "1", "--job-timeout", "0", "--quiet"])
        weasyprint = json.loads(timed.stderr.strip().splitlines()[-1])["weasyprint"]
        outside = 1 - weasyprint / timed.seconds
        row("time outside WeasyPrint layout + PDF writing (cold, --jobs 1)",
            f"{outside:.0%} ({timed.seconds - weasyprint:.2f} s of {timed.seconds:.2f} s)", "<= 15%", outside <= 0.15)

        example = sorted(str(p) for p in PACKS.iterdir() if (p / "pack.yaml").is_file())
        run([sys.executable, "-c", DUMP_HTML, str(tmp / "html"), *example])
        floors = [run([sys.executable, "-c", BARE_WEASYPRINT, str(tmp / "html" / "plan.json")]).seconds
                  for _ in range(3)]
        pdfs = [run(build(tmp / "pdf-only", "--format", "pdf", "--jobs", "1", "--force", packs=example)).seconds
                for _ in range(3)]
        floor, ours = statistics.median(floors), statistics.median(pdfs)
        plan = json.loads((tmp / "html" / "plan.json").read_text(encoding="utf-8"))
        row(f"bare WeasyPrint, the same HTML and CSS ({len(plan['layouts'])} layouts for {len(plan['pdfs'])} PDFs, "
            "one process)", f"{floor:.2f} s")
        row("teachpack build --format pdf --jobs 1 / bare WeasyPrint floor",
            f"{ours:.2f} s / {floor:.2f} s = {ours / floor:.2f}x", "<= 1.05x (issue 18)", ours / floor <= 1.05)

        if not quick:
            sizes = []
            for copies in (1, 8, 24):
                folder = long_pack(tmp, copies)
                out = tmp / f"long-out-{copies}"
                result = run(build(out, "--level", "high", "--edition", "student", "--jobs", "1", packs=[str(folder)]))
                pages = next(d["pages"] for d in documents(out) if d["format"] == "pdf")
                sizes.append((copies, pages, result.seconds, result.peak_rss_mb))
                row(f"article x{copies}", f"{pages} pages (PDF) + DOCX in {result.seconds:.2f} s, "
                    f"{result.seconds / pages * 1000:.0f} ms/page, peak RSS {result.peak_rss_mb:.0f} MB")
            (_, p1, t1, m1), (_, pn, tn, mn) = sizes[0], sizes[-1]
            growth = (tn / t1) / (pn / p1)
            row("long article: time growth against page growth", f"x{tn / t1:.1f} time for x{pn / p1:.1f} pages "
                f"(ratio {growth:.2f})", "<= 1 (no worse than linear)", growth <= 1.0)
            row("long article: memory", f"{m1:.0f} MB -> {mn:.0f} MB for {pn} pages", "< 250 MB", mn < 250)

        if shutil.which("pandoc"):
            pack = PACKS / "sino-soviet-split"
            levels = re.search(r"^levels: \[(.*)\]", (pack / "pack.yaml").read_text(encoding="utf-8"), re.M)
            assert levels
            started = time.perf_counter()
            made = 0
            for level in (lv.strip() for lv in levels.group(1).split(",")):
                article = pack / f"article.{level}.md"
                source = article if article.is_file() else pack / "article.md"
                for edition in ("student", "teacher"):
                    for suffix in ("pdf", "docx"):
                        target = tmp / f"pandoc-{level}-{edition}.{suffix}"
                        run(["pandoc", str(source), "-o", str(target), "--pdf-engine=weasyprint",
                             "--resource-path", str(pack)])
                        made += 1
            pandoc = time.perf_counter() - started
            ours = run(build(tmp / "vs-pandoc", packs=[str(pack)]))
            ratio = ours.seconds / pandoc
            row(f"pandoc --pdf-engine=weasyprint, article only ({made} files)", f"{pandoc:.2f} s")
            row("teachpack full pack (cover, reading, glossary, timeline, worksheet, key) / pandoc articles",
                f"{ours.seconds:.2f} s / {pandoc:.2f} s = {ratio:.2f}", "<= 0.55 (issue 18)", ratio <= 0.55)
        else:
            row("pandoc comparison", "skipped: pandoc is not installed (apt-get install pandoc)")

    table(rows)


def table(rows: list[tuple[str, str, str, str]]) -> None:
    """The figures as one table, each beside its target and whether it is met (district.py prints one too)."""
    print()
    width = max(len(r[0]) for r in rows)
    for figure, value, target, verdict in rows:
        if target:
            print(f"{figure:<{width}}  {value}  [target {target}: {verdict}]")
        else:
            print(f"{figure:<{width}}  {value}")


if __name__ == "__main__":
    main()
