"""Where templates come from: `--templates` folders, the workspace's templates/, then the built-in set.

A template in a user folder shadows the built-in one of the same name; it can extend the one it
shadows as "builtin/<name>" and override a single block. Every error names the file and line.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from ..errors import TeachpackError, did_you_mean
from ..paths import TEMPLATES

BUILTIN_PREFIX = "builtin/"
_EXTENDS = re.compile(r"""\{%-?\s*extends\s+["']builtin/([^"']+)["']""")
_COMMENT = re.compile(r"\{#.*?#\}", re.DOTALL)
_CSS_UNSAFE = re.compile(r'[\\"\n\r\f]')


def css_string(value: object) -> str:
    """Quote text as a CSS string literal (headers built from a pack's title)."""
    return '"' + _CSS_UNSAFE.sub(lambda m: f"\\{ord(m.group()):x} ", str(value)) + '"'


@cache
def environment(dirs: tuple[Path, ...] = ()) -> jinja2.Environment:
    """A sandboxed environment over `dirs` then the built-ins; autoescaped HTML; undefined is an error."""
    builtin = jinja2.FileSystemLoader(str(TEMPLATES))
    loader = jinja2.ChoiceLoader([
        jinja2.PrefixLoader({BUILTIN_PREFIX.rstrip("/"): builtin}),
        jinja2.FileSystemLoader([str(d) for d in dirs] + [str(TEMPLATES)]),
    ])
    env = SandboxedEnvironment(
        loader=loader,
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "svg", "xml"), default_for_string=True),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters["css_string"] = css_string
    return env


def template_error(exc: Exception, dirs: tuple[Path, ...]) -> TeachpackError:
    """One line for a template problem: the file and line, what went wrong, what to do."""
    if isinstance(exc, jinja2.TemplateNotFound):
        searched = ", ".join([*(str(d) for d in dirs), f"{TEMPLATES} (built-in)"])
        return TeachpackError(f"template '{exc.name}' not found; searched {searched}")
    if isinstance(exc, jinja2.TemplateSyntaxError):
        where = f"{exc.filename or exc.name}:{exc.lineno}"
        return TeachpackError(f"{where}: template syntax error: {exc.message}; fix the template")
    where = _template_frame(exc)
    message = getattr(exc, "message", None) or str(exc)
    hint = "; check the spelling against docs/templates.md" if isinstance(exc, jinja2.UndefinedError) else ""
    return TeachpackError(f"{where}: template error: {message}{hint}")


def _template_frame(exc: Exception) -> str:
    """The innermost traceback frame that is a template file (Jinja maps its frames to template lines)."""
    found = "template"
    tb = exc.__traceback__
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name.endswith((".html", ".css", ".svg")):
            found = f"{name}:{tb.tb_lineno}"
        tb = tb.tb_next
    return found


@dataclass(frozen=True)
class TemplateInfo:
    name: str
    source: Path  # the file that wins
    shadows: bool  # a user file hides a built-in of the same name
    extends_builtin: bool  # ...and builds on it with {% extends "builtin/<name>" %}


def list_templates(dirs: tuple[Path, ...]) -> list[TemplateInfo]:
    """Every template name, the file that wins, and whether it overrides or extends a built-in."""
    builtin = {p.name for p in builtin_templates()}
    names: dict[str, Path] = {}
    for folder in [*dirs, TEMPLATES]:
        for path in sorted(folder.iterdir()):
            if path.is_file() and path.suffix in (".html", ".css", ".svg", ".docx") and path.name not in names:
                names[path.name] = path
    out = []
    for name, path in sorted(names.items()):
        user = path.parent != TEMPLATES
        text = path.read_text(encoding="utf-8", errors="replace") if user and path.suffix != ".docx" else ""
        text = _COMMENT.sub("", text)
        out.append(TemplateInfo(name, path, user and name in builtin, bool(_EXTENDS.search(text))))
    return out


def builtin_templates() -> list[Path]:
    return sorted(p for p in TEMPLATES.iterdir() if p.is_file() and not p.name.startswith("."))


def eject(name: str | None, to: Path, force: bool = False) -> list[Path]:
    """Copy a built-in template (or all, when `name` is None) into `to` for editing."""
    available = {p.name: p for p in builtin_templates()}
    if name is not None and name not in available:
        raise TeachpackError(f"no built-in template '{name}'{did_you_mean(name, available)}; "
                             f"choose from {', '.join(available)}")
    chosen = [available[name]] if name else list(available.values())
    targets = [to / p.name for p in chosen]
    existing = [t for t in targets if t.exists()]
    if existing and not force:
        raise TeachpackError(f"{existing[0]} already exists; use --force to overwrite it")
    to.mkdir(parents=True, exist_ok=True)
    for source, target in zip(chosen, targets, strict=False):
        shutil.copyfile(source, target)
    return targets
