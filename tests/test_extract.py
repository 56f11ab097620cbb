"""Each extraction step on sentences from the seeds and samples."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.extract import extract
from generator.extract.figures import find_figures
from generator.extract.sentences import split_dateline, split_sentences
from generator.ingest import read_article, slug_for, split_headline
from generator.model import Article
from tests.conftest import ERDOGAN_CALL, PUTIN_CALL, SAMPLES, SEEDS


def facts_of(text, gazetteer, taxonomy, date=None):
    headline, paragraphs = split_headline(text)
    article = Article(Path("test.txt"), "test", headline, tuple(paragraphs))
    return extract(article, gazetteer, taxonomy.topics, date)


def seed_facts(stem, gazetteer, taxonomy, date=None):
    path = SEEDS / f"{stem}.txt"
    article, problem, _ = read_article(path, slug_for(path))
    assert problem is None
    return extract(article, gazetteer, taxonomy.topics, date)


def people_by_name(facts):
    return {p.name: p for p in facts.people}


def speakers(facts):
    return {q.text: q.speaker for q in facts.quotes}


# Sentences

@pytest.mark.parametrize("text, expected", [
    ("Rear Adm. Zeki Akturk spoke. He left.", ["Rear Adm. Zeki Akturk spoke.", "He left."]),
    ("The U.S. President Donald Trump called. Mr. Putin answered.",
     ["The U.S. President Donald Trump called.", "Mr. Putin answered."]),
    ("Talks began on Jan. 5 in Geneva. They ended.", ["Talks began on Jan. 5 in Geneva.", "They ended."]),
    ("“We are ready.” Putin said so.", ["“We are ready.”", "Putin said so."]),
])
def test_sentences_split_around_abbreviations(text, expected):
    assert [text[s.start:s.end].strip() for s in split_sentences(text)] == expected


def test_dateline_gives_place_and_agency():
    assert split_dateline("BEIJING (Reuters) - U.S. President Donald Trump said") == (
        "BEIJING", "Reuters", "U.S. President Donald Trump said")


def test_headline_line_is_the_title_and_not_a_paragraph(gazetteer, taxonomy):
    text = (SAMPLES / "03.txt").read_text()
    facts = facts_of(text, gazetteer, taxonomy)
    assert facts.title == "Trump says he and China's Xi to try to end opioid crisis"
    assert facts.source == "Reuters"
    assert not facts.summary.startswith("BEIJING")


# Countries

def test_demonym_names_capital_and_institution_count_as_countries(gazetteer, taxonomy):
    facts = facts_of("The Kremlin said Turkish troops and Kyiv agreed with the U.S. side.", gazetteer, taxonomy)
    assert {c.country.code for c in facts.countries} == {"RU", "TR", "UA", "US"}


def test_regions_and_blocs_are_not_countries(gazetteer, taxonomy):
    facts = facts_of("Europe, the Middle East, the Caucasus, Gaza, NATO and Latin America met.", gazetteer, taxonomy)
    assert facts.countries == ()


def test_turkey_and_turkiye_are_both_tr_and_counted(gazetteer, taxonomy):
    facts = facts_of("Turkey said Türkiye and Turkiye are one; Turkish officials agreed.", gazetteer, taxonomy)
    [turkey] = facts.countries
    assert (turkey.country.code, turkey.country.name, turkey.mentions) == ("TR", "Türkiye", 4)


def test_seed_countries_ordered_by_salience(gazetteer, taxonomy):
    facts = seed_facts(ERDOGAN_CALL, gazetteer, taxonomy)
    codes = [c.country.code for c in facts.countries]
    assert set(codes) == {"TR", "FR", "RU", "UA", "US", "GB", "SY"}
    assert codes.index("SY") == len(codes) - 1


# People

def test_title_and_demonym_give_role_and_country(gazetteer, taxonomy):
    facts = facts_of("Turkish President Recep Tayyip Erdogan spoke. Later Erdogan said more.", gazetteer, taxonomy)
    erdogan = people_by_name(facts)["Recep Tayyip Erdogan"]
    assert (erdogan.role, erdogan.country, erdogan.mentions) == ("President", "TR", 2)


def test_apposition_gives_office_and_country(gazetteer, taxonomy):
    facts = seed_facts(ERDOGAN_CALL, gazetteer, taxonomy)
    akturk = people_by_name(facts)["Zeki Akturk"]
    assert akturk.role == "spokesperson for the Turkish Defense Ministry"
    assert akturk.country == "TR"


def test_possessive_owner_gives_country(gazetteer, taxonomy):
    facts = seed_facts(ERDOGAN_CALL, gazetteer, taxonomy)
    people = people_by_name(facts)
    assert (people["Kirill Dmitriev"].role, people["Kirill Dmitriev"].country) == ("envoy", "RU")
    assert (people["Steve Witkoff"].role, people["Steve Witkoff"].country) == ("special envoy", "US")
    assert (people["Yuri Ushakov"].role, people["Yuri Ushakov"].country) == ("presidential aide", "RU")


def test_surname_mentions_join_the_full_name(gazetteer, taxonomy):
    facts = seed_facts(ERDOGAN_CALL, gazetteer, taxonomy)
    names = set(people_by_name(facts))
    assert "Putin" not in names and "Vladimir Putin" in names
    assert people_by_name(facts)["Vladimir Putin"].mentions >= 5


def test_generic_reference_counts_for_the_named_person(gazetteer, taxonomy):
    facts = facts_of("French President Emmanuel Macron called. The French leader said “yes.”", gazetteer, taxonomy)
    assert people_by_name(facts)["Emmanuel Macron"].mentions == 2
    assert speakers(facts) == {"yes.": "Emmanuel Macron"}


def test_a_role_naming_a_region_that_holds_a_country_word_is_no_crash_and_no_nationality(gazetteer, taxonomy):
    """'Latin America' and 'Northern Ireland' hold a country's name but are none: a role that
    names them gives the person no country (and once stopped the whole build with a KeyError)."""
    facts = facts_of("Envoy talks\n\nJohn Smith, the Latin America envoy, said on Monday the talks went well. "
                     "Northern Ireland Secretary Hilary Benn met Irish officials in Dublin. "
                     "Central America envoy Maria Ruiz said the talks went well.", gazetteer, taxonomy)
    people = people_by_name(facts)
    assert {"John Smith", "Hilary Benn", "Maria Ruiz"} <= set(people)
    assert [people[name].country for name in ("John Smith", "Hilary Benn", "Maria Ruiz")] == [None, None, None]
    assert people["Hilary Benn"].role == "Secretary"
    french = people_by_name(facts_of("Talks\n\nFrench President Emmanuel Macron called.", gazetteer, taxonomy))
    assert french["Emmanuel Macron"].country == "FR"  # a country before a title still counts


def test_a_name_never_runs_across_a_line_break(gazetteer, taxonomy):
    facts = facts_of("Putin meets Xi\n\nZeki Akturk, spokesperson for the ministry, said on Monday the forces were ready.\n"
                     "Talks with Abdel Fattah\nMeetings between the two leaders went well, Zeki Akturk said.",
                     gazetteer, taxonomy)
    names = set(people_by_name(facts))
    assert "Zeki Akturk" in names
    assert not any(name.startswith("Xi ") or name.endswith(" Meetings") for name in names), names


def test_capitalised_words_ending_in_a_bodys_word_are_no_person(gazetteer, taxonomy):
    """'The South African Defense Ministry said' names a ministry, not a person 'African Defense'."""
    facts = facts_of("Forces ready\n\nThe South African Defense Ministry said on Monday the forces were ready. "
                     "Rear Adm. Zeki Akturk, spokesperson for the South African Defense Ministry, said so too.",
                     gazetteer, taxonomy)
    assert set(people_by_name(facts)) == {"Zeki Akturk"}


def test_a_country_before_a_name_is_not_part_of_it(gazetteer, taxonomy):
    facts = facts_of("Talks\n\nSouth African President Cyril Ramaphosa met New Zealand Prime Minister Christopher "
                     "Luxon. South Africa’s Ramaphosa said on Monday the talks went well. New Zealand's Luxon told "
                     "reporters he agreed. South Korea’s Lee Jae-myung said more.", gazetteer, taxonomy)
    people = people_by_name(facts)
    assert {"Cyril Ramaphosa", "Christopher Luxon", "Lee Jae-myung"} <= set(people)
    assert not {name for name in people if name.split()[0] in ("Africa", "Zealand", "Korea")}
    assert people["Cyril Ramaphosa"].country == "ZA"


def test_a_title_of_several_words_is_not_part_of_the_name(gazetteer, taxonomy):
    facts = facts_of("Inquiry\n\nU.S. Secretary of State Rex Tillerson said on Monday the inquiry would go on. "
                     "Special Counsel Robert Mueller declined to comment.", gazetteer, taxonomy)
    people = people_by_name(facts)
    assert {"Rex Tillerson", "Robert Mueller"} <= set(people) and not {"State Rex Tillerson"} & set(people)
    assert (people["Rex Tillerson"].role, people["Robert Mueller"].role) == ("Secretary of State", "Special Counsel")


def test_an_apposed_role_keeps_its_abbreviations_and_stops_before_a_relative_clause(gazetteer, taxonomy):
    facts = facts_of("Visit\n\nCallista Gingrich, wife of the former speaker of the U.S. House, arrived on Monday. "
                     "Gennady Timchenko, a close Putin ally who has been under U.S. sanctions since 2014, declined "
                     "to comment.", gazetteer, taxonomy)
    people = people_by_name(facts)
    # A dot and a capital may end a sentence as well as an abbreviation: the role stops there.
    assert people["Callista Gingrich"].role == "wife of the former speaker of the U.S."
    assert people["Gennady Timchenko"].role == "close Putin ally"


# Organisations

def test_organisations_and_agencies(gazetteer, taxonomy):
    facts = seed_facts(ERDOGAN_CALL, gazetteer, taxonomy)
    names = {o.name for o in facts.organizations}
    assert {"NATO", "Tass", "Axios", "Turkish Defense Ministry", "Turkish Presidency"} <= names
    assert "Kiel Institute" in {o.name for o in seed_facts(PUTIN_CALL, gazetteer, taxonomy).organizations}


def test_a_countrys_bodies_are_named_after_its_mentions_only(gazetteer, taxonomy):
    facts = facts_of("The Chinese government and the U.S. embassy welcomed the Latin American leadership "
                     "and the Northern Ireland government.", gazetteer, taxonomy)
    bodies = {(o.name, o.mentions) for o in facts.organizations}
    assert {("Chinese government", 1), ("U.S. embassy", 1)} <= bodies
    assert not {name for name, _ in bodies} & {"American leadership", "Ireland government"}


# Quotes

def test_fragment_in_reported_speech_belongs_to_the_reported_speaker(gazetteer, taxonomy):
    said = speakers(seed_facts(ERDOGAN_CALL, gazetteer, taxonomy))
    assert said["maximum efforts"] == "Recep Tayyip Erdogan"
    assert said["make every possible effort"] == "Recep Tayyip Erdogan"
    assert said["excluded themselves"] == "Vladimir Putin"


def test_attribution_after_the_quote_and_by_pronoun(gazetteer, taxonomy):
    facts = seed_facts(ERDOGAN_CALL, gazetteer, taxonomy)
    said = speakers(facts)
    assert said["far away from the front line"] == "Emmanuel Macron"
    pronoun = next(q for q in facts.quotes if q.text.startswith("(European countries)"))
    assert pronoun.speaker == "Vladimir Putin"


def test_continued_quote_keeps_its_speaker(gazetteer, taxonomy):
    facts = seed_facts(ERDOGAN_CALL, gazetteer, taxonomy)
    second = next(q for q in facts.quotes if q.text.startswith("First and foremost"))
    assert second.speaker == "Zeki Akturk"


def test_relay_agency_is_recorded(gazetteer, taxonomy):
    facts = seed_facts(ERDOGAN_CALL, gazetteer, taxonomy)
    quote = next(q for q in facts.quotes if q.text.startswith("We’re not going to fight Europe"))
    assert (quote.speaker, quote.via, quote.direct) == ("Vladimir Putin", "Tass", True)


def test_institution_speaks_and_joint_readout_goes_to_its_source(gazetteer, taxonomy):
    said = speakers(seed_facts(PUTIN_CALL, gazetteer, taxonomy))
    assert said["special responsibility"] == "Kremlin"
    assert said["endlessly"] == "Emmanuel Macron"
    assert said["done the maximum we could"] == "Emmanuel Macron"


def test_straight_quotes_work_like_curly_ones(gazetteer, taxonomy):
    facts = facts_of('Prime Minister Justin Trudeau said "we are ready" on Monday.', gazetteer, taxonomy)
    assert speakers(facts) == {"we are ready": "Justin Trudeau"}


# Figures and dates

def test_money_counts_and_durations():
    figures = {f.text: f for f in find_figures(
        "committing over €3.7 billion ($4.1 billion); around 20 countries; Trump’s original "
        "28-point proposal; “four more documents”; after about five hours.")}
    assert figures["over €3.7 billion"].value == 3_700_000_000 and figures["over €3.7 billion"].unit == "EUR"
    assert figures["$4.1 billion"].unit == "USD"
    assert figures["around 20 countries"].value == 20
    assert figures["28-point proposal"].value == 28
    assert figures["four more documents"].value == 4
    assert figures["about five hours"].kind == "duration"


def test_a_count_in_words_starts_a_word():
    figures = {f.text: f.value for f in find_figures(
        "Forty people marched. Often-cited: “seven hundreds of troops”; (thirty countries) and "
        "twenty-five officials; someone nineteen? No: Ştwelve states, fifteen days.")}
    # not 'ten' in 'Often', 'one' in 'someone', 'twelve' after a letter, 'five' after a hyphen
    assert figures == {"Forty people": 40, "hundreds of troops": 200, "thirty countries": 30, "fifteen days": 15}


def test_dates_resolve_against_the_article_date(gazetteer, taxonomy):
    facts = seed_facts(ERDOGAN_CALL, gazetteer, taxonomy, dt.date(2025, 12, 3))
    dates = {d.text: d.value for d in facts.dates}
    assert dates["Wednesday"] == "2025-12-03"
    assert dates["Tuesday"] == "2025-12-02"
    assert dates["in late November"] == "2025-11"
    putin = {d.text: d.value for d in seed_facts(PUTIN_CALL, gazetteer, taxonomy, dt.date(2025, 7, 1)).dates}
    assert putin["September 2022"] == "2022-09"
    assert putin["In May"] == "2025-05"
    assert putin["Last week"] == "2025-W26"


# Topics, title, summary, key points

def test_topics_are_suggested_from_taxonomy_phrases(gazetteer, taxonomy):
    topics = seed_facts(ERDOGAN_CALL, gazetteer, taxonomy).topics
    assert "russia-ukraine-war" in topics and "peace-process" in topics
    assert "nuclear-non-proliferation" in seed_facts(PUTIN_CALL, gazetteer, taxonomy).topics


def test_title_says_who_did_what_when_there_is_no_headline(gazetteer, taxonomy):
    assert seed_facts(ERDOGAN_CALL, gazetteer, taxonomy).title == "Erdogan and Macron discuss Russia-Ukraine war in phone call"
    assert seed_facts(PUTIN_CALL, gazetteer, taxonomy).title == "Putin and Macron speak by telephone"


def test_summary_is_the_lead_within_sixty_words_and_key_points_add_to_it(gazetteer, taxonomy):
    facts = seed_facts(ERDOGAN_CALL, gazetteer, taxonomy)
    assert facts.summary.startswith("Turkish President Recep Tayyip Erdogan and French President")
    assert len(facts.summary.split()) <= 60
    assert 3 <= len(facts.key_points) <= 6
    assert all(point not in facts.summary for point in facts.key_points)
