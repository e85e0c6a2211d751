"""Every import error, pinned word for word: one line, exit code 2, nothing written."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest

from builder.core.errors import TeachpackError
from builder.importer import import_source

from .conftest import ROOTS


def broken_xml_docx() -> bytes:
    """A real .docx whose document.xml was cut short."""
    buffer = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("Some text.")
    document.save(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as old, zipfile.ZipFile(out, "w") as new:
        for item in old.infolist():
            data = old.read(item)
            new.writestr(item, data[:200] if item.filename == "word/document.xml" else data)
    return out.getvalue()


def zip_without_document() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "not a word file")
    return out.getvalue()


CASES = [
    ("empty.txt", b"  \n\n ", None, "empty.txt: is empty; give the file that holds the article's text"),
    ("binary.txt", b"GIF89a\x01\x00\x01\x00\x00\xff", None,
     "binary.txt: is not a text file (binary data at byte 6); save the article as .txt, .md, .html or .docx"),
    ("slides.pdf", b"%PDF-1.4", None,
     "slides.pdf: unsupported file type '.pdf'; save it as .txt, .md, .html or .docx, or name its format with "
     "--format txt|md|html|docx"),
    ("notes", b"text", None,
     "notes: unsupported file type without an extension; save it as .txt, .md, .html or .docx, or name its format "
     "with --format txt|md|html|docx"),
    ("notes.txt", b"text", "rtf", "--format 'rtf' is not supported; choose from txt, md, html, docx"),
    ("word.docx", b"this is plain text, not a package", None,
     "word.docx: is not a Word document (not a .docx package); open it in Word or LibreOffice and save it again "
     "as .docx"),
    ("zipped.docx", zip_without_document(), None,
     "zipped.docx: is not a Word document (no word/document.xml inside); open it in Word or LibreOffice and save "
     "it again as .docx"),
    ("cut.docx", broken_xml_docx(), None,
     "cut.docx: is damaged (XMLSyntaxError); open it in Word or LibreOffice and save it again as .docx"),
    ("menu.txt", b"[Home] [About] [Contact]\nReturn to the main page\n", None,
     "menu.txt: holds only navigation and page furniture, no article text; check that it is the right file"),
    ("blank.html", b"<html><head><title>x</title></head><body><script>var a = 1;</script></body></html>", None,
     "blank.html: has no article text; check that it is the right file"),
]


@pytest.mark.parametrize("name,data,fmt,message", CASES, ids=[c[0] for c in CASES])
def test_bad_source(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, data: bytes, fmt: str | None,
                    message: str) -> None:
    monkeypatch.chdir(tmp_path)
    Path(name).write_bytes(data)
    with pytest.raises(TeachpackError) as caught:
        import_source(Path(name), Path("pack"), fmt=fmt)
    assert str(caught.value) == message
    assert not Path("pack").exists()


def test_missing_source(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(TeachpackError, match="^gone.txt: not found; check the path$"):
        import_source(Path("gone.txt"), Path("pack"))


def test_into_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("pack").write_text("x", encoding="utf-8")
    with pytest.raises(TeachpackError, match="^pack: is a file; give a folder for --into$"):
        import_source(ROOTS / "import-txt" / "nav-and-dates.txt", Path("pack"))


def test_existing_pack_refused_without_force(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("pack").mkdir()
    Path("pack/pack.yaml").write_text("title: Mine\n", encoding="utf-8")
    with pytest.raises(TeachpackError) as caught:
        import_source(ROOTS / "import-txt" / "nav-and-dates.txt", Path("pack"))
    assert str(caught.value) == ("pack: already holds a pack (pack.yaml); import into a new folder, add --update to "
                                 "refresh what was drafted and keep your edits, or --force to replace its pack.yaml, "
                                 "article.md and import report")
    assert sorted(p.name for p in Path("pack").iterdir()) == ["pack.yaml"]
    assert Path("pack/pack.yaml").read_text(encoding="utf-8") == "title: Mine\n"


def test_cli_error_is_one_line_exit_2(tmp_path: Path) -> None:
    (tmp_path / "word.docx").write_bytes(b"not a zip")
    result = subprocess.run([sys.executable, "-m", "builder", "import", "word.docx", "--into", "pack"], cwd=tmp_path,
                            capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stderr == ("error: word.docx: is not a Word document (not a .docx package); open it in Word or "
                             "LibreOffice and save it again as .docx\n")
    assert result.stdout == "" and not (tmp_path / "pack").exists()


def test_a_bug_is_one_line_not_a_traceback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    """An error of ours, not the user's: one line that says so, exit 70; TEACHPACK_DEBUG=1 shows the traceback."""
    import builder.importer
    from builder.cli import main

    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(builder.importer, "import_source", broken)
    source = tmp_path / "a.txt"
    source.write_text("Dunes\n\nSand moves.\n", encoding="utf-8")
    monkeypatch.setattr("sys.argv", ["teachpack", "import", str(source), "--into", str(tmp_path / "p")])
    monkeypatch.delenv("TEACHPACK_DEBUG", raising=False)
    with pytest.raises(SystemExit) as stopped:
        main()
    assert stopped.value.code == 70
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: teachpack failed inside (RuntimeError: boom at ")
    assert "this is a bug" in lines[0] and "Traceback" not in lines[0]
    monkeypatch.setenv("TEACHPACK_DEBUG", "1")
    with pytest.raises(RuntimeError):
        main()
