"""The model -> HTML through the Jinja2 templates (the PDF renderer's first half)."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from ..errors import TeachpackError
from ..model import Document, TimelineItem
from ..paths import TEMPLATES
from .timeline_layout import TimelineLayout, layout_timeline

_CSS_UNSAFE = re.compile(r'[\\"\n\r\f]')


def css_string(value: object) -> str:
    """Quote text as a CSS string literal (headers built from a pack's title)."""
    return '"' + _CSS_UNSAFE.sub(lambda m: f"\\{ord(m.group()):x} ", str(value)) + '"'


@cache
def environment(folders: tuple[Path, ...] = (TEMPLATES,)) -> jinja2.Environment:
    """A sandboxed environment: HTML autoescaped, undefined variables are errors."""
    env = SandboxedEnvironment(
        loader=jinja2.FileSystemLoader([str(f) for f in folders]),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "svg", "xml"), default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=False,
        keep_trailing_newline=True,
    )
    env.filters["css_string"] = css_string
    return env


def render_html(document: Document, content_width_px: float) -> tuple[str, str]:
    """The document's HTML and its per-document stylesheet (page size, header, level)."""
    env = environment()

    def timeline(items: tuple[TimelineItem, ...]) -> TimelineLayout:
        return layout_timeline(items, width=content_width_px, min_height=content_width_px * 1.05,
                               font_size=10.5 if document.level.font_size < 13 else 12)

    context = {"doc": document, "timeline_layout": timeline}
    try:
        html = env.get_template("pack.html").render(context)
        css = env.get_template("page.css").render(context)
    except jinja2.TemplateError as exc:
        raise TeachpackError(f"template error: {_where(exc)}{exc.message or exc}") from None
    return html, css


def _where(exc: jinja2.TemplateError) -> str:
    name = getattr(exc, "filename", None) or getattr(exc, "name", None)
    line = getattr(exc, "lineno", None)
    return f"{name}:{line}: " if name and line else (f"{name}: " if name else "")
