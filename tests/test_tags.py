"""Tag files: created once, never rewritten, and the editor's values win on the page."""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil

import pytest

from generator.build import CREATED_LISTED, build, extract_all, read_corpus
from generator.errors import InputError
from generator.model import Tags
from generator.tags import create_tag_file, read_tags, suggested_tags, tag_path_for
from tests.conftest import ERDOGAN_CALL, PUTIN_CALL, SAMPLES, build_site, copy_project


def test_first_build_creates_tag_files_with_suggestions(tmp_path):
    seeds, docs = copy_project(tmp_path, with_tags=False)
    log = io.StringIO()
    result = build(seeds, docs, log=log)
    assert log.getvalue().count("created tag file ") == 2
    assert sorted(p.name for p in result.created_tag_files) == [f"{ERDOGAN_CALL}.yml", f"{PUTIN_CALL}.yml"]
    text = (seeds / f"{ERDOGAN_CALL}.yml").read_text()
    assert "It is yours now" in text
    assert "title: Erdogan and Macron discuss Russia-Ukraine war in phone call" in text
    assert "countries: [RU, TR" in text and "russia-ukraine-war" in text


def test_a_new_tag_file_reads_back_as_the_suggestions_it_was_written_from(tmp_path, gazetteer, taxonomy):
    """A first build makes each briefing from the tags its new file gives (build._TagFileMaker),
    not from reading the file back: the two must be the same, on real articles."""
    seeds, docs = copy_project(tmp_path, with_tags=False)
    for sample in SAMPLES.glob("*.txt"):
        shutil.copy(sample, seeds / f"sample-{sample.name}")
    result = build(seeds, docs, log=io.StringIO())
    assert len(result.created_tag_files) == 2 + len(list(SAMPLES.glob("*.txt")))
    corpus = read_corpus(seeds)
    facts = extract_all(corpus)
    for article in corpus.articles:
        tags, problems, notices = read_tags(tag_path_for(article.path), gazetteer, taxonomy)
        assert (tags, problems, notices) == (suggested_tags(facts[article.slug]), [], []), article.path.name


def test_a_tag_file_an_editor_saves_while_the_build_runs_is_never_replaced(tmp_path):
    """The build lists the seeds folder once; a tag file saved after that is the editor's, and
    the machine's first version of it is dropped, leaving no temporary file behind."""
    seeds, _ = copy_project(tmp_path, with_tags=False)
    path = seeds / f"{PUTIN_CALL}.yml"
    path.write_text("title: The editor's title\n", encoding="utf-8")
    suggestion = Tags(title="The machine's title", countries=("RU",), topics=())
    assert create_tag_file(path, f"{PUTIN_CALL}.txt", suggestion, "seeds/topics.yml") is None
    assert path.read_text(encoding="utf-8") == "title: The editor's title\n"
    assert not [name for name in os.listdir(seeds) if name.endswith(".tmp")]


def test_a_temporary_file_a_killed_build_left_does_not_stop_a_new_tag_file(tmp_path):
    seeds, docs = copy_project(tmp_path, with_tags=False)
    left = seeds / f".{PUTIN_CALL}.yml.{os.getpid()}.tmp"  # the name this process writes it under first
    left.write_text("half a file")
    build(seeds, docs, log=io.StringIO())
    assert "title: " in (seeds / f"{PUTIN_CALL}.yml").read_text(encoding="utf-8")
    assert left.read_text() == "half a file"
    assert sorted(p.name for p in seeds.glob(".*")) == [left.name]  # its own temporary files are gone


def test_hand_edited_tag_file_survives_rebuild_and_shows_on_the_page(tmp_path):
    seeds, docs = copy_project(tmp_path)
    tag_file = seeds / f"{PUTIN_CALL}.yml"
    edited = ("# my notes stay\n"
              "topics:   [gaza]   # only this\n"
              "title: Putin and Macron talk for the first time since 2022\n"
              "date: 2025-07-01\n")
    tag_file.write_text(edited)
    site = build_site(tmp_path, seeds, docs)
    build(seeds, docs)
    assert tag_file.read_bytes() == edited.encode()
    page = (site / "briefings" / PUTIN_CALL / "index.html").read_text()
    assert "Putin and Macron talk for the first time since 2022" in page
    assert 'href="../../topics/gaza/"' in page and "topics/israel-iran/" not in page
    gaza = (site / "topics" / "gaza" / "index.html").read_text()
    assert PUTIN_CALL in gaza


def test_removed_field_falls_back_to_the_machine(tmp_path):
    seeds, docs = copy_project(tmp_path)
    (seeds / f"{PUTIN_CALL}.yml").write_text("date: 2025-07-01\n")
    result = build(seeds, docs)
    briefing = next(b for b in result.briefings if b.slug == PUTIN_CALL)
    assert briefing.title == "Putin and Macron speak by telephone"
    assert "nuclear-non-proliferation" in [t.slug for t in briefing.topics]
    assert briefing.date == dt.date(2025, 7, 1)


def test_country_names_are_normalised_to_codes(tmp_path):
    seeds, docs = copy_project(tmp_path)
    (seeds / f"{PUTIN_CALL}.yml").write_text("countries: [Turkey, Türkiye, france, RU]\n")
    briefing = next(b for b in build(seeds, docs).briefings if b.slug == PUTIN_CALL)
    assert [c.code for c in briefing.countries] == ["TR", "FR", "RU"]


def problems_for(tmp_path, text):
    seeds, docs = copy_project(tmp_path)
    (seeds / f"{PUTIN_CALL}.yml").write_text(text)
    with pytest.raises(InputError) as caught:
        build(seeds, docs)
    assert not (docs / "briefings").exists()  # nothing written
    return [str(p) for p in caught.value.problems]


def test_unknown_topic_names_file_and_slug_with_a_suggestion(tmp_path):
    [problem] = problems_for(tmp_path, "topics: [gaza, russia-ukrain-war]\n")
    assert f"{PUTIN_CALL}.yml:1" in problem and "unknown topic 'russia-ukrain-war'" in problem
    assert "did you mean 'russia-ukraine-war'?" in problem


def test_duplicate_key_is_reported_with_line(tmp_path):
    [problem] = problems_for(tmp_path, "topics: [gaza]\ntitle: A\ntopics: [syria]\n")
    assert f"{PUTIN_CALL}.yml:3:1: duplicate key 'topics' (first on line 1)" in problem


def test_every_problem_in_every_file_is_reported_at_once(tmp_path):
    seeds, docs = copy_project(tmp_path)
    (seeds / f"{PUTIN_CALL}.yml").write_text("topcis: [gaza]\ndate: 2025-02-30\n")
    (seeds / f"{ERDOGAN_CALL}.yml").write_text("countries: [Narnia]\ntitle: [a, b]\n")
    with pytest.raises(InputError) as caught:
        build(seeds, docs)
    text = "\n".join(str(p) for p in caught.value.problems)
    assert "unknown field 'topcis'" in text and "did you mean 'topics'?" in text
    assert "2025-02-30" in text and "not a real date" in text
    assert "unknown country 'Narnia'" in text
    assert "'title' must be text" in text
    assert len(caught.value.problems) == 4


def test_tab_indentation_and_syntax_errors_have_line_and_fix(tmp_path):
    [tab] = problems_for(tmp_path, "topics:\n\t- gaza\n")
    assert ":2:1: a tab is used for indentation" in tab and "indent with spaces" in tab
    [syntax] = problems_for(tmp_path / "again", "title: [unclosed\n")
    assert "YAML syntax error" in syntax and "fix:" in syntax


def test_failed_build_leaves_the_last_good_site(tmp_path):
    seeds, docs = copy_project(tmp_path)
    site = build_site(tmp_path, seeds, docs)
    before = (site / "index.html").read_bytes()
    (seeds / f"{PUTIN_CALL}.yml").write_text("topics: [no-such-topic]\n")
    with pytest.raises(InputError):
        build_site(tmp_path, seeds, docs)
    assert (site / "index.html").read_bytes() == before
    assert (docs / "briefings" / f"{PUTIN_CALL}.md").exists()


def test_a_first_build_of_a_large_desk_counts_the_tag_files_it_created(tmp_path):
    seeds, docs = copy_project(tmp_path, with_tags=False)
    for number in range(CREATED_LISTED):
        (seeds / f"copy-{number}.txt").write_bytes((seeds / f"{ERDOGAN_CALL}.txt").read_bytes())
    log = io.StringIO()
    build(seeds, docs, log=log)
    assert f"created {CREATED_LISTED + 2} tag files with the machine's suggestions" in log.getvalue()
    assert "created tag file " not in log.getvalue()
