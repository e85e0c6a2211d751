"""Drafted worksheet questions (issue 14, item 1): text-dependent, answers checked against the text,
choices of one kind, marked `drafted: import`, listed by check, never overwriting a teacher's question."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from builder import check_pack, load_pack
from builder.importer import import_source, make_draft
from builder.importer.questions import found_in
from builder.model import LETTERS

# Our own article: dated events, numbers, names of people and bodies, a "because" sentence.
ARTICLE = """<html><head><title>The canal that moved a city</title></head><body>
<h1>The canal that moved a city</h1>
<p>In 1820 the town of Millbrook had fewer than 900 people and one muddy road to the coast.</p>
<p>Engineer Clara Voss proposed a canal to the river, and the town council approved her plan in 1823.</p>
<p>Digging began in 1825, and about 40% of the workers were farmers who dug in the winter months.</p>
<h2>Building the locks</h2>
<p>The canal needed eleven locks because the land rose sharply between the river and the town.</p>
<p>Voss hired the mason Tomas Reyes, who had built bridges for the Northern Railway Company.</p>
<p>By 1831 the locks were finished, and the first barge reached Millbrook carrying coal and salt.</p>
<p>Barges paid a toll at each lock, and the tolls repaid 60% of the cost within ten years.</p>
<h2>A city grows</h2>
<p>Trade along the canal grew quickly, and by 1850 Millbrook had more than 12,000 people.</p>
<p>Mills were built beside the water because the locks gave them a steady fall to turn their wheels.</p>
<p>The Millbrook Historical Society now runs a museum in the old lock keeper's house.</p>
<p>Railways later took most of the freight, and the last working barge stopped in 1931.</p>
<p>The old locks were left to rot for forty years after the barges stopped.</p>
<p>As a result, water leaked through the gates and the upper canal ran dry.</p>
<p>Many towns filled in their old canals to build roads over them.</p>
<p>However, Millbrook repaired its locks and kept the water in the channel.</p>
<p>Today walkers and cyclists use the old towpath, and the canal is a protected landmark.</p>
</body></html>"""


@pytest.fixture(scope="module")
def drafted(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("q")
    source = folder / "canal.html"
    source.write_text(ARTICLE, encoding="utf-8")
    result = make_draft(source, folder / "pack")
    article = result.files["article.md"].decode("utf-8")
    return result, article, yaml.safe_load(result.files["pack.yaml"])


def plain(article: str) -> str:
    return " ".join(line for line in article.splitlines() if not line.startswith(("#", "!")))


def test_at_least_eight_questions_of_every_kind_the_text_allows(drafted) -> None:
    result, _, _ = drafted
    skills = {q.skill for q in result.questions}
    assert len(result.questions) >= 8
    assert {"when", "recall", "main idea", "cause", "compare"} <= skills


def test_every_answer_is_in_the_text(drafted) -> None:
    result, article, _ = drafted
    text = plain(article)
    for question in result.questions:
        assert found_in(question, text), question


def test_choices_are_of_one_kind_and_none_is_also_true(drafted) -> None:
    result, article, _ = drafted
    text = plain(article)
    for q in result.questions:
        if q.kind != "multiple-choice":
            continue
        answer = q.choices[LETTERS.index(q.answer)]
        assert len(set(q.choices)) == len(q.choices) >= 3
        if q.skill == "when":
            assert all(re.fullmatch(r"\d{4}", c) for c in q.choices)
            assert list(q.choices) == sorted(q.choices)
            assert not any(c in q.source for c in q.choices if c != answer)
        if q.skill == "recall":
            blanked = q.prompt.split("\u201c", 1)[1].rstrip("\u201d")
            if re.fullmatch(r"\d{4}", answer):
                assert all(re.fullmatch(r"\d{4}", c) for c in q.choices)
            elif answer.endswith("%"):
                assert all(c.endswith("%") for c in q.choices)
            else:
                assert all(not re.search(r"\d", c) for c in q.choices)
            for wrong in (c for c in q.choices if c != answer):
                assert blanked.replace("____", wrong) not in text


def test_recall_names_are_people_with_people() -> None:
    from builder.importer.questions import _name_kind

    assert _name_kind("Clara Voss") == _name_kind("Tomas Reyes") == "person"
    assert _name_kind("Northern Railway Company") == _name_kind("Millbrook Historical Society") == "body"
    from builder.importer.questions import _slots

    # A name with a possessive inside is one name, not "Research Institute" cut off its start.
    assert ("body", "Murdoch Children\u2019s Research Institute") in _slots(
        "She leads a centre at the Murdoch Children\u2019s Research Institute in Melbourne.")


def test_a_because_sentence_gives_an_explain_why_question(drafted) -> None:
    result, _, _ = drafted
    causes = [q for q in result.questions if q.skill == "cause"]
    assert causes[0].prompt == "Explain why the canal needed eleven locks, using the article."
    assert causes[0].answer == "Model answer: because the land rose sharply between the river and the town."


def test_drafted_questions_load_are_marked_and_listed_by_check(tmp_path: Path) -> None:
    source = tmp_path / "canal.html"
    source.write_text(ARTICLE, encoding="utf-8")
    folder = tmp_path / "pack"
    result = import_source(source, folder)
    pack = load_pack(folder)
    drafted = [item for item in pack.file.worksheet if getattr(item, "drafted", None) == "import"]
    assert len(drafted) == len(result.questions)
    listed = [w for w in check_pack(folder).warnings if w.code == "TP208"]
    assert len(listed) == len(drafted)
    assert not any(w.code == "TP202" for w in check_pack(folder).warnings)  # the worksheet is not empty


def test_update_keeps_a_question_the_teacher_edited(tmp_path: Path) -> None:
    source = tmp_path / "canal.html"
    source.write_text(ARTICLE, encoding="utf-8")
    folder = tmp_path / "pack"
    import_source(source, folder)
    text = (folder / "pack.yaml").read_text(encoding="utf-8")
    edited = text.replace("Explain why the canal needed eleven locks, using the article.",
                          "Why did the canal need so many locks?", 1)
    assert edited != text
    (folder / "pack.yaml").write_text(edited, encoding="utf-8")
    import_source(source, folder, update=True)
    after = (folder / "pack.yaml").read_text(encoding="utf-8")
    assert "Why did the canal need so many locks?" in after


def test_report_lists_the_questions_to_check_first(drafted) -> None:
    result, _, _ = drafted
    report = result.files["import-report.md"].decode("utf-8")
    todo = report.split("## What is left to do", 1)[1].split("##", 1)[0]
    lines = todo.strip().splitlines()
    assert lines[0].startswith("1. Read the") and "glossary definition" in lines[0]  # what the questions use
    assert lines[1].startswith(f"2. Read the {len(result.questions)} worksheet question(s)")
    listed = report.split(f"## Worksheet draft ({len(result.questions)} questions)", 1)[1].split("\n## ", 1)[0]
    assert listed.count("   Answer: ") == len(result.questions)


def test_as_a_result_and_however_give_result_and_compare_questions(drafted) -> None:
    result, _, _ = drafted
    by_answer = {q.answer: q for q in result.questions if q.skill in ("cause", "compare")}
    result_q = by_answer["Model answer: Water leaked through the gates and the upper canal ran dry."]
    assert result_q.prompt == ("The article says: \u201cThe old locks were left to rot for forty years after the "
                               "barges stopped.\u201d What happened as a result?")
    compare = by_answer["Model answer: Millbrook repaired its locks and kept the water in the channel."]
    assert compare.skill == "compare" and "Many towns filled in their old canals" in compare.prompt


COMPARING = """<html><head><title>Life on the ice shelf</title></head><body><h1>Life on the ice shelf</h1>
<p>Emperor penguins breed on the sea ice around Antarctica in the middle of the polar winter.</p>
<p>Unlike most seabirds, emperor penguins cannot fly and must walk to their breeding grounds.</p>
<p>The males keep the eggs warm on their feet for about two months, so they eat nothing at all in that time.</p>
<p>Adelie penguins, unlike emperors, nest on bare rock in the short summer.</p>
<p>Colonies move closer together in storms so that fewer birds face the wind.</p>
<p>It snowed, so they left.</p>
</body></html>"""


def test_so_and_unlike_give_result_and_compare_questions(tmp_path: Path) -> None:
    source = tmp_path / "ice.html"
    source.write_text(COMPARING, encoding="utf-8")
    result = make_draft(source, tmp_path / "pack")
    text = plain(result.files["article.md"].decode("utf-8"))
    asked = {q.prompt: q.answer for q in result.questions if q.skill in ("cause", "compare")}
    assert asked["The article says: \u201cThe males keep the eggs warm on their feet for about two months.\u201d "
                 "What was the result?"] == "Model answer: They eat nothing at all in that time."
    assert asked["According to the article, what makes emperor penguins different from most seabirds?"] == \
        "Model answer: Unlike most seabirds, emperor penguins cannot fly and must walk to their breeding grounds."
    assert "According to the article, what makes Adelie penguins different from emperors?" in asked
    # "so that" gives a purpose, not a result; a clause too short to stand alone is not asked about.
    assert not any("fewer birds" in a or "they left" in a for a in asked.values())
    assert all(found_in(q, text) for q in result.questions if q.skill in ("cause", "compare"))
