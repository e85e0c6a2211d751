"""Checks of a validated pack that no schema can make: names that must refer to something, things
listed twice, and the article's sections, pictures, links and words."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path

from builder.core import files, labels
from builder.core.errors import Problem, did_you_mean
from builder.core.files import display_path, real_path
from builder.core.levels import Level
from builder.core.limits import too_large
from builder.core.pictures import picture_kind, undrawable
from builder.load.article import ParsedArticle
from builder.load.schema import WORD_MAX, PackFile

Report = Callable[[tuple[str | int, ...], str], None]  # a problem at a key of pack.yaml


def check_listing(file: PackFile, levels: Mapping[str, Level], problem: Report) -> None:
    """`levels:` must name known levels, each once; `contents:` each component once."""
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


def check_level_refs(file: PackFile, problem: Report) -> None:
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
        for j, name in enumerate(entry.levels or ()):
            check(("glossary", i, "levels", j), name)
    for i, standard in enumerate(file.teacher.standards):
        for j, name in enumerate(getattr(standard, "levels", None) or ()):
            check(("teacher", "standards", i, "levels", j), name)
    for i, question in enumerate(file.worksheet):
        for j, name in enumerate(question.levels or ()):
            check(("worksheet", i, "levels", j), name)
    for i, event in enumerate(file.timeline.events):
        for j, name in enumerate(event.levels or ()):
            check(("timeline", "events", i, "levels", j), name)


def check_glossary_terms(file: PackFile, problem: Report) -> None:
    """Each glossary term is defined once (in any case)."""
    terms = [entry.term.casefold() for entry in file.glossary]
    for i, entry in enumerate(file.glossary):
        if terms.index(entry.term.casefold()) != i:
            problem(("glossary", i, "term"), f"'{entry.term}' is defined twice; keep one entry")


def check_activity_refs(file: PackFile, problem: Report) -> None:
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


def check_labels(file: PackFile, problem: Report) -> None:
    """`labels:` may replace only printed words the labels file knows, keeping their placeholders."""
    for key, message in labels.problems(file.labels):
        problem(("labels", key), message)


def check_sections(file: PackFile, article: ParsedArticle, shown: str, problem: Report,
                   problems: list[Problem]) -> None:
    """The article (file `shown`) must have sections, and `sections:` must name only those."""
    ids = [s.id for s in article.sections]
    if not ids:
        problems.append(Problem(shown, None, "", "has no text; write the article in Markdown, a '## ' heading per "
                                "section"))
    for level, wanted in file.sections.items():
        for i, sid in enumerate(wanted):
            if sid not in ids:
                problem(("sections", level, i), f"no section '{sid}' in {file.article}{did_you_mean(sid, ids)}; "
                        f"sections are: {', '.join(ids)}")


def rewrite_problems(rewrite: ParsedArticle, article: ParsedArticle, name: str, shown: str) -> list[Problem]:
    """Each section of a level rewrite (file `shown`) must replace a section of the article `name`."""
    ids = [s.id for s in article.sections]
    return [
        Problem(shown, None, "", f"section '{section.title}' has no match in {name}{did_you_mean(section.id, ids)}; "
                "a rewrite must keep the heading of the section it replaces")
        for section in rewrite.sections
        if section.id not in ids
    ]


def image_problems(article: ParsedArticle, article_path: Path, root: Path, warnings: list[Problem]) -> list[Problem]:
    """Every image must be a picture file inside the pack folder; every link and alt text usable."""
    problems = []
    display = display_path(article_path)
    for link in article.refused_links:
        warnings.append(Problem(display, link.line, "", f"link '{link.src}' is not an http, https or mailto "
                                "address; it prints as plain text (give the full web address to keep it)", "TP002"))
    for image in article.images:
        message: str | None
        if "://" in image.src or image.src.startswith("data:"):
            message = f"image '{image.src}' is not a file in the pack; copy it into images/ and link to that"
        else:
            message, warning = picture_file_problem(
                real_path(article_path.parent / image.src), root, f"image '{image.src}'",
                outside=f"image '{image.src}' is outside the pack folder; copy it into {root.name}/images/",
                missing=f"image '{image.src}' not found; check the path (relative to {article_path.name})",
            )
            if warning:
                warnings.append(Problem(display, image.line, "", warning, "TP405"))
            if message is None:
                if not image.alt.strip():
                    fix = f"describe the picture in the brackets: ![a map of ...]({image.src})"
                    warnings.append(Problem(display, image.line, "", f"image '{image.src}' has no alt text; {fix}",
                                            "TP501"))
                continue
        problems.append(Problem(display, image.line, "", message))
    return problems


def picture_file_problem(path: Path, folder: Path, shown: str, outside: str,
                         missing: str) -> tuple[str | None, str | None]:
    """(error, warning) for a picture the pack names: the error when it cannot be used (outside
    `folder`, missing, not a picture), the warning when the PDF could not draw it (huge, damaged)."""
    if not path.is_relative_to(folder.resolve()):
        return outside, None
    if not files.lexists(path):
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
    return None, None if problem is None else f"{shown} {problem.reason}, so {problem.effect}; {problem.fix}"


_LINK_TARGET = re.compile(r"\]\([^)\s]*\)")  # ](https://…): a link's or image's address is never printed
LONG_WORD = re.compile(rf"\S{{{WORD_MAX + 1},}}")


def long_word(text: str, shown: str) -> Problem | None:
    """A Problem at the first word (characters without a space) too long for WeasyPrint to lay out
    in reasonable time, counting the others after it; None when every word is short enough."""
    printed = _LINK_TARGET.sub("]", text)  # no target holds a newline: line numbers stay
    found = list(LONG_WORD.finditer(printed))
    if not found:
        return None
    first = found[0]
    more = f" ({len(found) - 1} more after it)" if len(found) > 1 else ""
    return Problem(shown, printed.count("\n", 0, first.start()) + 1, "",
                   f"a word of {len(first.group())} characters without a space{more}, over the {WORD_MAX} a line "
                   "can lay out; break it up with spaces (a web address can be a link: [label](https://…))")
