"""Every user-facing error about a bad pack, pinned word for word, and nothing written."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from builder import PackError, load_pack

from .conftest import ROOTS

BASIC = (ROOTS / "basic" / "pack.yaml").read_text(encoding="utf-8")


def edit(old: str, new: str) -> str:
    assert old in BASIC, old
    return BASIC.replace(old, new, 1)


CASES = [
    (
        "misspelt-key",
        edit("subject: Science", "subjet: Science"),
        [
            "pack.yaml:1: subject: is required; add it (see docs/pack-format.md)",
            "pack.yaml:3: subjet: unknown key (did you mean 'subject'?); allowed keys here: article, attribution, contents, corrections, date, dictionary, "
            "format, glossary, id, import_warnings, labels, language, levels, paper, profiles, sections, sources, subject, subtitle, teacher, theme, timeline, "
            "title, worksheet",
        ],
    ),
    (
        "misspelt-level",
        edit("levels: [elementary, high]", "levels: [elementry, high]"),
        [
            "pack.yaml:10: levels[1]: unknown level 'elementry' (did you mean 'elementary'?); choose from elementary, middle, high",
        ],
    ),
    (
        "duplicate-key",
        BASIC + "title: Again\n",
        [
            "pack.yaml:46: title: duplicate key (first given on line 1); keep one",
        ],
    ),
    (
        "missing-article",
        edit("article: article.md", "article: missing.md"),
        [
            "pack.yaml:6: article: 'missing.md' not found in pack/; check the file name",
        ],
    ),
    (
        "article-outside",
        edit("article: article.md", "article: ../../secret.md"),
        [
            "pack.yaml:6: article: '../../secret.md' is outside the pack folder; move the article into pack/",
        ],
    ),
    (
        "choice-letter",
        edit("answer: B", "answer: E"),
        [
            "pack.yaml:33: worksheet[2]: answer must be the letter of a choice: A, B, C",
        ],
    ),
    (
        "question-type",
        edit("type: true-false", "type: yes-no"),
        [
            "pack.yaml:37: worksheet[3].type: unknown question or activity type 'yes-no'; use one of "
            "extended-response, multiple-choice, short-answer, true-false, cloze, crossword, date-matching, "
            "source-analysis, timeline-sequencing, true-false-facts, vocabulary-matching, word-search, or install the "
            "package that provides it",
        ],
    ),
    (
        "question-key",
        edit("    answer: Heat from the sun.", "    anwser: Heat from the sun."),
        [
            "pack.yaml:30: worksheet[1].answer: is required; add it (see docs/pack-format.md)",
            "pack.yaml:32: worksheet[1].anwser: unknown key (did you mean 'answer'?); allowed keys here: answer, drafted, "
            "levels, lines, open_book, prompt, type",
        ],
    ),
    (
        "bad-date",
        edit('date: "1687"', 'date: "1687-13"'),
        [
            "pack.yaml:26: timeline.events[1].date: '1687-13' is not a real date; check the month and day",
        ],
    ),
    (
        "backwards-range",
        edit('date: "1802-1803"', 'date: "1803-1802"'),
        [
            "pack.yaml:27: timeline.events[2].date: '1803-1802' ends before it starts; put the earlier date first",
        ],
    ),
    (
        "paper",
        edit("paper: a4", "paper: A5"),
        [
            "pack.yaml:5: paper: must be one of letter or a4",
        ],
    ),
    (
        "unknown-section",
        edit("elementary: [evaporation, rain]", "elementary: [evaporaton, rain]"),
        [
            "pack.yaml:12: sections.elementary[1]: no section 'evaporaton' in article.md (did you mean 'evaporation'?); "
            "sections are: evaporation, condensation, rain",
        ],
    ),
    (
        "question-level",
        edit("    levels: [high]", "    levels: [hihg]"),
        [
            "pack.yaml:44: worksheet[4].levels[1]: 'hihg' is not one of this pack's levels (did you mean 'high'?); "
            "add it to levels: or use one of elementary, high",
        ],
    ),
    (
        "duplicate-term",
        edit("  - term: aquifer", "  - term: Evaporation"),
        [
            "pack.yaml:21: glossary[3].term: 'Evaporation' is defined twice; keep one entry",
        ],
    ),
    (
        "yaml-syntax",
        "title: [unclosed\n",
        [
            "pack.yaml:2: invalid YAML: expected ',' or ']', but got '<stream end>'; check the indentation and quoting",
        ],
    ),
    (
        "alias-bomb",
        "a: &a [1,2,3,4,5,6,7,8,9,10]\n"
        + "".join(f"{k}: &{k} [{', '.join(['*' + p] * 10)}]\n" for p, k in zip("abcdef", "bcdefg", strict=False)),
        [
            "more than 100000 values (aliases expanding?); remove the '*' aliases",
        ],
    ),
    (
        "empty",
        "",
        [
            "pack.yaml: is empty; see docs/pack-format.md for an example",
        ],
    ),
    (
        "not-a-mapping",
        "- just\n- a list\n",
        [
            "pack.yaml:1: must be a mapping of keys (title: ..., subject: ...)",
        ],
    ),
]


@pytest.mark.parametrize("name,text,expected", CASES, ids=[c[0] for c in CASES])
def test_bad_pack_message(
    make_pack, monkeypatch: pytest.MonkeyPatch, name: str, text: str, expected: list[str]
) -> None:
    folder = make_pack(text=text)
    monkeypatch.chdir(folder.parent)
    with pytest.raises(PackError) as caught:
        load_pack(folder)
    lines = [str(p) for p in caught.value.problems]
    if name == "alias-bomb":
        assert len(lines) == 1 and lines[0].endswith(expected[0])
    else:
        assert lines == [f"pack/{line}" for line in expected]


def test_missing_image(make_pack, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = make_pack(changes={"sections": None}, article='## One\n\nText.\n\n![A map](images/map.png "Map")\n')
    monkeypatch.chdir(folder.parent)
    with pytest.raises(PackError) as caught:
        load_pack(folder)
    assert [str(p) for p in caught.value.problems] == [
        "pack/article.md:5: image 'images/map.png' not found; check the path (relative to article.md)"
    ]


def test_remote_image_refused(make_pack, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = make_pack(article="## One\n\n![A map](http://127.0.0.1:9/map.png)\n")
    monkeypatch.chdir(folder.parent)
    with pytest.raises(PackError) as caught:
        load_pack(folder)
    assert "is not a file in the pack; copy it into images/ and link to that" in str(caught.value)


def test_empty_article(make_pack, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = make_pack(changes={"sections": None}, article="\n   \n")
    monkeypatch.chdir(folder.parent)
    with pytest.raises(
        PackError, match="article.md: has no text; write the article in Markdown, a '## ' heading per section"
    ):
        load_pack(folder)


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "builder", *args], cwd=cwd, capture_output=True, text=True)


def test_cli_bad_pack_exits_2_and_writes_nothing(make_pack) -> None:
    folder = make_pack(text=edit("subject: Science", "subjet: Science"))
    result = run_cli("build", str(folder), "--out", "dist", cwd=folder.parent)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines()[1].startswith(
        "error: pack/pack.yaml:3: subjet: unknown key (did you mean 'subject'?)"
    )
    assert not (folder.parent / "dist").exists()


def test_cli_unknown_level_and_format(make_pack) -> None:
    folder = make_pack()
    result = run_cli("build", "pack", "--level", "midle", "--out", "dist", cwd=folder.parent)
    assert result.returncode == 2
    assert (
        "error: pack/pack.yaml: levels: --level 'midle' is not a level of this pack; it has elementary, high"
        in result.stderr
    )
    result = run_cli("build", str(folder), "--format", "odt", cwd=folder.parent)
    assert (result.returncode, result.stderr.strip()) == (
        2,
        "error: --format 'odt' is not supported; choose from pdf, docx, brf, qti, qti21, moodle, gift, kahoot, moodle-glossary, quizlet, anki",
    )
    assert not (folder.parent / "dist").exists()


def test_cli_missing_folder(tmp_path: Path) -> None:
    result = run_cli("check", "nowhere", cwd=tmp_path)
    assert result.returncode == 2
    assert (
        result.stderr.strip()
        == "error: nowhere/pack.yaml: not found (the folder does not exist); give the folder that holds pack.yaml"
    )


def test_failed_write_leaves_old_file_whole(make_pack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A render that dies midway must not leave a partial file or damage the one already there."""
    from builder import build as build_module
    from builder.render.docx import writer as docx_module

    folder = make_pack()
    out = tmp_path / "dist"
    build_module.build_pack([folder], out=out, formats=["docx"], levels=["high"])
    target = out / "pack" / "pack-high-student.docx"
    before = target.read_bytes()

    def broken(self, document):  # noqa: ANN001
        raise build_module.BuildError("disk on fire")

    monkeypatch.setattr(docx_module.DocxRenderer, "render", broken)
    with pytest.raises(build_module.BuildError, match="pack-high-student.docx: disk on fire"):
        build_module.build_pack([folder], out=out, formats=["docx"], levels=["high"], force=True)
    assert target.read_bytes() == before
    assert sorted(p.name for p in target.parent.iterdir()) == ["pack-high-student.docx", "pack-high-teacher.docx"]


def test_no_weasyprint_for_help_or_check() -> None:
    code = (
        "import sys; from builder.cli import app; from typer.testing import CliRunner; "
        "r = CliRunner().invoke(app, ['--help']); assert r.exit_code == 0, r.output; "
        "r = CliRunner().invoke(app, ['check', 'packs/sino-soviet-split']); assert r.exit_code == 0, r.output; "
        "print(sorted(m for m in sys.modules if m.startswith('weasyprint')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=Path(__file__).resolve().parent.parent
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_version() -> None:
    result = run_cli("--version", cwd=Path.cwd())
    assert result.returncode == 0
    assert re.fullmatch(r"teachpack \d+\.\d+\.\d+\n", result.stdout)


def test_check_lists_unfinished_glossary(make_pack) -> None:
    folder = make_pack(changes={"glossary": [{"term": "evaporation"}, {"term": "glacier", "definition": "Ice."}]})
    result = run_cli("check", "pack", cwd=folder.parent)
    assert result.returncode == 0
    assert result.stderr.splitlines() == [
        "warning: TP204 pack/pack.yaml: glossary[1].definition: 'evaporation' has no definition yet; write one",
        "warning: TP205 pack/pack.yaml: glossary[2].term: 'glacier' does not occur in the article or a level's rewrite; add the form it takes there to forms:",
    ]
    strict = run_cli("check", "pack", "--strict", cwd=folder.parent)
    assert strict.returncode == 2 and "error: 2 warning(s) and --strict is set" in strict.stderr


def test_corrections_fix_the_article_at_build_time(make_pack) -> None:
    from builder import load_pack

    folder = make_pack(changes={"corrections": {"vapour": "vapor"}})
    pack = load_pack(folder)
    assert "vapor" in pack.article_text and "vapour" not in pack.article_text
    assert "vapour" in (folder / "article.md").read_text(encoding="utf-8")
