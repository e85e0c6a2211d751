"""Import metadata and structure: headline, dek, authors, date, site and address; sections, captions, warnings."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import docx
import docx.opc.constants
import pytest
import yaml

from builder import check_pack
from builder.importer import import_source, make_draft
from builder.importer.clean import remove_boilerplate
from builder.importer.readers import RawBlock

TEXTS = [
    "Dunes form where steady winds meet loose sand and little rain falls. Most of them creep forward each year.",
    "A single grain hops along the ground in short leaps that geologists call saltation. It rarely rises high.",
    "Camel caravans once read the ripples to find their way between distant wells. Guides still teach this skill.",
    "Rare storms carve gullies into the slopes, and the water vanishes within hours. Seeds wake up after it.",
    "Some dunes hum a low note when their faces slide, a sound heard for kilometres. Nobody agreed why for years.",
    "Satellites now measure how far whole fields of dunes travel between seasons. The numbers surprised many.",
]
PARA = "".join(f"<p>{text}</p>" for text in TEXTS[:2])


def para(n: int) -> str:
    """A paragraph of its own words, so that no two are repeats of each other."""
    return f"<p>{TEXTS[n]}</p>"


def page(head: str, body: str) -> str:
    return f"<html><head>{head}</head><body><article>{body}</article></body></html>"


def run(tmp_path: Path, text: str, name: str = "page.html"):
    source = tmp_path / name
    source.write_text(text, encoding="utf-8")
    return run_file(tmp_path, source)


def run_file(tmp_path: Path, source: Path):
    result = make_draft(source, tmp_path / "pack")
    return result, yaml.safe_load(result.files["pack.yaml"]), result.files["article.md"].decode("utf-8"), \
        result.files["import-report.md"].decode("utf-8")


def test_meta_open_graph_and_json_ld(tmp_path: Path) -> None:
    ld = {"@context": "https://schema.org", "@graph": [
        {"@type": "WebSite", "name": "Desert Weekly"},
        {"@type": ["NewsArticle"], "headline": "How dunes walk", "datePublished": "2019-03-12T08:00:00Z",
         "author": [{"@type": "Person", "name": "Jane Doe"}, {"@type": "Person", "name": "Sam Lee"}],
         "publisher": {"@type": "Organization", "name": "Desert Weekly"}}]}
    head = ("<title>How dunes walk | Desert Weekly</title><meta name='author' content='Desert Weekly'>"
            "<meta name='description' content='Sand moves a little every day.'>"
            "<meta property='og:title' content='How dunes walk'><meta property='og:site_name' content='Desert Weekly'>"
            "<link rel='canonical' href='https://example.org/dunes'>"
            f"<script type='application/ld+json'>{json.dumps(ld)}</script>")
    result, pack, article, _ = run(tmp_path, page(head, f"<h1>How dunes walk</h1>{PARA}"))
    assert pack["title"] == "How dunes walk" and pack["subtitle"] == "Sand moves a little every day."
    assert pack["attribution"] == ("Adapted from \u201cHow dunes walk\u201d by Jane Doe and Sam Lee, Desert Weekly, "
                                   "12 March 2019. https://example.org/dunes")
    assert pack["sources"] == ["https://example.org/dunes"]
    assert article.startswith("# How dunes walk\n") and article.count("How dunes walk") == 1


def test_title_tag_and_h1_with_site_suffix(tmp_path: Path) -> None:
    head = "<title>Rivers of sand - Kids Club</title><meta property='og:site_name' content='Kids Club'>"
    _, pack, _, _ = run(tmp_path, page(head, f"<div>Allergies Health Center</div><h1>Rivers of sand</h1>{PARA}"))
    assert pack["title"] == "Rivers of sand"
    assert pack["attribution"] == "Adapted from \u201cRivers of sand\u201d, Kids Club."


def test_h1_that_is_a_site_section_is_not_the_title(tmp_path: Path) -> None:
    head = "<meta property='og:title' content='Why the desert sings at night'>"
    _, pack, _, _ = run(tmp_path, page(head, f"<h1>Allergies Health Center</h1>{PARA}"))
    assert pack["title"] == "Why the desert sings at night"


def test_dek_becomes_the_subtitle_and_byline_the_author(tmp_path: Path) -> None:
    body = (f"<h1>Rivers of sand</h1><p class='dek'>How dunes cross a desert floor.</p>"
            f"<p class='byline'>By <a rel='author' href='/jd'>Jane Doe</a></p>{PARA}{para(2)}{para(3)}")
    result, pack, article, report = run(tmp_path, page("<title>Rivers of sand</title>", body))
    assert pack["subtitle"] == "How dunes cross a desert floor."
    assert "How dunes cross" not in article
    assert "summary under the headline (pack.yaml's subtitle)" in report
    assert pack["attribution"].startswith("Adapted from \u201cRivers of sand\u201d by Jane Doe")


def test_dek_as_a_subheading_with_a_date_stamp(tmp_path: Path) -> None:
    head = "<meta name='description' content='The dunes move. Why do they?'>"
    body = ("<h1>Rivers of sand</h1><div class='hl__deck'><h2>The dunes move. Why do they?"
            f"<span class='date'>Monday, 6 January 2020</span></h2></div>{PARA}{para(2)}")
    _, pack, article, _ = run(tmp_path, page(head, body))
    assert pack["subtitle"] == "The dunes move. Why do they?"
    assert "## The dunes move" not in article and "Monday" not in article


def test_wiki_edit_links_and_back_matter_are_removed(tmp_path: Path) -> None:
    body = (f"<h1>Dunes</h1>{PARA}<h2>Wind<span>[edit]</span></h2>{para(2)}<h2>References[edit]</h2>"
            "<ol><li>Doe, J. (2001). Sand. Desert Press.</li></ol><h3>Notes</h3><p>A note on sources.</p>"
            "<h2>External links</h2><ul><li>Dune society</li></ul>")
    _, _, article, report = run(tmp_path, page("<title>Dunes</title>", body))
    assert "## Wind\n" in article and "[edit]" not in article
    assert "References" not in article and "Doe, J." not in article and "Dune society" not in article
    assert "back matter ('References'): sources and links, not the reading" in report
    assert "back matter ('External links')" in report


def test_a_heading_of_links_to_other_pages_goes_with_its_links(tmp_path: Path) -> None:
    body = (f"<h1>Dunes</h1>{PARA}{para(2)}<h2>More Must-Reads From Desert Weekly</h2>"
            "<ul><li>Why camels walk slowly</li><li>The oasis that moved</li></ul>")
    _, _, article, report = run(tmp_path, page("<title>Dunes</title>", body))
    assert "Must-Reads" not in article and "camels" not in article
    assert "links to other pages ('More Must-Reads From Desert Weekly')" in report


def test_headline_in_h2_when_h1_is_the_site_section(tmp_path: Path) -> None:
    body = f"<h1>Allergies Center</h1><h2>Babies who eat peanuts early avoid allergy</h2>{PARA}{para(2)}"
    _, pack, article, _ = run(tmp_path, page("<title>Babies who eat peanuts early avoid allergy</title>", body))
    assert pack["title"] == "Babies who eat peanuts early avoid allergy"
    assert "Allergies Center" not in article.split("\n", 1)[0]


@pytest.mark.parametrize("dateline", ["Feb. 23, 2015 -- ", "WASHINGTON (AP) \u2014 ", "LONDON, March 3 (Reuters) - "])
def test_dateline_comes_off_the_first_paragraph(tmp_path: Path, dateline: str) -> None:
    body = f"<h1>Dunes</h1><p>{dateline}{TEXTS[0]}</p>{para(2)}"
    _, pack, article, report = run(tmp_path, page("<title>Dunes</title>", body))
    assert f"\n{TEXTS[0]}" in article and dateline.strip() not in article
    assert "the story's dateline" in report
    if dateline.startswith("Feb"):
        assert "23 February 2015" in pack["attribution"]


def test_uncaptioned_picture_strip_is_removed() -> None:
    """"Today on ..." pictures with only alt text, then "Thanks! Now check your email": not the article."""
    blocks = [RawBlock("heading", "Dunes", "block 1", level=1), RawBlock("text", TEXTS[0], "block 2"),
              RawBlock("heading", "Featured", "block 3", level=2),
              *(RawBlock("figure", f"promo {n}", f"block {4 + n}", image=f"{n}.png", alt=f"promo {n}")
                for n in range(4)),
              RawBlock("heading", "Thanks!", "block 8", level=3), RawBlock("text", "Now check your email.", "block 9"),
              RawBlock("heading", "Wind", "block 10", level=2), RawBlock("text", TEXTS[1], "block 11"),
              RawBlock("figure", "A dune at dawn.", "block 12", image="dawn.png", alt="dune")]
    kept, removals, _, _ = remove_boilerplate(blocks)
    assert [b.text for b in kept] == ["Dunes", TEXTS[0], "Wind", TEXTS[1], "A dune at dawn."]
    assert {r.reason for r in removals} == {"pictures with no caption, a promotion or slide strip of the page"}
    assert len(removals) == 7


def test_read_more_links_go_and_the_article_after_them_stays(tmp_path: Path) -> None:
    body = (f"<h1>Dunes</h1>{PARA}<p>Read more: Why camels walk slowly</p><h2>Read more: The oasis that moved</h2>"
            f"{para(2)}")
    _, _, article, report = run(tmp_path, page("<title>Dunes</title>", body))
    assert "Read more" not in article and "camels" not in article and TEXTS[2] in article
    assert "a link to another page" in report


def test_description_that_is_the_first_paragraph_is_no_subtitle(tmp_path: Path) -> None:
    first = TEXTS[0]
    head = f"<meta name='description' content='{first}'><meta property='og:title' content='Dunes'>"
    _, pack, article, _ = run(tmp_path, page(head, f"<h1>Dunes</h1>{PARA}"))
    assert "subtitle" not in pack and first in article


def test_h3_only_subheads_are_sections(tmp_path: Path) -> None:
    body = f"<h1>Dunes</h1>{para(0)}{para(5)}<h3>Wind</h3>{para(1)}<h3>Sand</h3>{para(2)}<h3>Water</h3>{para(3)}"
    _, _, article, _ = run(tmp_path, page("<title>Dunes</title>", body))
    assert [line for line in article.splitlines() if line.startswith("#")] == \
        ["# Dunes", "## Introduction", "## Wind", "## Sand", "## Water"]


def test_h2_and_h3_are_sections_and_subsections(tmp_path: Path) -> None:
    body = (f"<h1>Dunes</h1>{para(0)}{para(5)}<h2>Wind</h2>{para(1)}<h3>Gusts</h3>{para(2)}<h2>Sand</h2>{para(3)}"
            f"<h3>Grains</h3>{para(4)}")
    _, _, article, _ = run(tmp_path, page("<title>Dunes</title>", body))
    assert [line for line in article.splitlines() if line.startswith("#")] == \
        ["# Dunes", "## Introduction", "## Wind", "### Gusts", "## Sand", "### Grains"]


def test_figcaption_and_credit_are_captions(tmp_path: Path) -> None:
    body = (f"<h1>Dunes</h1>{PARA}<figure><img src='https://example.org/dune.jpg' alt='A tall dune'>"
            "<figcaption>A dune at dawn.</figcaption></figure>"
            f"<p>Photo: Sam Lee / Desert Weekly</p>{para(2)}{para(3)}{para(4)}")
    result, _, article, report = run(tmp_path, page("<title>Dunes</title>", body))
    assert result.figures == [("figure-1.png", "A dune at dawn. Photo: Sam Lee / Desert Weekly")]
    assert "\nPhoto: Sam Lee" not in article
    assert "![A tall dune](images/figure-1.png \"A dune at dawn. Photo: Sam Lee / Desert Weekly\")" in article
    assert ("- `images/figure-1.png`: A dune at dawn. Photo: Sam Lee / Desert Weekly (alt text: A tall dune) "
            "(a grey placeholder stands in for it)") in report


def test_paginated_article_is_warned(tmp_path: Path) -> None:
    body = f"<h1>Dunes</h1>{PARA}<p>Page 1 of 3</p><a href='/dunes?page=2'>Next page</a>"
    result, _, _, report = run(tmp_path, page("<title>Dunes</title>", body))
    warning = ("the page says it is page 1 of 3: only this page was imported; save the other pages and add "
               "their text to article.md")
    assert result.warnings == [warning]
    assert f"Warnings:\n\n- {warning}" in report
    assert "import_warnings:  # " in result.files["pack.yaml"].decode("utf-8")
    assert f'  - "{warning}"\n' in result.files["pack.yaml"].decode("utf-8")


def test_check_lists_import_warnings_until_deleted(tmp_path: Path) -> None:
    source = tmp_path / "page.html"
    source.write_text(page("<title>Dunes</title>", f"<h1>Dunes</h1>{PARA}{para(2)}<p>Page 1 of 3</p>"),
                      encoding="utf-8")
    folder = tmp_path / "pack"
    import_source(source, folder)
    listed = [str(w) for w in check_pack(folder).warnings if str(w).startswith("TP207")]
    assert listed == [f"TP207 {folder / 'pack.yaml'}: import_warnings[1]: the page says it is page 1 of 3: only this page "
                      "was imported; save the other pages and add their text to article.md (then delete this line)"]
    text = (folder / "pack.yaml").read_text(encoding="utf-8")
    kept = [line for line in text.splitlines() if not line.startswith(("import_warnings:", "  - \"the page"))]
    (folder / "pack.yaml").write_text("\n".join(kept) + "\n", encoding="utf-8")
    assert not any(str(w).startswith("TP207") for w in check_pack(folder).warnings)


def test_next_page_link_is_warned(tmp_path: Path) -> None:
    result, *_ = run(tmp_path, page("<title>Dunes</title>", f"<h1>Dunes</h1>{PARA}<a href='/2'>Continue reading</a>"))
    assert result.warnings == ["the page ends in 'Continue reading': the article may go on on another page; "
                               "check it, and add the rest to article.md"]


def test_widget_text_is_removed(tmp_path: Path) -> None:
    body = f"<h1>Dunes</h1>{PARA}<p>Please wait...</p><p>This feature is temporarily unavailable.</p><p>Loading…</p>{para(1)}"
    result, _, article, report = run(tmp_path, page("<title>Dunes</title>", body))
    for gone in ("Please wait", "temporarily unavailable", "Loading"):
        assert gone not in article
    assert [r.text for r in result.removals if r.reason == "interactive widget or its status message"] == \
        ["Please wait...", "This feature is temporarily unavailable.", "Loading…"]
    assert "3 \u00d7 interactive widget or its status message" in report


def test_docx_core_properties(tmp_path: Path) -> None:
    document = docx.Document()
    document.core_properties.title = "Rivers of sand"
    document.core_properties.author = "Jane Doe; Sam Lee"
    document.core_properties.created = datetime.datetime(2019, 3, 12, 9, 30)
    document.add_paragraph("The wind pushes grains of sand over the crest of the dune, a little every day.")
    document.save(tmp_path / "dunes.docx")
    result = make_draft(tmp_path / "dunes.docx", tmp_path / "pack")
    pack = yaml.safe_load(result.files["pack.yaml"])
    assert pack["title"] == "Rivers of sand"
    assert pack["attribution"] == "Adapted from \u201cRivers of sand\u201d by Jane Doe and Sam Lee, 12 March 2019."


def test_text_byline_and_date_lines(tmp_path: Path) -> None:
    text = ("Rivers of sand\n\nBy Jane Doe\n12 March 2019\n\n"
            "The wind pushes grains of sand over the crest of the dune, a little every day.\n")
    result, pack, article, report = run(tmp_path, text, "dunes.txt")
    assert pack["attribution"] == "Adapted from \u201cRivers of sand\u201d by Jane Doe, 12 March 2019."
    assert "By Jane Doe" not in article
    assert "line 3, byline or date line (kept in the attribution): \u201cBy Jane Doe\u201d" in report


def test_no_metadata_keeps_the_plain_attribution(tmp_path: Path) -> None:
    _, pack, _, _ = run(tmp_path, "Rivers\n\nThe wind pushes grains of sand over the dune.\n", "dunes.txt")
    assert pack["attribution"] == "Imported from dunes.txt."


def test_a_stale_word_title_gives_way_to_the_documents_headline(tmp_path: Path) -> None:
    """Word keeps a title from a template or a saved page ("Close banner"): the document's own heading wins."""
    document = docx.Document()
    document.core_properties.title = "Close banner"
    document.add_paragraph("Skip to main content")
    document.add_heading("Lighthouses of the Great Lakes", level=1)
    for n in range(3):
        document.add_paragraph(f"Keepers trimmed the wicks every night, and the lamps burned whale oil. Part {n}.")
    document.add_heading("Newsletter", level=1)
    document.add_paragraph("Sign up for our weekly letter about the lakes and their boats.")
    path = tmp_path / "saved.docx"
    document.save(str(path))
    result = make_draft(path, tmp_path / "pack")
    assert result.title == "Lighthouses of the Great Lakes"


def test_docx_with_internal_looking_web_links_opens(tmp_path: Path) -> None:
    """LibreOffice writes a web page's "#" links as hyperlinks without TargetMode="External"; Word opens
    such a file, and so must import."""
    import zipfile

    document = docx.Document()
    for text in TEXTS:
        document.add_paragraph(text)
    rel = document.part.relate_to("https://example.org/", docx.opc.constants.RELATIONSHIP_TYPE.HYPERLINK,
                                  is_external=True)
    good = tmp_path / "good.docx"
    document.save(good)
    bad = tmp_path / "page.docx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(bad, "w") as copy:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "word/_rels/document.xml.rels":
                data = data.decode().replace(f'Id="{rel}"', f'Id="{rel}x"').replace(
                    "</Relationships>", f'<Relationship Id="{rel}" Type="http://schemas.openxmlformats.org/'
                    'officeDocument/2006/relationships/hyperlink" Target="#"/></Relationships>').encode()
            copy.writestr(info, data)
    _, _, article, _ = run_file(tmp_path, bad)
    assert TEXTS[0] in article


def test_web_page_pasted_into_word_keeps_its_article(tmp_path: Path) -> None:
    """Menus and language lists before it and link lists after it: only the densest run of text stays."""
    document = docx.Document()
    for line in ["Skip to content", "Menu", *(f"Language {n}" for n in range(30)), "Search"]:
        document.add_paragraph(line)
    document.add_heading("Dunes on the move", 1)
    long = [f"{text} Part {n + 1} of this story follows the sand from the coast inland, past farms and roads."
            for n, text in enumerate(TEXTS)]
    for text in long:
        document.add_paragraph(text)
    for line in ["Share", "Facebook", "Twitter", *(f"Top story {n}" for n in range(15)), "Imprint"]:
        document.add_paragraph(line)
    path = tmp_path / "pasted.docx"
    document.save(path)
    result, _, article, report = run_file(tmp_path, path)
    assert all(text in article for text in long)
    assert "Language 3" not in article and "Top story 2" not in article and "Skip to content" not in article
    assert "Language 3" in report


def test_a_heading_on_every_slide_of_a_gallery_goes() -> None:
    blocks = [RawBlock("heading", "Dunes", "b1", level=1), RawBlock("text", TEXTS[0], "b2"),
              *(block for n in range(3) for block in (RawBlock("heading", "Dunes in pictures", f"h{n}", level=2),
                                                     RawBlock("text", TEXTS[n + 1], f"t{n}")))]
    kept, removals, _, _ = remove_boilerplate(blocks)
    assert [b.kind for b in kept] == ["heading", "text", "text", "text", "text"]
    assert removals[0].reason == "a heading repeated 3 times: the title of a gallery or widget of the page"
