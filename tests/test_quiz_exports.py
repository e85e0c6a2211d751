"""Quiz and study-set exports (issue 20): Moodle XML (questions and glossary), GIFT and Quizlet, built
through the same jobs and manifest as the PDFs, parsed back and compared item by item with the level."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from lxml import etree

from builder import build_pack
from builder.components.worksheet import Worksheet
from builder.load.loader import load_pack
from builder.render.quiz import QuizQuestion, glossary, questions
from builder.resolve.document import resolve
from tests.conftest import EXAMPLE

FORMATS = ("moodle", "moodle-glossary", "gift", "quizlet")


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("exports")
    build_pack([EXAMPLE], out=out, formats=FORMATS)
    return out


def _document(level: str, edition: str = "teacher"):  # type: ignore[no-untyped-def]
    pack = load_pack(EXAMPLE)
    return resolve(pack, next(lv for lv in pack.levels if lv.id == level), edition)


def test_each_export_is_a_job_in_the_manifest(exported: Path) -> None:
    entries = json.loads((exported / "manifest.json").read_text(encoding="utf-8"))["outputs"]
    paths = sorted(entry["path"] for entry in entries)
    for level in ("elementary", "middle", "high"):
        stem = f"sino-soviet-split/sino-soviet-split-{level}"
        assert {f"{stem}-teacher.moodle.xml", f"{stem}-teacher.glossary.xml", f"{stem}-teacher.gift.txt",
                f"{stem}-student.quizlet.txt"} <= set(paths)
    assert len(paths) == 12 and all(entry["pages"] is None for entry in entries)


@pytest.mark.parametrize("level", ["elementary", "middle", "high"])
def test_moodle_xml_holds_every_item_with_its_key(exported: Path, level: str) -> None:
    root = etree.parse(str(exported / f"sino-soviet-split/sino-soviet-split-{level}-teacher.moodle.xml")).getroot()
    assert root.tag == "quiz"
    nodes = root.findall("question")
    assert nodes[0].get("type") == "category"
    model = questions(_document(level))
    asked = nodes[1:]
    assert len(asked) == len(model)
    names = [node.findtext("name/text") for node in asked]
    assert len(set(names)) == len(names), "question names are unique"
    for node, q in zip(asked, model, strict=True):
        kind = node.get("type")
        assert kind == ("multianswer" if q.kind == "cloze" else q.kind)
        assert node.findtext("questiontext/text")
        answers = node.findall("answer")
        if kind == "multichoice":
            rights = [a for a in answers if a.get("fraction") == "100"]
            assert len(rights) == 1 and len(answers) == len(q.choices)
            assert html.unescape(rights[0].findtext("text")) == next(c for c, right in q.choices if right)
        elif kind == "truefalse":
            right = next(a.findtext("text") for a in answers if a.get("fraction") == "100")
            assert right == ("true" if q.truth else "false")
        elif kind == "matching":
            subs = node.findall("subquestion")
            assert len(subs) >= 2
            assert [(html.unescape(s.findtext("text")), s.findtext("answer/text")) for s in subs] == list(q.pairs)
        elif kind == "multianswer":
            blanks = re.findall(r"\{1:SHORTANSWER:=([^}]*)\}", node.findtext("questiontext/text"))
            assert blanks == [p[0] for p in q.pieces if isinstance(p, tuple)]
        else:
            assert kind == "essay" and node.findtext("graderinfo/text")
    # Never dropped: every worksheet item of the level is asked (a cloze's sentences, a fact check's
    # statements and a source analysis's prompts each become questions of their own).
    numbers = {item.number for c in _document(level).components if isinstance(c, Worksheet) for item in c.items}
    assert {int(re.match(r"\d+", q.name).group()) for q in model} == numbers


def _gift_questions(text: str) -> list[tuple[str, str, str]]:
    """(name, text, answers) of each GIFT question: a small reader of the subset teachpack writes."""
    made = []
    for block in text.split("\n\n"):
        block = block.strip()
        if not block or block.startswith(("//", "$CATEGORY")):
            continue
        match = re.fullmatch(r"::((?:\\.|[^:\\])*)::(.*?)((?<!\\)\{(?:\\.|[^}\\])*\})(.*)", block, re.S)
        assert match, block
        name, before, answers, after = match.groups()
        made.append((_unescape(name), _unescape(before + "_" + after).strip(), answers[1:-1]))
    return made


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


@pytest.mark.parametrize("level", ["elementary", "middle", "high"])
def test_gift_reads_back_as_the_same_questions(exported: Path, level: str) -> None:
    text = (exported / f"sino-soviet-split/sino-soviet-split-{level}-teacher.gift.txt").read_text(encoding="utf-8")
    read = _gift_questions(text)
    expected: list[QuizQuestion] = []
    for q in questions(_document(level)):  # a cloze: one GIFT question a blank
        expected.extend([q] * max(1, sum(isinstance(p, tuple) for p in q.pieces)))
    assert len(read) == len(expected)
    for (name, _, answers), q in zip(read, expected, strict=True):
        assert name.startswith(f"The Sino-Soviet Split {q.name}")
        if q.kind == "multichoice":
            assert [_unescape(a) for a in re.findall(r"=((?:\\.|[^~=\\])*)", answers)] == \
                [c.strip() for c, right in q.choices if right] or answers.count("=") == 1
            assert answers.count("~") == len(q.choices) - 1
        elif q.kind == "truefalse":
            assert answers == ("TRUE" if q.truth else "FALSE")
        elif q.kind == "matching":
            assert answers.count("->") == len(q.pairs)
        elif q.kind == "cloze":
            assert answers.startswith("=") and _unescape(answers[1:]) in [p[0] for p in q.pieces if isinstance(p, tuple)]
        else:
            assert answers == ""


def test_gift_escapes_its_special_characters(make_pack, tmp_path: Path) -> None:
    folder = make_pack()
    pack = (folder / "pack.yaml").read_text(encoding="utf-8")
    tricky = "Which ratio {a:b} is right = more than ~half #1?"
    (folder / "pack.yaml").write_text(pack.replace("worksheet:", f"worksheet:\n  - type: true-false\n    prompt: \"{tricky}\"\n    answer: true", 1), encoding="utf-8")
    result = build_pack([folder], out=tmp_path / "out", formats=("gift",), levels=("high",))
    text = result.written[0].read_text(encoding="utf-8")
    assert "Which ratio \\{a\\:b\\} is right \\= more than \\~half \\#1?" in text
    read = [q for q in _gift_questions(text) if q[1].startswith("Which ratio")]
    assert read and read[0][1] == tricky + " _" and read[0][2] == "TRUE"


@pytest.mark.parametrize("level", ["elementary", "high"])
def test_the_glossary_exports_hold_the_levels_wording(exported: Path, level: str) -> None:
    entries = glossary(_document(level))
    root = etree.parse(str(exported / f"sino-soviet-split/sino-soviet-split-{level}-teacher.glossary.xml")).getroot()
    concepts = [(e.findtext("CONCEPT"), e.findtext("DEFINITION")) for e in root.iter("ENTRY")]
    assert concepts == [(e.term, e.definition) for e in entries]
    lines = (exported / f"sino-soviet-split/sino-soviet-split-{level}-student.quizlet.txt").read_text(
        encoding="utf-8").splitlines()
    assert [tuple(line.split("\t")) for line in lines] == [(e.term, " ".join(e.definition.split())) for e in entries]


def test_shards_split_the_exports_too(tmp_path: Path) -> None:
    from builder.options import BuildOptions, Shard
    from builder.release.jobs import plan_jobs

    packs = [load_pack(EXAMPLE)]
    jobs = plan_jobs(packs, BuildOptions(formats=FORMATS))
    every = {job.path for job in jobs}
    parts = [{job.path for job in Shard(n, 2).select(jobs)} for n in (1, 2)]
    assert parts[0] | parts[1] == every and not parts[0] & parts[1] and parts[0] and parts[1]


def test_a_level_without_items_is_refused_before_anything_is_written(make_pack, tmp_path: Path) -> None:
    from builder.core.errors import TeachpackError

    folder = make_pack(changes={"worksheet": [], "contents": ["cover", "article"]})
    with pytest.raises(TeachpackError, match="no worksheet items"):
        build_pack([folder], out=tmp_path / "out", formats=("gift",), levels=("high",))
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").rglob("*.txt"))


QTI = "{http://www.imsglobal.org/xsd/ims_qtiasiv1p2}"


@pytest.mark.parametrize("level", ["elementary", "middle", "high"])
def test_the_qti_package_is_whole_and_every_response_is_scored(tmp_path: Path, level: str) -> None:
    """QTI 1.2 as Canvas reads it: a manifest naming the assessment, unique identifiers, a Canvas question
    type on every item, every choice-type response scored by a condition on one of its own labels."""
    import zipfile

    result = build_pack([EXAMPLE], out=tmp_path, formats=("qti",), levels=(level,))
    with zipfile.ZipFile(result.written[0]) as archive:
        names = set(archive.namelist())
        manifest = etree.fromstring(archive.read("imsmanifest.xml"))
        hrefs = [f.get("href") for f in manifest.iter("{*}file")]
        assert hrefs and set(hrefs) <= names
        root = etree.fromstring(archive.read(hrefs[0]))
    # Items, sections and choices are named once in the assessment; a response's name is its item's own.
    idents = [node.get("ident") for tag in ("assessment", "section", "item", "response_label")
              for node in root.iter(f"{QTI}{tag}")]
    assert len(idents) == len(set(idents)), "identifiers are unique"
    items = list(root.iter(f"{QTI}item"))
    for item in items:
        responses = [node.get("ident") for tag in ("response_lid", "response_str") for node in item.iter(f"{QTI}{tag}")]
        assert len(responses) == len(set(responses))
    model = questions(_document(level))
    assert len(items) == len(model)
    kinds = {"multichoice": "multiple_choice_question", "truefalse": "true_false_question",
             "matching": "matching_question", "cloze": "fill_in_multiple_blanks_question",
             "essay": "essay_question"}
    for item, q in zip(items, model, strict=True):
        fields = {f.findtext(f"{QTI}fieldlabel"): f.findtext(f"{QTI}fieldentry") for f in item.iter(f"{QTI}qtimetadatafield")}
        assert fields["question_type"] == kinds[q.kind] and float(fields["points_possible"]) > 0
        labels = {label.get("ident"): (lid.get("ident"), label.findtext(f"{QTI}material/{QTI}mattext"))
                  for lid in item.iter(f"{QTI}response_lid") for label in lid.iter(f"{QTI}response_label")}
        scored = [(v.get("respident"), v.text) for v in item.iter(f"{QTI}varequal")]
        for response, label in scored:
            assert labels[label][0] == response, "a condition names a label of its own response"
        lids = {lid.get("ident") for lid in item.iter(f"{QTI}response_lid")}
        assert lids == {response for response, _ in scored}, "every response is tied to its scoring"
        if q.kind == "multichoice":
            assert [labels[label][1] for _, label in scored] == [c for c, right in q.choices if right]
        elif q.kind == "matching":
            prompts = [lid.findtext(f"{QTI}material/{QTI}mattext") for lid in item.iter(f"{QTI}response_lid")]
            assert list(zip(prompts, [labels[label][1] for _, label in scored], strict=True)) == list(q.pairs)
        elif q.kind == "cloze":
            text = item.findtext(f"{QTI}presentation/{QTI}material/{QTI}mattext")
            assert text.count("[blank") == len(lids)
        elif q.kind == "essay":
            assert item.find(f"{QTI}presentation/{QTI}response_str") is not None


@pytest.mark.parametrize("level", ["elementary", "high"])
def test_kahoot_takes_what_fits_its_limits_and_lists_the_rest(tmp_path: Path, level: str) -> None:
    import openpyxl

    from builder.render.quiz.kahoot import ANSWER, FIRST_ROW, QUESTION

    result = build_pack([EXAMPLE], out=tmp_path, formats=("kahoot",), levels=(level,))
    book = openpyxl.load_workbook(result.written[0])
    rows = [r for r in book["Kahoot quiz"].iter_rows(min_row=FIRST_ROW, values_only=True) if r[1]]
    left = [r for r in book["Left out"].iter_rows(min_row=2, values_only=True)]
    model = questions(_document(level))
    assert len(rows) + len(left) == len(model), "every question is taken or listed as left out"
    assert rows, "multiple choice and true-or-false items that fit go in"
    for _, question, *answers, limit, right in rows:
        given = [a for a in answers if a]
        assert len(question) <= QUESTION and 2 <= len(given) <= 4 and all(len(a) <= ANSWER for a in given)
        assert limit in (5, 10, 20, 30, 60, 90, 120, 240) and 1 <= right <= len(given)
        q = next(q for q in model if q.text == question)
        if q.kind == "multichoice":
            assert given[right - 1] == next(c for c, ok in q.choices if ok).strip()
        else:
            assert (right == 1) == q.truth
    assert all(why for _, why in left)


def test_the_anki_deck_holds_a_note_a_term_with_its_context(tmp_path: Path) -> None:
    import sqlite3
    import zipfile

    first = build_pack([EXAMPLE], out=tmp_path / "a", formats=("anki",), levels=("middle",)).written[0]
    again = build_pack([EXAMPLE], out=tmp_path / "b", formats=("anki",), levels=("middle",)).written[0]
    assert first.read_bytes() == again.read_bytes(), "the same level, the same deck"
    with zipfile.ZipFile(first) as archive:
        (tmp_path / "collection.anki2").write_bytes(archive.read("collection.anki2"))
    with sqlite3.connect(tmp_path / "collection.anki2") as db:
        notes = [row[0].split("\x1f") for row in db.execute("SELECT flds FROM notes")]
    entries = glossary(_document("middle", "student"))
    assert sorted(n[0] for n in notes) == sorted(html.escape(e.term, quote=False) for e in entries)
    by_term = {n[0]: n for n in notes}
    for entry in entries:
        term, meaning, context = by_term[html.escape(entry.term, quote=False)]
        assert html.unescape(meaning) == entry.definition
        assert not context or entry.term.lower() in html.unescape(context).lower()
    assert sum(bool(n[2]) for n in notes) >= len(notes) // 2, "most terms come with the reading's sentence"


QTI21 = "{http://www.imsglobal.org/xsd/imsqti_v2p1}"


@pytest.mark.parametrize("level", ["elementary", "middle", "high"])
def test_the_qti21_package_declares_and_scores_every_response(tmp_path: Path, level: str) -> None:
    """QTI 2.1's structure: the manifest names every file, the test refers to every item, each interaction's
    response is declared, each scored one has its correct response and its processing; item by item as the
    level's quiz."""
    import zipfile

    result = build_pack([EXAMPLE], out=tmp_path, formats=("qti21",), levels=(level,))
    with zipfile.ZipFile(result.written[0]) as archive:
        names = set(archive.namelist())
        manifest = etree.fromstring(archive.read("imsmanifest.xml"))
        files = {f.get("href") for f in manifest.iter("{*}file")}
        assert files == names - {"imsmanifest.xml"}
        test = etree.fromstring(archive.read("assessment-test.xml"))
        refs = [ref.get("href") for ref in test.iter(f"{QTI21}assessmentItemRef")]
        items = [etree.fromstring(archive.read(ref)) for ref in refs]
    assert set(refs) <= names
    model = questions(_document(level))
    assert len(items) == len(model)
    assert len({item.get("identifier") for item in items}) == len(items)
    interactions = {"multichoice": "choiceInteraction", "truefalse": "choiceInteraction",
                    "matching": "matchInteraction", "cloze": "textEntryInteraction",
                    "essay": "extendedTextInteraction"}
    for item, q in zip(items, model, strict=True):
        declared = {d.get("identifier"): d for d in item.iter(f"{QTI21}responseDeclaration")}
        used = [i for i in item.iter(f"{QTI21}{interactions[q.kind]}")]
        assert used and {i.get("responseIdentifier") for i in used} == set(declared)
        processing = item.find(f"{QTI21}responseProcessing")
        if q.kind == "essay":
            assert processing is None and not any(d.find(f"{QTI21}correctResponse") is not None
                                                  for d in declared.values())
            continue
        assert processing is not None
        correct = {k: [v.text for v in d.iter(f"{QTI21}value")] for k, d in declared.items()}
        assert all(correct.values()), "every scored response has its correct response"
        if q.kind == "multichoice":
            texts = {c.get("identifier"): c.text for c in item.iter(f"{QTI21}simpleChoice")}
            assert [texts[v] for v in correct["RESPONSE"]] == [c for c, right in q.choices if right]
        elif q.kind == "matching":
            prompts = {c.get("identifier"): c.text for c in item.iter(f"{QTI21}simpleAssociableChoice")}
            assert [(prompts[p], prompts[o]) for p, o in (v.split() for v in correct["RESPONSE"])] == list(q.pairs)
        elif q.kind == "cloze":
            assert [correct[f"RESPONSE_{n}"] for n in range(1, len(correct) + 1)] == \
                [list(p) for p in q.pieces if isinstance(p, tuple)]
