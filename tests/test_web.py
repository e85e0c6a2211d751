"""HTTP-level tests of every route of the workbench (`teachpack serve`), through Starlette's TestClient."""

from __future__ import annotations

import io
import re
import shutil
import time
import urllib.parse
import zipfile
from pathlib import Path

import pytest
import yaml
from starlette.testclient import TestClient

from builder.web.app import create_app
from tests.conftest import EXAMPLE, ROOTS

TOKEN = "test-token-123"


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    folder = tmp_path / "workspace"
    folder.mkdir()
    shutil.copytree(ROOTS / "basic", folder / "basic")
    return folder


@pytest.fixture
def client(workspace: Path):
    with TestClient(create_app(workspace, TOKEN), base_url="http://127.0.0.1") as client:
        client.get(f"/?token={TOKEN}")
        yield client


def csrf(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html)[1]


def since(html: str) -> str:
    return re.search(r'name="since" value="([^"]*)"', html)[1]


def form_values(html: str) -> dict[str, list[str]]:
    """What the browser would send for the page's main form: inputs, checked boxes, textareas, selects."""
    form = html[re.search(r'<form method="post"[^>]*class="stack"', html).start():]
    form = form[:form.index("</form>")]
    values: dict[str, list[str]] = {}
    for tag in re.findall(r"<input[^>]*>", form):
        name = re.search(r'name="([^"]+)"', tag)
        if not name or 'type="file"' in tag:
            continue
        if 'type="checkbox"' in tag and " checked" not in tag:
            continue
        value = re.search(r'value="([^"]*)"', tag)
        values.setdefault(name[1], []).append(_unescape(value[1]) if value else "")
    for name, text in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', form, re.S):
        values.setdefault(name, []).append(_unescape(text))
    for name, options in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
        chosen = re.search(r'<option(?: value="([^"]*)")? selected>([^<]*)', options) or re.search(
            r'<option(?: value="([^"]*)")?>([^<]*)', options)
        values.setdefault(name, []).append(_unescape(chosen[1] if chosen[1] is not None else chosen[2]))
    return values


def _unescape(text: str) -> str:
    import html

    return html.unescape(text)


def post(client: TestClient, url: str, values: dict[str, list[str]], **changes: str):
    data = {**{k: list(vs) for k, vs in values.items()}, **changes}
    return client.post(url, data=data, follow_redirects=False)


# --- the token, CSRF and paths ------------------------------------------------------------------------


def test_every_request_needs_the_token(workspace: Path) -> None:
    with TestClient(create_app(workspace, TOKEN)) as anonymous:
        refused = anonymous.get("/")
        assert refused.status_code == 403 and "Open the address teachpack printed" in refused.text
        assert anonymous.get("/static/htmx.min.js").status_code == 403
        assert anonymous.get("/?token=wrong").status_code == 403
        first = anonymous.get(f"/?token={TOKEN}", follow_redirects=False)
        assert first.status_code == 303 and first.headers["location"].endswith("/")
        assert "HttpOnly" in first.headers["set-cookie"] and "SameSite=strict" in first.headers["set-cookie"]
        assert anonymous.get("/").status_code == 200  # the cookie from now on


def test_a_post_without_the_page_csrf_token_is_refused(client: TestClient, workspace: Path) -> None:
    before = (workspace / "basic" / "pack.yaml").read_bytes()
    page = client.get("/packs/basic/details").text
    values = form_values(page)
    refused = post(client, "/packs/basic/details", values, csrf="forged", title="Hijacked")
    assert refused.status_code == 400 and "security token does not match" in refused.text
    assert (workspace / "basic" / "pack.yaml").read_bytes() == before


def test_no_pack_name_reaches_outside_the_workspace(client: TestClient, workspace: Path) -> None:
    for name in ("..", "..%2F..%2Fetc", "%2Fetc", "nothere", ".hidden"):
        response = client.get(f"/packs/{name}/details")
        assert response.status_code in (400, 404), name
    (workspace.parent / "outside").mkdir()
    shutil.copytree(ROOTS / "basic", workspace.parent / "outside" / "basic")
    assert client.get("/packs/..%2Foutside%2Fbasic/glossary").status_code in (400, 404)


def test_static_files_come_from_the_package(client: TestClient) -> None:
    htmx = client.get("/static/htmx.min.js")
    assert htmx.status_code == 200 and "htmx" in htmx.text[:200]
    assert client.get("/static/workbench.css").status_code == 200
    assert 'src="/static/htmx.min.js"' in client.get("/").text  # no CDN


# --- library and import -------------------------------------------------------------------------------


def test_the_library_lists_every_pack_with_its_status(client: TestClient, workspace: Path) -> None:
    shutil.copytree(ROOTS / "basic", workspace / "broken")
    (workspace / "broken" / "pack.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    page = client.get("/").text
    assert 'href="/packs/basic"' in page and "Ready" in page
    assert 'href="/packs/broken"' in page and "1 problem(s) to fix" in page
    assert "never" in page  # not built yet


def test_importing_pasted_text_makes_a_pack_and_opens_its_review_list(client: TestClient, workspace: Path) -> None:
    new = client.get("/new").text
    text = ("Volcanoes of Iceland\n\nIceland sits on the Mid-Atlantic Ridge, where two plates pull apart.\n\n"
            "The 2010 eruption\n\nIn 2010 the volcano Eyjafjallajökull erupted under a glacier. Its ash cloud "
            "closed the airspace over much of Europe for six days, and about 100,000 flights were cancelled.\n")
    response = client.post("/new", data={"csrf": csrf(new), "pasted": text}, follow_redirects=False)
    assert response.status_code == 303
    name = response.headers["location"].split("/packs/")[1].split("?")[0]
    assert name == "volcanoes-of-iceland"
    assert yaml.safe_load((workspace / name / "pack.yaml").read_text(encoding="utf-8"))["title"] == \
        "Volcanoes of Iceland"
    overview = client.get(response.headers["location"]).text
    assert "Still to review" in overview and "Build" in overview
    again = client.post("/new", data={"csrf": csrf(new), "pasted": text}, follow_redirects=False)
    assert again.headers["location"].startswith("/packs/volcanoes-of-iceland-2")  # never over another pack


def test_importing_an_uploaded_html_and_docx_file(client: TestClient, workspace: Path) -> None:
    token = csrf(client.get("/new").text)
    html = (ROOTS / "import-html").glob("*.html")
    source = next(html)
    response = client.post("/new", data={"csrf": token}, files={"article": (source.name, source.read_bytes(),
                                                                            "text/html")}, follow_redirects=False)
    assert response.status_code == 303, response.text
    assert response.headers["location"].startswith("/packs/the-erie-canal?")  # named after the title found
    from docx import Document

    document = Document()
    document.add_heading("Bees and Flowers", 0)
    document.add_paragraph("Bees carry pollen from one flower to the next. In 2006 beekeepers in the United "
                           "States began to report that whole hives had emptied over the winter.")
    buffer = io.BytesIO()
    document.save(buffer)
    response = client.post("/new", data={"csrf": token}, files={"article": ("bees.docx", buffer.getvalue(),
                                                                            "application/octet-stream")},
                           follow_redirects=False)
    assert response.status_code == 303, response.text
    assert (workspace / "bees-and-flowers" / "pack.yaml").is_file()


@pytest.mark.parametrize(("filename", "data", "message"), [
    ("article.pdf", b"%PDF-1.7", "teachpack imports .txt, .md, .html and .docx files"),
    ("article.docx", b"just text", "is not a Word file (.docx) inside"),
    ("article.txt", b"\x00\x01\x02binary", "is not a text file"),
])
def test_an_upload_of_the_wrong_type_is_refused_with_what_to_do(client: TestClient, workspace: Path, filename: str,
                                                                data: bytes, message: str) -> None:
    token = csrf(client.get("/new").text)
    response = client.post("/new", data={"csrf": token}, files={"article": (filename, data, "text/plain")})
    assert response.status_code == 400 and message in response.text
    assert sorted(p.name for p in workspace.iterdir()) == ["basic"]  # nothing half-made


def test_an_upload_over_the_size_limit_is_refused(client: TestClient, workspace: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEACHPACK_MAX_SOURCE_MB", "0.01")
    token = csrf(client.get("/new").text)
    response = client.post("/new", data={"csrf": token}, files={"article": ("big.txt", b"word " * 10_000,
                                                                            "text/plain")})
    assert response.status_code in (400, 413)
    assert sorted(p.name for p in workspace.iterdir()) == ["basic"]


def test_import_with_nothing_given_says_what_to_do(client: TestClient) -> None:
    token = csrf(client.get("/new").text)
    response = client.post("/new", data={"csrf": token, "pasted": "  "})
    assert response.status_code == 400 and "choose an article file or paste" in response.text


# --- editing and saving -------------------------------------------------------------------------------


def test_every_editor_page_shows(client: TestClient) -> None:
    for part in ("", "/details", "/glossary", "/timeline", "/worksheet", "/levels", "/spelling", "/pictures", "/theme", "/preview"):
        response = client.get(f"/packs/basic{part}")
        assert response.status_code == 200, (part, response.text[:500])
        for label in ("Details", "Glossary", "Timeline", "Worksheet", "Level texts", "Theme", "Preview"):
            assert f">{label}</a>" in response.text
    assert client.get("/packs/basic/nothing").status_code == 404


def test_adding_a_term_and_saving_writes_pack_yaml_keeping_its_comments(client: TestClient, workspace: Path) -> None:
    pack_file = workspace / "basic" / "pack.yaml"
    pack_file.write_text("# our district's pack\n" + pack_file.read_text(encoding="utf-8"), encoding="utf-8")
    page = client.get("/packs/basic/glossary").text
    added = post(client, "/packs/basic/glossary", form_values(page), action="add:glossary")
    assert added.status_code == 200 and "Not saved yet." in added.text
    values = form_values(added.text)
    rows = sorted({int(m) for m in re.findall(r"glossary\[(\d+)\]\.term", added.text)})
    new = rows[-1]
    values[f"glossary[{new}].term"] = ["aqueduct"]
    values[f"glossary[{new}].definition"] = ["A channel built to carry water a long way."]
    saved = post(client, "/packs/basic/glossary", values, action="save")
    assert saved.status_code == 200 and "Saved." in saved.text and saved.headers["HX-Trigger"] == "saved"
    text = pack_file.read_text(encoding="utf-8")
    assert text.startswith("# our district's pack\n")
    entry = yaml.safe_load(text)["glossary"][-1]
    assert entry == {"term": "aqueduct", "definition": "A channel built to carry water a long way."}


def test_a_save_with_an_error_shows_it_beside_the_field_in_check_words_and_writes_nothing(
        client: TestClient, workspace: Path) -> None:
    pack_file = workspace / "basic" / "pack.yaml"
    before = pack_file.read_bytes()
    page = client.get("/packs/basic/timeline").text
    values = form_values(page)
    values["timeline.events[1].date"] = ["1950-13-45"]
    response = post(client, "/packs/basic/timeline", values, action="save")
    assert response.status_code == 422
    assert pack_file.read_bytes() == before
    field = re.search(r'id="f-timeline\.events\[1\]\.date"[^>]*aria-describedby="([^"]+)"', response.text)
    assert field and 'aria-invalid="true"' in response.text
    from builder.core.errors import PackError
    from builder.load.loader import load_pack

    data = yaml.safe_load(before)
    data["timeline"]["events"][0]["date"] = "1950-13-45"
    by_hand = workspace / "by-hand"
    shutil.copytree(workspace / "basic", by_hand)
    (by_hand / "pack.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    with pytest.raises(PackError) as caught:
        load_pack(by_hand)
    message = next(p.message for p in caught.value.problems if p.path == "timeline.events[1].date")
    error_id = field[1].split()[0]
    assert _unescape(re.search(rf'id="{re.escape(error_id)}">([^<]+)<', response.text)[1]) == message
    assert "Undo last save" not in response.text  # nothing was saved, nothing to undo


def test_a_stale_save_is_refused_and_undo_puts_back_the_last_save(client: TestClient, workspace: Path) -> None:
    pack_file = workspace / "basic" / "pack.yaml"
    original = pack_file.read_bytes()
    page = client.get("/packs/basic/details").text
    stale_values = form_values(page)
    first = post(client, "/packs/basic/details", form_values(page), title="Roman Roads and Aqueducts")
    assert first.status_code == 200 and "Saved." in first.text
    stale = post(client, "/packs/basic/details", stale_values, title="An older tab's title")
    assert stale.status_code == 409 and "changed since this page was opened" in stale.text
    assert yaml.safe_load(pack_file.read_text(encoding="utf-8"))["title"] == "Roman Roads and Aqueducts"
    undone = client.post("/packs/basic/undo", data={"csrf": csrf(first.text)},
                         headers={"referer": "http://127.0.0.1/packs/basic/details"}, follow_redirects=False)
    assert undone.status_code == 303 and "/packs/basic/details" in undone.headers["location"]
    assert pack_file.read_bytes() == original
    nothing = client.post("/packs/basic/undo", data={"csrf": csrf(first.text)})
    assert "there is no save to undo" in nothing.text


def test_the_worksheet_editor_adds_a_question_of_each_type_with_its_own_fields(client: TestClient,
                                                                              workspace: Path) -> None:
    page = client.get("/packs/basic/worksheet").text
    values = form_values(page)
    values["new_type"] = ["multiple-choice"]
    added = post(client, "/packs/basic/worksheet", values, action="add:worksheet")
    row = max(int(m) for m in re.findall(r"worksheet\[(\d+)\]\.type", added.text))
    assert f'name="worksheet[{row}].choices"' in added.text and f'name="worksheet[{row}].answer"' in added.text
    values = form_values(added.text)
    values[f"worksheet[{row}].prompt"] = ["Which people built the first aqueducts of Rome?"]
    values[f"worksheet[{row}].choices"] = ["The Romans\nThe Greeks\nThe Gauls"]
    values[f"worksheet[{row}].answer"] = ["A"]
    values[f"worksheet[{row}].levels"] = ["middle"] if "middle" in str(values) else values[f"worksheet[{row}].levels"]
    saved = post(client, "/packs/basic/worksheet", values, action="save")
    assert "Saved." in saved.text, saved.text[:3000]
    item = yaml.safe_load((workspace / "basic" / "pack.yaml").read_text(encoding="utf-8"))["worksheet"][-1]
    assert item["type"] == "multiple-choice" and item["choices"] == ["The Romans", "The Greeks", "The Gauls"]
    assert item["answer"] == "A"


def test_a_drafted_entry_stays_marked_until_edited_or_accepted(client: TestClient, workspace: Path) -> None:
    pack_file = workspace / "basic" / "pack.yaml"
    data = yaml.safe_load(pack_file.read_text(encoding="utf-8"))
    data["glossary"] = [{"term": t["term"], "definition": t.get("definition") or "x", "drafted": "wordnet"}
                        for t in data["glossary"][:2]]
    pack_file.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    page = client.get("/packs/basic/glossary").text
    assert page.count(">drafted<") == 2
    values = form_values(page)
    values["glossary[1].definition"] = ["A definition the teacher wrote."]
    post(client, "/packs/basic/glossary", values, action="save")
    saved = yaml.safe_load(pack_file.read_text(encoding="utf-8"))["glossary"]
    assert "drafted" not in saved[0] and saved[1]["drafted"] == "wordnet"
    page = client.get("/packs/basic/glossary").text
    values = form_values(page)
    values["glossary[2].accept"] = ["1"]
    post(client, "/packs/basic/glossary", values, action="save")
    assert all("drafted" not in entry for entry in yaml.safe_load(pack_file.read_text(encoding="utf-8"))["glossary"])


def test_rows_move_and_go_before_a_save(client: TestClient, workspace: Path) -> None:
    terms = [t["term"] for t in yaml.safe_load((workspace / "basic" / "pack.yaml").read_text())["glossary"]]
    assert len(terms) >= 2
    page = client.get("/packs/basic/glossary").text
    moved = post(client, "/packs/basic/glossary", form_values(page), action="down:glossary:1")
    removed = post(client, "/packs/basic/glossary", form_values(moved.text), action=f"remove:glossary:{len(terms)}")
    post(client, "/packs/basic/glossary", form_values(removed.text), action="save")
    saved = [t["term"] for t in yaml.safe_load((workspace / "basic" / "pack.yaml").read_text())["glossary"]]
    expected = [terms[1], terms[0], *terms[2:]][:-1]
    assert saved == expected


def test_the_date_is_checked_as_it_is_typed(client: TestClient) -> None:
    token = csrf(client.get("/packs/basic/timeline").text)
    good = client.post("/check-date", data={"timeline.events[1].date": "1958-1960"}, headers={"x-csrf-token": token})
    assert "reads as" in good.text
    bad = client.post("/check-date", data={"timeline.events[1].date": "sometime"}, headers={"x-csrf-token": token})
    assert 'class="bad"' in bad.text


def test_level_texts_measure_as_typed_and_save_a_level_file(client: TestClient, workspace: Path) -> None:
    page = client.get("/packs/basic/levels").text
    assert "Original (article.md)" in page and "Reading grade" in page
    level = re.search(r'name="level" value="([^"]+)"', page)[1]
    token = csrf(page)
    easy = client.post("/packs/basic/levels/measure", data={"csrf": token, "level": level,
                                                             "text": "## A\n\nThe cat sat. The dog ran."})
    hard = client.post("/packs/basic/levels/measure", data={"csrf": token, "level": level, "text": (
        "## A\n\nNotwithstanding considerable administrative complications, the municipal authorities "
        "systematically reconstructed the infrastructural communications apparatus.")})
    grade = lambda html: float(re.search(r"Reading grade <strong>([\d.-]+)", html)[1])  # noqa: E731
    assert grade(easy.text) < grade(hard.text)
    values = form_values(page)
    saved = post(client, f"/packs/basic/levels?level={level}", values)
    assert saved.status_code == 200 and f"Saved article.{level}.md" in saved.text
    assert (workspace / "basic" / f"article.{level}.md").is_file()


def test_the_theme_takes_a_logo_upload_and_colours_and_shows_contrast(client: TestClient, workspace: Path) -> None:
    page = client.get("/packs/basic/theme").text
    assert "Contrast check" in page
    values = form_values(page)
    values["theme.school.set"] = []
    values["theme.school"] = ["Lakeside Middle School"]
    values["theme.colors.primary"] = ["#777777"]
    values["theme.colors.primary.set"] = ["1"]
    png = (EXAMPLE.parent.parent / "assets").rglob("*.png")
    logo = next(png, None)
    files = {"logo": ("crest.png", logo.read_bytes() if logo else _tiny_png(), "image/png")}
    data = {k: list(vs) for k, vs in values.items()}
    saved = client.post("/packs/basic/theme", data=data, files=files)
    assert "Saved." in saved.text, saved.text[:2000]
    theme = yaml.safe_load((workspace / "basic" / "pack.yaml").read_text())["theme"]
    assert theme["school"] == "Lakeside Middle School" and theme["logo"] == "images/logo.png"
    assert (workspace / "basic" / "images" / "logo.png").is_file()
    assert "too low" in saved.text  # #777777 on white is below 4.5:1
    bad = client.post("/packs/basic/theme", data=data, files={"logo": ("crest.png", b"GIF89a....", "image/png")})
    assert "a logo must be a PNG or JPEG picture" in bad.text


def _tiny_png() -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    raw = b"\x00\xff\xff\xff"
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


# --- preview, build and download ---------------------------------------------------------------------


@pytest.mark.slow
def test_the_preview_shows_the_pages_and_changes_after_a_save(client: TestClient) -> None:
    page = client.get("/packs/basic/preview?level=elementary&edition=teacher")
    assert page.status_code == 200
    images = re.findall(r'<img src="([^"]+)"', page.text)
    assert images and all("/elementary/teacher/" in src for src in images)
    first = client.get(images[0])
    assert first.status_code == 200 and first.content.startswith(b"\xff\xd8")
    key = images[0].split("?v=")[1]
    details = client.get("/packs/basic/details").text
    post(client, "/packs/basic/details", form_values(details), title="A New Title for the Preview")
    strip = client.get("/packs/basic/preview?strip=1", headers={"hx-request": "true"}).text
    assert "<html" not in strip and key not in strip  # a fragment, and new pages
    assert client.get("/packs/basic/preview/elementary/teacher/999.jpg").status_code == 404


@pytest.mark.slow
def test_build_reports_progress_and_every_file_downloads(client: TestClient, workspace: Path) -> None:
    overview = client.get("/packs/basic").text
    started = client.post("/packs/basic/build", data={"csrf": csrf(overview)}, headers={"hx-request": "true"})
    assert started.status_code == 200 and "<progress" in started.text
    deadline = time.monotonic() + 240
    while True:
        status = client.get("/packs/basic/build/status")
        if status.status_code == 286 or time.monotonic() > deadline:
            break
        time.sleep(0.3)
    assert status.status_code == 286, status.text  # htmx stops polling
    links = re.findall(r'href="(/packs/basic/files/[^"]+)"', status.text)
    pdfs = [link for link in links if link.endswith(".pdf")]
    docxs = [link for link in links if link.endswith(".docx")]
    assert pdfs and len(pdfs) == len(docxs) and status.text.count("Download PDF") == len(pdfs)
    pdf = client.get(pdfs[0])
    assert pdf.content.startswith(b"%PDF") and "attachment" in pdf.headers["content-disposition"]
    assert client.get(docxs[0]).content.startswith(b"PK")
    archive = zipfile.ZipFile(io.BytesIO(client.get("/packs/basic/files/all.zip").content))
    assert len(archive.namelist()) == len(pdfs) * 2
    assert client.get("/packs/basic/files/..%2Fpack.yaml").status_code == 404
    assert client.get("/packs/basic/files/nothing.pdf").status_code == 404
    assert "Download all" in client.get("/packs/basic").text


# --- a pack.yaml the forms cannot show ------------------------------------------------------------------


def test_a_pack_yaml_with_a_syntax_error_is_shown_as_text_to_fix_and_saved_once_it_loads(
        client: TestClient, workspace: Path) -> None:
    pack_file = workspace / "basic" / "pack.yaml"
    good = pack_file.read_text(encoding="utf-8")
    broken = re.sub(r"^title: .*$", "title: Aqueducts: how Rome drank", good, count=1, flags=re.M)
    pack_file.write_text(broken, encoding="utf-8")
    for part in ("details", "glossary", "levels", "preview"):
        page = client.get(f"/packs/basic/{part}")
        assert page.status_code == 409 and "This pack needs a fix first" in page.text, part
    page = client.get("/packs/basic/glossary").text
    assert "check the indentation and quoting" in page  # the loader's own words, with the line
    still_broken = client.post("/packs/basic/raw", data={"csrf": csrf(page), "since": since(page), "text": broken})
    assert still_broken.status_code == 422 and pack_file.read_text(encoding="utf-8") == broken
    fixed = broken.replace("Aqueducts: how Rome drank", '"Aqueducts: how Rome drank"')
    saved = client.post("/packs/basic/raw", data={"csrf": csrf(page), "since": since(page), "text": fixed},
                        follow_redirects=False)
    assert saved.status_code == 303 and "the pack loads again" in urllib.parse.unquote(saved.headers["location"])
    assert client.get("/packs/basic/glossary").status_code == 200


def test_the_library_row_shows_the_check_status(client: TestClient) -> None:
    assert 'hx-get="/packs/basic/status"' in client.get("/").text
    status = client.get("/packs/basic/status").text
    assert "Ready" in status


def test_a_request_body_over_the_upload_limit_is_refused_before_it_is_read(client: TestClient,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEACHPACK_MAX_SOURCE_MB", "0.1")
    response = client.post("/new", content=b"x" * 1_200_000, headers={"content-type": "application/octet-stream"})
    assert response.status_code == 413 and "too large" in response.text


# --- teachpack serve ---------------------------------------------------------------------------------------


def test_serve_refuses_a_missing_folder_and_a_port_in_use(tmp_path: Path) -> None:
    import socket

    from typer.testing import CliRunner

    from builder.cli import app

    runner = CliRunner()
    missing = runner.invoke(app, ["serve", str(tmp_path / "nowhere"), "--no-browser"])
    assert missing.exit_code != 0 and "not a folder" in str(missing.exception or missing.output)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        busy = runner.invoke(app, ["serve", str(tmp_path), "--no-browser", "--port", str(port)])
    assert busy.exit_code != 0 and "is in use" in str(busy.exception or busy.output)


def test_serve_warns_when_it_listens_beyond_this_computer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from builder.web import server

    said: list[str] = []
    started: list[tuple[str, int]] = []

    class FakeServer:  # records how uvicorn would be started, and stops at once
        def __init__(self, config) -> None:
            started.append((config.host, config.port))
            self.started, self.should_exit = False, True

        def run(self) -> None:
            pass

    import uvicorn

    monkeypatch.setattr(uvicorn, "Server", FakeServer)
    from builder.web.workbench import PreviewProcess

    monkeypatch.setattr(PreviewProcess, "warm", lambda self: None)  # no preview process for this test
    server.serve(tmp_path, host="0.0.0.0", port=0, open_browser=False, say=said.append)
    assert any("reachable from other computers" in line for line in said)
    assert started == [("0.0.0.0", 0)]
    said.clear()
    server.serve(tmp_path, port=0, open_browser=False, say=said.append)
    assert not any("reachable" in line for line in said) and started[-1] == ("127.0.0.1", 0)


def test_the_spelling_tab_corrects_a_flagged_word_or_keeps_it(client: TestClient, workspace: Path) -> None:
    article = workspace / "basic" / "article.md"
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("\n\n", "\n\nThe water evapourates into a blorptastic sky.\n\n", 1), encoding="utf-8")
    page = client.get("/packs/basic/spelling").text
    flagged = dict(re.findall(r'name="flagged\[(\d+)\]\.word" value="([^"]+)"', page))
    assert "evapourates" in flagged.values() and "blorptastic" in flagged.values()
    values = form_values(page)
    for row, word in flagged.items():
        values[f"flagged[{row}].choice"] = ["fix" if word == "evapourates" else "keep" if word == "blorptastic" else "later"]
        if word == "evapourates":
            values[f"flagged[{row}].fix"] = ["evaporates"]
    saved = post(client, "/packs/basic/spelling", values, action="save")
    assert "Saved." in saved.text, saved.text[:2000]
    data = yaml.safe_load((workspace / "basic" / "pack.yaml").read_text(encoding="utf-8"))
    assert data["corrections"]["evapourates"] == "evaporates" and "blorptastic" in data["dictionary"]
    again = client.get("/packs/basic/spelling").text
    assert 'name="flagged[1].word"' not in again  # nothing flagged any more
    assert re.search(r'name="corrections\[\d+\]\.fix" value="evaporates"', again)
    values = form_values(again)
    row = re.search(r'name="corrections\[(\d+)\]\.word" value="evapourates"', again)[1]
    values[f"corrections[{row}].remove"] = ["1"]
    post(client, "/packs/basic/spelling", values, action="save")
    assert "evapourates" not in (yaml.safe_load((workspace / "basic" / "pack.yaml").read_text()).get("corrections") or {})


def test_a_placeholder_picture_is_replaced_by_an_upload(client: TestClient, workspace: Path) -> None:
    from PIL import Image

    from builder.importer.draft import placeholder_png

    folder = workspace / "basic"
    (folder / "images").mkdir(exist_ok=True)
    (folder / "images" / "figure-1.png").write_bytes(placeholder_png())
    article = folder / "article.md"
    article.write_text(article.read_text(encoding="utf-8").replace(
        "\n\n", "\n\n![Clouds over a lake](images/figure-1.png)\n\n", 1), encoding="utf-8")
    page = client.get("/packs/basic/pictures").text
    assert "placeholder</span>" in page and "Clouds over a lake" in page
    assert client.get("/packs/basic/pictures/images/figure-1.png").content == placeholder_png()
    assert client.get("/packs/basic/pictures/pack.yaml").status_code == 404  # only the article's pictures
    gif = client.post("/packs/basic/pictures", data={"csrf": csrf(page), "src": "images/figure-1.png"},
                      files={"picture": ("clouds.gif", b"GIF89a" + bytes(20), "image/gif")})
    assert "a picture must be a PNG or JPEG file" in gif.text
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (90, 140, 200)).save(buffer, format="JPEG")
    replaced = client.post("/packs/basic/pictures", data={"csrf": csrf(page), "src": "images/figure-1.png"},
                           files={"picture": ("clouds.jpg", buffer.getvalue(), "image/jpeg")})
    assert "Replaced images/figure-1.png with images/figure-1.jpg." in replaced.text
    assert (folder / "images" / "figure-1.jpg").read_bytes() == buffer.getvalue()
    assert "](images/figure-1.jpg)" in article.read_text(encoding="utf-8")
    assert "placeholder</span>" not in replaced.text


@pytest.mark.parametrize("part", ["details", "glossary", "timeline", "worksheet", "spelling", "theme"])
def test_saving_a_tab_unchanged_leaves_the_example_pack_yaml_byte_for_byte(tmp_path: Path, part: str) -> None:
    workspace = tmp_path / "workspace"
    shutil.copytree(EXAMPLE, workspace / EXAMPLE.name)
    pack_file = workspace / EXAMPLE.name / "pack.yaml"
    before = pack_file.read_bytes()
    with TestClient(create_app(workspace, TOKEN), base_url="http://127.0.0.1") as client:
        client.get(f"/?token={TOKEN}")
        page = client.get(f"/packs/{EXAMPLE.name}/{part}").text
        saved = post(client, f"/packs/{EXAMPLE.name}/{part}", form_values(page), action="save")
    assert "Saved." in saved.text, saved.text[:3000]
    import difflib

    diff = list(difflib.unified_diff(before.decode().splitlines(), pack_file.read_text().splitlines(), lineterm=""))
    assert not diff, "\n".join(diff[:40])


def test_teacher_notes_are_edited_on_the_details_tab(client: TestClient, workspace: Path) -> None:
    page = client.get("/packs/basic/details").text
    values = form_values(page)
    values["teacher.objectives"] = ["Explain where rain comes from.\nDraw the water cycle."]
    values["teacher.timing"] = ["One 45-minute lesson"]
    saved = post(client, "/packs/basic/details", values, action="save")
    assert "Saved." in saved.text
    teacher = yaml.safe_load((workspace / "basic" / "pack.yaml").read_text())["teacher"]
    assert teacher["objectives"] == ["Explain where rain comes from.", "Draw the water cycle."]
    assert teacher["timing"] == "One 45-minute lesson"


def test_a_preview_asked_for_while_the_server_stops_is_an_error_not_a_new_process(tmp_path: Path) -> None:
    """CI once failed on a prefetch thread whose layout was cancelled by the server's shutdown: a preview
    asked for then (or queued when it stops) ends in a TeachpackError, which the prefetch thread swallows."""
    from builder.core.errors import TeachpackError
    from builder.web.workbench import PreviewProcess

    renderer = PreviewProcess()
    renderer.stop()
    with pytest.raises(TeachpackError, match="shutting down"):
        renderer.render(tmp_path, "middle", "student")
    assert renderer._pool is None
