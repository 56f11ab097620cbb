"""The per-article YAML tag files: the editor's side of every briefing.

Created once with the machine's suggestions, then only ever read. Validation collects every
problem in a file, with its line and a fix."""

from __future__ import annotations

import datetime as dt
import functools
import os
import tempfile
from dataclasses import replace
from pathlib import Path

import yaml

from generator.errors import Notice, Problem
from generator.gazetteer import Gazetteer
from generator.model import Facts, PersonOverride, Tags
from generator.output import usual_mode, write_whole
from generator.schema import did_you_mean, list_field, text_field, unknown_keys
from generator.taxonomy import Taxonomy
from generator.yamlfile import load_yaml

FIELDS = ("title", "date", "source", "countries", "topics", "people")
PERSON_FIELDS = ("role", "country", "remove")


def tag_path_for(article: Path) -> Path:
    return article.with_suffix(".yml")


def read_tags(path: Path, gazetteer: Gazetteer, taxonomy: Taxonomy) -> tuple[Tags, list[Problem], list[Notice]]:
    """The tags a file sets (all None when there is no file yet)."""
    if not path.exists():
        return Tags(), [], []
    doc, problems = load_yaml(path)
    if doc is None:
        return Tags(), problems, []
    if doc.data is None:
        return Tags(), [], []
    if not isinstance(doc.data, dict):
        return Tags(), [Problem(path, f"a tag file must be a set of 'field: value' lines, not a "
                                f"{type(doc.data).__name__}", "write one field per line, e.g. "
                                "'topics: [gaza]'", 1)], []
    data = doc.data
    problems += unknown_keys(doc, data, FIELDS)
    notices: list[Notice] = []
    countries = list_field(doc, data.get("countries"), ("countries",), problems)
    topics = list_field(doc, data.get("topics"), ("topics",), problems)
    tags = Tags(
        title=text_field(doc, data.get("title"), ("title",), problems),
        date=_date(doc, data.get("date"), problems),
        source=text_field(doc, data.get("source"), ("source",), problems),
        countries=None if countries is None else _country_codes(doc, countries, gazetteer, problems),
        topics=None if topics is None else _topic_slugs(doc, topics, taxonomy, problems, notices),
        people=_people(doc, data.get("people"), gazetteer, problems),
    )
    return tags, problems, notices


def _date(doc, value, problems) -> dt.date | None:
    if value is None or isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    problems.append(Problem(doc.path, f"date {value!r} is not a date", "write the day as "
                            "YYYY-MM-DD, e.g. date: 2025-12-03", doc.line_of("date")))
    return None


def _country_codes(doc, values, gazetteer, problems) -> tuple[str, ...]:
    codes: list[str] = []
    for value in values:
        code = gazetteer.country_code(value)
        if code is None:
            names = list(gazetteer.countries) + [c.name for c in gazetteer.countries.values()]
            hint = did_you_mean(value, names)
            problems.append(Problem(doc.path, f"unknown country '{value}'",
                                    hint or "use an ISO 3166 code such as TR, or a country name",
                                    doc.line_of("countries")))
        elif code not in codes:
            codes.append(code)
    return tuple(codes)


def _topic_slugs(doc, values, taxonomy, problems, notices) -> tuple[str, ...]:
    slugs: list[str] = []
    for value in values:
        topic = taxonomy.resolve(value)
        if topic is None:
            hint = did_you_mean(value, [t.slug for t in taxonomy.topics])
            problems.append(Problem(doc.path, f"unknown topic '{value}'",
                                    hint or f"use a slug from {taxonomy.path}, or add the topic there",
                                    doc.line_of("topics")))
            continue
        if topic.slug != value:
            notices.append(Notice(doc.path, f"topic '{value}' was renamed to '{topic.slug}'; "
                                  "update the slug when convenient"))
        if topic.slug not in slugs:
            slugs.append(topic.slug)
    return tuple(slugs)


def _people(doc, value, gazetteer, problems) -> tuple[PersonOverride, ...]:
    """people: {Name: {role: ..., country: ..., remove: true}}"""
    if value is None:
        return ()
    if not isinstance(value, dict):
        problems.append(Problem(doc.path, "'people' must map names to corrections",
                                "write e.g.  people: {Jared Kushner: {country: US}}", doc.line_of("people")))
        return ()
    overrides = []
    for name, fields in value.items():
        where = ("people", name)
        if fields is None:
            fields = {}
        if not isinstance(fields, dict):
            problems.append(Problem(doc.path, f"the correction for '{name}' must be a mapping",
                                    "write {role: ..., country: ...} or {remove: true}", doc.line_of(*where)))
            continue
        problems += unknown_keys(doc, fields, PERSON_FIELDS, where)
        country = text_field(doc, fields.get("country"), where + ("country",), problems)
        code = gazetteer.country_code(country) if country else None
        if country and code is None:
            problems.append(Problem(doc.path, f"unknown country '{country}' for '{name}'",
                                    did_you_mean(country, list(gazetteer.countries)) or "use an ISO 3166 code such as TR",
                                    doc.line_of(*where, "country")))
        remove = fields.get("remove", False)
        if not isinstance(remove, bool):
            problems.append(Problem(doc.path, f"'remove' for '{name}' must be true or false",
                                    "write remove: true", doc.line_of(*where, "remove")))
            remove = False
        overrides.append(PersonOverride(str(name), text_field(doc, fields.get("role"), where + ("role",), problems),
                                        code, remove, doc.line_of(*where)))
    return tuple(overrides)


def unknown_people(path: Path, tags: Tags, facts: Facts) -> list[Problem]:
    """A correction for a person the article does not name is a typo until shown otherwise."""
    names = [p.name for p in facts.people]
    return [Problem(path, f"'{o.name}' is not among the people found in the article",
                    did_you_mean(o.name, names) or f"use one of: {', '.join(names) or '(none found)'}",
                    o.line)
            for o in tags.people if o.name not in names]


def apply_people(people, overrides: tuple[PersonOverride, ...]):
    """The machine's people with the editor's corrections applied."""
    by_name = {o.name: o for o in overrides}
    corrected = []
    for person in people:
        override = by_name.get(person.name)
        if override is None:
            corrected.append(person)
        elif not override.remove:
            corrected.append(replace(person, role=override.role or person.role,
                                     country=override.country or person.country))
    return tuple(corrected)


def suggested_tags(facts: Facts) -> Tags:
    return Tags(title=facts.title, date=None, source=facts.source,
                countries=tuple(c.country.code for c in facts.countries), topics=facts.topics)


def create_tag_file(path: Path, article_name: str, suggestion: Tags, taxonomy_name: str) -> os.stat_result | None:
    """Writes the first version of a tag file; never replaces one that exists: the file is written
    whole under a name of this process's, then linked to its name, which fails if that is taken
    (the build asks only for files its listing of the folder lacked). Returns the new file's
    status as written (which reads as `suggestion`), or None."""
    data = render_tag_file(article_name, suggestion, taxonomy_name).encode("utf-8")
    fd, tmp = _temporary_beside(path)
    try:
        write_whole(fd, data)
        written = os.fstat(fd)
        os.link(tmp, path)
        return written
    except FileExistsError:
        return None
    finally:
        os.close(fd)
        os.unlink(tmp)


def _temporary_beside(path: Path) -> tuple[int, str]:
    """A new hidden file in the same folder, made with the usual mode (as open() makes files),
    named after the file and this process; one a killed build left behind gets another name."""
    name = f"{path.parent}/.{path.name}.{os.getpid()}.tmp"
    try:
        return os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), name
    except FileExistsError:
        fd, name = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".yml.tmp")
        os.fchmod(fd, usual_mode(0o666))
        return fd, name


def format_field(field: str, value) -> str:
    """One 'field: value' line in the style of the files the generator writes."""
    if isinstance(value, (tuple, list)):
        return f"{field}: [" + ", ".join(_scalar(v) for v in value) + "]"
    return f"{field}: {_scalar(value)}".rstrip()


_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml's: seven times faster


@functools.lru_cache(maxsize=4096)  # codes, topic slugs and sources repeat across thousands of files
def _scalar(value) -> str:
    if value is None:
        return ""
    text = yaml.dump(value, Dumper=_DUMPER, allow_unicode=True, default_flow_style=True, width=10_000)
    return text.removesuffix("\n").removesuffix("\n...").strip()


def render_tag_file(article_name: str, tags: Tags, taxonomy_name: str) -> str:
    return (
        f"# Tags for {article_name}\n"
        "#\n"
        "# The generator wrote this file once, with its suggestions. It is yours now: edit any\n"
        "# field and run `make site`. No command rewrites it; `make check` lists newer suggestions.\n"
        "#   title      the briefing's headline\n"
        "#   date       YYYY-MM-DD, the day of the events reported (empty if unknown)\n"
        "#   source     the publisher or wire service\n"
        "#   countries  ISO 3166 codes (TR) or country names (Turkey)\n"
        f"#   topics     slugs from {taxonomy_name}\n"
        "#   people     optional corrections, e.g. {Jared Kushner: {country: US}} or {Name: {remove: true}}\n"
        "# Remove a field to let the machine's suggestion apply again.\n"
        + "".join(format_field(field, getattr(tags, field)) + "\n"
                  for field in ("title", "date", "source"))
        + format_field("countries", tags.countries or ()) + "\n"
        + format_field("topics", tags.topics or ()) + "\n"
    )


def pending_suggestions(tags: Tags, suggestion: Tags) -> list[str]:
    """Countries and topics the machine suggests now that the editor's file does not have."""
    lines = []
    for field, label in (("countries", "country"), ("topics", "topic")):
        have = getattr(tags, field)
        if have is None:
            continue
        lines += [f"suggested {label} {value} is not in {field}"
                  for value in getattr(suggestion, field) or () if value not in have]
    return lines
