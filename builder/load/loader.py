"""Stage 1, load: pack.yaml + article -> a validated `Pack`, or every problem at once.

The workspace's teachpack.yaml and the pack's own settings are merged here (level profiles, the
theme), `corrections:` applied, and the article and its level rewrites read and parsed once.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from builder.core import files, labels
from builder.core.characters import Removed, clean_text
from builder.core.errors import PackError, Problem, did_you_mean
from builder.core.files import display_path, real_path
from builder.core.levels import Level, builtin_levels, level_name_problem
from builder.core.limits import limit_bytes, too_large
from builder.load.article import ParsedArticle, parse_article, without_review_marks
from builder.load.checks import (
    LONG_WORD,
    check_activity_refs,
    check_glossary_terms,
    check_labels,
    check_level_refs,
    check_listing,
    check_sections,
    image_problems,
    long_word,
    picture_file_problem,
    rewrite_problems,
)
from builder.load.messages import error_message, line_of, validation_problem
from builder.load.schema import ID_MAX, WORD_MAX, PackFile, ThemeFile, WorkspaceFile
from builder.load.yamlfile import Lines, format_path, read_yaml
from builder.model import Theme

PACK_FILE = "pack.yaml"
WORKSPACE_FILE = "teachpack.yaml"


@dataclass(frozen=True)
class Pack:
    """A loaded, checked pack: its file, its folder, and the article and its level rewrites, each
    as text (after `corrections:`) and parsed once for every document and check."""

    id: str
    root: Path
    file: PackFile
    article_text: str
    article: ParsedArticle  # article_text parsed
    levels: tuple[Level, ...]
    level_texts: dict[str, str] = field(default_factory=dict)  # level -> its article.<level>.md
    level_articles: dict[str, ParsedArticle] = field(default_factory=dict)  # level -> its level_texts parsed
    theme: Theme = field(default_factory=Theme)
    workspace: Path | None = None  # the folder holding the pack: its templates/ and teachpack.yaml
    warnings: tuple[Problem, ...] = ()  # found while loading: text cleaned, links dropped, images without alt

    @property
    def article_path(self) -> Path:
        return self.root / self.file.article


def load_pack(root: Path, workspace: Path | None = None) -> Pack:
    """Read and validate the pack in folder `root`. Raises PackError listing every problem.

    The workspace (teachpack.yaml, templates/) is the folder holding the pack unless `workspace`
    names another, so a district's look can live apart from the packs it styles. The article is
    parsed and checked here, so a bad one writes nothing.
    """
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
        raise PackError(problems + [validation_problem(err, data, lines, display) for err in exc.errors()]) from None

    def problem(path: tuple[str | int, ...], message: str) -> None:
        problems.append(Problem(display, line_of(lines, path), format_path(path), message))

    folder = real_path(workspace or real_path(root).parent)
    if workspace is not None and not folder.is_dir():
        raise PackError([Problem(str(workspace), None, "", "--workspace is not a folder; give the folder holding "
                                 "teachpack.yaml and templates/")])
    settings = read_workspace(folder, problems, warnings)
    levels = _level_profiles(file, settings, lines, display, problems)
    theme = _theme(file, settings, root, lines, display, problems, warnings)
    check_listing(file, levels, problem)
    if not problems:  # with an unknown level in levels:, every reference to it would be noise
        check_level_refs(file, problem)
    check_glossary_terms(file, problem)
    check_activity_refs(file, problem)
    check_labels(file, problem)
    if untranslated := labels.missing_language(file.language):
        warnings.append(Problem(display, line_of(lines, ("language",)), "language", untranslated, "TP102"))

    article_path = real_path(root / file.article)
    text = None
    if not article_path.is_relative_to(root.resolve()):
        problem(("article",), f"'{file.article}' is outside the pack folder; move the article into {root.name}/")
    elif not files.lexists(article_path):
        problem(("article",), f"'{file.article}' not found in {display_path(root)}/; check the file name")
    else:
        text = _read_article(article_path, root, problems, warnings)
    level_texts: dict[str, str] = {}
    level_articles: dict[str, ParsedArticle] = {}

    def corrected(text: str, path: Path) -> str:
        """`text` with pack.yaml's corrections applied, within the article limit; its words checked."""
        text = _corrected(text, file.corrections, display_path(path), lines, display, problems)
        if found := long_word(text, display_path(path)):
            problems.append(found)
        return text

    article = None
    if text is not None:
        text = corrected(text, article_path)
        article = parse_article(text)
        check_sections(file, article, display_path(article_path), problem, problems)
        problems.extend(image_problems(article, article_path, root, warnings))
        for level in file.levels:
            if level not in levels:  # refused above; its name may not even make a file name
                continue
            level_path = level_article_path(article_path, level)
            if not (files.probe(level_path, (root,)) or files.lexists(level_path)):
                continue  # no rewrite for this level (a link or pipe in its place is read, and refused)
            level_text = _read_article(level_path, root, problems, warnings)
            if level_text is None:
                continue
            level_text, marked = without_review_marks(level_text)
            if marked:
                warnings.append(Problem(display_path(level_path), marked[0], "", f"{len(marked)} sentence(s) still "
                                        "marked {== ==} to rewrite for this level; rewrite each for the level and "
                                        "delete its marks (the note {>> <<} says what to change)", "TP209"))
            level_texts[level] = level_text = corrected(level_text, level_path)
            level_articles[level] = rewrite = parse_article(level_text)
            problems.extend(rewrite_problems(rewrite, article, file.article, display_path(level_path)))
            problems.extend(image_problems(rewrite, level_path, root, warnings))
    if problems:
        raise PackError(problems)
    assert text is not None and article is not None
    return Pack(
        id=file.id or _slug(root.resolve().name),
        root=root,
        file=file,
        article_text=text,
        article=article,
        levels=tuple(levels[name] for name in file.levels),
        level_texts=level_texts,
        level_articles=level_articles,
        theme=theme,
        workspace=folder,
        warnings=tuple(warnings),
    )


@dataclass(frozen=True)
class Workspace:
    """A workspace folder and its read teachpack.yaml, with the lines its keys are on."""

    folder: Path
    file: WorkspaceFile
    display: str
    lines: Lines


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
        message, warning = picture_file_problem(
            path, folder, f"'{logo_name}'",
            outside=f"'{logo_name}' is outside {folder.name}/; copy the logo into it",
            missing=f"'{logo_name}' not found; check the path (relative to {Path(shown).name})",
        )
        if warning:
            warnings.append(Problem(shown, line_of(where, ("theme", "logo")), "theme.logo", warning, "TP405"))
        if message:
            problems.append(Problem(shown, line_of(where, ("theme", "logo")), "theme.logo", message))
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
        problems.extend(validation_problem(err, data, lines, shown) for err in exc.errors())
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
                problems.append(Problem(shown, line_of(where, path), format_path(path), message))
                continue
            values = dict(values)
            base = values.pop("based_on", name)
            if base not in raw:
                hint = "add based_on: with one of " if base == name else "use one of "
                message = f"'{base}' is not a level{did_you_mean(str(base), raw)}; {hint}{', '.join(raw)}"
                problems.append(Problem(shown, line_of(where, path), format_path(path), message))
                continue
            unknown = [key for key in values if key not in fields]
            for key in unknown:
                problems.append(Problem(shown, line_of(where, (*path, key)), format_path((*path, key)),
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
                    problems.append(Problem(shown, line_of(where, key_path), format_path(key_path), error_message(err)))
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
    if files.on_disk(path) and (message := too_large(path, "article")):  # the size, when the file system knows it
        problems.append(Problem(shown, None, "", message))
        return None
    try:
        text = files.read_text(path, (root,), "article", shown)
    except files.FileRefused as refused:
        problems.append(_refused(shown, None, refused))
        return None
    text, removed = clean_text(text)
    warnings.extend(Problem(shown, r.line, "", r.message(), "TP001") for r in removed)
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
    line = line_of(lines, path)
    if removed:
        codes = tuple(code for r in removed for code in r.codes)
        warnings.append(Problem(display, line, format_path(path), Removed(1, codes).message(), "TP001"))
    if (found := LONG_WORD.search(text)) and not any(p.file == display and p.line == line for p in problems):
        problems.append(Problem(display, line, format_path(path), f"a word of {len(found.group())} characters "
                                f"without a space, over the {WORD_MAX} a line can lay out; break it up with spaces"))
    return text


def _refused(shown: str, line: int | None, refused: files.FileRefused) -> Problem:
    """files.py's refusal ("<shown>: why; fix") as a Problem of that file."""
    return Problem(shown, line, "", str(refused).removeprefix(f"{shown}: "))


def _corrections_pattern(corrections: dict[str, str]) -> re.Pattern[str]:
    """One pattern for every corrected word, longest first, matched as a whole word."""
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
    problems.append(Problem(display, line_of(lines, path), format_path(path),
                            f"used {counts[word]} times in {shown}, it makes the text {size / 1e6:.1f} MB, over the "
                            f"{most / 1e6:g} MB limit for an article; shorten the correction, or correct the article "
                            "itself"))
    return text


def _slug(name: str) -> str:
    """The pack id of a pack.yaml without `id:`: its folder's name as a slug."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower())[:ID_MAX].strip("-") or "pack"

