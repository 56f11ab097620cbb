"""How the site is rendered at scale: MkDocs on every core, the pages Pagefind reads."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys

import pytest

import generator.publish as publish
from generator.build import build
from generator.publish import RenderError, render_site
from generator.synthetic import write_corpus
from tests.conftest import REPO, SAMPLES, copy_project
from tests.test_site import pagefind_records

UNTITLED_NAV = """INHERIT: {repo}/mkdocs.yml
nav:
  - index.md
  - Countries: countries/index.md
  - topics/index.md
  - People: people/index.md
  - archive/index.md
  - editing.md
  - about.md
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """The seeds and 30 synthetic articles, generated into docs/."""
    tmp = tmp_path_factory.mktemp("render")
    seeds, docs = copy_project(tmp)
    write_corpus(seeds, 30)
    build(seeds, docs)
    return tmp, docs


def render_in(processes: int, monkeypatch, config, docs, site):
    monkeypatch.setattr(publish, "_shares", lambda docs: processes)
    render_site(config, docs, site)


def site_files(site):
    return sorted(p.relative_to(site) for p in site.rglob("*") if p.is_file() and "pagefind" not in p.parts)


@pytest.mark.parametrize("nav", ["titled", "untitled"])
def test_mkdocs_on_every_core_writes_the_site_one_mkdocs_writes(project, tmp_path, monkeypatch, nav):
    """Each MkDocs writes its share of the pages; a page shows the nav, so each also needs the
    titles of the nav's pages it does not render, which a nav entry without a title leaves to
    the page itself."""
    _, docs = project
    config = REPO / "mkdocs.yml"
    if nav == "untitled":
        config = tmp_path / "untitled.yml"
        config.write_text(UNTITLED_NAV.format(repo=REPO), encoding="utf-8")
    render_in(1, monkeypatch, config, docs, tmp_path / "one")
    render_in(3, monkeypatch, config, docs, tmp_path / "three")
    one, three = tmp_path / "one", tmp_path / "three"
    files = site_files(one)
    assert len(files) > 40 and files == site_files(three)
    for path in files:
        if path.name != "sitemap.xml.gz":  # gzip stamps the time
            assert (three / path).read_bytes() == (one / path).read_bytes(), path
    if nav == "untitled":
        assert "Archive" in (three / "about" / "index.html").read_text(encoding="utf-8")
    assert sorted(pagefind_records(three), key=lambda r: r["url"]) == sorted(pagefind_records(one), key=lambda r: r["url"])


def test_a_problem_in_one_share_fails_the_build_and_is_reported_once(project, tmp_path, monkeypatch):
    _, docs = project
    site = tmp_path / "site"
    render_in(2, monkeypatch, REPO / "mkdocs.yml", docs, site)
    last_good = (site / "index.html").read_bytes()
    broken = docs / "briefings" / "broken.md"
    broken.write_text("# Broken\n\n[a link](nowhere.md)\n", encoding="utf-8")
    try:
        with pytest.raises(RenderError) as raised:
            render_in(2, monkeypatch, REPO / "mkdocs.yml", docs, site)
    finally:
        broken.unlink()
    assert str(raised.value).count("contains a link 'nowhere.md'") == 1
    assert "'dirty'" not in str(raised.value)
    assert (site / "index.html").read_bytes() == last_good
    assert not (site / "briefings" / "broken").exists()


def test_pagefind_given_only_the_indexed_blocks_makes_the_records_of_the_whole_pages(project, tmp_path):
    _, docs = project
    site = tmp_path / "site"
    render_site(REPO / "mkdocs.yml", docs, site)
    whole = tmp_path / "whole" / "pagefind" / "0"
    subprocess.run([sys.executable, "-m", "pagefind", "--site", str(site), "--glob", "briefings/*/index.html",
                    "--output-path", str(whole), "--silent"], check=True)
    records = sorted(pagefind_records(site), key=lambda r: r["url"])
    assert len(records) == 32
    assert records == sorted(pagefind_records(tmp_path / "whole"), key=lambda r: r["url"])


def test_search_pages_are_written_in_memory_or_beside_the_site_with_the_same_records(project, tmp_path, monkeypatch):
    """Pagefind's pages go to the RAM folder when it has room, else beside the site; either way
    the records are the same and no folder of them is left behind."""
    _, docs = project
    used = []
    real_mkdtemp = publish.tempfile.mkdtemp
    monkeypatch.setattr(publish.tempfile, "mkdtemp", lambda **kwargs: used.append(kwargs["dir"]) or real_mkdtemp(**kwargs))
    ram = tmp_path / "ram"
    ram.mkdir()
    monkeypatch.setattr(publish, "RAM_FOLDER", ram)
    render_site(REPO / "mkdocs.yml", docs, tmp_path / "in-memory" / "site")
    monkeypatch.setattr(publish, "RAM_FOLDER", tmp_path / "no-such-folder")
    render_site(REPO / "mkdocs.yml", docs, tmp_path / "on-disk" / "site")
    assert ram in used and tmp_path / "on-disk" in used
    assert not list(ram.iterdir()) and not list((tmp_path / "on-disk").glob(".site-search-*"))
    assert sorted(pagefind_records(tmp_path / "in-memory" / "site"), key=lambda r: r["url"]) \
        == sorted(pagefind_records(tmp_path / "on-disk" / "site"), key=lambda r: r["url"])


def test_a_killed_builds_search_pages_in_memory_are_removed_by_the_next_build(tmp_path, monkeypatch):
    monkeypatch.setattr(publish, "RAM_FOLDER", tmp_path)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    killed, running = tmp_path / f".site-search-{dead.stdout.strip()}-x1", tmp_path / f".site-search-{publish.os.getpid()}-x2"
    for folder in (killed, running):
        (folder / "briefings").mkdir(parents=True)
    publish.remove_leftovers(tmp_path / "project" / "site")
    assert not killed.exists() and running.exists()


def test_a_ram_folder_that_fills_up_while_pages_are_written_sends_them_beside_the_site(project, tmp_path, monkeypatch):
    _, docs = project
    ram = tmp_path / "ram"
    ram.mkdir()
    monkeypatch.setattr(publish, "RAM_FOLDER", ram)
    real_write = publish.Path.write_bytes

    def write_bytes(path, data):
        if ram in path.parents:
            raise OSError(28, "No space left on device")
        return real_write(path, data)
    monkeypatch.setattr(publish.Path, "write_bytes", write_bytes)
    render_site(REPO / "mkdocs.yml", docs, tmp_path / "site")
    monkeypatch.undo()
    assert len(pagefind_records(tmp_path / "site")) == 32
    assert not list(ram.iterdir()) and not list(tmp_path.glob(".site-search-*"))


def test_country_and_topic_pages_count_what_the_briefings_name_together(tmp_path, taxonomy):
    """A country page's countries and topics, and a topic page's countries, count each once for
    every time a briefing on that page names it (index._Tally), on real articles."""
    from collections import Counter

    from generator.index import build_index
    seeds, docs = copy_project(tmp_path)
    for sample in SAMPLES.glob("*.txt"):
        shutil.copy(sample, seeds / f"sample-{sample.name}")
    briefings = list(build(seeds, docs, log=io.StringIO()).briefings)
    index = build_index(briefings, taxonomy)
    assert len(index.countries) > 10
    for page in index.countries:
        code = page.country.code
        partners = Counter(c.code for b in page.briefings for c in b.countries)
        del partners[code]
        assert {c.code: n for c, n in page.partners} == partners
        assert {t.slug: n for t, n in page.topics} == Counter(t.slug for b in page.briefings for t in b.topics)
        assert [n for _, n in page.partners] == sorted((n for _, n in page.partners), reverse=True)
    for page in index.topics:
        assert {c.code: n for c, n in page.countries} == Counter(c.code for b in page.briefings for c in b.countries)
