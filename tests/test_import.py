"""`teachpack import`: the reference article's acceptance criteria, each format, build and check on the result."""

from __future__ import annotations

import io
import random
import re
import subprocess
import sys
from pathlib import Path

import docx
import pytest
import yaml
from docx.enum.text import WD_BREAK

from builder import build_pack, check_pack, load_pack
from builder.importer import import_source
from builder.importer.datefind import find_dates
from builder.importer.draft import placeholder_png
from builder.load.article import parse_article

from .conftest import ROOTS

REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference" / "sino-soviet-split-source.txt"


def section_titles(folder: Path) -> list[str]:
    return [s.title for s in parse_article((folder / "article.md").read_text(encoding="utf-8")).sections]


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory):
    if not REFERENCE.is_file():
        pytest.skip(f"reference article not found at {REFERENCE}")
    folder = tmp_path_factory.mktemp("ref") / "sino"
    return import_source(REFERENCE, folder), folder


def test_reference_sections(reference) -> None:
    result, folder = reference
    titles = section_titles(folder)
    assert len(titles) == 12
    assert titles[0] == "Initial Soviet Policy" and titles[-1] == "Soviet Concerns"
    assert "Korean War (1950-53)" in titles and "Civil War Victory (1948-49)" in titles
    assert result.title == "Sino-Soviet Split (1960)"
    pack = load_pack(folder)
    assert len(pack.file.sources) == 1 and pack.file.sources[0].startswith("Pantsov, Alexander V.")


def test_reference_boilerplate_and_repeat(reference) -> None:
    result, folder = reference
    article = (folder / "article.md").read_text(encoding="utf-8")
    for gone in ("[The 1950s]", "Return to", "Related Chronolgy", "Navigate the", "Created:", "Last updated:", "HBC"):
        assert gone not in article
    reasons = [r.reason for r in result.removals]
    assert reasons.count("navigation links") == 9
    assert reasons.count("page date stamp (kept in the attribution)") == 2
    assert len(result.removals) == 15
    assert "2006-04-22" in result.attribution and "2009-10-22" in result.attribution
    # The opening summary repeats the sections: dropped once, reported with where its text lives.
    assert len(result.repeats) == 1 and result.repeats[0].section == ""
    assert len(result.repeats[0].found_in) >= 10
    assert article.count("One might expect the Soviets") == 1
    report = (folder / "import-report.md").read_text(encoding="utf-8")
    assert "## Repeated paragraphs dropped (1)" in report and "## Removed text (15)" in report


def test_reference_quote_and_figure(reference) -> None:
    result, folder = reference
    article = (folder / "article.md").read_text(encoding="utf-8")
    assert article.count("[Pantsov]") == 2
    assert result.figures == [("figure-1.png", "Figure 1")]
    assert (folder / "images" / "figure-1.png").read_bytes() == placeholder_png()


def test_reference_timeline(reference) -> None:
    _, folder = reference
    events = load_pack(folder).file.timeline.events
    dates = [(e.date.start.year, e.date.end.year if e.date.end else None) for e in events]
    assert len(events) >= 10
    for wanted in [(1950, None), (1950, 1953), (1956, None), (1958, None), (1959, None), (1960, None),
                   (1957, 1960), (1948, 1949)]:
        assert wanted in dates
    assert any(start == 1953 for start, _ in dates)
    years = {y for pair in dates for y in pair if y}
    assert not years & {2012, 2006, 2009} and not {1880, 1890, 1900, 1970, 1980, 1990, 2000} & years
    korean = next(e for e in events if e.title == "Korean War")
    assert korean.detail and korean.detail.startswith("China's participation in the Korean War")


def test_reference_spelling(reference) -> None:
    result, folder = reference
    flagged = {m.word: m.suggestion for m in result.spelling.misspellings}
    right = {"afinity": "affinity", "aklready": "already", "approch": "approach", "armned": "armed",
             "cebnters": "centers", "Comminist": "Communist", "confrontaltional": "confrontational",
             "decesion": "decision", "deteriorayed": "deteriorated", "inefficent": "inefficient",
             "influnce": "influence", "relationwith": "relation with", "Russiawas": "Russia was",
             "Sino-Sovuiet": "Sino-Soviet", "Stakin's": "Stalin's", "tradung": "trading", "ruke": "rule",
             "trated": "treated", "pf": "of"}
    assert {w: flagged.get(w) for w in right} == right
    wrong_flags = set(flagged) - set(right) - {"uncompetive", "and and", "deStalinization"}
    assert len(wrong_flags) <= 5, wrong_flags
    pack = load_pack(folder)
    assert pack.file.corrections["decesion"] == "decision"
    assert "Pantsov" in pack.file.dictionary
    # The build reads the corrections; the article file keeps the source's spelling.
    assert "Soviet decision to withdraw" in pack.article_text
    assert "decesion" in (folder / "article.md").read_text(encoding="utf-8")


def test_reference_glossary_drafts(reference) -> None:
    result, folder = reference
    terms = [t.term for t in result.glossary]
    assert "Korean War" in terms and 8 <= len(terms) <= 15  # Marxism, said once, ranks below the cut
    warnings = [str(w) for w in check_pack(folder).warnings]
    # Each term is either drafted from WordNet (TP206, to read) or left to write (TP204).
    drafted = sum(1 for t in result.glossary if t.drafted)
    assert sum("has no definition yet" in w for w in warnings) == len(terms) - drafted
    assert sum(w.startswith("TP206") for w in warnings) == drafted
    assert not any("does not occur in the article" in w for w in warnings)
    assert any("figure-1.png' is a placeholder from teachpack import" in w for w in warnings)
    # The worksheet is drafted, each question listed for review (TP208), so it is not "empty" (TP202).
    assert sum(w.startswith("TP208") for w in warnings) == len(result.questions) >= 8
    assert not any("worksheet: has no questions yet" in w for w in warnings)


def test_reference_builds(reference, tmp_path: Path) -> None:
    _, folder = reference
    result = build_pack(folder, out=tmp_path, formats=["docx"])
    assert result.written and all(p.stat().st_size > 0 for p in result.written)
    document = docx.Document(str(next(p for p in result.written if "middle-student" in p.name)))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert "Stalin\u2019s Death (1953)" in headings  # corrections apply to headings too


@pytest.mark.slow
def test_reference_builds_pdf(reference, tmp_path: Path) -> None:
    from .conftest import pdf_text

    _, folder = reference
    result = build_pack(folder, out=tmp_path, levels=["middle"], formats=["pdf"])
    text = pdf_text(next(p for p in result.written if p.name.endswith("middle-student.pdf")))
    assert "Initial Soviet Policy" in text and "Rupture of Relations" in text and "Comminist" not in text


def test_txt_dates_and_navigation(tmp_path: Path) -> None:
    result = import_source(ROOTS / "import-txt" / "nav-and-dates.txt", tmp_path / "pack")
    dates = {e.date: e.title for e in result.timeline.events}
    assert dates == {
        "1801-1900": "19th Century became the age of the lens",
        "1822-1823": "Fresnel Lenses",
        "1850-1859": "Most towers used one",
        "1893-01-17": "Storm put out every lamp",
        "1946-03": "Coast guard began to replace keepers with machines",
        "1965-1969": "Few keepers were left",
    }
    assert [(s.wording, s.reason) for s in result.timeline.skipped] == [
        ("280 BC", "BC dates cannot go on the timeline (pack dates have no BC years)")]
    assert [r.reason for r in result.removals] == [
        "navigation links", "navigation ('Return to ...')", "links to related pages",
        "page date stamp (kept in the attribution)", "page date stamp (kept in the attribution)"]
    load_pack(tmp_path / "pack")


@pytest.mark.parametrize("text,expected", [
    ("It held 8,000 words and cost $400 million at the 38th parallel.", []),
    ("He paid $1900 for 1500 soldiers and 2000 tons.", []),
    ("Jan. 17, 1893 and March 6, 1946 and June 1950.", ["1893-01-17", "1946-03-06", "1950-06"]),
    ("The 1948-49 winter, the 1957-60 plan, from 1914 to 1918.", ["1948-1949", "1957-1960", "1914-1918"]),
    ("In the late 1960s, the early 1800s and the 19th Century.", ["1965-1969", "1800-1832", "1801-1900"]),
    ("AD 79 and 476 CE.", ["79", "476"]),
])
def test_find_dates(text: str, expected: list[str]) -> None:
    assert [v for _, _, v in find_dates(text) if isinstance(v, str)] == expected


def test_html_hostile_page(tmp_path: Path) -> None:
    result = import_source(ROOTS / "import-html" / "page.html", tmp_path / "pack")
    article = (tmp_path / "pack" / "article.md").read_text(encoding="utf-8")
    assert result.title == "The Erie Canal"
    assert section_titles(tmp_path / "pack") == ["Introduction", "Digging the Ditch", "Opening Day", "Later Years"]
    for gone in ("<", "script", "style", "color", "tracker", "ad slot", "\U0001f6a2", "\u2728", "Quiz"):
        assert gone not in article
    assert "- **Place**: Utica; **Miles from Albany**: 110" in article  # the table, kept as a list
    assert '![A lock gate on the canal](images/figure-1.png "Figure 1. A lock gate near Lockport.")' in article
    left_out = [r.text for r in result.removals]
    assert "Home | Canals | Quiz" in left_out and "Return to the Canals page" in left_out
    assert {e.date for e in result.timeline.events} >= {"1817-07-04", "1825-10"}
    load_pack(tmp_path / "pack")


def test_markdown_source(tmp_path: Path) -> None:
    result = import_source(ROOTS / "import-md" / "article.md", tmp_path / "pack")
    article = (tmp_path / "pack" / "article.md").read_text(encoding="utf-8")
    assert result.title == "Volcanoes of the World"
    assert section_titles(tmp_path / "pack") == ["Introduction", "How a Volcano Forms", "Famous Eruptions"]
    assert "rock melts into **magma**" in article  # the source's own Markdown kept
    assert "alert" not in article and "<div" not in article and "Read our exciting volcano facts!" in article
    assert [(t.term, t.definition) for t in result.glossary] == [
        ("magma", "melted rock below the ground"), ("lava", "melted rock that has reached the surface"),
        ("crater", "the bowl-shaped opening at the top of a volcano")]
    assert {e.date: e.title for e in result.timeline.events} == {
        "79": "Vesuvius buried Pompeii", "1883-08-27": "Krakatoa exploded", "1980-05-18": "Mount St. Helens erupted"}
    assert "image to supply: https://example.org/cone.jpg" in result.notes
    load_pack(tmp_path / "pack")


def make_docx(path: Path) -> None:
    """A Word file with the hazards teachers' files have: styles, broken lines, a picture, a table."""
    document = docx.Document()
    document.add_heading("Bees and Their Hives", 0)
    document.add_paragraph("Honey bees live in colonies of many thousands. A single queen lays the eggs.")
    document.add_heading("Inside the Hive", 1)
    paragraph = document.add_paragraph("Worker bees build wax cells with six sides, and each")
    paragraph.add_run().add_break(WD_BREAK.LINE)
    paragraph.add_run("cell holds honey, pollen or a growing bee.")
    document.add_paragraph("The comb hangs from the top of the")
    document.add_paragraph("hive in long parallel sheets.")
    document.add_picture(io.BytesIO(placeholder_png(60, 40)))
    document.add_paragraph("Figure 1. A frame of comb.", style="Caption")
    document.add_heading("A Year in the Life", 1)
    table = document.add_table(rows=3, cols=2)
    for row, cells in zip(table.rows, [("Season", "Work"), ("Spring", "Swarming"), ("Winter", "Clustering")],
                          strict=True):
        row.cells[0].text, row.cells[1].text = cells
    document.add_paragraph("In 1851 Lorenzo Langstroth found the space bees leave between combs.")
    document.save(str(path))


def test_docx_source(tmp_path: Path) -> None:
    source = tmp_path / "bees.docx"
    make_docx(source)
    result = import_source(source, tmp_path / "pack")
    folder = tmp_path / "pack"
    article = (folder / "article.md").read_text(encoding="utf-8")
    assert result.title == "Bees and Their Hives"
    assert section_titles(folder) == ["Introduction", "Inside the Hive", "A Year in the Life"]
    assert "with six sides, and each cell holds honey" in article
    assert "from the top of the hive in long parallel sheets." in article
    assert '![Figure 1. A frame of comb.](images/image-1.png "Figure 1. A frame of comb.")' in article
    assert (folder / "images" / "image-1.png").read_bytes() == placeholder_png(60, 40)
    assert "- **Season**: Spring; **Work**: Swarming" in article
    assert [e.date for e in result.timeline.events] == ["1851"]
    assert build_pack(folder, out=tmp_path / "dist", levels=["high"], formats=["docx"]).written


def test_headless_text_is_cut_into_parts(tmp_path: Path) -> None:
    words = ["tide", "moon", "harbour", "sand", "wave", "shell", "gull", "rock", "pool", "crab", "boat", "net",
             "rope", "salt", "wind", "cliff", "storm", "light", "keeper", "fish", "reef", "foam", "shore", "current"]
    rng = random.Random(3)

    def sentence() -> str:  # distinct sentences, so that none counts as a repeat of another
        return " ".join(rng.sample(words, 9)).capitalize() + "."

    paragraphs = [" ".join(sentence() for _ in range(3 + n % 4)) for n in range(40)]
    paragraphs.append(" ".join(sentence() for _ in range(60)))  # one long paragraph is cut at sentence ends
    source = tmp_path / "tides.txt"
    source.write_text("\n\n".join(paragraphs), encoding="utf-8")
    result = import_source(source, tmp_path / "pack")
    counts = [sum(len(b.text.split()) for b in s.blocks) for s in result.sections]
    assert len(result.sections) >= 6 and all(s.made_up for s in result.sections)
    assert max(counts) < 450 and min(counts) >= 100
    assert section_titles(tmp_path / "pack")[:2] == ["Part 1", "Part 2"]
    assert any("cut into" in note for note in result.notes)


def test_legacy_encoding_is_a_warning(tmp_path: Path) -> None:
    source = tmp_path / "cafe.txt"
    source.write_bytes("Caf\u00e9 Culture\n\nThe caf\u00e9s of Vienna served coffee \u2013 and cake.\n".encode("cp1252"))
    result = import_source(source, tmp_path / "pack")
    assert result.notes[0] == ("cafe.txt is not UTF-8 (byte 3); it was read as Windows-1252: "
                               "check accented letters and quotes")
    assert "caf\u00e9s of Vienna served coffee \u2013 and cake" in (tmp_path / "pack" / "article.md").read_text(
        encoding="utf-8")


def test_force_replaces_a_pack(tmp_path: Path) -> None:
    source = ROOTS / "import-txt" / "nav-and-dates.txt"
    import_source(source, tmp_path / "pack")
    (tmp_path / "pack" / "article.md").write_text("## Mine\n\nEdited.\n", encoding="utf-8")
    import_source(source, tmp_path / "pack", force=True)
    assert "Keepers and Their Lamps" in (tmp_path / "pack" / "article.md").read_text(encoding="utf-8")


def test_cli_import(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "builder", "import", str(ROOTS / "import-txt" / "nav-and-dates.txt"),
                             "--into", "pack"], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "Imported nav-and-dates.txt (txt) into pack/: 5 sections, 132 words"
    assert result.stdout.splitlines()[-1] == "Next: read pack/import-report.md, then run `teachpack check pack`"
    assert sorted(p.name for p in (tmp_path / "pack").iterdir()) == [".teachpack", "article.md", "import-report.md",
                                                                      "pack.yaml"]  # .teachpack: for --update
    data = yaml.safe_load((tmp_path / "pack" / "pack.yaml").read_text(encoding="utf-8"))
    assert data["levels"] == ["elementary", "middle", "high"] and data["paper"] == "letter"
    assert re.search(r"^timeline:", (tmp_path / "pack" / "pack.yaml").read_text(encoding="utf-8"), re.M)


def test_report_lists_the_drafts_first_then_removals_images_and_suggestions(tmp_path: Path) -> None:
    """The order a teacher reviews in: what to check first, what was taken out, pictures, suggestions."""
    result = import_source(ROOTS / "import-txt" / "nav-and-dates.txt", tmp_path / "pack")
    headings = [line.split(" (")[0] for line in (tmp_path / "pack" / "import-report.md").read_text(
        encoding="utf-8").splitlines() if line.startswith("## ")]
    assert headings == ["## What is left to do", "## Glossary draft", "## Worksheet draft", "## Timeline draft", "## Sections found",
                        "## Sources", "## Removed text", "## Repeated paragraphs dropped", "## Spelling"]
    assert result.removals  # the fixture has page furniture to take out


def test_the_pages_own_details_and_tools_are_removed_from_lists_too() -> None:
    """A news page's 'Date 19.01.2020', 'Keywords …', 'Permalink …' and 'Print this page' lines go (each
    listed); the same words opening real text stay ('Date palms …', 'Watch video games …')."""
    from builder.importer.clean import remove_boilerplate
    from builder.importer.readers import RawBlock

    junk = ("Date 19.01.2020", "Author Ben Knight", "Keywords Berlin, colonialism, Africa", "Related Subjects Berlin",
            "Permalink https://p.example/3WRPd", "Print Print this page", "Feedback: Send us your feedback.")
    kept_text = ("Date palms grow in oases.", "Authors of the report met in May.", "Watch video games with care.")
    blocks = [RawBlock("list", where="list 1", items=junk + kept_text), RawBlock("heading", "Watch video 02:17", "h")]
    kept, removals, _, _ = remove_boilerplate(blocks)
    assert [b.items for b in kept] == [kept_text]
    assert sorted(r.text for r in removals) == sorted((*junk, "Watch video 02:17"))
