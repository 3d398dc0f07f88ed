"""`lrkb serve` in a real browser: Debian's headless Chromium driven by Playwright.

The server runs as a subprocess on a free 127.0.0.1 port. Without a Chromium these tests are
skipped and the terminal summary says so in one line; in CI (`CI=true`) that is a failure.
Set LRKB_SCREENSHOTS=DIR (as `make screenshots` does) to write ask.png and article.png there.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import CHROMIUM_ARGS, serving, write_article
from .test_web import HOSTILE, QUESTION

playwright = pytest.importorskip("playwright.sync_api", reason="pip install 'lrkb[test]'")


@pytest.fixture(scope="module")
def browser(chromium: str) -> Iterator[playwright.Browser]:
    with playwright.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def site(real_corpus: Path) -> Iterator[str]:
    with serving(real_corpus) as url:
        yield url


@pytest.fixture
def page(browser: playwright.Browser) -> Iterator[playwright.Page]:
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda e: errors.append(str(e)))
    opened.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    yield opened
    context.close()
    assert errors == []  # no script error, no CSP violation, no missing resource


def test_ask_shows_the_answer_citations_and_a_conflict(page: playwright.Page, site: str) -> None:
    page.goto(site)
    page.fill("input[name=q]", QUESTION)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"\?q=does\+running\+kill\+gains"))
    bottom = page.locator(".bottom-line")
    playwright.expect(bottom).to_be_visible()
    playwright.expect(bottom.locator(".summary, .bottom-quotes")).not_to_have_count(0)
    assert page.locator(".meter svg rect").count() >= 2
    assert page.locator(".hit a.cite").count() >= 2
    playwright.expect(page.locator(".hit mark").first).to_be_visible()
    conflict = page.locator(".conflicts article.conflict").first
    playwright.expect(conflict.locator(".side")).to_have_count(2)
    playwright.expect(conflict.locator(".kind")).to_have_text(re.compile("direct|scope"))
    # side by side: the two quotes sit next to each other, not one under the other
    a, b = (conflict.locator(".side").nth(i).bounding_box() for i in (0, 1))
    assert a and b and abs(a["y"] - b["y"]) < 1 and b["x"] > a["x"] + a["width"] / 2


def test_a_citation_opens_the_article_at_the_highlighted_span(
    page: playwright.Page, site: str
) -> None:
    page.goto(f"{site}?q=does+running+kill+gains")
    quote = page.locator(".leans figure.quote").first
    said = " ".join(quote.locator("blockquote").inner_text().strip("“” ").split())
    quote.locator("a.cite").click()
    page.wait_for_url(re.compile(r"/sources/[^?]+\?start=\d+&end=\d+#quote$"))
    marked = page.locator("article.article mark")
    playwright.expect(marked.first).to_be_in_viewport()
    shown = " ".join(" ".join(marked.all_inner_texts()).split())
    assert shown.replace(" ,", ",") in said or said in shown
    assert page.locator("article.article section.passage[id]").count() > 3


def test_conflicts_filter_by_kind_and_issue(page: playwright.Page, site: str) -> None:
    page.goto(site + "conflicts")
    every = page.locator("article.conflict").count()
    kinds = page.locator("select[name=kind] option:not([value=''])").all_inner_texts()
    assert every >= 2 and kinds
    page.select_option("select[name=kind]", kinds[0])  # app.js submits on change
    page.wait_for_url(re.compile(rf"kind={kinds[0]}"))
    shown = page.locator("article.conflict .kind").all_inner_texts()
    assert shown and {k.lower() for k in shown} == {kinds[0]}
    assert len(shown) <= every
    issue = page.locator("select[name=issue] option:not([value=''])").first.get_attribute("value")
    page.select_option("select[name=kind]", "")
    page.wait_for_url(re.compile(r"kind=$|kind=&"))
    page.select_option("select[name=issue]", issue)
    page.wait_for_url(re.compile(rf"issue={issue}"))
    question = page.locator(f"select[name=issue] option[value='{issue}']").inner_text()
    for card in page.locator("article.conflict .issue").all_inner_texts():
        assert card == question


def test_a_hostile_article_runs_nothing(browser: playwright.Browser, tmp_path: Path) -> None:
    write_article(tmp_path, "hostile", "Hostile Page", HOSTILE)
    with serving(tmp_path) as url:
        context = browser.new_context()
        page = context.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        for path in ("sources/hostile", "?q=running+after+squats"):
            page.goto(url + path)
            page.wait_for_load_state("load")
            assert page.evaluate("typeof window.pwned") == "undefined"
        page.goto(url + "sources/hostile")
        body = page.locator("article.article").inner_text()
        assert "<script>window.pwned = 1" in body and '<img src="x" onerror=' in body
        assert page.locator("article.article img, article.article script").count() == 0
        context.close()
        assert dialogs == []


def test_screenshots(page: playwright.Page, site: str, tmp_path: Path) -> None:
    """docs/ask.png and docs/article.png for the README (`make screenshots`)."""
    target = Path(os.environ.get("LRKB_SCREENSHOTS") or tmp_path)
    target.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1100, "height": 1700})
    page.goto(f"{site}?q=does+running+kill+gains")
    page.screenshot(path=str(target / "ask.png"))
    page.locator(".leans a.cite").first.click()
    page.wait_for_url(re.compile("#quote$"))
    page.set_viewport_size({"width": 1100, "height": 900})
    page.screenshot(path=str(target / "article.png"))
    for name in ("ask.png", "article.png"):
        assert (target / name).read_bytes()[:4] == b"\x89PNG"
