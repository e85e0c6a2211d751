"""`teachpack import` on hostile sources: it reads only the source, within limits, in linear time.

Each case here broke before: a FIFO, a /proc file or a huge file as the source; pictures named
outside the source's folder (copied into the shared draft); a DOCX zip bomb (845 MB of memory, a
401 MB picture written); unclosed `<!--` and `<script` (quadratic regexes, 64-118 s for 300 KB).
"""

from __future__ import annotations

import base64
import functools
import gc
import io
import os
import random
import struct
import subprocess
import sys
import time
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import docx
import pytest

from builder.check.spelling import check_spelling
from builder.core.errors import TeachpackError
from builder.importer import ImportResult, import_source, make_draft
from builder.importer.clean import find_repeats
from builder.importer.datefind import draft_timeline, find_dates
from builder.importer.draft import placeholder_png
from builder.importer.pictures import PictureRefused, local_picture
from builder.importer.readers import RawBlock, strip_tags
from builder.importer.sections import Section
from builder.importer.text import escape_markdown, sentences


@functools.cache
def grey_png(width: int, height: int, depth: int = 8) -> bytes:
    """A grey (or, at depth 1, black) PNG of any size, compressed row by row: a small file."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    packer, row = zlib.compressobj(9), b"\x00" + (b"\x80" if depth == 8 else b"\x00") * -(-width * depth // 8)
    raw = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, depth, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


SECRET = grey_png(3, 3)  # the private picture: its bytes must never reach the draft
INSIDE = placeholder_png(20, 10)
ARTICLE = ("The Danube is a long river in central Europe, and it flows east to the Black Sea. "
           "Many towns stand on its banks, and ships carry grain along it.")


def import_error(source: Path, into: Path, fmt: str | None = None) -> str:
    """The one-line message `import_source` refuses `source` with; nothing is written."""
    with pytest.raises(TeachpackError) as caught:
        import_source(source, into, fmt=fmt)
    assert "\n" not in str(caught.value)
    assert not into.exists()
    return str(caught.value)


# 1. The source itself: a regular file in its folder, within the size limit.

def test_fifo_source_is_one_line(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "page.html")
    message = import_error(tmp_path / "page.html", tmp_path / "pack")
    assert message == f"{tmp_path / 'page.html'}: is not a regular file (a folder, pipe or device); give a file"


def test_proc_source_is_refused(tmp_path: Path) -> None:
    assert import_error(Path("/proc/self/environ"), tmp_path / "pack", fmt="txt").startswith(
        "/proc/self/environ: is a system file (")
    (tmp_path / "notes.txt").symlink_to("/proc/self/environ")
    assert import_error(tmp_path / "notes.txt", tmp_path / "pack") == (
        f"{tmp_path / 'notes.txt'}: is outside the folders teachpack may read ({tmp_path.name}/), or links out of "
        "them; copy the file into the pack folder")


def test_source_over_the_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEACHPACK_MAX_SOURCE_MB", "0.001")
    (tmp_path / "long.txt").write_text("Title\n\n" + ARTICLE * 20, encoding="utf-8")
    assert import_error(tmp_path / "long.txt", tmp_path / "pack") == (
        f"{tmp_path / 'long.txt'}: is over the 0.001 MB limit for an article to import; make it smaller, or raise "
        "TEACHPACK_MAX_SOURCE_MB")


def test_cli_fifo_exit_2(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "page.html")
    result = subprocess.run([sys.executable, "-m", "builder", "import", "page.html", "--into", "pack"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr == "error: page.html: is not a regular file (a folder, pipe or device); give a file\n"
    assert not (tmp_path / "pack").exists()


# 2. Pictures: only from the source's folder (or its page_files/ folder) and data: URIs.

@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A source folder beside a private one, with a picture inside, a saved page's folder and links out."""
    (tmp_path / "private").mkdir()
    (tmp_path / "private" / "x.png").write_bytes(SECRET)
    folder = tmp_path / "site"
    (folder / "page_files").mkdir(parents=True)
    (folder / "ok.png").write_bytes(INSIDE)
    (folder / "page_files" / "inner.png").write_bytes(INSIDE)
    (folder / "link.png").symlink_to(tmp_path / "private" / "x.png")
    (folder / "huge.png").write_bytes(grey_png(12000, 12000, 1))  # 144 megapixels: Pillow warns
    (folder / "bomb.png").write_bytes(grey_png(20000, 20000, 1))  # 400 megapixels: Pillow raises
    (folder / "fake.png").write_bytes(b"GIF89a" + b"\x00" * 20)
    return folder


DATA_URI = "data:image/png;base64," + base64.b64encode(INSIDE).decode()
PICTURES = {  # address -> what the report says (None: copied)
    "ok.png": None,
    "page_files/inner.png": None,
    DATA_URI: None,
    "../private/x.png": "is outside the source's folder (or links out of it); copy the picture next to the source",
    "link.png": "is outside the source's folder (or links out of it); copy the picture next to the source",
    "{private}/x.png": "is an absolute path, outside the source's folder; copy the picture next to the source",
    "file://{private}/x.png": "is a file:// address, outside the source's folder; copy the picture next to the source",
    "https://example.org/x.png": "is on the web (the import never downloads); save the picture next to the source",
    "huge.png": "is 12000×12000 pixels (144 megapixels), over the 50-megapixel limit; make it smaller (a printed "
                "page needs about 2500×3500 pixels), or raise TEACHPACK_MAX_IMAGE_MEGAPIXELS",
    "bomb.png": "is 20000×20000 pixels (400 megapixels), over the 50-megapixel limit; make it smaller (a printed "
                "page needs about 2500×3500 pixels), or raise TEACHPACK_MAX_IMAGE_MEGAPIXELS",
    "fake.png": "is damaged or cut short (SyntaxError: image not found in GIF frame); save the picture again (or "
                "export it again as PNG)",
}


def addresses(site: Path, unseen: str) -> list[str]:
    """The picture addresses, but the one the format never gives as a picture: Markdown prints a
    file:// image as text, trafilatura drops an HTML <img> with a data: URI."""
    return [src.format(private=site.parent / "private") for src in PICTURES if not src.startswith(unseen)]


def check_pictures(site: Path, result: ImportResult, unseen: str) -> None:
    images = {p.name: p.read_bytes() for p in (result.into / "images").iterdir()}
    assert SECRET not in images.values()
    copied = [src for src, reason in PICTURES.items() if reason is None and not src.startswith(unseen)]
    assert sum(data == INSIDE for data in images.values()) == len(copied)  # ok.png, page_files/inner.png, data:
    expected = [f"'{src}' {PICTURES[key]}" for key, src in zip(
        [key for key in PICTURES if not key.startswith(unseen)], addresses(site, unseen), strict=True) if PICTURES[key]]
    assert list(result.refused.values()) == expected
    assert sorted(result.refused) == sorted(name for name in images if name.startswith("figure-"))
    report = (result.into / "import-report.md").read_text(encoding="utf-8")
    assert f"## Images to supply ({len(expected)})" in report and report.count("; not copied: ") == len(expected)


def test_markdown_pictures_only_from_the_source_folder(site: Path, tmp_path: Path) -> None:
    figures = "".join(f"![picture {n}]({src})\n\n" for n, src in enumerate(addresses(site, "file:")))
    (site / "page.md").write_text(f"# Rivers\n\n{ARTICLE}\n\n{figures}{ARTICLE}\n", encoding="utf-8")
    check_pictures(site, import_source(site / "page.md", tmp_path / "pack"), "file:")


def test_html_pictures_only_from_the_source_folder(site: Path, tmp_path: Path) -> None:
    figures = "".join(f'<figure><img src="{src}" alt="picture {n}"><figcaption>Figure {n}. A river.</figcaption>'
                      f"</figure><p>{ARTICLE}</p>" for n, src in enumerate(addresses(site, "data:")))
    (site / "page.html").write_text(f"<html><head><title>Rivers</title></head><body><article><h1>Rivers</h1>"
                                    f"<p>{ARTICLE}</p>{figures}</article></body></html>", encoding="utf-8")
    check_pictures(site, import_source(site / "page.html", tmp_path / "pack"), "data:")


# 3. DOCX: the build's zip limits before python-docx sees the bytes; each picture bounded.

def word_file(picture: bytes, patch: Callable[[zipfile.ZipInfo, bytes], bytes] | None = None) -> bytes:
    """A small valid .docx with one picture, its parts rewritten by `patch` (deflated at level 9)."""
    buffer = io.BytesIO()
    document = docx.Document()
    document.add_heading("Rivers", 1)
    document.add_paragraph(ARTICLE)
    document.add_picture(io.BytesIO(picture))
    document.save(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as old, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as new:
        for item in old.infolist():
            data = old.read(item)
            new.writestr(item.filename, patch(item, data) if patch else data)
    return out.getvalue()


def is_media(item: zipfile.ZipInfo) -> bool:
    return item.filename.startswith("word/media/")


def test_docx_zip_bomb_is_one_line(tmp_path: Path) -> None:
    # The picture part unpacks to 60 MB of zeros from a file of about 60 KB.
    source = tmp_path / "bomb.docx"
    source.write_bytes(word_file(INSIDE, lambda item, data: data + bytes(60_000_000) if is_media(item) else data))
    assert source.stat().st_size < 200_000
    message = import_error(source, tmp_path / "pack")
    assert message.startswith(f"{source}: part 'word/media/image1.png' unpacks ")
    assert message.endswith(" times larger than it is stored (a zip bomb?); save the file again from Word")


def test_docx_over_the_unpacked_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from builder.core import files

    monkeypatch.setattr(files.open_zip, "__defaults__", (files.ZipLimits(unpacked=1_000_000),))
    source = tmp_path / "big.docx"
    source.write_bytes(word_file(INSIDE, lambda item, data: data + os.urandom(1_200_000) if is_media(item) else data))
    message = import_error(source, tmp_path / "pack")
    assert message.startswith(f"{source}: would unpack to ")
    assert message.endswith(" MB, over the 1 MB limit; make it smaller (fewer or smaller pictures)")


def test_docx_part_larger_than_its_entry_says(tmp_path: Path) -> None:
    """A zip entry that declares 100 bytes but unpacks to 3 MB passes the directory checks: each part
    is read within its declared size before python-docx sees the file, and this one is damaged."""
    data = bytearray(word_file(INSIDE, lambda item, data: data + bytes(3_000_000) if is_media(item) else data))
    name = b"word/media/image1.png"
    entry = data.index(b"PK\x01\x02")
    while data[entry + 46:entry + 46 + len(name)] != name:
        entry = data.index(b"PK\x01\x02", entry + 4)
    data[entry + 24:entry + 28] = struct.pack("<I", 100)  # the central directory's uncompressed size
    source = tmp_path / "liar.docx"
    source.write_bytes(bytes(data))
    assert import_error(source, tmp_path / "pack") == (
        f"{source}: is damaged (word/media/image1.png cannot be read); open it in Word or LibreOffice and save it "
        "again as .docx")


def test_docx_picture_over_the_pixel_limit_is_a_placeholder(tmp_path: Path) -> None:
    source = tmp_path / "huge.docx"
    source.write_bytes(word_file(INSIDE, lambda item, data: grey_png(12000, 12000, 1) if is_media(item) else data))
    result = import_source(source, tmp_path / "pack")
    assert sorted(p.name for p in (tmp_path / "pack" / "images").iterdir()) == ["figure-1.png"]
    assert result.refused == {"figure-1.png": "image 1 (image1.png) is 12000×12000 pixels (144 megapixels), over the "
                                              "50-megapixel limit; make it smaller (a printed page needs about "
                                              "2500×3500 pixels), or raise TEACHPACK_MAX_IMAGE_MEGAPIXELS"}
    report = (tmp_path / "pack" / "import-report.md").read_text(encoding="utf-8")
    assert "not copied: image 1 (image1.png) is 12000×12000 pixels" in report


def test_docx_picture_over_the_size_limit_is_a_placeholder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEACHPACK_MAX_IMAGE_MB", "0.01")
    source = tmp_path / "big.docx"
    source.write_bytes(word_file(INSIDE, lambda item, data: data + os.urandom(20_000) if is_media(item) else data))
    result = import_source(source, tmp_path / "pack")
    assert result.refused["figure-1.png"] == ("image 1 (image1.png) is 0.0 MB, over the 0.01 MB limit for an image; "
                                              "make it smaller, or raise TEACHPACK_MAX_IMAGE_MB")


# 4. Cleaning in linear time: time at n and 4n in one run; quadratic would be 16 times slower.

def scaling(work: Callable[[int], object], n: int) -> float:
    """How much longer `work(4n)` takes than `work(n)`, best of three each (linear: about 4), with
    the garbage collector paused (its full passes grow with every object alive in the test run)."""

    def best(size: int) -> float:
        times = []
        for _ in range(3):
            gc.collect()
            gc.disable()
            try:
                start = time.perf_counter()
                work(size)
                times.append(time.perf_counter() - start)
            finally:
                gc.enable()
        return min(times)

    # A shared machine can stall one measurement; a real quadratic is slow every time, so the
    # lower of two ratios is the honest one.
    first = best(4 * n) / best(n)
    return first if first < 8 else min(first, best(4 * n) / best(n))


@pytest.mark.parametrize("piece", ["<!--", "<script", "<style>a ", "<!-- <script>", "<b", "</script"])
def test_strip_tags_is_linear(piece: str) -> None:
    assert scaling(lambda n: strip_tags("Text " + piece * n), 20_000) < 8


def test_strip_tags_keeps_its_meaning() -> None:
    assert strip_tags("a <b>bold</b> <!-- note --> <script>x()</script> <style>p{}</style>z") == (
        "a bold     z", 5)
    assert strip_tags("a <!-- never closed <b>b</b>") == ("a <!-- never closed b", 2)
    assert strip_tags("a <script> never closed <i>i</i>") == ("a  never closed i", 3)
    assert strip_tags("1 < 2 and 3 <4") == ("1 < 2 and 3 <4", 0)


def test_sentences_are_linear() -> None:
    assert scaling(lambda n: sentences("Hello there. " + "A. " * n), 20_000) < 8
    assert sentences("Mount St. Helens erupted. It was 1980.") == ["Mount St. Helens erupted.", "It was 1980."]


def paragraphs(n: int, vocabulary: int) -> list[tuple[RawBlock, str]]:
    """n distinct paragraphs of four 12-word sentences drawn from `vocabulary` words, then a near copy
    of the first (one word changed), which must be found as a repeat."""
    pick = random.Random(n * vocabulary)
    words = [f"w{number}" for number in range(vocabulary)]

    def sentence() -> str:
        return " ".join(pick.choice(words) for _ in range(12)).capitalize() + "."

    texts = [" ".join(sentence() for _ in range(4)) for _ in range(n)]
    texts.append(texts[0].replace(texts[0].split()[3], "changed", 1))
    return [(RawBlock("text", text, f"block {n}"), "") for n, text in enumerate(texts)]


@pytest.mark.parametrize("words_per_paragraph", [0, 40])
def test_repeats_are_found_in_linear_time(words_per_paragraph: int) -> None:
    """Every sentence used to be compared with every other (0.5 MB: 16 s, 2 MB: minutes). Here the
    words are all common (20 of them), or each is in a few paragraphs (the vocabulary grows with n)."""
    assert [i for i, _ in find_repeats(paragraphs(300, 20_000))] == [300]
    assert scaling(lambda n: find_repeats(paragraphs(n, max(20, words_per_paragraph * n))), 1000) < 8


def test_escaping_brackets_is_linear() -> None:
    assert scaling(lambda n: escape_markdown("[a" * n), 20_000) < 8
    assert escape_markdown("[x] [y]: z [a](b)") == "[x] \\[y]: z \\[a](b)"


def test_dates_are_found_and_merged_in_linear_time() -> None:
    """One date in every section (each was checked against every event so far, and the list of
    sections against itself), and thousands of dates in one sentence."""

    def many_sections(n: int) -> None:
        draft_timeline([Section(f"Part {i}", [RawBlock("text", f"In 1950 and in {1000 + i % 1000} it rained.")])
                        for i in range(n)])

    def one_sentence(n: int) -> None:
        find_dates("In " + " and ".join(str(1000 + i % 1000) for i in range(n)) + ".")

    assert scaling(many_sections, 1000) < 8
    assert scaling(one_sentence, 2000) < 8
    events = draft_timeline([Section(f"Part {i}", [RawBlock("text", "In 1950 it rained.")]) for i in range(50)]).events
    assert [e.date for e in events] == ["1950"] and events[0].sections == [f"Part {i}" for i in range(20)]


@pytest.mark.parametrize("name,piece", [("comment.md", "<!--"), ("script.md", "<script"), ("comment.html", "<!--"),
                                        ("script.html", "<script>")])
def test_import_of_unclosed_comments_and_scripts_is_linear(tmp_path: Path, name: str, piece: str) -> None:
    check_spelling(["warm the caches"])
    source = tmp_path / name
    head = "# Rivers\n\n" if name.endswith(".md") else "<html><body><h1>Rivers</h1><p>"

    def work(n: int) -> None:
        source.write_text(f"{head}{ARTICLE}\n\n{piece * n}", encoding="utf-8")
        make_draft(source, tmp_path / "pack")

    assert scaling(work, 10_000) < 8


# 5. No traceback from any source: a one-line error or a working draft.

HOSTILE = {
    "empty.html": b"",
    "garbage.html": bytes(range(256)) * 400,
    "garbage.docx": b"PK\x03\x04" + bytes(range(256)) * 40,
    "not-a-zip.docx": b"<html>not a zip</html>",
    "deep.html": b"<html><body><h1>Rivers</h1><p>" + ARTICLE.encode() + b"</p>" + b"<div>" * 100_000 + b"x"
                 + b"</div>" * 100_000 + b"</body></html>",
    "deep.md": b"# Rivers\n\n" + ARTICLE.encode() + b"\n\n" + b">" * 100_000 + b" deep\n",
    "deep-list.md": b"# Rivers\n\n" + b"".join(b"  " * i + b"- x\n" for i in range(1000)),
    "line.txt": b"Rivers\n\n" + b"river " * 50_000,
    "line.html": b"<html><body><h1>Rivers</h1><p>" + b"river " * 50_000 + b"</p></body></html>",
    "tags.html": b"<html><body>" + b"<p" * 50_000,
    "nul.md": b"# Rivers\n\n\x00\x00" + ARTICLE.encode(),
    "bad-data-uri.md": b"# Rivers\n\n" + ARTICLE.encode() + b"\n\n![x](data:image/png;base64,!!!)\n\n![y](data:,)\n",
    "odd-images.md": b"# Rivers\n\n" + ARTICLE.encode() + b"\n\n![a]()\n\n![b](C:\\x.png)\n\n![c](//host/x.png)\n\n"
                     b"![d](%00.png)\n\n![e](" + b"a" * 5000 + b".png)\n",
}


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_source_is_a_draft_or_one_line(tmp_path: Path, name: str) -> None:
    source = tmp_path / name
    source.write_bytes(HOSTILE[name])
    try:
        result = import_source(source, tmp_path / "pack")
    except TeachpackError as error:
        assert "\n" not in str(error) and str(error).startswith(f"{source}: ")
        assert not (tmp_path / "pack").exists()
    else:
        assert (tmp_path / "pack" / "article.md").is_file() and result.sections


@pytest.mark.parametrize("src,reason", [
    ("//host/x.png", "is on the web"), ("C:\\x.png", "is an absolute path"), ("\\\\server\\x.png", "is an absolute path"),
    ("%2Fetc%2Fx.png", "is outside the source's folder"), ("..%2F..%2Fx.png", "is outside the source's folder"),
    ("%00.png", "is not a file name a disk can hold"), ("a" * 300 + ".png", "is not a file name a disk can hold"),
    ("notes.txt", "is not a PNG, JPEG or GIF file"), ("", "has no address"),
])
def test_picture_addresses_refused(tmp_path: Path, src: str, reason: str) -> None:
    with pytest.raises(PictureRefused, match=f"^{reason}"):
        local_picture(src, tmp_path)
