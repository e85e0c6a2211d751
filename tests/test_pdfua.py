"""PDF/UA-1 proved by an independent validator: `page` (PyPI page-validation, veraPDF's rules) over every
kind of PDF teachpack makes. Every other PDF the suite writes is validated too, at the end of the run
(conftest.pytest_sessionfinish)."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pypdf
import pytest
import yaml

from builder import build_pack, load_pack
from builder.check.a11y import alt_text_problem, pdf_report
from builder.check.pdfua import fix_for
from builder.core.levels import builtin_levels, with_preset

from .conftest import EXAMPLE, REPO, pdfua_failures


@pytest.fixture(scope="module")
def matrix(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One level of the example pack every way it can print: both editions, Form B, both access
    presets, the district's theme and template, A4 paper (the elementary level, flashcards included)."""
    out = tmp_path_factory.mktemp("pdfua")
    a4 = out / "a4" / "sino-soviet-split"
    shutil.copytree(EXAMPLE, a4)
    data = yaml.safe_load((a4 / "pack.yaml").read_text(encoding="utf-8"))
    (a4 / "pack.yaml").write_text(yaml.safe_dump({**data, "paper": "a4"}, sort_keys=False), encoding="utf-8")
    common = {"formats": ["pdf"], "jobs": 1}
    build_pack([EXAMPLE], out=out / "forms", levels=["middle"], variants=2, **common)
    build_pack([EXAMPLE], out=out / "presets", levels=["middle"], profiles=["dyslexia", "large-print"], **common)
    build_pack([EXAMPLE], out=out / "district", levels=["high"], workspace=REPO / "examples" / "district-theme",
               **common)
    build_pack([a4], out=out / "paper", levels=["elementary"], **common)
    files = {str(p.relative_to(out)): p for p in sorted(out.glob("*/sino-soviet-split/*.pdf"))}
    assert len(files) == 12  # 4 (Form A and B) + 4 presets + 2 district + 2 A4
    return files


@pytest.mark.slow
def test_every_kind_of_pdf_passes_page(matrix: dict[str, Path]) -> None:
    failures = {name: pdfua_failures(path.read_bytes()) for name, path in matrix.items()}
    assert {name: rules for name, rules in failures.items() if rules} == {}
    kinds = " ".join(matrix)
    for kind in ("form-b", "dyslexia", "large-print", "district/", "paper/", "teacher", "student"):
        assert kind in kinds


@pytest.mark.slow
def test_large_print_keeps_every_letter_at_18_pt(matrix: dict[str, Path]) -> None:
    """The check's own reading of the type: large print's smallest type (running heads, page numbers,
    captions, the timeline) is 18 pt, the body 18 pt, and every colour reads at AA contrast."""
    level = with_preset(builtin_levels()["middle"], "large-print")
    assert level.min_type == 18
    for name in ("presets/sino-soviet-split/sino-soviet-split-middle-student-large-print.pdf",
                 "presets/sino-soviet-split/sino-soviet-split-middle-teacher-large-print.pdf"):
        report = pdf_report(name, matrix[name].read_bytes(), "en", level=level)
        assert report.problems == []
        assert "smallest type 18 pt" in report.facts and "body text 18 pt" in report.facts
    plain = matrix["forms/sino-soviet-split/sino-soviet-split-middle-student.pdf"].read_bytes()
    report = pdf_report("x.pdf", plain, "en", level=level)  # the ordinary file is not large print
    assert any("below the level's smallest type 18 pt" in p for p in report.problems)


@pytest.mark.slow
def test_every_kind_passes_the_check_a11y_report(matrix: dict[str, Path]) -> None:
    levels = builtin_levels()
    for name, path in matrix.items():
        level = levels[next(lv for lv in levels if f"-{lv}-" in name)]
        for preset in ("dyslexia", "large-print"):
            if preset in name:
                level = with_preset(level, preset)
        assert pdf_report(name, path.read_bytes(), "en", level=level).problems == [], name


def test_a_list_wrapped_in_divs_fails_with_the_rule_and_the_fix(make_pack, tmp_path: Path) -> None:
    """A template that puts <div> between a list and its items (as the glossary once did) fails page's
    list rules, and check --a11y names the rule and what to change."""
    folder = make_pack()
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "glossary.html").write_text(
        '<section class="glossary" id="glossary"><h1>{{ component.title }}</h1><dl>'
        "{% for item in component.items %}<div><dt>{{ item.term }}</dt><dd>{{ item.definition }}</dd></div>"
        "{% endfor %}</dl></section>", encoding="utf-8")
    build_pack([folder], out=tmp_path / "out", levels=["high"], editions=["student"], formats=["pdf"],
               template_dirs=[templates])
    data = (tmp_path / "out" / "pack" / "pack-high-student.pdf").read_bytes()
    rules = {line.split(":")[0] for line in pdfua_failures(data)}
    assert rules == {"PDFUA1-L-KIDS-001", "PDFUA1-LI-PARENT-001"}
    problems = pdf_report("x.pdf", data, "en").problems
    assert any(p.startswith("PDFUA1-L-KIDS-001 (page: ") and "directly inside <ul> or <ol>" in p for p in problems)
    # the broken file must not count for the end-of-run sweep, which would fail the suite: remove it
    (tmp_path / "out" / "pack" / "pack-high-student.pdf").unlink()


def test_a_table_without_header_scope_fails_with_the_fix(make_pack, tmp_path: Path) -> None:
    folder = make_pack()
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "article.html").write_text(
        '<section class="article" id="article"><h1>{{ doc.title }}</h1>'
        "<table><tr><td>Year</td><td>1950</td></tr></table></section>", encoding="utf-8")
    build_pack([folder], out=tmp_path / "out", levels=["high"], editions=["student"], formats=["pdf"],
               template_dirs=[templates])
    path = tmp_path / "out" / "pack" / "pack-high-student.pdf"
    data = path.read_bytes()
    path.unlink()  # kept out of the end-of-run sweep
    problems = pdf_report("x.pdf", data, "en").problems
    assert any("header cell" in p or "PDFUA1-TABLE-HEADERS" in p for p in problems)


def test_every_page_rule_has_a_plain_fix() -> None:
    for rule in ("PDFUA1-L-KIDS-001", "PDFUA1-TABLE-HEADERS-SCOPE-001", "PDFUA1-FIGURE-ALTERNATIVE-TEXT-001",
                 "PDFUA1-HEADING-NESTING-001", "PDFUA1-METADATA-TITLE-001", "PDFUA1-TEXT-LANGUAGE-001",
                 "PDFUA1-FONT-EMBEDDING-001", "PDFUA1-TRUETYPE-SYMBOLIC-CMAP-001", "PDFUA1-SOMETHING-NEW-001"):
        assert fix_for(rule)
    assert "language:" in fix_for("PDFUA1-SPAN-ALT-TEXT-LANGUAGE-001")
    assert "<li>" in fix_for("PDFUA1-LI-PARENT-001")


@pytest.mark.parametrize(("alt", "weak"), [("map.png", True), ("IMG_2041.JPG", True), ("Image of a river", True),
                                           ("a photo of Mao", True), ("picture", True),
                                           ("Mao Zedong and Stalin in Moscow, 1949", False),
                                           ("Imagery from the Soviet press", False)])
def test_alt_text_quality(alt: str, weak: bool) -> None:
    assert (alt_text_problem(alt) is not None) is weak


def test_low_contrast_text_is_reported(make_pack) -> None:
    """A theme colour too light to read, printed as heading text: the PDF check measures it on the page."""
    from builder.render import get_renderer
    from builder.resolve.document import resolve, styling

    folder = make_pack(changes={"theme": {"colors": {"primary": "#b0b0b0"}}})
    pack = load_pack(folder)
    document = resolve(pack, pack.levels[-1], "student", look=styling(pack))
    data = get_renderer("pdf").render(document)
    assert pypdf.PdfReader(io.BytesIO(data)).pages
    problems = pdf_report("x.pdf", data, "en", level=document.level).problems
    assert any("below WCAG AA" in p and "#b0b0b0" in p for p in problems)
