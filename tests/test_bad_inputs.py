"""The bad-input catalogue (docs/bad-inputs.md): cases not pinned elsewhere, each through the real
command line: the message word for word, the exit code, no traceback, nothing partial written."""

from __future__ import annotations

import errno
import io
import os
import sys
from pathlib import Path

import docx
import pypdf
import pytest

from builder import cli

from .conftest import REPO

PNG = (REPO / "examples" / "district-theme" / "logo.png").read_bytes()


def run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], cwd: Path,
        *args: str) -> tuple[int, list[str]]:
    """`teachpack ARGS` in this process (so tests can break the environment): exit code, stderr lines."""
    monkeypatch.chdir(cwd)
    monkeypatch.setattr(sys, "argv", ["teachpack", *args])
    with pytest.raises(SystemExit) as leaving:
        cli.main()
        sys.exit(0)
    err = capsys.readouterr().err
    assert "Traceback" not in err
    code = leaving.value.code
    return (code if isinstance(code, int) else 0), err.splitlines()


def files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*")) if folder.exists() else []


BUILD = ("build", "pack", "--out", "dist", "--jobs", "1", "--level", "high", "--edition", "student")


def with_article(folder: Path, text: str | bytes) -> None:
    path = folder / "article.md"
    path.write_bytes(text) if isinstance(text, bytes) else path.write_text(text, encoding="utf-8")


# (id, what to do to the pack, extra CLI arguments, exit code, the first stderr lines)
CASES = [
    ("yaml-too-large", lambda f: (f / "pack.yaml").write_text((f / "pack.yaml").read_text() + "#" * 1_100_000),
     (), 2, ["error: pack/pack.yaml: is 1.1 MB, over the 1 MB limit for a settings file; make it smaller, or raise "
             "TEACHPACK_MAX_YAML_MB"]),
    ("yaml-too-deep", lambda f: (f / "pack.yaml").write_text("title: " + "[" * 60 + "]" * 60 + "\n"),
     (), 2, ["error: pack/pack.yaml:1: title[1][1][1][1][1][1][1][1][1][1][1][1][1][1][1][1][1][1][1][1][1][1][1][1]"
             "[1][1][1][1][1][1][1][1][1][1][1][1][1][1][1][1][1][1][1][1][1][1][1][1][1][1]: nesting deeper than 50 "
             "levels; flatten the file"]),
    ("yaml-not-utf8", lambda f: (f / "pack.yaml").write_bytes(b"title: caf\xe9\n"),
     (), 2, ["error: pack/pack.yaml: is not UTF-8 text (byte 10); save it as UTF-8"]),
    ("yaml-control-character", lambda f: (f / "pack.yaml").write_text("title: Water\x08Cycle\n"),
     (), 2, ["error: pack/pack.yaml:1: invalid YAML: character U+0008 is not allowed in a YAML file; remove it"]),
    ("article-not-utf8", lambda f: with_article(f, b"## One\n\ncaf\xe9\n"),
     (), 2, ["error: pack/article.md: is not UTF-8 text (byte 11); save it as UTF-8"]),
    ("article-too-large", lambda f: with_article(f, "## One\n\n" + "word " * 1_100_000),
     (), 2, ["error: pack/article.md: is 5.5 MB, over the 5 MB limit for an article; make it smaller, or raise "
             "TEACHPACK_MAX_ARTICLE_MB"]),
    ("article-symlink-out", lambda f: ((f / "article.md").unlink(), (f / "article.md").symlink_to(f.parent / "x.md")),
     (), 2, ["error: pack/pack.yaml:6: article: 'article.md' is outside the pack folder; move the article into pack/"]),
    ("image-not-a-picture", lambda f: (with_article(f, "## One\n\n![Map](map.png)\n"),
                                       (f / "map.png").write_text("<svg/>")),
     (), 2, ["error: pack/article.md:3: image 'map.png' is not a PNG, JPEG or GIF picture (another format, or a "
             "damaged file), which both the PDF and Word can show; save it as PNG or JPEG"]),
    ("image-too-large", lambda f: (with_article(f, "## One\n\n![Map](map.png)\n"),
                                   (f / "map.png").write_bytes(PNG + bytes(21_000_000))),
     (), 2, ["error: pack/article.md:3: image 'map.png' is 21.0 MB, over the 20 MB limit for an image; make it "
             "smaller, or raise TEACHPACK_MAX_IMAGE_MB"]),
    ("logo-not-a-picture", lambda f: ((f / "logo.gif").write_text("GIF? no"),
                                      (f / "pack.yaml").write_text((f / "pack.yaml").read_text()
                                                                   + "theme: {logo: logo.gif}\n")),
     (), 2, ["error: pack/pack.yaml:66: theme.logo: 'logo.gif' is not a PNG, JPEG or GIF picture (another format, "
             "or a damaged file), which both the PDF and Word can show; save it as PNG or JPEG"]),
    ("bad-limit-variable", lambda f: os.environ.__setitem__("TEACHPACK_MAX_ARTICLE_MB", "lots"),
     (), 2, ["error: TEACHPACK_MAX_ARTICLE_MB='lots' is not a size; give megabytes, e.g. 5"]),
    ("pdf-variant", lambda f: None, ("--pdf-variant", "pdf/x"),
     2, ["error: --pdf-variant 'pdf/x' is not supported; choose from pdf/ua-1, pdf/ua-2, none"]),
    ("variants", lambda f: None, ("--variants", "99"),
     2, ["error: --variants 99 is out of range; give a number from 1 to 26"]),
    ("templates-not-a-folder", lambda f: None, ("--templates", "nowhere"),
     2, ["error: --templates {cwd}/nowhere: not a folder; give a folder of templates"]),
    ("reference-docx-missing", lambda f: None, ("--reference-docx", "gone.docx"),
     2, ["error: --reference-docx gone.docx: not found; give a .docx file"]),
    ("workspace-not-a-folder", lambda f: None, ("--workspace", "nowhere"),
     2, ["error: nowhere: --workspace is not a folder; give the folder holding teachpack.yaml and templates/"]),
    ("damaged-manifest", lambda f: ((f.parent / "dist").mkdir(), (f.parent / "dist" / "manifest.json").write_text("{")),
     (), 2, ["error: dist/manifest.json: not a teachpack manifest (Expecting property name enclosed in double quotes: "
             "line 1 column 2 (char 1)); delete it to rebuild everything"]),
    ("strict-missing-font", lambda f: (f / "pack.yaml").write_text((f / "pack.yaml").read_text()
                                                                   + "theme: {fonts: {body: Nonesuch Sans}}\n"),
     ("--strict",), 2, ["error: TP403 pack/pack.yaml: font 'Nonesuch Sans' is not installed, so the PDF uses DejaVu Sans "
                        "instead; install it (./setup.sh installs the built-in ones) or choose another"]),
]


@pytest.mark.parametrize("name,change,extra,code,expected", CASES, ids=[c[0] for c in CASES])
def test_catalogue_case(make_pack, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], name: str,
                        change, extra: tuple[str, ...], code: int, expected: list[str]) -> None:
    folder = make_pack(changes={"sections": None})
    monkeypatch.setenv("TEACHPACK_MAX_ARTICLE_MB", "5")  # restored after the test, whatever `change` sets
    change(folder)
    before = [p for p in files(folder.parent) if p.startswith("dist")]
    got, lines = run(monkeypatch, capsys, folder.parent, *BUILD, *extra)
    if name == "strict-missing-font":
        lines = [line for line in lines if "font 'Nonesuch Sans'" in line]
        assert got == code
    assert (got, lines[: len(expected)]) == (code, [e.format(cwd=folder.parent.resolve()) for e in expected])
    assert [p for p in files(folder.parent) if p.startswith("dist")] == before  # nothing written


def test_control_characters_bom_and_crlf_are_cleaned_with_warnings(make_pack, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    folder = make_pack(changes={"sections": None})
    (folder / "pack.yaml").write_text((folder / "pack.yaml").read_text().replace(
        "title: The Water Cycle", 'title: "The Water\\0 Cycle\\x07"'), encoding="utf-8")
    with_article(folder, "\ufeff## One\r\n\r\nRain\x0b falls\x00 and\ufeff flows.\r\nمرحبا e\u0301 "
                 + "x" * 200 + "\r\n\r\n## Two\rText.\n")  # 200: the longest word allowed
    code, lines = run(monkeypatch, capsys, folder.parent, *BUILD)
    assert code == 0
    assert [line for line in lines if "removed" in line] == [
        "warning: TP001 pack/pack.yaml:1: title: removed 2 character(s) that cannot be printed or saved in Word "
        "(U+0000, U+0007); check the text there",
        "warning: TP001 pack/article.md:3: removed 3 character(s) that cannot be printed or saved in Word "
        "(U+000B, U+0000, U+FEFF); check the text there",
    ]
    out = folder.parent / "dist" / "pack"
    document = docx.Document(out / "pack-high-student.docx")
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Rain falls and flows." in text and "مرحبا" in text and "e\u0301" in text
    assert document.core_properties.title == "The Water Cycle"
    reader = pypdf.PdfReader(out / "pack-high-student.pdf")
    assert len(reader.pages) >= 3 and "Rain falls" in "".join(page.extract_text() for page in reader.pages)


def test_links_a_handout_cannot_follow(make_pack, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    folder = make_pack(changes={"sections": None})
    with_article(folder, "## One\n\nSee [notes](notes.md), <ftp://example.org/a> and [the web](https://example.org).\n")
    code, lines = run(monkeypatch, capsys, folder.parent, "check", "pack")
    assert code == 0
    assert [line for line in lines if "link" in line] == [
        "warning: TP002 pack/article.md:3: link 'notes.md' is not an http, https or mailto address; it prints as plain "
        "text (give the full web address to keep it)",
        "warning: TP002 pack/article.md:3: link 'ftp://example.org/a' is not an http, https or mailto address; it prints "
        "as plain text (give the full web address to keep it)",
    ]


def test_characters_the_fonts_cannot_draw(make_pack, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    folder = make_pack(changes={"sections": None})
    with_article(folder, "## One\n\nMao Zedong (毛泽东) met Khrushchev.\n")
    code, lines = run(monkeypatch, capsys, folder.parent, "check", "pack")
    assert code == 0
    drawn = [line for line in lines if "cannot draw" in line]
    assert drawn and drawn[0].startswith("warning: TP404 pack/article.md:3: Andika cannot draw 毛 泽 东; ")
    assert drawn[0].endswith(" has them: add it to theme: fonts: fallback: in pack.yaml") or "install one" in drawn[0]
    font = drawn[0].split("; ")[1].split(" has them")[0]
    (folder / "pack.yaml").write_text((folder / "pack.yaml").read_text() + f"theme: {{fonts: {{fallback: [{font}]}}}}\n")
    code, lines = run(monkeypatch, capsys, folder.parent, "check", "pack")
    assert code == 0 and not [line for line in lines if "cannot draw" in line]


@pytest.mark.parametrize("where", ["read-only", "disk-full"])
def test_unwritable_output(make_pack, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                           where: str) -> None:
    """A read-only folder or a full disk: exit 1, one line per file, the old file intact, no partial file."""
    from builder.release import write

    folder = make_pack(changes={"sections": None})
    code, _ = run(monkeypatch, capsys, folder.parent, *BUILD, "--format", "docx")
    target = folder.parent / "dist" / "pack" / "pack-high-student.docx"
    before = target.read_bytes()
    if where == "read-only":
        def refuse(*args: object, **kwargs: object) -> tuple[int, str]:
            raise OSError(errno.EROFS, os.strerror(errno.EROFS))

        monkeypatch.setattr(write, "_create", refuse)
        expected = ("error: pack-high-student.docx: dist/pack: cannot write here (Read-only file system); "
                    "choose another --out folder")
    else:
        class Full(io.BytesIO):
            def write(self, data: object) -> int:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        real = os.fdopen
        monkeypatch.setattr(write.os, "fdopen", lambda fd, mode, *args, **kwargs: (  # os is shared: reads go on
            (real(fd, mode).close(), Full())[1] if "w" in mode else real(fd, mode, *args, **kwargs)))
        expected = ("error: pack-high-student.docx: dist/pack/pack-high-student.docx: could not be written (No space "
                    "left on device); nothing was changed")
    code, lines = run(monkeypatch, capsys, folder.parent, *BUILD, "--format", "docx", "--force")
    assert (code, lines) == (1, [expected])
    assert target.read_bytes() == before
    assert files(target.parent) == ["pack-high-student.docx"]


def test_missing_pango(make_pack, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """WeasyPrint cannot load Pango: exit 1 before anything is written, with the fix."""
    import builtins

    real_import = builtins.__import__

    def no_pango(name: str, *args: object, **kwargs: object) -> object:
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0': libpango-1.0-0: cannot open shared object file")
        return real_import(name, *args, **kwargs)

    folder = make_pack(changes={"sections": None})
    monkeypatch.setattr(builtins, "__import__", no_pango)
    code, lines = run(monkeypatch, capsys, folder.parent, *BUILD)
    assert (code, lines) == (1, [
        "error: cannot make PDFs: WeasyPrint did not load (cannot load library 'libpango-1.0-0': libpango-1.0-0: "
        "cannot open shared object file); install Pango with ./setup.sh (apt-get install libpango-1.0-0 "
        "libpangoft2-1.0-0), or build --format docx"
    ])
    assert files(folder.parent / "dist") == []
    # The DOCX's timeline picture is drawn as the PDF draws it: without Pango, only a DOCX with no timeline.
    code, lines = run(monkeypatch, capsys, folder.parent, *BUILD, "--format", "docx")
    assert (code, lines) == (1, [
        "error: cannot draw the DOCX's timeline picture: WeasyPrint did not load (cannot load library "
        "'libpango-1.0-0': libpango-1.0-0: cannot open shared object file); install Pango with ./setup.sh "
        "(apt-get install libpango-1.0-0 libpangoft2-1.0-0), or leave the timeline out of `contents:`"
    ])
    assert files(folder.parent / "dist") == []
    text = (folder / "pack.yaml").read_text(encoding="utf-8")
    assert "\n- timeline\n" in text
    (folder / "pack.yaml").write_text(text.replace("\n- timeline\n", "\n"), encoding="utf-8")
    code, _ = run(monkeypatch, capsys, folder.parent, *BUILD, "--format", "docx")
    assert code == 0  # a DOCX without a timeline needs no Pango


def test_missing_pdftoppm(make_pack, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """poppler's pdftoppm rasterises the DOCX's timeline picture: without it, exit 1 before anything is written."""
    from builder.render.pdf import raster

    folder = make_pack()
    monkeypatch.setattr(raster.shutil, "which", lambda name: None)
    code, lines = run(monkeypatch, capsys, folder.parent, *BUILD, "--format", "docx")
    assert (code, lines) == (1, ["error: cannot draw the DOCX's timeline picture: poppler's pdftoppm is not "
                                 "installed; install poppler-utils (./setup.sh, or apt-get install poppler-utils)"])
    assert files(folder.parent / "dist") == []


def test_output_folder_cannot_be_created(make_pack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    """An --out that cannot exist: one line and exit 2 before anything is rendered."""
    folder = make_pack()
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    code, lines = run(monkeypatch, capsys, folder.parent, "build", str(folder), "--out", str(blocker / "dist"),
                      "--jobs", "1")
    assert (code, lines) == (2, [f"error: --out {blocker / 'dist'}: cannot create the folder (Not a directory); "
                                 "choose another --out folder"])
