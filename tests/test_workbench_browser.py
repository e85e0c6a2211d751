"""End to end in a real browser: `teachpack serve` started as a teacher starts it, driven by Playwright
in Debian's Chromium, every page checked by axe-core and at 200% zoom.

The teacher's path: paste an article, import it, add a glossary term and a question, save, see the
preview change, build, download the PDF and find the term and the question in its text.
"""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser import axe_violations, describe, launch
from tests.conftest import EXAMPLE, pdf_text

pytestmark = pytest.mark.slow

ARTICLE = """Tide Pools of the Pacific Coast

Tide pools form where the ocean leaves water behind in rocky hollows at low tide. Twice a day the sea
returns and covers them again.

Life between the tides

Sea stars, anemones and hermit crabs live in tide pools. They must survive crashing waves, hot sun and
sudden changes in salt. In 2013 a disease called sea star wasting syndrome killed millions of sea stars
from Mexico to Alaska.

Visiting safely

Scientists ask visitors to walk only on bare rock, because a single footstep can crush dozens of tiny
animals. In 1969 California set aside its first marine reserves to protect tide pools.
"""
PAGES = ("", "/details", "/glossary", "/timeline", "/worksheet", "/levels", "/spelling", "/pictures", "/theme", "/preview")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """`teachpack serve WORKSPACE --no-browser --port N`, as the README starts it; yields its address."""
    workspace = tmp_path_factory.mktemp("workspace")
    shutil.copytree(EXAMPLE, workspace / EXAMPLE.name)
    command = [str(Path(sys.executable).parent / "teachpack"), "serve", str(workspace), "--no-browser",
               "--port", str(_free_port())]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert process.stdout is not None
    address = ""
    deadline = time.monotonic() + 60
    while not address and time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        if match := re.search(r"open (http://localhost:\d+/\?token=\S+)", line):
            address = match[1]
    try:
        assert address, "teachpack serve printed no address"
        _wait_until_listening(address)
        yield address, workspace
    finally:
        process.terminate()
        process.wait(timeout=20)
        process.stdout.close()


def _wait_until_listening(address: str) -> None:
    port = int(address.split(":")[2].split("/")[0])
    for _ in range(100):
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError(f"nothing listens on {address}")


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with launch() as browser:
        yield browser


def test_a_teacher_imports_edits_previews_builds_and_downloads(server, browser, tmp_path: Path) -> None:
    address, workspace = server
    base = address.split("/?")[0]
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True, accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(address)  # the token becomes a cookie; the address bar no longer shows it
    assert "token=" not in page.url

    page.get_by_role("link", name="New pack").first.click()
    page.get_by_label("Paste text").fill(ARTICLE)
    page.get_by_role("button", name="Import").click()
    page.wait_for_url(re.compile(r"/packs/tide-pools-of-the-pacific-coast\?imported=1"))
    assert page.get_by_role("heading", name="Still to review").is_visible()
    pack = base + "/packs/tide-pools-of-the-pacific-coast"

    page.get_by_role("link", name="Glossary", exact=True).click()
    page.get_by_role("button", name="Add term").click()
    page.get_by_label("Term", exact=True).last.fill("marine reserve")
    page.get_by_label("Definition", exact=True).last.fill("A stretch of coast where no one may fish or take animals.")
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text("Saved.").wait_for()
    # the article says "marine reserves": the check beside the table says the term is not used yet
    page.get_by_text(re.compile("'marine reserve' does not occur in the article")).wait_for()
    page.get_by_label("Forms", exact=True).last.fill("marine reserves")
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text("Saved.").wait_for()
    strip = page.locator("aside ol.strip")
    strip.wait_for()
    before = strip.get_attribute("data-key")

    page.get_by_role("link", name="Worksheet", exact=True).click()
    page.get_by_label("Type of the new item").select_option("short-answer")
    page.get_by_role("button", name="Add question").click()
    page.get_by_label("Prompt").last.fill("Why should visitors to a tide pool step only on bare rock?")
    page.get_by_label("Answer", exact=True).last.fill("One footstep can crush dozens of tiny animals.")
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text("Saved.").wait_for()
    page.wait_for_function("key => { const s = document.querySelector('aside ol.strip');"
                           " return s && s.dataset.key && s.dataset.key !== key; }", arg=before, timeout=60_000)

    page.get_by_role("link", name="Preview", exact=True).click()
    page.get_by_role("img", name=re.compile("Page 1 of the")).wait_for()
    assert page.locator("ol.pages img").count() >= 3

    page.goto(pack)
    page.get_by_role("button", name="Build").click()
    page.get_by_role("progressbar").or_(page.get_by_role("link", name="Download all")).first.wait_for()
    page.get_by_role("link", name="Download all").wait_for(timeout=240_000)
    row = page.get_by_role("row", name=re.compile("Elementary, student edition"))
    with page.expect_download() as download:
        row.get_by_role("link", name="Download PDF").click()
    pdf = tmp_path / download.value.suggested_filename
    download.value.save_as(pdf)
    text = " ".join(pdf_text(pdf).split())
    assert "marine reserve" in text and "A stretch of coast" in text  # the glossary prints in two columns
    assert "Why should visitors to a tide pool step only on bare rock?" in text
    with page.expect_download() as download:
        row.get_by_role("link", name="Download DOCX").click()
    assert download.value.suggested_filename.endswith(".docx")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download all").click()
    assert download.value.suggested_filename == "tide-pools-of-the-pacific-coast.zip"
    assert not errors
    context.close()


def test_every_page_passes_axe_with_no_violation_of_any_impact_and_works_at_200_percent_zoom(server, browser, tmp_path: Path) -> None:
    address, workspace = server
    base = address.split("/?")[0]
    pack = f"/packs/{EXAMPLE.name}"
    urls = ["/", "/new", *(pack + p for p in PAGES), pack + "/levels?level=elementary"]
    shots = Path(tmp_path / "screenshots")
    shots.mkdir()
    for zoom, viewport in ((1, {"width": 1280, "height": 900}), (2, {"width": 640, "height": 450})):
        # 200% zoom: a 1280-pixel window shows the page at half the CSS width, each CSS pixel twice as big
        context = browser.new_context(viewport=viewport, device_scale_factor=zoom, bypass_csp=True)
        page = context.new_page()
        page.goto(address)
        found = []
        for url in urls:
            page.goto(base + url)
            page.wait_for_load_state("networkidle")
            name = url.strip("/").replace("/", "_").replace("?", "_") or "library"
            page.screenshot(path=shots / f"{name}-{zoom}x.png", full_page=True)
            violations = axe_violations(page, impacts=("minor", "moderate", "serious", "critical"))
            if violations:
                found.append(f"{url} at {zoom * 100}%: {describe(violations)}")
            wide = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert wide <= 2, f"{url} at {zoom * 100}% scrolls sideways by {wide} px"
        context.close()
        assert not found, "\n".join(found)


def test_every_control_is_reachable_by_keyboard_and_htmx_runs_under_the_pages_own_csp(server, browser) -> None:
    address, _ = server
    base = address.split("/?")[0]
    context = browser.new_context()  # the Content-Security-Policy as sent: htmx must work under it
    page = context.new_page()
    refused: list[str] = []
    page.on("console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text
            else None)
    page.goto(address)
    page.goto(f"{base}/packs/{EXAMPLE.name}/glossary")
    page.locator("aside ol.strip img").first.wait_for(timeout=60_000)  # htmx loaded the pages beside the form
    assert not refused
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to the content"
    reached = set()
    for _ in range(60):
        page.keyboard.press("Tab")
        reached.add(page.evaluate("document.activeElement.getAttribute('name') || document.activeElement.textContent"))
    assert {"glossary[1].term", "glossary[1].definition"} <= reached
    context.close()
