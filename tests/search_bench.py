"""Time to the first search answer in a real browser: Pagefind against Material's own search.

A fresh browser context per query (nothing cached), the site served on 127.0.0.1. The clock
starts when the page has loaded and stops when the first result is in the page; bytes are those
of every response after the load until that moment."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path
from statistics import median

from generator.publish import inherited_config
from tests.browser import CHROMIUM, CHROMIUM_ARGS, free_port, serve

REPO = Path(__file__).resolve().parent.parent
MATERIAL_TIMEOUT_MS = 180_000
ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1")

# Resolves with performance.now() once `selector` matches an element in the page.
_WAIT_FOR = """selector => new Promise(resolve => {
  const done = () => document.querySelector(selector) && (observer.disconnect(), resolve(performance.now()));
  const observer = new MutationObserver(done);
  observer.observe(document.body, {childList: true, subtree: true});
  done();
})"""


def _first_answer(browser, url: str, query: str, engine: str) -> tuple[float, int]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(url, wait_until="load")
    fetched = []
    page.on("requestfinished", lambda request: fetched.append(request))
    loaded = page.evaluate("performance.now()")
    if engine == "pagefind":
        page.keyboard.press("/")
        page.fill("dialog .briefing-search__input", query)
        answered = page.evaluate(_WAIT_FOR, "dialog .briefing-search__result a")
    else:
        page.keyboard.press("/")
        page.fill("input.md-search__input", query)
        page.set_default_timeout(MATERIAL_TIMEOUT_MS)
        answered = page.evaluate(_WAIT_FOR, ".md-search-result__item")
    size = sum(request.sizes()["responseBodySize"] for request in fetched)
    context.close()
    return (answered - loaded) / 1000, size


def _measure(site: Path, queries, engine: str) -> dict:
    from playwright.sync_api import sync_playwright
    with serve(site, free_port()) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        answers = [_first_answer(browser, url, query, engine) for query in queries]
        browser.close()
    return {f"{engine}_first_answer_s": round(median(s for s, _ in answers), 2),
            f"{engine}_first_answer_max_s": round(max(s for s, _ in answers), 2),
            f"{engine}_fetched_kb": round(max(b for _, b in answers) / 1024)}


def material_site(docs: Path, into: Path) -> Path:
    """The same pages built with Material's search plugin instead of Pagefind."""
    with tempfile.TemporaryDirectory() as scratch:
        config = Path(scratch) / "mkdocs.yml"
        config.write_text(inherited_config(REPO / "mkdocs.yml", docs, theme=Path(scratch)) + "plugins: [search]\n",
                          encoding="utf-8")
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "--config-file", str(config),
                        "--site-dir", str(into)], check=True, cwd=REPO, env=ENV)
    return into


def compare_search(site: Path, docs: Path, queries) -> dict:
    result = _measure(site, queries, "pagefind")
    material = material_site(docs, site.with_name("site-material"))
    result.update(_measure(material, queries, "material"))
    result["material_index_mb"] = round((material / "search" / "search_index.json").stat().st_size / 2**20, 1)
    return result
