"""Templates staff can change without forking: search path, builtin/ extension, eject, theme, reference .docx."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from builder import TeachpackError, load_pack
from builder import model as m
from builder.check.checks import contrast, theme_warnings
from builder.core.paths import search_path
from builder.render import get_renderer
from builder.render.docx.writer import read_reference
from builder.render.html.page import render_html
from builder.render.html.templates import eject, list_templates
from builder.resolve.document import resolve, styling

from .conftest import REPO, ROOTS


def html_for(pack_dir: Path, template_dirs: tuple[Path, ...] = (), workspace: Path | None = None,
             edition: str = "student") -> str:
    pack = load_pack(pack_dir, workspace=workspace)
    document = resolve(pack, pack.levels[-1], edition, look=styling(pack, template_dirs))
    return render_html(document, 650, 900)[0]


def test_precedence_across_three_folders(tmp_path: Path, make_pack) -> None:
    pack = make_pack()
    first, second = tmp_path / "first", tmp_path / "second"
    workspace_templates = pack.parent / "templates"
    for folder, label in ((first, "FIRST"), (second, "SECOND"), (workspace_templates, "WORKSPACE")):
        folder.mkdir(parents=True)
        (folder / "glossary.html").write_text(f"<section id='glossary'><h1>{label} glossary</h1></section>")
        (folder / "timeline.html").write_text(f"<section id='timeline'><h1>{label} timeline</h1></section>")
    (workspace_templates / "article.html").write_text("<section id='article'><h1>WORKSPACE article</h1></section>")
    (first / "timeline.html").unlink()
    html = html_for(pack, (first, second))
    assert "FIRST glossary" in html  # --templates folders first, in the order given
    assert "SECOND timeline" in html
    assert "WORKSPACE article" in html  # then the workspace's templates/
    assert "Worksheet" in html  # then the built-ins
    dirs = search_path((first, second), pack.parent)
    assert dirs == (first.resolve(), second.resolve(), workspace_templates.resolve())
    listed = {info.name: info for info in list_templates(dirs)}
    assert listed["glossary.html"].source == first.resolve() / "glossary.html" and listed["glossary.html"].shadows
    assert listed["cover.html"].source.parent == REPO / "templates" and not listed["cover.html"].shadows


def test_extend_a_builtin_block(tmp_path: Path, make_pack) -> None:
    pack = make_pack()
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "worksheet.html").write_text(
        '{% extends "builtin/worksheet.html" %}{% block name_line %}<p class="x">Name, period and seat</p>{% endblock %}'
    )
    html = html_for(pack, (folder,))
    assert "Name, period and seat" in html
    assert "What makes water evaporate?" in html  # the rest of the built-in worksheet is still there
    assert list_templates((folder.resolve(),))[-1].extends_builtin


def test_eject_then_build_gives_identical_output(tmp_path: Path, make_pack) -> None:
    pack = make_pack()
    before = html_for(pack)
    copied = eject(None, pack.parent / "templates")
    assert {p.name for p in copied} >= {"worksheet.html", "pack.css", "reference.docx"}
    assert html_for(pack) == before
    with pytest.raises(TeachpackError, match=r"worksheet.html already exists; use --force to overwrite it"):
        eject("worksheet.html", pack.parent / "templates")
    assert eject("worksheet.html", pack.parent / "templates", force=True)
    with pytest.raises(TeachpackError, match=r"no built-in template 'workshet.html' \(did you mean 'worksheet.html'\?\)"):
        eject("workshet.html", tmp_path)


THEME = """theme:
  school: Hillside Academy
  logo: crest.png
  colors: {primary: "#2e5e3e", accent: "#9c3d00"}
  fonts: {heading: TeX Gyre Adventor}
"""


def _themed(make_pack) -> Path:
    pack = make_pack()
    (pack.parent / "teachpack.yaml").write_text(THEME)
    shutil.copy(REPO / "examples" / "district-theme" / "logo.png", pack.parent / "crest.png")
    return pack


def test_theme_reaches_css_header_cover_and_docx(make_pack) -> None:
    pack_dir = _themed(make_pack)
    pack = load_pack(pack_dir)
    document = resolve(pack, pack.levels[-1], "student")
    html, css = render_html(document, 650, 900)
    assert "--primary: #2e5e3e;" in css and "--accent: #9c3d00;" in css
    assert '"TeX Gyre Adventor"' in css
    assert '"Hillside Academy · The Water Cycle"' in css and "crest.png" in css  # running header
    assert "Hillside Academy" in html and 'class="cover-logo"' in html  # cover
    out = docx.Document(io.BytesIO(get_renderer("docx").render(document)))
    assert out.styles["Heading 1"].font.color.rgb == docx.shared.RGBColor(0x2E, 0x5E, 0x3E)
    assert "TeX Gyre Adventor" in out.styles["Heading 1"].element.xml
    header = out.sections[0].header.paragraphs[0]
    assert "Hillside Academy · The Water Cycle" in header.text and header._p.xml.count("<pic:pic") == 1


def test_low_contrast_theme_is_a_warning(make_pack) -> None:
    pack_dir = make_pack(changes={"theme": {"colors": {"primary": "#9ab3c4"}}})
    warnings = [str(w) for w in theme_warnings(load_pack(pack_dir))]
    assert len(warnings) == 2
    assert warnings[0].endswith("theme.colors.primary: #9ab3c4 on background #ffffff has contrast 2.18:1, below "
                                "WCAG AA 4.5:1; choose a darker primary or a lighter background")
    assert round(contrast("#777777", "#ffffff"), 2) == 4.48


def test_reference_docx_fonts_and_colours_carry_into_the_output(make_pack) -> None:
    pack = load_pack(make_pack())
    reference = REPO / "examples" / "district-theme" / "templates" / "reference.docx"
    document = resolve(pack, pack.levels[-1], "teacher", look=m.Styling((), reference, pack.theme))
    out = docx.Document(io.BytesIO(get_renderer("docx").render(document)))
    assert out.styles["Heading 1"].font.name == "Georgia"
    assert out.styles["Heading 1"].font.color.rgb == docx.shared.RGBColor(0x2E, 0x5E, 0x3E)
    assert out.styles["Normal"].font.name == "Verdana"


@pytest.mark.parametrize("reference", [ROOTS / "reference" / "libreoffice-saved.docx", REPO / "templates" / "reference.docx"])
def test_reference_files_missing_styles_still_build(make_pack, reference: Path) -> None:
    pack = load_pack(make_pack())
    document = resolve(pack, pack.levels[-1], "teacher", look=m.Styling((), reference, pack.theme))
    out = docx.Document(io.BytesIO(get_renderer("docx").render(document)))
    used = {p.style.name for p in out.paragraphs if p.style is not None}
    assert {"Title", "Heading 1", "Heading 2", "List Number", "Quote", "Answer Line"} <= used
    # The data tables' style, made on Table Grid when the file lacks it; layout tables (the overview's two
    # columns) have none, by design (xml.layout_table).
    styled = [t for t in out.tables if t._tbl.tblPr.find(qn("w:tblStyle")) is not None]
    assert styled and {t.style.name for t in styled} == {"Pack Table"}


def test_broken_reference_docx(tmp_path: Path) -> None:
    broken = tmp_path / "reference.docx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(TeachpackError) as caught:
        read_reference(broken)
    assert str(caught.value) == f"{broken}: is not a Word (.docx) file (not a zip package); save it again as .docx"


def test_template_errors_name_file_and_line(tmp_path: Path, make_pack) -> None:
    pack = make_pack()
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "glossary.html").write_text("<section>\n{% for x in %}\n</section>\n")
    with pytest.raises(TeachpackError) as caught:
        html_for(pack, (folder,))
    assert str(caught.value) == (f"{folder.resolve()}/glossary.html:2: template syntax error: Expected an expression, "
                                 "got 'end of statement block'; fix the template")
    (folder / "glossary.html").write_text("<section>\n<h1>{{ componnent.title }}</h1>\n</section>\n")
    with pytest.raises(TeachpackError) as caught:
        html_for(pack, (folder,))
    assert str(caught.value) == (f"{folder.resolve()}/glossary.html:2: template error: 'componnent' is undefined; "
                                 "check the spelling against docs/templates.md")
    (folder / "glossary.html").write_text('{% include "missing-part.html" %}')
    with pytest.raises(TeachpackError) as caught:
        html_for(pack, (folder,))
    assert str(caught.value).startswith(f"template 'missing-part.html' not found; searched {folder.resolve()}, ")
    assert str(caught.value).endswith("templates (built-in)")


def test_sandbox_blocks_python_internals(tmp_path: Path, make_pack) -> None:
    pack = make_pack()
    folder = tmp_path / "evil"
    folder.mkdir()
    (folder / "glossary.html").write_text("{{ doc.__class__.__init__.__globals__ }}")
    with pytest.raises(TeachpackError, match="template error"):
        html_for(pack, (folder,))


def test_custom_component_is_pdf_only(make_pack) -> None:
    pack_dir = make_pack(changes={"contents": ["cover", {"template": "map-activity.html", "title": "Map work",
                                                         "data": {"places": ["Yalu River", "Taiwan"]}}]})
    folder = pack_dir.parent / "templates"
    folder.mkdir()
    (folder / "map-activity.html").write_text(
        '<section id="{{ component.name }}"><h1>{{ component.title }}</h1><ul>'
        "{% for p in component.data.places %}<li>{{ p }}</li>{% endfor %}</ul></section>"
    )
    html = html_for(pack_dir)
    assert "<li>Yalu River</li>" in html and "<h1>Map work</h1>" in html
    pack = load_pack(pack_dir)
    out = docx.Document(io.BytesIO(get_renderer("docx").render(resolve(pack, pack.levels[-1]))))
    assert "This part (map-activity.html) is in the PDF edition only." in [p.text for p in out.paragraphs]


def test_workspace_option_restyles_a_pack_elsewhere() -> None:
    example = REPO / "packs" / "sino-soviet-split"
    html = html_for(example, workspace=REPO / "examples" / "district-theme")
    assert "Riverside Unified School District" in html
    assert "Teacher" in html and "Period" in html  # the district's worksheet block


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "builder", *args], cwd=cwd, capture_output=True, text=True)


@pytest.mark.parametrize("case", ["syntax", "missing", "reference"])
def test_template_problems_exit_2_and_write_nothing(tmp_path: Path, make_pack, case: str) -> None:
    pack = make_pack()
    folder = tmp_path / "t"
    folder.mkdir()
    args = ["build", str(pack), "--out", str(tmp_path / "out"), "--jobs", "1"]
    if case == "syntax":
        (folder / "glossary.html").write_text("<section>\n{% for x in %}\n")
        args += ["--templates", str(folder)]
        expected = "error: t/glossary.html:2: template syntax error:"  # named as the user would, from the current folder
    elif case == "missing":
        (folder / "glossary.html").write_text('{% include "nope.html" %}')
        args += ["--templates", str(folder)]
        expected = "error: template 'nope.html' not found; searched "
    else:
        (folder / "reference.docx").write_bytes(b"not a zip")
        args += ["--reference-docx", str(folder / "reference.docx")]
        expected = "error: t/reference.docx: is not a Word (.docx) file (not a zip package)"
    result = _cli(*args, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith(expected), result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_cli_templates_list_and_eject(tmp_path: Path) -> None:
    result = _cli("templates", "eject", "worksheet.html", "--to", "templates", cwd=tmp_path)
    assert result.returncode == 0 and (tmp_path / "templates" / "worksheet.html").is_file()
    again = _cli("templates", "eject", "worksheet.html", "--to", "templates", cwd=tmp_path)
    assert again.returncode == 2 and "already exists; use --force to overwrite it" in again.stderr
    listing = _cli("templates", "list", cwd=tmp_path).stdout.splitlines()
    row = next(line for line in listing if line.startswith("worksheet.html"))
    assert "replaces the built-in" in row and str(tmp_path / "templates") in row
    assert any(line.startswith("cover.html") and "built-in" in line for line in listing)


def test_templates_list_says_which_templates_and_blocks_reach_the_docx() -> None:
    """The DOCX is written from the model, not from the HTML: `templates list` marks what it takes from the
    templates (the name lines' words, the timeline's drawing, the Word styles) and what is the PDF's alone."""
    district = REPO / "examples" / "district-theme"
    listing = _cli("templates", "list", str(district), cwd=REPO).stdout.splitlines()

    def row(start: str) -> str:
        return next(line for line in listing if line.startswith(start))

    assert "DOCX: no (PDF only)" in row("pack.css ") and "DOCX: no (PDF only)" in row("glossary.html ")
    assert "DOCX: yes (the picture)" in row("timeline.svg ")
    assert "DOCX: only (Word styles)" in row("reference.docx ") and "replaces the built-in" in row("reference.docx ")
    worksheet = listing.index(row("worksheet.html "))
    assert "extends builtin/worksheet.html" in listing[worksheet] and "DOCX: some blocks" in listing[worksheet]
    blocks = {line.split()[1]: line.split("DOCX: ")[1] for line in listing[worksheet + 1:worksheet + 4]}
    assert blocks == {"heading": "no (PDF only)", "name_line": "yes (its words)", "items": "no (PDF only)"}
    cover = listing.index(row("cover.html "))
    assert [line.split()[1] for line in listing[cover + 1:cover + 6] if "yes" in line] == ["name_lines"]
    assert all(line.startswith("  block ") for line in listing[cover + 1:cover + 6])
