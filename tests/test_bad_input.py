"""Nothing in an article or a tag file can break the site, inject into it, or lose work."""

from __future__ import annotations

import io
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.build import build
from generator.errors import InputError, Problem
from generator.extract import extract
from generator.ingest import read_article, slug_for
from generator.output import exclusive_build
from generator.tags import read_tags
from generator.yamlfile import load_yaml
from tests.conftest import ERDOGAN_CALL, PUTIN_CALL, REPO, SEEDS, build_site, copy_project

BAD = REPO / "tests" / "corpus" / "bad"


def seeds_with(tmp_path: Path, *names: str) -> tuple[Path, Path]:
    seeds, docs = copy_project(tmp_path)
    for name in names:
        shutil.copy(BAD / name, seeds / name)
    return seeds, docs


def problem_text(seeds, docs, **kwargs) -> str:
    with pytest.raises(InputError) as caught:
        build(seeds, docs, **kwargs)
    return "\n".join(str(p) for p in caught.value.problems)


# 1. No injection

@pytest.fixture(scope="module")
def injected_site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("injection")
    seeds, docs = seeds_with(tmp, "injection.txt", "injection.yml", "front_matter.txt")
    return build_site(tmp, seeds, docs)


def all_html(site: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in site.rglob("*.html"))


def test_article_markup_creates_no_element_link_or_script(injected_site):
    page = (injected_site / "briefings" / "injection" / "index.html").read_text(encoding="utf-8")
    everything = all_html(injected_site)
    for forbidden in ("<script>alert", "<img src=x", "<iframe", "<style>body", "<a href=\"http://evil",
                      'class="admonition'):
        assert forbidden not in everything, forbidden
    assert not re.search(r'<a\s[^>]*href="javascript:', everything)
    assert not re.search(r"<[a-z]+[^>]*\son[a-z]+=", everything)  # no element with an event handler
    article = page.split('id="original-text"')[1]
    assert "<ol>" not in article and "<ul>" not in article and "<table>" not in article
    assert "<pre>" not in article and "<blockquote>" not in article and "<h1" not in article
    assert "&#60;script&#62;alert" in page or "&lt;script&gt;alert" in page  # shown as text


def test_tag_file_fields_are_text_too(injected_site):
    page = (injected_site / "briefings" / "injection" / "index.html").read_text(encoding="utf-8")
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert "<" not in title and "&lt;/title&gt;&lt;script&gt;" in title
    assert page.count("<script>alert('title')") == 0 and "alert(4)" not in page.split("javascript")[0]
    assert not re.search(r'<a\s[^>]*href="javascript', page)


def test_front_matter_and_directives_in_articles_do_nothing(injected_site):
    page = (injected_site / "briefings" / "front_matter" / "index.html").read_text(encoding="utf-8")
    assert "title: front matter" in page.replace("&#58;", ":")  # shown as text, not read as metadata
    injection = (injected_site / "briefings" / "injection" / "index.html").read_text(encoding="utf-8")
    assert "{{ config.site_name }} {% if true %}jinja{% endif %}" in injection  # shown as text: Jinja never ran
    pages = sorted(p.parent.name for p in (injected_site / "briefings").glob("*/index.html"))
    assert pages == ["000_54f3c810c016e2fc", "001_b24fd5140df5d674", "front_matter", "injection"]


# 2. Encodings and shapes

@pytest.mark.parametrize("name", ["crlf.txt", "cr_only.txt", "bom.txt", "no_breaks.txt", "cyrillic.txt"])
def test_odd_but_valid_text_builds(tmp_path, name):
    seeds, docs = seeds_with(tmp_path, name)
    result = build(seeds, docs)
    briefing = next(b for b in result.briefings if b.article.path.name == name)
    assert briefing.facts.summary
    assert "\ufeff" not in briefing.article.body and "\r" not in briefing.article.body


def test_cyrillic_and_turkish_letters_survive(tmp_path):
    seeds, docs = seeds_with(tmp_path, "cyrillic.txt")
    build(seeds, docs)
    page = (docs / "briefings" / "cyrillic.md").read_text(encoding="utf-8")
    assert "Владимир Путин" in page and "İstanbul" in page and "فيصل بن فرحان" in page


def test_windows_1252_is_read_with_a_warning_that_names_the_file(tmp_path):
    seeds, docs = seeds_with(tmp_path, "windows1252.txt")
    result = build(seeds, docs)
    [notice] = [n for n in result.notices if n.path.name == "windows1252.txt"]
    assert "read as Windows-1252" in str(notice) and "Save it as UTF-8" in str(notice)
    page = (docs / "briefings" / "windows1252.md").read_text(encoding="utf-8")
    assert "café" in page and "Germany’s" in page


def test_empty_nul_and_huge_articles_are_all_reported_and_the_rest_still_build(tmp_path):
    seeds, docs = seeds_with(tmp_path, "empty.txt", "whitespace.txt", "nul.txt")
    with open(seeds / "huge.txt", "w") as huge:
        huge.write("Russian President Vladimir Putin spoke. " * 520_000)  # about 20 MB
    text = problem_text(seeds, docs)
    assert "empty.txt: the article has no text" in text
    assert "whitespace.txt: the article has no text" in text
    assert "nul.txt:1: contains NUL bytes" in text
    assert "huge.txt: article is 20,800,000 bytes" in text and "split it" in text
    assert not (docs / "briefings").exists()
    result = build(seeds, docs, keep_going=True)
    assert sorted(b.slug for b in result.briefings) == ["000_54f3c810c016e2fc", PUTIN_CALL]
    assert len(result.skipped) == 4


# 3. File names

def test_file_names_give_unique_stable_urls_inside_the_site(tmp_path):
    seeds, docs = copy_project(tmp_path)
    text = (SEEDS / f"{PUTIN_CALL}.txt").read_text()
    for name in ("my article.txt", "Ünïcödé.txt", "статья.txt", "A.txt", "a.txt", ".hidden.txt",
                 "x.md", "..txt", "%2e%2e%2f.txt"):
        (seeds / name).write_text(text)
    result = build(seeds, docs)
    slugs = [b.slug for b in result.briefings]
    assert len(slugs) == len(set(slugs)) == 8  # hidden files (.hidden.txt, ..txt) and x.md are not articles
    assert all(re.fullmatch(r"[a-z0-9_-]+", slug) for slug in slugs)
    assert "a" in slugs and slug_for(Path("A.txt")) != "a"
    assert slug_for(Path("A.txt")) == slug_for(Path("A.txt"))  # stable
    pages = {p.resolve() for p in docs.rglob("*.md")}
    assert all(docs.resolve() in p.parents for p in pages)


def test_symlink_outside_seeds_is_refused(tmp_path):
    seeds, docs = copy_project(tmp_path)
    outside = tmp_path / "secret.txt"
    outside.write_text("Russian President Vladimir Putin spoke.")
    (seeds / "link.txt").symlink_to(outside)
    assert "link.txt: is a link to a file outside the seeds folder" in problem_text(seeds, docs)



def test_links_to_a_named_pipe_a_folder_or_nothing_are_refused_without_waiting(tmp_path):
    """An article is opened without waiting for a writer: a named pipe would otherwise hold
    the build for ever."""
    seeds, docs = copy_project(tmp_path)
    os.mkfifo(seeds / "pipe")
    (seeds / "folder").mkdir()
    for name, target in (("pipe.txt", "pipe"), ("folder.txt", "folder"), ("gone.txt", "nowhere")):
        (seeds / name).symlink_to(seeds / target)
    problems = problem_text(seeds, docs)
    for name in ("pipe.txt", "folder.txt", "gone.txt"):
        assert f"{name}: is not a readable file" in problems


# 4. Tag files

def test_alias_bomb_is_refused_with_bounded_work(tmp_path):
    seeds, docs = copy_project(tmp_path)
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, 10):
        lines.append(f"{chr(97 + level)}: &{chr(97 + level)} [" + ",".join([f"*{chr(96 + level)}"] * 9) + "]")
    (seeds / f"{PUTIN_CALL}.yml").write_text("\n".join(lines) + "\n")
    assert "alias bomb" in problem_text(seeds, docs)


def test_deep_nesting_and_huge_tag_files_are_refused(tmp_path):
    seeds, docs = copy_project(tmp_path)
    (seeds / f"{PUTIN_CALL}.yml").write_text("topics: " + "[" * 5000 + "]" * 5000 + "\n")
    assert "nested too deeply" in problem_text(seeds, docs)
    with open(seeds / f"{PUTIN_CALL}.yml", "w") as big:
        big.write("# padding\n" * 5_000_000)  # 50 MB
    assert "50,000,000 bytes" in problem_text(seeds, docs)


def test_a_build_that_fails_on_a_person_correction_creates_no_tag_file(tmp_path):
    """Nothing changed means no new tag file either, though the article beside it is fine."""
    seeds, docs = copy_project(tmp_path)
    (seeds / f"{PUTIN_CALL}.yml").unlink()
    erdogan_tags = seeds / f"{ERDOGAN_CALL}.yml"
    erdogan_tags.write_text(erdogan_tags.read_text(encoding="utf-8") + "people:\n  Recep Erdgan: {country: TR}\n",
                            encoding="utf-8")
    with pytest.raises(InputError) as failure:
        build(seeds, docs)
    assert "'Recep Erdgan' is not among the people found in the article" in str(failure.value.problems[0])
    assert not (seeds / f"{PUTIN_CALL}.yml").exists()


def test_a_person_correction_in_a_later_article_still_stops_every_new_tag_file(tmp_path):
    """New tag files are written as the facts arrive (build._TagFileMaker), those from the cache
    first, but only once every correction is checked: one in an article extracted after them
    stops them all."""
    seeds, docs = copy_project(tmp_path)
    erdogan_tags, putin_tags = seeds / f"{ERDOGAN_CALL}.yml", seeds / f"{PUTIN_CALL}.yml"
    erdogan_tags.unlink()
    build(seeds, docs, log=io.StringIO())  # the Erdogan call's facts (no tag file, no date) are in the cache now
    erdogan_tags.unlink()
    text = putin_tags.read_text(encoding="utf-8")
    assert "date: 2025-07-01" in text
    putin_tags.write_text(text.replace("date: 2025-07-01", "date: 2025-07-02")  # its facts extracted again
                          + "people:\n  Vladimir Ptin: {country: RU}\n", encoding="utf-8")
    with pytest.raises(InputError) as failure:
        build(seeds, docs, log=io.StringIO())
    assert "'Vladimir Ptin' is not among the people found in the article" in str(failure.value.problems[0])
    assert "did you mean 'Vladimir Putin'?" in str(failure.value.problems[0])
    assert not erdogan_tags.exists()


# 5. Atomic builds

def test_killed_builds_leave_a_usable_site_and_intact_tag_files(tmp_path):
    seeds, docs = copy_project(tmp_path)
    site = build_site(tmp_path, seeds, docs)
    tags_before = {p.name: p.read_bytes() for p in seeds.glob("*.yml")}
    (seeds / "new.txt").write_text((SEEDS / f"{PUTIN_CALL}.txt").read_text())
    command = [sys.executable, "-m", "generator", "build", "--seeds", str(seeds), "--docs", str(docs),
               "--site", str(site), "--config", str(REPO / "mkdocs.yml")]
    for delay in (0.3, 0.8, 1.5, 2.5, 4.0):
        process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert (site / "index.html").is_file() and (site / "briefings" / PUTIN_CALL / "index.html").is_file()
        assert {p.name: p.read_bytes() for p in seeds.glob("*.yml") if p.name in tags_before} == tags_before
    finished = subprocess.run(command, cwd=REPO, capture_output=True, text=True)
    assert finished.returncode == 0, finished.stderr
    assert (site / "briefings" / "new" / "index.html").is_file()
    assert [p.name for p in tmp_path.glob(".site-*")] == [".site-spare-site"]  # no leftovers
    assert not list(docs.rglob(".*.tmp"))


def test_a_second_build_at_the_same_time_refuses_clearly(tmp_path):
    seeds, docs = copy_project(tmp_path)
    with exclusive_build(docs.resolve().parent):
        result = subprocess.run([sys.executable, "-m", "generator", "build", "--seeds", str(seeds),
                                 "--docs", str(docs)], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 1
    assert f"another build is running here (pid {os.getpid()})" in result.stderr


def test_a_bug_in_extraction_names_the_article_it_failed_on_and_changes_nothing(tmp_path, monkeypatch):
    import generator.build as build_module
    seeds, docs = copy_project(tmp_path)
    real = build_module.extract

    def extract(article, *args):
        if article.slug == ERDOGAN_CALL:
            raise KeyError("Latin America")  # as a role naming a region once did
        return real(article, *args)
    monkeypatch.setattr(build_module, "extract", extract)
    tags_before = {p.name: p.read_bytes() for p in seeds.glob("*.yml")}
    with pytest.raises(KeyError) as failure:
        build(seeds, docs)
    assert any(f"{ERDOGAN_CALL}.txt" in note and "move that file out of the seeds folder" in note
               for note in failure.value.__notes__)
    assert not (docs / "briefings").exists()
    assert {p.name: p.read_bytes() for p in seeds.glob("*.yml")} == tags_before


# Fuzzing: only the project's own error type, never a traceback

@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000))
def test_article_reader_never_crashes(tmp_path_factory, raw):
    path = tmp_path_factory.mktemp("fuzz") / "fuzz.txt"
    path.write_bytes(raw)
    article, problem, _ = read_article(path, "fuzz")
    assert (article is None) != (problem is None)
    assert problem is None or isinstance(problem, Problem)


# What a file's lines may hold between their words: spaces and line breaks alone (most articles),
# or with the other whitespace str.split() knows (tabs, no-break and thin spaces, separators).
_SPACED_TEXT = st.one_of(
    st.text(alphabet=st.sampled_from(list("ab.\n\r ")), max_size=80),
    st.text(alphabet=st.sampled_from(list("ab.\n\r \t\x0b\x0c\x1c\x85\xa0\u2009\u2028\u3000")), max_size=80))


@settings(max_examples=400, deadline=None)
@given(_SPACED_TEXT)
def test_every_line_is_read_single_spaced_whatever_whitespace_the_file_uses(text):
    from generator.ingest import split_headline
    headline, paragraphs = split_headline(text)
    lines = [" ".join(line.split()) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    assert ([headline] if headline else []) + paragraphs == [line for line in lines if line]


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=1500))
def test_extraction_never_crashes(gazetteer, taxonomy, text):
    from generator.ingest import split_headline
    from generator.model import Article
    headline, paragraphs = split_headline(text)
    if paragraphs:
        extract(Article(Path("f.txt"), "f", headline, tuple(paragraphs)), gazetteer, taxonomy.topics)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("abc:-[]{}&*!|>'\"#\t\n 0123456789%@`,?")), max_size=300))
def test_tag_file_reader_reports_only_problems(tmp_path_factory, gazetteer, taxonomy, text):
    path = tmp_path_factory.mktemp("fuzz") / "fuzz.yml"
    path.write_text(text)
    tags, problems, _ = read_tags(path, gazetteer, taxonomy)
    assert all(isinstance(p, Problem) for p in problems)
    load_yaml(path)


def test_an_office_set_in_a_tag_file_is_text_on_the_country_and_topic_pages(tmp_path):
    seeds, docs = copy_project(tmp_path)
    tag_file = seeds / f"{ERDOGAN_CALL}.yml"
    tag_file.write_text(tag_file.read_text(encoding="utf-8") + "people:\n  Steve Witkoff:\n    country: US\n"
                        "    role: \"<script>alert(5)</script> & <b>envoy</b>\"\n", encoding="utf-8")
    site = build_site(tmp_path, seeds, docs)
    for page in (site / "countries" / "us" / "index.html", site / "topics" / "peace-process" / "index.html"):
        text = page.read_text(encoding="utf-8")
        assert "<script>alert(5)" not in text and "<b>envoy" not in text
        assert "&lt;script&gt;alert(5)&lt;/script&gt; &amp; &lt;b&gt;envoy&lt;/b&gt;" in text, page
