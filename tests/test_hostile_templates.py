"""Hostile templates: they see data, never capabilities; every render is bounded; every failure is one line."""

from __future__ import annotations

import dataclasses
import os
import string
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from builder import TeachpackError, load_pack
from builder.core import files
from builder.render.html.page import render_html, template_context, template_view
from builder.render.html.templates import GuardedLoader, environment, render_template
from builder.resolve.document import resolve, styling

from .conftest import EXAMPLE

SECRET = "TOP-SECRET-91c2"


def documents(pack_dir: Path, template_dirs: tuple[Path, ...] = ()) -> list[Any]:
    pack = load_pack(pack_dir)
    return [resolve(pack, level, edition, look=styling(pack, template_dirs))
            for level in pack.levels for edition in ("student", "teacher")]


def walk(value: Any, where: str, seen: set[int]) -> list[str]:
    """Every place in `value` holding something a template should not have: a path, a file, any object
    that is not plain data, a frozen dataclass of plain data or a pydantic model of plain data."""
    if id(value) in seen:
        return []
    seen.add(id(value))
    if isinstance(value, (str, int, float, bool, type(None))):
        return []
    if isinstance(value, (tuple, list)):
        return [bad for i, item in enumerate(value) for bad in walk(item, f"{where}[{i}]", seen)]
    if isinstance(value, dict):
        return [bad for key, item in value.items() for bad in walk(item, f"{where}[{key!r}]", seen)]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        problems = [] if type(value).__dataclass_params__.frozen else [f"{where}: a mutable {type(value).__name__}"]
        return problems + [bad for f in dataclasses.fields(value)
                           for bad in walk(getattr(value, f.name), f"{where}.{f.name}", seen)]
    if isinstance(value, BaseModel):
        return [bad for name in type(value).model_fields for bad in walk(getattr(value, name), f"{where}.{name}", seen)]
    return [f"{where}: {type(value).__module__}.{type(value).__name__}"]


def test_every_component_context_is_plain_data() -> None:
    """The whole context of every document of the example pack (every component, both editions)."""
    for document in documents(EXAMPLE):
        context = template_context(document, lambda items: items, lambda items: items)
        helpers = {name for name, value in context.items() if callable(value)}
        assert helpers == {"timeline_layout", "glossary_pages", "answer_lines", "template_of", "item_template",
                           "key_template"}
        problems = walk({k: v for k, v in context.items() if k not in helpers}, "context", set())
        assert problems == []
        names = {component.name for component in context["doc"].components}
        assert {"cover", "article", "glossary", "timeline", "worksheet"} <= names
        figures = [b for c in context["doc"].components if c.name == "article" for s in c.sections for b in s.blocks
                   if getattr(b, "kind", "") == "figure"]
        assert all(isinstance(f.path, str) for f in figures)


def test_the_layout_helpers_return_plain_data() -> None:
    document = documents(EXAMPLE)[2]
    html, _ = render_html(document, 650, 900)  # the helpers ran inside the real templates
    assert "<svg" in html
    seen: list[Any] = []
    from builder.render.html import page as html_module

    timeline = next(c for c in document.components if c.name == "timeline")
    layout = html_module.template_view(html_module.layout_timeline(timeline.items, 600, 600))
    seen.append(layout)
    assert walk(seen, "layout", set()) == []


def workspace_template(make_pack, body: str, name: str = "probe.html") -> Path:
    """A pack whose workspace has a custom component template `name` with `body`."""
    pack = make_pack(changes={"contents": ["cover", {"template": name, "title": "Probe"}]})
    folder = pack.parent / "templates"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(body, encoding="utf-8")
    return pack


def rendered(pack: Path) -> str:
    document = documents(pack, ())[0]
    return render_html(document, 650, 900)[0]


CAPABILITIES = [
    '{{ (doc.base_dir ~ "/x") }}{{ doc.base_dir.read_text() }}',
    '{{ (doc.base_dir / "/etc/hostname").read_text() }}',
    "{{ doc.styling.theme.logo.write_text('x') }}",
    "{{ doc.components[1].sections[0].blocks[0].path.unlink() }}",
    "{{ doc.level.model_copy() }}",
    "{{ doc.__class__.__init__.__globals__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ doc.styling.template_dirs[0].chmod(511) }}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{{ '{0.__class__}'.format(doc) }}",
    "{{ doc.created.strftime('%Y') }}",
]


@pytest.mark.parametrize("body", CAPABILITIES)
def test_templates_cannot_reach_files_or_code(make_pack, tmp_path: Path, body: str) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    pack = workspace_template(make_pack, body.replace("/etc/hostname", str(secret)))
    before = sorted(p.name for p in pack.iterdir())
    with pytest.raises(TeachpackError) as caught:
        rendered(pack)
    message = str(caught.value)
    assert "\n" not in message and "probe.html:1: template error" in message
    assert SECRET not in message
    assert sorted(p.name for p in pack.iterdir()) == before and secret.read_text() == SECRET


LIMITS = [
    ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
     "template stopped: it more than 1,000,000 loop passes and calls"),
    ("{% set s = 'x' * 100000 %}{% for a in s %}{% for b in s %}{% endfor %}{% endfor %}",
     "template stopped: it more than 1,000,000 loop passes and calls"),
    ("{{ 'x' * 1000000000 }}", "'*' would make a value of 1,000,000,000 items"),
    ("{{ [1] * 100000000 }}", "'*' would make a value of 100,000,000 items"),
    ("{{ 2 ** 100000000 }}", "'**' with an exponent over 64"),
    ("{{ '%999999999d' % 1 }}", "a '%' format width over 10,000"),
    ("{{ 'x'|center(1000000000) }}", "filter 'center' was given 1,000,000,000"),
    ("{{ 'x'|indent(1000000000) }}", "filter 'indent' was given 1,000,000,000"),
    ("{{ ('x' * 4000000)|replace('x', 'yy') }}", "filter 'replace' would make 8,000,000 characters"),
    ("{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}", "a macro or include calls itself without end"),
    ("{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(40) }}",
     "template stopped: it more than 1,000,000 loop passes and calls"),
    ("{% for i in range(100000) %}{% for j in range(19) %}" + "x" * 200 + "{% endfor %}{% endfor %}",
     "template stopped: it more than 20,000,000 characters of output"),
    ("{{ 1/0 }}", "template error: ZeroDivisionError: division by zero; fix the expression on that line"),
    ("{{ 'a' + 1 }}", "template error: TypeError"),
    ("{{ no_such_thing }}", "'no_such_thing' is undefined; check the spelling against docs/templates.md"),
    ("{{ lipsum(1000000000) }}", "'lipsum' is undefined"),
    ("{{ range(10)|random }}", "No filter named 'random'"),
]


@pytest.mark.parametrize(("body", "expected"), LIMITS, ids=[f"limit-{i}" for i in range(len(LIMITS))])
def test_template_work_is_bounded(make_pack, body: str, expected: str) -> None:
    pack = workspace_template(make_pack, body)
    with pytest.raises(TeachpackError) as caught:
        rendered(pack)
    message = str(caught.value)
    assert expected in message and "probe.html" in message and "\n" not in message


def test_a_symlinked_include_cannot_leak(make_pack, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    pack = workspace_template(make_pack, '{% include "leak.html" %}')
    (pack.parent / "templates" / "leak.html").symlink_to(secret)
    with pytest.raises(TeachpackError, match=r"templates/leak.html: is outside the folders teachpack may read"):
        rendered(pack)
    (pack.parent / "templates" / "leak.html").unlink()
    (pack.parent / "templates" / "leak.html").symlink_to("/proc/self/environ")
    with pytest.raises(TeachpackError, match=r"leak.html: is outside the folders"):
        rendered(pack)


def test_a_fifo_template_does_not_hang(make_pack) -> None:
    pack = workspace_template(make_pack, '{% include "pipe.html" %}')
    os.mkfifo(pack.parent / "templates" / "pipe.html")
    with pytest.raises(TeachpackError, match=r"pipe.html: is not a regular file \(a folder, pipe or device\)"):
        rendered(pack)


def test_an_oversized_template_is_refused(make_pack, monkeypatch: pytest.MonkeyPatch) -> None:
    pack = workspace_template(make_pack, "<p>" + "x" * 2_000_000 + "</p>")
    with pytest.raises(TeachpackError, match=r"probe.html: is over the 1 MB limit for a template; make it smaller, "
                                             "or raise TEACHPACK_MAX_TEMPLATE_MB"):
        rendered(pack)
    monkeypatch.setenv("TEACHPACK_MAX_TEMPLATE_MB", "3")
    assert "x" * 1000 in rendered(pack)


def teachpack(*args: str | Path) -> tuple[int, str]:
    """The real command in a fresh process: its exit code and what it printed on stderr."""
    done = subprocess.run([sys.executable, "-m", "builder", *map(str, args)], capture_output=True, text=True,
                          timeout=300)
    assert "Traceback" not in done.stderr, done.stderr
    return done.returncode, done.stderr


ONE = ("--format", "pdf", "--level", "elementary", "--edition", "student", "--jobs", "1")


@pytest.mark.parametrize("body", ["{{ 1/0 }}", '<img src="file:///etc/%00hostname" alt="x">{{ doc.base_dir.read_text() }}'])
def test_cli_template_errors_are_one_line_exit_2(make_pack, tmp_path: Path, body: str) -> None:
    pack = workspace_template(make_pack, body)
    code, err = teachpack("build", pack, "--out", tmp_path / "out", "--format", "pdf")
    assert code == 2, err
    assert err.startswith("error: ") and len(err.splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_nul_byte_in_a_template_url_is_a_warning(make_pack, tmp_path: Path) -> None:
    pack = workspace_template(make_pack, '<img src="images/%00x.png" alt="x"><p>{{ component.title }}</p>')
    code, err = teachpack("build", pack, "--out", tmp_path / "out", *ONE)
    assert code == 0, err
    assert "not a usable file name" in err


def test_attachments_are_reported_and_never_embedded(make_pack, tmp_path: Path) -> None:
    pack = workspace_template(make_pack, '<a rel="attachment" href="pack.yaml">the pack file</a>'
                                         '<a rel="attachment" href="file:///etc/hostname">host</a>')
    out = tmp_path / "out"
    code, err = teachpack("build", pack, "--out", out, "--format", "pdf", "--strict")
    assert code == 2 and 'rel="attachment"' in err and not out.exists()
    code, err = teachpack("build", pack, "--out", out, *ONE)
    assert code == 0, err
    assert err.count("a file attachment") == 2
    pdf = next(out.rglob("*.pdf")).read_bytes()
    assert b"EmbeddedFile" not in pdf and b"/FileAttachment" not in pdf


def test_template_reads_are_recorded(make_pack) -> None:
    pack = workspace_template(make_pack, "<p>probe</p>")
    document = documents(pack)[0]
    with files.recording() as first:
        render_html(document, 650, 900)
    with files.recording() as second:  # templates now come from the cache: still recorded
        render_html(document, 650, 900)
    probe = str((pack.parent / "templates" / "probe.html").resolve())
    assert first.files[probe] and second.files[probe] == first.files[probe]
    assert second.files == first.files
    assert first.files[str((pack.parent / "templates" / "cover.html").resolve())] is None  # looked for, absent


# Property tests: random file trees and random template expressions never reach outside.

NAMES = st.text(string.ascii_lowercase, min_size=1, max_size=6)
ENTRY = st.one_of(
    st.tuples(st.just("file"), NAMES),
    st.tuples(st.just("link-out"), NAMES),
    st.tuples(st.just("link-proc"), NAMES),
    st.tuples(st.just("link-in"), NAMES),
    st.tuples(st.just("fifo"), NAMES),
    st.tuples(st.just("dir"), NAMES),
    st.tuples(st.just("loop"), NAMES),
)


@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(entries=st.lists(ENTRY, min_size=1, max_size=8), depth=st.integers(0, 2))
def test_guarded_reads_never_leave_the_root(tmp_path_factory: pytest.TempPathFactory, entries: list, depth: int) -> None:
    base = tmp_path_factory.mktemp("tree")
    outside = base / "outside.txt"
    outside.write_text(SECRET, encoding="utf-8")
    root = base / "root"
    folder = root.joinpath(*["sub"] * depth)
    folder.mkdir(parents=True)
    (root / "real.txt").write_text("inside", encoding="utf-8")
    made = []
    for kind, name in entries:
        path = folder / name
        if os.path.lexists(path):
            continue
        made.append(path)
        if kind == "file":
            path.write_text("inside", encoding="utf-8")
        elif kind == "link-out":
            path.symlink_to(outside)
        elif kind == "link-proc":
            path.symlink_to("/proc/self/environ")
        elif kind == "link-in":
            path.symlink_to(root / "real.txt")
        elif kind == "fifo":
            os.mkfifo(path)
        elif kind == "dir":
            path.mkdir()
        else:
            path.symlink_to(path)
    for path in made:
        try:
            data = files.read_bytes(path, [root], "template")
        except files.FileRefused as exc:
            assert SECRET not in str(exc) and "\n" not in str(exc)
            continue
        assert data == b"inside"


ROOTS_ = ["doc", "doc.styling", "doc.styling.theme", "doc.level", "doc.components", "doc.components[0]",
          "doc.styling.template_dirs", "cycler", "joiner", "namespace", "range", "answer_lines", "'text'", "loop"]
STEPS = ["__class__", "__globals__", "__mro__", "__subclasses__()", "__init__", "read_text()", "resolve()",
         "as_uri()", "parent", "open()", "model_dump()", "__dict__", "mro()", "base_dir", "logo", "title",
         "format('x')", "__reduce__()", "gi_frame", "f_globals", "__builtins__", "[0]", "items()", "os"]


@settings(max_examples=120, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(root=st.sampled_from(ROOTS_), steps=st.lists(st.sampled_from(STEPS), min_size=1, max_size=4))
def test_no_attribute_chain_reaches_a_capability(root: str, steps: list[str]) -> None:
    """Any chain of attribute accesses and calls on the context renders plain text or is one clean error."""
    document = _first_document()
    chain = root + "".join(s if s.startswith("[") else f".{s}" for s in steps)
    source = f"{{% for loop_ in [1] %}}{{{{ {chain} }}}}{{% endfor %}}".replace("loop.", "loop_.")
    context = template_context(document, lambda items: items, lambda items: items)
    try:
        output = environment(()).from_string(source).render(context)
    except Exception as exc:  # the sandbox's refusal or a plain error: either way, nothing was reached
        assert "posix" not in str(exc).lower() or "PosixPath" not in str(exc)
        return
    # A bound str method or our own helper may print as its repr; a path, a module, a namespace of
    # globals or a class hierarchy never may.
    for leaked in ("PosixPath", "<module", "__builtins__", "'__name__'", "<class", "/etc/", "environ"):
        assert leaked not in output, (chain, output)


_cached: list[Any] = []


def _first_document() -> Any:
    if not _cached:
        _cached.append(documents(EXAMPLE)[0])
    return _cached[0]


def test_the_loader_refuses_parent_paths(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "secret.html").write_text(SECRET)
    import jinja2

    with pytest.raises(jinja2.TemplateNotFound):
        GuardedLoader([tmp_path / "a"]).get_source(environment(()), "../secret.html")


def test_template_view_keeps_what_templates_need() -> None:
    document = _first_document()
    view = template_view(document)
    assert view.stem == document.stem and view.edition_label == document.edition_label
    assert view.base_dir == str(document.base_dir) and isinstance(view.created, str)
    assert render_template("cover.html", {**template_context(document, None, None), "component": view.components[0]},
                           ()) .count("<section") == 1


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_a_picture_swapped_for_a_link_after_loading_is_not_read(make_pack, tmp_path: Path, fmt: str) -> None:
    """Between the checks at load time and the render, a picture becomes a link to a secret: both
    renderers read it through the guarded reader again, so the secret never reaches the file."""
    from builder.render import get_renderer

    from .conftest import REPO

    secret = tmp_path / "secret.png"
    secret.write_bytes((REPO / "examples" / "district-theme" / "logo.png").read_bytes() + SECRET.encode())
    pack = make_pack(changes={"sections": None}, article="## One\n\n![A map of the region](images/map.png)\n\nText.\n")
    (pack / "images").mkdir(exist_ok=True)
    (pack / "images" / "map.png").write_bytes((REPO / "examples" / "district-theme" / "logo.png").read_bytes())
    document = documents(pack)[0]
    (pack / "images" / "map.png").unlink()
    (pack / "images" / "map.png").symlink_to(secret)
    renderer = get_renderer(fmt)
    if fmt == "docx":
        with pytest.raises(TeachpackError, match=r"map.png: is outside the folders teachpack may read"):
            renderer.render(document)
    else:  # WeasyPrint leaves a refused picture out; the pre-build scan names it (tested in test_sandbox)
        assert SECRET.encode() not in renderer.render(document)


def test_a_fifo_named_by_a_template_or_stylesheet_is_a_warning_not_a_hang(make_pack, tmp_path: Path) -> None:
    pack = workspace_template(make_pack, '<style>@import url("pipe.css");</style><img src="pipe.png" alt="x">'
                                         '<p>{{ component.title }}</p>')
    os.mkfifo(pack / "pipe.png")
    os.mkfifo(pack / "pipe.css")
    code, err = teachpack("build", pack, "--out", tmp_path / "out", *ONE)
    assert code == 0, err
    assert err.count("(not a regular file (a folder, pipe or device))") == 2
    code, err = teachpack("build", pack, "--out", tmp_path / "strict", *ONE, "--strict")
    assert code == 2 and not (tmp_path / "strict").exists()


HOSTILE_TEXT = st.one_of(
    st.sampled_from(["{{ 7*7 }}", "{% for x in range(9) %}x{% endfor %}", "</style><script>alert(1)</script>",
                     "file:///etc/passwd", "/proc/self/environ", '"; background: url(file:///etc/hostname); "',
                     "\u202e evil", "<img src=x onerror=alert(1)>"]),
    st.text(min_size=1, max_size=40),
)


@settings(max_examples=30, deadline=None, derandomize=True)
@given(title=HOSTILE_TEXT, school=HOSTILE_TEXT)
def test_hostile_text_in_the_context_is_data_not_template_or_markup(title: str, school: str) -> None:
    """Whatever a pack's text holds, it reaches templates as data: never evaluated, always escaped."""
    document = _first_document()
    theme = dataclasses.replace(document.styling.theme, school=school)
    document = dataclasses.replace(document, title=title, styling=dataclasses.replace(document.styling, theme=theme))
    context = template_context(document, lambda items: items, lambda items: items)
    assert walk({"doc": context["doc"]}, "doc", set()) == []
    html, css = render_html(document, 650, 900)
    for text in (title, school):
        if "<script" in text:
            assert "<script" not in html
        if text == "{{ 7*7 }}":
            assert "{{ 7*7 }}" in html  # printed as written, not evaluated
    from builder.render.pdf.sandbox import Sandbox, scan

    base = Path(document.base_dir).as_uri() + "/"
    found = scan(Sandbox.for_document(document), html, base, [("page.css", css, base)])
    assert not [f for f in found if "/etc/" in f.reference]  # inside a CSS string it is text, not a url()


def test_every_pdf_records_the_font_files_its_stylesheet_loads(make_pack, tmp_path: Path) -> None:
    """pack.css is parsed once per process, but each PDF that uses it lists its @font-face files as inputs."""
    from builder import build_pack
    from builder.core.paths import TEMPLATES
    from builder.release.manifest import read_manifest

    pack = make_pack()
    folder = pack.parent / "templates"
    folder.mkdir()
    (folder / "house.ttf").write_bytes(Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf").read_bytes())
    (folder / "pack.css").write_text('@font-face { font-family: House; src: url("house.ttf"); }\n'
                                     + (TEMPLATES / "pack.css").read_text(encoding="utf-8")
                                     + "\nbody { font-family: House; }\n", encoding="utf-8")
    build_pack([pack], out=tmp_path / "dist", formats=["pdf"], editions=["student"], jobs=1)
    entries = read_manifest(tmp_path / "dist")
    assert len(entries) == 2  # the basic pack has two levels
    for entry in entries.values():
        assert entry.reads.get("workspace:templates/house.ttf"), entry.path
