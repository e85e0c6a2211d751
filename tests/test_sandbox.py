"""The resource sandbox: no network, no file outside the pack and template folders, during any command."""

from __future__ import annotations

import http.server
import io
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest

from builder import PackError, TeachpackError, build_pack, check_pack, load_pack
from builder.render.pdf.sandbox import Sandbox

from .conftest import REPO, pdf_text

SECRET = "TOP-SECRET-7f3a"


@pytest.fixture
def server() -> Iterator[tuple[str, list[str]]]:
    """An HTTP server on 127.0.0.1 (random port, in a thread) that records every request it gets."""
    requests: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the http.server API
            requests.append(self.path)
            body = b"p { color: red }" if self.path.endswith(".css") else SECRET.encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.timeout = 5
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", requests
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


def hostile_pack(make_pack, tmp_path: Path, url: str) -> Path:
    """A pack whose workspace template and article name the server, /etc/passwd, ../../secret.txt,
    a symlink out of the pack and file:///etc/hostname."""
    (tmp_path / "secret.txt").write_text(SECRET, encoding="utf-8")
    folder = make_pack(
        changes={"sections": None, "contents": ["cover", "article", {"template": "leak.html", "title": "Leak"}]},
        article=f"## One\n\nSee [the site]({url}/page) and [a file](file:///etc/passwd) "
        f"and <img src=\"{url}/raw.png\">.\n",
    )
    (folder / "link.txt").symlink_to(tmp_path / "secret.txt")
    templates = folder.parent / "templates"
    templates.mkdir()
    (templates / "leak.html").write_text(
        f'<section id="{{{{ component.name }}}}"><h1>{{{{ component.title }}}}</h1>'
        f'<style>@import url("{url}/theme.css"); .a {{ background: url(file:///etc/hostname) }}</style>'
        f'<link rel="stylesheet" href="{url}/linked.css">'
        f'<img src="{url}/logo.png" alt="remote"><img src="/etc/passwd" alt="passwd">'
        '<img src="../../secret.txt" alt="secret"><img src="link.txt" alt="symlink">'
        '<object data="file:///etc/hostname"></object>'
        '<svg width="10" height="10"><title>a map</title><image href="file:///etc/passwd" width="10" height="10"/></svg>'
        '<p class="a">Map work</p></section>',
        encoding="utf-8",
    )
    return folder


REFUSED = ["/theme.css", "file:///etc/hostname", "/linked.css", "/logo.png", "/etc/passwd", "../../secret.txt",
           "link.txt"]


def test_no_network_and_no_file_leaks(make_pack, tmp_path: Path, server: tuple[str, list[str]]) -> None:
    url, requests = server
    folder = hostile_pack(make_pack, tmp_path, url)
    out = tmp_path / "dist"
    result = build_pack([folder], out=out, levels=["high"], editions=["student"])
    assert requests == []  # not one request, from any template, stylesheet or link
    refused = [w for w in result.warnings if "left out of the PDF" in w.message]
    assert {w.code for w in refused} == {"TP401"} and {w.file for w in refused} <= {"pack/pack.yaml", f"{folder}/pack.yaml"}
    warnings = [w.message for w in refused]
    for reference in REFUSED:
        assert any(reference in w for w in warnings), (reference, warnings)
    assert any("(network access is off)" in w for w in warnings)
    assert any("(outside the pack and template folders)" in w for w in warnings)
    for path in (out / "pack").iterdir():
        data = path.read_bytes()
        assert SECRET.encode() not in data and b"root:x:0:0" not in data
        if path.suffix == ".docx":
            text = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
            assert SECRET not in text and "root:x" not in text
    text = pdf_text(out / "pack" / "pack-high-student.pdf")
    assert "Map work" in text and "<img" in text  # raw HTML in the article prints as text, fetched by nobody
    assert SECRET not in text and "root:x" not in text


def test_strict_refuses_before_writing(make_pack, tmp_path: Path, server: tuple[str, list[str]]) -> None:
    url, requests = server
    folder = hostile_pack(make_pack, tmp_path, url)
    with pytest.raises(TeachpackError, match=r"warning\(s\) and --strict is set; nothing was written"):
        build_pack([folder], out=tmp_path / "dist", levels=["high"], strict=True)
    assert requests == [] and not (tmp_path / "dist").exists()


def test_check_reports_the_same_refusals(make_pack, tmp_path: Path, server: tuple[str, list[str]]) -> None:
    url, requests = server
    folder = hostile_pack(make_pack, tmp_path, url)
    messages = [w.message for w in check_pack(folder).warnings]
    assert requests == []
    refused = [m for m in messages if "left out of the PDF" in m]
    assert len(refused) == len(REFUSED) + 2  # and the <object> and the SVG <image>
    assert not any("/page" in m for m in messages)  # a link is never fetched, so never refused


@pytest.mark.parametrize(
    "article,expected",
    [
        ("![x](/etc/passwd)\n", "image '/etc/passwd' is outside the pack folder; copy it into pack/images/"),
        ("![x](../../secret.txt)\n", "image '../../secret.txt' is outside the pack folder; copy it into pack/images/"),
        ("![x](https://example.org/x.png)\n", "image 'https://example.org/x.png' is not a file in the pack; copy it "
         "into images/ and link to that"),
        ("![x](link.png)\n", "image 'link.png' is outside the pack folder; copy it into pack/images/"),
    ],
    ids=["absolute", "dotdot", "remote", "symlink"],
)
def test_article_images_outside_the_pack_are_errors(make_pack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     article: str, expected: str) -> None:
    (tmp_path / "secret.png").write_bytes(b"\x89PNG\r\n\x1a\n" + SECRET.encode())
    folder = make_pack(changes={"sections": None}, article="## One\n\n" + article)
    (folder / "link.png").symlink_to(tmp_path / "secret.png")
    monkeypatch.chdir(folder.parent)
    with pytest.raises(PackError) as caught:
        load_pack(folder)
    assert [str(p) for p in caught.value.problems] == [f"pack/article.md:3: {expected}"]


def test_file_and_script_urls_in_the_article_print_as_text(make_pack) -> None:
    """Markdown refuses file:, javascript: and data: targets itself: they stay literal text, never a link."""
    pack = load_pack(make_pack(changes={"sections": None}, article="## One\n\n![x](file:///etc/hostname) "
                               "[y](javascript:alert(1)) [z](data:text/html,hi)\n"))
    parsed = pack.article
    runs = parsed.sections[0].blocks[0].runs
    assert parsed.images == () and all(run.href is None for run in runs)
    assert "".join(run.text for run in runs) == "![x](file:///etc/hostname) [y](javascript:alert(1)) [z](data:text/html,hi)"


def test_logo_symlink_out_of_the_pack(make_pack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "secret.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    folder = make_pack(changes={"theme": {"logo": "logo.png"}})
    (folder / "logo.png").symlink_to(tmp_path / "secret.png")
    monkeypatch.chdir(folder.parent)
    with pytest.raises(PackError, match=r"pack/pack.yaml:\d+: theme.logo: 'logo.png' is outside pack/; copy the "
                                        "logo into it"):
        load_pack(folder)


def test_sandbox_rule(tmp_path: Path) -> None:
    inside = tmp_path / "pack"
    inside.mkdir()
    (inside / "up").symlink_to(tmp_path)
    box = Sandbox((inside.resolve(),))
    assert box.refusal((inside / "a.png").as_uri()) is None
    assert box.refusal("data:image/png;base64,iVBORw0KGgo=") is None
    assert box.refusal((inside / "up" / "x.png").as_uri()) == "outside the pack and template folders"
    assert box.refusal((inside / ".." / "x.png").as_uri()) == "outside the pack and template folders"
    assert box.refusal("https://example.org/x.png") == "network access is off"
    assert box.refusal("file://server/share/x.png") == "a file on another machine"
    assert box.refusal("ftp://example.org/x") == "network access is off"
    assert box.refusal("javascript:alert(1)") == "'javascript' is not a file or data: URI"
    assert os.path.sep == "/"  # the file: URIs above are POSIX ones


def test_workspace_reference_docx_linking_out_is_refused(tmp_path: Path, make_pack) -> None:
    pack = make_pack()
    secret = tmp_path / "elsewhere" / "reference.docx"
    secret.parent.mkdir()
    secret.write_bytes((REPO / "templates" / "reference.docx").read_bytes())
    (pack.parent / "templates").mkdir()
    (pack.parent / "templates" / "reference.docx").symlink_to(secret)
    with pytest.raises(TeachpackError, match="a link to a file outside .*; copy the reference .docx into the folder"):
        build_pack([pack], out=tmp_path / "out", formats=["docx"])
    assert not (tmp_path / "out").exists()
