"""The level's fonts travel with the DOCX (issue 16, point 3): named in its styles, embedded as obfuscated
TrueType subsets (ECMA-376 Part 1 §17.8.1), the ballot box in an embedded font that has it, one warning
for a font whose licence forbids embedding, the same bytes from two builds."""

from __future__ import annotations

import io
import os
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from fontTools.ttLib import TTFont
from lxml import etree

from builder import build_pack
from builder.render.docx import fonts
from tests.libreoffice import soffice
from tests.ooxml import schema_errors

R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
BALLOT_BOX = "\u2610"
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def _build(folder: Path, out: Path, level: str, **options) -> Path:
    result = build_pack([folder], out=out, formats=["docx"], levels=[level], editions=["teacher"], **options)
    return result.written[0]


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _table(parts: dict[str, bytes]) -> dict[str, etree._Element]:
    return {font.get(qn("w:name")): font for font in etree.fromstring(parts["word/fontTable.xml"]).iter(qn("w:font"))}


def _embedded(parts: dict[str, bytes]) -> dict[tuple[str, str], TTFont]:
    """(font-table name, w:embedRegular ...) -> the embedded font, read back with its key."""
    targets = {rel.get("Id"): rel.get("Target")
               for rel in etree.fromstring(parts["word/_rels/fontTable.xml.rels"]).iter(f"{RELS}Relationship")}
    found = {}
    for name, entry in _table(parts).items():
        for embed in entry:
            if etree.QName(embed).localname.startswith("embed"):
                data = parts["word/" + targets[embed.get(f"{R}id")]]
                plain = fonts.obfuscate(data, embed.get(qn("w:fontKey")))
                found[name, etree.QName(embed).localname] = TTFont(io.BytesIO(plain))
    return found


def _style_font(path: Path, style: str) -> str:
    return docx.Document(str(path)).styles[style].element.rPr.rFonts.get(qn("w:ascii"))


@pytest.fixture
def three_levels(make_pack) -> Path:
    return make_pack(changes={"levels": ["elementary", "middle", "high"]})


@pytest.mark.parametrize(("level", "body", "heading", "other_name"), [
    ("elementary", "Andika", "Andika", None),
    ("middle", "TeXGyreSchola", "TeXGyreHeros", "TeX Gyre Schola"),
    ("high", "TeXGyreSchola", "TeXGyreHeros", "TeX Gyre Schola"),
])
def test_each_level_names_its_fonts_as_word_knows_them(three_levels: Path, tmp_path: Path, level: str, body: str,
                                                        heading: str, other_name: str | None) -> None:
    """The PDF's fonts, by their Windows family names (TeX Gyre Schola is "TeXGyreSchola" to Word); the
    name fontconfig and macOS use is the font table's altName."""
    path = _build(three_levels, tmp_path / "out", level)
    assert _style_font(path, "Normal") == body
    assert {_style_font(path, style) for style in ("Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3")} \
        == {heading}
    entry = _table(_parts(path))[body]
    alt = entry.find(qn("w:altName"))
    assert alt is not None and alt.get(qn("w:val")) == (other_name or "Verdana")  # else the common stand-in
    assert entry.find(qn("w:family")).get(qn("w:val")) == ("swiss" if level == "elementary" else "roman")
    assert entry.find(qn("w:pitch")).get(qn("w:val")) == "variable"
    assert schema_errors(path) == []


def test_lines_are_as_far_apart_as_in_the_pdf(three_levels: Path, tmp_path: Path) -> None:
    """Word's "multiple" spacing is of the font's own line height (1.61 em for Andika, 1.22 for Calibri),
    CSS's line-height of the type size: the DOCX asks for the multiple that gives the PDF's spacing."""
    path = _build(three_levels, tmp_path / "out", "elementary")
    spacing = docx.Document(str(path)).styles["Normal"].paragraph_format.line_spacing
    andika = TTFont("/usr/share/fonts/truetype/andika/Andika-Regular.ttf")
    height = (andika["OS/2"].usWinAscent + andika["OS/2"].usWinDescent) / andika["head"].unitsPerEm
    assert spacing * height == pytest.approx(1.6, abs=0.01)  # elementary: 14 pt type, lines 1.6 x 14 pt apart
    assert fonts.line_spacing("Nonesuch Sans", 1.35) == 1.35  # a font not installed here: as the level says


def test_embedded_fonts_are_truetype_subsets_that_read_back_with_their_keys(three_levels: Path,
                                                                             tmp_path: Path) -> None:
    for level, body, heading in (("elementary", "Andika", "Andika"), ("middle", "TeXGyreSchola", "TeXGyreHeros")):
        path = _build(three_levels, tmp_path / level, level)
        parts = _parts(path)
        embedded = _embedded(parts)
        assert {name for name, _ in embedded} == {body, heading, "DejaVu Sans"}
        assert {(body, "embedRegular"), (body, "embedBold"), (heading, "embedBold")} <= set(embedded)
        for (name, _), font in embedded.items():
            assert font["name"].getName(1, 3, 1, 0x409).toUnicode() == name  # what Word files it under
            assert "glyf" in font and "CFF " not in font  # Word shows embedded TrueType outlines only
            assert font["OS/2"].fsType & 0x000F in (0, 0x0008, 0x000C)
        text_font = embedded[body, "embedRegular"]
        cmap = text_font.getBestCmap()
        assert all(ord(c) in cmap for c in "Aa\u00e9\u201c\u2014\u20ac")  # typed in Word: kept in the subset
        assert len(cmap) < 500  # a subset: Andika draws 3000 characters, TeX Gyre 900
        settings = etree.fromstring(parts["word/settings.xml"])
        names = [etree.QName(child).localname for child in settings]
        assert names.index("zoom") < names.index("embedTrueTypeFonts") < names.index("saveSubsetFonts")
        assert names.index("saveSubsetFonts") < names.index("defaultTabStop")
        types = parts["[Content_Types].xml"].decode()
        assert types.count("application/vnd.openxmlformats-officedocument.obfuscatedFont") == len(embedded)
        assert schema_errors(path) == []


def test_the_ballot_box_comes_from_an_embedded_font_that_has_it(three_levels: Path, tmp_path: Path) -> None:
    path = _build(three_levels, tmp_path / "out", "elementary")
    document = docx.Document(str(path))
    boxes = [run for paragraph in document.paragraphs for run in paragraph.runs if BALLOT_BOX in run.text]
    assert boxes and all(run.text == BALLOT_BOX and run.font.name == "DejaVu Sans" for run in boxes)
    lines = [p for p in document.paragraphs if p.text.startswith(BALLOT_BOX)]
    # The text is unchanged; the gap between the two is one widened space (repeated spaces: Word's checker flags them)
    assert lines and lines[0].text == f"{BALLOT_BOX} True {BALLOT_BOX} False"
    assert [run.font.name for run in lines[0].runs] == ["DejaVu Sans", None, None, "DejaVu Sans", None]
    symbols = _embedded(_parts(path))["DejaVu Sans", "embedRegular"]
    assert set(symbols.getBestCmap()) == {ord(BALLOT_BOX)}  # only what it is used for
    for entry in _table(_parts(path)).values():  # every font named is embedded or one every Word reader has
        assert entry.get(qn("w:name")) in fonts.COMMON_FONTS or entry.find(qn("w:embedRegular")) is not None \
            or entry.find(qn("w:embedBold")) is not None, entry.get(qn("w:name"))


def test_a_symbol_the_font_lacks_is_split_into_its_own_run() -> None:
    """OpenDyslexic has no → (the matching answers print it): that character alone goes to DejaVu Sans."""
    document = docx.Document()
    paragraph = document.add_paragraph(style="Normal")
    paragraph.add_run("1 \u2192 B  ")
    document.styles["Normal"].font.name = "OpenDyslexic"
    fonts.embed(document)
    runs = [(run.text, run.font.name) for run in paragraph.runs]
    assert runs == [("1 ", None), ("\u2192", "DejaVu Sans"), (" B  ", None)]
    assert paragraph.runs[2]._r.find(qn("w:t")).get("{http://www.w3.org/XML/1998/namespace}space") == "preserve"


def _restricted_font(folder: Path, family: str) -> Path:
    """A copy of DejaVu Sans renamed `family`, its licence bits set to restricted (fsType 2)."""
    font = TTFont(DEJAVU)
    for record in font["name"].names:
        if record.nameID in (1, 3, 4, 16):
            record.string = family if record.nameID != 3 else f"{family} test copy"
        elif record.nameID == 6:
            record.string = family.replace(" ", "")
    font["OS/2"].fsType = 0x0002
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "restricted.ttf"
    font.save(path)
    return path


@pytest.fixture
def restricted_font(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    family = "Restricted Test Sans"
    _restricted_font(tmp_path / "fonts", family)
    conf = tmp_path / "fonts.conf"
    conf.write_text(f'<?xml version="1.0"?><fontconfig><include>/etc/fonts/fonts.conf</include>'
                    f"<dir>{tmp_path / 'fonts'}</dir><cachedir>{tmp_path / 'fc-cache'}</cachedir></fontconfig>",
                    encoding="utf-8")
    monkeypatch.setenv("FONTCONFIG_FILE", str(conf))
    return family


def test_a_font_whose_licence_forbids_embedding_is_named_not_embedded_and_warned_once(
        make_pack, tmp_path: Path, restricted_font: str) -> None:
    folder = make_pack(changes={"theme": {"fonts": {"body": restricted_font}}})
    result = build_pack([folder], out=tmp_path / "out", formats=["docx"])  # two levels, two editions
    warned = [str(w) for w in result.warnings if restricted_font in w.message]
    assert warned == [f"TP406 DOCX: font '{restricted_font}' is not embedded: its licence forbids embedding (OS/2 "
                      "fsType 0x0002); Word shows Arial where it is not installed; install a copy whose licence "
                      "allows embedding, or choose another font"]
    for path in result.written:
        parts = _parts(path)
        entry = _table(parts)[restricted_font]
        assert [etree.QName(child).localname for child in entry] == ["altName", "panose1", "charset", "family",
                                                                     "pitch", "sig"]
        assert entry.find(qn("w:altName")).get(qn("w:val")) == "Arial"  # its class's common font (PANOSE: sans)
        assert restricted_font not in {name for name, _ in _embedded(parts)}
    assert schema_errors(result.written[0]) == []


def test_fonts_not_installed_are_warned_about_with_their_stand_in() -> None:
    assert fonts.warnings(["Nonesuch Sans", "Calibri", "Andika"]) == [
        "DOCX: font 'Nonesuch Sans' is not installed, so it is not embedded and Word shows its default font where "
        "it is missing; install it (./setup.sh installs the built-in ones) or choose another"]


@pytest.mark.parametrize(("fs_type", "truetype", "allowed"), [
    (0x0000, True, True), (0x0008, True, True), (0x000C, False, True),  # installable, editable, TeX Gyre's
    (0x0002, True, False), (0x0004, True, False), (0x0200, True, False),  # restricted, print only, bitmaps
    (0x0100, True, True), (0x0100, False, False),  # no subsetting: whole TrueType only, never converted
])
def test_the_licence_bits_decide(fs_type: int, truetype: bool, allowed: bool) -> None:
    assert (fonts._licence_problem(fs_type, truetype) is None) == allowed


def test_obfuscation_follows_the_standard() -> None:
    """§17.8.1: the key's 32 hex digits as 16 bytes, last first, XORed over the first 32 bytes."""
    key = "{00010203-0405-0607-0809-0A0B0C0D0E0F}"
    data = bytes(40)
    hidden = fonts.obfuscate(data, key)
    assert hidden[:16] == bytes(range(15, -1, -1)) and hidden[16:32] == bytes(range(15, -1, -1))
    assert hidden[32:] == data[32:] and fonts.obfuscate(hidden, key) == data
    assert fonts.font_key(b"font") == fonts.font_key(b"font") != fonts.font_key(b"other font")


def test_two_builds_give_the_same_bytes(example_build: Path, tmp_path: Path) -> None:
    """The session's example build against a fresh one, with every font looked up and subset again."""
    fonts.find.cache_clear()
    fonts._subset.cache_clear()
    from tests.conftest import EXAMPLE

    again = build_pack([EXAMPLE], out=tmp_path / "again", formats=["docx"], levels=["elementary", "middle"]).written
    assert again
    for path in again:
        assert path.read_bytes() == (example_build / path.name).read_bytes(), path.name


def test_libreoffice_shows_the_embedded_andika_where_none_is_installed(three_levels: Path, tmp_path: Path) -> None:
    """Converted by LibreOffice on a system whose fontconfig sees DejaVu only, the elementary DOCX prints
    in Andika: the embedded font, read back and used."""
    path = _build(three_levels, tmp_path / "out", "elementary")
    conf = tmp_path / "dejavu-only.conf"
    conf.write_text(f'<?xml version="1.0"?><fontconfig><dir>{DEJAVU.parent}</dir>'
                    f"<cachedir>{tmp_path / 'fc-cache'}</cachedir></fontconfig>", encoding="utf-8")
    env = {**os.environ, "HOME": str(tmp_path), "FONTCONFIG_FILE": str(conf)}
    assert "Andika" not in subprocess.run(["fc-list"], env=env, capture_output=True, text=True).stdout
    subprocess.run([soffice(), f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path / "pdf"), str(path)],
                   env=env, capture_output=True, timeout=180, check=True)
    listed = subprocess.run(["pdffonts", str(tmp_path / "pdf" / path.with_suffix(".pdf").name)],
                            capture_output=True, text=True, check=True).stdout
    names = {line.split()[0].split("+")[-1] for line in listed.splitlines()[2:]}
    assert {"Andika", "Andika-Bold"} <= names, listed


def test_subsets_are_made_once_and_then_read_from_the_cache(tmp_path: Path, monkeypatch) -> None:
    """A subset costs up to a second: made once, it is kept under $XDG_CACHE_HOME/teachpack/fonts for
    every later build and worker; another character set (or another font file) is another subset."""
    from builder.render.docx import fonts

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    made = []
    real = fonts._make_subset
    monkeypatch.setattr(fonts, "_make_subset", lambda *args: made.append(args) or real(*args))
    path = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
    for _ in range(2):
        fonts._subset.cache_clear()  # a new process: nothing in memory
        first = fonts._subset(path, 0, frozenset({0x2610}), "digest-a")
    assert len(made) == 1 and len(list((tmp_path / "teachpack" / "fonts").glob("*.ttf"))) == 1
    assert fonts._subset(path, 0, frozenset({0x2610, 0x41}), "digest-a") != first and len(made) == 2
    fonts._subset(path, 0, frozenset({0x2610}), "digest-b")  # the font file changed
    assert len(made) == 3
    assert not list((tmp_path / "teachpack" / "fonts").glob("*.part"))
    fonts._subset.cache_clear()
