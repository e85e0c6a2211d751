"""The DOCX as a package Word opens cleanly (issue 16, point 7): compatibility mode 15, an honest
app.xml, language slots from the pack's language, one id per drawing, every font in the font table.
And as the PDF's equal (point 6): the timeline's drawing, the cover's page numbers, the name lines."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from lxml import etree

from builder import __version__, build_pack
from builder.render.docx.xml import language_slot
from tests.conftest import REPO
from tests.libreoffice import to_pdf
from tests.ooxml import schema_errors

PNG = (REPO / "examples" / "district-theme" / "logo.png").read_bytes()
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"


def _build(folder: Path, out: Path, **options) -> Path:
    result = build_pack([folder], out=out, formats=["docx"], levels=["high"], editions=["teacher"], **options)
    return result.written[0]


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.fixture
def with_logo(make_pack) -> Path:
    folder = make_pack(changes={"theme": {"school": "Hill School", "logo": "logo.png"}})
    (folder / "logo.png").write_bytes(PNG)
    return folder


def test_the_file_is_in_word_2013_mode_with_an_honest_app_xml(with_logo: Path, tmp_path: Path) -> None:
    path = _build(with_logo, tmp_path / "out")
    parts = _parts(path)
    settings = etree.fromstring(parts["word/settings.xml"])
    modes = [s.get(qn("w:val")) for s in settings.iter(qn("w:compatSetting"))
             if s.get(qn("w:name")) == "compatibilityMode"]
    assert modes == ["15"]
    app = etree.fromstring(parts["docProps/app.xml"])
    fields = {etree.QName(node).localname: node.text for node in app}
    assert fields["Application"] == f"teachpack/{__version__}" and "AppVersion" not in fields
    document = docx.Document(io.BytesIO(path.read_bytes()))
    texts = [p.text for p in document.paragraphs]
    texts += [p.text for table in document.tables for row in table.rows for cell in row.cells for p in cell.paragraphs]
    assert int(fields["Words"]) > 0 and abs(int(fields["Words"]) - len(" ".join(texts).split())) <= len(texts) // 10


def test_a_reference_without_compat_settings_gets_them_in_schema_order(make_pack, tmp_path: Path) -> None:
    built_in = REPO / "templates" / "reference.docx"
    parts = _parts(built_in)
    settings = etree.fromstring(parts["word/settings.xml"])
    for compat in settings.findall(qn("w:compat")):
        settings.remove(compat)
    parts["word/settings.xml"] = etree.tostring(settings, xml_declaration=True, encoding="UTF-8", standalone=True)
    reference = tmp_path / "no-compat.docx"
    with zipfile.ZipFile(reference, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    path = _build(make_pack(), tmp_path / "out", reference_docx=reference)
    out = etree.fromstring(_parts(path)["word/settings.xml"])
    assert [s.get(qn("w:val")) for s in out.iter(qn("w:compatSetting"))] == ["15"]
    assert schema_errors(path) == []


def test_every_drawing_has_its_own_id_across_body_headers_and_footers(with_logo: Path, tmp_path: Path) -> None:
    parts = _parts(_build(with_logo, tmp_path / "out"))
    ids = [node.get("id") for name, data in parts.items() if name.startswith("word/") and name.endswith(".xml")
           for node in etree.fromstring(data).iter(f"{WP}docPr")]
    assert len(ids) >= 2  # the logo on the cover and in the running header
    assert len(ids) == len(set(ids)), ids


def test_every_font_the_file_uses_is_in_its_font_table(make_pack, tmp_path: Path) -> None:
    path = build_pack([make_pack()], out=tmp_path / "out", formats=["docx"], levels=["elementary"],
                      editions=["student"]).written[0]
    parts = _parts(path)
    used = {fonts.get(qn(slot)) for name in ("word/styles.xml", "word/document.xml")
            for fonts in etree.fromstring(parts[name]).iter(qn("w:rFonts"))
            for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs")} - {None}
    listed = {font.get(qn("w:name")) for font in etree.fromstring(parts["word/fontTable.xml"]).iter(qn("w:font"))}
    assert used and used <= listed, used - listed


@pytest.mark.parametrize(("language", "east_asian", "right_to_left"), [
    ("en", "zh-CN", "ar-SA"), ("ja", "ja", "ar-SA"), ("zh-TW", "zh-TW", "ar-SA"), ("ar", "zh-CN", "ar"),
    ("he-IL", "zh-CN", "he-IL"),
])
def test_the_language_slots_follow_the_pack_language(language: str, east_asian: str, right_to_left: str) -> None:
    from builder.render.docx.xml import _EAST_ASIAN, _RIGHT_TO_LEFT

    assert language_slot(language, _EAST_ASIAN, "zh-CN") == east_asian
    assert language_slot(language, _RIGHT_TO_LEFT, "ar-SA") == right_to_left


def test_an_english_pack_writes_chinese_and_arabic_in_the_other_slots(make_pack, tmp_path: Path) -> None:
    styles = etree.fromstring(_parts(_build(make_pack(), tmp_path / "out"))["word/styles.xml"])
    lang = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
    assert (lang.get(qn("w:val")), lang.get(qn("w:eastAsia")), lang.get(qn("w:bidi"))) == ("en", "zh-CN", "ar-SA")


def test_a_font_the_reference_names_is_not_overridden_by_its_theme_link(make_pack, tmp_path: Path) -> None:
    """The district reference's headings say asciiTheme="majorHAnsi" and ascii="Georgia": Word would show
    the theme's font; the output keeps Georgia alone."""
    reference = REPO / "examples" / "district-theme" / "templates" / "reference.docx"
    source = etree.fromstring(_parts(reference)["word/styles.xml"])
    assert any(f.get(qn("w:asciiTheme")) and f.get(qn("w:ascii")) == "Georgia" for f in source.iter(qn("w:rFonts")))
    styles = etree.fromstring(_parts(_build(make_pack(), tmp_path / "out", reference_docx=reference))["word/styles.xml"])
    for fonts in styles.iter(qn("w:rFonts")):
        for named, themed in (("w:ascii", "w:asciiTheme"), ("w:hAnsi", "w:hAnsiTheme")):
            assert not (fonts.get(qn(named)) and fonts.get(qn(themed))), etree.tostring(fonts)
    heading = next(s for s in styles.iter(qn("w:style")) if s.get(qn("w:styleId")) == "Heading1")
    assert heading.find(f"{qn('w:rPr')}/{qn('w:rFonts')}").get(qn("w:ascii")) == "Georgia"


def test_a_prompt_keeps_with_all_its_answer_lines_and_keeps_its_space_before(tmp_path: Path) -> None:
    from tests.conftest import EXAMPLE

    path = build_pack([EXAMPLE], out=tmp_path / "out", formats=["docx"], levels=["middle"],
                      editions=["student"]).written[0]
    document = docx.Document(io.BytesIO(path.read_bytes()))
    paragraphs = document.paragraphs
    runs_of_lines = 0
    for index, paragraph in enumerate(paragraphs):
        if paragraph.style.name != "Answer Line" or paragraphs[index - 1].style.name == "Answer Line":
            continue
        run = [paragraph]
        while index + len(run) < len(paragraphs) and paragraphs[index + len(run)].style.name == "Answer Line":
            run.append(paragraphs[index + len(run)])
        assert all(p.paragraph_format.keep_with_next for p in run[:-1]), "an answer line lets the next one go"
        assert paragraphs[index - 1].paragraph_format.keep_with_next or paragraphs[index - 1].style.name != "List Number"
        runs_of_lines += 1
    assert runs_of_lines >= 3
    prompts = [p for p in paragraphs if p.style.name == "List Number" and p.paragraph_format.space_before]
    assert prompts and all(p._p.pPr.find(qn("w:contextualSpacing")).get(qn("w:val")) == "0" for p in prompts)
    assert schema_errors(path) == []


def test_every_docx_of_the_example_pack_is_schema_valid(example_build: Path) -> None:
    files = sorted(example_build.glob("*.docx"))
    assert len(files) == 6
    assert {path.name: schema_errors(path) for path in files} == {path.name: [] for path in files}


def test_box_tables_never_split_a_row_and_stay_with_their_question(example_build: Path) -> None:
    document = docx.Document(example_build / "sino-soviet-split-middle-student.docx")
    boxed = [t for t in document.tables if t.rows and "\u2610" in t.rows[0].cells[0].text]
    assert len(boxed) >= 2  # sequencing and matching
    whole = 0
    for table in boxed:
        short = all(len(" ".join(c.text for c in row.cells[1:])) <= 70 for row in table.rows)
        whole += short
        for number, row in enumerate(table.rows):
            assert row._tr.trPr is not None and row._tr.trPr.find(qn("w:cantSplit")) is not None
            kept = all(p.paragraph_format.keep_with_next for c in row.cells for p in c.paragraphs)
            if number < (len(table.rows) - 1 if short else 1):  # whole, or the first two rows with the question
                assert kept
            elif number < len(table.rows) - 1:
                assert not kept
        before = table._tbl.getprevious()
        assert before.tag == qn("w:p") and docx.text.paragraph.Paragraph(before, None).paragraph_format.keep_with_next
    assert whole >= 1  # the sequencing table stays whole


def test_links_in_the_article_are_hyperlinks_in_the_docx(make_pack, tmp_path: Path) -> None:
    folder = make_pack()
    article = folder / "article.md"
    article.write_text(article.read_text(encoding="utf-8").replace(
        "\n\n", "\n\nRead more in [the survey's report](https://example.org/water-report) or "
                "[write to us](mailto:class@example.org).\n\n", 1), encoding="utf-8")
    path = _build(folder, tmp_path / "out")
    document = docx.Document(io.BytesIO(path.read_bytes()))
    links = [link for link in document.element.body.iter(qn("w:hyperlink")) if link.get(qn("r:id"))]
    assert len(links) == 2  # the cover's contents link to places in the file (w:anchor), not out of it
    targets = {document.part.rels[link.get(qn("r:id"))].target_ref for link in links}
    assert targets == {"https://example.org/water-report", "mailto:class@example.org"}
    assert all(document.part.rels[link.get(qn("r:id"))].is_external for link in links)
    texts = ["".join(t.text for t in link.iter(qn("w:t"))) for link in links]
    assert texts == ["the survey\u2019s report", "write to us"]  # typographic apostrophe, as printed
    assert document.styles["Hyperlink"].type == docx.enum.style.WD_STYLE_TYPE.CHARACTER
    assert schema_errors(path) == []


def test_coloured_text_takes_its_colour_from_two_character_styles(with_logo: Path, tmp_path: Path) -> None:
    """No run carries a colour of its own: "Key Text" (primary) and "Teacher Text" (accent) do, so a
    reference file, or a teacher in Word, recolours every term, number and answer in one place."""
    path = _build(with_logo, tmp_path / "out")
    document = docx.Document(io.BytesIO(path.read_bytes()))
    body = etree.fromstring(_parts(path)["word/document.xml"])
    assert not [r for r in body.iter(qn("w:r")) if r.find(f"{qn('w:rPr')}/{qn('w:color')}") is not None]
    used = {r.get(qn("w:val")) for r in body.iter(qn("w:rStyle"))}
    assert {"KeyText", "TeacherText"} <= used
    assert document.styles["Teacher Text"].font.color.rgb is not None


def test_no_empty_paragraph_sits_between_a_table_and_the_next_part(example_build: Path) -> None:
    """An empty paragraph after a table that fills its page, before a part that starts a new page, was
    a blank page (LibreOffice showed 4 in the example pack's DOCX files: after each glossary)."""
    for path in sorted(example_build.glob("*.docx")):
        body = [child for child in docx.Document(path).element.body if child.tag != qn("w:sectPr")]
        for before, spacer, after in zip(body, body[1:], body[2:], strict=False):
            if before.tag == qn("w:tbl") and spacer.tag == qn("w:p") and after.tag == qn("w:p"):
                breaks = after.find(f"{qn('w:pPr')}/{qn('w:pageBreakBefore')}")
                empty = not any(node.tag == qn("w:t") for node in spacer.iter())
                assert not (empty and breaks is not None), f"{path.name}: a blank-page spacer after a table"


def test_every_colour_comes_from_a_style(example_build: Path) -> None:
    """No run, paragraph or cell of the body sets a colour, border colour or shading of its own: the
    styles (Key Text, Teacher Text, Word Bank, Answer Line, Pack Table, headings) carry them all, so a
    reference or a theme recolours everything."""
    for path in sorted(example_build.rglob("*.docx")):
        parts = _parts(path)
        body = etree.fromstring(parts["word/document.xml"])
        coloured = [etree.QName(node).localname for node in body.iter(qn("w:color"), qn("w:shd"), qn("w:pBdr"))]
        assert coloured == [], (path.name, sorted(set(coloured)))
        styles = etree.fromstring(parts["word/styles.xml"])
        table = next(s for s in styles.iter(qn("w:style"))
                     if s.find(qn("w:name")) is not None and s.find(qn("w:name")).get(qn("w:val")) == "Pack Table")
        assert table.find(f"{qn('w:tblStylePr')}/{qn('w:tcPr')}/{qn('w:shd')}").get(qn("w:fill")) == "E4EEF5"


# -- issue 16, point 6: the timeline's drawing, the cover's page numbers, template blocks ------------------

A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
ASVG = "{http://schemas.microsoft.com/office/drawing/2016/SVG/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
SVG = "{http://www.w3.org/2000/svg}"


def _drawings(path: Path) -> list[dict[str, object]]:
    """Each picture of the body: its alt text, size (EMU), main blip's part and SVG extension's part, if any."""
    document = docx.Document(io.BytesIO(path.read_bytes()))
    found = []
    for inline in document.element.body.iter(f"{WP}inline"):
        blip = inline.find(f".//{A}blip")
        svg = blip.find(f"{A}extLst/{A}ext/{ASVG}svgBlip")
        extent = inline.find(f"{WP}extent")
        found.append({
            "descr": inline.find(f"{WP}docPr").get("descr"),
            "size": (int(extent.get("cx")), int(extent.get("cy"))),
            "png": document.part.related_parts[blip.get(f"{R}embed")],
            "svg": None if svg is None else document.part.related_parts[svg.get(f"{R}embed")],
            "uri": blip.find(f"{A}extLst/{A}ext").get("uri") if svg is not None else None,
            "paragraph": inline.getparent().getparent().getparent(),
        })
    return found


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def test_the_timeline_is_the_pdfs_drawing_as_an_svg_picture_with_a_png_copy(make_pack, tmp_path: Path) -> None:
    """The DOCX's timeline page holds the SVG the PDF prints (Word 2016+ draws it) with a PNG of it at
    150 dpi in the main blip (older Word, LibreOffice), the width of the text, its <title> as alt text,
    on the heading's page, above the table that stays."""
    from builder import load_pack
    from builder.render.docx.writer import MARGIN_X, PAPER
    from builder.render.html.page import CONTENT_BOX, render_html
    from builder.resolve.document import resolve, styling

    folder = make_pack()
    path = _build(folder, tmp_path / "out")
    [drawing] = _drawings(path)
    assert drawing["uri"] == "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"
    svg_part = drawing["svg"]
    assert svg_part.content_type == "image/svg+xml" and str(svg_part.partname).endswith(".svg")
    content_types = _parts(path)["[Content_Types].xml"].decode()
    assert f'PartName="{svg_part.partname}" ContentType="image/svg+xml"' in content_types

    pack = load_pack(folder)
    document = resolve(pack, pack.levels[-1], "teacher", look=styling(pack, ()))
    html = render_html(document, *CONTENT_BOX[document.paper])[0]
    printed = html[html.index('<svg class="timeline-chart"'):html.index("</svg>") + len("</svg>")]
    embedded = svg_part.blob.decode()
    assert embedded.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<svg ')
    assert " ".join(embedded.split("\n", 1)[1].split()) == " ".join(printed.split())  # the same drawing

    root = etree.fromstring(svg_part.blob)
    width_px, height_px = float(root.get("width")), float(root.get("height"))
    png_width, png_height = _png_size(drawing["png"].blob)
    assert drawing["png"].content_type == "image/png"
    assert abs(png_width - width_px / 96 * 150) <= 1 and abs(png_height - height_px / 96 * 150) <= 1

    timeline = next(c for c in document.components if c.name == "timeline")
    assert drawing["descr"] == " ".join(root.find(f"{SVG}title").text.split())
    assert drawing["descr"].startswith("Discoveries: ")
    assert all(item.title in drawing["descr"] for item in timeline.items) and len(timeline.items) == 3
    width, height = drawing["size"]
    assert abs(width - (PAPER["a4"][0] - 2 * MARGIN_X)) < 2000  # the text width (the page is set in twips)
    assert abs(height / width - height_px / width_px) < 0.001

    picture = drawing["paragraph"]
    note = picture.getprevious()
    heading = note.getprevious()
    assert docx.text.paragraph.Paragraph(heading, None).text == "Discoveries"
    assert all(docx.text.paragraph.Paragraph(p, None).paragraph_format.keep_with_next for p in (heading, note))
    assert picture.getnext().tag == qn("w:tbl")  # the editable table stays, below the picture
    assert schema_errors(path) == []


def test_a_workspaces_timeline_svg_is_the_docx_picture_too_scaled_to_a_page(make_pack, tmp_path: Path) -> None:
    """timeline.svg is on the template path like any template: a workspace's own reaches the PDF and the
    DOCX alike. A drawing taller than a page is scaled down to fit, in proportion."""
    from builder.render.docx.writer import MARGIN_X, MARGIN_Y, PAPER

    folder = make_pack()
    (folder.parent / "templates").mkdir()
    (folder.parent / "templates" / "timeline.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="600" height="3000" viewBox="0 0 600 3000">'
        "<title>{{ component.title }}, drawn by the district</title>"
        '<rect x="10" y="10" width="580" height="2980" fill="#2e5e3e"/></svg>', encoding="utf-8")
    path = _build(folder, tmp_path / "out")
    [drawing] = _drawings(path)
    assert drawing["descr"] == "Discoveries, drawn by the district"
    width, height = drawing["size"]
    assert height < PAPER["a4"][1] - 2 * MARGIN_Y and width < PAPER["a4"][0] - 2 * MARGIN_X
    assert abs(height / width - 5) < 0.001
    assert _png_size(drawing["png"].blob) == (938, 4688)  # 600 x 3000 px at 150 dpi
    assert schema_errors(path) == []


@pytest.mark.parametrize(("drawing", "message"), [
    ('<svg xmlns="http://www.w3.org/2000/svg" width="600" height="300"><image href="https://example.org/a.png" '
     'width="10" height="10"/></svg>',
     "the DOCX embeds this drawing, which links to 'https://example.org/a.png' outside it; Word would "
     "look for it elsewhere: put it in as a data: URI"),
    ('<svg xmlns="http://www.w3.org/2000/svg" width="100%" height="300"></svg>',
     "the DOCX embeds this drawing, but it is not one <svg> with a width and height in px; fix the "
     "template"),
    ('<svg xmlns="http://www.w3.org/2000/svg" width="600" height="300"><text>&nbsp;</text></svg>',
     "the DOCX embeds this drawing, but it is not well-formed SVG (Entity 'nbsp' not defined, line 1, "
     "column 78); fix the template"),
])
def test_a_drawing_the_docx_cannot_hold_is_refused_before_anything_is_written(make_pack, tmp_path: Path,
                                                                              drawing: str, message: str) -> None:
    """One line naming the workspace's template, exit 2 (a template problem), nothing written."""
    from builder import TeachpackError
    from builder.core.files import display_path

    folder = make_pack()
    (folder.parent / "templates").mkdir()
    (folder.parent / "templates" / "timeline.svg").write_text(drawing, encoding="utf-8")
    with pytest.raises(TeachpackError) as raised:
        _build(folder, tmp_path / "out")
    assert str(raised.value) == f"{display_path(folder.parent / 'templates' / 'timeline.svg')}: {message}"
    assert raised.value.exit_code == 2
    assert not (tmp_path / "out").exists()


def test_the_cover_lists_every_part_with_a_live_page_number(with_logo: Path, tmp_path: Path) -> None:
    """"In this pack" is the parts' Heading 1s as Word lays out contents: each entry in the "toc 1" style, a
    hyperlink to a _Toc bookmark round its heading, a dot leader and a PAGEREF field of that bookmark; Word
    is asked to update the fields when it opens the file."""
    path = _build(with_logo, tmp_path / "out")
    document = docx.Document(io.BytesIO(path.read_bytes()))
    headings = [p for p in document.paragraphs if p.style.name == "Heading 1"]
    entries = [p for p in document.paragraphs if p.style.name == "toc 1"]
    assert len(headings) == len(entries) == 6  # overview, article, glossary, timeline, worksheet, answer key
    assert [e.text.split("\t")[0] for e in entries] == [h.text for h in headings]
    assert all(e.paragraph_format.tab_stops[0].leader == docx.enum.text.WD_TAB_LEADER.DOTS for e in entries)
    body = document.element.body
    marks = {m.get(qn("w:name")): m for m in body.iter(qn("w:bookmarkStart"))}
    ids = [m.get(qn("w:id")) for m in body.iter(qn("w:bookmarkStart"))]
    assert len(ids) == len(set(ids))  # unique across the contents' and the questions' bookmarks
    assert len([name for name in marks if name.startswith("_Toc")]) == len(headings)
    for entry, heading in zip(entries, headings, strict=True):
        [link] = entry._p.iter(qn("w:hyperlink"))
        instruction = "".join(t.text for t in link.iter(qn("w:instrText"))).split()
        assert instruction[0] == "PAGEREF" and instruction[1] == link.get(qn("w:anchor"))
        assert instruction[1].startswith("_Toc") and marks[instruction[1]].getparent() is heading._p
        number = marks[instruction[1]].get(qn("w:id"))
        assert [e.get(qn("w:id")) for e in heading._p.iter(qn("w:bookmarkEnd"))] == [number]
    assert document.styles["toc 1"].type == docx.enum.style.WD_STYLE_TYPE.PARAGRAPH
    settings = etree.fromstring(_parts(path)["word/settings.xml"])
    assert settings.find(qn("w:updateFields")).get(qn("w:val")) == "true"
    assert schema_errors(path) == []  # w:updateFields in its place in the settings' sequence


def test_contents_bookmarks_take_names_and_ids_no_part_uses() -> None:
    from builder.render.docx import xml

    document = docx.Document()
    taken = document.add_paragraph("Taken")
    taken._p.append(xml.element("w:bookmarkStart", w_id=41, w_name="_Toc000000001"))
    taken._p.append(xml.element("w:bookmarkEnd", w_id=41))
    placeholder = document.add_paragraph()
    headings = [document.add_heading(title, 1) for title in ("One", "Two")]
    xml.add_contents(placeholder, headings, docx.shared.Mm(170), document)
    starts = list(document.element.body.iter(qn("w:bookmarkStart")))
    assert [(s.get(qn("w:name")), s.get(qn("w:id"))) for s in starts] == [
        ("_Toc000000001", "41"), ("_Toc000000002", "42"), ("_Toc000000003", "43")]


def test_two_builds_of_a_pack_with_a_timeline_are_byte_identical(make_pack, tmp_path: Path) -> None:
    folder = make_pack()
    first, second = _build(folder, tmp_path / "one"), _build(folder, tmp_path / "two")
    assert first.read_bytes() == second.read_bytes()


def test_a_workspaces_name_lines_reach_the_docx(tmp_path: Path) -> None:
    """The district's worksheet name_line block (Name, Period, Teacher) is what the DOCX worksheet's line
    says too; the cover's built-in name_lines block gives Name, Class and Date."""
    from tests.conftest import EXAMPLE

    path = build_pack([EXAMPLE], out=tmp_path / "out", formats=["docx"], levels=["middle"], editions=["student"],
                      workspace=REPO / "examples" / "district-theme").written[0]
    paragraphs = docx.Document(io.BytesIO(path.read_bytes())).paragraphs
    worksheet = next(i for i, p in enumerate(paragraphs) if p.style.name == "Heading 1" and p.text == "Worksheet")
    line = paragraphs[worksheet + 1]
    assert line.text == "Name\t  Period\t  Teacher\t"
    assert [stop.leader for stop in line.paragraph_format.tab_stops] == [docx.enum.text.WD_TAB_LEADER.HEAVY] * 3
    assert [p.text for p in paragraphs if p.text in ("Name\t", "Class\t", "Date\t")] == ["Name\t", "Class\t", "Date\t"]


def test_libreoffice_shows_the_page_numbers_and_the_timeline_picture(tmp_path: Path) -> None:
    """Through LibreOffice, as a teacher without Word sees it: the cover is one page whose contents give each
    part's real page, and the timeline's page shows the picture."""
    from tests.conftest import EXAMPLE

    path = build_pack([EXAMPLE], out=tmp_path / "out", formats=["docx"], levels=["middle"],
                      editions=["teacher"]).written[0]
    pdf = to_pdf([path], tmp_path)[path]
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                           text=True).stdout.split("\f")
    headings = [p.text for p in docx.Document(str(path)).paragraphs if p.style.name == "Heading 1"]
    # The teacher edition's pages are numbered T1, T2 (cover, overview), 2, 3, ... (the student pages, as in the
    # handout) and Key 1, ...: each page is found by the footer that prints its number (the cover has none).
    footers = [([line.strip() for line in page.splitlines() if line.strip()] or [""])[-1] for page in pages]
    numbers = {}
    for title in headings:
        found = re.search(re.escape(title) + r"\.{3,}\s*(T|Key )?(\d+)", pages[0])
        assert found, (title, pages[0])
        footer = {"T": "Page T", "Key ": "Key page ", None: "Page "}[found.group(1)] + found.group(2)
        assert footer in footers, (title, footer, footers)
        numbers[title] = footers.index(footer) + 1  # the physical page
    assert sorted(numbers.values()) == list(numbers.values()) and numbers[headings[0]] == 2  # the cover: one page
    for title, number in numbers.items():
        assert title in pages[number - 1], (title, number)  # the page it names has the heading
    images = subprocess.run(["pdfimages", "-list", str(pdf)], check=True, capture_output=True, text=True).stdout
    on_pages = {int(line.split()[0]) for line in images.splitlines()[2:]}
    assert numbers["Key events, 1949-1969"] in on_pages


def test_a_drawn_picture_is_kept_on_disk_until_a_file_it_read_changes(tmp_path: Path, monkeypatch) -> None:
    """The timeline's PNG is drawn once for every later build and worker ($XDG_CACHE_HOME/teachpack/pictures),
    with the files the drawing read (its fonts); when one of them changes, it is drawn again."""
    from builder.render.pdf import raster

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    font = tmp_path / "font.ttf"
    font.write_bytes(b"one")
    from builder.core.digest import current_digest

    reads = {str(font): current_digest(str(font))}
    assert raster._from_disk("600x300\n<svg/>") is None
    raster._to_disk("600x300\n<svg/>", PNG, reads)
    assert raster._from_disk("600x300\n<svg/>") == (PNG, reads)
    assert raster._from_disk("600x301\n<svg/>") is None  # another drawing
    assert not list((tmp_path / "cache").rglob("*.part"))
    font.write_bytes(b"two")
    assert raster._from_disk("600x300\n<svg/>") is None
