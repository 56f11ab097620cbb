"""The whole flow, one direction: read → extract → merge tags → index → render → write."""

from __future__ import annotations

import datetime as dt
import os
import pickle
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from generator.cache import FileLines, FileReadings, ResultCache, extraction_version, facts_key, reading_version
from generator.errors import InputError, Notice, Problem
from generator.extract import extract
from generator.gazetteer import Gazetteer, load_gazetteer
from generator.graphs import Pictures
from generator.index import build_index
from generator.ingest import read_articles
from generator.model import Article, Briefing, Facts, Tags
from generator.output import WriteReport, write_pages
from generator.parallel import map_in_workers
from generator.render import EXPORT, render_site
from generator.schema import relative
from generator.tags import (apply_people, create_tag_file, pending_suggestions, read_tags,
                            suggested_tags, tag_path_for, unknown_people)
from generator.taxonomy import Taxonomy, load_taxonomy

DEFAULT_TAXONOMY = Path(__file__).resolve().parent.parent / "seeds" / "topics.yml"
FACTS_LAYOUT = "each entry pickled"  # the facts cache's (extract_all)


@dataclass
class Corpus:
    """Everything read and checked from the seeds folder, before anything is written."""

    gazetteer: Gazetteer
    taxonomy: Taxonomy
    articles: list[Article]
    tags: dict[str, Tags]
    problems: list[Problem] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    tag_readings: FileReadings = field(default_factory=lambda: FileReadings(None))
    readings: FileReadings = field(default_factory=lambda: FileReadings(None))  # the articles'
    tag_paths: dict[str, Path] = field(default_factory=dict)  # each article's tag file, by slug
    untagged: set[str] = field(default_factory=set)  # the slugs whose tag file did not exist

    def save_readings(self) -> None:
        """For the next build (read_corpus's `known`)."""
        self.readings.save()
        self.tag_readings.save()


@dataclass(frozen=True)
class BuildResult:
    briefings: tuple[Briefing, ...]
    written: WriteReport
    created_tag_files: tuple[Path, ...]
    pending: dict[Path, list[str]]
    notices: tuple[Notice, ...]
    skipped: tuple[Problem, ...] = ()
    # The size and modification time of each file the build read or wrote (articles, tag files,
    # pages), by absolute path: the fingerprints of what it saw need not ask the system again.
    stamps: dict[str, tuple[int, int]] = field(default_factory=dict, compare=False, repr=False)


def taxonomy_path_for(seeds: Path) -> Path:
    own = seeds / "topics.yml"
    return own if own.is_file() else DEFAULT_TAXONOMY


def read_corpus(seeds: Path, taxonomy_path: Path | None = None, keep_going: bool = False,
                known: Path | None = None) -> Corpus:
    """Reads and validates every input; raises InputError listing every problem at once.

    With keep_going, articles whose file or tag file has a problem are left out (listed in
    `skipped`) and the rest go on; problems in the taxonomy or word lists still stop the build.
    `known` keeps each file's reading for the next build, which reads only the changed files
    (articles in KNOWN-articles, tag files in KNOWN-tags: `known` itself is not written), once
    the corpus's `save_readings` is called."""
    if not seeds.is_dir():
        raise InputError([Problem(seeds, "the seeds folder does not exist",
                                  "create it and put article .txt files in it")])
    gazetteer = load_gazetteer()
    taxonomy_path = taxonomy_path or taxonomy_path_for(seeds)
    taxonomy, taxonomy_problems = load_taxonomy(taxonomy_path)
    # Articles and tag files are kept apart: an edited tag file rewrites only the small part.
    version = reading_version(gazetteer, taxonomy_path)
    readings = FileReadings(known and known.with_name(f"{known.stem}-articles{known.suffix}"), version)
    tag_readings = FileReadings(known and known.with_name(f"{known.stem}-tags{known.suffix}"), version)
    articles, problems, notices = read_articles(seeds, readings)
    if taxonomy is None:
        raise InputError(taxonomy_problems + problems)
    corpus = Corpus(gazetteer, taxonomy, [], {}, problems, notices, tag_readings, readings)
    tag_paths = [tag_path_for(article.path) for article in articles]
    present = frozenset(os.listdir(seeds))  # the tag files beside the articles
    tag_files = tag_readings.read_all(tag_paths, lambda path: read_tags(path, gazetteer, taxonomy), absent=(Tags(), [], []),
                                      exists=lambda path: path.name in present)
    for article, tag_path, (tags, tag_problems, tag_notices) in zip(articles, tag_paths, tag_files):
        corpus.notices += tag_notices
        corpus.problems += tag_problems
        if not tag_problems:
            corpus.articles.append(article)
            corpus.tags[article.slug] = tags
            corpus.tag_paths[article.slug] = tag_path
            if tag_path.name not in present:
                corpus.untagged.add(article.slug)
    if corpus.problems and not keep_going:
        raise InputError(corpus.problems)
    return corpus


def facts_keys(corpus: Corpus) -> dict[str, str]:
    """Each article's facts cache key: a digest of everything its facts are extracted from."""
    version = extraction_version(corpus.gazetteer, corpus.taxonomy.topics)
    return {article.slug: facts_key(version, article, corpus.tags[article.slug].date) for article in corpus.articles}


def extract_all(corpus: Corpus, cache: ResultCache[bytes] | None = None, keys: dict[str, str] | None = None,
                meanwhile: Callable[[], object] | None = None,
                then: Callable[[Article, Facts], object] | None = None) -> dict[str, Facts]:
    """Facts for every article, from the cache where the inputs are unchanged, the rest in
    parallel; raises InputError if a tag file corrects a person not found. `meanwhile` is work
    of this process's own, done as the helpers begin (parallel.map_in_workers). `then(article,
    facts)` runs here for each article as its facts arrive, while the helpers go on extracting
    (they take more of the articles for it), but only once every person correction has been
    checked: the articles with one are extracted first, and a build that stops on one has
    done nothing.

    The cache holds each article's facts pickled, as its worker sent them: saving 10,000
    entries is then writing their bytes (0.03 s, against 0.87 s to pickle the facts again),
    and loading them one by one costs what loading them at once did. The caller saves it
    (build: while a helper scores the related briefings) and lets those bytes (34 MB at
    10,000) go before the pages are made, the build's peak of memory."""
    keys = keys or facts_keys(corpus)
    facts: dict[str, Facts] = {}
    problems: dict[str, list[Problem]] = {}  # by slug, told in the articles' order
    unchecked = sum(1 for article in corpus.articles if corpus.tags[article.slug].people)
    waiting: list[Article] = []  # for `then`, until no correction is left unchecked

    def arrived(article: Article, made: Facts) -> None:
        nonlocal unchecked
        facts[article.slug] = made
        tags = corpus.tags[article.slug]
        if tags.people:
            if found := unknown_people(corpus.tag_paths[article.slug], tags, made):
                problems[article.slug] = found
            unchecked -= 1
        if then is None or problems:
            return
        waiting.append(article)
        if not unchecked:
            for ready in waiting:
                then(ready, facts[ready.slug])
            waiting.clear()
    missing: list[tuple[Article, dt.date | None, str]] = []
    for article in corpus.articles:
        date = corpus.tags[article.slug].date
        key = keys[article.slug]
        found = cache.get(key) if cache else None
        if found is None:
            missing.append((article, date, key))
        else:
            arrived(article, pickle.loads(found))
    missing.sort(key=lambda job: not corpus.tags[job[0].slug].people)  # the corrections first, in order
    gazetteer, topics = corpus.gazetteer, corpus.taxonomy.topics

    def extract_one(job: tuple[Article, dt.date | None, str]) -> _Extracted:
        """A failure is the generator's bug, and stays a traceback, but says which article."""
        try:
            made = extract(job[0], gazetteer, topics, job[1])
            return _Extracted(made, pickle.dumps(made, protocol=pickle.HIGHEST_PROTOCOL))
        except Exception as error:
            error.add_note(f"while extracting {relative(job[0].path)}: a bug in the generator; until it is "
                           "fixed, move that file out of the seeds folder to build the rest")
            raise
    extracted = map_in_workers(extract_one, missing, meanwhile)
    for made, (article, _, key) in zip(extracted, missing):  # the results first: with no job, `meanwhile` still runs
        arrived(article, made.facts if made.facts is not None else pickle.loads(made.pickled))
        if cache:
            cache.put(key, made.pickled)
    if problems:
        raise InputError([problem for a in corpus.articles for problem in problems.get(a.slug, ())])
    return facts


class _Extracted:
    """An article's facts, and the same pickled: what the cache keeps, and all that crosses the
    pipe from a helper. The facts made in this process (its share) are not unpickled again."""

    def __init__(self, facts: Facts | None, pickled: bytes):
        self.facts, self.pickled = facts, pickled

    def __reduce__(self):
        return _Extracted, (None, self.pickled)


def merge(article: Article, facts: Facts, tags: Tags, corpus: Corpus) -> Briefing:
    """The editor's tags win wherever they are set; the machine fills the rest."""
    by_slug = corpus.taxonomy.by_slug
    codes = tags.countries if tags.countries is not None else tuple(c.country.code for c in facts.countries)
    slugs = tags.topics if tags.topics is not None else facts.topics
    return Briefing(
        article=article,
        facts=facts,
        tag_path=corpus.tag_paths[article.slug],
        title=tags.title or facts.title,
        date=tags.date,
        source=tags.source or facts.source,
        countries=tuple(corpus.gazetteer.country(code) for code in codes),
        topics=tuple(by_slug[s] for s in slugs if s in by_slug),
        people=apply_people(facts.people, tags.people),
    )


def _short(path: Path) -> str:
    """'seeds/x.yml': where a file is, the same on every machine (pages must not differ)."""
    return f"{path.parent.name}/{path.name}"


def build(seeds: Path, docs: Path, taxonomy_path: Path | None = None, log=None,
          keep_going: bool = False) -> BuildResult:
    log = log or sys.stderr
    caches = docs.resolve().parent / ".cache"
    corpus = read_corpus(seeds, taxonomy_path, keep_going, known=caches / "readings.pickle")
    keys = facts_keys(corpus)
    merging = _Merging(corpus, keys)
    facts_cache = ResultCache[bytes](caches / "facts.pickle", FACTS_LAYOUT)
    # The articles' readings (34 MB at 10,000) are saved while the extraction's helper begins.
    extract_all(corpus, facts_cache, keys, corpus.save_readings, then=merging)
    created, pending = merging.tag_files.created(), merging.pending_in_order()
    briefings = [merging.briefings[a.slug] for a in corpus.articles]
    index = build_index(briefings, corpus.taxonomy, ResultCache(caches / "related.pickle"))
    # While a helper scores the related briefings (a first build): the caches for the next build.
    facts_cache.save()
    corpus.tag_readings.save()
    tag_location = {b.slug: _short(b.tag_path) for b in briefings}
    pictures = Pictures(caches / "pictures")
    export_lines = FileLines(docs / EXPORT, caches / "export-lines.pickle")
    pages = render_site(index, tag_location, pictures, merging.sources, export_lines)
    # The facts, pickled (34 MB at 10,000), go before the pages are made, the build's peak of
    # memory; but not while that helper runs: freeing memory it shares copies each page (0.15 s).
    del facts_cache
    report = write_pages(docs, pages, record=caches / "pages.pickle")
    for line in created_messages(created):
        print(line, file=log)
    result = BuildResult(index.briefings, report, tuple(created), pending, tuple(corpus.notices),
                         tuple(corpus.problems),
                         corpus.readings.stamps() | corpus.tag_readings.stamps() | report.stamps)
    print(f"{len(briefings)} briefings: {report.written} pages written, {report.unchanged} "
          f"unchanged, {report.removed} removed", file=log)
    for line in lasting_messages(result):
        print(line, file=log)
    return result


class _Merging:
    """What the build makes of each article as its facts arrive (extract_all's `then`), while
    the helpers go on extracting: its new tag file, or the suggestions its file lacks; its
    briefing; and what that is made of (its facts, by their key, and its tags)."""

    def __init__(self, corpus: Corpus, keys: dict[str, str]):
        self._corpus, self._keys = corpus, keys
        self.tag_files = _TagFileMaker(corpus)
        self.briefings: dict[str, Briefing] = {}
        self.sources: dict[str, str] = {}
        self._pending: dict[Path, list[str]] = {}

    def __call__(self, article: Article, facts: Facts) -> None:
        corpus = self._corpus
        if not self.tag_files(article, facts):
            if differences := pending_suggestions(corpus.tags[article.slug], suggested_tags(facts)):
                self._pending[corpus.tag_paths[article.slug]] = differences
        tags = corpus.tags[article.slug]
        self.briefings[article.slug] = merge(article, facts, tags, corpus)
        self.sources[article.slug] = f"{self._keys[article.slug]} {tags!r}"

    def pending_in_order(self) -> dict[Path, list[str]]:
        """The tag files with suggestions they lack, in the articles' order."""
        paths = (self._corpus.tag_paths[a.slug] for a in self._corpus.articles)
        return {path: self._pending[path] for path in paths if path in self._pending}


class _TagFileMaker:
    """Creates the first version of each missing tag file, with the machine's suggestions, as
    the article's facts arrive (_Merging): the build process writes them while the helpers
    extract, where a stage of their own, after extraction, forked a helper that copied much of
    the memory it touched (a page a forked process copies costs 3 to 10 us here). The briefing
    is made from the new file's tags, as the next build reads them, which then finds its pages
    and its readings unchanged."""

    def __init__(self, corpus: Corpus):
        self._corpus = corpus
        self._taxonomy_name = _short(corpus.taxonomy.path)
        self._made: set[str] = set()

    def __call__(self, article: Article, facts: Facts) -> bool:
        """Whether it made the article's tag file."""
        corpus = self._corpus
        if article.slug not in corpus.untagged:
            return False
        path, tags = corpus.tag_paths[article.slug], suggested_tags(facts)
        written = create_tag_file(path, article.path.name, tags, self._taxonomy_name)
        if written is not None:
            corpus.tags[article.slug] = tags
            corpus.tag_readings.remember(path, written, (tags, [], []))
            self._made.add(article.slug)
        return written is not None

    def created(self) -> list[Path]:
        """The tag files made, in the articles' order."""
        return [self._corpus.tag_paths[a.slug] for a in self._corpus.articles if a.slug in self._made]


CREATED_LISTED = 20  # a first build of a large desk creates thousands: those are counted, not listed


def created_messages(created: list[Path]) -> list[str]:
    if len(created) > CREATED_LISTED:
        return [f"created {len(created)} tag files with the machine's suggestions, beside their "
                f"articles in {relative(created[0].parent)}/"]
    return [f"created tag file {relative(path)} with the machine's suggestions" for path in created]


def lasting_messages(result: BuildResult) -> list[str]:
    """What holds until the inputs change: repeated by a rebuild that has nothing to do."""
    lines = [f"note: {notice}" for notice in result.notices]
    if result.skipped:
        lines.append(f"--keep-going: skipped {len(result.skipped)} problem file(s), the rest is published:")
        lines += [f"  {problem}" for problem in result.skipped]
    if result.pending:
        lines.append(f"{len(result.pending)} tag file(s) have pending suggestions: run `make check` to see them")
    return lines
