"""A reader's view, in a real browser: Debian's Chromium driven by Playwright, site on 127.0.0.1."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from urllib.parse import urlparse

import pytest

import generator.index as index_module
from generator.build import build
from generator.synthetic import write_corpus
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


def search(page, query: str):
    """Opens the search with Material's key and types a query; returns the result links."""
    page.keyboard.press("/")
    field = page.locator("dialog .briefing-search__input")
    expect(field).to_be_focused()
    field.type(query)
    results = page.locator("dialog .briefing-search__result a")
    results.first.wait_for(timeout=10_000)
    return results


def test_search_finds_a_quote_and_keyboard_opens_it_with_the_words_highlighted(page, site_url):
    page.goto(site_url)
    results = search(page, "reassurance force")
    expect(results).to_have_count(1)
    expect(results.first.locator(".briefing-search__title")).to_have_text(
        "Erdogan and Macron discuss Russia-Ukraine war in phone call")
    expect(results.first.locator(".briefing-search__excerpt mark").first).to_have_text(re.compile("reassurance"))
    screenshot(page, "search")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/briefings/{ERDOGAN_CALL}/?h=reassurance*")
    mark = page.locator(".md-content article mark.search-highlight", has_text="reassurance").first
    mark.wait_for(timeout=10_000)
    assert mark.is_visible()


def test_country_filter_narrows_search_results(page, site_url):
    page.goto(site_url)
    results = search(page, "Macron")
    expect(results.nth(1)).to_be_visible()  # the seeds both name him
    page.locator("dialog select[name=country]").select_option("Türkiye")
    expect(results).to_have_count(1)
    expect(results.first).to_have_attribute("href", re.compile(ERDOGAN_CALL))


def test_a_filter_alone_lists_its_briefings_without_a_query(page, site_url):
    page.goto(site_url)
    page.keyboard.press("/")
    countries = page.locator("dialog select[name=country]")
    countries.focus()
    expect(countries.locator("option[value='Türkiye']")).to_have_text("Türkiye (1)")
    countries.select_option("Türkiye")
    results = page.locator("dialog .briefing-search__result a")
    expect(results).to_have_count(1)
    expect(results.first).to_have_attribute("href", re.compile(ERDOGAN_CALL))


def test_search_is_in_the_header_and_works_at_phone_width(browser, site_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(site_url)
    trigger = page.locator(".md-header .briefing-search__open")
    trigger.tap()
    field = page.locator("dialog .briefing-search__input")
    expect(field).to_be_visible()
    field.type("first conversation in nearly three years")
    result = page.locator("dialog .briefing-search__result a").first
    expect(result.locator(".briefing-search__title")).to_have_text("Putin and Macron speak by telephone")
    box = result.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "search-phone")
    context.close()


def test_search_works_when_the_site_is_hosted_under_a_sub_path(browser, tmp_path):
    seeds, docs = copy_project(tmp_path)
    build(seeds, docs)
    render_site(REPO / "mkdocs.yml", docs, tmp_path / "site")
    with serve(tmp_path / "site", free_port(), prefix="desk/briefings") as url:
        page = browser.new_page()
        requested = []
        page.on("request", lambda request: requested.append(urlparse(request.url)))
        page.goto(f"{url}countries/fr/")
        results = search(page, "reassurance")
        expect(results.first).to_have_attribute("href", re.compile(f"^/desk/briefings/briefings/{ERDOGAN_CALL}/"))
        results.first.click()
        page.wait_for_url(f"**/desk/briefings/briefings/{ERDOGAN_CALL}/**")
        expect(page.locator(".md-content article h1")).to_contain_text("Erdogan and Macron")
        page.close()
    assert all(u.hostname == "127.0.0.1" and u.path.startswith("/desk/briefings/") for u in requested)


def test_many_results_come_ten_at_a_time_from_every_search_bundle(browser, tmp_path, monkeypatch):
    """30 briefings dated 1 to 30 January, in three search bundles of ten."""
    monkeypatch.setattr(index_module, "SEARCH_BUNDLE_SIZE", 10)
    seeds, docs = copy_project(tmp_path)
    for old in [*seeds.glob("*.txt"), *seeds.glob("*.yml")]:
        if old.name != "topics.yml":
            old.unlink()
    for day, article in enumerate(write_corpus(seeds, 30), start=1):
        article.with_suffix(".yml").write_text(f"date: 2025-01-{day:02d}\n", encoding="utf-8")
    build(seeds, docs)
    render_site(REPO / "mkdocs.yml", docs, tmp_path / "site")
    assert json.loads((tmp_path / "site" / "pagefind" / "bundles.json").read_text()) == {"bundles": ["2/", "1/", "0/"]}
    with serve(tmp_path / "site", free_port()) as url:
        page = browser.new_page()
        page.goto(url)
        results = search(page, "the")
        expect(results).to_have_count(10)
        summary = page.locator("dialog .briefing-search__summary")
        expect(summary).to_have_text(re.compile(r"^\d+ briefings$"))
        matches = int(summary.inner_text().split()[0])
        assert matches > 20
        page.click("dialog .briefing-search__more")
        expect(results).to_have_count(20)
        countries = page.locator("dialog select[name=country] option")
        expect(countries.nth(1)).to_have_text(re.compile(r"^\S.* \(\d+\)$"))
        page.keyboard.press("ArrowDown")
        page.keyboard.press("ArrowDown")
        expect(page.locator("dialog .briefing-search__result").nth(1)).to_have_attribute("aria-selected", "true")
        field = page.locator("dialog .briefing-search__input")
        field.fill("")
        page.locator("dialog select[name=month]").select_option("2025-01")
        expect(summary).to_have_text("30 briefings")
        page.click("dialog .briefing-search__more")
        expect(results).to_have_count(20)
        days = [int(d.split()[0]) for d in page.locator("dialog .briefing-search__date").all_inner_texts()]
        assert days == list(range(30, 10, -1))  # newest first, across the bundles
        page.keyboard.press("Escape")
        expect(page.locator("dialog.briefing-search__dialog")).not_to_be_visible()
        page.close()


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
