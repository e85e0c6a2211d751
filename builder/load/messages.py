"""Pydantic's validation errors as Problems: the YAML key, its line, and a message a teacher can act on."""

from __future__ import annotations

import typing
from typing import Any

from pydantic import BaseModel

from builder.core.errors import Problem, did_you_mean
from builder.load.schema import ITEM_TYPES, PackFile, WorksheetItem
from builder.load.yamlfile import Lines, format_path


def validation_problem(err: Any, data: Any, lines: Lines, display: str) -> Problem:
    """One of pydantic's errors on the YAML `data` of file `display`, at its key and line."""
    path = _data_path(err["loc"], data)
    kind = err["type"]
    name = path[-1] if path else ""
    if kind == "missing":
        message = "is required; add it (see docs/pack-format.md)"
    elif kind == "extra_forbidden":
        parent = _model_at(path[:-1], data)
        choices = sorted(parent.model_fields) if parent else []
        message = f"unknown key{did_you_mean(str(name), choices)}; allowed keys here: {', '.join(choices)}"
    elif kind == "union_tag_invalid":
        tag = str(err.get("ctx", {}).get("tag", ""))
        message = (f"unknown question or activity type '{tag}'{did_you_mean(tag, ITEM_TYPES)}; use one of "
                   f"{', '.join(ITEM_TYPES)}, or install the package that provides it")
        path = path + ("type",)
    elif kind == "union_tag_not_found":
        message = f"needs a type: one of {', '.join(ITEM_TYPES)}"
    elif kind == "literal_error":
        message = f"must be one of {err['ctx']['expected'].replace(chr(39), '')}"
    elif kind == "string_pattern_mismatch" and name == "id":
        message = "must be lowercase letters, digits and hyphens, like sino-soviet-split"
    else:
        message = error_message(err)
    return Problem(display, line_of(lines, path), format_path(path), message)


def error_message(err: Any) -> str:
    """Pydantic's message for one error, as the tail of a Problem (our own ValueErrors word for word)."""
    if err["type"] in ("value_error", "assertion_error"):
        return str(err["ctx"]["error"])
    if err["type"] == "string_too_long":
        return (f"is {len(err['input'])} characters long, over the {err['ctx']['max_length']} a line like this "
                "can take; shorten it")
    return str(err["msg"][0].lower() + err["msg"][1:])


def _data_path(loc: tuple[Any, ...], data: Any) -> tuple[str | int, ...]:
    """Pydantic's location, less the union tags it inserts, as a path into the YAML data."""
    path: list[str | int] = []
    node = data
    for part in loc:
        if isinstance(node, dict) and isinstance(part, str) and part not in node and part in ITEM_TYPES:
            continue
        path.append(part)
        node = (
            node.get(part)
            if isinstance(node, dict)
            else (node[part] if isinstance(node, list) and isinstance(part, int) and part < len(node) else None)
        )
    return tuple(path)


def _model_at(path: tuple[str | int, ...], data: Any) -> type[BaseModel] | None:
    """The model class that validates the mapping at `path` (for listing its allowed keys)."""
    model: Any = PackFile
    node = data
    for part in path:
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int):  # a list's place in a location is an int
            node = node[part]
        else:
            node = None
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part) if model else None
        if field is None:
            return None
        candidates = [c for c in _models_in(field.annotation)]
        model = candidates[0] if len(candidates) == 1 else None
        if len(candidates) > 1 and isinstance(node, list):
            model = "union"
    if model == "union":  # a question: its `type` says which model
        kind = node.get("type") if isinstance(node, dict) else None
        return next((c for c in _models_in(WorksheetItem) if kind in _literal_values(c)), None)
    return typing.cast("type[BaseModel] | None", model)  # PackFile or one of _models_in's, or None


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """The model classes an annotation names, inside unions and containers."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in _models_in(arg)]


def _literal_values(model: type[BaseModel]) -> tuple[Any, ...]:
    """The values of a worksheet item model's `type` literal."""
    return typing.get_args(model.model_fields["type"].annotation)


def line_of(lines: Lines, path: tuple[str | int, ...]) -> int | None:
    """The line of the key at `path`, else of the nearest key holding it."""
    while path:
        if path in lines:
            return lines[path]
        path = path[:-1]
    return lines.get(())

