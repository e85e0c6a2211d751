"""The browser test tools work, and axe's check can fail: an accessible page passes, a broken one does not."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from .browser import axe_violations, describe, launch

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.slow

ACCESSIBLE = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Lesson pack</title></head>
<body>
  <main>
    <h1>The Sino-Soviet split</h1>
    <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="Mao Zedong and Nikita Khrushchev in 1958">
    <form>
      <label for="level">Reading level</label>
      <input id="level" name="level" type="text">
      <button type="submit">Build</button>
    </form>
  </main>
</body>
</html>"""

BROKEN = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Lesson pack</title></head>
<body>
  <main>
    <h1>The Sino-Soviet split</h1>
    <img id="portrait" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
    <input id="level" name="level" type="text">
  </main>
</body>
</html>"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with launch() as browser:
        yield browser


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    page = browser.new_page()
    yield page
    page.close()


def test_an_accessible_page_has_no_serious_violations(page: Page) -> None:
    page.set_content(ACCESSIBLE)
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def test_a_missing_alt_and_an_unlabeled_input_are_reported(page: Page) -> None:
    page.set_content(BROKEN)
    violations = axe_violations(page)
    by_rule = {v["id"]: v for v in violations}
    assert {"image-alt", "label"} <= by_rule.keys(), describe(violations)
    assert by_rule["image-alt"]["targets"] == ["#portrait"]
    assert by_rule["label"]["targets"] == ["#level"]
    assert all(v["impact"] in ("serious", "critical") for v in violations)
    assert "image-alt (critical): Images must have alternative text: #portrait" in describe(violations)
