"""The topic taxonomy file that editors own: load and validate it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from generator.errors import Problem
from generator.model import Topic
from generator.schema import list_field, text_field, unknown_keys
from generator.yamlfile import load_yaml

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
FIELDS = ("label", "description", "phrases", "parent", "aliases")


@dataclass(frozen=True)
class Taxonomy:
    path: Path
    topics: tuple[Topic, ...]

    @cached_property
    def by_slug(self) -> dict[str, Topic]:
        """Made once: every briefing's topics are looked up in it."""
        return {t.slug: t for t in self.topics}

    def resolve(self, slug: str) -> Topic | None:
        """The topic a slug names, following the aliases left by renames."""
        for topic in self.topics:
            if slug == topic.slug or slug in topic.aliases:
                return topic
        return None

    def children(self, slug: str) -> tuple[Topic, ...]:
        return tuple(t for t in self.topics if t.parent == slug)


def load_taxonomy(path: Path) -> tuple[Taxonomy | None, list[Problem]]:
    if not path.is_file():
        return None, [Problem(path, "the topic taxonomy file is missing",
                              "create it (see seeds/topics.yml in the repository)")]
    doc, problems = load_yaml(path)
    if doc is None:
        return None, problems
    if not isinstance(doc.data, dict) or not doc.data:
        return None, [Problem(path, "the taxonomy must map topic slugs to their fields",
                              "start each topic with 'slug:' at the left margin")]
    topics = []
    for slug, fields in doc.data.items():
        line = doc.line_of(slug)
        if not isinstance(slug, str) or not SLUG.match(slug):
            problems.append(Problem(path, f"topic slug '{slug}' is not lowercase words joined by "
                                    "hyphens", "write it like russia-ukraine-war", line))
            continue
        if not isinstance(fields, dict):
            problems.append(Problem(path, f"topic '{slug}' needs its fields (label, description, "
                                    "phrases)", "indent label:, description: and phrases: "
                                    "under it", line))
            continue
        problems += unknown_keys(doc, fields, FIELDS, (slug,))
        label = text_field(doc, fields.get("label"), (slug, "label"), problems)
        if not label:
            problems.append(Problem(path, f"topic '{slug}' has no label", "add label: with the "
                                    "name readers see", line))
        phrases = list_field(doc, fields.get("phrases"), (slug, "phrases"), problems) or []
        aliases = list_field(doc, fields.get("aliases"), (slug, "aliases"), problems) or []
        topics.append(Topic(
            slug=slug,
            label=label or slug,
            description=text_field(doc, fields.get("description"), (slug, "description"), problems) or "",
            phrases=tuple(phrases),
            parent=text_field(doc, fields.get("parent"), (slug, "parent"), problems),
            aliases=tuple(aliases),
        ))
    slugs = {t.slug for t in topics}
    for topic in topics:
        if topic.parent and topic.parent not in slugs:
            problems.append(Problem(path, f"topic '{topic.slug}' has parent '{topic.parent}', "
                                    "which is not a topic", "use the slug of a topic in this file",
                                    doc.line_of(topic.slug, "parent")))
        for alias in topic.aliases:
            if alias in slugs:
                problems.append(Problem(path, f"alias '{alias}' of '{topic.slug}' is also a topic",
                                        "remove the alias or the topic",
                                        doc.line_of(topic.slug, "aliases")))
    problems += _cycles(topics, doc)
    return (None if problems else Taxonomy(path, tuple(topics))), problems


def _cycles(topics, doc) -> list[Problem]:
    parent = {t.slug: t.parent for t in topics}
    problems = []
    for slug in parent:
        seen, current = set(), slug
        while current in parent and parent[current]:
            if current in seen:
                problems.append(Problem(doc.path, f"topic '{slug}' is its own ancestor",
                                        "remove one 'parent:' from the loop",
                                        doc.line_of(slug, "parent")))
                break
            seen.add(current)
            current = parent[current]
    return problems
