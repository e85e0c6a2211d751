"""`teachpack import --update`: refresh what the last import drafted, keep everything the teacher edited."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from builder import TeachpackError, load_pack
from builder.importer import import_source

ARTICLE = """The Canal Age

How a ditch across a state changed the way a country traded.

Building the Canal

In 1825 the canal opened, and the governor sailed from Buffalo to New York City. Freight costs fell sharply, \
and the towns along the route grew quickly. Farmers in the west could now sell grain in eastern cities.

Later Years

In 1918 the state replaced much of the old channel with a wider barge canal. Today the waterway carries \
pleasure boats more than freight, and its towpaths are trails for walkers and cyclists.
"""
MORE = """
Tourism

In 1992 visitors began to rent narrow boats for holidays along the old route, and the canal towns opened \
museums about the boatmen and their mules.
"""


def events(folder: Path) -> dict[str, str]:
    data = yaml.safe_load((folder / "pack.yaml").read_text(encoding="utf-8"))
    return {str(e["date"]): e["title"] for e in data["timeline"]["events"]}


@pytest.fixture
def imported(tmp_path: Path) -> tuple[Path, Path]:
    source = tmp_path / "canal.txt"
    source.write_text(ARTICLE, encoding="utf-8")
    folder = tmp_path / "pack"
    import_source(source, folder)
    assert (folder / ".teachpack" / "import" / "pack.yaml").is_file()
    return source, folder


def test_an_untouched_draft_takes_the_new_import(imported: tuple[Path, Path]) -> None:
    source, folder = imported
    source.write_text(ARTICLE + MORE, encoding="utf-8")
    result = import_source(source, folder, update=True)
    assert "1992" in events(folder) and "Tourism" in (folder / "article.md").read_text(encoding="utf-8")
    assert result.update is not None and "article.md" in result.update.refreshed and not result.update.kept
    load_pack(folder)


def test_the_teachers_edits_survive_an_update(imported: tuple[Path, Path]) -> None:
    source, folder = imported
    text = (folder / "pack.yaml").read_text(encoding="utf-8")
    before = events(folder)
    first, second = sorted(before)
    text = text.replace("subject: Reading", "subject: Local history  # my class", 1)
    text = text.replace(f"title: {before[first]}", "title: The Erie Canal opens", 1)  # an edited event
    own = "  - term: lock\n    definition: A part of a canal with gates, used to raise or lower boats.\n"
    text = re.sub(r"^glossary:.*\n", lambda found: found.group() + own, text, count=1, flags=re.M) \
        if re.search(r"^glossary:", text, re.M) else text + "glossary:\n" + own
    (folder / "pack.yaml").write_text(text, encoding="utf-8")
    article = (folder / "article.md").read_text(encoding="utf-8") + "\nMy own closing line for the class.\n"
    (folder / "article.md").write_text(article, encoding="utf-8")
    source.write_text(ARTICLE + MORE, encoding="utf-8")

    result = import_source(source, folder, update=True)
    updated = (folder / "pack.yaml").read_text(encoding="utf-8")
    assert "subject: Local history  # my class" in updated  # the edit and its comment
    assert "A part of a canal with gates" in updated  # the teacher's own glossary
    now = events(folder)
    assert now[first] == "The Erie Canal opens" and now[second] == before[second] and "1992" in now
    assert (folder / "article.md").read_text(encoding="utf-8") == article  # edited: kept as it is
    assert "Tourism" in (folder / "article.imported.md").read_text(encoding="utf-8")  # the new draft beside it
    assert result.update is not None
    assert "subject" in result.update.kept and any("1992" in r for r in result.update.refreshed)
    load_pack(folder)


def test_a_deleted_drafted_event_stays_deleted(imported: tuple[Path, Path]) -> None:
    source, folder = imported
    data = yaml.safe_load((folder / "pack.yaml").read_text(encoding="utf-8"))
    gone = str(data["timeline"]["events"].pop(0)["date"])
    (folder / "pack.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    import_source(source, folder, update=True)
    assert gone not in events(folder)


def test_update_needs_an_earlier_import_and_not_force(tmp_path: Path, imported: tuple[Path, Path]) -> None:
    source, folder = imported
    with pytest.raises(TeachpackError, match="--force and --update: choose one"):
        import_source(source, folder, force=True, update=True)
    hand_made = tmp_path / "hand"
    hand_made.mkdir()
    (hand_made / "pack.yaml").write_text("title: Mine\n", encoding="utf-8")
    with pytest.raises(TeachpackError, match=r"has no record of an earlier import \(\.teachpack/import/\); "
                                             "--update needs a pack that teachpack import made"):
        import_source(source, hand_made, update=True)
    assert (hand_made / "pack.yaml").read_text(encoding="utf-8") == "title: Mine\n"  # nothing written


def test_the_cli_says_what_it_kept(imported: tuple[Path, Path]) -> None:
    source, folder = imported
    (folder / "pack.yaml").write_text((folder / "pack.yaml").read_text(encoding="utf-8")
                                      .replace("subject: Reading", "subject: Geography", 1), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "builder", "import", str(source), "--into", str(folder), "--update"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "--update: kept 1 part(s) you edited: subject" in done.stdout
    without = subprocess.run([sys.executable, "-m", "builder", "import", str(source), "--into", str(folder)],
                             capture_output=True, text=True)
    assert without.returncode == 2 and "add --update to refresh what was drafted and keep your edits" in without.stderr
