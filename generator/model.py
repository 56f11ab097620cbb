"""The data that flows through the build: small frozen dataclasses, nothing clever."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path


@dataclass(frozen=True)
class Article:
    """One input file as read: an optional headline line and the body paragraphs."""

    path: Path
    slug: str
    headline: str | None
    paragraphs: tuple[str, ...]  # each a line, single-spaced, not empty (ingest.split_headline)
    # Of what the text is read from, for the facts cache's key: made where the article is read
    # (on every core, and kept with the reading), not again by every build (0.2 s at 10,000
    # articles). The reader gives the digest of the file's bytes, the text being what its code
    # makes of them (cache.extraction_version); else it is the digest of the text.
    text_digest: bytes = field(default=b"", repr=False, compare=False)

    def __post_init__(self):
        if not self.text_digest:
            object.__setattr__(self, "text_digest", hashlib.sha256(repr((self.headline, self.paragraphs)).encode()).digest())

    @property
    def body(self) -> str:
        return "\n".join(self.paragraphs)


@dataclass(frozen=True)
class Country:
    code: str
    name: str

    def __hash__(self) -> int:
        """By code alone, as Topic by slug: the index counts countries half a million times."""
        return hash(self.code)

    @property
    def flag(self) -> str:
        """The emoji flag: two regional-indicator letters, no image to fetch."""
        return _flag(self.code)


@lru_cache(maxsize=None)
def _flag(code: str) -> str:
    """A few hundred codes, asked for on every listing line of every page."""
    if not (len(code) == 2 and code.isalpha()):
        return ""
    return "".join(chr(0x1F1E6 + ord(c) - ord("A")) for c in code.upper())


@dataclass(frozen=True)
class CountryMention:
    country: Country
    mentions: int


@dataclass(frozen=True)
class Person:
    name: str
    role: str | None
    country: str | None
    mentions: int


@dataclass(frozen=True)
class Organization:
    name: str
    mentions: int


@dataclass(frozen=True)
class Quote:
    text: str
    speaker: str | None
    direct: bool
    via: str | None = None


@dataclass(frozen=True)
class Figure:
    text: str
    kind: str  # money, count, duration
    value: float | None
    unit: str | None


@dataclass(frozen=True)
class DateReference:
    text: str
    value: str | None  # ISO day or month, when it can be resolved


@dataclass(frozen=True)
class Topic:
    slug: str
    label: str
    description: str
    phrases: tuple[str, ...]
    parent: str | None = None
    aliases: tuple[str, ...] = ()

    def __hash__(self) -> int:
        """By slug alone (equal topics have equal slugs): the index counts topics in dicts and
        Counters hundreds of thousands of times, and the generated hash would hash every phrase."""
        return hash(self.slug)


@dataclass(frozen=True)
class Facts:
    """Everything extraction reads out of one article."""

    title: str
    summary: str
    key_points: tuple[str, ...]
    countries: tuple[CountryMention, ...]
    people: tuple[Person, ...]
    organizations: tuple[Organization, ...]
    quotes: tuple[Quote, ...]
    figures: tuple[Figure, ...]
    dates: tuple[DateReference, ...]
    topics: tuple[str, ...]
    source: str | None = None  # the agency of a dateline such as 'BEIJING (Reuters) -'


@dataclass(frozen=True)
class PersonOverride:
    """An editor's correction of one person the machine found."""

    name: str
    role: str | None = None
    country: str | None = None
    remove: bool = False
    line: int | None = None


@dataclass(frozen=True)
class Tags:
    """What a tag file says; None means the editor left the field to the machine."""

    title: str | None = None
    date: dt.date | None = None
    source: str | None = None
    countries: tuple[str, ...] | None = None
    topics: tuple[str, ...] | None = None
    people: tuple[PersonOverride, ...] = ()


@dataclass(frozen=True)
class Briefing:
    """An article, what was extracted from it, and the editor's tags merged over the top."""

    article: Article
    facts: Facts
    tag_path: Path
    title: str
    date: dt.date | None
    source: str | None
    countries: tuple[Country, ...]
    topics: tuple[Topic, ...]
    people: tuple[Person, ...] = field(default=())

    @property
    def slug(self) -> str:
        return self.article.slug


@dataclass(frozen=True)
class Page:
    """A generated file: its path under docs/, and how to make its text (called by the writer,
    in whichever worker process writes it), as text, as UTF-8, or as UTF-8 in pieces written one
    after another (a large file put together from parts of the last one). `key`, when given,
    makes a digest of everything the text is made from: while it and the file are as last
    written, the text is not made again. It is made only where needed: here for a page written
    before, to compare, and else by the process that writes the page (a first build's keys, 0.6 s
    at 10,000 briefings, are then made on every core). `kept`, when given, is told the file's
    status once the text made is in it (written, or found there already), in the process that
    made it."""

    path: str
    text: Callable[[], str | bytes | list[bytes | memoryview]]
    key: Callable[[], str] | None = None
    kept: Callable[[os.stat_result], None] | None = None
