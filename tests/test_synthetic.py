"""The synthetic benchmark corpus: real files in temporary folders, the real source articles."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from generator.ingest import read_articles, split_headline
from generator.synthetic import LEADERS, SLOTS, SOURCE_GLOBS, split_sentences, substitute, write_corpus

REPO = Path(__file__).resolve().parent.parent
NAME = re.compile(r"^(\d{5})_[a-z0-9]+(?:-[a-z0-9]+)*\.txt$")
DATELINE = re.compile(r"^[A-Z][A-Z .'’-]*[A-Z] \(Reuters\) - ")


@pytest.fixture(scope="module")
def corpus200(tmp_path_factory) -> list[Path]:
    return write_corpus(tmp_path_factory.mktemp("corpus200"), 200)


@pytest.fixture(scope="module")
def corpus500(tmp_path_factory) -> list[Path]:
    return write_corpus(tmp_path_factory.mktemp("corpus500"), 500, seed=42)


def body_of(path: Path) -> tuple[str | None, list[str]]:
    return split_headline(path.read_bytes().decode("utf-8"))


# --- determinism -------------------------------------------------------------------------------

def test_same_count_and_seed_give_byte_identical_files(tmp_path):
    first = write_corpus(tmp_path / "a", 60, seed=99)
    second = write_corpus(tmp_path / "b", 60, seed=99)
    assert [p.name for p in first] == [p.name for p in second]
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]


def test_another_seed_gives_another_corpus(tmp_path):
    first = write_corpus(tmp_path / "a", 30, seed=1)
    second = write_corpus(tmp_path / "b", 30, seed=2)
    assert [p.read_bytes() for p in first] != [p.read_bytes() for p in second]


def test_a_smaller_corpus_is_the_start_of_a_larger_one(tmp_path):
    """Same seed: the first articles do not depend on how many follow."""
    small = write_corpus(tmp_path / "small", 10)
    large = write_corpus(tmp_path / "large", 25)
    assert [p.read_bytes() for p in small] == [p.read_bytes() for p in large[:10]]


# --- count and naming --------------------------------------------------------------------------

def test_count_names_and_order(tmp_path):
    dest = tmp_path / "not" / "yet" / "there"
    paths = write_corpus(dest, 120)
    assert len(paths) == 120
    assert paths == sorted(paths) == sorted(dest.glob("*.txt"))
    assert all(path.parent == dest for path in paths)
    indexes = []
    for path in paths:
        match = NAME.match(path.name)
        assert match, path.name
        indexes.append(int(match.group(1)))
    assert indexes == list(range(120))
    assert len({path.name for path in paths}) == 120


def test_zero_articles(tmp_path):
    assert write_corpus(tmp_path / "empty", 0) == []
    assert (tmp_path / "empty").is_dir()


def test_the_project_reads_every_article_without_a_problem(corpus200):
    articles, problems, notices = read_articles(corpus200[0].parent)
    assert (len(articles), problems, notices) == (200, [], [])


# --- shape of each article ---------------------------------------------------------------------

def test_every_file_is_clean_utf8_text(corpus200):
    for path in corpus200:
        raw = path.read_bytes()
        text = raw.decode("utf-8")  # strict: raises on invalid UTF-8
        assert text.endswith("\n") and not text.endswith("\n\n"), path.name
        assert "\x00" not in text and "\r" not in text, path.name
        assert 300 <= len(raw) <= 20_000, path.name


def test_every_article_has_6_to_40_sentences_in_short_paragraphs(corpus200):
    counts = []
    for path in corpus200:
        headline, paragraphs = body_of(path)
        assert 2 <= len(paragraphs) <= 40, path.name
        # Loosely: sentence ends in the body (a quotation may hold several)...
        ends = sum(len(re.findall(r"[.!?][”’\")]*(?=\s|$)", p)) for p in paragraphs)
        assert ends >= 6, path.name
        # ...and exactly, with the module's own splitter.
        per_paragraph = [len(split_sentences(p)) for p in paragraphs]
        assert all(1 <= n <= 4 for n in per_paragraph), path.name
        counts.append(sum(per_paragraph))
        assert 6 <= counts[-1] <= 40, path.name
    most = sum(10 <= n <= 25 for n in counts) / len(counts)
    assert most >= 0.6, most
    assert len(set(counts)) >= 15  # varied lengths


def test_average_article_is_2_to_6_kb(corpus200):
    average = sum(path.stat().st_size for path in corpus200) / len(corpus200)
    assert 2_000 <= average <= 6_000, average


def test_headlines_on_about_half(corpus200):
    headlines = [body_of(path)[0] for path in corpus200]
    share = sum(h is not None for h in headlines) / len(headlines)
    assert 0.3 <= share <= 0.7, share
    for headline in filter(None, headlines):
        assert 3 <= len(headline.split()) <= 25 and not headline.endswith(".")


def test_without_a_headline_the_first_line_is_a_paragraph(corpus200):
    for path in corpus200:
        headline, paragraphs = body_of(path)
        lines = path.read_text(encoding="utf-8").split("\n")
        if headline is None:
            assert lines[1] != "", path.name  # no blank line anywhere: seeds-style
            assert "" not in lines[:-1], path.name


# --- variety and realism -----------------------------------------------------------------------

def test_many_leaders_across_the_corpus(corpus200):
    text = "\n".join(path.read_text(encoding="utf-8") for path in corpus200)
    named = {leader.name for leader in LEADERS if leader.name in text}
    assert len(named) >= 15, sorted(named)


def test_source_only_leaders_are_always_replaced(corpus500):
    """Leaders in the sources but not in LEADERS must never survive substitution."""
    text = "\n".join(path.read_text(encoding="utf-8") for path in corpus500)
    for name in ("Kuczynski", "Trudeau", "Shinzo Abe", "Raul Castro"):
        assert not re.search(rf"\b{name}\b", text), name


def test_built_from_real_sentences(corpus500):
    text = "\n".join(path.read_text(encoding="utf-8") for path in corpus500)
    assert "Forbidden City" in text
    assert "reassurance force" in text  # from a seed article
    sources = " ".join(" ".join(p.read_text(encoding="utf-8").split())
                       for folder, pattern in SOURCE_GLOBS for p in sorted(folder.glob(pattern)))
    total = verbatim = 0
    for path in corpus500[:100]:
        for paragraph in body_of(path)[1]:
            for sentence in split_sentences(paragraph):
                total += 1
                verbatim += DATELINE.sub("", sentence) in sources
    # Sentences that mention no country or leader come through word for word.
    assert verbatim / total >= 0.2, (verbatim, total)


def test_articles_differ(corpus500):
    bodies = [path.read_bytes() for path in corpus500]
    assert len(set(bodies)) == len(bodies)


# --- the pieces --------------------------------------------------------------------------------

def test_splitter_keeps_abbreviations_and_quotations():
    text = ("Rear Adm. Zeki Akturk spoke to U.S. officials on Jan. 5 in Washington. "
            "Mr. Smith met Dr. Jones. “Stop. Do not go. Now!” he said. "
            "He said “no”. Then he left.")
    assert split_sentences(text) == [
        "Rear Adm. Zeki Akturk spoke to U.S. officials on Jan. 5 in Washington.",
        "Mr. Smith met Dr. Jones.",
        "“Stop. Do not go. Now!” he said.",
        "He said “no”.",
        "Then he left.",
    ]


def test_splitter_ignores_unbalanced_quotes():
    assert split_sentences("He said “stop. Then he left. It rained.") == [
        "He said “stop.", "Then he left.", "It rained."]


def leader(country: str):
    return next(l for l in LEADERS if l.country == country)


def test_substitution_is_consistent_whole_word_and_single_pass():
    mapping = {"FR": leader("Türkiye"), "TR": leader("France"), "RU": leader("Germany"),
               "UA": leader("the Netherlands"), "US": leader("Japan")}
    text = ("Turkish President Recep Tayyip Erdogan and French President Emmanuel Macron discussed "
            "the Russia-Ukraine war. Macron said France backs the Paris accord, Macron’s aides said in "
            "Paris. Ukraine’s allies met U.S. President Donald Trump. Exports to the U.S. rose. "
            "A U.S. official spoke of the Ukraine crisis. Macronism is not a word.")
    assert substitute(text, mapping) == (
        "French President Emmanuel Macron and Turkish President Recep Tayyip Erdogan discussed "
        "the Germany-Netherlands war. Erdogan said Türkiye backs the Paris accord, Erdogan’s aides "
        "said in Ankara. The Netherlands’ allies met Japanese Prime Minister Sanae Takaichi. "
        "Exports to Japan rose. A Japanese official spoke of the Netherlands crisis. "
        "Macronism is not a word.")


def test_substitution_table_has_30_distinct_countries():
    assert len(LEADERS) >= 30 and len(SLOTS) <= len(LEADERS)
    assert len({l.name for l in LEADERS}) == len(LEADERS)
    assert len({l.country for l in LEADERS}) == len(LEADERS)


# --- command line ------------------------------------------------------------------------------

def test_command_line(tmp_path):
    dest = tmp_path / "cli"
    result = subprocess.run([sys.executable, "-m", "generator.synthetic", str(dest), "7", "--seed", "5"],
                            cwd=REPO, capture_output=True, text=True, check=True)
    paths = sorted(dest.glob("*.txt"))
    total = sum(path.stat().st_size for path in paths)
    assert len(paths) == 7
    assert "7 files" in result.stdout and f"{total} bytes" in result.stdout, result.stdout
    again = write_corpus(tmp_path / "api", 7, seed=5)
    assert [p.read_bytes() for p in paths] == [p.read_bytes() for p in again]


def test_command_line_rejects_a_negative_count(tmp_path):
    result = subprocess.run([sys.executable, "-m", "generator.synthetic", str(tmp_path), "-3"],
                            cwd=REPO, capture_output=True, text=True)
    assert result.returncode != 0
