"""The editor's forms: which pack.yaml keys each part edits, and the fields that show them.

A field's form name is its key path as `teachpack check` words it (`glossary[2].term`, 1-based),
so a problem the loader reports lands beside the field it is about. A form gives back plain data
for pack.yaml; anything an entry holds that no field shows (a glossary entry's level wordings) is
kept from the entry as it was on disk, found by the row's `source` index.
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from builder.components.registry import registry

SOURCE = "__source"  # on an entry read from a form: the index of the saved entry its row shows, None for a new one
_NAME = re.compile(r"^(?P<list>[a-z_.]+)\[(?P<row>\d+)\]\.(?P<field>[a-z_]+)$")


@dataclass(frozen=True)
class Field:
    """One input. `kind`: text, textarea, lines (one per line), words (comma-separated), number, flag
    (a checkbox), truth (true or false), tristate (unset, yes or no), letter (a choice's letter), date,
    paper, levels (an entry's levels: all ticked leaves the key out), chosen-levels (the pack's levels)."""

    key: str
    label: str
    kind: str = "text"
    hint: str = ""
    required: bool = False


GLOSSARY = (
    Field("term", "Term", required=True),
    Field("definition", "Definition", "textarea"),
    Field("simple", "Simple wording", "textarea", "for levels that print simple definitions"),
    Field("forms", "Forms", "words", "other spellings and endings, separated by commas"),
    Field("levels", "Levels", "levels"),
)
EVENTS = (
    Field("date", "Date", "date", 'e.g. 1950, 1950-02, 1950-02-14 or 1958-1960', required=True),
    Field("title", "Title", required=True),
    Field("detail", "Detail", "textarea"),
    Field("levels", "Levels", "levels"),
)
DETAILS = (
    Field("title", "Title", required=True),
    Field("subtitle", "Subtitle"),
    Field("subject", "Subject", required=True),
    Field("levels", "Levels", "chosen-levels", "the grade levels the pack is built for"),
    Field("paper", "Paper", "paper"),
    Field("attribution", "Attribution", "textarea"),
    Field("sources", "Sources", "lines", "one source per line"),
)
TEACHER = (  # teacher: in pack.yaml, printed only in the teacher edition's overview
    Field("objectives", "Learning objectives", "lines", "one per line"),
    Field("standards", "Standards", "lines", "one per line, e.g. CCSS.ELA-LITERACY.RH.6-8.2"),
    Field("timing", "Suggested timing", hint="e.g. Two 45-minute lessons"),
    Field("discussion", "Discussion prompts", "lines", "one per line"),
)
THEME = (Field("school", "School name"),)
COLORS = ("primary", "accent", "text", "background", "highlight")
_HIDDEN = {"type", "levels", "drafted"}  # not edited as plain fields of an item
_LABELS = {"prompt": "Prompt", "answer": "Answer", "model_answer": "Answer", "choices": "Choices", "rubric": "Rubric",
           "lines": "Answer lines", "open_book": "Open book (the answer may be printed earlier)", "count": "How many",
           "title": "Title", "terms": "Terms", "events": "Events", "word_bank": "Word bank"}


def type_name(item_type: str) -> str:
    """'multiple-choice' -> 'Multiple choice', 'true-false' -> 'True or false'."""
    return item_type.replace("true-false", "true-or-false").replace("-", " ").capitalize()


def item_types() -> tuple[list[str], list[str]]:
    """The worksheet's written question types and its generated activity types."""
    kinds = registry().items
    return [t for t, k in kinds.items() if not k.generated], [t for t, k in kinds.items() if k.generated]


def item_fields(item_type: str) -> tuple[Field, ...]:
    """The fields of one worksheet item type, from its spec in the registry (so a plugin's own
    question types get a form too)."""
    kind = registry().items.get(item_type)
    if kind is None:
        return ()
    fields = [_field(name, info.annotation, info.is_required(), kind.spec, item_type)
              for name, info in kind.spec.model_fields.items() if name not in _HIDDEN]
    fields.sort(key=lambda f: f.kind == "flag")  # the what before the options
    return (*fields, Field("levels", "Levels", "levels"))


def _field(name: str, annotation: Any, required: bool, spec: type[BaseModel], item_type: str) -> Field:
    label = _LABELS.get(name, name.replace("_", " ").capitalize())
    plain = _plain_type(annotation)
    if name == "answer" and item_type == "multiple-choice":
        return Field(name, label, "letter", "the letter of the right choice", required)
    if plain is bool:
        default = spec.model_fields[name].default
        kind = "truth" if name == "answer" else "tristate" if default is None else "flag"
        return Field(name, label, kind, "unset: the level's own setting" if kind == "tristate" else "", required)
    if plain is int:
        return Field(name, label, "number", required=required)
    if plain is tuple:
        return Field(name, label, "lines", "one per line", required)
    if name in ("prompt", "answer", "model_answer"):
        return Field(name, label, "textarea", required=required)
    return Field(name, label, required=required)


def _plain_type(annotation: Any) -> Any:
    """bool, int, tuple or str for an annotation such as `int | None` or `Annotated[str, ...]`."""
    origin = typing.get_origin(annotation) or annotation
    if origin is typing.Annotated:
        return _plain_type(typing.get_args(annotation)[0])
    if origin in (bool, int, tuple):
        return origin
    if origin in (typing.Union, types.UnionType):
        return next((_plain_type(a) for a in typing.get_args(annotation) if a is not type(None)), str)
    return str


# --- form data <-> pack.yaml values ---------------------------------------------------------------


def shown(field: Field, value: Any, levels: Sequence[str]) -> Any:
    """A pack.yaml value as the field shows it."""
    if field.kind in ("levels", "chosen-levels"):
        return list(levels) if value is None else [str(v) for v in value]
    if value is None:
        return ""
    if field.kind == "lines":
        return "\n".join(str(v) for v in value)
    if field.kind == "words":
        return ", ".join(str(v) for v in value)
    if field.kind in ("truth", "tristate"):
        return "true" if value is True else "false" if value is False else ""
    return str(value)


def parsed(field: Field, raw: Sequence[str], levels: Sequence[str]) -> Any:
    """What a field's submitted values mean in pack.yaml; None: leave the key out."""
    text = raw[-1].strip() if raw else ""
    if field.kind == "chosen-levels":
        return [v for v in raw if v]
    if field.kind == "levels":  # every level ticked: the key is left out, so a level added later prints it too
        chosen = [v for v in raw if v]
        return None if set(chosen) >= set(levels) else chosen
    if field.kind == "flag":
        return True if text else None
    if field.kind in ("truth", "tristate"):
        return {"true": True, "false": False}.get(text, text or None)
    if field.kind == "lines":
        return [line.strip() for line in text.splitlines() if line.strip()] or None
    if field.kind == "words":
        return [word.strip() for word in text.split(",") if word.strip()] or None
    if field.kind == "number":
        if not text:
            return None
        return int(text) if re.fullmatch(r"-?\d+", text) else text  # the loader words a bad number
    return text or None


def entry_from_form(fields: Sequence[Field], values: Mapping[str, list[str]], prefix: str, base: Mapping[str, Any],
                    levels: Sequence[str]) -> dict[str, Any]:
    """One entry's pack.yaml mapping: `base` (the entry as it was) with every field's new value."""
    entry = dict(base)
    for field in fields:
        value = parsed(field, values.get(f"{prefix}{field.key}", []), levels)
        if value is None:
            entry.pop(field.key, None)
        else:
            entry[field.key] = value
    return entry


def rows(values: Mapping[str, list[str]], name: str) -> list[int]:
    """The row numbers a form holds for list `name`, in the order of the page."""
    found: dict[int, None] = {}
    for key in values:
        match = _NAME.match(key)
        if match and match["list"] == name:
            found[int(match["row"])] = None
    return list(found)


def list_from_form(fields_of: Any, values: Mapping[str, list[str]], name: str, saved: Sequence[Any],
                   levels: Sequence[str]) -> list[dict[str, Any]]:
    """The entries of list `name` in the form, each built over the saved entry its row came from."""
    out = []
    for row in rows(values, name):
        prefix = f"{name}[{row}]."
        source = values.get(f"{prefix}source", [""])[-1]
        base = saved[int(source)] if source.isdigit() and int(source) < len(saved) and isinstance(
            saved[int(source)], dict) else {}
        item_type = values.get(f"{prefix}type", [""])[-1] or str(base.get("type", ""))
        base = dict(base)
        if item_type:
            base["type"] = item_type
        entry = entry_from_form(fields_of(item_type), values, prefix, base, levels)
        if values.get(f"{prefix}accept") or _edited(entry, base, values.get(f"{prefix}was", [""])[-1]):
            entry.pop("drafted", None)  # a teacher read it: no longer listed as drafted
        entry[SOURCE] = int(source) if source.isdigit() else None
        out.append(entry)
    return out


def _edited(entry: Mapping[str, Any], base: Mapping[str, Any], was: str) -> bool:
    """Whether the teacher changed a drafted entry (its fields differ from the draft's fingerprint)."""
    return bool(base.get("drafted")) and bool(was) and was != fingerprint(entry)


def fingerprint(entry: Mapping[str, Any]) -> str:
    """The values of an entry a teacher can edit, as one string, to tell an edited draft."""
    return repr(sorted((k, repr(v)) for k, v in entry.items() if k not in ("drafted", SOURCE)))


def without_sources(value: Any) -> Any:
    """`value` with the rows' source marks taken out, as it goes into pack.yaml."""
    if isinstance(value, dict):
        return {k: without_sources(v) for k, v in value.items() if k != SOURCE}
    if isinstance(value, list):
        return [without_sources(v) for v in value]
    return value
