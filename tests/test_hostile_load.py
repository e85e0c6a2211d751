"""Hostile packs against the load stage (issue 11): every file read through files.py, YAML and
corrections bounded before they expand, no traceback from odd values, pictures checked, Unicode
image names. Each case through the real command line: the message word for word, exit 2, nothing
written. The cases that used to crash or eat gigabytes run in a child process under a memory limit."""

from __future__ import annotations

import io
import os
import resource
import struct
import subprocess
import sys
import time
import zlib
from pathlib import Path

import docx
import pytest
from PIL import Image

from builder.core import files
from builder.load.loader import load_pack

from .conftest import REPO
from .test_bad_inputs import BUILD, PNG, run
from .test_bad_inputs import files as listing

MEMORY = 1 << 31  # 2 GB of address space for a child build: the old alias and corrections bombs needed 3 GB


def append(folder: Path, text: str) -> None:
    path = folder / "pack.yaml"
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def replace(folder: Path, old: str, new: str) -> None:
    path = folder / "pack.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def line_of(folder: Path, start: str) -> int:
    lines = (folder / "pack.yaml").read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if line.startswith(start))


def refused(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], folder: Path,
            *extra: str) -> list[str]:
    """The error lines of a build that must exit 2 and write nothing."""
    code, lines = run(monkeypatch, capsys, folder.parent, *BUILD, *extra)
    assert code == 2, lines
    assert listing(folder.parent / "dist") == []
    return lines


def run_child(cwd: Path, *args: str) -> tuple[int, list[str], float]:
    """`teachpack ARGS` in a child process with at most MEMORY of address space: exit code (139 is
    a segfault), stderr lines, seconds."""
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))

    start = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "builder", *args], cwd=cwd, capture_output=True, text=True,
                          preexec_fn=limit, timeout=300, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert "Traceback" not in done.stderr, done.stderr[-2000:]
    code = done.returncode if done.returncode >= 0 else 128 - done.returncode
    return code, done.stderr.splitlines(), time.monotonic() - start


# 1. Every read goes through files.py --------------------------------------------------------------

def test_level_rewrite_linked_to_proc_environ_is_refused(make_pack, monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    """article.high.md -> /proc/self/environ used to print the CI's secrets into the PDF."""
    folder = make_pack(changes={"sections": None})
    monkeypatch.setenv("CI_DEPLOY_TOKEN", "s3cr3t-token")
    (folder / "article.high.md").symlink_to("/proc/self/environ")
    lines = refused(monkeypatch, capsys, folder)
    assert lines == ["error: pack/article.high.md: is outside the folders teachpack may read (pack/), or links out "
                     "of them; copy the file into the pack folder"]
    assert "s3cr3t" not in "".join(lines)


@pytest.mark.parametrize("target", ["pack.yaml", "article.md"])
def test_pack_files_linked_to_proc_are_refused(make_pack, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str], target: str) -> None:
    folder = make_pack(changes={"sections": None})
    (folder / target).unlink()
    (folder / target).symlink_to("/proc/self/environ")
    expected = {
        "pack.yaml": "error: pack/pack.yaml: is outside the folders teachpack may read (pack/), or links out of "
                     "them; copy the file into the pack folder",
        "article.md": "error: pack/pack.yaml:6: article: 'article.md' is outside the pack folder; move the article "
                      "into pack/",
    }
    assert refused(monkeypatch, capsys, folder) == [expected[target]]


def test_level_rewrite_that_is_a_pipe_is_refused_without_hanging(make_pack, monkeypatch: pytest.MonkeyPatch,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    folder = make_pack(changes={"sections": None})
    os.mkfifo(folder / "article.high.md")
    assert refused(monkeypatch, capsys, folder) == [
        "error: pack/article.high.md: is not a regular file (a folder, pipe or device); give a file"]


def test_workspace_file_linked_out_is_refused(make_pack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    folder = make_pack(changes={"sections": None})
    outside = tmp_path.parent / f"{tmp_path.name}-secret.yaml"
    outside.write_text("theme: {school: Secret}\n")
    (tmp_path / "teachpack.yaml").symlink_to(outside)
    assert refused(monkeypatch, capsys, folder) == [
        f"error: teachpack.yaml: is outside the folders teachpack may read ({tmp_path.name}/), or links out of them; "
        "copy the file into the pack folder"]


def test_every_load_read_is_recorded(make_pack, monkeypatch: pytest.MonkeyPatch) -> None:
    """The input hash is made of what was read: pack.yaml, the article, a rewrite, the pictures, and
    the rewrites looked for but absent (so adding one makes the build stale)."""
    folder = make_pack(changes={"sections": None, "theme": {"logo": "logo.png"}},
                       article="## One\n\n![A map](map.png)\n")
    (folder / "map.png").write_bytes(PNG)
    (folder / "logo.png").write_bytes(PNG)
    (folder / "article.high.md").write_text("## One\n\nShorter.\n")
    monkeypatch.chdir(folder.parent)
    with files.recording() as log:
        load_pack(folder)
    real = folder.resolve()
    read = {Path(p).relative_to(real).as_posix(): digest is not None for p, digest in log.files.items()
            if Path(p).is_relative_to(real)}
    assert read == {"pack.yaml": True, "article.md": True, "article.high.md": True, "map.png": True,
                    "logo.png": True, "article.elementary.md": False}


# 2. YAML bounded before composition -----------------------------------------------------------------

def test_yaml_of_nested_brackets_is_refused_not_a_crash(make_pack) -> None:
    """100 KB of `[` made libyaml's composer recurse until the interpreter died (exit 139)."""
    folder = make_pack()
    (folder / "pack.yaml").write_text("[" * 100_000)
    code, lines, seconds = run_child(folder.parent, *BUILD)
    assert (code, lines) == (2, ["error: pack/pack.yaml:1: " + "[1]" * 51 + ": nesting deeper than 50 levels; "
                                 "flatten the file"])
    assert seconds < 20 and listing(folder.parent / "dist") == []


def test_yaml_alias_bomb_of_long_strings_is_refused_before_it_expands(make_pack) -> None:
    """200 KB whose aliases expand to 1 GB of text (3 GB of memory): refused at the alias that tips it."""
    folder = make_pack()
    replace(folder, "attribution: Written for the teachpack test suite.", 'attribution: &a "' + "water " * 28_000 + '"')
    replace(folder, 'sources:\n  - "Test Source, A. Water on Earth (2001)."',
            "sources: [" + ", ".join(["*a"] * 5500) + "]")
    assert 180_000 < (folder / "pack.yaml").stat().st_size < 210_000
    code, lines, seconds = run_child(folder.parent, *BUILD)
    assert (code, lines) == (2, [f"error: pack/pack.yaml:{line_of(folder, 'sources:')}: sources[17]: the aliases "
                                 "expand to more than 3,000,000 characters of text; remove the '*' aliases (write "
                                 "each value once)"])
    assert seconds < 20 and listing(folder.parent / "dist") == []


# 3. corrections within the article limit ------------------------------------------------------------

def test_corrections_that_would_outgrow_the_article_limit(make_pack) -> None:
    """One 0.5 MB correction used 2,000 times: 1 GB of text (2.9 GB of memory) before."""
    folder = make_pack(changes={"sections": None}, article="## One\n\n" + "teh word. " * 2000 + "\n")
    append(folder, 'corrections:\n  teh: "' + "why " * 125_000 + '"\n')
    code, lines, seconds = run_child(folder.parent, *BUILD)
    line = line_of(folder, "  teh:")
    assert (code, lines) == (2, [f"error: pack/pack.yaml:{line}: corrections.teh: used 2000 times in pack/article.md, "
                                 "it makes the text 1000.0 MB, over the 5 MB limit for an article; shorten the "
                                 "correction, or correct the article itself"])
    assert seconds < 20 and listing(folder.parent / "dist") == []


def test_corrections_within_the_limit_still_apply(make_pack, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = make_pack(changes={"sections": None, "corrections": {"teh": "the"}}, article="## One\n\nteh sea.\n")
    monkeypatch.chdir(folder.parent)
    assert load_pack(folder).article_text == "## One\n\nthe sea.\n"


# 4. No traceback from odd values --------------------------------------------------------------------

def _year_zero(folder: Path) -> None:
    replace(folder, '{date: "1687",', '{date: "0000-05",')


def _unquoted(date: str):
    return lambda folder: replace(folder, '{date: "1687",', "{date: " + date + ",")


CASES = [
    ("timeline-year-0", _year_zero,
     "pack/pack.yaml:{events}: timeline.events[1].date: '0000-05' has the year 0, which no calendar has; write a "
     "year from 1 to 9999"),
    ("unquoted-date-1687-02-30", _unquoted("1687-02-30"),
     "pack/pack.yaml:{events}: timeline.events[1].date: '1687-02-30' is not a real date; check the month and day, "
     "or quote it to keep it as text"),
    ("pack-date-2024-13-45", lambda f: append(f, "date: 2024-13-45\n"),
     "pack/pack.yaml:{last}: date: '2024-13-45' is not a real date; check the month and day, or quote it to keep it "
     "as text"),
    ("5000-digit-integer", lambda f: append(f, "format: " + "9" * 5000 + "\n"),
     "pack/pack.yaml:{last}: format: a number of 5000 digits is too long to read; give a shorter one, or quote it to "
     "keep it as text"),
    ("title-300-characters", lambda f: replace(f, "title: The Water Cycle", "title: " + "Tides " * 50),
     "pack/pack.yaml:1: title: is 299 characters long, over the 200 a line like this can take; shorten it"),
    ("subject-200000-letters", lambda f: replace(f, "subject: Science", "subject: " + "S" * 200_000),
     "pack/pack.yaml:3: subject: a word of 200000 characters without a space, over the 200 a line can lay out; "
     "break it up with spaces\n"
     "pack/pack.yaml:3: subject: is 200000 characters long, over the 200 a line like this can take; shorten it"),
    ("pack-id-149-characters", lambda f: append(f, "id: " + "-".join(["water"] * 25) + "\n"),
     "pack/pack.yaml:{last}: id: is 149 characters long, over the 100 a line like this can take; shorten it"),
    ("glossary-word-5000-letters", lambda f: replace(f, "definition: A layer of rock", "definition: " + "A" * 5000),
     "pack/pack.yaml:{aquifer}: glossary[3].definition: a word of 5000 characters without a space, over the 200 a "
     "line can lay out; break it up with spaces"),
    ("font-name-with-quote", lambda f: append(f, "theme: {fonts: {body: 'Evil\"Font'}}\n"),
     "pack/pack.yaml:{last}: theme.fonts.body: 'Evil\"Font' cannot be a font name; a font name has only letters, "
     "digits, spaces, hyphens, dots, underscores and '+', at most 100 characters"),
    ("profile-font-with-markup", lambda f: append(f, "profiles: {high: {docx_font: '<w:b/>'}}\n"),
     "pack/pack.yaml:{last}: profiles.high.docx_font: '<w:b/>' cannot be a font name; a font name has only letters, "
     "digits, spaces, hyphens, dots, underscores and '+', at most 100 characters"),
]


@pytest.mark.parametrize("name,change,expected", CASES, ids=[c[0] for c in CASES])
def test_odd_values_are_one_line_each(make_pack, monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str], name: str, change, expected: str) -> None:
    folder = make_pack()  # pack.yaml as written, so a case can change its text
    events, aquifer = line_of(folder, '    - {date: "1687"'), line_of(folder, "    definition: A layer of rock")
    change(folder)
    where = {"events": events, "aquifer": aquifer, "last": len((folder / "pack.yaml").read_text().splitlines())}
    started = time.monotonic()
    assert refused(monkeypatch, capsys, folder) == ["error: " + line for line in expected.format(**where).split("\n")]
    assert time.monotonic() - started < 20


@pytest.mark.parametrize("level", ["year/7", "y" * 300])
def test_level_names_must_be_file_name_parts(make_pack, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str], level: str) -> None:
    folder = make_pack(changes={"sections": None, "levels": ["elementary", level],
                                "profiles": {level: {"based_on": "high"}}})
    shown = level[:60]
    assert (f"error: pack/pack.yaml:{line_of(folder, 'profiles:') + 1}: profiles.{level}: '{shown}' cannot be a "
            "level name (it is part of the file names); use lowercase letters, digits and hyphens, at most 40 "
            "characters, like year-7") in refused(monkeypatch, capsys, folder)


# 5. Word lengths capped for layout ------------------------------------------------------------------

@pytest.mark.parametrize("where", ["article.md", "article.high.md"])
def test_a_word_too_long_to_lay_out(make_pack, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                                    where: str) -> None:
    """WeasyPrint breaks an over-long word in time growing with the cube of its length (20,000
    letters: 36 s): words are capped at 200 characters."""
    folder = make_pack(changes={"sections": None})
    (folder / where).write_text("## Evaporation\n\nThe sun " + "x" * 5000 + " warms " + "y" * 300 + " the sea.\n")
    assert refused(monkeypatch, capsys, folder) == [
        f"error: pack/{where}:3: a word of 5000 characters without a space (1 more after it), over the 200 a line "
        "can lay out; break it up with spaces (a web address can be a link: [label](https://…))"]


def test_long_link_addresses_are_not_words(make_pack, monkeypatch: pytest.MonkeyPatch) -> None:
    long_address = "https://example.org/" + "a" * 400
    folder = make_pack(changes={"sections": None}, article=f"## One\n\nSee [the archive]({long_address}).\n")
    monkeypatch.chdir(folder.parent)
    assert load_pack(folder).warnings == ()


# 6. Pictures are checked, not dropped ---------------------------------------------------------------

def huge_png(width: int, height: int) -> bytes:
    """A valid black-and-white PNG of width x height, made row by row (it compresses to ~200 KB)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    packer, row, parts = zlib.compressobj(9), b"\0" * (1 + (width + 7) // 8), []
    for _ in range(height):
        parts.append(packer.compress(row))
    parts.append(packer.flush())
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", b"".join(parts)) + chunk(b"IEND", b"")


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.radial_gradient("L").resize((400, 300)).save(out, "JPEG")
    return out.getvalue()


PICTURES = [
    ("40000x40000-png", lambda: huge_png(40_000, 40_000),
     "image 'map.png' is 40000×40000 pixels (1600 megapixels), over the 50-megapixel limit, so the PDF may leave it "
     "out; make it smaller (a printed page needs about 2500×3500 pixels), or raise TEACHPACK_MAX_IMAGE_MEGAPIXELS"),
    ("truncated-png", lambda: PNG[: len(PNG) // 2],
     "image 'map.png' is damaged or cut short ("),
    ("truncated-jpeg", lambda: jpeg()[:1500],
     "image 'map.png' is damaged or cut short ("),
]


@pytest.mark.parametrize("name,make,expected", PICTURES, ids=[p[0] for p in PICTURES])
def test_pictures_the_pdf_cannot_draw_are_warnings(make_pack, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str], name: str, make,
                                                   expected: str) -> None:
    folder = make_pack(changes={"sections": None}, article="## Evaporation\n\n![A map of the sea](map.png)\n")
    (folder / "map.png").write_bytes(make())
    code, lines = run(monkeypatch, capsys, folder.parent, "check", "pack")
    warned = [line for line in lines if "image 'map.png'" in line]
    assert code == 0 and len(warned) == 1 and warned[0].startswith("warning: TP405 pack/article.md:3: " + expected)
    if name != "40000x40000-png":
        assert warned[0].endswith(", so the PDF would print it incomplete or leave it out; save the picture again "
                                  "(or export it again as PNG)")
    lines = refused(monkeypatch, capsys, folder, "--strict")
    assert [line for line in lines if "image 'map.png'" in line] == ["error:" + warned[0].removeprefix("warning:")]


def test_the_pixel_limit_can_be_raised(make_pack, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = make_pack(changes={"sections": None}, article="## Evaporation\n\n![A map of the sea](map.png)\n")
    (folder / "map.png").write_bytes(huge_png(8000, 8000))
    monkeypatch.chdir(folder.parent)
    assert [w.message.split(",")[0] for w in load_pack(folder).warnings] == [
        "image 'map.png' is 8000×8000 pixels (64 megapixels)"]
    monkeypatch.setenv("TEACHPACK_MAX_IMAGE_MEGAPIXELS", "70")
    assert load_pack(folder).warnings == ()


def test_a_huge_logo_is_a_warning_too(make_pack, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = make_pack(changes={"sections": None, "theme": {"logo": "logo.png"}})
    (folder / "logo.png").write_bytes(huge_png(10_000, 10_000))
    monkeypatch.chdir(folder.parent)
    [warning] = load_pack(folder).warnings
    assert str(warning).startswith(f"TP405 pack/pack.yaml:{line_of(folder, 'theme:') + 1}: theme.logo: 'logo.png' is "
                                   "10000×10000 pixels (100 megapixels), over the 50-megapixel limit")


# 7. Unicode and spaces in image names ---------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("written,name", [("images/carte-é.png", "carte-é.png"),
                                          ("<images/mapa del río.png>", "mapa del río.png")])
def test_image_names_with_accents_and_spaces(make_pack, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str], written: str, name: str) -> None:
    folder = make_pack(changes={"sections": None}, article=f"## Evaporation\n\n![A map of the sea]({written})\n")
    (folder / "images").mkdir()
    (folder / "images" / name).write_bytes(PNG)
    code, lines = run(monkeypatch, capsys, folder.parent, *BUILD)
    assert (code, [line for line in lines if "image" in line]) == (0, [])
    shapes = docx.Document(folder.parent / "dist" / "pack" / "pack-high-student.docx").inline_shapes
    assert [s._inline.docPr.get("descr") for s in shapes].count("A map of the sea") == 1  # and the timeline's
    pdf = folder.parent / "dist" / "pack" / "pack-high-student.pdf"
    listed = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert [row.split()[2:5] for row in listed.splitlines()[2:]] == [["image", "360", "360"], ["smask", "360", "360"]]


@pytest.mark.parametrize("case", ["article-loop", "image-loop", "article-fifo-check", "reference-loop"])
def test_link_loops_and_pipes_are_one_line(make_pack, monkeypatch, capsys, case: str) -> None:
    """A symlink that leads back to itself, or a pipe where the article should be: one line, exit 2."""
    folder = make_pack()
    args: tuple[str, ...] = BUILD
    if case == "article-loop":
        text = (folder / "pack.yaml").read_text(encoding="utf-8").replace("article: article.md", "article: loop.md")
        (folder / "pack.yaml").write_text(text, encoding="utf-8")
        (folder / "loop.md").symlink_to("loop.md")
        expected = "error: pack/loop.md: is a link that leads back to itself (a loop); replace it with the file"
    elif case == "image-loop":
        with (folder / "article.md").open("a", encoding="utf-8") as article:
            article.write("\n![A map](images/loop.png)\n")
        (folder / "images").mkdir(exist_ok=True)
        (folder / "images" / "loop.png").symlink_to("loop.png")
        expected = "image 'images/loop.png': is a link that leads back to itself (a loop); replace it with the file"
    elif case == "article-fifo-check":
        (folder / "article.md").unlink()
        os.mkfifo(folder / "article.md")
        args = ("check", "pack")
        expected = "error: pack/article.md: is not a regular file (a folder, pipe or device); give a file"
    else:
        (folder.parent / "r.docx").symlink_to("r.docx")
        args = (*BUILD, "--format", "docx", "--reference-docx", "r.docx")
        expected = "error: --reference-docx r.docx: not found; give a .docx file"
    code, lines = run(monkeypatch, capsys, folder.parent, *args)
    assert code == 2 and len(lines) == 1, lines
    assert lines[0].endswith(expected), lines
    assert not (folder.parent / "dist").exists()


@pytest.mark.parametrize(("option", "expected"), [
    ("--templates", "error: --templates {loop}: not a folder; give a folder of templates"),
    ("--workspace", "error: loop: --workspace is not a folder; give the folder holding teachpack.yaml and templates/"),
])
def test_option_folders_that_are_link_loops(make_pack, monkeypatch, capsys, option: str, expected: str) -> None:
    folder = make_pack()
    (folder.parent / "loop").symlink_to("loop")
    code, lines = run(monkeypatch, capsys, folder.parent, *BUILD, option, "loop")
    assert (code, lines) == (2, [expected.format(loop=folder.parent / "loop")])


def test_eject_to_a_file_is_one_line(tmp_path: Path, monkeypatch, capsys) -> None:
    (tmp_path / "taken").write_text("not a folder", encoding="utf-8")
    code, lines = run(monkeypatch, capsys, tmp_path, "templates", "eject", "cover.html", "--to", "taken")
    assert (code, lines) == (2, ["error: --to taken: cannot copy templates there (File exists); give a folder"])
