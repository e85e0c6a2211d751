"""The editor's tabs that edit pack.yaml: what each shows of it, and the changes its form makes.

Each tab is a `Part`: `show` gives its template the saved data, `read` turns the posted form into new
values for pack.yaml's top-level keys, `act` applies a row's add, remove or move before a save.
The fields and their conversions are in parts.py.
"""

from __future__ import annotations

from typing import Any

from builder import edit
from builder.core.errors import TeachpackError
from builder.web import parts


class Part:
    """One tab of the pack editor: what it shows of pack.yaml, and the changes a form makes."""

    def show(self, data: dict[str, Any], levels: list[str], info: Any) -> dict[str, Any]:
        raise NotImplementedError

    def read(self, form: dict[str, list[str]], data: dict[str, Any], levels: list[str]) -> dict[str, Any]:
        raise NotImplementedError

    def act(self, action: str, changes: dict[str, Any], form: dict[str, list[str]]) -> dict[str, Any]:
        """Apply `add:<list>`, `remove:<list>:<row>`, `up:<list>:<row>` or `down:<list>:<row>` to the form's data."""
        verb, _, rest = action.partition(":")
        name, _, row = rest.partition(":")
        entries = _get(changes, name)
        if entries is None:
            return changes
        entries = list(entries)
        index = int(row) - 1 if row.isdigit() else -1
        if verb == "add":
            entries.append(self.blank(name, form))
        elif verb == "remove" and 0 <= index < len(entries):
            del entries[index]
        elif verb in ("up", "down") and 0 <= index < len(entries):
            other = index - 1 if verb == "up" else index + 1
            if 0 <= other < len(entries):
                entries[index], entries[other] = entries[other], entries[index]
        return _set(changes, name, entries)

    def blank(self, name: str, form: dict[str, list[str]]) -> dict[str, Any]:
        return {}


class Details(Part):
    def show(self, data: dict[str, Any], levels: list[str], info: Any) -> dict[str, Any]:
        from builder.core.levels import builtin_levels

        known = list(dict.fromkeys([*builtin_levels(), *data.get("profiles", {}), *levels]))
        teacher = dict(data.get("teacher") or {})
        # A standard only some levels teach ({code: ..., levels: [...]}) is kept as it is, not shown as a line.
        per_level = any(isinstance(s, dict) for s in teacher.get("standards") or ())
        teacher_fields = tuple(f for f in parts.TEACHER if not (f.key == "standards" and per_level))
        return {"fields": parts.DETAILS, "data": data, "known_levels": known, "teacher": teacher,
                "teacher_fields": teacher_fields}

    def read(self, form: dict[str, list[str]], data: dict[str, Any], levels: list[str]) -> dict[str, Any]:
        entry = parts.entry_from_form(parts.DETAILS, form, "", {k: data.get(k) for k in _keys(parts.DETAILS)},
                                      levels)
        changes = {f.key: entry.get(f.key, edit.DELETE) for f in parts.DETAILS}
        old = dict(data.get("teacher") or {})
        shown = self.show(data, levels, None)["teacher_fields"]
        teacher = parts.entry_from_form(shown, form, "teacher.", old, levels)
        changes["teacher"] = teacher if teacher else edit.DELETE
        return changes


class Glossary(Part):
    def show(self, data: dict[str, Any], levels: list[str], info: Any) -> dict[str, Any]:
        return {"fields": parts.GLOSSARY, "entries": list(data.get("glossary") or [])}

    def read(self, form: dict[str, list[str]], data: dict[str, Any], levels: list[str]) -> dict[str, Any]:
        return {"glossary": parts.list_from_form(lambda t: parts.GLOSSARY, form, "glossary",
                                                 list(data.get("glossary") or []), levels)}


class Timeline(Part):
    def show(self, data: dict[str, Any], levels: list[str], info: Any) -> dict[str, Any]:
        timeline = data.get("timeline") or {}
        return {"fields": parts.EVENTS, "entries": list(timeline.get("events") or []),
                "timeline_title": timeline.get("title") or ""}

    def read(self, form: dict[str, list[str]], data: dict[str, Any], levels: list[str]) -> dict[str, Any]:
        timeline = dict(data.get("timeline") or {})
        timeline["events"] = parts.list_from_form(lambda t: parts.EVENTS, form, "timeline.events",
                                                  list(timeline.get("events") or []), levels)
        title = form.get("timeline.title", [""])[-1].strip()
        if title:
            timeline["title"] = title
        else:
            timeline.pop("title", None)
        return {"timeline": timeline}


class Worksheet(Part):
    def show(self, data: dict[str, Any], levels: list[str], info: Any) -> dict[str, Any]:
        questions, activities = parts.item_types()
        entries = list(data.get("worksheet") or [])
        present = {e.get("type") for e in entries if isinstance(e, dict)}
        return {"entries": entries, "fields_of": parts.item_fields, "question_types": questions,
                "activity_types": activities, "off": [a for a in activities if a not in present]}

    def read(self, form: dict[str, list[str]], data: dict[str, Any], levels: list[str]) -> dict[str, Any]:
        return {"worksheet": parts.list_from_form(parts.item_fields, form, "worksheet",
                                                  list(data.get("worksheet") or []), levels)}

    def blank(self, name: str, form: dict[str, list[str]]) -> dict[str, Any]:
        kind = form.get("new_type", ["short-answer"])[-1]
        return {"type": kind if kind in parts.item_types()[0] + parts.item_types()[1] else "short-answer"}


class Theme(Part):
    def show(self, data: dict[str, Any], levels: list[str], info: Any) -> dict[str, Any]:
        from builder.core.colours import AA_TEXT, contrast

        theme = data.get("theme") or {}
        palette = info.pack.theme.palette if info.pack else {}
        pairs = [(f, b, contrast(palette[f], palette[b])) for f, b in
                 (("text", "background"), ("primary", "background"), ("accent", "background"),
                  ("primary", "highlight")) if f in palette and b in palette]
        return {"theme": theme, "palette": palette, "colors": parts.COLORS, "pairs": pairs, "aa": AA_TEXT}

    def read(self, form: dict[str, list[str]], data: dict[str, Any], levels: list[str]) -> dict[str, Any]:
        theme = dict(data.get("theme") or {})
        school = form.get("theme.school", [""])[-1].strip()
        if school:
            theme["school"] = school
        else:
            theme.pop("school", None)
        colors = dict(theme.get("colors") or {})
        for name in parts.COLORS:
            value = form.get(f"theme.colors.{name}", [""])[-1].strip()
            if value and form.get(f"theme.colors.{name}.set"):
                colors[name] = value
            else:
                colors.pop(name, None)
        if colors:
            theme["colors"] = colors
        else:
            theme.pop("colors", None)
        if form.get("theme.logo.remove"):
            theme.pop("logo", None)
        return {"theme": theme if theme or "theme" in data else edit.DELETE}


class Spelling(Part):
    """The words the spelling check flags, each corrected (`corrections:`, applied when the pack loads)
    or kept as written (`dictionary:`); and the corrections and dictionary words already there."""

    def show(self, data: dict[str, Any], levels: list[str], info: Any) -> dict[str, Any]:
        return {"corrections": dict(data.get("corrections") or {}), "dictionary": list(data.get("dictionary") or []),
                "flagged": info.misspellings}

    def read(self, form: dict[str, list[str]], data: dict[str, Any], levels: list[str]) -> dict[str, Any]:
        def value(key: str) -> str:
            return form.get(key, [""])[-1].strip()

        corrections: dict[str, str] = {}
        for row in parts.rows(form, "corrections"):
            word, fix = value(f"corrections[{row}].word"), value(f"corrections[{row}].fix")
            if word and not value(f"corrections[{row}].remove"):
                corrections[word] = fix
        dictionary = [line.strip() for line in value("dictionary").splitlines() if line.strip()]
        for row in parts.rows(form, "flagged"):
            word, choice = value(f"flagged[{row}].word"), value(f"flagged[{row}].choice")
            if choice == "fix" and word:
                corrections[word] = value(f"flagged[{row}].fix")
            elif choice == "keep" and word and word not in dictionary:
                dictionary.append(word)
        return {"corrections": corrections or edit.DELETE, "dictionary": dictionary or edit.DELETE}


PARTS: dict[str, Part] = {"details": Details(), "glossary": Glossary(), "timeline": Timeline(),
                          "worksheet": Worksheet(), "spelling": Spelling(), "theme": Theme()}
LOGO_TYPES = {b"\x89PNG\r\n\x1a\n": ".png", b"\xff\xd8\xff": ".jpg"}


def logo_upload(data: bytes, filename: str, changes: dict[str, Any]) -> dict[str, bytes]:
    """An uploaded logo, type-checked by its first bytes, as images/logo.<ext> named in theme.logo."""
    suffix = next((s for magic, s in LOGO_TYPES.items() if data.startswith(magic)), None)
    if suffix is None:
        raise TeachpackError(f"{filename}: a logo must be a PNG or JPEG picture; save it as one and upload it again")
    name = f"images/logo{suffix}"
    changes["theme"] = {**changes.get("theme", {}), "logo": name}
    return {name: data}


def _keys(fields: tuple[parts.Field, ...]) -> list[str]:
    return [f.key for f in fields]


def _get(data: dict[str, Any], dotted: str) -> Any:
    value: Any = data
    for part in dotted.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _set(data: dict[str, Any], dotted: str, value: Any) -> dict[str, Any]:
    head, _, rest = dotted.partition(".")
    if not rest:
        return {**data, head: value}
    return {**data, head: _set(dict(data.get(head) or {}), rest, value)}
