"""Extraction: pure functions from an article's text to Facts. No I/O, no state between calls."""

from __future__ import annotations

import datetime as dt

from generator.extract.countries import country_hits, rank_countries
from generator.extract.dates import find_dates
from generator.extract.figures import find_figures
from generator.extract.organizations import count_organizations, organization_hits
from generator.extract.people import find_people
from generator.extract.quotes import find_quotes
from generator.extract.sentences import prepare
from generator.extract.summary import key_points, make_summary, make_title
from generator.extract.topics import suggest_topics
from generator.gazetteer import Gazetteer
from generator.model import Article, Facts, Topic


def extract(article: Article, gazetteer: Gazetteer, topics: tuple[Topic, ...],
            reference_date: dt.date | None = None) -> Facts:
    doc = prepare(article.headline, article.paragraphs)
    countries = country_hits(doc, gazetteer)
    organizations = organization_hits(doc, gazetteer, countries)
    people = find_people(doc, gazetteer, organizations)
    figures = find_figures(doc.text)
    summary = make_summary(doc)
    return Facts(
        title=make_title(doc, article.headline, people.hits),
        summary=summary,
        key_points=key_points(doc, summary, people.hits, countries, figures),
        countries=rank_countries(doc, countries, gazetteer),
        people=people.people,
        organizations=count_organizations(organizations),
        quotes=find_quotes(doc, people.hits, organizations, gazetteer),
        figures=figures,
        dates=find_dates(doc.text, reference_date),
        topics=suggest_topics(doc, topics),
        source=doc.dateline_agency,
    )
