"""Builds stay exact under faults: a job over its time, a bug in a worker, SIGTERM and SIGINT, kill -9,
two builds into one folder, files the manifest does not list, and inputs that change where no list
of files would look (hidden files, the workspace logo, fonts).

The faults are real: builds run in subprocesses (tests/roots/basic, DOCX unless a PDF is the point)
with a hook that makes chosen documents hang or fail, and real signals stop them.
"""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from PIL import Image

from builder import BuildError, build_pack
from builder.release.manifest import read_manifest, verify
from builder.release.write import part_path
from builder.render.docx import writer as docx_module

from .conftest import EXAMPLE, REPO

ENV = {k: v for k, v in os.environ.items() if k not in ("SOURCE_DATE_EPOCH", "PYTHONHASHSEED")}
STEMS = ["pack-elementary-student", "pack-elementary-teacher", "pack-high-student", "pack-high-teacher"]

# Runs `teachpack ARGS` with documents made to misbehave (test code only: the product has no hooks).
# HANG: stems whose render never ends; HANG_PART: stems whose part file is written, then the worker
# hangs; FAIL: stems whose render raises an lxml error (which cannot be pickled); CRASH: stems whose
# worker dies of SIGSEGV. Each hanging process leaves its pid in the PIDS folder, so the test can
# check it is gone.
HOOK = textwrap.dedent("""
    import os, signal, sys, time
    from pathlib import Path
    from lxml import etree
    from builder.release import jobs
    from builder.render.docx import writer as docx_module

    def names(key):
        return set(filter(None, os.environ.get(key, "").split(",")))

    def hang():
        Path(os.environ["PIDS"], str(os.getpid())).touch()
        while True:
            time.sleep(1)

    render = docx_module.DocxRenderer.render
    def misbehaving(self, document):
        if document.stem in names("HANG"):
            hang()
        if document.stem in names("FAIL"):
            etree.fromstring(b"<unclosed")
        if document.stem in names("CRASH"):
            os.kill(os.getpid(), signal.SIGSEGV)
        return render(self, document)
    docx_module.DocxRenderer.render = misbehaving

    write_part = jobs.write_part
    def slow_write(path, data):
        write_part(path, data)
        if path.stem in names("HANG_PART"):
            hang()
    jobs.write_part = slow_write

    sys.argv = ["teachpack", *sys.argv[1:]]
    from builder.cli import main
    main()
""")


def hooked(tmp_path: Path, *args: str, **env: str) -> subprocess.Popen[str]:
    hook = tmp_path / "hook.py"
    hook.write_text(HOOK, encoding="utf-8")
    (tmp_path / "pids").mkdir(exist_ok=True)
    return subprocess.Popen([sys.executable, str(hook), *args], cwd=REPO, text=True, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=ENV | {"PIDS": str(tmp_path / "pids")} | env)


def wait_for(condition, seconds: float = 60) -> None:  # noqa: ANN001
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.05)


def alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return status != "Z"


def on_disk(out: Path) -> list[str]:
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() and p.name != "manifest.json")


def cli(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "builder", *args], cwd=REPO, capture_output=True, text=True,
                          env=ENV | env)


# 1. A job over its time --------------------------------------------------------------------------

@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_job_over_its_time_is_killed_and_fails_alone(make_pack, tmp_path: Path, workers: str) -> None:
    out = tmp_path / "dist"
    started = time.monotonic()
    # 10 s: a DOCX job in a fresh worker loads WeasyPrint and draws the timeline picture (about 2 s on a
    # busy 2-core machine); the hung one must still be stopped long before the run's own limit.
    build = hooked(tmp_path, "build", str(make_pack()), "--out", str(out), "--format", "docx", "--jobs", workers,
                   "--job-timeout", "10", HANG="pack-high-teacher")
    stdout, stderr = build.communicate(timeout=180)
    took = time.monotonic() - started
    assert build.returncode == 1, stderr
    assert stderr == ("error: pack-high-teacher.docx: took longer than 10 s (--job-timeout); make the document "
                      "smaller (a shorter article or title), or give a longer --job-timeout\n")
    assert "3 built, 0 skipped (up to date), 1 failed" in stdout
    assert took < 60, took
    assert on_disk(out) == [f"pack/{stem}.docx" for stem in STEMS[:3]]
    assert sorted(read_manifest(out)) == on_disk(out)
    assert verify(out) == 3
    (pid,) = (int(p.name) for p in (tmp_path / "pids").iterdir())
    assert not alive(pid)  # the stuck worker was killed, not left running


def test_job_timeout_default_and_documented() -> None:
    help_text = cli("build", "--help").stdout
    assert "--job-timeout" in help_text and "300" in help_text
    assert "--job-timeout" in (REPO / "README.md").read_text(encoding="utf-8")


# 2. Errors cross the process boundary as plain data -----------------------------------------------

@pytest.mark.parametrize("workers", [1, 2])
def test_a_bug_in_one_job_is_one_line_and_the_others_finish(make_pack, tmp_path: Path, monkeypatch,
                                                            workers: int) -> None:
    """An lxml error cannot be pickled: with a process pool it used to cancel the whole build."""
    from lxml import etree

    render = docx_module.DocxRenderer.render

    def buggy(self, document):  # noqa: ANN001
        if document.stem == "pack-high-teacher":
            etree.fromstring(b"<unclosed")
        return render(self, document)

    monkeypatch.setattr(docx_module.DocxRenderer, "render", buggy)  # inherited by forked workers
    out = tmp_path / "dist"
    with pytest.raises(BuildError) as caught:
        build_pack([make_pack()], out=out, formats=["docx"], jobs=workers)
    assert caught.value.lines() == [
        "pack-high-teacher.docx: internal error: XMLSyntaxError: Couldn't find end of Start Tag unclosed "
        "line 1, line 1, column 10 (<string>, line 1) (please report this)"
    ]
    assert on_disk(out) == sorted(read_manifest(out)) == [f"pack/{stem}.docx" for stem in STEMS[:3]]


def test_a_bug_exits_1_with_one_line(make_pack, tmp_path: Path) -> None:
    build = hooked(tmp_path, "build", str(make_pack()), "--out", str(tmp_path / "dist"), "--format", "docx",
                   "--jobs", "2", "--quiet", FAIL="pack-elementary-student")
    stdout, stderr = build.communicate(timeout=120)
    assert (build.returncode, stdout) == (1, "")
    assert stderr.splitlines() == [
        "error: pack-elementary-student.docx: internal error: XMLSyntaxError: Couldn't find end of Start Tag "
        "unclosed line 1, line 1, column 10 (<string>, line 1) (please report this)"
    ]
    assert len(read_manifest(tmp_path / "dist")) == 3


def test_a_worker_that_dies_fails_its_job_and_is_replaced(make_pack, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    build = hooked(tmp_path, "build", str(make_pack()), "--out", str(out), "--format", "docx", "--jobs", "2",
                   "--quiet", CRASH="pack-elementary-student,pack-high-student")
    stdout, stderr = build.communicate(timeout=120)
    assert (build.returncode, stdout) == (1, "")
    assert stderr.splitlines() == [
        f"error: {stem}.docx: internal error: the worker process ended (killed by SIGSEGV) (please report this)"
        for stem in ("pack-elementary-student", "pack-high-student")
    ]
    assert on_disk(out) == sorted(read_manifest(out)) == ["pack/pack-elementary-teacher.docx", "pack/pack-high-teacher.docx"]


# 3. SIGTERM and SIGINT ---------------------------------------------------------------------------

@pytest.mark.parametrize(("signum", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_signal_stops_the_workers_at_once_and_the_manifest_stays_true(make_pack, tmp_path: Path,
                                                                       signum: int, code: int) -> None:
    """Two jobs finish, two hang (one with its part file written): the signal kills both workers,
    removes the part, records the two files, and the build exits with one line."""
    out = tmp_path / "dist"
    build = hooked(tmp_path, "build", str(make_pack()), "--out", str(out), "--format", "docx", "--jobs", "2",
                   "--quiet", HANG="pack-high-student", HANG_PART="pack-high-teacher")
    pids = tmp_path / "pids"
    wait_for(lambda: len(list(pids.iterdir())) == 2 and len(list((out / "pack").glob("*.docx"))) == 2)
    assert part_path(out / "pack" / "pack-high-teacher.docx").is_file()
    sent = time.monotonic()
    build.send_signal(signum)
    stdout, stderr = build.communicate(timeout=30)
    took = time.monotonic() - sent
    assert build.returncode == code
    name = signal.Signals(signum).name
    assert stderr == (f"error: build stopped by {name}: 2 of 4 file(s) written and recorded in {out}/manifest.json, "
                      "no partial files left; build again to make the rest\n")
    assert took < 3, took
    wait_for(lambda: not any(alive(int(p.name)) for p in pids.iterdir()), 2)
    assert on_disk(out) == sorted(read_manifest(out)) == [f"pack/{stem}.docx" for stem in STEMS[:2]]
    assert verify(out) == 2


# 4. kill -9 leaves part files; the next build removes them ----------------------------------------

def test_part_files_of_a_killed_build_are_removed_by_the_next(make_pack, tmp_path: Path) -> None:
    folder, out = make_pack(), tmp_path / "dist"
    build = hooked(tmp_path, "build", str(folder), "--out", str(out), "--format", "docx", "--jobs", "2",
                   HANG_PART="pack-high-teacher")
    part = part_path(out / "pack" / "pack-high-teacher.docx")
    wait_for(part.is_file)
    build.kill()
    build.communicate(timeout=30)
    pids = tmp_path / "pids"
    wait_for(lambda: not any(alive(int(p.name)) for p in pids.iterdir()), 5)  # the workers died with it
    assert part.is_file()
    again = cli("build", str(folder), "--out", str(out), "--format", "docx", "--quiet")
    assert again.returncode == 0, again.stderr
    assert not list(out.rglob("*.part"))
    assert on_disk(out) == sorted(read_manifest(out)) == [f"pack/{stem}.docx" for stem in STEMS]
    assert verify(out) == 4


# 5. One build at a time into one folder ------------------------------------------------------------

def test_a_second_build_into_the_same_out_is_refused(make_pack, tmp_path: Path) -> None:
    folder, out = make_pack(), tmp_path / "dist"
    first = hooked(tmp_path, "build", str(folder), "--out", str(out), "--format", "docx", "--jobs", "2",
                   HANG="pack-high-teacher")
    wait_for(lambda: len(list((tmp_path / "pids").iterdir())) == 1)
    second = cli("build", str(folder), "--out", str(out), "--format", "docx", "--force")
    assert (second.returncode, second.stdout) == (2, "")
    assert second.stderr == (f"error: --out {out}: another build (pid {first.pid}) is writing into it; "
                             "wait for it to finish, or build into another --out folder\n")
    first.terminate()
    first.communicate(timeout=30)
    assert on_disk(out) == sorted(read_manifest(out)) == [f"pack/{stem}.docx" for stem in STEMS[:3]]
    after = cli("build", str(folder), "--out", str(out), "--format", "docx", "--quiet")  # the lock is gone with it
    assert after.returncode == 0, after.stderr
    assert on_disk(out) == sorted(read_manifest(out)) == [f"pack/{stem}.docx" for stem in STEMS]
    assert verify(out) == 4


# 6. verify: every file there is listed ----------------------------------------------------------------

def test_verify_fails_on_unlisted_and_part_files(make_pack, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    build_pack([make_pack()], out=out, formats=["docx"], levels=["high"])
    (out / ".teachpack.lock").touch()  # a build's lock file is not an output
    assert verify(out) == 2
    (out / "pack" / "extra.pdf").write_bytes(b"%PDF-1.7 not built by this build")
    (out / "pack" / ".pack-high-student.docx.part").write_bytes(b"half a file")
    bad = cli("verify", str(out))
    assert bad.returncode == 1
    assert bad.stderr.splitlines() == [
        f"error: {out}/pack/.pack-high-student.docx.part: a temporary file of an unfinished build; "
        f"build into {out} again (it removes them), or delete it",
        f"error: {out}/pack/extra.pdf: not in the manifest; delete it, or build it into {out} with teachpack build",
        f"error: 0 of 2 file(s) failed verification, and 2 file(s) in {out} are not in the manifest",
    ]


# 7. The input hash is what was really read ---------------------------------------------------------

def png(colour: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def rebuilt(folder: Path, out: Path, **options: object) -> list[str]:
    return sorted(p.name for p in build_pack([folder], out=out, **options).written)


def test_a_new_workspace_logo_makes_every_file_stale(make_pack, tmp_path: Path) -> None:
    folder = make_pack()
    (tmp_path / "teachpack.yaml").write_text("theme:\n  school: Hill School\n  logo: logo.png\n", encoding="utf-8")
    (tmp_path / "logo.png").write_bytes(png("red"))
    out, options = tmp_path / "dist", dict(levels=["high"], editions=["student"])
    assert len(rebuilt(folder, out, **options)) == 2
    assert rebuilt(folder, out, **options) == []
    (tmp_path / "logo.png").write_bytes(png("blue"))
    assert rebuilt(folder, out, **options) == ["pack-high-student.docx", "pack-high-student.pdf"]


@pytest.mark.parametrize("case", ["article", "asset", "template"])
def test_hidden_inputs_are_inputs(make_pack, tmp_path: Path, case: str) -> None:
    """`article: .drafts/article.md`, a picture in `.assets/`, a template `templates/.map.html`."""
    folder = make_pack(changes={"sections": None})
    article = (folder / "article.md").read_text(encoding="utf-8")
    if case == "article":
        (folder / ".drafts").mkdir()
        edited = folder / ".drafts" / "article.md"
        edited.write_text(article, encoding="utf-8")
        pack_file = folder / "pack.yaml"
        pack_file.write_text(pack_file.read_text(encoding="utf-8").replace("article: article.md",
                                                                           "article: .drafts/article.md"))
        (folder / "article.md").unlink()
        edit = lambda: edited.write_text(article + "\nClouds are made of droplets.\n", encoding="utf-8")  # noqa: E731
    elif case == "asset":
        (folder / ".assets").mkdir()
        picture = folder / ".assets" / "map.png"
        picture.write_bytes(png("green"))
        (folder / "article.md").write_text(article + "\n![A map of the basin](.assets/map.png)\n", encoding="utf-8")
        edit = lambda: picture.write_bytes(png("yellow"))  # noqa: E731
    else:
        templates = tmp_path / "templates"
        templates.mkdir()
        (templates / "worksheet.html").write_text(
            '{% extends "builtin/worksheet.html" %}{% block name_line %}{% include ".map.html" %}{% endblock %}',
            encoding="utf-8")
        hidden = templates / ".map.html"
        hidden.write_text("<p>Name and class</p>", encoding="utf-8")
        edit = lambda: hidden.write_text("<p>Name, class and period</p>", encoding="utf-8")  # noqa: E731
    out, options = tmp_path / "dist", dict(levels=["high"], editions=["student"], formats=["pdf"])
    assert rebuilt(folder, out, **options) == ["pack-high-student.pdf"]
    assert rebuilt(folder, out, **options) == []
    edit()
    assert rebuilt(folder, out, **options) == ["pack-high-student.pdf"]


@pytest.mark.parametrize("case", ["teachpack.yaml", "shadowing template"])
def test_a_new_file_where_the_build_looked_makes_it_stale(make_pack, tmp_path: Path, case: str) -> None:
    folder, out = make_pack(), tmp_path / "dist"
    options = dict(levels=["high"], editions=["student"], formats=["pdf"])
    assert rebuilt(folder, out, **options) == ["pack-high-student.pdf"]
    if case == "teachpack.yaml":
        (tmp_path / "teachpack.yaml").write_text("theme:\n  school: Hill School\n", encoding="utf-8")
    else:
        (tmp_path / "templates").mkdir()
        (tmp_path / "templates" / "worksheet.html").write_text(
            '{% extends "builtin/worksheet.html" %}{% block name_line %}<p>Name</p>{% endblock %}', encoding="utf-8")
    assert rebuilt(folder, out, **options) == ["pack-high-student.pdf"]
    assert rebuilt(folder, out, **options) == []


def test_a_changed_font_file_makes_the_pdf_and_the_docx_stale(make_pack, tmp_path: Path) -> None:
    """Fontconfig sees one folder holding a copy of DejaVu Sans: every PDF uses that file, and the DOCX
    embeds its ballot box from it. Changed, both are built again."""
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    font = fonts / "DejaVuSans.ttf"
    font.write_bytes(Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf").read_bytes())
    conf = tmp_path / "fonts.conf"
    conf.write_text(f'<?xml version="1.0"?><fontconfig><dir>{fonts}</dir>'
                    f"<cachedir>{tmp_path / 'fc-cache'}</cachedir></fontconfig>", encoding="utf-8")
    folder, out = make_pack(), tmp_path / "dist"
    common = ("build", str(folder), "--out", str(out), "--level", "high", "--edition", "student", "--jobs", "1")
    env = {"FONTCONFIG_FILE": str(conf)}
    first = cli(*common, **env)
    assert first.returncode == 0, first.stderr
    for name in ("pack/pack-high-student.pdf", "pack/pack-high-student.docx"):
        entry = read_manifest(out)[name]
        assert [v for k, v in entry.reads.items() if k.endswith(f"/{font.name}")] not in ([], [None])  # hashed
    assert "2 skipped" in cli(*common, **env).stdout
    font.write_bytes(font.read_bytes() + b"\0" * 64)  # same font, other bytes: a font update
    after = cli(*common, **env)
    assert after.returncode == 0, after.stderr
    assert after.stdout.count("built   ") == 2, after.stdout


def test_the_manifest_lists_what_each_job_read(make_pack, tmp_path: Path) -> None:
    folder, out = make_pack(), tmp_path / "dist"
    build_pack([folder], out=out, levels=["high"], editions=["student"])
    data = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    reads = {item["path"]: item["reads"] for item in data["outputs"]}
    pdf, docx = reads["pack/pack-high-student.pdf"], reads["pack/pack-high-student.docx"]
    for found in (pdf, docx):
        assert found["pack:pack.yaml"] is not None
        assert found["pack:article.md"] is not None
        assert found["pack:article.high.md"] is None  # looked for, absent
        assert found["workspace:teachpack.yaml"] is None  # the workspace has none yet
        assert not [path for path in found if str(tmp_path) in path]  # no machine's folders in a release file
    assert pdf["builtin-templates:worksheet.html"] is not None
    assert pdf["workspace:templates"] is None  # the workspace has no templates/ (yet)
    assert any(path.endswith((".ttf", ".otf")) for path in pdf)
    assert any(path.endswith((".ttf", ".otf")) for path in docx)  # the fonts its timeline picture is drawn in
    assert docx["builtin-templates:timeline.svg"] is not None


def test_a_workspace_moved_elsewhere_is_still_up_to_date(make_pack, tmp_path: Path) -> None:
    """The manifest names reads relative to the pack, the workspace and the built-ins: a checkout
    (or a CI cache) restored at another path needs no rebuild."""
    import shutil

    folder = make_pack()
    build_pack([folder], out=tmp_path / "dist", levels=["high"], editions=["student"])
    moved = tmp_path.parent / f"{tmp_path.name}-moved"
    shutil.copytree(tmp_path, moved, symlinks=True)
    again = build_pack([moved / "pack"], out=moved / "dist", levels=["high"], editions=["student"])
    assert again.written == [] and len(again.skipped) == 2
    article = moved / "pack" / "article.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nRain falls again.\n", encoding="utf-8")
    changed = build_pack([moved / "pack"], out=moved / "dist", levels=["high"], editions=["student"])
    assert len(changed.written) == 2


@pytest.mark.slow
def test_an_up_to_date_rebuild_of_the_example_is_fast(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    build_pack([EXAMPLE], out=out, jobs=2)
    code = ("import sys, time; t = time.perf_counter(); from builder import build_pack; "
            f"r = build_pack([{str(EXAMPLE)!r}], out={str(out)!r}, jobs=2); "
            "print(len(r.written), len(r.skipped), round(time.perf_counter() - t, 3), "
            "any(m.startswith('weasyprint') for m in sys.modules))")
    again = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=ENV, cwd=REPO)
    assert again.returncode == 0, again.stderr
    written, skipped, seconds, weasyprint = again.stdout.split()
    assert (written, skipped, weasyprint) == ("0", "12", "False")
    assert float(seconds) < 1.0, seconds
