"""End to end: the seeds through the generator and `mkdocs build --strict` into real HTML."""

from __future__ import annotations

import gzip
import json
import os
import re
import subprocess
import sys
from pathlib import Path

from generator.index import person_slug
from generator.model import Country
from generator.publish import inherited_config
from generator.render import country_label
from tests.conftest import ERDOGAN_CALL, PUTIN_CALL, REPO


def html(site, path):
    return (site / path / "index.html").read_text(encoding="utf-8")


def unmarked(page: str) -> str:
    """A page as plain MkDocs writes it, without the marker comments that the hooks consume."""
    return re.sub(r"^<!-- /?verbatim -->\n", "", page, flags=re.M)


def briefing_links(page: str) -> set[str]:
    return set(re.findall(r'href="\.\./\.\./briefings/([\w-]+)/"', page))


def test_one_page_per_briefing(seeds_site):
    pages = sorted(p.name for p in (seeds_site / "briefings").iterdir() if p.is_dir())
    assert pages == [ERDOGAN_CALL, PUTIN_CALL]


def test_briefing_page_has_every_section_with_real_content(seeds_site):
    page = html(seeds_site, f"briefings/{ERDOGAN_CALL}")
    assert "Erdogan and Macron discuss Russia-Ukraine war in phone call" in page
    assert "3 December 2025" in page
    for heading in ("Summary", "Key points", "Who took part", "Who said what", "Figures",
                    "Dates and time references", "Original text"):
        assert f">{heading}<" in page
    assert 'href="../../countries/tr/"' in page and 'href="../../topics/peace-process/"' in page
    assert "spokesperson for the Turkish Defense Ministry" in page
    assert "maximum efforts" in page and 'href="../../people/recep-tayyip-erdogan/"' in page
    assert "Avoiding actions that could endanger global stability" in page


def test_a_persons_country_shows_its_flag_and_name_where_the_briefing_names_that_country():
    turkey = Country("TR", "Türkiye")
    assert country_label("TR", (Country("FR", "France"), turkey)) == "🇹🇷 Türkiye"
    assert country_label("US", (turkey,)) == "US"  # as the person's record gives it
    assert country_label(None, (turkey,)) == ""


def test_france_page_lists_both_briefings_and_turkiye_only_the_erdogan_call(seeds_site):
    assert briefing_links(html(seeds_site, "countries/fr")) == {ERDOGAN_CALL, PUTIN_CALL}
    assert briefing_links(html(seeds_site, "countries/tr")) == {ERDOGAN_CALL}


def test_each_topic_page_links_back_to_its_briefings(seeds_site):
    assert briefing_links(html(seeds_site, "topics/israel-iran")) == {PUTIN_CALL}
    assert briefing_links(html(seeds_site, "topics/russia-ukraine-war")) == {ERDOGAN_CALL, PUTIN_CALL}
    topic = html(seeds_site, "topics/gaza")
    assert "The war in Gaza" in topic
    assert briefing_links(topic) == {ERDOGAN_CALL}


def test_every_briefing_list_link_leads_to_a_briefing_page(seeds_site):
    """The lists are HTML blocks (render.BriefingList): strict mode does not check their links."""
    linked = set()
    for page in seeds_site.rglob("index.html"):
        for block in re.findall(r'<ul class="briefing-list">(.*?)</ul>', page.read_text(encoding="utf-8"), re.S):
            for href in re.findall(r'href="([^"]+)"', block):
                target = (page.parent / href).resolve()
                assert (target / "index.html").is_file() and target.parent.name == "briefings", (page, href)
                linked.add(page.relative_to(seeds_site).parent.as_posix())
    assert {".", "archive", "countries/fr", "topics/gaza", "people/emmanuel-macron"} <= linked


def test_home_lists_latest_first_with_counts_and_index_links(seeds_site):
    home = (seeds_site / "index.html").read_text(encoding="utf-8")
    assert home.index(ERDOGAN_CALL) < home.index(PUTIN_CALL)  # 3 Dec 2025 before 1 Jul 2025
    assert "2 briefings on" in home
    assert 'href="countries/"' in home and 'href="topics/"' in home


def pagefind_records(site: Path) -> list[dict]:
    """The pages Pagefind indexed, read back from its gzipped fragment files."""
    return [json.loads(gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd"))
            for path in sorted(site.glob("pagefind/*/fragment/*.pf_fragment"))]


def test_search_index_holds_each_article_once_with_its_filters(seeds_site):
    records = {r["url"]: r for r in pagefind_records(seeds_site)}
    assert set(records) == {f"/briefings/{ERDOGAN_CALL}/", f"/briefings/{PUTIN_CALL}/"}  # briefings only
    erdogan = records[f"/briefings/{ERDOGAN_CALL}/"]
    assert "revive the Istanbul process" in erdogan["content"]
    assert "anti-Russian bridgehead" in records[f"/briefings/{PUTIN_CALL}/"]["content"]
    assert erdogan["content"].count("could take part in a planned") == 1  # summary and quotes not indexed again
    assert erdogan["meta"] == {"title": "Erdogan and Macron discuss Russia-Ukraine war in phone call",
                               "date": "3 December 2025"}
    assert "Türkiye" in erdogan["filters"]["country"]
    assert "Recep Tayyip Erdogan" in erdogan["filters"]["person"]
    assert "Peace process" in erdogan["filters"]["topic"]
    assert erdogan["filters"]["month"] == ["2025-12"]


def test_only_one_search_index_is_shipped(seeds_site):
    assert json.loads((seeds_site / "pagefind" / "bundles.json").read_text()) == {"bundles": ["0/"]}
    assert (seeds_site / "pagefind" / "0" / "pagefind-entry.json").is_file()
    assert not (seeds_site / "search").exists()  # Material's whole-site index is not built
    assert not list(seeds_site.rglob("search_index.json"))


def test_nav_lists_index_pages_not_briefings(seeds_site):
    home = (seeds_site / "index.html").read_text(encoding="utf-8")
    nav = home.split('<nav class="md-tabs"')[1].split("</nav>")[0]
    assert 'href="countries/"' in nav and 'href="people/"' in nav
    assert "briefings/" not in nav


def test_no_request_leaves_the_site(seeds_site):
    for page in seeds_site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text
        assert not re.search(r'<(?:script|link)[^>]+(?:src|href)="https?://', text), page


def test_hooks_leave_every_page_as_mkdocs_alone_writes_it(seeds_site, tmp_path):
    """The hooks hold each page's HTML compressed until it is written (peak memory at 10,000
    briefings: `make bench`) and pass the generator's HTML blocks by Markdown; the pages must
    come out byte for byte the same without them, but for the blocks' marker comments."""
    docs = seeds_site.parent / "docs"
    config = tmp_path / "plain.yml"
    config.write_text(inherited_config(REPO / "mkdocs.yml", docs).split("hooks:")[0] + "hooks: []\n",
                      encoding="utf-8")
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "--config-file", str(config),
                    "--site-dir", str(tmp_path / "plain")], check=True, cwd=REPO,
                   env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))
    pages = sorted(p.relative_to(tmp_path / "plain") for p in (tmp_path / "plain").rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        plain = (tmp_path / "plain" / page).read_text(encoding="utf-8")
        assert (seeds_site / page).read_text(encoding="utf-8") == unmarked(plain), page


def test_a_plugin_reading_the_html_still_sees_it_with_the_memory_hooks(seeds_site, tmp_path):
    docs = seeds_site.parent / "docs"
    config = tmp_path / "with-search.yml"
    config.write_text(inherited_config(REPO / "mkdocs.yml", docs) + "plugins: [search]\n", encoding="utf-8")
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "--config-file", str(config),
                    "--site-dir", str(tmp_path / "site")], check=True, cwd=REPO,
                   env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))
    index = json.loads((tmp_path / "site" / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert any("first conversation in nearly three years" in doc["text"] for doc in index["docs"])


def test_people_addresses_keep_the_letters_unicode_does_not_decompose():
    names = ("Jonas Gahr Støre", "Binali Yıldırım", "Lech Wałęsa", "Recep Tayyip Erdoğan", "Ólafur Ragnar Grímsson")
    assert [person_slug(name) for name in names] == [
        "jonas-gahr-store", "binali-yildirim", "lech-walesa", "recep-tayyip-erdogan", "olafur-ragnar-grimsson"]
