"""A reader's view, in a real browser: Debian's Chromium driven by Playwright, site on 127.0.0.1."""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import urlparse

import pytest

from generator.build import build
from generator.publish import render_site
from tests.browser import CHROMIUM, CHROMIUM_ARGS, free_port, serve
from tests.conftest import ERDOGAN_CALL, PUTIN_CALL, REPO, copy_project

BAD = REPO / "tests" / "corpus" / "bad"

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect
SCREENSHOTS = REPO / "tests" / "screenshots"


@pytest.fixture(scope="module")
def site_url(tmp_path_factory):
    """The seeds plus the injection article, built with site_url set (instant loading on)."""
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing: apt-get install chromium (.ci/run does this)")
    tmp = tmp_path_factory.mktemp("browser")
    seeds, docs = copy_project(tmp)
    for name in ("injection.txt", "injection.yml"):
        shutil.copy(BAD / name, seeds / name)
    port = free_port()
    build(seeds, docs)
    render_site(REPO / "mkdocs.yml", docs, tmp / "site", f"http://127.0.0.1:{port}/")
    with serve(tmp / "site", port) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A fresh page that records every request and fails the test if one leaves 127.0.0.1."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.requests = []
    page.dialogs = []
    page.on("request", lambda request: page.requests.append(request.url))
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    yield page
    context.close()
    outside = [u for u in page.requests if urlparse(u).hostname not in ("127.0.0.1", None) and not u.startswith("data:")]
    assert not outside, f"requests left the site: {outside}"


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_search_finds_a_quote_and_highlights_it_on_the_briefing(page, site_url):
    page.goto(site_url)
    page.keyboard.press("s")
    page.fill("input.md-search__input", "reassurance force")
    result = page.locator(f".md-search-result a[href*='briefings/{ERDOGAN_CALL}/?h=reassurance']:visible").first
    result.wait_for(timeout=15_000)
    result.click()
    page.wait_for_url(f"**/briefings/{ERDOGAN_CALL}/**")
    mark = page.locator(".md-content article mark", has_text="reassurance").first
    mark.wait_for(timeout=10_000)
    assert mark.is_visible()


def test_country_chip_and_person_link_lead_to_their_pages(page, site_url):
    page.goto(f"{site_url}briefings/{PUTIN_CALL}/")
    screenshot(page, "briefing")
    page.click("a.chip--country:has-text('France')")
    page.wait_for_url("**/countries/fr/")
    expect(page.locator(".md-content article h1")).to_contain_text("France")
    screenshot(page, "country")
    page.goto(f"{site_url}briefings/{PUTIN_CALL}/")
    page.click("table a:has-text('Emmanuel Macron')")
    page.wait_for_url("**/people/emmanuel-macron/")
    expect(page.locator(".md-content article")).to_contain_text("done the maximum we could")
    screenshot(page, "person")


def test_contacts_graph_and_timeline_render_and_survive_instant_navigation(page, site_url):
    page.goto(site_url)
    screenshot(page, "home")
    page.evaluate("window.loadedOnce = true")
    page.click(".md-tabs a:has-text('People')")
    page.wait_for_url("**/people/")
    graph = page.locator("figure.contacts svg")
    graph.wait_for()
    assert graph.bounding_box()["width"] > 200
    names = graph.locator("text").all_text_contents()
    assert {"Vladimir Putin", "Emmanuel Macron", "Recep Tayyip Erdogan"} <= set(names)
    page.click(".md-tabs a:has-text('Countries')")
    page.wait_for_url("**/countries/")
    page.click(".md-content article a:has-text('France')")
    page.wait_for_url("**/countries/fr/")
    expect(page.locator(".md-content article h1")).to_contain_text("France")
    bars = page.locator("figure.timeline svg rect.rect")
    assert bars.count() >= 2
    assert page.evaluate("window.loadedOnce") is True  # instant loading: no full reload
    assert page.locator("figure.timeline svg").bounding_box()["width"] > 200


@pytest.mark.parametrize("path", ["", f"briefings/{ERDOGAN_CALL}/", "countries/fr/", "people/vladimir-putin/"])
def test_phone_width_has_no_horizontal_scroll(browser, site_url, path):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, device_scale_factor=2)
    page = context.new_page()
    page.goto(site_url + path)
    width = page.evaluate("document.documentElement.scrollWidth")
    if path == "":
        screenshot(page, "home-phone")
    context.close()
    assert width <= 390


def test_article_markup_runs_no_script_in_the_browser(page, site_url):
    page.goto(f"{site_url}briefings/injection/")
    page.wait_for_timeout(500)
    assert page.dialogs == []
    article = page.locator(".md-content article")
    assert article.locator("iframe, img[src='x'], script").count() == 0
    assert "<script>alert" in article.inner_text()
