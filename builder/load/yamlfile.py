"""Read YAML safely, keeping the line of every key so errors can point at it.

PyYAML's safe loader silently keeps the last of two duplicate keys and expands aliases without
limit; we compose the node tree ourselves so both are errors and every value knows its line.
Before anything is composed, the event stream (parsed without recursion) is walked once to bound
the nesting depth and the size the aliases expand to: libyaml's composer recurses in C, so a file
of 100,000 `[` would crash the interpreter before any check on the node tree could run.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from builder.core import files
from builder.core.errors import Problem
from builder.core.limits import limit_bytes, too_large

MAX_DEPTH = 50
MAX_NODES = 100_000  # far above any real pack; stops alias bombs ("billion laughs")
EXPANSION = 3  # the characters of all values, aliases expanded, may be this many times the yaml limit

_PLAIN_TAGS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")

Lines = dict[tuple[str | int, ...], int]


class _Refused(Exception):
    def __init__(self, line: int, path: tuple[str | int, ...], message: str) -> None:
        self.problem = (line, path, message)


def read_yaml(path: Path, display: str, roots: Iterable[Path] | None = None) -> tuple[Any, Lines, list[Problem]]:
    """Parse `path` (read through files.py, inside `roots`: by default its own folder); return the
    data, a map from key path to line number, and any problems."""
    if files.on_disk(path) and (message := too_large(path, "yaml")):
        return None, {}, [Problem(display, None, "", message)]
    try:
        text = files.read_text(path, roots or (path.parent,), "yaml", display)
    except files.FileRefused as refused:
        return None, {}, [Problem(display, None, "", str(refused).removeprefix(f"{display}: "))]
    try:
        node = _compose(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        what = exc.problem or exc.context or "invalid YAML"
        return None, {}, [Problem(display, line, "", f"invalid YAML: {what}; check the indentation and quoting")]
    except yaml.reader.ReaderError as exc:  # a control character: YAML allows none in a file
        line = text.count("\n", 0, exc.position) + 1
        message = f"invalid YAML: character U+{exc.character:04X} is not allowed in a YAML file; remove it"
        return None, {}, [Problem(display, line, "", message)]
    except yaml.YAMLError as exc:
        return None, {}, [Problem(display, None, "", f"invalid YAML: {str(exc).splitlines()[0]}")]
    except _Refused as refused:
        line, key_path, message = refused.problem
        return None, {}, [Problem(display, line, format_path(key_path), message)]
    if node is None:
        return None, {}, [Problem(display, None, "", "is empty; see docs/pack-format.md for an example")]
    lines: Lines = {}
    try:
        data = _build(node, (), lines)
    except _Refused as refused:
        line, key_path, message = refused.problem
        return None, {}, [Problem(display, line, format_path(key_path), message)]
    return data, lines, []


def _build(node: yaml.Node, path: tuple[str | int, ...], lines: Lines) -> Any:
    """Plain data from the node tree (bounded already by `_bound`: its recursion stays shallow)."""
    line = node.start_mark.line + 1
    lines.setdefault(path, line)
    if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and node.tag not in _PLAIN_TAGS:
        raise _Refused(line, path, f"unsupported tag '{node.tag}'; remove it")
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise _Refused(
                    key_node.start_mark.line + 1, path, "'<<' merge keys are not supported; write the keys out"
                )
            key = str(_scalar(key_node, path))
            if key in result:
                first = lines[path + (key,)]
                raise _Refused(
                    key_node.start_mark.line + 1,
                    path + (key,),
                    f"duplicate key (first given on line {first}); keep one",
                )
            lines[path + (key,)] = key_node.start_mark.line + 1
            result[key] = _build(value_node, path + (key,), lines)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, path + (i,), lines) for i, item in enumerate(node.value)]
    return _scalar(node, path)


def _compose(text: str) -> yaml.Node | None:
    """The node tree, from libyaml when it is there (ten times faster: an up-to-date build is mostly
    reading pack.yaml); on a syntax error PyYAML parses again, for its clearer message. The event
    stream is bounded first (`_bound`), so neither composer can recurse deeply or expand much."""
    fast = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        _bound(text, fast)
        return yaml.compose(text, Loader=fast)
    except yaml.YAMLError:
        _bound(text, yaml.SafeLoader)
        return yaml.compose(text, Loader=yaml.SafeLoader)


class _Frame:
    """An open mapping or sequence while walking events: where its children sit, what it weighs."""

    def __init__(self, mapping: bool, anchor: str | None, start: tuple[int, int]) -> None:
        self.mapping, self.anchor, self.start = mapping, anchor, start
        self.index = 0  # children seen (a mapping alternates key, value)
        self.key: str | int = 0

    def child(self) -> str | int | None:
        """The path part of the child being read: a list index, a key's name, or None for a key."""
        if not self.mapping:
            return self.index
        return None if self.index % 2 == 0 else self.key


def _line(event: yaml.Event) -> int:
    """The line (from 1) an event starts on: the parser marks every event it makes."""
    assert event.start_mark is not None
    return event.start_mark.line + 1


def _bound(text: str, loader: type) -> None:
    """Walk the events of `text` (parsing is iterative) and raise _Refused when nesting goes deeper
    than MAX_DEPTH or the aliases would expand to more than MAX_NODES values or EXPANSION times the
    yaml limit in characters. An anchor weighs the values and characters beneath it, an alias its
    anchor's weight, so a bomb is refused at the alias that tips it, before it is ever built."""
    most_chars = EXPANSION * limit_bytes("yaml")
    anchors: dict[str, tuple[int, int]] = {}
    stack: list[_Frame] = []
    nodes = chars = 0

    def path() -> tuple[str | int, ...]:
        return tuple(part for part in (frame.child() for frame in stack) if part is not None)

    def add(event: yaml.Event, more_nodes: int, more_chars: int) -> None:
        nonlocal nodes, chars
        nodes, chars = nodes + more_nodes, chars + more_chars
        line = _line(event)
        if nodes > MAX_NODES:
            raise _Refused(line, path(), f"more than {MAX_NODES} values (aliases expanding?); remove the '*' aliases")
        if chars > most_chars:
            raise _Refused(line, path(), f"the aliases expand to more than {most_chars:,} characters of text; "
                           "remove the '*' aliases (write each value once)")

    def done(scalar: str | None) -> None:  # a child of the innermost open collection is complete
        if stack:
            frame = stack[-1]
            if frame.mapping and frame.index % 2 == 0:
                frame.key = scalar if scalar is not None else "?"
            frame.index += 1

    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, (yaml.ScalarEvent, yaml.CollectionStartEvent)) and len(stack) > MAX_DEPTH:
            raise _Refused(_line(event), path(), f"nesting deeper than {MAX_DEPTH} levels; "
                           "flatten the file")
        if isinstance(event, yaml.AliasEvent):
            weight = anchors.get(event.anchor or "", (1, 0))  # an alias always names its anchor
            add(event, *weight)
            done(None)
        elif isinstance(event, yaml.ScalarEvent):
            add(event, 1, len(event.value))
            if event.anchor is not None:
                anchors[event.anchor] = (1, len(event.value))
            done(event.value)
        elif isinstance(event, yaml.CollectionStartEvent):
            add(event, 1, 0)
            stack.append(_Frame(isinstance(event, yaml.MappingStartEvent), event.anchor, (nodes - 1, chars)))
        elif isinstance(event, yaml.CollectionEndEvent):
            frame = stack.pop()
            if frame.anchor is not None:
                anchors[frame.anchor] = (nodes - frame.start[0], chars - frame.start[1])
            done(None)


_constructors = threading.local()  # one SafeLoader per thread constructs every scalar (making one is slow)


def _scalar(node: yaml.Node, path: tuple[str | int, ...]) -> Any:
    if not isinstance(node, yaml.ScalarNode):
        raise _Refused(node.start_mark.line + 1, path, "a key must be plain text")
    loader = getattr(_constructors, "loader", None)
    if loader is None:
        loader = _constructors.loader = yaml.SafeLoader("")
    loader.constructed_objects.clear()  # a scalar's value stands alone: nothing to remember between them
    line = node.start_mark.line + 1
    try:
        return loader.construct_object(node, deep=True)
    except yaml.constructor.ConstructorError as exc:
        raise _Refused(line, path, f"unsupported value: {exc.problem}") from None
    except ValueError:  # a date that is not one (1687-02-30), a number too long for Python to read
        if node.tag == "tag:yaml.org,2002:timestamp":
            message = f"'{node.value}' is not a real date; check the month and day, or quote it to keep it as text"
        elif node.tag == "tag:yaml.org,2002:int":
            message = (f"a number of {len(node.value)} digits is too long to read; give a shorter one, or quote it "
                       "to keep it as text")
        else:
            kind = node.tag.rsplit(":", 1)[-1]
            message = f"'{node.value[:40]}' cannot be read as a {kind}; quote it to keep it as text"
        raise _Refused(line, path, message) from None


def format_path(path: tuple[str | int, ...]) -> str:
    """('glossary', 2, 'term') -> 'glossary[2].term' (1-based, as people count list items)."""
    out = ""
    for part in path:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out
