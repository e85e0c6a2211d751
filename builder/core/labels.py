"""The words teachpack itself prints (headings, instructions, "Page X of Y"), one file per language.

assets/labels/<language>.yaml maps a key to its words; both renderers and the activities read the
same mapping, carried by the document, so one key prints the same words in the PDF and the DOCX.
English (en.yaml) defines the keys: every other file has exactly those keys.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from functools import cache
from pathlib import Path

from builder.core.errors import did_you_mean
from builder.core.paths import ASSETS

LABELS_DIR = ASSETS / "labels"
DEFAULT_LANGUAGE = "en"
# Labels a registered component or item kind brings with it (components/registry.py): language -> key
# -> words. They come under the language files' own, so a labels file may translate a plugin's words.
_ADDED: dict[str, dict[str, str]] = {}


def add_defaults(words: Mapping[str, Mapping[str, str]], where: str) -> None:
    """Register a kind's own labels; its English ones name its keys, and no key may shadow another's."""
    english_words = words.get(DEFAULT_LANGUAGE, {})
    for language, table in words.items():
        for key in table:
            if key not in english_words:
                raise ValueError(f"{where}: label '{key}' ({language}) has no English words; give it under 'en'")
            if key in _read(LABELS_DIR / f"{DEFAULT_LANGUAGE}.yaml") or (
                    key in _ADDED.get(language, {}) and _ADDED[language][key] != table[key]):
                raise ValueError(f"{where}: label '{key}' is defined already; give it a name of its own")
    for language, table in words.items():
        _ADDED.setdefault(language, {}).update(table)


def label_file(language: str) -> Path | None:
    """The labels file for `language` ("es-MX" falls back to "es"), or None when there is none."""
    tag = language.lower()
    for name in (tag, tag.split("-")[0]):
        path = LABELS_DIR / f"{name}.yaml"
        if path.is_file():
            return path
    return None


@cache
def _read(path: Path) -> dict[str, str]:
    import yaml  # our own files, still read with the safe loader

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    bad = [key for key, value in data.items() if not isinstance(key, str) or not isinstance(value, str)]
    if bad:  # YAML reads `true:` or `no:` as a boolean: every key and label must be quoted text
        raise ValueError(f"{path}: {bad[0]!r} is not text: quote the key and the label")
    return dict(data)


def _language(path: Path | None, language: str) -> dict[str, str]:
    """One language's labels: the registered kinds' words, with its labels file over them."""
    words = dict(_read(path or LABELS_DIR / f"{DEFAULT_LANGUAGE}.yaml"))
    for key, text in {**_ADDED.get(DEFAULT_LANGUAGE, {}), **_ADDED.get(language, {})}.items():
        words.setdefault(key, text)
    return words


def english() -> dict[str, str]:
    """The English labels, which also name every key."""
    return _language(LABELS_DIR / f"{DEFAULT_LANGUAGE}.yaml", DEFAULT_LANGUAGE)


def keys() -> tuple[str, ...]:
    """Every label key: en.yaml's, then the registered kinds'."""
    return tuple(english())


def languages() -> tuple[str, ...]:
    """The languages with a labels file."""
    return tuple(sorted(path.stem for path in LABELS_DIR.glob("*.yaml")))


def fields(text: str) -> set[str]:
    """The {names} a label fills in when printed."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def labels_for(language: str, overrides: Mapping[str, str] | None = None) -> dict[str, str]:
    """The labels a pack prints: its language's file (English when there is none: see missing_language),
    with the pack's own `labels:` on top. Overrides are checked when the pack is loaded (problems)."""
    path = label_file(language)
    words = _language(path, path.stem if path is not None else DEFAULT_LANGUAGE)
    words.update(overrides or {})
    return words


def missing_language(language: str) -> str | None:
    """The warning for a language with no labels file (its pack prints English labels), or None."""
    if label_file(language) is not None:
        return None
    return (f"no labels for language '{language}'; headings and instructions print in English (labels exist for "
            f"{', '.join(languages())}); give them under labels: or add assets/labels/{language.lower()}.yaml")


def problems(overrides: Mapping[str, str]) -> list[tuple[str, str]]:
    """(key, message) for each override that cannot be used: an unknown key, or a {name} it cannot fill."""
    known = english()
    found = []
    for key, text in overrides.items():
        if key not in known:
            found.append((key, f"unknown label{did_you_mean(key, known)}; labels you can set: {', '.join(known)}"))
        elif message := text_problem(text, fields(known[key])):
            found.append((key, message))
    return found


def text_problem(text: str, allowed: set[str]) -> str | None:
    """Why `text` cannot be a label that fills in `allowed`, or None. Only a plain {name} is filled in
    (the templates replace it as text, the DOCX writer formats it): no braces otherwise, no {name:spec}."""
    fills = ", ".join(f"{{{name}}}" for name in sorted(allowed)) or "nothing"
    if "{{" in text or "}}" in text:
        return f"a label cannot print a brace; use only {fills}"
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError:
        return f"has a brace without its pair; this label fills in {fills}"
    for _, name, spec, conversion in parsed:
        if name is None:
            continue
        if name not in allowed:
            return f"uses {{{name}}}, which this label does not fill in; it fills in {fills}"
        if spec or conversion:
            return f"write {{{name}}} alone, without a format"
    return None


def level_label(words: Mapping[str, str], level_id: str, label: str, builtin_label: str | None) -> str:
    """A built-in level's name in the pack's language; a name the pack or workspace gave stays as given."""
    key = f"level_{level_id}"
    return words[key] if key in words and label == builtin_label else label


def preset_label(words: Mapping[str, str], preset: str) -> str:
    """An access preset's name ("Large print") in the pack's language."""
    return words[f"preset_{preset.replace('-', '_')}"]
