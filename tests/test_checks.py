"""One list of checks: `check` and `build --strict` report the same coded warnings; --allow waives a kind."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from builder import WARNING_CODES, Problem, TeachpackError, build_pack, check_pack, load_pack
from builder.check.checks import DOCUMENT_CHECKS, PACK_CHECKS
from builder.release.manifest import read_manifest
from builder.resolve.document import resolve

from .conftest import REPO

HARD = ("## Evaporation\n\nThe thermodynamically mediated transformation of oceanic hydrological reservoirs "
        "into atmospheric vapour constitutes an indispensable, continuously operating component of planetary "
        "circulation, notwithstanding considerable regional variability.\n\n## Condensation\n\nIt condenses.\n\n"
        "## Rain\n\nRain falls on an aquifer. The beleive is wrong.\n")


@pytest.fixture
def warned_pack(make_pack) -> Path:
    """A pack with a hard level, a misspelling, a term with no definition and one the article never uses."""
    return make_pack(article=HARD, changes={"glossary": [{"term": "aquifer"}, {"term": "glacier", "definition": "Ice."}]})


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "builder", *args], cwd=cwd, capture_output=True, text=True)


def test_check_and_build_report_the_same_coded_warnings(warned_pack: Path, tmp_path: Path) -> None:
    checked = check_pack(warned_pack).warnings
    built: list[Problem] = []
    build_pack([warned_pack], out=tmp_path / "out", on_warning=built.append)
    assert set(built) == set(checked)
    assert {"TP101", "TP204", "TP205", "TP301"} <= {w.code for w in checked}
    assert all(w.code in WARNING_CODES for w in checked)  # every warning is given its code where it is made
    with pytest.raises(TeachpackError) as caught:
        build_pack([warned_pack], out=tmp_path / "strict", strict=True)
    assert set(caught.value.lines()[:-1]) == {str(w) for w in checked}


def test_the_lists_are_the_ones_both_commands_run() -> None:
    assert len(PACK_CHECKS) == 6 and set(DOCUMENT_CHECKS) == {None, "pdf", "docx"}


def test_allow_waives_one_kind_under_strict(warned_pack: Path, tmp_path: Path) -> None:
    codes = sorted({w.code for w in check_pack(warned_pack).warnings})
    with pytest.raises(TeachpackError) as caught:
        build_pack([warned_pack], out=tmp_path / "a", formats=["docx"], strict=True, allow=codes[1:])
    lines = caught.value.lines()
    assert all(line.startswith(f"{codes[0]} ") for line in lines[:-1])
    assert re.fullmatch(rf"{len(lines) - 1} warning\(s\) and --strict is set \([1-9]\d* more allowed by --allow\); "
                        "nothing was written", lines[-1])
    result = build_pack([warned_pack], out=tmp_path / "b", formats=["docx"], strict=True, allow=codes)
    assert result.written and {w.code for w in result.warnings} == set(codes)


def test_cli_prints_the_code_and_allow_is_repeatable(warned_pack: Path, tmp_path: Path) -> None:
    codes = sorted({w.code for w in check_pack(warned_pack).warnings})
    out = tmp_path / "out"
    refused = _run("build", "pack", "-o", str(out), "-f", "docx", "--strict", cwd=warned_pack.parent)
    assert refused.returncode == 2 and not out.exists()
    assert ("error: TP204 pack/pack.yaml: glossary[1].definition: 'aquifer' has no definition yet; write one"
            in refused.stderr.splitlines())
    allowed = [arg for code in codes for arg in ("--allow", code)]
    passed = _run("build", "pack", "-o", str(out), "-f", "docx", "--strict", *allowed, cwd=warned_pack.parent)
    assert passed.returncode == 0, passed.stderr
    warnings = [line for line in passed.stderr.splitlines() if line.startswith("warning: ")]
    assert warnings and all(re.match(r"warning: TP\d{3} pack/", line) for line in warnings)
    checked = _run("check", "pack", "--strict", *allowed, cwd=warned_pack.parent)
    assert checked.returncode == 0, checked.stderr
    bad = _run("build", "pack", "-o", str(out), "--strict", "--allow", "TP3O1", cwd=warned_pack.parent)
    assert bad.returncode == 2 and "error: --allow 'TP3O1' is not a warning code (did you mean 'TP301'?)" in bad.stderr


def test_json_and_manifest_keep_the_structure(warned_pack: Path, tmp_path: Path) -> None:
    report = json.loads(_run("check", "pack", "--json", cwd=warned_pack.parent).stdout)
    definition = next(p for p in report["problems"] if p["code"] == "TP204")
    assert definition == {"code": "TP204", "file": "pack/pack.yaml", "line": None, "key": "glossary[1].definition",
                          "message": "'aquifer' has no definition yet; write one"}
    out = tmp_path / "out"
    build_pack([warned_pack], out=out, formats=["docx"])
    raw = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert any(w["code"] == "TP301" and w["key"] == "" for entry in raw["outputs"] for w in entry["warnings"])
    entries = read_manifest(out)
    again: list[Problem] = []
    build_pack([warned_pack], out=out, formats=["docx"], on_warning=again.append)  # all skipped: from the manifest
    assert set(again) == {w for e in entries.values() for w in e.warnings}
    assert all(isinstance(w, Problem) and w.code for w in again)


def test_a_pack_not_in_english_says_so_once(make_pack) -> None:
    folder = make_pack(article=HARD, changes={"language": "es"})
    result = check_pack(folder)
    assert [n.code for n in result.notes] == ["TP100"]
    assert not {"TP101", "TP301"} & {w.code for w in result.warnings} and result.misspellings == []
    assert {row.verdict for row in result.readings} == {"n/a"}
    shown = _run("check", "pack", cwd=folder.parent).stdout
    assert shown.count("checked for English only") == 1 and "too hard" not in shown


def test_a_language_without_labels_is_its_own_kind(make_pack) -> None:
    warnings = check_pack(make_pack(changes={"language": "fr"})).warnings
    assert [w.code for w in warnings if "no labels for language 'fr'" in w.message] == ["TP102"]


def test_every_code_is_documented() -> None:
    doc = (REPO / "docs" / "bad-inputs.md").read_text(encoding="utf-8")
    for code, (name, _) in WARNING_CODES.items():
        assert f"`{code}`" in doc and name in doc, code


def test_warnings_get_their_code_where_they_are_made(make_pack) -> None:
    """Loading and resolving give each warning its kind: nothing is sorted afterwards by its wording."""
    article = "## One\n\nA [link](ftp://example.org).\n\n![](images/blank.png)\n\nText\x07 with a bell.\n"
    folder = make_pack({"language": "xx", "sections": None, "worksheet": [{"type": "source-analysis"}]},
                       article=article)
    (folder / "images").mkdir(exist_ok=True)
    Image.new("RGB", (8, 8), "white").save(folder / "images" / "blank.png")
    pack = load_pack(folder)
    assert {w.code for w in pack.warnings} == {"TP001", "TP002", "TP102", "TP501"}
    document = resolve(pack, pack.levels[0])
    assert [w.code for w in document.warnings] == ["TP201"]


def test_check_questions_prints_every_levels_items_and_keys() -> None:
    """`teachpack check --questions` (issue 14, item 5): each level, each item in order, with its key."""
    import subprocess
    import sys

    from builder import load_pack
    from builder.components.worksheet import Worksheet
    from builder.resolve.document import resolve

    from .conftest import EXAMPLE

    out = subprocess.run([sys.executable, "-m", "builder", "check", str(EXAMPLE), "--questions"],
                         capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    blocks = out.stdout.split("\n\n")
    pack = load_pack(EXAMPLE)
    for level in pack.levels:
        header = f"{level.label} (grades {level.grades})"
        start = out.stdout.index(header)
        text = out.stdout[start:]
        items = [i for c in resolve(pack, level).components if isinstance(c, Worksheet) for i in c.items]
        for item in items:
            assert f"\n  {item.number}. {item.heading}\n" in text
        body = text.split("\n\n", 2)[1]
        assert body.count("\n  ") >= len(items) and body.count("Key: ") >= len(items)
    assert blocks
