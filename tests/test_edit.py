"""builder.edit, what `teachpack serve` saves through: checked by load_pack before anything is written,
refused when stale, kept for undo, and pack.yaml changed in place so the teacher's layout stays."""

from __future__ import annotations

import difflib
import json
import shutil
from pathlib import Path

import pytest
import yaml

from builder import edit
from builder.core import files
from builder.core.errors import PackError, TeachpackError
from builder.load.loader import load_pack

from .conftest import EXAMPLE

NEW_TERM = {"term": "treaty", "definition": "A formal written agreement between countries.",
            "simple": "A written promise between countries."}
HIGH_TEXT = """## The Korean War (1950-1953)

In June 1950 North Korea invaded South Korea, and in October Mao sent Chinese troops across the Yalu River.
"""


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    """A copy of the example pack, to edit."""
    folder = tmp_path / "pack"
    shutil.copytree(EXAMPLE, folder)
    return folder


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (hidden ones, temp files and .teachpack/ too), by name, with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def plain(folder: Path) -> dict:
    return yaml.safe_load((folder / "pack.yaml").read_text(encoding="utf-8"))


def changed_lines(before: str, after: str) -> tuple[list[str], list[str]]:
    """The lines taken out of `before` and the lines put into `after`."""
    diff = list(difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0))
    removed = [line[1:] for line in diff if line.startswith("-") and not line.startswith("---")]
    added = [line[1:] for line in diff if line.startswith("+") and not line.startswith("+++")]
    return removed, added


def save_definition(folder: Path, definition: str) -> edit.Saved:
    glossary = plain(folder)["glossary"]
    glossary[1]["definition"] = definition
    return edit.save_pack_yaml(folder, {"glossary": glossary}, edit.digest(folder / "pack.yaml"))


# --- pack.yaml round trip ----------------------------------------------------------------------------------


def test_a_glossary_edit_changes_only_its_own_lines(pack: Path) -> None:
    before = (pack / "pack.yaml").read_text(encoding="utf-8")
    glossary = plain(pack)["glossary"]
    old_definition = glossary[1]["definition"]
    glossary[1]["definition"] = "The long rivalry between the United States and the Soviet Union, 1947-1991."
    glossary.append(dict(NEW_TERM))

    saved = edit.save_pack_yaml(pack, {"glossary": glossary}, edit.digest(pack / "pack.yaml"))

    after = (pack / "pack.yaml").read_text(encoding="utf-8")
    removed, added = changed_lines(before, after)
    assert removed == [f"    definition: {old_definition}"]
    assert added == ["    definition: The long rivalry between the United States and the Soviet Union, 1947-1991.",
                     "  - term: treaty",
                     "    definition: A formal written agreement between countries.",
                     "    simple: A written promise between countries."]
    for kept in ("dictionary: [Kim Il Sung, Chiang Kai-shek]  # names the spelling check must accept",
                 "  # Generated from the glossary and timeline: rebuilt for each level and form",
                 "levels: [elementary, middle, high]",
                 '    - date: "1949-10-01"',
                 '    choices: ["1945", "1953", "1949", "1960"]',
                 "    - {code: C3 D2.His.14.6-8, levels: [middle]}"):
        assert kept in after.splitlines()
    assert list(plain(pack)) == list(yaml.safe_load(before))  # key order

    assert saved.written == ("pack.yaml",)
    assert [e.term for e in saved.pack.file.glossary][-2:] == ["Cultural Revolution", "treaty"]
    assert saved.pack.file.glossary[1].definition.endswith("1947-1991.")
    assert load_pack(pack).file.glossary[-1].definition == NEW_TERM["definition"]
    assert not [name for name in tree(pack) if name.endswith(".part")]
    assert [p.name for p in edit.undo_steps(pack)] == ["1"]


def test_a_key_set_to_delete_loses_only_its_line(pack: Path) -> None:
    before = (pack / "pack.yaml").read_text(encoding="utf-8")
    saved = edit.save_pack_yaml(pack, {"subtitle": edit.DELETE}, edit.digest(pack / "pack.yaml"))
    removed, added = changed_lines(before, (pack / "pack.yaml").read_text(encoding="utf-8"))
    assert removed == ["subtitle: How two communist giants went from allies to enemies, 1949-1969"] and added == []
    assert saved.pack.file.subtitle is None


# --- an invalid change is refused with the loader's own problem, and nothing is written -----------------------

BAD = {  # name: (the change through the API, the same change by hand in the text, the key path of the problem)
    "empty term": (lambda d: d["glossary"][1].update(term=""), ("  - term: Cold War", '  - term: ""'),
                   "glossary[2].term"),
    "unknown level": (lambda d: d["timeline"]["events"][2].update(levels=["middle", "college"]),
                      ("      levels: [middle, high]", "      levels: [middle, college]"),
                      "timeline.events[3].levels[2]"),
    "bad date": (lambda d: d["timeline"]["events"][0].update(date="1949-13-45"),
                 ('"1949-10-01"', '"1949-13-45"'), "timeline.events[1].date"),
}


@pytest.mark.parametrize("kind", list(BAD))
def test_an_invalid_change_is_refused_as_load_pack_refuses_it(pack: Path, tmp_path: Path, kind: str) -> None:
    change, (old, new), key = BAD[kind]
    before = tree(pack)
    data = plain(pack)
    change(data)
    top = "glossary" if key.startswith("glossary") else "timeline"

    with pytest.raises(PackError) as refused:
        edit.save_pack_yaml(pack, {top: data[top]}, edit.digest(pack / "pack.yaml"))

    by_hand = tmp_path / "by-hand"
    shutil.copytree(EXAMPLE, by_hand)
    text = (by_hand / "pack.yaml").read_text(encoding="utf-8")
    assert old in text
    (by_hand / "pack.yaml").write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(PackError) as loaded:
        load_pack(by_hand)

    assert [p.path for p in refused.value.problems] == [key]
    assert [(p.line, p.path, p.message) for p in refused.value.problems] == \
        [(p.line, p.path, p.message) for p in loaded.value.problems]
    assert refused.value.problems[0].file == files.display_path(pack / "pack.yaml")
    assert tree(pack) == before  # pack.yaml byte for byte, no .teachpack/undo step, no temp file
    assert edit.undo_steps(pack) == []


def test_an_unknown_level_names_the_levels(pack: Path) -> None:
    data = plain(pack)
    BAD["unknown level"][0](data)
    with pytest.raises(PackError) as refused:
        edit.save_pack_yaml(pack, {"timeline": data["timeline"]}, edit.digest(pack / "pack.yaml"))
    assert [p.message for p in refused.value.problems] == [
        "'college' is not one of this pack's levels; add it to levels: or use one of elementary, middle, high"]


def test_a_pack_yaml_that_is_not_yaml_is_not_edited(pack: Path) -> None:
    (pack / "pack.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    before = tree(pack)
    with pytest.raises(TeachpackError) as refused:
        edit.save_pack_yaml(pack, {"title": "New"}, edit.digest(pack / "pack.yaml"))
    assert str(refused.value) == (f"{files.display_path(pack / 'pack.yaml')}: is not valid YAML (while parsing a "
                                  "flow sequence); fix it in a text editor (`teachpack check` shows the line) "
                                  "before editing it here")
    assert tree(pack) == before


@pytest.mark.parametrize("text", ["- title\n- subject\n", "just words\n", ""])
def test_a_pack_yaml_that_is_not_a_mapping_is_not_edited(pack: Path, text: str) -> None:
    (pack / "pack.yaml").write_text(text, encoding="utf-8")
    before = tree(pack)
    with pytest.raises(TeachpackError) as refused:
        edit.save_pack_yaml(pack, {"title": "New"}, edit.digest(pack / "pack.yaml"))
    assert str(refused.value) == (f"{files.display_path(pack / 'pack.yaml')}: is not a mapping of keys "
                                  "(title: ..., subject: ...); fix it in a text editor")
    assert tree(pack) == before


# --- stale saves --------------------------------------------------------------------------------------------


def test_a_save_over_a_file_changed_since_is_refused(pack: Path) -> None:
    since = edit.digest(pack / "pack.yaml")
    with (pack / "pack.yaml").open("a", encoding="utf-8") as handle:
        handle.write("# changed in another tab\n")
    before = tree(pack)
    glossary = plain(pack)["glossary"]
    glossary[1]["definition"] = "Mine."
    with pytest.raises(edit.StaleEdit) as refused:
        edit.save_pack_yaml(pack, {"glossary": glossary}, since)
    assert str(refused.value) == (f"{files.display_path(pack / 'pack.yaml')}: changed since this page was opened "
                                  "(in another tab or program); reload the page to see the change, then make your "
                                  "edit again")
    assert tree(pack) == before and edit.undo_steps(pack) == []


def test_a_new_file_that_appeared_since_is_stale_too(pack: Path) -> None:
    (pack / "article.high.md").write_text(HIGH_TEXT, encoding="utf-8")
    before = tree(pack)
    with pytest.raises(edit.StaleEdit):
        edit.save(pack, {"article.high.md": HIGH_TEXT.encode()}, {"article.high.md": ""})
    with pytest.raises(edit.StaleEdit):  # and one said to be there that is not
        edit.save(pack, {"article.extra.md": b"text"}, {"article.extra.md": "0" * 64})
    assert tree(pack) == before


def test_digest_of_a_missing_file_is_empty(pack: Path) -> None:
    assert edit.digest(pack / "missing.md") == ""
    assert len(edit.digest(pack / "pack.yaml")) == 64


# --- undo ---------------------------------------------------------------------------------------------------


def test_undo_puts_back_each_save_in_turn(pack: Path) -> None:
    original = (pack / "pack.yaml").read_bytes()
    save_definition(pack, "First.")
    first = (pack / "pack.yaml").read_bytes()
    save_definition(pack, "Second.")
    assert first != original and (pack / "pack.yaml").read_bytes() != first

    assert edit.undo_last_save(pack) == ["pack.yaml"]
    assert (pack / "pack.yaml").read_bytes() == first
    assert edit.undo_last_save(pack) == ["pack.yaml"]
    assert (pack / "pack.yaml").read_bytes() == original
    assert edit.undo_steps(pack) == []

    with pytest.raises(TeachpackError) as nothing:
        edit.undo_last_save(pack)
    assert str(nothing.value) == f"{files.display_path(pack)}: there is no save to undo"
    assert (pack / "pack.yaml").read_bytes() == original
    load_pack(pack)


def test_undo_of_a_save_that_made_a_file_removes_it(pack: Path) -> None:
    saved = edit.save(pack, {"article.high.md": HIGH_TEXT.encode()}, {"article.high.md": ""})
    assert saved.written == ("article.high.md",)
    assert (pack / "article.high.md").read_text(encoding="utf-8") == HIGH_TEXT
    assert "high" in saved.pack.level_texts and "high" in load_pack(pack).level_texts

    assert edit.undo_last_save(pack) == ["article.high.md"]
    assert not (pack / "article.high.md").exists()
    assert "high" not in load_pack(pack).level_texts
    assert edit.undo_steps(pack) == []


def test_undo_keeps_only_the_newest_saves(pack: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(edit, "UNDO_KEPT", 3)
    versions = [(pack / "pack.yaml").read_bytes()]
    for n in range(1, 6):
        save_definition(pack, f"Definition {n}.")
        versions.append((pack / "pack.yaml").read_bytes())

    steps = edit.undo_steps(pack)
    assert [p.name for p in steps] == ["3", "4", "5"]
    for step, kept in zip(steps, versions[2:5], strict=True):  # each holds the version its save replaced
        assert json.loads((step / "files.json").read_text(encoding="utf-8")) == {"pack.yaml": True}
        assert (step / "files" / "pack.yaml").read_bytes() == kept

    for kept in reversed(versions[2:5]):
        edit.undo_last_save(pack)
        assert (pack / "pack.yaml").read_bytes() == kept
    with pytest.raises(TeachpackError, match="there is no save to undo"):
        edit.undo_last_save(pack)


# --- names a save may write ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["../x", "/etc/passwd", ".teachpack/undo/1/files.json", "./.teachpack/x",
                                  "sub/../../x", "", "."])
def test_a_save_writes_only_inside_the_pack_folder(pack: Path, tmp_path: Path, name: str) -> None:
    edit.save(pack, {"article.high.md": HIGH_TEXT.encode()}, {"article.high.md": ""})  # so an undo record exists
    before = tree(pack)
    with pytest.raises(TeachpackError) as refused:
        edit.save(pack, {name: b'{"pack.yaml": false}'}, {name: edit.digest(pack / name) if (pack / name).is_file() else ""})
    assert str(refused.value) == f"{name!r}: not a file name inside the pack folder {files.display_path(pack)}/"
    assert tree(pack) == before
    assert not (tmp_path / "x").exists()


def test_a_save_does_not_follow_a_link_out_of_the_pack(pack: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (pack / "notes").symlink_to(outside, target_is_directory=True)
    with pytest.raises(TeachpackError, match="not a file name inside the pack folder"):
        edit.save(pack, {"notes/x.md": b"text"}, {})
    assert list(outside.iterdir()) == [] and edit.undo_steps(pack) == []


# --- files.staged -------------------------------------------------------------------------------------------


def test_load_pack_sees_staged_text_only_inside_the_block(pack: Path) -> None:
    on_disk = load_pack(pack)
    article = (pack / "article.md").read_text(encoding="utf-8")
    added = article + "\n## Rapprochement (1972)\n\nIn 1972 President Nixon visited Mao in Beijing.\n"
    with files.staged({pack / "article.md": added.encode()}):
        staged = load_pack(pack)
    assert [s.id for s in staged.article.sections] == [s.id for s in on_disk.article.sections] + \
        ["rapprochement-1972"]
    assert staged.article_text == added
    assert [s.id for s in load_pack(pack).article.sections] == [s.id for s in on_disk.article.sections]
    assert (pack / "article.md").read_text(encoding="utf-8") == article


def test_a_staged_file_that_is_not_on_disk_is_found(pack: Path) -> None:
    with files.staged({pack / "article.high.md": HIGH_TEXT.encode()}):
        assert load_pack(pack).level_texts["high"] == HIGH_TEXT
        with files.staged({pack / "article.md": (pack / "article.md").read_bytes() + b"\nMore.\n"}):
            inner = load_pack(pack)  # an inner block adds to the outer one
            assert inner.level_texts["high"] == HIGH_TEXT and inner.article_text.endswith("More.\n")
        assert not load_pack(pack).article_text.endswith("More.\n")
    assert "high" not in load_pack(pack).level_texts


def test_a_staged_level_text_is_refused_as_on_disk(pack: Path) -> None:
    text = "## The Moon Landing (1969)\n\nIn 1969 American astronauts walked on the Moon.\n"
    with files.staged({pack / "article.middle.md": text.encode()}), pytest.raises(PackError) as staged:
        load_pack(pack)
    (pack / "article.middle.md").write_text(text, encoding="utf-8")
    with pytest.raises(PackError) as on_disk:
        load_pack(pack)
    assert staged.value.problems == on_disk.value.problems
    assert [p.message for p in staged.value.problems] == [
        "section 'The Moon Landing (1969)' has no match in article.md; a rewrite must keep the heading of the "
        "section it replaces"]


def test_a_save_refused_by_a_level_text_writes_nothing(pack: Path) -> None:
    before = tree(pack)
    text = b"## The Moon Landing (1969)\n\nIn 1969 American astronauts walked on the Moon.\n"
    with pytest.raises(PackError, match="has no match in article.md"):
        edit.save(pack, {"article.middle.md": text}, {"article.middle.md": edit.digest(pack / "article.middle.md")})
    assert tree(pack) == before
