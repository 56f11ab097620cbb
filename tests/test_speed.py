"""What keeps rebuilds fast: cached extraction, parallel extraction, related briefings at scale."""

from __future__ import annotations

import json
import os
import re
import shutil
import time

import pytest

import generator.build as build_module
import generator.cache as cache_module
import generator.feeds as feeds_module
import generator.index as index_module
import generator.ingest as ingest_module
import generator.output as output_module
from generator import parallel
from generator.build import FACTS_LAYOUT, build, extract_all, read_corpus
from generator.cache import ResultCache
from generator.synthetic import write_corpus
from tests.conftest import ERDOGAN_CALL, REPO, copy_project, edit_title


@pytest.fixture
def counted_extractions(monkeypatch):
    """Counts the articles extraction actually runs on (the cache answers the others)."""
    seen: list[str] = []
    real = build_module.extract

    def extract(article, *args):
        seen.append(article.slug)
        return real(article, *args)
    monkeypatch.setattr(build_module, "extract", extract)
    return seen


@pytest.fixture
def counted_reads(monkeypatch):
    """Counts the articles and tag files actually read (the readings kept answer the others)."""
    seen: list[str] = []

    def counting(module, name):
        real = getattr(module, name)

        def read(path, *args):
            seen.append(path.name)
            return real(path, *args)
        monkeypatch.setattr(module, name, read)
    counting(ingest_module, "read_article")
    counting(build_module, "read_tags")
    return seen


def test_a_rebuild_reads_only_the_files_that_changed(tmp_path, counted_reads):
    seeds, docs = copy_project(tmp_path)
    build(seeds, docs)
    assert sorted(counted_reads) == sorted(p.name for p in seeds.glob("*_*.*"))
    counted_reads.clear()
    build(seeds, docs)
    assert counted_reads == []
    tag_file = seeds / f"{ERDOGAN_CALL}.yml"
    edit_title(tag_file)
    result = build(seeds, docs)
    assert counted_reads == [tag_file.name]
    assert next(b for b in result.briefings if b.slug == ERDOGAN_CALL).title.startswith("Edited -")


def test_a_build_given_the_seeds_folder_by_another_path_reads_no_file_again(tmp_path, counted_reads, monkeypatch):
    seeds, docs = copy_project(tmp_path)
    build(seeds, docs)
    counted_reads.clear()
    monkeypatch.chdir(tmp_path)
    build(seeds.relative_to(tmp_path), docs.relative_to(tmp_path))
    assert counted_reads == []


def test_the_build_after_a_first_build_reads_no_tag_file_it_created(tmp_path, counted_reads):
    seeds, docs = copy_project(tmp_path, with_tags=False)
    build(seeds, docs)
    assert f"{ERDOGAN_CALL}.txt" in counted_reads
    assert not [name for name in counted_reads if name.endswith(".yml")]  # none yet: nothing to read
    counted_reads.clear()
    build(seeds, docs)
    assert counted_reads == []


def test_a_first_build_asks_the_system_about_no_missing_tag_file(tmp_path, monkeypatch):
    """The folder's listing tells which tag files exist; each article is stamped once, where it is read."""
    seeds, docs = copy_project(tmp_path, with_tags=False)
    stamped: list[str] = []
    real = cache_module._stamp
    monkeypatch.setattr(cache_module, "_stamp", lambda path: stamped.append(path.name) or real(path))
    build(seeds, docs)
    assert sorted(stamped) == sorted(p.name for p in seeds.glob("*_*.txt"))


def test_a_taxonomy_change_reads_every_tag_file_again(tmp_path, counted_reads):
    seeds, docs = copy_project(tmp_path)
    build(seeds, docs)
    counted_reads.clear()
    taxonomy = seeds / "topics.yml"
    taxonomy.write_text(taxonomy.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    build(seeds, docs)
    assert len([name for name in counted_reads if name.endswith(".yml")]) == 2


def test_unchanged_articles_are_not_extracted_again(tmp_path, counted_extractions):
    seeds, docs = copy_project(tmp_path)
    first = build(seeds, docs)
    assert len(counted_extractions) == 2
    counted_extractions.clear()
    again = build(seeds, docs)
    assert counted_extractions == []
    assert again.briefings == first.briefings


def test_an_edited_article_is_extracted_again_and_only_it(tmp_path, counted_extractions):
    seeds, docs = copy_project(tmp_path)
    build(seeds, docs)
    counted_extractions.clear()
    article = seeds / f"{ERDOGAN_CALL}.txt"
    article.write_text(article.read_text(encoding="utf-8") + "\nPope Leo said peace was near.\n", encoding="utf-8")
    result = build(seeds, docs)
    assert counted_extractions == [ERDOGAN_CALL]
    erdogan = next(b for b in result.briefings if b.slug == ERDOGAN_CALL)
    assert "Leo" in {p.name for p in erdogan.people}


def test_a_taxonomy_change_invalidates_every_cached_result(tmp_path, counted_extractions):
    seeds, docs = copy_project(tmp_path)
    build(seeds, docs)
    counted_extractions.clear()
    taxonomy = seeds / "topics.yml"
    taxonomy.write_text(taxonomy.read_text(encoding="utf-8").replace("phone call", "telephone call", 1),
                        encoding="utf-8")
    build(seeds, docs)
    assert len(counted_extractions) == 2


def test_a_damaged_cache_file_is_ignored_and_rewritten(tmp_path):
    seeds, docs = copy_project(tmp_path)
    build(seeds, docs)
    cache = tmp_path / ".cache" / "facts.pickle"
    cache.write_bytes(b"not a pickle")
    result = build(seeds, docs)
    assert len(result.briefings) == 2
    assert len(ResultCache(cache, FACTS_LAYOUT)._entries) == 2


def test_parallel_extraction_gives_the_same_facts_as_serial(tmp_path, monkeypatch):
    seeds = tmp_path / "seeds"
    write_corpus(seeds, 240)
    shutil.copy(REPO / "seeds" / "topics.yml", seeds / "topics.yml")
    corpus = read_corpus(seeds)
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 10**9)
    serial = extract_all(corpus)
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 2)
    assert extract_all(corpus) == serial


def test_a_build_on_every_core_writes_what_a_build_on_one_writes(tmp_path, monkeypatch):
    """Articles, tag files, extraction and pages each go to worker processes from 200 jobs on."""
    def project(name: str):
        seeds, docs = tmp_path / name / "seeds", tmp_path / name / "docs"
        write_corpus(seeds, 240)
        shutil.copy(REPO / "seeds" / "topics.yml", seeds / "topics.yml")
        return seeds, docs

    def files(folder):
        return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}

    monkeypatch.setattr(parallel, "PARALLEL_FROM", 10**9)
    serial = build(*project("serial"))
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 2)
    on_every_core = build(*project("parallel"))
    assert on_every_core.written == serial.written and len(serial.created_tag_files) == 240
    assert files(tmp_path / "parallel" / "docs") == files(tmp_path / "serial" / "docs")
    assert files(tmp_path / "parallel" / "seeds") == files(tmp_path / "serial" / "seeds")


def test_the_page_keys_a_first_build_makes_on_every_core_let_a_rebuild_make_no_page(tmp_path, monkeypatch):
    """A first build's page keys are made by the processes that write the pages (model.Page)."""
    seeds, docs = tmp_path / "seeds", tmp_path / "docs"
    write_corpus(seeds, 240)
    shutil.copy(REPO / "seeds" / "topics.yml", seeds / "topics.yml")
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 2)
    first = build(seeds, docs)
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 10**9)
    made: list[str] = []
    real = output_module._write_if_changed
    monkeypatch.setattr(output_module, "_write_if_changed", lambda path, page, *rest: made.append(page.path) or real(path, page, *rest))
    again = build(seeds, docs)
    keyless = {"index.md", "archive/index.md", "countries/index.md", "topics/index.md", "people/index.md",
               "feed.xml", "data/search-bundles.json"}  # a few pages made afresh by every build
    assert set(made) == keyless and again.written.unchanged == first.written.written > 240


@pytest.fixture
def made_pages(monkeypatch):
    """The pages whose text a build makes (the others' inputs are unchanged), all in this
    process, where they are counted."""
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 10**9)
    made: list[str] = []
    real = output_module._write_if_changed

    def write_if_changed(path, page, *rest):
        made.append(page.path)
        return real(path, page, *rest)
    monkeypatch.setattr(output_module, "_write_if_changed", write_if_changed)
    return made


def test_after_a_title_edit_only_the_briefings_that_show_the_title_are_made_again(tmp_path, made_pages):
    seeds, docs = copy_project(tmp_path / "edited")
    write_corpus(seeds, 30)
    build(seeds, docs)
    made_pages.clear()
    build(seeds, docs)
    assert not [path for path in made_pages if path.startswith("briefings/")]
    tag_file = sorted(seeds.glob("0000*.yml"))[0]
    edit_title(tag_file)
    build(seeds, docs)
    showing = {f"briefings/{p.name}" for p in (docs / "briefings").glob("*.md") if "Edited -" in p.read_text(encoding="utf-8")}
    assert f"briefings/{tag_file.stem}.md" in showing and len(showing) > 1  # itself, and where it is related
    assert {path for path in made_pages if path.startswith("briefings/")} == showing
    _same_as_a_fresh_build(tmp_path, seeds, docs)


def _same_as_a_fresh_build(tmp_path, seeds, docs) -> None:
    fresh_seeds, fresh_docs = copy_project(tmp_path / "fresh")
    for path in seeds.iterdir():
        shutil.copy(path, fresh_seeds / path.name)
    build(fresh_seeds, fresh_docs)
    generated = sorted(p.relative_to(docs) for p in docs.rglob("*") if p.is_file())
    assert generated == sorted(p.relative_to(fresh_docs) for p in fresh_docs.rglob("*") if p.is_file())
    for path in generated:
        assert (docs / path).read_bytes() == (fresh_docs / path).read_bytes(), path


def test_after_editing_countries_topics_and_dates_every_page_is_as_a_fresh_build_makes_it(tmp_path, made_pages):
    seeds, docs = copy_project(tmp_path / "edited")
    write_corpus(seeds, 30)
    build(seeds, docs)
    first, second = sorted(seeds.glob("0000*.yml"))[:2]
    text = first.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^countries: .*$", "countries: [FR, Japan]", text)
    text = re.sub(r"(?m)^topics: .*$", "topics: [post-war-security-guarantees]", text)
    first.write_text(text.replace("date:", "date: 2019-05-04", 1), encoding="utf-8")
    second.write_text(re.sub(r"(?m)^topics: .*$", "", second.read_text(encoding="utf-8")), encoding="utf-8")
    made_pages.clear()
    build(seeds, docs)
    assert {"countries/fr.md", "countries/jp.md", "topics/post-war-security-guarantees.md"} <= set(made_pages)
    assert len(made_pages) < len(list(docs.rglob("*.*"))) / 2
    _same_as_a_fresh_build(tmp_path, seeds, docs)


def test_after_a_title_edit_the_json_export_makes_only_that_briefing_record_again(tmp_path, monkeypatch):
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 10**9)
    made: list[str] = []
    real = feeds_module.briefing_record

    def briefing_record(briefing):
        made.append(briefing.slug)
        return real(briefing)
    monkeypatch.setattr(feeds_module, "briefing_record", briefing_record)
    seeds, docs = copy_project(tmp_path)
    write_corpus(seeds, 30)
    build(seeds, docs)
    assert len(made) == 32
    made.clear()
    tag_file = sorted(seeds.glob("0000*.yml"))[0]
    edit_title(tag_file)
    build(seeds, docs)
    assert made == [tag_file.stem]
    export = json.loads((docs / "data" / "briefings.json").read_text(encoding="utf-8"))["briefings"]
    assert len(export) == 32 and next(b for b in export if b["slug"] == tag_file.stem)["title"].startswith("Edited -")


def test_an_export_made_by_a_helper_process_is_the_next_builds_cache(tmp_path, monkeypatch):
    """A first build makes its pages on every core, the export in whichever process takes it:
    that process keeps where its lines are, so an edit makes one line again, not 32."""
    seeds, docs = copy_project(tmp_path)
    write_corpus(seeds, 30)
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 1)
    build(seeds, docs)
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 10**9)
    made: list[str] = []
    real = feeds_module.briefing_record
    monkeypatch.setattr(feeds_module, "briefing_record", lambda briefing: made.append(briefing.slug) or real(briefing))
    tag_file = sorted(seeds.glob("0000*.yml"))[0]
    edit_title(tag_file)
    build(seeds, docs)
    assert made == [tag_file.stem]
    _same_as_a_fresh_build(tmp_path, seeds, docs)


def test_a_damaged_record_of_the_exports_lines_is_ignored(tmp_path):
    seeds, docs = copy_project(tmp_path)
    write_corpus(seeds, 30)
    build(seeds, docs)
    (tmp_path / ".cache" / "export-lines.pickle").write_bytes(b"not a pickle")
    edit_title(sorted(seeds.glob("0000*.yml"))[0])
    build(seeds, docs)
    _same_as_a_fresh_build(tmp_path, seeds, docs)


def test_a_renamed_article_is_listed_and_exported_under_its_new_name(tmp_path):
    seeds, docs = copy_project(tmp_path / "renamed")
    write_corpus(seeds, 30)
    build(seeds, docs)
    article = sorted(seeds.glob("0000*.txt"))[0]
    for old in (article, article.with_suffix(".yml")):
        old.rename(old.with_name("renamed-" + old.name))
    build(seeds, docs)
    assert f"briefings/{article.stem}/" not in (docs / "archive" / "index.md").read_text(encoding="utf-8")
    assert f'"slug":"{article.stem}"' not in (docs / "data" / "briefings.json").read_text(encoding="utf-8")
    _same_as_a_fresh_build(tmp_path, seeds, docs)


def test_two_copies_of_an_article_are_exported_each_under_its_own_name(tmp_path):
    seeds, docs = copy_project(tmp_path)
    write_corpus(seeds, 30)
    original = sorted(seeds.glob("0000*.txt"))[0]
    shutil.copy(original, seeds / f"copy-{original.name}")
    build(seeds, docs)
    edit_title(sorted(seeds.glob("0000*.yml"))[1])
    build(seeds, docs)
    slugs = [b["slug"] for b in json.loads((docs / "data" / "briefings.json").read_text(encoding="utf-8"))["briefings"]]
    assert sorted(slugs).count(original.stem) == 1 and f"copy-{original.stem}" in slugs
    _same_as_a_fresh_build(tmp_path, seeds, docs)


def test_an_export_changed_by_hand_is_not_taken_for_the_last_one(tmp_path):
    """Its lines are found again only in the file the last build wrote: a file changed since
    (here, by a hand of the same size) is made again whole, not patched."""
    seeds, docs = copy_project(tmp_path)
    write_corpus(seeds, 30)
    build(seeds, docs)
    export = docs / "data" / "briefings.json"
    export.write_bytes(export.read_bytes().replace(b'"summary":"', b'"summary":"X', 1).replace(b'"text":"', b'"text":"', 1)[:-1])
    assert b'"summary":"X' in export.read_bytes()
    edit_title(sorted(seeds.glob("0000*.yml"))[0])
    build(seeds, docs)
    assert b'"summary":"X' not in export.read_bytes()
    _same_as_a_fresh_build(tmp_path, seeds, docs)


def test_related_briefings_are_computed_again_only_when_what_they_are_computed_from_changed(tmp_path, monkeypatch):
    computed: list[int] = []
    real = index_module._RelatedScores

    def related(briefings):
        computed.append(len(briefings))
        return real(briefings)
    monkeypatch.setattr(index_module, "_RelatedScores", related)
    seeds, docs = copy_project(tmp_path)
    write_corpus(seeds, 30)
    build(seeds, docs)
    assert computed == [32]
    tag_file = sorted(seeds.glob("0000*.yml"))[0]
    edit_title(tag_file)
    build(seeds, docs)
    assert computed == [32]
    tag_file.write_text(re.sub(r"(?m)^topics: .*$", "topics: [post-war-security-guarantees]",
                               tag_file.read_text(encoding="utf-8")), encoding="utf-8")
    build(seeds, docs)
    assert computed == [32, 32]
    _same_as_a_fresh_build(tmp_path, seeds, docs)


def test_the_benchmark_prints_a_table_and_one_json_line_per_size_with_the_keys_the_issue_names(tmp_path, monkeypatch, capsys):
    """`make bench` end to end on two small corpora: a no-op writes nothing, an edit writes only
    the pages that depend on it, and the figures are consistent with each other."""
    from tests import bench
    monkeypatch.setattr(bench, "WORK", tmp_path)
    monkeypatch.setattr(bench, "TRASH", tmp_path / ".trash")
    assert bench.main(["--sizes", "24", "12", "--no-search"]) == 0
    output = capsys.readouterr().out.splitlines()
    assert output[0].startswith("| articles | generator_cold_s |")
    results = [json.loads(line) for line in output if line.startswith("{")]
    assert [r["articles"] for r in results] == [12, 24]  # the largest last
    for result in results:
        assert {"articles", "generator_cold_s", "mkdocs_s", "overhead_ratio", "noop_s", "noop_files_written",
                "edit_files_written", "edit_rebuild_s", "full_build_s", "search_index_ratio", "site_mb",
                "peak_rss_mb"} <= set(result)
        assert result["noop_files_written"] == 0
        generated = sum(1 for page in (tmp_path / str(result["articles"]) / "docs").rglob("*") if page.is_file())
        assert 1 <= result["edit_files_written"] < generated / 2
        assert abs(result["overhead_ratio"] - (result["generator_cold_s"] + result["mkdocs_s"]) / result["mkdocs_s"]) < 0.01
        assert 0 < result["search_index_ratio"] < 1.5 and result["site_mb"] > 0 and result["peak_rss_mb"] > 0
        assert result["edit_bundles_indexed"] == 1 == result["search_bundles"]
    assert not (tmp_path / ".trash").exists()


def test_a_benchmark_started_within_five_minutes_of_the_last_ones_deletions_waits_them_out(tmp_path, monkeypatch):
    """Files made next to thousands deleted minutes before cost several times as much here
    (bench.TRASH): a run does not start timing until its last run's deletions are five minutes old."""
    from tests import bench
    monkeypatch.setattr(bench, "TRASH", tmp_path / ".trash")
    waited: list[float] = []
    monkeypatch.setattr(bench.time, "sleep", waited.append)
    bench.wait_for_deletions_to_settle()
    assert waited == []  # nothing deleted yet
    (tmp_path / ".trash" / "10000").mkdir(parents=True)
    bench.delete_set_aside()
    assert not (tmp_path / ".trash").exists()
    bench.wait_for_deletions_to_settle()
    assert len(waited) == 1 and bench.DELETIONS_SETTLE_S - 60 < waited[0] <= bench.DELETIONS_SETTLE_S
    six_minutes_ago = time.time() - 360
    os.utime(tmp_path / ".trash-deleted", (six_minutes_ago, six_minutes_ago))
    bench.wait_for_deletions_to_settle()
    assert len(waited) == 1
    in_a_day = time.time() + 86_400  # the clock set back since the deletion: five minutes at most
    os.utime(tmp_path / ".trash-deleted", (in_a_day, in_a_day))
    bench.wait_for_deletions_to_settle()
    assert waited[-1] == bench.DELETIONS_SETTLE_S


def test_the_stage_timer_times_every_stage_of_a_cold_build_on_every_core_or_one(tmp_path, monkeypatch, capsys):
    """`python -m tests.stages`: the figures behind the README's table of where the time goes."""
    from tests import stages
    monkeypatch.setattr(stages, "WORK", tmp_path)
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 2)
    for argv, helped in ((["--articles", "240"], True), (["--articles", "240", "--one-process"], False)):
        assert stages.main(argv) == 0
        result = json.loads(capsys.readouterr().out.splitlines()[-1])
        assert [stage["name"] for stage in result["stages"]] == list(stages.STAGES)
        assert sum(stage["wall_s"] for stage in result["stages"]) <= result["build_s"]
        extraction = next(stage for stage in result["stages"] if stage["name"] == "extract_all")
        assert (extraction["helpers_cpu_s"] > 0) == helped and extraction["cpu_s"] > 0
    assert list(tmp_path.iterdir()) == []  # each run's folder deleted after it


def _cache_with(path, entries: dict[str, bytes], layout: str = "test") -> ResultCache[bytes]:
    cache = ResultCache[bytes](path, layout)
    for key, value in entries.items():
        if cache.get(key) != value:
            cache.put(key, value)
    cache.save()
    return cache


def test_a_cache_saved_after_one_change_adds_that_entry_and_does_not_write_the_rest_again(tmp_path):
    path = tmp_path / "cache.pickle"
    entries = {f"key {n}": bytes([n % 256]) * 1000 for n in range(100)}
    _cache_with(path, entries)
    whole = path.stat().st_size
    inode = path.stat().st_ino
    entries["key 7"] = b"changed" * 100
    _cache_with(path, entries)
    assert path.stat().st_ino == inode and whole < path.stat().st_size < whole + 1000
    assert ResultCache[bytes](path, "test")._entries == entries


def test_a_cache_whose_entries_are_mostly_unused_is_written_afresh_with_the_used_ones(tmp_path):
    path = tmp_path / "cache.pickle"
    _cache_with(path, {f"old {n}": b"x" * 1000 for n in range(100)})
    _cache_with(path, {f"new {n}": b"y" * 1000 for n in range(40)})
    assert set(ResultCache[bytes](path, "test")._entries) == {f"new {n}" for n in range(40)}
    assert path.stat().st_size < 50 * 1000


def test_a_cache_cut_short_by_a_killed_build_keeps_what_is_whole_and_is_then_written_afresh(tmp_path):
    path = tmp_path / "cache.pickle"
    first = {f"key {n}": b"x" * 1000 for n in range(100)}
    _cache_with(path, first)
    _cache_with(path, {**first, "late": b"y" * 1000})
    with path.open("r+b") as handle:
        handle.truncate(path.stat().st_size - 10)
    assert ResultCache[bytes](path, "test")._entries == first
    _cache_with(path, {**first, "later": b"z" * 1000})
    assert ResultCache[bytes](path, "test")._entries == {**first, "later": b"z" * 1000}
    assert ResultCache[bytes](path, "another layout")._entries == {}


def test_related_briefings_made_in_a_helper_process_are_those_made_here(tmp_path, monkeypatch):
    """At scale they are computed beside the rest of the index; the pages must not tell."""
    monkeypatch.setattr(parallel.os, "sched_getaffinity", lambda pid: {0, 1})
    seeds, docs = copy_project(tmp_path)
    write_corpus(seeds, parallel.PARALLEL_FROM)
    briefings = list(build(seeds, docs).briefings)
    helpers: list[object] = []

    def shared_with_a_helper(task, count, **options):
        helpers.append(task)
        return parallel.shared_with_a_helper(task, count, **options)
    monkeypatch.setattr(index_module, "shared_with_a_helper", shared_with_a_helper)
    monkeypatch.setattr(index_module, "_BLOCK", 8)  # blocks for both processes to share
    scorers = tmp_path / "scorers"
    real = index_module._RelatedScores

    def scores(ordered):
        with scorers.open("a") as handle:
            handle.write(f"{os.getpid()}\n")
        return real(ordered)
    monkeypatch.setattr(index_module, "_RelatedScores", scores)
    beside = index_module._related_known(briefings, None).wait()
    assert len(helpers) == 1
    # the helper made its own matrices, not this process before the helper could begin
    assert set(scorers.read_text().split()) - {str(os.getpid())}
    monkeypatch.setattr(parallel, "PARALLEL_FROM", len(briefings) + 1)
    here = index_module._related_known(briefings, None).wait()
    assert len(helpers) == 1
    assert {slug: [b.slug for b in found] for slug, found in beside.items()} == \
        {slug: [b.slug for b in found] for slug, found in here.items()}
    assert sum(1 for found in here.values() if found) > len(briefings) / 2
