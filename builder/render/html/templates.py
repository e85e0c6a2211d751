"""Where templates come from: `--templates` folders, the workspace's templates/, then the built-in set.

A template in a user folder shadows the built-in one of the same name; it can extend the one it
shadows as "builtin/<name>" and override a single block. Every error names the file and line.

Templates are untrusted code. They run in a Jinja sandbox that sees data, never capabilities:
- attributes are an allow-list (`_Sandbox.is_safe_attribute`): the fields and properties of the
  document model, the loop helpers, and a short list of side-effect-free str, dict and list methods;
- every template file (and include) is read through files.read_text, so a symlink out of the
  template folder, a FIFO or an oversized file is refused, and each read is recorded for the input hash;
- a render is bounded (`RenderBudget`): loop iterations, calls and output characters have a ceiling,
  and so do the sizes `*`, `**`, `%` and the widening filters can produce; past it, a one-line error.
"""

from __future__ import annotations

import contextvars
import dataclasses
import hashlib
import os
import re
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import SecurityError
from jinja2.loaders import split_template_path
from jinja2.sandbox import SandboxedEnvironment
from pydantic import BaseModel

from builder.components.registry import registry
from builder.core import files
from builder.core.dates import DateSpan, PartialDate
from builder.core.errors import TeachpackError, did_you_mean
from builder.core.files import display_path
from builder.core.paths import TEMPLATES

BUILTIN_PREFIX = "builtin/"
_EXTENDS = re.compile(r"""\{%-?\s*extends\s+["']builtin/([^"']+)["']""")
_COMMENT = re.compile(r"\{#.*?#\}", re.DOTALL)
_CSS_UNSAFE = re.compile(r'[\\"\n\r\f]')

# One render's ceilings: far above what the built-in templates use (about 3,000 steps and 150,000
# characters for the example pack's largest document), far below what could stall a CI runner.
MAX_STEPS = 1_000_000  # loop passes plus calls (a macro call counts 10)
MAX_OUTPUT = 20_000_000  # characters printed, counting a loop body's text once per pass
MAX_VALUE = 5_000_000  # the largest string or list one operation may make
MAX_SECONDS = 30.0  # wall clock for one template render
_MAX_WIDTH = 10_000  # a width, count or padding given to a filter or a % format


def css_string(value: object) -> str:
    """Quote text as a CSS string literal (headers built from a pack's title)."""
    return '"' + _CSS_UNSAFE.sub(lambda m: f"\\{ord(m.group()):x} ", str(value)) + '"'


def file_uri(value: object) -> str:
    """A file path (the template context holds paths as strings) as a file: URL for src= and url()."""
    return Path(str(value)).as_uri()


class TemplateLimit(TeachpackError):
    """A template went past one of the render ceilings."""


class RenderBudget:
    """What one render may still spend; `spend` raises TemplateLimit past a ceiling."""

    def __init__(self) -> None:
        self.steps = 0
        self.output = 0
        self.deadline = time.monotonic() + MAX_SECONDS

    def spend(self, steps: int = 1, output: int = 0) -> None:
        self.steps += steps
        self.output += output
        if self.steps > MAX_STEPS:
            raise TemplateLimit(f"more than {MAX_STEPS:,} loop passes and calls; loop over the data, not over range()")
        if self.output > MAX_OUTPUT:
            raise TemplateLimit(f"more than {MAX_OUTPUT:,} characters of output; print less")
        if self.steps & 0x3FF < steps and time.monotonic() > self.deadline:
            raise TemplateLimit(f"took longer than {MAX_SECONDS:g} s; simplify its loops")


_budget: contextvars.ContextVar[RenderBudget | None] = contextvars.ContextVar("teachpack_render_budget", default=None)


def _spend(steps: int = 1, output: int = 0) -> None:
    budget = _budget.get()
    if budget is not None:
        budget.spend(steps, output)


def _bounded_loop(iterable: Iterable[Any], weight: int = 0) -> Iterator[Any]:
    """Every {% for %} loops through this (_BoundedCodeGenerator): each pass costs a step and
    the loop body's own text."""
    for item in iterable:
        _spend(1, weight)
        yield item


def _literal_size(node: nodes.Node) -> int:
    """Characters of plain template text in a loop body, not counting inner loops and macros (they count their own)."""
    total = 0
    for child in node.iter_child_nodes():
        if isinstance(child, nodes.TemplateData):
            total += len(child.data)
        elif not isinstance(child, (nodes.For, nodes.Macro, nodes.CallBlock)):
            total += _literal_size(child)
    return total


class _BoundedCodeGenerator(CodeGenerator):
    """Compiles every for loop's iterable as `environment.bounded_loop(<iterable>, <body text size>)`,
    so each pass of every loop is counted (Jinja itself iterates without asking the sandbox)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._loop_iterables: dict[int, int] = {}

    def visit_For(self, node: nodes.For, frame: Frame) -> None:  # noqa: N802 - Jinja's visitor API
        self._loop_iterables[id(node.iter)] = sum(_literal_size(child) for child in node.body)
        super().visit_For(node, frame)

    def visit(self, node: nodes.Node, *args: Any, **kwargs: Any) -> Any:
        weight = self._loop_iterables.pop(id(node), None)
        if weight is None:
            return super().visit(node, *args, **kwargs)
        self.write("environment.bounded_loop(")
        super().visit(node, *args, **kwargs)
        self.write(f", {weight})")
        return None


_STR_METHODS = frozenset({
    "capitalize", "casefold", "count", "endswith", "find", "index", "isalnum", "isalpha", "isdigit", "islower",
    "isspace", "istitle", "isupper", "join", "lower", "lstrip", "partition", "rfind", "rindex", "rpartition",
    "rsplit", "rstrip", "split", "splitlines", "startswith", "strip", "swapcase", "title", "upper",
})
_DICT_METHODS = frozenset({"get", "items", "keys", "values"})
_SEQUENCE_METHODS = frozenset({"count", "index"})
_MODEL_METHODS = {DateSpan: frozenset({"label"}), PartialDate: frozenset({"label"})}  # pure; for timeline labels
_JINJA_HELPERS = (jinja2.runtime.LoopContext, jinja2.runtime.Macro, jinja2.utils.Namespace, jinja2.utils.Cycler,
                  jinja2.utils.Joiner)


class _Sandbox(SandboxedEnvironment):
    """Jinja's sandbox with an allow-list of attributes and bounded operators, calls and loops."""

    code_generator_class = _BoundedCodeGenerator
    intercepted_binops = frozenset({"*", "**", "%", "+"})
    bounded_loop = staticmethod(_bounded_loop)

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if attr.startswith("_"):
            return False
        if isinstance(obj, str):
            return attr in _STR_METHODS
        if isinstance(obj, dict):
            return attr in _DICT_METHODS
        if isinstance(obj, (list, tuple)):
            return attr in _SEQUENCE_METHODS
        if isinstance(obj, _JINJA_HELPERS):
            return super().is_safe_attribute(obj, attr, value)
        if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
            return (attr in {f.name for f in dataclasses.fields(obj)} or _is_property(obj, attr)
                    or attr in _MODEL_METHODS.get(type(obj), ()))
        if isinstance(obj, BaseModel):
            return attr in type(obj).model_fields or _is_property(obj, attr)
        return False

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 - Jinja's API
        _spend(10 if isinstance(__obj, jinja2.runtime.Macro) else 1)
        return super().call(__context, __obj, *args, **kwargs)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            for sized, times in ((left, right), (right, left)):
                if isinstance(sized, (str, list, tuple)) and isinstance(times, int) and len(sized) * times > MAX_VALUE:
                    raise SecurityError(f"'*' would make a value of {len(sized) * times:,} items; "
                                        f"the limit is {MAX_VALUE:,}")
        elif operator == "**":
            if isinstance(right, (int, float)) and abs(right) > 64 and abs(left) not in (0, 1):
                raise SecurityError("'**' with an exponent over 64; use a smaller number")
        elif operator == "%" and isinstance(left, str):
            _check_format(left)
        result = super().call_binop(context, operator, left, right)
        if isinstance(result, (str, list, tuple)) and len(result) > MAX_VALUE:
            raise SecurityError(f"'{operator}' made a value of {len(result):,} items; the limit is {MAX_VALUE:,}")
        return result


def _is_property(obj: Any, attr: str) -> bool:
    return isinstance(getattr(type(obj), attr, None), property)


_FORMAT_WIDTH = re.compile(r"%[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")


def _check_format(text: str) -> None:
    for match in _FORMAT_WIDTH.finditer(text):
        for part in match.groups():
            if part == "*" or (part and int(part) > _MAX_WIDTH):
                raise SecurityError(f"a '%' format width over {_MAX_WIDTH:,} (or '*'); use a smaller width")


def _bounded_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """A built-in filter whose numeric arguments (widths, counts) and result are bounded."""

    def bounded(*args: Any, **kwargs: Any) -> Any:
        values = [*args, *kwargs.values()]
        for value in values:
            if isinstance(value, int) and not isinstance(value, bool) and abs(value) > _MAX_WIDTH and name != "int":
                raise SecurityError(f"filter '{name}' was given {value:,}; numbers given to filters must be at most "
                                    f"{_MAX_WIDTH:,}")
        if name == "format" and values and isinstance(values[0], str):
            _check_format(values[0])
        texts = [v for v in values if isinstance(v, str)]
        if name == "replace" and len(texts) >= 3 and texts[1] != texts[2]:
            grown = (texts[0].count(texts[1]) if texts[1] else len(texts[0]) + 1) * len(texts[2])
            if grown > MAX_VALUE:
                raise SecurityError(f"filter 'replace' would make {grown:,} characters; the limit is {MAX_VALUE:,}")
        result = function(*args, **kwargs)
        if isinstance(result, (str, list, tuple)) and len(result) > MAX_VALUE:
            raise SecurityError(f"filter '{name}' made a value of {len(result):,} items; the limit is {MAX_VALUE:,}")
        return result

    for marker in ("jinja_pass_arg",):  # keep pass_context / pass_environment / pass_eval_context
        if hasattr(function, marker):
            setattr(bounded, marker, getattr(function, marker))
    return bounded


def _finalize(value: Any) -> Any:
    """Every {{ expression }} passes here: its printed size counts against the render's output ceiling."""
    _spend(0, len(value) if isinstance(value, str) else 8)
    return value


class GuardedLoader(jinja2.BaseLoader):
    """Templates from `folders`, in order, each read through files.read_text (inside its own folder,
    regular files only, size-limited). Every use of a template, first load or cached, is recorded
    in the active read log, and so is each folder that was searched and did not have it."""

    def __init__(self, folders: Iterable[Path]) -> None:
        self.folders = tuple(Path(f) for f in folders)

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        pieces = split_template_path(template)  # refuses '..' and absolute names
        missed = []
        for folder in self.folders:
            path = folder.joinpath(*pieces)
            if not os.path.lexists(path):
                missed.append(path)
                continue
            data = files.read_bytes(path, [folder], "template", display_path(path))
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                raise files.FileRefused(f"{display_path(path)}: is not UTF-8 text (byte {exc.start}); "
                                        "save it as UTF-8") from None
            for absent in missed:
                files.remember(absent, None)
            digest = hashlib.sha256(data).hexdigest()
            mtime = os.stat(path).st_mtime_ns

            def uptodate(path: Path = path, mtime: int = mtime, digest: str = digest,
                         missed: tuple[Path, ...] = tuple(missed)) -> bool:
                try:
                    current = os.stat(path).st_mtime_ns == mtime and not any(os.path.lexists(m) for m in missed)
                except OSError:
                    return False
                if current:  # a cached template is used again: this render read it too
                    for absent in missed:
                        files.remember(absent, None)
                    files.remember(path, digest)
                return current

            return text, str(path), uptodate
        raise jinja2.TemplateNotFound(template)


@cache
def environment(dirs: tuple[Path, ...] = ()) -> jinja2.Environment:
    """A sandboxed environment over `dirs` then the built-ins; autoescaped HTML; undefined is an error."""
    loader = jinja2.ChoiceLoader([
        jinja2.PrefixLoader({BUILTIN_PREFIX.rstrip("/"): GuardedLoader([TEMPLATES])}),
        GuardedLoader([*dirs, TEMPLATES, *registry().template_dirs]),  # a plugin's own templates last
    ])
    env = _Sandbox(
        loader=loader,
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "svg", "xml"), default_for_string=True),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        finalize=_finalize,
    )
    for name in ("random", "pprint"):  # not reproducible / prints Python internals
        env.filters.pop(name, None)
    env.globals.pop("lipsum", None)
    for name, function in list(env.filters.items()):
        env.filters[name] = _bounded_filter(name, function)
    env.filters["css_string"] = css_string
    env.filters["uri"] = file_uri
    return env


def render_template(name: str, context: dict[str, Any], dirs: tuple[Path, ...], block: str | None = None) -> str:
    """Render template `name` (or only its `block`, as the template that wins overrides it) within the
    render ceilings; any failure is one TeachpackError line."""
    token = _budget.set(RenderBudget())
    try:
        template = environment(dirs).get_template(name)
        if block is None:
            return template.render(context)
        return _render_block(template, block, context)
    except TemplateLimit as exc:
        raise TeachpackError(f"{_template_frame(exc)}: template stopped: it {exc}") from None
    except TeachpackError:
        raise
    except Exception as exc:  # a template is user code: anything it raises is the user's to fix
        raise template_error(exc, dirs) from None
    finally:
        _budget.reset(token)


def _render_block(template: jinja2.Template, block: str, context: dict[str, Any]) -> str:
    """The output of one block of `template`: the whole template is run first, so that each {% extends %}
    has put its blocks in place, and then the block that wins (a workspace's override, else the built-in)."""
    run = template.new_context(context)
    for _ in template.root_render_func(run):
        pass
    if block not in run.blocks:
        raise TeachpackError(f"{template.filename}: has no block '{block}'; keep the built-in blocks "
                             "(docs/templates.md)")
    return "".join(run.blocks[block][0](run))


def template_source(name: str, dirs: tuple[Path, ...]) -> tuple[str, str]:
    """The source of template `name` (e.g. pack.css) from the template path, and the file it came from."""
    env = environment(dirs)
    try:
        assert env.loader is not None  # environment() always gives one
        source, filename, _ = env.loader.get_source(env, name)
    except TeachpackError:
        raise
    except jinja2.TemplateError as exc:
        raise template_error(exc, dirs) from None
    return source, filename or name


def template_error(exc: Exception, dirs: tuple[Path, ...]) -> TeachpackError:
    """One line for a template problem: the file and line, what went wrong, what to do."""
    if isinstance(exc, jinja2.TemplateNotFound):
        searched = ", ".join([*(str(d) for d in dirs), f"{TEMPLATES} (built-in)"])
        return TeachpackError(f"template '{exc.name}' not found; searched {searched}")
    if isinstance(exc, jinja2.TemplateSyntaxError):
        where = f"{_shown(exc.filename) if exc.filename else exc.name}:{exc.lineno}"
        return TeachpackError(f"{where}: template syntax error: {exc.message}; fix the template")
    where = _template_frame(exc)
    if isinstance(exc, RecursionError):
        return TeachpackError(f"{where}: template error: a macro or include calls itself without end; "
                              "give the recursion a stopping case")
    message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    if isinstance(exc, jinja2.UndefinedError):
        hint = "; check the spelling against docs/templates.md"
    elif isinstance(exc, SecurityError):
        hint = "; templates may use only the data documented in docs/templates.md"
    elif not isinstance(exc, jinja2.TemplateError):
        message, hint = f"{type(exc).__name__}: {message}", "; fix the expression on that line"
    else:
        hint = ""
    return TeachpackError(f"{where}: template error: {message.rstrip('.')}{hint}")


def _shown(filename: str) -> str:
    """A template file as the user would name it (relative to the current folder when inside it)."""
    return display_path(Path(filename))


def _template_frame(exc: Exception) -> str:
    """The innermost traceback frame that is a template file (Jinja maps its frames to template lines)."""
    found = "template"
    tb = exc.__traceback__
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name.endswith((".html", ".css", ".svg")):
            found = f"{_shown(name)}:{tb.tb_lineno}"
        tb = tb.tb_next
    return found


@dataclass(frozen=True)
class TemplateInfo:
    name: str
    source: Path  # the file that wins
    shadows: bool  # a user file hides a built-in of the same name
    extends_builtin: bool  # ...and builds on it with {% extends "builtin/<name>" %}
    docx: str = "no"  # what the DOCX takes from it: "no" (PDF only), "yes", "only" (reference.docx), "blocks"
    blocks: tuple[tuple[str, bool], ...] = ()  # each block, and whether the DOCX prints its words too


def list_templates(dirs: tuple[Path, ...]) -> list[TemplateInfo]:
    """Every template name, the file that wins, whether it overrides or extends a built-in, and what of
    it reaches the DOCX (ComponentKind.docx_blocks and .drawing; the rest is the PDF's alone)."""
    builtin = {p.name for p in builtin_templates()}
    names: dict[str, Path] = {}
    for folder in [*dirs, TEMPLATES]:
        for path in sorted(folder.iterdir()):
            if path.is_file() and path.suffix in (".html", ".css", ".svg", ".docx") and path.name not in names:
                names[path.name] = path
    kinds = registry().components.values()
    drawings = {kind.drawing for kind in kinds if kind.drawing}
    docx_blocks = {kind.template: set(kind.docx_blocks) for kind in kinds if kind.docx_blocks}
    out = []
    for name, path in sorted(names.items()):
        user = path.parent != TEMPLATES
        text = _readable(path) if user and path.suffix != ".docx" else ""
        blocks = _blocks(TEMPLATES / name if name in builtin else path, dirs) + _blocks(path, dirs) if user \
            else _blocks(path, dirs)
        taken = docx_blocks.get(name, set())
        if name == "reference.docx":
            docx = "only"
        elif name in drawings:
            docx = "yes"
        else:
            docx = "blocks" if taken else "no"
        out.append(TemplateInfo(name, path, user and name in builtin, bool(_EXTENDS.search(_COMMENT.sub("", text))),
                                docx, tuple((block, block in taken) for block in dict.fromkeys(blocks))))
    return out


def _readable(path: Path) -> str:
    try:
        return files.read_text(path, [path.parent], "template")
    except files.FileRefused:
        return ""  # listed as it is; a build that uses it says why it is refused


def _blocks(path: Path, dirs: tuple[Path, ...]) -> list[str]:
    """The names of the blocks a template file defines, in order ([] for CSS, a DOCX or a file that does not parse)."""
    if path.suffix not in (".html", ".svg"):
        return []
    text = _readable(path) if path.parent != TEMPLATES else path.read_text(encoding="utf-8")
    try:
        tree = environment(dirs).parse(text)
    except jinja2.TemplateSyntaxError:
        return []  # a build that uses it names the line
    return [block.name for block in tree.find_all(nodes.Block)]


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
    try:
        to.mkdir(parents=True, exist_ok=True)
        for source, target in zip(chosen, targets, strict=False):
            shutil.copyfile(source, target)
    except OSError as exc:
        raise TeachpackError(f"--to {to}: cannot copy templates there ({exc.strerror}); give a folder") from None
    return targets
