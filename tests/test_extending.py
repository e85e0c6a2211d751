"""Extension by installed packages (docs/extending.md): the example plugin installed for real, built in a
subprocess, and the errors a broken or clashing plugin gives.

The plugin is installed with pip into a temporary folder (`--target`, offline, with the build backend
already in the venv) and put on the builder's path with PYTHONPATH, so the test process's own registry
never sees it.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import docx
import pytest
import yaml

from builder.components.registry import registry
from tests.conftest import REPO, ROOTS, pdf_text

EXAMPLE = REPO / "examples" / "plugin-word-scramble"
TERMS = ("evaporation", "condensation", "aquifer")  # tests/roots/basic's glossary
# Elementary does not print the Condensation section, so its glossary (and the scramble) leaves that term out.
ELEMENTARY = ("evaporation", "aquifer")


def run(args: list[str], cwd: Path, *paths: Path) -> subprocess.CompletedProcess[str]:
    """`python -m builder ARGS` with only `paths` added to the module path (the plugins installed there)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), *map(str, paths)])}
    return subprocess.run([sys.executable, "-m", "builder", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300)


def dist_info(site: Path, name: str, version: str, entry_points: str) -> None:
    """Declare an installed distribution and its entry points without building anything."""
    folder = site / f"{name.replace('-', '_')}-{version}.dist-info"
    folder.mkdir(parents=True)
    (folder / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n", encoding="utf-8")
    (folder / "entry_points.txt").write_text(f"[teachpack.components]\n{entry_points}\n", encoding="utf-8")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example package installed with pip into a folder of its own."""
    tmp = tmp_path_factory.mktemp("plugin")
    source = tmp / "source"  # a copy, so a backend's build files never land in the work tree
    shutil.copytree(EXAMPLE, source, ignore=shutil.ignore_patterns("__pycache__", "build", "*.egg-info"))
    target = tmp / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps",
                    "--no-index", "--no-build-isolation", "--target", str(target), str(source)],
                   check=True, capture_output=True, text=True, timeout=300)
    assert (target / "teachpack_word_scramble" / "templates" / "item-word-scramble.html").is_file()  # package data
    return target


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/roots/basic with a word-scramble activity at the end of its worksheet."""
    folder = tmp_path_factory.mktemp("packs") / "scramble"
    shutil.copytree(ROOTS / "basic", folder)
    data = yaml.safe_load((folder / "pack.yaml").read_text(encoding="utf-8"))
    data["worksheet"].append({"type": "word-scramble"})
    (folder / "pack.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def built(site: Path, pack: Path) -> Path:
    """One level built, both editions and formats; returns the output folder."""
    out = pack.parent / "out"
    done = run(["build", str(pack), "--out", str(out), "--level", "elementary"], pack.parent, site)
    assert done.returncode == 0, done.stderr
    return out


def flat(text: str) -> str:
    """Text without any white space: pdftotext splits the letter-spaced scrambles into letters."""
    return re.sub(r"\s+", "", text)


def scrambles(path: Path) -> list[tuple[str, str]]:
    """(scrambled word, clue) as the DOCX prints them."""
    found = [re.fullmatch(r"\((\d+)\)\s+(.+?)\s+\u2014\s+(.+)", p.text.strip()) for p in docx.Document(path).paragraphs]
    return [(m[2], m[3]) for m in found if m]


def test_build_prints_the_activity_and_its_key(built: Path) -> None:
    folder = built / "scramble"
    printed = scrambles(folder / "scramble-elementary-student.docx")
    assert len(printed) == len(ELEMENTARY)
    for word, _ in printed:  # each a real scramble of a term: same letters, another order, in capitals
        term = next(t for t in TERMS if sorted(t.upper()) == sorted(word))
        assert word != term.upper()
    assert {clue for _, clue in printed} >= {"When water turns into a gas."}  # the level's wording of a definition

    student, teacher = (pdf_text(folder / f"scramble-elementary-{e}.pdf") for e in ("student", "teacher"))
    for text in (student, teacher):  # the same seeded scramble in both editions
        assert "Word scramble" in text and "Unscramble the letters" in text
        for word, _ in printed:
            assert flat(word) in flat(text)
    terms = [next(t for t in TERMS if sorted(t.upper()) == sorted(word)) for word, _ in printed]
    key = "; ".join(f"({n}) {term}" for n, term in enumerate(terms, start=1))
    assert key not in student.replace("\xa0", " ")
    assert key in teacher.replace("\xa0", " ")  # the answer key, in the printed order

    document = docx.Document(folder / "scramble-elementary-teacher.docx")
    assert any(key == p.text.replace("\xa0", " ").strip() for p in document.paragraphs)
    assert f"Word scramble ({len(ELEMENTARY)} items)" in teacher  # the teacher's overview counts it


def test_plugin_is_part_of_the_fingerprint(built: Path, site: Path, pack: Path, tmp_path: Path) -> None:
    same = run(["build", str(pack), "--out", str(built), "--level", "elementary", "--list-jobs"], pack.parent, site)
    assert same.returncode == 0, same.stderr
    assert same.stdout.count("up-to-date") == 4, same.stdout
    newer = tmp_path / "site"  # the same plugin, one version up
    shutil.copytree(site, newer)
    info = next(newer.glob("teachpack_word_scramble-*.dist-info"))
    (info / "METADATA").write_text((info / "METADATA").read_text(encoding="utf-8")
                                   .replace("Version: 1.0.0", "Version: 1.0.1"), encoding="utf-8")
    info.rename(newer / "teachpack_word_scramble-1.0.1.dist-info")
    other = run(["build", str(pack), "--out", str(built), "--level", "elementary", "--list-jobs"], pack.parent, newer)
    assert other.returncode == 0, other.stderr
    assert "up-to-date" not in other.stdout, other.stdout


def test_check_with_and_without_the_plugin(site: Path, pack: Path) -> None:
    done = run(["check", str(pack)], pack.parent, site)
    assert done.returncode == 0, done.stdout + done.stderr
    without = one_line_error(run(["check", str(pack)], pack.parent))
    assert "worksheet[5].type: unknown question or activity type" in without


def test_check_without_the_plugin_names_the_type(pack: Path) -> None:
    line = one_line_error(run(["check", str(pack)], pack.parent))
    assert "'word-scramble'" in line and "install" in line


def one_line_error(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 2, done.stdout + done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), done.stderr
    return lines[0]


def test_plugin_that_fails_to_import(pack: Path, tmp_path: Path) -> None:
    dist_info(tmp_path, "teachpack-broken", "0.1", "broken-thing = teachpack_broken:KIND")
    (tmp_path / "teachpack_broken.py").write_text("raise RuntimeError('oops')\n", encoding="utf-8")
    line = one_line_error(run(["check", str(pack)], pack.parent, tmp_path))
    assert "plugin 'broken-thing'" in line and "teachpack-broken" in line and "RuntimeError: oops" in line


def test_plugin_named_like_a_built_in(pack: Path, tmp_path: Path) -> None:
    dist_info(tmp_path, "teachpack-clash", "0.1", "cloze = teachpack_clash:KIND")
    (tmp_path / "teachpack_clash.py").write_text(
        "from dataclasses import replace\n"
        "from builder.components.items.cloze import KIND as CLOZE\n"
        "KIND = replace(CLOZE)  # a second kind named 'cloze'\n", encoding="utf-8")
    line = one_line_error(run(["check", str(pack)], pack.parent, tmp_path))
    assert "plugin 'cloze'" in line and "'cloze' is registered already" in line


def test_plugin_label_that_clashes(site: Path, pack: Path, tmp_path: Path) -> None:
    dist_info(tmp_path, "teachpack-words", "0.1", "word-scramble = teachpack_words:KIND")
    (tmp_path / "teachpack_words.py").write_text(
        "from dataclasses import replace\n"
        "from teachpack_word_scramble import KIND as WHOLE\n"
        "KIND = replace(WHOLE, labels={'en': {'cloze': 'Mine'}})  # en.yaml's key\n", encoding="utf-8")
    shutil.copytree(site / "teachpack_word_scramble", tmp_path / "teachpack_word_scramble")  # no entry point
    line = one_line_error(run(["check", str(pack)], pack.parent, tmp_path))
    assert "plugin 'word-scramble'" in line and "label 'cloze'" in line


@pytest.mark.parametrize("change", ['template="item-nope.html"', "docx=None"])
def test_kind_missing_a_part_names_it(site: Path, pack: Path, tmp_path: Path, change: str) -> None:
    dist_info(tmp_path, "teachpack-partial", "0.1", "word-scramble = teachpack_partial:KIND")
    (tmp_path / "teachpack_partial.py").write_text(
        "from dataclasses import replace\n"
        "from teachpack_word_scramble import KIND as WHOLE\n"
        f"KIND = replace(WHOLE, {change})\n", encoding="utf-8")
    shutil.copytree(site / "teachpack_word_scramble", tmp_path / "teachpack_word_scramble")  # no entry point
    line = one_line_error(run(["check", str(pack)], pack.parent, tmp_path))
    assert "word-scramble" in line and "teachpack-partial" in line


def plugin_module_only(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Import the plugin's module in this process without registering it: the registry is read first."""
    registry()
    monkeypatch.syspath_prepend(str(site))


def test_scramble_is_never_the_word(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plugin_module_only(site, monkeypatch)
    from teachpack_word_scramble import scramble

    rng = random.Random(0)
    for term in ("tide", "water table", "oxbow lake", "aaab", "noon") * 200:
        mixed = scramble(term, rng)
        assert mixed != term.upper() and mixed.isupper()
        assert [sorted(w) for w in mixed.split(" ")] == [sorted(w.upper()) for w in term.split(" ")]  # spaces kept


def test_build_skips_short_terms_and_uses_the_spec(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plugin_module_only(site, monkeypatch)
    from teachpack_word_scramble import KIND, WordScrambleSpec

    from builder.components.api import CannotBuild, ItemContext, Material

    def entry(term: str) -> SimpleNamespace:
        return SimpleNamespace(term=term, definition=f"what {term} means")

    words = {key: text for key, text in KIND.labels["en"].items()}
    glossary = tuple(map(entry, ("fog", "ice", "hail", "water table", "sleet")))
    context = ItemContext(4, SimpleNamespace(items=8), Material((), glossary, ()), random.Random(1), words)
    item = KIND.build(WordScrambleSpec(type="word-scramble", count=2, title="Mixed-up words"), context)
    assert item.title == "Mixed-up words" and len(item.terms) == 2 and not {"fog", "ice"} & set(item.terms)
    item = KIND.build(WordScrambleSpec(type="word-scramble"), context)
    assert sorted(item.terms) == ["hail", "sleet", "water table"] and KIND.count(item) == 3
    assert item.clues == tuple(f"what {t} means" for t in item.terms)
    assert KIND.answers(item, words) == ["; ".join(f"({n})\u00a0{t}" for n, t in enumerate(item.terms, start=1))]
    assert set(KIND.labels["es"]) == set(KIND.labels["en"]) == {KIND.title, "word_scramble_instructions"}
    with pytest.raises(CannotBuild, match="at least 2"):
        KIND.build(WordScrambleSpec(type="word-scramble"), ItemContext(
            1, SimpleNamespace(items=8), Material((), glossary[:3], ()), random.Random(1), words))


def test_docs_show_the_example_as_it_is() -> None:
    """docs/extending.md walks through the example's files in full: they must be the files."""
    docs = (REPO / "docs" / "extending.md").read_text(encoding="utf-8")
    for name in ("pyproject.toml", "teachpack_word_scramble/__init__.py",
                 "teachpack_word_scramble/templates/item-word-scramble.html"):
        assert (EXAMPLE / name).read_text(encoding="utf-8") in docs, name
