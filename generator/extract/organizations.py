"""Named organisations and news agencies: the known ones, and names ending in Ministry, Institute..."""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

from generator.extract.countries import WORD_OR_DOT, CountryHit
from generator.extract.sentences import Document
from generator.extract.words import UPPER, WORD_OR_APOSTROPHE, alternation, find_unless_after
from generator.gazetteer import Gazetteer
from generator.model import Organization

_CAP_WORD = rf"{UPPER}[\w’'&.-]*+"  # possessive: a space follows a whole word, never a part of one


class OrganizationHit(NamedTuple):
    """A named tuple, as for every mention (quotes._Actor)."""

    name: str
    country: str | None
    start: int
    end: int


@functools.cache
def _patterns(gazetteer: Gazetteer) -> tuple[re.Pattern, re.Pattern]:
    """Known names (not after a letter or dot), and capitalised words ending in 'Ministry',
    'Institute' ... (not after a letter or apostrophe)."""
    known = alternation(gazetteer.organizations)
    endings = alternation(gazetteer.organization_endings)
    return (re.compile(rf"(?:{known})(?![\w])"),
            re.compile(rf"({_CAP_WORD}\s+(?:{_CAP_WORD}\s+){{0,3}}(?:{endings}))(?![\w])"))


def organization_hits(doc: Document, gazetteer: Gazetteer, countries: list[CountryHit]) -> list[OrganizationHit]:
    known, named = _patterns(gazetteer)
    hits = [OrganizationHit(gazetteer.organizations[m.group()].name,
                            gazetteer.organizations[m.group()].country, m.start(), m.end())
            for m in find_unless_after(known, doc.text, WORD_OR_DOT)]
    taken = [(h.start, h.end) for h in hits]
    for match in find_unless_after(named, doc.text, WORD_OR_APOSTROPHE):
        words = match.group(1).split()
        while words and (words[0] in gazetteer.not_names or words[0].lower() == "the"):
            words.pop(0)
        if len(words) < 2:
            continue
        name = " ".join(words)
        start = match.end(1) - len(name)
        if any(s < match.end(1) and start < e for s, e in taken):
            continue
        country = gazetteer.country_code(words[0].removesuffix("’s").removesuffix("'s"))
        hits.append(OrganizationHit(name, country, start, match.end(1)))
    hits += _country_bodies(doc, countries, taken + [(h.start, h.end) for h in hits])
    return sorted(hits, key=lambda h: h.start)


GOVERNMENT_BODIES = ("embassy", "government", "side", "delegation", "foreign ministry", "ministry",
                     "military", "army", "navy", "presidency", "leadership", "authorities",
                     "officials", "state media", "media")


_BODY_AFTER = re.compile(rf"(?:’s|'s)?\s+(?P<body>{'|'.join(re.escape(b) for b in GOVERNMENT_BODIES)})(?![\w])")


def _country_bodies(doc: Document, countries: list[CountryHit], taken) -> list[OrganizationHit]:
    """'the U.S. embassy', 'the Chinese government', 'Chinese state media': bodies that speak,
    sought right after each country mention (a scan of the text for the country forms again took
    a twentieth of the extraction). A form inside a phrase that is no country's is no mention, so
    'Latin American leadership' is not the American one."""
    hits = []
    end = 0
    for country in countries:
        if country.start < end or not (match := _BODY_AFTER.match(doc.text, country.end)):
            continue
        end = match.end()
        if any(s < end and country.start < e for s, e in taken):
            continue
        form = doc.text[country.start:country.end]
        hits.append(OrganizationHit(f"{form} {match['body']}", country.code, country.start, end))
    return hits


def count_organizations(hits: list[OrganizationHit]) -> tuple[Organization, ...]:
    counts: dict[str, int] = {}
    for hit in hits:
        counts[hit.name] = counts.get(hit.name, 0) + 1
    return tuple(Organization(name, n) for name, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
