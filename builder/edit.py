"""The library API for editing a pack in place: what `teachpack serve` saves, checked before it is written.

A save names the files it replaces and the digest each had when the editor read it. It is refused
when a file changed since (another tab, another program: `StaleEdit`); it is loaded by the same
`load_pack` as a build, with the new contents staged over the files (files.staged), and refused with
every problem (`PackError`) before anything is written; only then is each file's previous version
kept under `.teachpack/undo/` and the new one written atomically. pack.yaml is changed with
ruamel.yaml round-trip, so its comments, key order and layout stay as the teacher left them.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from builder.core import files
from builder.core.errors import TeachpackError
from builder.load.loader import PACK_FILE, Pack, load_pack
from builder.release.write import atomic_write

UNDO = Path(".teachpack") / "undo"  # inside the pack folder: one numbered folder per save
UNDO_KEPT = 20  # saves that can be undone, newest first
DELETE = object()  # as a value in `changes`: remove the key


class StaleEdit(TeachpackError):
    """The file changed since the editor read it: the save would overwrite someone else's change."""


@dataclass(frozen=True)
class Saved:
    pack: Pack  # the pack as loaded from what was written
    written: tuple[str, ...]  # names inside the pack folder


def digest(path: Path) -> str:
    """The SHA-256 of a file's bytes, '' when there is none: what a save says it started from."""
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except FileNotFoundError:
        return ""


def roundtrip() -> Any:
    """The ruamel.yaml editor every change to a teacher's pack.yaml goes through."""
    from ruamel.yaml import YAML

    editor = YAML()
    editor.preserve_quotes = True
    editor.width = 4096  # long definitions stay on one line, as the teacher wrote them
    editor.indent(mapping=2, sequence=4, offset=2)
    return editor


def load_roundtrip(editor: Any, text: str, shown: str, fix: str, not_mapping: str) -> Any:
    """pack.yaml's text loaded by `editor` (roundtrip()) for editing; a TeachpackError naming `shown`
    with `fix` when it is not YAML, or `not_mapping` when it is not a mapping of keys."""
    from ruamel.yaml.error import YAMLError

    try:
        data = editor.load(text)
    except YAMLError as exc:
        raise TeachpackError(f"{shown}: is not valid YAML ({str(exc).splitlines()[0]}); {fix}") from None
    if not isinstance(data, dict):
        raise TeachpackError(f"{shown}: {not_mapping}")
    return data


def changed_yaml(text: str, changes: Mapping[str, Any], shown: str) -> str:
    """`text` (a pack.yaml) with each top-level key in `changes` set to its plain value (or removed,
    for DELETE), changed in place so the comments and layout of everything else stay."""
    editor = roundtrip()
    data = load_roundtrip(editor, text, shown, "fix it in a text editor (`teachpack check` shows the line) before "
                          "editing it here", "is not a mapping of keys (title: ..., subject: ...); fix it in a text "
                          "editor")
    for key, value in changes.items():
        if value is DELETE:
            data.pop(key, None)
        elif key in data:
            data[key] = _merged(data[key], value)
        else:
            data[key] = value
    out = io.StringIO()
    editor.dump(data, out)
    return out.getvalue()


def _merged(old: Any, new: Any) -> Any:
    """`new`, reusing `old`'s ruamel containers where the shape allows, so their comments and flow
    style (`[a, b]` on one line) survive an edit of the values inside."""
    if isinstance(old, dict) and isinstance(new, dict):
        for key in [k for k in old if k not in new]:
            del old[key]
        for key, value in new.items():
            old[key] = _merged(old[key], value) if key in old else value
        return old
    if isinstance(old, list) and isinstance(new, list) and not isinstance(old, str):
        for index, value in enumerate(new):
            if index < len(old):
                old[index] = _merged(old[index], value)
            else:
                old.append(value)
        del old[len(new):]
        return old
    if type(old) is not type(new) or old != new:
        return new
    return old  # the same value: keep its quoting


def save(root: Path, contents: Mapping[str, bytes], since: Mapping[str, str], workspace: Path | None = None) -> Saved:
    """Write `contents` (name inside the pack folder -> new bytes) if every file still
    has the digest in `since` and the pack loads with them; keep the previous versions for undo."""
    root = Path(root)
    for name in contents:
        _check_name(root, name)
        if digest(root / name) != since.get(name, ""):
            raise StaleEdit(f"{files.display_path(root / name)}: changed since this page was opened (in another "
                            "tab or program); reload the page to see the change, then make your edit again")
    with files.staged({root / name: data for name, data in contents.items()}):
        pack = load_pack(root, workspace)
    _keep_for_undo(root, list(contents))
    for name, data in contents.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        atomic_write(root / name, data)
    return Saved(pack, tuple(contents))


def save_pack_yaml(root: Path, changes: Mapping[str, Any], since: str, workspace: Path | None = None,
                   also: Mapping[str, bytes] | None = None, also_since: Mapping[str, str] | None = None) -> Saved:
    """Change top-level keys of the pack's pack.yaml (and write `also`, e.g. an uploaded logo, with it)."""
    path = Path(root) / PACK_FILE
    text = changed_yaml(path.read_text(encoding="utf-8"), changes, files.display_path(path))
    return save(root, {PACK_FILE: text.encode(), **(also or {})}, {PACK_FILE: since, **(also_since or {})},
                workspace)


def undo_steps(root: Path) -> list[Path]:
    """The saves that can be undone, newest last."""
    folder = Path(root) / UNDO
    return sorted((p for p in folder.iterdir() if p.is_dir() and p.name.isdigit()), key=lambda p: int(p.name)) \
        if folder.is_dir() else []


def undo_last_save(root: Path) -> list[str]:
    """Put back the files as they were before the last save; returns their names."""
    root = Path(root)
    steps = undo_steps(root)
    if not steps:
        raise TeachpackError(f"{files.display_path(root)}: there is no save to undo")
    step = steps[-1]
    record = json.loads((step / "files.json").read_text(encoding="utf-8"))
    for name, present in record.items():
        _check_name(root, name)
        if present:
            atomic_write(root / name, (step / "files" / name).read_bytes())
        else:
            (root / name).unlink(missing_ok=True)
    shutil.rmtree(step)
    return list(record)


def _keep_for_undo(root: Path, names: list[str]) -> None:
    steps = undo_steps(root)
    number = int(steps[-1].name) + 1 if steps else 1
    step = root / UNDO / str(number)
    record = {}
    for name in names:
        present = (root / name).is_file()
        record[name] = present
        if present:
            (step / "files" / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(root / name, step / "files" / name)
    step.mkdir(parents=True, exist_ok=True)
    atomic_write(step / "files.json", json.dumps(record, indent=1).encode())
    for old in steps[: max(0, len(steps) + 1 - UNDO_KEPT)]:
        shutil.rmtree(old)


def _check_name(root: Path, name: str) -> None:
    """A name inside the pack folder, never outside it nor in teachpack's own records."""
    path = Path(name)
    if path.is_absolute() or ".." in path.parts or not path.parts or path.parts[0] == ".teachpack" \
            or files.inside(root / path, (root,)) is None or (root / path).is_dir():
        raise TeachpackError(f"{name!r}: not a file name inside the pack folder {files.display_path(root)}/")
