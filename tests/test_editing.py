"""Editing tags by hand: never overwritten, suggestions on request, taxonomy edits, overrides."""

from __future__ import annotations

import datetime as dt
import re
import shutil

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.build import build
from generator.cli import main
from generator.errors import InputError
from generator.gazetteer import DATA, load_gazetteer
from tests.conftest import ERDOGAN_CALL, PUTIN_CALL, copy_project

EDITED_TAG_FILES = {
    "reordered keys and comments": (
        "# my notes\ntopics: [gaza, syria]   # trimmed\ncountries: [FR, RU]\ntitle: Reordered\n", "Reordered"),
    "odd spacing and block lists": (
        "title:     Spaced   out\n\ntopics:\n-   gaza\n-     syria\ncountries:\n  - France\n", "Spaced out"),
    "fields removed": ("date: 2025-07-01\n", "Putin and Macron speak by telephone"),
    "field added": ("title: With people\npeople:\n  Vladimir Putin: {role: Head of state}\n", "With people"),
    "empty file": ("", "Putin and Macron speak by telephone"),
    "no trailing newline": ("title: No newline", "No newline"),
}


@pytest.mark.parametrize("case", sorted(EDITED_TAG_FILES))
def test_rebuilds_never_touch_tag_files(tmp_path, case):
    text, title = EDITED_TAG_FILES[case]
    seeds, docs = copy_project(tmp_path)
    tag_file = seeds / f"{PUTIN_CALL}.yml"
    tag_file.write_text(text)
    for _ in range(3):
        build(seeds, docs)
    assert tag_file.read_bytes() == text.encode()
    page = (docs / "briefings" / f"{PUTIN_CALL}.md").read_text()
    assert f"\n# {title}\n" in page


TITLES = st.text(alphabet="abcdefghij XYZ", min_size=1, max_size=30).filter(str.strip)
EDITS = st.lists(st.one_of(
    st.tuples(st.just("title"), TITLES),
    st.tuples(st.just("topics"), st.lists(st.sampled_from(["gaza", "syria", "middle-east", "peace-process"]), unique=True)),
    st.tuples(st.just("countries"), st.lists(st.sampled_from(["FR", "RU", "Turkey", "UA"]), unique=True)),
    st.tuples(st.just("date"), st.dates(dt.date(2000, 1, 1), dt.date(2030, 12, 31))),
    st.tuples(st.just("comment"), st.text(alphabet="abc #:-", max_size=20)),
    st.tuples(st.just("remove"), st.sampled_from(["title", "topics", "countries", "date"])),
), min_size=1, max_size=4)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=EDITS)
def test_any_edit_sequence_survives_builds_and_pages_follow_it(tmp_path_factory, edits):
    seeds, docs = copy_project(tmp_path_factory.mktemp("edit"))
    tag_file = seeds / f"{PUTIN_CALL}.yml"
    fields: dict = {}
    comments: list[str] = []
    for kind, value in edits:
        if kind == "comment":
            comments.append(value)
        elif kind == "remove":
            fields.pop(value, None)
        else:
            fields[kind] = value
        text = "".join(f"# {c}\n" for c in comments) + yaml.safe_dump(fields, allow_unicode=True)
        tag_file.write_text(text)
        result = build(seeds, docs)
        assert tag_file.read_text() == text
        briefing = next(b for b in result.briefings if b.slug == PUTIN_CALL)
        page = (docs / "briefings" / f"{PUTIN_CALL}.md").read_text()
        if "title" in fields:
            assert briefing.title == " ".join(fields["title"].split())
        if "topics" in fields:
            assert [t.slug for t in briefing.topics] == fields["topics"]
            for slug in fields["topics"]:
                assert f"../topics/{slug}.md" in page
        if "countries" in fields:
            expected = ["TR" if c == "Turkey" else c for c in fields["countries"]]
            assert [c.code for c in briefing.countries] == expected
        assert briefing.date == fields.get("date")


def test_retag_adds_suggestions_and_keeps_comments_and_other_fields(tmp_path, capsys):
    seeds, _ = copy_project(tmp_path)
    tag_file = seeds / f"{PUTIN_CALL}.yml"
    tag_file.write_text("# mine\ntitle: Kept   # my title\ntopics:\n  - gaza  # hand-picked\ndate: 2025-07-01\n")
    assert main(["retag", str(tag_file), "--fields", "topics"]) == 0
    out = capsys.readouterr().out
    assert "-  - gaza  # hand-picked" in out and "+topics: [gaza, nuclear-non-proliferation" in out
    text = tag_file.read_text()
    assert text.startswith("# mine\ntitle: Kept   # my title\ntopics: [gaza, nuclear-non-proliferation")
    assert text.endswith("\ndate: 2025-07-01\n")


def test_retag_dry_run_changes_nothing(tmp_path, capsys):
    seeds, _ = copy_project(tmp_path)
    tag_file = seeds / f"{PUTIN_CALL}.yml"
    before = tag_file.read_bytes()
    assert main(["retag", str(tag_file), "--replace", "--dry-run"]) == 0
    assert "+topics:" in capsys.readouterr().out
    assert tag_file.read_bytes() == before


def test_new_taxonomy_topic_appears_as_a_suggestion(tmp_path, capsys):
    seeds, _ = copy_project(tmp_path)
    with open(seeds / "topics.yml", "a") as taxonomy:
        taxonomy.write("\nenergy:\n  label: Energy\n  description: Power.\n  phrases: [Kremlin, nuclear energy]\n")
    assert main(["check", "--seeds", str(seeds)]) == 0
    assert f"{PUTIN_CALL}.yml: suggested topic energy is not in topics" in capsys.readouterr().out


def test_renamed_topic_keeps_old_tag_files_working_and_says_which(tmp_path, capsys):
    seeds, docs = copy_project(tmp_path)
    taxonomy = seeds / "topics.yml"
    taxonomy.write_text(taxonomy.read_text().replace("gaza:\n", "gaza-war:\n  aliases: [gaza]\n"))
    result = build(seeds, docs)
    briefing = next(b for b in result.briefings if b.slug == ERDOGAN_CALL)
    assert "gaza-war" in [t.slug for t in briefing.topics]
    assert any(f"{ERDOGAN_CALL}.yml" in str(n) and "renamed to 'gaza-war'" in str(n) for n in result.notices)
    assert (docs / "topics" / "gaza-war.md").exists() and not (docs / "topics" / "gaza.md").exists()


def test_removed_topic_in_use_lists_the_files(tmp_path):
    seeds, docs = copy_project(tmp_path)
    taxonomy = seeds / "topics.yml"
    text = taxonomy.read_text()
    start = text.index("\nrussia-ukraine-war:")
    taxonomy.write_text(text[:start] + text[text.index("\npeace-process:"):])
    with pytest.raises(InputError) as caught:
        build(seeds, docs)
    messages = [str(p) for p in caught.value.problems]
    assert len(messages) == 2
    assert all("unknown topic 'russia-ukraine-war'" in m for m in messages)
    assert {ERDOGAN_CALL, PUTIN_CALL} == {re.search(r"(\w+)\.yml:", m).group(1) for m in messages}


def test_taxonomy_mistakes_are_reported_with_lines(tmp_path):
    seeds, docs = copy_project(tmp_path)
    (seeds / "topics.yml").write_text(
        "gaza:\n  label: Gaza\n  parent: middle-eats\n  phrasse: [Gaza]\nBad Slug:\n  label: x\n")
    with pytest.raises(InputError) as caught:
        build(seeds, docs)
    text = "\n".join(str(p) for p in caught.value.problems)
    assert "topics.yml:4: unknown field 'phrasse'" in text and "did you mean 'phrases'?" in text
    assert "topics.yml:5: topic slug 'Bad Slug'" in text
    assert "parent 'middle-eats', which is not a topic" in text


def test_topic_pages_show_their_children(tmp_path):
    seeds, docs = copy_project(tmp_path)
    build(seeds, docs)
    page = (docs / "topics" / "middle-east.md").read_text()
    assert "## Narrower topics" in page and "(../topics/israel-iran.md)" in page
    assert "Part of [Middle East](../topics/middle-east.md)" in (docs / "topics" / "gaza.md").read_text()


def test_person_overrides_correct_office_and_country_and_remove(tmp_path):
    seeds, docs = copy_project(tmp_path)
    with open(seeds / f"{ERDOGAN_CALL}.yml", "a") as tags:
        tags.write("people:\n  Jared Kushner: {role: senior adviser, country: United States}\n"
                   "  Kirill Dmitriev: {remove: true}\n")
    result = build(seeds, docs)
    briefing = next(b for b in result.briefings if b.slug == ERDOGAN_CALL)
    people = {p.name: p for p in briefing.people}
    assert (people["Jared Kushner"].role, people["Jared Kushner"].country) == ("senior adviser", "US")
    assert "Kirill Dmitriev" not in people
    assert not (docs / "people" / "kirill-dmitriev.md").exists()


def test_override_for_an_unknown_person_suggests_the_right_name(tmp_path):
    seeds, docs = copy_project(tmp_path)
    with open(seeds / f"{ERDOGAN_CALL}.yml", "a") as tags:
        tags.write("people:\n  Jared Kushnr: {country: US}\n")
    with pytest.raises(InputError) as caught:
        build(seeds, docs)
    [problem] = caught.value.problems
    assert "'Jared Kushnr' is not among the people" in str(problem) and "did you mean 'Jared Kushner'?" in str(problem)
    assert problem.line == 17


@pytest.mark.parametrize("text, message", [
    ("- gaza\n- syria\n", "must be a set of 'field: value' lines, not a list"),
    ("just words\n", "not a str"),
    ("title: a\n---\ntitle: b\n", "remove the extra '---'"),
    ("topics: gaza\n", None),
])
def test_shapes_of_tag_files(tmp_path, text, message):
    seeds, docs = copy_project(tmp_path)
    (seeds / f"{PUTIN_CALL}.yml").write_text(text)
    if message is None:  # a single word where a list is expected is a list of one
        briefing = next(b for b in build(seeds, docs).briefings if b.slug == PUTIN_CALL)
        assert [t.slug for t in briefing.topics] == ["gaza"]
        return
    with pytest.raises(InputError) as caught:
        build(seeds, docs)
    assert message in str(caught.value)


def test_gazetteer_mistakes_are_reported_with_file_line_and_fix(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    countries = data / "countries.yml"
    countries.write_text(countries.read_text().replace("TR:\n", "TX:\n", 1) + "FR:\n  name: Again\n")
    with pytest.raises(InputError) as caught:
        load_gazetteer(data)
    text = "\n".join(str(p) for p in caught.value.problems)
    assert "'TX' is not an ISO 3166-1 alpha-2 code" in text and "countries.yml:" in text
    assert "duplicate key 'FR'" in text


def test_gazetteer_alias_added_by_a_user_works_without_code_changes(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    countries = data / "countries.yml"
    countries.write_text(countries.read_text().replace("aliases: [Türkiye,", "aliases: [Anatolia, Türkiye,", 1))
    assert load_gazetteer(data).country_code("Anatolia") == "TR"
