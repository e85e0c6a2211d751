"""The DOCX as a package Word opens cleanly (issue 16, point 7): compatibility mode 15, an honest
app.xml, language slots from the pack's language, one id per drawing, every font in the font table."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from lxml import etree

from builder import __version__, build_pack
from builder.render.docx.xml import language_slot
from tests.conftest import REPO
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
    links = list(document.element.body.iter(qn("w:hyperlink")))
    assert len(links) == 2
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
