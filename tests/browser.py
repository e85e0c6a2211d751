"""Real-browser test tools: Playwright driving Debian's Chromium, and axe-core's accessibility checks.

Nothing here downloads anything: ./setup.sh installs the `chromium` Debian package (Playwright's own
`playwright install` cannot fetch its browser build on this network) and axe-core, pinned by
tests/web/package-lock.json, into tests/web/node_modules/. When either is missing the test using it
fails and says to run ./setup.sh; it is not skipped, since CI installs everything through that script.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

REPO = Path(__file__).resolve().parent.parent
AXE = REPO / "tests" / "web" / "node_modules" / "axe-core" / "axe.min.js"

# The background-networking flags matter: without them Chromium keeps trying to reach Google's services
# (updates, sync, field trials) and hangs on this closed network.
CHROMIUM_ARGS = [
    "--no-sandbox",  # runs as root in CI
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    """Debian's Chromium (/usr/bin/chromium), or a `chromium` on PATH; None when there is none."""
    if Path("/usr/bin/chromium").is_file():
        return "/usr/bin/chromium"
    return shutil.which("chromium")


@contextmanager
def launch() -> Iterator[Browser]:
    """A headless Chromium driven by Playwright, closed (with Playwright's driver) on leaving the block."""
    executable = chromium_path()
    if executable is None:
        pytest.fail("Chromium is not installed (the Debian package `chromium`): run ./setup.sh", pytrace=False)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("Playwright is not installed in the virtual environment: run ./setup.sh", pytrace=False)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(headless=True, executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


# Runs in the page: axe's violations, each node reduced to its target selectors (a selector into a
# shadow root or an iframe is a list of selectors, joined here as Playwright chains them).
_RUN_AXE = """async () => {
  const results = await axe.run(document, {resultTypes: ['violations']});
  return results.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.map(n => n.target.map(t => Array.isArray(t) ? t.join(' >> ') : t).join(' >> ')),
  }));
}"""


def axe_violations(page: Page, impacts: Iterable[str] = ("serious", "critical")) -> list[dict[str, Any]]:
    """axe-core's violations on the page's current document whose impact is one of `impacts`.

    Each is a dict with id (the axe rule, such as "image-alt"), impact, help (one sentence) and
    targets (a CSS selector for each offending element). A page whose Content-Security-Policy forbids
    inline scripts blocks the injection: open it with browser.new_page(bypass_csp=True).
    """
    from playwright.sync_api import Error as PlaywrightError

    if not AXE.is_file():
        pytest.fail(f"axe-core is not installed ({AXE.relative_to(REPO)} is missing): run ./setup.sh", pytrace=False)
    try:
        page.add_script_tag(path=AXE)
    except PlaywrightError as error:
        if "Content Security Policy" not in error.message:
            raise
        raise pytest.fail.Exception(
            f"the page's Content-Security-Policy blocked axe-core: open it with browser.new_page(bypass_csp=True)"
            f"\n{error.message}",
            pytrace=False,
        ) from None
    wanted = set(impacts)
    return [v for v in page.evaluate(_RUN_AXE) if v["impact"] in wanted]


def describe(violations: Iterable[dict[str, Any]]) -> str:
    """One line per violation, for an assertion message: `image-alt (critical): help text: img, #logo`."""
    return "\n".join(f"{v['id']} ({v['impact']}): {v['help']}: {', '.join(v['targets'])}" for v in violations)
