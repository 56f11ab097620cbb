"""The commands behind the Makefile, run as a user runs them."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import generator.index as index_module
import generator.publish as publish_module
import generator.state as state_module
from generator.build import build
from generator.cli import main
from generator.synthetic import write_corpus
from generator.publish import RenderError, render_site
from generator.state import generated_pages, generator_inputs_besides
from tests.conftest import ERDOGAN_CALL, PUTIN_CALL, REPO, SEEDS, copy_project, edit_title
from tests.test_site import pagefind_records


def test_extract_json_prints_one_array_with_every_kind_of_fact(capsys):
    assert main(["extract", str(SEEDS / f"{ERDOGAN_CALL}.txt"), str(SEEDS / f"{PUTIN_CALL}.txt"), "--json"]) == 0
    first, second = json.loads(capsys.readouterr().out)
    assert first["file"].endswith(f"{ERDOGAN_CALL}.txt")
    assert {"code": "TR", "name": "Türkiye", "mentions": 12} in first["countries"]
    erdogan = next(p for p in first["people"] if p["name"] == "Recep Tayyip Erdogan")
    assert (erdogan["role"], erdogan["country"]) == ("President", "TR")
    assert {"text": "We’re not going to fight Europe; I’ve said that a hundred times. But if Europe "
            "suddenly wants to fight us and starts, we’re ready right now", "speaker": "Vladimir Putin",
            "direct": True, "via": "Tass"} in first["quotes"]
    assert {"text": "over €3.7 billion", "kind": "money", "value": 3.7e9, "unit": "EUR"} in second["figures"]
    assert {"text": "September 2022", "value": "2022-09"} in second["dates"]
    assert {"text": "Wednesday", "value": "2025-12-03"} in first["dates"]  # the tag file's date
    assert "russia-ukraine-war" in first["topics"] and first["key_points"]


def test_extract_text_output_is_readable(capsys):
    assert main(["extract", str(SEEDS / f"{PUTIN_CALL}.txt")]) == 0
    out = capsys.readouterr().out
    assert "title: Putin and Macron speak by telephone" in out
    assert "quote: Emmanuel Macron: “endlessly”" in out


def test_check_lists_pending_suggestions_without_building(tmp_path, capsys):
    seeds, docs = copy_project(tmp_path)
    (seeds / f"{PUTIN_CALL}.yml").write_text("topics: [gaza]\n")
    assert main(["check", "--seeds", str(seeds)]) == 0
    out = capsys.readouterr().out
    assert f"{PUTIN_CALL}.yml: suggested topic nuclear-non-proliferation is not in topics" in out
    assert not (docs / "briefings").exists()


def test_bad_tag_file_exits_non_zero_with_every_problem(tmp_path, capsys):
    seeds, docs = copy_project(tmp_path)
    (seeds / f"{PUTIN_CALL}.yml").write_text("topics: [gazza]\n")
    (seeds / f"{ERDOGAN_CALL}.yml").write_text("date: tomorrow\n")
    assert main(["build", "--seeds", str(seeds), "--docs", str(docs)]) == 1
    err = capsys.readouterr().err
    assert "2 problem(s) found; nothing was changed" in err
    assert "unknown topic 'gazza'" in err and "did you mean 'gaza'?" in err
    assert "date 'tomorrow' is not a date" in err


def test_the_generator_stage_runs_in_a_process_of_its_own_and_a_bug_there_comes_back_whole(tmp_path, capsys, monkeypatch):
    """Its corpus is dropped with that process; what it has to say, and its failures, are told here."""
    import generator.build as build_module
    seeds, docs = copy_project(tmp_path)
    parent = os.getpid()
    pids: list[int] = []
    real = build_module.build

    def build(*args, **kwargs):
        pids.append(os.getpid())  # appended in the build's process: this one's list stays empty
        return real(*args, **kwargs)
    monkeypatch.setattr("generator.cli.build", build)
    assert main(["build", "--seeds", str(seeds), "--docs", str(docs)]) == 0
    assert pids == []
    assert "2 briefings: " in capsys.readouterr().err

    def broken(*args, **kwargs):
        raise KeyError(f"raised in {os.getpid()}")
    monkeypatch.setattr("generator.cli.build", broken)
    (seeds / f"{PUTIN_CALL}.yml").write_text("title: Edited\n", encoding="utf-8")
    with pytest.raises(KeyError) as failure:
        main(["build", "--seeds", str(seeds), "--docs", str(docs)])
    assert str(parent) not in str(failure.value)
    assert any("in the build process:" in note and "in broken" in note for note in failure.value.__notes__)


def test_a_rebuild_with_nothing_changed_does_nothing_and_repeats_what_still_holds(tmp_path, capsys):
    seeds, docs = copy_project(tmp_path)
    (seeds / f"{PUTIN_CALL}.yml").write_text("topics: [gaza]\n")  # leaves suggestions pending
    build_args = ["build", "--seeds", str(seeds), "--docs", str(docs)]
    assert main(build_args) == 0
    capsys.readouterr()
    page = docs / "briefings" / f"{PUTIN_CALL}.md"
    written = page.stat().st_mtime_ns
    assert main(build_args) == 0
    err = capsys.readouterr().err
    assert "nothing changed since the last build: 0 pages written" in err
    assert "1 tag file(s) have pending suggestions" in err
    assert page.stat().st_mtime_ns == written


def test_an_edit_or_a_deleted_page_makes_the_next_build_run(tmp_path, capsys):
    seeds, docs = copy_project(tmp_path)
    build_args = ["build", "--seeds", str(seeds), "--docs", str(docs)]
    main(build_args)
    (seeds / f"{PUTIN_CALL}.yml").write_text("title: Two presidents talk\n")
    main(build_args)
    assert "Two presidents talk" in (docs / "briefings" / f"{PUTIN_CALL}.md").read_text(encoding="utf-8")
    (docs / "countries" / "fr.md").unlink()
    capsys.readouterr()
    main(build_args)
    assert "1 pages written" in capsys.readouterr().err
    assert (docs / "countries" / "fr.md").exists()


def test_the_site_is_rendered_again_only_when_docs_changed(tmp_path, capsys):
    seeds, docs = copy_project(tmp_path)
    site = tmp_path / "site"
    build_args = ["build", "--seeds", str(seeds), "--docs", str(docs), "--site", str(site)]
    main(build_args)
    rendered = (site / "index.html").stat().st_mtime_ns
    capsys.readouterr()
    main(build_args)
    assert f"site unchanged: {site}/ is up to date" in capsys.readouterr().err
    assert (site / "index.html").stat().st_mtime_ns == rendered
    (docs / "about.md").write_text("# About\n\nOur desk.\n", encoding="utf-8")
    main(build_args)
    assert "Our desk." in (site / "about" / "index.html").read_text(encoding="utf-8")


def test_the_build_after_the_one_that_created_tag_files_is_a_no_op(tmp_path, capsys):
    seeds, docs = copy_project(tmp_path)
    (seeds / f"{PUTIN_CALL}.yml").unlink()
    build_args = ["build", "--seeds", str(seeds), "--docs", str(docs)]
    main(build_args)
    assert (seeds / f"{PUTIN_CALL}.yml").exists()
    capsys.readouterr()
    main(build_args)
    assert "nothing changed since the last build" in capsys.readouterr().err


def test_the_fingerprints_of_a_build_are_made_from_the_files_as_it_saw_them(tmp_path, monkeypatch):
    """Asking the system about 20,000 files again took a tenth of a second at 10,000 articles."""
    seeds, docs = copy_project(tmp_path, with_tags=False)
    result = build(seeds, docs)
    created, taxonomy = frozenset(result.created_tag_files), seeds / "topics.yml"
    from_the_files = generator_inputs_besides(seeds, taxonomy, created, {}), generated_pages(docs)
    stats: list[str] = []

    class CountingOs:
        """The os module as state.py sees it, counting the files it asks the system about."""
        def __getattr__(self, name):
            return getattr(os, name)

        def stat(self, path, *args, **kwargs):
            stats.append(str(path))
            return os.stat(path, *args, **kwargs)
    monkeypatch.setattr(state_module, "os", CountingOs())
    as_seen = generator_inputs_besides(seeds, taxonomy, created, result.stamps), generated_pages(docs, result.stamps)
    assert as_seen == from_the_files
    asked = [path for path in stats if path.startswith((str(seeds.resolve()), str(docs.resolve())))]
    assert asked == [str((seeds / "topics.yml").resolve())]  # the one file it did not read as an article or tags
    edited = seeds / f"{ERDOGAN_CALL}.txt"  # an edit after the build read the file differs from what it saw
    edited.write_text(edited.read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
    assert generator_inputs_besides(seeds, taxonomy, created, result.stamps) != generator_inputs_besides(seeds, taxonomy, created, {})


def test_after_a_tag_edit_only_changed_pages_are_rendered_and_the_site_equals_a_full_build(tmp_path, capsys):
    seeds, docs = copy_project(tmp_path)
    site = tmp_path / "site"
    build_args = ["build", "--seeds", str(seeds), "--docs", str(docs), "--site", str(site)]
    assert main(build_args) == 0
    untouched = site / "about" / "index.html"
    before = untouched.stat().st_mtime_ns
    old_page = tmp_path / "old-page.html"  # the live page's file, as a reader may be served it
    os.link(site / "briefings" / PUTIN_CALL / "index.html", old_page)
    tag_file = seeds / f"{PUTIN_CALL}.yml"
    edit_title(tag_file)
    capsys.readouterr()
    assert main(build_args) == 0
    assert "(the changed pages, and 1 of 1 search bundles)" in capsys.readouterr().err
    assert untouched.stat().st_mtime_ns == before
    page = (site / "briefings" / PUTIN_CALL / "index.html").read_text(encoding="utf-8")
    assert "Edited - Putin and Macron" in page
    assert "Edited -" not in old_page.read_text(encoding="utf-8")  # a new file, not written through
    assert any("Edited - Putin and Macron" in r["meta"]["title"] for r in pagefind_records(site))
    assert_same_as_a_full_build(site, docs, tmp_path / "whole")


def test_the_site_links_the_json_export_instead_of_copying_it(tmp_path):
    """70 MB at 10,000 briefings, which an edit would copy again. The generator replaces the
    file whole, so the live site's link keeps the export it was published with."""
    seeds, docs = copy_project(tmp_path)
    site = tmp_path / "site"
    build_args = ["build", "--seeds", str(seeds), "--docs", str(docs), "--site", str(site)]
    export, published = docs / "data" / "briefings.json", site / "data" / "briefings.json"
    assert main(build_args) == 0
    assert published.samefile(export)
    held = tmp_path / "held.json"
    os.link(published, held)
    before = held.read_bytes()
    tag_file = seeds / f"{PUTIN_CALL}.yml"
    edit_title(tag_file)
    assert main(build_args) == 0
    assert published.samefile(export)
    assert b"Edited - Putin and Macron" in published.read_bytes()
    assert held.read_bytes() == before


def test_each_edit_renders_into_the_site_before_the_live_one_and_equals_a_full_build(tmp_path):
    """A full render leaves a spare of links to its pages, and each edit keeps the site it
    replaced as the spare; the next edit renders into it only what changed since, so no edit
    links or deletes every page. Nothing the live site holds is ever written through."""
    seeds, docs = copy_project(tmp_path)
    write_corpus(seeds, 6)
    site, spare = tmp_path / "site", tmp_path / ".site-spare-site"
    build_args = ["build", "--seeds", str(seeds), "--docs", str(docs), "--site", str(site)]

    def assert_spare_links_the_live_pages():
        pages = sorted(p.relative_to(site) for p in site.glob("briefings/*/index.html"))
        assert pages and pages == sorted(p.relative_to(spare) for p in spare.glob("briefings/*/index.html"))
        assert all((spare / page).stat().st_ino == (site / page).stat().st_ino for page in pages)
        assert not (spare / "pagefind").exists()

    assert main(build_args) == 0
    assert_spare_links_the_live_pages()
    for number, tag_file in enumerate(sorted(seeds.glob("0000*.yml"))[:3]):
        live = sorted(p for p in site.rglob("*") if p.is_file())
        held = tmp_path / f"held-{number}"  # the live files, as readers may be served them
        held.mkdir()
        for position, path in enumerate(live):
            os.link(path, held / str(position))
        contents = [path.read_bytes() for path in live]
        before = (site.stat().st_ino, spare.stat().st_ino if spare.exists() else None)
        edit_title(tag_file)
        assert main(build_args) == 0
        assert spare.stat().st_ino == before[0]  # the site it replaced
        assert site.stat().st_ino == before[1]  # rendered into the spare
        assert [(held / str(position)).read_bytes() for position in range(len(live))] == contents
        assert_same_as_a_full_build(site, docs, tmp_path / f"whole-{number}")
    assert main(build_args + ["--site-url", "https://example.org/briefings/"]) == 0
    assert_spare_links_the_live_pages()


def test_removing_and_adding_articles_renders_only_their_pages_and_equals_a_full_build(tmp_path, capsys):
    seeds, docs = copy_project(tmp_path)
    site = tmp_path / "site"
    build_args = ["build", "--seeds", str(seeds), "--docs", str(docs), "--site", str(site)]
    assert main(build_args) == 0
    (seeds / f"{ERDOGAN_CALL}.txt").rename(tmp_path / "held-back.txt")
    (seeds / f"{ERDOGAN_CALL}.yml").unlink()
    capsys.readouterr()
    assert main(build_args) == 0
    assert "(the changed pages, and 1 of 1 search bundles)" in capsys.readouterr().err
    assert not (site / "briefings" / ERDOGAN_CALL).exists()
    assert not (site / "countries" / "tr").exists()  # only that briefing named Türkiye
    assert_same_as_a_full_build(site, docs, tmp_path / "whole-after-removal")
    (tmp_path / "held-back.txt").rename(seeds / "later-article.txt")
    assert main(build_args) == 0
    assert "(the changed pages, and 1 of 1 search bundles)" in capsys.readouterr().err
    assert (site / "briefings" / "later-article" / "index.html").is_file()
    assert_same_as_a_full_build(site, docs, tmp_path / "whole-after-addition")


def test_an_edit_indexes_again_only_the_search_bundle_holding_its_page(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(index_module, "SEARCH_BUNDLE_SIZE", 4)
    seeds, docs = copy_project(tmp_path)
    write_corpus(seeds, 8)
    site = tmp_path / "site"
    build_args = ["build", "--seeds", str(seeds), "--docs", str(docs), "--site", str(site)]
    assert main(build_args) == 0
    assert json.loads((site / "pagefind" / "bundles.json").read_text()) == {"bundles": ["2/", "1/", "0/"]}
    tag_file = sorted(seeds.glob("0000*.yml"))[3]
    edit_title(tag_file)
    capsys.readouterr()
    assert main(build_args) == 0
    assert "(the changed pages, and 1 of 3 search bundles)" in capsys.readouterr().err
    assert any(r["meta"]["title"].startswith("Edited -") for r in pagefind_records(site))
    assert_same_as_a_full_build(site, docs, tmp_path / "whole")
    # An edit in another bundle renders into the spare, which already holds the bundle neither
    # edit touched: it is kept, the first edit's is linked from the live site.
    linked = []
    real_copytree = publish_module.shutil.copytree
    monkeypatch.setattr(publish_module.shutil, "copytree", lambda *args, **kwargs: linked.append(args[0]) or real_copytree(*args, **kwargs))
    tag_file = sorted(seeds.glob("0000*.yml"))[6]
    tag_file.write_text(tag_file.read_text(encoding="utf-8").replace("title:", "title: Edited again -", 1),
                        encoding="utf-8")
    assert main(build_args) == 0
    assert "(the changed pages, and 1 of 3 search bundles)" in capsys.readouterr().err
    assert [Path(source).name for source in linked if Path(source).parent.name == "pagefind"] == ["0"]
    assert_same_as_a_full_build(site, docs, tmp_path / "whole-again")


def assert_same_as_a_full_build(site, docs, whole):
    render_site(REPO / "mkdocs.yml", docs, whole)
    files = sorted(p.relative_to(whole) for p in whole.rglob("*") if p.is_file() and "pagefind" not in p.parts)
    assert files == sorted(p.relative_to(site) for p in site.rglob("*") if p.is_file() and "pagefind" not in p.parts)
    for path in files:
        if path.name != "sitemap.xml.gz":  # gzip stamps the time
            assert (site / path).read_bytes() == (whole / path).read_bytes(), path
    assert sorted(pagefind_records(site), key=lambda r: r["url"]) == sorted(pagefind_records(whole), key=lambda r: r["url"])
    assert (site / "pagefind" / "bundles.json").read_bytes() == (whole / "pagefind" / "bundles.json").read_bytes()


def test_a_warning_in_a_changed_page_is_reported_by_a_full_strict_build(tmp_path):
    seeds, docs = copy_project(tmp_path)
    site = tmp_path / "site"
    assert main(["build", "--seeds", str(seeds), "--docs", str(docs), "--site", str(site)]) == 0
    last_good = (site / "index.html").read_bytes()
    (docs / "briefings" / "broken.md").write_text("# Broken\n\n[a link](nowhere.md)\n", encoding="utf-8")
    with pytest.raises(RenderError, match="nowhere.md"):
        render_site(REPO / "mkdocs.yml", docs, site, changed_only=True)
    assert (site / "index.html").read_bytes() == last_good
    assert not (site / "briefings" / "broken").exists()


def test_a_disk_that_refuses_the_spare_costs_only_the_saving(tmp_path, capsys, monkeypatch):
    """The spare of links is an optimisation: when linking fails, the site is published all the
    same, and the next edit starts from links to the live pages and equals a full build."""
    seeds, docs = copy_project(tmp_path)
    site = tmp_path / "site"
    build_args = ["build", "--seeds", str(seeds), "--docs", str(docs), "--site", str(site)]

    def refuse(*args):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(publish_module.os, "link", refuse)
    assert main(build_args) == 0
    monkeypatch.undo()
    assert (site / "briefings" / PUTIN_CALL / "index.html").is_file()
    assert not (tmp_path / ".site-spare-site").exists() and not list(tmp_path.glob(".site-new-*"))
    tag_file = seeds / f"{PUTIN_CALL}.yml"
    edit_title(tag_file)
    capsys.readouterr()
    assert main(build_args) == 0
    assert "(the changed pages, and 1 of 1 search bundles)" in capsys.readouterr().err
    assert_same_as_a_full_build(site, docs, tmp_path / "whole")
