"""Read YAML safely, keeping the line of every key so errors can point at it.

PyYAML's safe loader silently keeps the last of two duplicate keys and expands aliases without
limit; we compose the node tree ourselves so both are errors and every value knows its line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import Problem
from .limits import too_large

MAX_DEPTH = 50
MAX_NODES = 100_000  # far above any real pack; stops alias bombs ("billion laughs")

_PLAIN_TAGS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")

Lines = dict[tuple[str | int, ...], int]


class _Refused(Exception):
    def __init__(self, line: int, path: tuple[str | int, ...], message: str) -> None:
        self.problem = (line, path, message)


def read_yaml(path: Path, display: str) -> tuple[Any, Lines, list[Problem]]:
    """Parse `path`; return the data, a map from key path to line number, and any problems."""
    if message := too_large(path, "yaml"):
        return None, {}, [Problem(display, None, "", message)]
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, {}, [Problem(display, None, "", f"is not UTF-8 text (byte {exc.start}); save it as UTF-8")]
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
    if node is None:
        return None, {}, [Problem(display, None, "", "is empty; see docs/pack-format.md for an example")]
    lines: Lines = {}
    try:
        data = _build(node, (), lines, 0, [0])
    except _Refused as refused:
        line, key_path, message = refused.problem
        return None, {}, [Problem(display, line, format_path(key_path), message)]
    return data, lines, []


def _build(node: yaml.Node, path: tuple[str | int, ...], lines: Lines, depth: int, count: list[int]) -> Any:
    line = node.start_mark.line + 1
    lines.setdefault(path, line)
    count[0] += 1
    if count[0] > MAX_NODES:
        raise _Refused(line, path, f"more than {MAX_NODES} values (aliases expanding?); remove the '*' aliases")
    if depth > MAX_DEPTH:
        raise _Refused(line, path, f"nesting deeper than {MAX_DEPTH} levels; flatten the file")
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
            result[key] = _build(value_node, path + (key,), lines, depth + 1, count)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, path + (i,), lines, depth + 1, count) for i, item in enumerate(node.value)]
    return _scalar(node, path)


def _compose(text: str) -> yaml.Node | None:
    """The node tree, from libyaml when it is there (ten times faster: an up-to-date build is mostly
    reading pack.yaml); on a syntax error PyYAML parses again, for its clearer message."""
    try:
        return yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return yaml.compose(text, Loader=yaml.SafeLoader)


def _scalar(node: yaml.Node, path: tuple[str | int, ...]) -> Any:
    if not isinstance(node, yaml.ScalarNode):
        raise _Refused(node.start_mark.line + 1, path, "a key must be plain text")
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_object(node, deep=True)
    except yaml.constructor.ConstructorError as exc:
        raise _Refused(node.start_mark.line + 1, path, f"unsupported value: {exc.problem}") from None


def format_path(path: tuple[str | int, ...]) -> str:
    """('glossary', 2, 'term') -> 'glossary[2].term' (1-based, as people count list items)."""
    out = ""
    for part in path:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out
