"""Stage 1, load: pack.yaml + article -> a validated `Pack`, or every problem at once."""

from __future__ import annotations

import datetime as dt
import os
import re
import typing
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, ValidationError, create_model, field_validator

from builder.components.registry import listable_components, registry
from builder.core import files, labels
from builder.core.characters import Removed, clean_text
from builder.core.dates import DateSpan, parse_date
from builder.core.errors import PackError, Problem, did_you_mean
from builder.core.fields import Line, SpecModel, Text
from builder.core.files import display_path, real_path
from builder.core.levels import FontName, Level, builtin_levels, level_name_problem
from builder.core.limits import limit_bytes, too_large
from builder.core.pictures import picture_kind, undrawable
from builder.load.yamlfile import Lines, format_path, read_yaml
from builder.model import Theme

PACK_FILE = "pack.yaml"
COMPONENTS = ("cover", "article", "glossary", "timeline", "worksheet")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ID_MAX = 100  # with a level, a preset and an edition, a file name stays under the 255 bytes disks allow


_Model = SpecModel

# A word (characters without a space) longer than this is refused in an article: WeasyPrint breaks
# a word too long for the line in time that grows with the cube of its length (10,000 letters: 5 s).
WORD_MAX = 200


class GlossaryEntry(_Model):
    term: Text
    definition: str = ""  # empty in a draft: `teachpack check` lists it as still to write
    simple: Text | None = None  # for levels whose profile asks for simple wording
    level_definitions: dict[str, Text] = {}  # a level's own wording, over both of the above
    forms: tuple[Text, ...] = ()

    def for_level(self, level: Level) -> str:
        if level.id in self.level_definitions:
            return self.level_definitions[level.id]
        return self.simple if level.definitions == "simple" and self.simple else self.definition


class Event(_Model):
    date: DateSpan
    title: Text
    detail: Text | None = None
    levels: tuple[str, ...] | None = None

    @field_validator("date", mode="before")
    @classmethod
    def _parse(cls, value: Any) -> DateSpan:
        if isinstance(value, DateSpan):
            return value
        if isinstance(value, dt.date):  # YAML reads an unquoted 1950-02-14 as a date
            value = value.isoformat()
        if isinstance(value, int):
            value = str(value)
        if not isinstance(value, str):
            raise ValueError('must be a date such as "1950", "1950-02-14" or "1958-1960"')
        return parse_date(value)


class Timeline(_Model):
    title: Text | None = None
    events: tuple[Event, ...] = ()


def _item_specs() -> Any:
    """pack.yaml's worksheet entry: one of the registered item kinds' specs, told apart by `type`."""
    specs = tuple(kind.spec for kind in registry().items.values())
    return Annotated[typing.Union[specs], Field(discriminator="type")]  # noqa: UP007 - a union built at run time


WorksheetItem = _item_specs()
ITEM_TYPES: tuple[str, ...] = tuple(registry().items)
ACTIVITY_TYPES: tuple[str, ...] = tuple(t for t, kind in registry().items.items() if kind.generated)
QUESTION_TYPES: tuple[str, ...] = tuple(t for t in ITEM_TYPES if t not in ACTIVITY_TYPES)
ComponentName = Literal[listable_components()]  # type: ignore[valid-type]


def _option_entries() -> tuple[type[BaseModel], ...]:
    """`- <name>: {options}` in contents:, one model per registered component that takes options."""
    return tuple(
        create_model(f"{kind.node.__name__}Entry", __base__=SpecModel,
                     options=(kind.options, Field(alias=name)))
        for name, kind in registry().components.items() if kind.listable and kind.options is not None
    )


_OPTION_ENTRIES = _option_entries()


def component_entry(entry: Any) -> tuple[str, BaseModel | None]:
    """A `contents:` entry (a name, or a name with its options) as (name, options or None)."""
    if isinstance(entry, str):
        kind = registry().components.get(entry)
        return entry, kind.options() if kind is not None and kind.options is not None else None
    name = next(iter(type(entry).model_fields.values())).alias
    assert name is not None
    return name, entry.options


class TeacherNotes(_Model):
    """Shown only in the teacher edition's overview."""

    objectives: tuple[Text, ...] = ()
    standards: tuple[Text, ...] = ()
    timing: Text | None = None
    discussion: tuple[Text, ...] = ()


Color = Annotated[str, Field(pattern=r"^#[0-9a-fA-F]{6}$")]


class ThemeColors(_Model):
    primary: Color | None = None  # headings, rules, the cover title
    accent: Color | None = None  # teacher-only text: edition mark, answers
    text: Color | None = None
    background: Color | None = None
    highlight: Color | None = None  # the level badge and table headers


class ThemeFonts(_Model):
    body: FontName | None = None
    heading: FontName | None = None
    fallback: tuple[FontName, ...] = ()  # fonts for characters the others lack, e.g. [WenQuanYi Micro Hei]


class ThemeFile(_Model):
    """A school's or district's look: name, logo, colours and fonts, for the PDF and the DOCX."""

    school: Line | None = None
    logo: Text | None = None  # PNG or JPEG, relative to the file that names it
    colors: ThemeColors = ThemeColors()
    fonts: ThemeFonts = ThemeFonts()


class CustomComponent(_Model):
    """A component that is only a template in the workspace: `- template: map-activity.html`."""

    template: str = Field(pattern=r"^[\w.-]+\.html$")
    title: Text | None = None
    data: dict[str, Any] = {}


class PackFile(_Model):
    """The keys of pack.yaml, as documented in docs/pack-format.md."""

    format: Literal[1] = 1
    id: str | None = Field(default=None, pattern=SLUG.pattern, max_length=ID_MAX)  # part of every file name
    title: Line
    subtitle: Line | None = None
    subject: Line
    language: str = Field(default="en", pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
    paper: Literal["letter", "a4"] = "letter"
    article: Text
    attribution: Text | None = None
    sources: tuple[Text, ...] = ()
    date: dt.date | None = None  # the files' creation date; SOURCE_DATE_EPOCH overrides it
    levels: tuple[str, ...] = Field(min_length=1)
    sections: dict[str, tuple[str, ...]] = {}
    contents: tuple[typing.Union[(ComponentName, CustomComponent, *_OPTION_ENTRIES)], ...] = COMPONENTS  # noqa: UP007
    glossary: tuple[GlossaryEntry, ...] = ()
    timeline: Timeline = Timeline()
    worksheet: tuple[WorksheetItem, ...] = ()
    teacher: TeacherNotes = TeacherNotes()
    profiles: dict[str, dict[str, Any]] = {}  # level profile overrides and custom levels
    theme: ThemeFile = ThemeFile()
    corrections: dict[str, str] = {}
    dictionary: tuple[Text, ...] = ()
    labels: dict[str, Text] = {}  # printed words replaced, over the language's (assets/labels/, labels.py)


@dataclass(frozen=True)
class Pack:
    """A loaded, checked pack: its file, its folder and the article text."""

    id: str
    root: Path
    file: PackFile
    article_text: str
    levels: tuple[Level, ...]
    level_texts: dict[str, str] = field(default_factory=dict)  # level -> its article.<level>.md
    theme: Theme = field(default_factory=Theme)
    workspace: Path | None = None  # the folder holding the pack: its templates/ and teachpack.yaml
    warnings: tuple[Problem, ...] = ()  # found while loading: text cleaned, links dropped, images without alt

    @property
    def article_path(self) -> Path:
        return self.root / self.file.article


def load_pack(root: Path, workspace: Path | None = None) -> Pack:
    """Read and validate the pack in folder `root`. Raises PackError listing every problem.

    The workspace (teachpack.yaml, templates/) is the folder holding the pack unless `workspace`
    names another, so a district's look can live apart from the packs it styles.
    """
    from builder.load.article import parse_article  # the article is checked here so a bad one writes nothing

    root = Path(root)
    pack_path = root / PACK_FILE
    display = display_path(pack_path)
    if not pack_path.is_file():
        hint = "" if root.is_dir() else " (the folder does not exist)"
        raise PackError([Problem(display, None, "", f"not found{hint}; give the folder that holds {PACK_FILE}")])
    data, lines, problems = read_yaml(pack_path, display)
    if problems:
        raise PackError(problems)
    if not isinstance(data, dict):
        raise PackError([Problem(display, 1, "", "must be a mapping of keys (title: ..., subject: ...)")])
    warnings: list[Problem] = []
    data = _clean_values(data, (), lines, display, warnings, problems)
    try:
        file = PackFile.model_validate(data)
    except ValidationError as exc:
        raise PackError(problems + [_problem(err, data, lines, display) for err in exc.errors()]) from None

    def problem(path: tuple[str | int, ...], message: str) -> None:
        problems.append(Problem(display, _line(lines, path), format_path(path), message))

    folder = real_path(workspace or real_path(root).parent)
    if workspace is not None and not folder.is_dir():
        raise PackError([Problem(str(workspace), None, "", "--workspace is not a folder; give the folder holding "
                                 "teachpack.yaml and templates/")])
    settings = read_workspace(folder, problems, warnings)
    levels = _level_profiles(file, settings, lines, display, problems)
    theme = _theme(file, settings, root, lines, display, problems, warnings)
    for i, name in enumerate(file.levels):
        if name not in levels:
            problem(
                ("levels", i), f"unknown level '{name}'{did_you_mean(name, levels)}; choose from {', '.join(levels)}"
            )
    if len(set(file.levels)) != len(file.levels):
        problem(("levels",), "a level is listed twice; list each once")
    named = [c for c in file.contents if isinstance(c, str)]
    if len(set(named)) != len(named):
        problem(("contents",), "a component is listed twice; list each once")
    if not problems:  # with an unknown level in levels:, every reference to it would be noise
        _check_level_refs(file, problem)
    terms = [entry.term.casefold() for entry in file.glossary]
    for i, entry in enumerate(file.glossary):
        if terms.index(entry.term.casefold()) != i:
            problem(("glossary", i, "term"), f"'{entry.term}' is defined twice; keep one entry")
    _check_activity_refs(file, problem)
    for key, message in labels.problems(file.labels):
        problem(("labels", key), message)
    if untranslated := labels.missing_language(file.language):
        warnings.append(Problem(display, _line(lines, ("language",)), "language", untranslated))

    article_path = real_path(root / file.article)
    text = None
    if not article_path.is_relative_to(root.resolve()):
        problem(("article",), f"'{file.article}' is outside the pack folder; move the article into {root.name}/")
    elif not os.path.lexists(article_path):
        problem(("article",), f"'{file.article}' not found in {display_path(root)}/; check the file name")
    else:
        text = _read_article(article_path, root, problems, warnings)
    level_texts: dict[str, str] = {}

    def corrected(text: str, path: Path) -> str:
        """`text` with pack.yaml's corrections applied, within the article limit; its words checked."""
        text = _corrected(text, file.corrections, display_path(path), lines, display, problems)
        if found := _long_word(text, display_path(path)):
            problems.append(found)
        return text

    if text is not None:
        text = corrected(text, article_path)
        article = parse_article(text)
        ids = [s.id for s in article.sections]
        if not ids:
            problems.append(Problem(display_path(article_path), None, "",
                                    "has no text; write the article in Markdown, a '## ' heading per section"))
        for level, wanted in file.sections.items():
            for i, sid in enumerate(wanted):
                if sid not in ids:
                    problem(("sections", level, i), f"no section '{sid}' in {file.article}{did_you_mean(sid, ids)}; "
                            f"sections are: {', '.join(ids)}")
        problems.extend(_image_problems(article, article_path, root, warnings))
        for level in file.levels:
            if level not in levels:  # refused above; its name may not even make a file name
                continue
            level_path = level_article_path(article_path, level)
            if not (files.probe(level_path, (root,)) or os.path.lexists(level_path)):
                continue  # no rewrite for this level (a link or pipe in its place is read, and refused)
            level_text = _read_article(level_path, root, problems, warnings)
            if level_text is None:
                continue
            level_texts[level] = level_text = corrected(level_text, level_path)
            rewrite = parse_article(level_text)
            for section in rewrite.sections:
                if section.id not in ids:
                    problems.append(Problem(display_path(level_path), None, "",
                                            f"section '{section.title}' has no match in {file.article}"
                                            f"{did_you_mean(section.id, ids)}; a rewrite must keep the heading of "
                                            "the section it replaces"))
            problems.extend(_image_problems(rewrite, level_path, root, warnings))
    if problems:
        raise PackError(problems)
    assert text is not None
    return Pack(
        id=file.id or _slug(root.resolve().name),
        root=root,
        file=file,
        article_text=text,
        levels=tuple(levels[name] for name in file.levels),
        level_texts=level_texts,
        theme=theme,
        workspace=folder,
        warnings=tuple(warnings),
    )


class WorkspaceFile(_Model):
    """teachpack.yaml beside the pack folders: settings every pack of the workspace shares."""

    profiles: dict[str, dict[str, Any]] = {}
    theme: ThemeFile = ThemeFile()


@dataclass(frozen=True)
class Workspace:
    folder: Path
    file: WorkspaceFile
    display: str
    lines: Lines


WORKSPACE_FILE = "teachpack.yaml"


def _theme(file: PackFile, workspace: Workspace | None, root: Path, lines: Lines, display: str,
           problems: list[Problem], warnings: list[Problem]) -> Theme:
    """The workspace's theme with the pack's settings over it; the logo resolved and checked."""
    base = workspace.file.theme if workspace else ThemeFile()
    own = file.theme
    colors = {**base.colors.model_dump(exclude_none=True), **own.colors.model_dump(exclude_none=True)}
    logo = None
    logo_name, folder, shown, where = (own.logo, root, display, lines) if own.logo else (
        (base.logo, workspace.folder, workspace.display, workspace.lines) if workspace and base.logo else
        (None, root, display, lines))
    if logo_name:
        path = real_path(folder / logo_name)
        message, warning = _file_problem(
            path, folder, f"'{logo_name}'",
            outside=f"'{logo_name}' is outside {folder.name}/; copy the logo into it",
            missing=f"'{logo_name}' not found; check the path (relative to {Path(shown).name})",
        )
        if warning:
            warnings.append(Problem(shown, _line(where, ("theme", "logo")), "theme.logo", warning))
        if message:
            problems.append(Problem(shown, _line(where, ("theme", "logo")), "theme.logo", message))
        else:
            logo = path
    return Theme(
        school=own.school or base.school,
        logo=logo,
        colors=tuple(sorted(colors.items())),
        body_font=own.fonts.body or base.fonts.body,
        heading_font=own.fonts.heading or base.fonts.heading,
        fallback_fonts=own.fonts.fallback or base.fonts.fallback,
    )


def read_workspace(folder: Path, problems: list[Problem], warnings: list[Problem]) -> Workspace | None:
    """The workspace folder's teachpack.yaml, if there is one."""
    path = folder / WORKSPACE_FILE
    if not (files.probe(path, (folder,)) or os.path.lexists(path)):  # an absent one is recorded: adding one
        return None  # later makes the builds stale; a link out or a pipe in its place is read, and refused
    shown = display_path(path)
    data, lines, found = read_yaml(path, shown)
    problems.extend(found)
    if not isinstance(data, dict):
        return None
    data = _clean_values(data, (), lines, shown, warnings, problems)
    try:
        return Workspace(path.parent, WorkspaceFile.model_validate(data), shown, lines)
    except ValidationError as exc:
        problems.extend(_problem(err, data, lines, shown) for err in exc.errors())
        return None


def _level_profiles(file: PackFile, workspace: Workspace | None, lines: Lines, display: str,
                    problems: list[Problem]) -> dict[str, Level]:
    """Built-in profiles, then the workspace's teachpack.yaml, then the pack's own `profiles:`."""
    sources: list[tuple[str, Lines, dict[str, dict[str, Any]]]] = []
    if workspace is not None:
        sources.append((workspace.display, workspace.lines, workspace.file.profiles))
    sources.append((display, lines, file.profiles))
    levels: dict[str, Level] = dict(builtin_levels())
    raw = {name: level.model_dump(exclude={"id"}) for name, level in levels.items()}
    fields = sorted(set(Level.model_fields) - {"id", "preset"})
    for shown, where, profiles in sources:
        for name, values in profiles.items():
            path: tuple[str | int, ...] = ("profiles", name)
            if message := level_name_problem(name):
                problems.append(Problem(shown, _line(where, path), format_path(path), message))
                continue
            values = dict(values)
            base = values.pop("based_on", name)
            if base not in raw:
                hint = "add based_on: with one of " if base == name else "use one of "
                message = f"'{base}' is not a level{did_you_mean(str(base), raw)}; {hint}{', '.join(raw)}"
                problems.append(Problem(shown, _line(where, path), format_path(path), message))
                continue
            unknown = [key for key in values if key not in fields]
            for key in unknown:
                problems.append(Problem(shown, _line(where, (*path, key)), format_path((*path, key)),
                                        f"unknown profile setting{did_you_mean(key, fields)}; settings are: "
                                        f"{', '.join(fields)}"))
            if unknown:
                continue
            merged = {**raw[base], **values}
            try:
                levels[name] = Level(id=name, **merged)
            except ValidationError as exc:
                for err in exc.errors():
                    key_path = (*path, *err["loc"])
                    problems.append(Problem(shown, _line(where, key_path), format_path(key_path), _message(err)))
                continue
            raw[name] = merged
    return levels


def level_article_path(article: Path, level: str) -> Path:
    """article.md -> article.elementary.md: the sections rewritten for one level."""
    return article.with_name(f"{article.stem}.{level}{article.suffix}")


def _read_article(path: Path, root: Path, problems: list[Problem], warnings: list[Problem]) -> str | None:
    """The text of an article or level rewrite, read through files.py (inside the pack folder, a
    regular file, within the limit), cleaned of characters no writer takes (each removal a warning)."""
    shown = display_path(path)
    if path.is_file() and (message := too_large(path, "article")):  # the size, when the file system knows it
        problems.append(Problem(shown, None, "", message))
        return None
    try:
        text = files.read_text(path, (root,), "article", shown)
    except files.FileRefused as refused:
        problems.append(_refused(shown, None, refused))
        return None
    text, removed = clean_text(text)
    warnings.extend(Problem(shown, r.line, "", r.message()) for r in removed)
    return text


def _clean_values(data: Any, path: tuple[str | int, ...], lines: Lines, display: str,
                  warnings: list[Problem], problems: list[Problem]) -> Any:
    """pack.yaml's data with unwritable characters taken out of every string (YAML escapes such as
    "\\0" can put them there), each removal a warning at its key; a word too long to lay out is a
    problem at its key (once per line: an alias repeats its value)."""
    if isinstance(data, dict):
        return {key: _clean_values(value, (*path, key), lines, display, warnings, problems)
                for key, value in data.items()}
    if isinstance(data, list):
        return [_clean_values(value, (*path, i), lines, display, warnings, problems) for i, value in enumerate(data)]
    if not isinstance(data, str):
        return data
    text, removed = clean_text(data)
    line = _line(lines, path)
    if removed:
        codes = tuple(code for r in removed for code in r.codes)
        warnings.append(Problem(display, line, format_path(path), Removed(1, codes).message()))
    if (found := _LONG_WORD.search(text)) and not any(p.file == display and p.line == line for p in problems):
        problems.append(Problem(display, line, format_path(path), f"a word of {len(found.group())} characters "
                                f"without a space, over the {WORD_MAX} a line can lay out; break it up with spaces"))
    return text


def _refused(shown: str, line: int | None, refused: files.FileRefused) -> Problem:
    """files.py's refusal ("<shown>: why; fix") as a Problem of that file."""
    return Problem(shown, line, "", str(refused).removeprefix(f"{shown}: "))


def _file_problem(path: Path, folder: Path, shown: str, outside: str, missing: str) -> tuple[str | None, str | None]:
    """(error, warning) for a picture the pack names: the error when it cannot be used (outside
    `folder`, missing, not a picture), the warning when the PDF could not draw it (huge, damaged)."""
    if not path.is_relative_to(folder.resolve()):
        return outside, None
    if not os.path.lexists(path):
        return missing, None
    return _picture_problem(path, folder, shown)  # a pipe or a link loop: the guarded read says so


def _picture_problem(path: Path, folder: Path, shown: str) -> tuple[str | None, str | None]:
    """(error, warning) for the picture file at `path`: it must be a PNG, JPEG or GIF file (both the
    PDF and the DOCX show those) and should be one WeasyPrint can draw."""
    if message := too_large(path, "image"):
        return f"{shown} {message}", None
    try:
        data = files.read_bytes(path, (folder,), "image", shown)
    except files.FileRefused as refused:
        return str(refused), None
    kind = picture_kind(data)
    if kind is None:
        return (f"{shown} is not a PNG, JPEG or GIF picture (another format, or a damaged file), which both the PDF "
                "and Word can show; save it as PNG or JPEG"), None
    problem = undrawable(data, kind)
    return None, problem and f"{shown} {problem.reason}, so {problem.effect}; {problem.fix}"


def _image_problems(article: Any, article_path: Path, root: Path, warnings: list[Problem]) -> list[Problem]:
    """Every image must be a picture file inside the pack folder; every link and alt text usable."""
    problems = []
    display = display_path(article_path)
    for link in article.refused_links:
        warnings.append(Problem(display, link.line, "", f"link '{link.src}' is not an http, https or mailto "
                                "address; it prints as plain text (give the full web address to keep it)"))
    for image in article.images:
        if "://" in image.src or image.src.startswith("data:"):
            message = f"image '{image.src}' is not a file in the pack; copy it into images/ and link to that"
        else:
            message, warning = _file_problem(
                real_path(article_path.parent / image.src), root, f"image '{image.src}'",
                outside=f"image '{image.src}' is outside the pack folder; copy it into {root.name}/images/",
                missing=f"image '{image.src}' not found; check the path (relative to {article_path.name})",
            )
            if warning:
                warnings.append(Problem(display, image.line, "", warning))
            if message is None:
                if not image.alt.strip():
                    warnings.append(Problem(display, image.line, "", f"image '{image.src}' has no alt text; "
                                            f"describe the picture in the brackets: ![a map of ...]({image.src})"))
                continue
        problems.append(Problem(display, image.line, "", message))
    return problems


def _corrections_pattern(corrections: dict[str, str]) -> re.Pattern[str]:
    return re.compile(
        r"(?<![\w-])(?:" + "|".join(re.escape(w) for w in sorted(corrections, key=len, reverse=True)) + r")(?![\w-])"
    )


def apply_corrections(text: str, corrections: dict[str, str]) -> str:
    """Replace whole words of the article as pack.yaml's `corrections:` says (the file is untouched)."""
    if not corrections:
        return text
    return _corrections_pattern(corrections).sub(lambda match: corrections[match.group()], text)


def _corrected(text: str, corrections: dict[str, str], shown: str, lines: Lines, display: str,
               problems: list[Problem]) -> str:
    """`text` with the corrections applied, if the result stays within the article limit: the words
    are counted first, so a long correction used many times is refused before it is ever built."""
    if not corrections:
        return text
    counts = Counter(match.group() for match in _corrections_pattern(corrections).finditer(text))
    grows = {word: n * (len(corrections[word].encode()) - len(word.encode())) for word, n in counts.items()}
    size, most = len(text.encode()) + sum(grows.values()), limit_bytes("article")
    if size <= most:
        return apply_corrections(text, corrections)
    word = max(grows, key=grows.__getitem__)
    path = ("corrections", word)
    problems.append(Problem(display, _line(lines, path), format_path(path),
                            f"used {counts[word]} times in {shown}, it makes the text {size / 1e6:.1f} MB, over the "
                            f"{most / 1e6:g} MB limit for an article; shorten the correction, or correct the article "
                            "itself"))
    return text


_LINK_TARGET = re.compile(r"\]\([^)\s]*\)")  # ](https://…): a link's or image's address is never printed
_LONG_WORD = re.compile(rf"\S{{{WORD_MAX + 1},}}")


def _long_word(text: str, shown: str) -> Problem | None:
    """A Problem at the first word (characters without a space) too long for WeasyPrint to lay out
    in reasonable time, counting the others after it; None when every word is short enough."""
    printed = _LINK_TARGET.sub("]", text)  # no target holds a newline: line numbers stay
    found = list(_LONG_WORD.finditer(printed))
    if not found:
        return None
    first = found[0]
    more = f" ({len(found) - 1} more after it)" if len(found) > 1 else ""
    return Problem(shown, printed.count("\n", 0, first.start()) + 1, "",
                   f"a word of {len(first.group())} characters without a space{more}, over the {WORD_MAX} a line "
                   "can lay out; break it up with spaces (a web address can be a link: [label](https://…))")


def _check_activity_refs(file: PackFile, problem: Any) -> None:
    """Terms and events an activity names must exist in the glossary and timeline."""
    terms = [entry.term for entry in file.glossary]
    titles = [event.title for event in file.timeline.events]
    for i, item in enumerate(file.worksheet):
        for key, known, where in (("terms", terms, "glossary"), ("events", titles, "timeline")):
            for j, name in enumerate(getattr(item, key, None) or ()):
                if name not in known:
                    problem(
                        ("worksheet", i, key, j),
                        f"'{name}' is not in the {where}{did_you_mean(name, known)}; use the exact {where} wording",
                    )


def _check_level_refs(file: PackFile, problem: Any) -> None:
    """Every `levels:` inside the pack must name one of the pack's own levels."""
    known = list(file.levels)

    def check(path: tuple[str | int, ...], name: str) -> None:
        if name not in known:
            problem(
                path,
                f"'{name}' is not one of this pack's levels{did_you_mean(name, known)}; "
                f"add it to levels: or use one of {', '.join(known)}",
            )

    for name in file.sections:
        check(("sections", name), name)
    for i, entry in enumerate(file.glossary):
        for name in entry.level_definitions:
            check(("glossary", i, "level_definitions", name), name)
    for i, question in enumerate(file.worksheet):
        for j, name in enumerate(question.levels or ()):
            check(("worksheet", i, "levels", j), name)
    for i, event in enumerate(file.timeline.events):
        for j, name in enumerate(event.levels or ()):
            check(("timeline", "events", i, "levels", j), name)


def _problem(err: Any, data: Any, lines: Lines, display: str) -> Problem:
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
        message = f"unknown question or activity type; use one of {', '.join(ITEM_TYPES)}"
        path = path + ("type",)
    elif kind == "union_tag_not_found":
        message = f"needs a type: one of {', '.join(ITEM_TYPES)}"
    elif kind == "literal_error":
        message = f"must be one of {err['ctx']['expected'].replace(chr(39), '')}"
    elif kind == "string_pattern_mismatch" and name == "id":
        message = "must be lowercase letters, digits and hyphens, like sino-soviet-split"
    else:
        message = _message(err)
    return Problem(display, _line(lines, path), format_path(path), message)


def _message(err: Any) -> str:
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
        node = node[part] if isinstance(node, (dict, list)) and (isinstance(node, list) or part in node) else None
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
    return model


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in _models_in(arg)]


def _literal_values(model: type[BaseModel]) -> tuple[Any, ...]:
    return typing.get_args(model.model_fields["type"].annotation)


def _line(lines: Lines, path: tuple[str | int, ...]) -> int | None:
    while path:
        if path in lines:
            return lines[path]
        path = path[:-1]
    return lines.get(())


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower())[:ID_MAX].strip("-") or "pack"
