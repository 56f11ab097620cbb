"""Which countries an article refers to: by name, demonym, capital or seat of government."""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

from generator.extract.sentences import Document
from generator.extract.words import alternation, find_unless_after
from generator.gazetteer import Gazetteer
from generator.model import CountryMention

LEAD_WEIGHT = 2
# One character a country form must not follow (find_unless_after), nor a known organisation.
WORD_OR_DOT = re.compile(r"[\w.]")


class CountryHit(NamedTuple):
    """A named tuple, as for every mention (quotes._Actor): a frozen dataclass is slower to make."""

    code: str
    start: int
    end: int


@functools.cache
def _forms(gazetteer: Gazetteer) -> str:
    """A regex for country forms and the phrases that merely contain one (to be skipped)."""
    forms = alternation(set(gazetteer.country_forms) | gazetteer.not_country_forms)
    return rf"(?:{forms})(?![\w])"


@functools.cache
def country_pattern(gazetteer: Gazetteer) -> re.Pattern:
    """Matches country forms and the phrases that merely contain one, not after a word
    character or dot."""
    return re.compile(rf"(?<![\w.]){_forms(gazetteer)}")


@functools.cache
def _forms_pattern(gazetteer: Gazetteer) -> re.Pattern:
    """country_pattern without its lookbehind, for find_unless_after: opening with the forms, it
    is tried only where one of their first letters occurs, not at every character."""
    return re.compile(_forms(gazetteer))


@functools.cache
def _regions_pattern(gazetteer: Gazetteer) -> re.Pattern:
    """The phrases, for find_unless_after (not after a word character or dot): as for the forms."""
    return re.compile(rf"(?:{alternation(gazetteer.not_country_forms)})(?![\w])")


def region_spans(text: str, gazetteer: Gazetteer) -> list[tuple[int, int]]:
    """Where the text names a phrase that holds a country's name but is none ('Northern
    Ireland', 'Latin America'): a country form inside one is no mention of that country."""
    return [match.span() for match in find_unless_after(_regions_pattern(gazetteer), text, WORD_OR_DOT)]


def country_hits(doc: Document, gazetteer: Gazetteer) -> list[CountryHit]:
    forms = gazetteer.country_forms
    return [CountryHit(forms[m.group()][0], m.start(), m.end())
            for m in find_unless_after(_forms_pattern(gazetteer), doc.text, WORD_OR_DOT)
            if m.group() in forms]


def rank_countries(doc: Document, hits: list[CountryHit], gazetteer: Gazetteer) -> tuple[CountryMention, ...]:
    """Countries by salience: every mention counts, mentions in the lead count double."""
    mentions: dict[str, int] = {}
    salience: dict[str, int] = {}
    first: dict[str, int] = {}
    lead_end = doc.lead_end
    for hit in hits:
        mentions[hit.code] = mentions.get(hit.code, 0) + 1
        salience[hit.code] = salience.get(hit.code, 0) + (LEAD_WEIGHT if hit.start < lead_end else 1)
        first.setdefault(hit.code, hit.start)
    order = sorted(mentions, key=lambda code: (-salience[code], first[code]))
    return tuple(CountryMention(gazetteer.country(code), mentions[code]) for code in order)
