"""Accessible output: the PDF's tag tree and the DOCX's alt text, language and headings, read back."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import docx
import pypdf
import pytest
from docx.oxml.ns import qn

from builder import build_pack, load_pack
from builder.check.a11y import docx_report, pdf_report
from builder.render import get_renderer
from builder.resolve.document import resolve, styling

from .conftest import EXAMPLE, REPO

PNG = (REPO / "examples" / "district-theme" / "logo.png").read_bytes()


def elements(node: object) -> list:
    out = []
    kids = node.get("/K")
    for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
        kid = kid.get_object() if hasattr(kid, "get_object") else kid
        if hasattr(kid, "get") and kid.get("/S") is not None:
            out.append(kid)
            out.extend(elements(kid))
    return out


def test_example_pdf_tag_tree(example_build: Path) -> None:
    """StructTreeRoot, /Lang, title, bookmarks, every Figure with /Alt (the timeline lists its events),
    headings H1..H3 never skipping a level."""
    reader = pypdf.PdfReader(example_build / "sino-soviet-split-middle-teacher.pdf")
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en" and root["/MarkInfo"]["/Marked"]
    assert reader.metadata["/Title"] == "The Sino-Soviet Split (Middle School)"
    assert len(reader.outline) >= 5
    tree = elements(root["/StructTreeRoot"].get_object())
    figures = [e for e in tree if e["/S"] == "/Figure"]
    assert figures and all(str(f["/Alt"]).strip() for f in figures)
    timeline = next(str(f["/Alt"]) for f in figures if str(f["/Alt"]).startswith("Key events"))
    assert "1950" in timeline and "Treaty" in timeline  # the chart's events, as text
    levels = [int(str(e["/S"])[2]) for e in tree if str(e["/S"]) in ("/H1", "/H2", "/H3", "/H4")]
    assert levels[0] == 1 and max(levels) == 3
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False))
    assert not any(e["/S"] == "/Table" for e in tree if "/TH" not in {c["/S"] for c in elements(e)})


def test_example_docx_alt_language_headings(example_build: Path) -> None:
    document = docx.Document(example_build / "sino-soviet-split-high-teacher.docx")
    assert document.core_properties.title == "The Sino-Soviet Split"
    assert document.core_properties.language == "en"
    lang = document.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
    assert lang.get(qn("w:val")) == "en"
    report = docx_report("x.docx", (example_build / "sino-soviet-split-high-teacher.docx").read_bytes(), "en")
    assert report.problems == []


def test_images_carry_alt_text_into_both_formats(make_pack) -> None:
    folder = make_pack(changes={"sections": None, "theme": {"school": "Hill School", "logo": "logo.png"}},
                       article="## One\n\nText.\n\n![A map of the river basin](images/map.png)\n")
    (folder / "images").mkdir()
    (folder / "images" / "map.png").write_bytes(PNG)
    (folder / "logo.png").write_bytes(PNG)
    pack = load_pack(folder)
    document = resolve(pack, pack.levels[-1], "student", look=styling(pack))
    pdf = get_renderer("pdf").render(document)
    word = get_renderer("docx").render(document)
    assert pdf_report("x.pdf", pdf, "en").problems == []
    assert docx_report("x.docx", word, "en").problems == []
    alts = [p.get("descr") for p in docx.Document(io.BytesIO(word)).element.iter(qn("wp:docPr"))]
    assert "A map of the river basin" in alts and "Hill School" in alts
    tree = elements(pypdf.PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/StructTreeRoot"].get_object())
    assert {"A map of the river basin", "Hill School"} <= {str(e.get("/Alt")) for e in tree if e["/S"] == "/Figure"}


def test_missing_alt_is_a_warning_and_strict_refuses(make_pack, tmp_path: Path, monkeypatch) -> None:
    folder = make_pack(changes={"sections": None}, article="## One\n\nText.\n\n![](images/map.png)\n")
    (folder / "images").mkdir()
    (folder / "images" / "map.png").write_bytes(PNG)
    monkeypatch.chdir(folder.parent)
    expected = ("pack/article.md:5: image 'images/map.png' has no alt text; describe the picture in the brackets: "
                "![a map of ...](images/map.png)")
    assert [str(w) for w in load_pack(folder).warnings] == [f"TP501 {expected}"]
    with pytest.raises(Exception, match="--strict is set; nothing was written"):
        build_pack([folder], out=tmp_path / "out", strict=True, formats=["docx"])
    assert not (tmp_path / "out").exists()


def test_untagged_variant_fails_the_report(make_pack, tmp_path: Path) -> None:
    folder = make_pack()
    build_pack([folder], out=tmp_path / "out", levels=["high"], editions=["student"], formats=["pdf"],
               pdf_variant="none")
    data = (tmp_path / "out" / "pack" / "pack-high-student.pdf").read_bytes()
    assert "/StructTreeRoot" not in pypdf.PdfReader(io.BytesIO(data)).trailer["/Root"]
    assert pdf_report("x.pdf", data, "en").problems == [
        "not tagged (no structure tree); build with --pdf-variant pdf/ua-1"
    ]


def test_example_pack_passes_check_a11y_strict() -> None:
    result = subprocess.run([sys.executable, "-m", "builder", "check", str(EXAMPLE), "--a11y", "--strict"],
                            capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if line.startswith("  sino-soviet-split-")]
    assert len(lines) == 12  # 3 levels x 2 editions x 2 formats
    assert "problem:" not in result.stdout
    assert all("headings in order" in line for line in lines)


def test_district_theme_example_is_accessible() -> None:
    """The example workspace (logo, its own worksheet block) keeps the PDF and DOCX accessible."""
    pack = load_pack(EXAMPLE, workspace=REPO / "examples" / "district-theme")
    document = resolve(pack, pack.levels[-1], "teacher", look=styling(pack))
    assert pdf_report("x.pdf", get_renderer("pdf").render(document), "en").problems == []
    assert docx_report("x.docx", get_renderer("docx").render(document), "en").problems == []
