"""`import --update`: import again into a pack, refreshing what was drafted and keeping what a teacher edited.

Every import keeps what it drafted in `.teachpack/import/` beside pack.yaml. On an update, a
pack.yaml key (or a glossary entry, or a timeline event) whose value is still exactly what the last
import drafted takes the new draft; anything the teacher changed, added or removed stays as it is.
pack.yaml is edited with ruamel.yaml, so the teacher's comments and order survive. An article.md
the teacher edited is kept, and the new draft is written beside it as article.imported.md.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from builder.core.errors import TeachpackError

RECORD = Path(".teachpack") / "import"  # what the last import drafted, inside the pack folder
ARTICLE, PACK = "article.md", "pack.yaml"
NEW_ARTICLE = "article.imported.md"
# List keys merged entry by entry, each entry known by these fields.
_ENTRIES: dict[tuple[str, ...], Callable[[dict[str, Any]], object]] = {
    ("glossary",): lambda entry: str(entry.get("term", "")).casefold(),
    ("timeline", "events"): lambda entry: (str(entry.get("date", "")), str(entry.get("title", ""))),
    ("worksheet",): lambda entry: (str(entry.get("type", "")), str(entry.get("prompt", ""))),
}


@dataclass
class Update:
    """What an update did, for the report and the terminal."""

    refreshed: list[str] = field(default_factory=list)  # keys and entries that took the new draft
    kept: list[str] = field(default_factory=list)  # keys and entries the teacher edited: left alone
    files: dict[str, bytes] = field(default_factory=dict)  # path inside the pack -> content to write


def record_files(files: dict[str, bytes]) -> dict[str, bytes]:
    """The copies of the drafted pack.yaml and article.md an import keeps for the next update."""
    return {str(RECORD / name): files[name] for name in (PACK, ARTICLE) if name in files}


def plan_update(into: Path, draft: dict[str, bytes]) -> Update:
    """What to write into the pack folder `into` for the new `draft` files, keeping the teacher's edits."""
    record = into / RECORD
    if not (record / PACK).is_file():
        raise TeachpackError(f"{into}: has no record of an earlier import ({RECORD}/); --update needs a pack "
                             "that teachpack import made: import into a new folder, or use --force to replace it")
    update = Update()
    current_text = (into / PACK).read_text(encoding="utf-8")
    old = _plain(record / PACK)
    new = yaml.safe_load(draft[PACK])
    update.files[PACK] = _merged(current_text, old, new, update, into / PACK)
    if ARTICLE in draft:
        current_article = (into / ARTICLE).read_bytes() if (into / ARTICLE).is_file() else None
        drafted_article = (record / ARTICLE).read_bytes() if (record / ARTICLE).is_file() else None
        if current_article is None or current_article == drafted_article:
            update.files[ARTICLE] = draft[ARTICLE]
            update.refreshed.append(ARTICLE)
        else:
            update.files[NEW_ARTICLE] = draft[ARTICLE]
            update.kept.append(f"{ARTICLE} (edited; the new draft is in {NEW_ARTICLE})")
    for name, data in draft.items():
        if name not in (PACK, ARTICLE):
            update.files.setdefault(name, data)  # the report, placeholder images
    update.files.update(record_files(draft))
    return update


def _plain(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data if isinstance(data, dict) else {}


def _merged(current_text: str, old: dict[str, Any], new: dict[str, Any], update: Update, shown: Path) -> bytes:
    """The teacher's pack.yaml with every part still as drafted replaced by the new draft."""
    from builder.edit import load_roundtrip, roundtrip

    editor = roundtrip()
    current = load_roundtrip(editor, current_text, str(shown), "fix it (teachpack check shows where) before "
                             "--update, or use --force to replace it", "is not a mapping of keys; fix it before "
                             "--update, or use --force")
    _merge_mapping(current, old, new, (), update)
    out = io.StringIO()
    editor.dump(current, out)
    return out.getvalue().encode()


def _merge_mapping(current: Any, old: dict[str, Any], new: dict[str, Any], path: tuple[str, ...],
                   update: Update) -> None:
    for key in dict.fromkeys([*new, *old]):
        where = (*path, str(key))
        shown = ".".join(where)
        if where in _ENTRIES and isinstance(current.get(key), list):
            _merge_entries(current[key], old.get(key) or [], new.get(key) or [], _ENTRIES[where], shown, update)
        elif where == ("timeline",) and isinstance(current.get(key), dict):
            _merge_mapping(current[key], old.get(key) or {}, new.get(key) or {}, where, update)
        elif _plain_value(current.get(key)) == old.get(key):
            if key in new:
                if current.get(key) != new[key]:
                    current[key] = new[key]
                    update.refreshed.append(shown)
            elif key in current:
                del current[key]
                update.refreshed.append(shown)
        elif key in current or key in old:
            update.kept.append(shown)


def _merge_entries(current: list[Any], old: list[Any], new: list[Any], identity: Callable[[dict[str, Any]], object],
                   shown: str, update: Update) -> None:
    """Entries as drafted last time take the new draft (or go, when it has them no more); the
    teacher's own and edited entries stay where they are; new drafted entries are added at the end."""
    drafted = {identity(e): e for e in old if isinstance(e, dict)}
    fresh = {identity(e): e for e in new if isinstance(e, dict)}
    seen = set()
    for index in reversed(range(len(current))):
        entry = current[index]
        if not isinstance(entry, dict):
            continue
        name = identity(_plain_value(entry))
        seen.add(name)
        if drafted.get(name) == _plain_value(entry):
            if name in fresh:
                if fresh[name] != drafted[name]:
                    current[index] = fresh[name]
                    update.refreshed.append(f"{shown}: {_label(name)}")
            else:
                del current[index]
                update.refreshed.append(f"{shown}: {_label(name)} (no longer drafted)")
        elif name in drafted or name in fresh:
            update.kept.append(f"{shown}: {_label(name)}")
    for name, entry in fresh.items():
        if name not in seen and name not in drafted:  # a teacher's deletion of a drafted entry stays deleted
            current.append(entry)
            update.refreshed.append(f"{shown}: {_label(name)} (new)")


def _label(name: object) -> str:
    return " ".join(str(part) for part in name) if isinstance(name, tuple) else str(name)


def _plain_value(value: Any) -> Any:
    """A ruamel value as plain Python data, to compare with what yaml.safe_load read."""
    if isinstance(value, dict):
        return {str(k): _plain_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain_value(v) for v in value]
    if isinstance(value, str):
        return str(value)
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    return value
