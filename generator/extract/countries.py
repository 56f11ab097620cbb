"""Which countries an article refers to: by name, demonym, capital or seat of government."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from generator.extract.sentences import Document
from generator.extract.words import alternation
from generator.gazetteer import Gazetteer
from generator.model import CountryMention

LEAD_WEIGHT = 2


@dataclass(frozen=True)
class CountryHit:
    code: str
    start: int
    end: int


@functools.cache
def country_pattern(gazetteer: Gazetteer) -> re.Pattern:
    """Matches country forms and the phrases that merely contain one (to be skipped)."""
    forms = alternation(set(gazetteer.country_forms) | gazetteer.not_country_forms)
    return re.compile(rf"(?<![\w.])(?:{forms})(?![\w])")


def country_hits(doc: Document, gazetteer: Gazetteer) -> list[CountryHit]:
    forms = gazetteer.country_forms
    return [CountryHit(forms[m.group()][0], m.start(), m.end())
            for m in country_pattern(gazetteer).finditer(doc.text)
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
