"""Grade levels that differ: readability, level rewrites, profile overrides, access presets, strict."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from builder import PackError, TeachpackError, build_pack, load_pack
from builder.check.checks import check_pack
from builder.check.readability import measure
from builder.core.text import syllables
from builder.resolve.document import level_sections, resolve

from .conftest import EXAMPLE


def test_readability_hand_checked() -> None:
    # the(1) cat(1) sat(1) on(1) the(1) mat(1) It(1) was(1) hap-py(2): 9 words, 10 syllables, 27 letters, 2 sentences
    r = measure("The cat sat on the mat. It was happy.")
    assert (r.words, r.sentences, r.syllables, r.letters) == (9, 2, 10, 27)
    # FK = 0.39 * 9/2 + 11.8 * 10/9 - 15.59 = -0.72; CL = 0.0588 * 300 - 0.296 * 22.2 - 15.8 = -4.74
    assert (r.flesch_kincaid, r.coleman_liau) == (-0.7, -4.7)
    # CMU Pronouncing Dictionary: com-mu-nis-m (K AA1 M Y AH0 N IH2 Z AH0 M) is 4; pyphen said 3
    assert [syllables(w) for w in ("communism", "revolution", "cat", "1949")] == [4, 4, 1, 1]


def test_readability_pinned_on_a_fixed_paragraph() -> None:
    text = ("In December 1949, Mao traveled by train to Moscow. It was his first trip outside China. "
            "After two months of talks, the two governments signed a treaty of friendship and alliance.")
    r = measure(text)
    # CMU syllables: "treaty" 2 and "alliance" 3, where pyphen's hyphenation points gave 1 and 2 (42 in all).
    assert (r.words, r.sentences, r.syllables, r.letters) == (31, 3, 44, 143)
    # FK = 0.39 * 31/3 + 11.8 * 44/31 - 15.59 = 5.19; CL = 0.0588 * 461.3 - 0.296 * 9.68 - 15.8 = 8.46
    assert (r.flesch_kincaid, r.coleman_liau) == (5.2, 8.5)


def test_example_pack_levels_read_at_their_grades() -> None:
    rows = {row["level"]: row for row in check_pack(EXAMPLE).as_dict()["levels"]}
    assert 4.5 <= rows["elementary"]["flesch_kincaid"] <= 5.5
    assert 7.0 <= rows["middle"]["flesch_kincaid"] <= 8.0
    assert rows["high"]["flesch_kincaid"] > rows["middle"]["flesch_kincaid"]
    assert {row["verdict"] for row in rows.values()} == {"ok"}


def test_level_rewrite_replaces_only_its_sections(make_pack) -> None:
    folder = make_pack()
    (folder / "article.elementary.md").write_text("## Rain\n\nRain falls down. It goes back to the sea.\n")
    pack = load_pack(folder)
    elementary, high = (next(lv for lv in pack.levels if lv.id == name) for name in ("elementary", "high"))
    texts = {s.id: "".join(r.text for b in s.blocks for r in getattr(b, "runs", ())) for s in level_sections(pack, elementary)}
    assert texts["rain"] == "Rain falls down. It goes back to the sea."
    assert texts["evaporation"].startswith("The sun warms the sea.")  # not rewritten: the original
    originals = {s.id: s for s in level_sections(pack, high)}
    assert "aquifer" in "".join(r.text for b in originals["rain"].blocks for r in getattr(b, "runs", ()))


def test_level_rewrite_with_unknown_heading(make_pack, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = make_pack()
    (folder / "article.elementary.md").write_text("## Rainfall\n\nRain falls.\n")
    monkeypatch.chdir(folder.parent)
    with pytest.raises(PackError) as caught:
        load_pack(folder)
    assert [str(p) for p in caught.value.problems] == [
        "pack/article.elementary.md: section 'Rainfall' has no match in article.md (did you mean 'rain'?); "
        "a rewrite must keep the heading of the section it replaces"
    ]


def test_level_definitions_win(make_pack) -> None:
    folder = make_pack(changes={"glossary": [
        {"term": "evaporation", "definition": "Standard.", "simple": "Simple.", "level_definitions": {"high": "High."}},
        {"term": "condensation", "definition": "Standard two.", "simple": "Simple two."},
    ]})
    pack = load_pack(folder)
    # Elementary does not print the Condensation section: its glossary leaves "condensation" out.
    for level, expected in (("elementary", ["Simple."]), ("high", ["Standard two.", "High."])):
        document = resolve(pack, next(lv for lv in pack.levels if lv.id == level))
        glossary = next(c for c in document.components if c.name == "glossary")
        assert [i.definition for i in glossary.items] == expected


def test_a_level_defines_and_tests_only_what_it_prints(make_pack) -> None:
    """Issue 14, item 2: elementary prints Evaporation and Rain, not Condensation; an entry's levels: count."""
    folder = make_pack(changes={"glossary": [
        {"term": "evaporation", "definition": "Water turning into a gas."},
        {"term": "condensation", "definition": "Vapour turning back into droplets.", "forms": ["condenses"]},
        {"term": "aquifer", "definition": "Rock that holds water.", "levels": ["high"]},
        {"term": "sea", "definition": "A large body of salt water."},
    ], "worksheet": [{"type": "vocabulary-matching"}, {"type": "true-false-facts"}, {"type": "cloze"}]})
    pack = load_pack(folder)
    terms = {}
    for level in pack.levels:
        document = resolve(pack, level)
        glossary = next(c for c in document.components if c.name == "glossary")
        terms[level.id] = {i.term for i in glossary.items}
        worksheet = next(c for c in document.components if c.name == "worksheet")
        used = " ".join(str(item) for item in worksheet.items)
        for left_out in {"evaporation", "condensation", "aquifer", "sea"} - terms[level.id]:
            assert f"'{left_out}'" not in used and f"\u201c{left_out}\u201d" not in used, (level.id, left_out)
    assert terms == {"elementary": {"evaporation", "sea"}, "high": {"evaporation", "condensation", "aquifer", "sea"}}


def test_profile_overrides_workspace_then_pack(make_pack) -> None:
    folder = make_pack(changes={
        "levels": ["middle", "high", "grade-7"],
        "sections": None,
        "profiles": {"high": {"font_size": 12.5}, "grade-7": {"based_on": "middle", "label": "Grade 7", "grades": "7-7"}},
    })
    (folder.parent / "teachpack.yaml").write_text("profiles:\n  middle: {items: 4}\n  high: {font_size: 10, items: 9}\n")
    levels = {lv.id: lv for lv in load_pack(folder).levels}
    assert levels["middle"].items == 4  # workspace
    assert (levels["high"].font_size, levels["high"].items) == (12.5, 9)  # pack over workspace, rest kept
    assert (levels["grade-7"].label, levels["grade-7"].items, levels["grade-7"].font_family) == ("Grade 7", 4, "TeX Gyre Schola")


def test_profile_errors(make_pack, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = make_pack(changes={"profiles": {"grade-7": {"based_on": "middl"}, "ell": {"based_on": "elementary", "fontsize": 16}}})
    (folder.parent / "teachpack.yaml").write_text("profiles:\n  middle: {items: 40}\n")
    monkeypatch.chdir(folder.parent)
    with pytest.raises(PackError) as caught:
        load_pack(folder)
    messages = [str(p) for p in caught.value.problems]
    assert messages[0] == "teachpack.yaml:2: profiles.middle.items: input should be less than or equal to 30"
    assert messages[1].endswith("profiles.grade-7: 'middl' is not a level (did you mean 'middle'?); use one of elementary, middle, high")
    assert "profiles.ell.fontsize: unknown profile setting (did you mean 'font_size'?)" in messages[2]


@pytest.mark.slow
@pytest.mark.parametrize("profile,font", [("dyslexia", "OpenDyslexic"), ("large-print", "TeX-Gyre-Schola")])
def test_presets_embed_their_fonts_and_name_files(make_pack, tmp_path: Path, profile: str, font: str) -> None:
    folder = make_pack(changes={"levels": ["middle", "high"], "sections": None})
    result = build_pack([folder], out=tmp_path, levels=["middle"], editions=["student"], profiles=[profile])
    assert sorted(p.name for p in result.written) == [f"pack-middle-student-{profile}.docx", f"pack-middle-student-{profile}.pdf"]
    fonts = subprocess.run(["pdffonts", str(tmp_path / "pack" / f"pack-middle-student-{profile}.pdf")],
                           capture_output=True, text=True, check=True).stdout
    assert font in fonts
    pack = load_pack(folder)
    from builder.core.levels import with_preset

    shaped = with_preset(pack.levels[0], profile)
    assert shaped.font_size >= (18 if profile == "large-print" else 12)
    if profile == "large-print":
        assert shaped.glossary_columns == 1


def test_unknown_profile_is_a_usage_error(make_pack) -> None:
    with pytest.raises(TeachpackError, match=r"--profile 'dislexia' is not a profile \(did you mean 'dyslexia'\?\)"):
        build_pack([make_pack()], profiles=["dislexia"])


def test_strict_build_refuses_hard_text_and_empty_definitions(make_pack, tmp_path: Path) -> None:
    hard = ("## Evaporation\n\nThe thermodynamically mediated transformation of oceanic hydrological reservoirs "
            "into atmospheric vapour constitutes an indispensable, continuously operating component of planetary "
            "circulation, notwithstanding considerable regional variability.\n\n## Condensation\n\nIt condenses.\n\n"
            "## Rain\n\nRain falls on an aquifer.\n")
    folder = make_pack(article=hard, changes={"glossary": [{"term": "aquifer"}]})
    with pytest.raises(TeachpackError) as caught:
        build_pack([folder], out=tmp_path / "out", formats=["docx"], strict=True)
    lines = str(caught.value).splitlines()
    assert lines[0].endswith("glossary[1].definition: 'aquifer' has no definition yet; write one")
    assert "level elementary reads at grade" in lines[1] and "above its band 3-5 by more than 1; simplify its sections in article.elementary.md" in lines[1]
    assert lines[-1] == f"{len(lines) - 1} warning(s) and --strict is set; nothing was written"
    assert not (tmp_path / "out").exists()


def test_check_json(make_pack) -> None:
    folder = make_pack()
    result = subprocess.run([sys.executable, "-m", "builder", "check", str(folder), "--json"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert set(report) == {"levels", "spelling", "vocabulary", "problems", "hardest_sentences"}
    assert [row["level"] for row in report["levels"]] == ["elementary", "high"]
    assert report["levels"][0]["grades"] == [3, 5]
    assert set(report["levels"][0]) >= {"words", "sentences", "flesch_kincaid", "coleman_liau", "verdict"}


def test_check_reports_spelling_with_suggestions_and_allow_list(make_pack) -> None:
    article = ("## Evaporation\n\nThe sun warms the sea and the water goes into the air. Sailors in Tallinn beleive it.\n\n"
               "## Condensation\n\nHigh up, the vapour condenses.\n\n## Rain\n\nRain falls on an aquifer.\n")
    folder = make_pack(article=article)
    result = check_pack(folder)
    assert [(m.word, m.suggestion) for m in result.misspellings] == [("beleive", "believe")]
    assert any("'beleive' looks misspelled (did you mean 'believe'?)" in w.message for w in result.warnings)
    text = (folder / "pack.yaml").read_text(encoding="utf-8")
    (folder / "pack.yaml").write_text(text + "corrections: {beleive: believe}\n", encoding="utf-8")
    assert check_pack(folder).misspellings == []


def test_check_lists_rare_words_per_level(make_pack) -> None:
    article = ("## Evaporation\n\nThe sun warms the sea, and the water becomes an imperceptible vapour.\n\n"
               "## Condensation\n\nIt condenses.\n\n## Rain\n\nRain falls on an aquifer.\n")
    rare = check_pack(make_pack(article=article)).vocabulary
    words = {(r.level, r.word) for r in rare}
    assert ("elementary", "imperceptible") in words and ("high", "imperceptible") in words
    assert not any(r.word == "aquifer" for r in rare)  # in the glossary already
    hit = next(r for r in rare if r.word == "imperceptible")
    assert hit.zipf < 3 and hit.sentence.startswith("The sun warms the sea")


def test_rare_words_in_base_form_once_and_the_list_kept_short(make_pack, tmp_path: Path) -> None:
    """"the quartermaster's" is "quartermaster"; "alleges" after "allege" is not listed twice; the CLI prints 12 a level."""
    import subprocess
    import sys

    rare = ["quartermaster", "allege", "bombastic", "mimicked", "antagonizing", "looseness", "triplex",
            "unencumbered", "quip", "defrauded", "devalued", "ramble", "nonresponsive", "perk", "outed"]
    article = ("## Evaporation\n\nThe quartermaster's words were heard. They allege it, and she alleges more. "
               + " ".join(f"The {w} came." for w in rare[2:]) + "\n\n## Condensation\n\nIt condenses.\n\n"
               "## Rain\n\nRain falls.\n")
    folder = make_pack(article=article)
    vocabulary = check_pack(folder).vocabulary
    words = [r.word for r in vocabulary if r.level == "elementary"]
    assert "quartermaster" in words and "quartermaster's" not in words
    assert words.count("allege") + words.count("alleges") == 1
    out = subprocess.run([sys.executable, "-m", "builder", "check", str(folder)],
                         capture_output=True, text=True, check=False).stdout
    shown = [line for line in out.splitlines() if line.startswith("  elementary  ") and "Zipf" in line]
    assert len(shown) == 12 and "... and" in out


def test_check_reads_each_levels_own_text(make_pack) -> None:
    """A term only the high rewrite uses is in use: no TP205 (issue 14)."""
    folder = make_pack(changes={"glossary": [
        {"term": "evaporation", "definition": "Water turning into a gas."},
        {"term": "transpiration", "definition": "Water given off by plants."},
    ]})
    article = (folder / "article.md").read_text(encoding="utf-8")
    (folder / "article.high.md").write_text(article.replace("The sun warms the sea.",
                                                            "The sun warms the sea, and transpiration adds more."),
                                            encoding="utf-8")
    warnings = [str(w) for w in check_pack(folder).warnings]
    assert not any("TP205" in w and "transpiration" in w for w in warnings), warnings
    (folder / "article.high.md").unlink()
    assert any("TP205" in str(w) and "transpiration" in str(w) for w in check_pack(folder).warnings)


def test_standards_and_glossary_entries_take_levels(make_pack) -> None:
    """The elementary overview lists no grades 6-8 or 9-12 standard (issue 14); a wrong level is named."""
    folder = make_pack(changes={"teacher": {"standards": ["NGSS 5-ESS2-1",
                                                          {"code": "NGSS HS-ESS2-5", "levels": ["high"]}]}})
    pack = load_pack(folder)
    listed = {}
    for level in pack.levels:
        document = resolve(pack, level, edition="teacher")
        overview = next(c for c in document.components if c.name == "overview")
        listed[level.id] = overview.standards
    assert listed == {"elementary": ("NGSS 5-ESS2-1",), "high": ("NGSS 5-ESS2-1", "NGSS HS-ESS2-5")}


def test_a_wrong_level_in_a_standard_is_named(make_pack) -> None:
    from builder.core.errors import PackError

    folder = make_pack(changes={"teacher": {"standards": [{"code": "X", "levels": ["hihg"]}]},
                                "glossary": [{"term": "evaporation", "definition": "Gas.", "levels": ["elementry"]}]})
    with pytest.raises(PackError) as caught:
        load_pack(folder)
    text = str(caught.value)
    assert "teacher.standards[1].levels[1]: 'hihg' is not one of this pack's levels" in text
    assert "glossary[1].levels[1]: 'elementry' is not one of this pack's levels" in text


def test_drafting_aid_lists_the_hardest_sentences_with_suggestions(make_pack) -> None:
    """Issue 14, item 4: a level above its band gets its hardest sentences, hardest first, each with what
    could make it easier (a split, an aside to drop)."""
    from builder.check.drafting import hardest_sentences

    text = ("The sun warms the sea. Evaporation, the transformation of liquid water into atmospheric vapour "
            "(a process requiring considerable thermal energy), proceeds continuously; consequently, "
            "atmospheric humidity fluctuates considerably throughout meteorological seasons. "
            "Precipitation subsequently redistributes accumulated moisture, and considerable quantities "
            "eventually replenish subterranean aquifers beneath agricultural landscapes.")
    hard = hardest_sentences(text, 5.0)
    assert sorted(h.sentence[:11] for h in hard) == ["Evaporation", "Precipitati"]
    assert hard[0].grade >= hard[1].grade > 5.0  # hardest first
    first = " ".join(next(h for h in hard if h.sentence.startswith("Evaporation")).suggestions)
    assert "split it into two sentences after" in first
    assert "the aside \u201c(a process requiring considerable thermal energy)\u201d can go" in first
    assert hardest_sentences("The sun warms the sea. Rain falls.", 5.0) == []
    folder = make_pack(article="## Evaporation\n\n" + text + "\n\n## Condensation\n\nIt condenses.\n\n"
                       "## Rain\n\nRain falls.\n")
    result = check_pack(folder)
    assert "elementary" in result.hard and len(result.hard["elementary"]) == 2
    assert result.as_dict()["hardest_sentences"]["elementary"][0]["suggestions"]
