"""Cross-article views, built from the finished list of briefings: per country, topic, person."""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from itertools import islice

import numpy as np

from generator.cache import ResultCache, key_of, page_version
from generator.model import Briefing, Country, Person, Quote, Topic
from generator.parallel import shared_with_a_helper, worth_a_helper
from generator.taxonomy import Taxonomy

RELATED_LIMIT = 5
QUOTES_LIMIT = 30
# Briefings per search bundle: Pagefind's indexer holds about 0.25 MB a page until it writes
# (2.4 GB for 10,000), so the site's search index is several bundles the browser merges. An
# edit indexes one bundle again (2.0 s at this size, 5.7 s at 2,500); a search asks every bundle
# (0.46 s to the first answer at 10,000 briefings in 10 bundles, 0.46 s in 4): README, Performance.
SEARCH_BUNDLE_SIZE = 1000


# Letters that Unicode does not decompose into a base letter and a mark, which folding to ASCII
# would drop ('Jonas Gahr Støre' was people/jonas-gahr-stre/, 'Binali Yıldırım' binali-yldrm).
_UNDECOMPOSED = str.maketrans({"ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ß": "ss",
                               "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "ł": "l", "Ł": "L", "þ": "th",
                               "Þ": "Th", "ı": "i"})


def person_slug(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name.translate(_UNDECOMPOSED)).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-") or "person"


@dataclass(frozen=True)
class SpokenQuote:
    briefing: Briefing
    quote: Quote


@dataclass(frozen=True)
class PersonPage:
    slug: str
    name: str
    role: str | None
    country: Country | None
    briefings: tuple[Briefing, ...]
    quotes: tuple[SpokenQuote, ...]


@dataclass(frozen=True)
class CountryPage:
    country: Country
    briefings: tuple[Briefing, ...]
    people: tuple[PersonPage, ...]
    topics: tuple[tuple[Topic, int], ...]
    partners: tuple[tuple[Country, int], ...]
    quotes: tuple[SpokenQuote, ...]


@dataclass(frozen=True)
class TopicPage:
    topic: Topic
    briefings: tuple[Briefing, ...]
    children: tuple[Topic, ...]
    parent: Topic | None
    countries: tuple[tuple[Country, int], ...]
    people: tuple[PersonPage, ...]
    quotes: tuple[SpokenQuote, ...]


@dataclass(frozen=True)
class Month:
    key: str  # 2025-12, or "undated"
    label: str  # December 2025
    briefings: tuple[Briefing, ...]


@dataclass(frozen=True)
class SiteIndex:
    briefings: tuple[Briefing, ...]  # newest first, undated last
    countries: tuple[CountryPage, ...]
    topics: tuple[TopicPage, ...]
    people: tuple[PersonPage, ...]
    related: RelatedBriefings
    person_slugs: dict[str, str]
    months: tuple[Month, ...]
    search_bundles: tuple[tuple[str, ...], ...]  # briefing slugs, oldest bundle first


def newest_first(briefings) -> tuple[Briefing, ...]:
    return tuple(sorted(briefings, key=lambda b: (b.date is None, -(b.date or dt.date.min).toordinal(), b.title.casefold(), b.slug)))


def build_index(briefings: list[Briefing], taxonomy: Taxonomy,
                known_related: ResultCache[dict[str, tuple[str, ...]]] | None = None) -> SiteIndex:
    """`known_related` keeps the related briefings by what they are computed from (each
    briefing's date, people, topics and countries), which most edits leave as they were."""
    related = _related_known(briefings, known_related)  # first: it may be computed meanwhile
    ordered = newest_first(briefings)
    people = _people(ordered)
    person_slugs = {p.name: p.slug for p in people}
    people_by_country: dict[str, list[PersonPage]] = defaultdict(list)
    for person in people:
        if person.country:
            people_by_country[person.country.code].append(person)
    tally = _Tally(ordered)
    countries = _countries(ordered, people_by_country, tally)
    topics = _topics(ordered, taxonomy, people, tally)
    return SiteIndex(ordered, countries, topics, people, related, person_slugs,
                     _months(ordered), _search_bundles(ordered))


class RelatedBriefings:
    """Each briefing's related briefings (`_RelatedScores`). Unless the last build's are still good,
    a helper process begins them while this one makes the rest of the index and the index pages'
    keys, and `wait` scores here the blocks the helper has not taken, then gives them all."""

    def __init__(self, briefings: list[Briefing], found: Callable[[], dict[str, tuple[str, ...]]]):
        self._briefings = briefings
        self._found = found
        self._related: dict[str, tuple[Briefing, ...]] | None = None

    def wait(self) -> dict[str, tuple[Briefing, ...]]:
        if self._related is None:
            by_slug = {b.slug: b for b in self._briefings}
            self._related = {slug: tuple(by_slug[other] for other in found) for slug, found in self._found().items()}
        return self._related


def _related_known(briefings: list[Briefing], known: ResultCache[dict[str, tuple[str, ...]]] | None) -> RelatedBriefings:
    """`_RelatedScores` of the briefings newest first, ties by file name (not by title, which would
    make a title edit change them), from `known` when its inputs are unchanged. The scores' key
    and matrices are made where needed: with no related briefings known (a first build), both
    by the helper that scores the blocks (the key its first job), as this process makes the rest
    of the index, which takes longer; and the matrices in each process that scores a block
    (0.13 s of a first build at 10,000 briefings, with the other core idle, when made before
    the helper began)."""
    ordered = tuple(sorted(briefings, key=lambda b: (b.date is None, -(b.date or dt.date.min).toordinal(), b.slug)))

    def key() -> str:
        """Each briefing's slug, date, people, topics and countries, each list led by its length:
        strings none of which holds a NUL, joined by one (their repr took twice as long)."""
        parts = [page_version()]
        for b in ordered:
            names = sorted(p.name for p in b.people)
            parts += (b.slug, str(b.date), str(len(names)), *names, str(len(b.topics)), *(t.slug for t in b.topics),
                      str(len(b.countries)), *(c.code for c in b.countries))
        return key_of(parts)
    looked_up = key() if known is not None and known.holds_any() else None
    slugs = known.get(looked_up) if looked_up else None
    if slugs is not None:
        return RelatedBriefings(briefings, lambda: slugs)

    scores = functools.cache(lambda: _RelatedScores(ordered))

    def block(number: int) -> dict[str, tuple[str, ...]]:
        return scores().block(number)
    # The first job is the key (made already if a cache was looked in), then the blocks.
    jobs = [lambda: looked_up or key(), *(functools.partial(block, n) for n in range(-(-len(ordered) // _BLOCK)))]
    if worth_a_helper(len(ordered)):
        # This process makes its matrices before its first block, in about the time the helper
        # scores a block: done with the rest of the index, it helps only with two blocks or more left.
        done = shared_with_a_helper(lambda number: jobs[number](), len(jobs), help_from=2)
    else:
        here = [job() for job in jobs]
        done = lambda: here  # noqa: E731

    def arrived() -> dict[str, tuple[str, ...]]:
        made_key, *blocks = done()
        made = {slug: found for block in blocks for slug, found in block.items()}
        if known is not None:
            known.put(made_key, made)
            known.save()
        return made
    return RelatedBriefings(briefings, arrived)


def _search_bundles(briefings: tuple[Briefing, ...]) -> tuple[tuple[str, ...], ...]:
    """Consecutive runs of SEARCH_BUNDLE_SIZE, filled from the oldest (undated first, then by
    date and file name): a new briefing joins the newest bundle and an edit other than a date
    moves none, so only the bundles holding changed pages are indexed again; and a listing sorted
    by date is the bundles' own listings one after another, newest bundle first."""
    oldest_first = [b.slug for b in sorted(briefings, key=lambda b: (b.date is not None, b.date or dt.date.min, b.slug))]
    return tuple(tuple(oldest_first[start:start + SEARCH_BUNDLE_SIZE])
                 for start in range(0, len(oldest_first), SEARCH_BUNDLE_SIZE))


def _months(briefings: tuple[Briefing, ...]) -> tuple[Month, ...]:
    """The archive: briefings grouped by month, newest month first, undated ones last."""
    groups: dict[str, list[Briefing]] = defaultdict(list)
    for briefing in briefings:
        groups[f"{briefing.date:%Y-%m}" if briefing.date else "undated"].append(briefing)
    keys = sorted((k for k in groups if k != "undated"), reverse=True) + (["undated"] if "undated" in groups else [])
    return tuple(Month(k, dt.datetime.strptime(k, "%Y-%m").strftime("%B %Y") if k != "undated" else "Undated",
                       tuple(groups[k])) for k in keys)


def quotes_in(briefings, speakers=None) -> tuple[SpokenQuote, ...]:
    """Attributed quotes from these briefings (newest first), optionally only by some speakers."""
    return tuple(islice((SpokenQuote(b, q) for b in briefings for q in b.facts.quotes
                         if q.speaker and (speakers is None or q.speaker in speakers)), QUOTES_LIMIT))


def _people(briefings: tuple[Briefing, ...]) -> tuple[PersonPage, ...]:
    seen: dict[str, list[tuple[Briefing, Person]]] = defaultdict(list)
    spoken: dict[str, list[SpokenQuote]] = defaultdict(list)  # each person's quotes where they take part
    for briefing in briefings:
        for person in briefing.people:
            seen[person.name].append((briefing, person))
        if briefing.facts.quotes:
            names = {person.name for person in briefing.people}
            for quote in briefing.facts.quotes:
                if quote.speaker in names:
                    spoken[quote.speaker].append(SpokenQuote(briefing, quote))
    taken: set[str] = set()
    pages = []
    for name in sorted(seen, key=str.casefold):
        slug = person_slug(name)
        while slug in taken:
            slug += "-2"
        taken.add(slug)
        appearances = seen[name]
        roles = Counter(p.role for _, p in appearances if p.role)
        countries = Counter(p.country for _, p in appearances if p.country)
        country_code = countries.most_common(1)[0][0] if countries else None
        country = next((c for b, _ in appearances for c in b.countries if c.code == country_code), None)
        pages.append(PersonPage(slug, name, roles.most_common(1)[0][0] if roles else None,
                                country or (Country(country_code, country_code) if country_code else None),
                                tuple(b for b, _ in appearances), tuple(spoken[name])))
    return tuple(pages)


def _countries(briefings, people_by_country, tally: _Tally) -> tuple[CountryPage, ...]:
    by_code: dict[str, list[Briefing]] = defaultdict(list)
    for briefing in briefings:
        for country in briefing.countries:
            by_code[country.code].append(briefing)
    pages = []
    for code in sorted(by_code, key=lambda c: tally.countries[c].name.casefold()):
        listed = by_code[code]
        people = tuple(people_by_country.get(code, ()))
        pages.append(CountryPage(tally.countries[code], tuple(listed), people,
                                 tally.ranked(tally.topics_with_country(code), tally.topics, lambda t: t.label),
                                 tally.ranked(tally.partners(code), tally.countries, lambda c: c.name),
                                 quotes_in(listed, {p.name for p in people})))
    return tuple(pages)


def _topics(briefings, taxonomy: Taxonomy, people, tally: _Tally) -> tuple[TopicPage, ...]:
    by_slug = taxonomy.by_slug
    listing: dict[Topic, list[Briefing]] = defaultdict(list)  # one pass, not one per topic
    for briefing in briefings:
        for topic in dict.fromkeys(briefing.topics):
            listing[topic].append(briefing)
    pages = []
    for topic in sorted(taxonomy.topics, key=lambda t: t.label.casefold()):
        listed = tuple(listing.get(topic, ()))
        names = {p.name for b in listed for p in b.people}
        pages.append(TopicPage(topic, listed, taxonomy.children(topic.slug), by_slug.get(topic.parent or ""),
                               tally.ranked(tally.countries_with_topic(topic.slug), tally.countries, lambda c: c.name),
                               tuple(p for p in people if p.name in names), quotes_in(listed)))
    return tuple(pages)


class _Tally:
    """How often each country and topic appears in the briefings that name a country or are on a
    topic, for all of them at once: each briefing is a row of how often it names each country and
    topic, and the counts are products of those matrices. Counted listing by listing in Python,
    they took 0.3 s at 10,000 briefings (now 0.15 s), in the build process while a helper scores
    the related briefings."""

    def __init__(self, briefings):
        self.countries, names = _named_counts(briefings, lambda b: b.countries, lambda c: c.code)
        self.topics, topics = _named_counts(briefings, lambda b: b.topics, lambda t: t.slug)
        self._country_with_country = names.T @ names
        self._topic_with_country = names.T @ topics
        self._country_with_topic = (topics > 0).T @ names  # a topic's listing holds a briefing once
        self._country_column = {code: column for column, code in enumerate(self.countries)}
        self._topic_column = {slug: column for column, slug in enumerate(self.topics)}

    def partners(self, code: str) -> dict[str, int]:
        """The other countries named in the briefings that name this one, and how often."""
        counts = _nonzero(self._country_with_country[self._country_column[code]], self.countries)
        del counts[code]
        return counts

    def topics_with_country(self, code: str) -> dict[str, int]:
        return _nonzero(self._topic_with_country[self._country_column[code]], self.topics)

    def countries_with_topic(self, slug: str) -> dict[str, int]:
        row = self._topic_column.get(slug)
        return {} if row is None else _nonzero(self._country_with_topic[row], self.countries)

    @staticmethod
    def ranked(counts: dict[str, int], things: dict, label) -> tuple:
        """(thing, count) pairs, the most frequent first, ties by label."""
        return tuple(sorted(((things[key], n) for key, n in counts.items()),
                            key=lambda pair: (-pair[1], label(pair[0]).casefold())))


def _named_counts(briefings, named: Callable, key: Callable[[object], str]) -> tuple[dict, np.ndarray]:
    """The things the briefings name (countries, topics) by key, in the order first named, and
    how often each briefing names each: a row a briefing, a column a thing in that order, as
    floats: the products of these run in BLAS, and counts below 2**24 are exact."""
    things: dict[str, object] = {}
    columns: dict[str, int] = {}
    rows, places = [], []
    for number, briefing in enumerate(briefings):
        for thing in named(briefing):
            rows.append(number)
            places.append(columns.setdefault(name := key(thing), len(columns)))
            things.setdefault(name, thing)
    flat = np.array(rows, dtype=np.int64) * len(columns) + np.array(places, dtype=np.int64)
    counts = np.bincount(flat, minlength=len(briefings) * len(columns))
    return things, counts.astype(np.float32).reshape(len(briefings), len(columns))


def _nonzero(counts: np.ndarray, keys) -> dict[str, int]:
    """The keys (in column order) whose count is not zero, with their counts."""
    return {key: int(count) for key, count in zip(keys, counts.tolist()) if count}


RELATED_WEIGHTS = {"person": 3, "topic": 2, "country": 1}
RELATED_MIN_SCORE = 3
_DENSE_POSTINGS = 64  # keys shared by more briefings than this are scored as matrix columns
_BLOCK = 1024


class _RelatedScores:
    """Briefings sharing people (3), topics (2) and countries (1), best first, ties by order.

    A key shared by few briefings is added through its postings; a common key ("US") would make
    that quadratic in Python, so common keys are columns of a 0/1 matrix and scored in blocks of
    briefings with one matrix product each. The blocks are independent: this process and a helper
    share them (parallel.shared_with_a_helper)."""

    def __init__(self, briefings: tuple[Briefing, ...]):
        postings: dict[tuple[str, str], list[int]] = defaultdict(list)
        for number, briefing in enumerate(briefings):
            keys = ({("person", p.name) for p in briefing.people}
                    | {("topic", t.slug) for t in briefing.topics}
                    | {("country", c.code) for c in briefing.countries})
            for key in keys:
                postings[key].append(number)
        self.slugs = [briefing.slug for briefing in briefings]
        common = sorted(k for k, p in postings.items() if len(p) > _DENSE_POSTINGS)
        self.dense = np.zeros((len(briefings), len(common)), dtype=np.float32)
        for column, key in enumerate(common):
            self.dense[postings[key], column] = 1.0
        self.weighted = self.dense * np.array([RELATED_WEIGHTS[k[0]] for k in common], dtype=np.float32)
        self.rare_of: list[list[tuple[int, np.ndarray]]] = [[] for _ in briefings]
        for key, numbers in postings.items():
            if len(numbers) <= _DENSE_POSTINGS:
                members = np.array(numbers)
                for number in numbers:
                    self.rare_of[number].append((RELATED_WEIGHTS[key[0]], members))

    def block(self, block: int) -> dict[str, tuple[str, ...]]:
        """The related briefings' slugs of each briefing in that block, by slug. The best are
        taken one at a time for the whole block, each the first of the highest scores in its row
        (the order of a stable sort by score), then marked taken: five passes over the block's
        scores in C, where sorting each row's candidates (half the briefings share a country or
        a topic with any one) took twice as long, mostly in numpy calls made row by row."""
        first = block * _BLOCK
        last = min(first + _BLOCK, len(self.slugs))
        scores = self.weighted[first:last] @ self.dense.T
        for row, number in enumerate(range(first, last)):
            for weight, members in self.rare_of[number]:
                scores[row, members] += weight
        rows = np.arange(last - first)
        scores[rows, rows + first] = 0  # not related to itself
        picked = np.empty((len(rows), RELATED_LIMIT), dtype=np.intp)
        enough = np.empty((len(rows), RELATED_LIMIT), dtype=bool)
        for place in range(RELATED_LIMIT):
            best = scores.argmax(axis=1)
            picked[:, place] = best
            enough[:, place] = scores[rows, best] >= RELATED_MIN_SCORE
            scores[rows, best] = -1
        slugs = self.slugs
        return {slugs[number]: tuple(slugs[other] for other, kept in zip(others, keeps) if kept)
                for number, others, keeps in zip(range(first, last), picked.tolist(), enough.tolist())}
