"""Topic suggestions scored from the taxonomy's phrases, lead weighted, best first."""

from __future__ import annotations

import functools
import re

from generator.extract.sentences import Document
from generator.extract.words import alternation
from generator.model import Topic

LEAD_WEIGHT = 3
THRESHOLD = 2
MAX_TOPICS = 6


@functools.cache
def _phrase_pattern(phrase: str) -> re.Pattern:
    return re.compile(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])", re.IGNORECASE)


@functools.cache
def _starts_pattern(topics: tuple[Topic, ...]) -> re.Pattern:
    """Every place some phrase matches: one scan of the text, not one per phrase."""
    phrases = alternation(phrase for topic in topics for phrase in topic.phrases)
    return re.compile(rf"(?<![\w-])(?=(?:{phrases})(?![\w-]))", re.IGNORECASE)


def suggest_topics(doc: Document, topics: tuple[Topic, ...]) -> tuple[str, ...]:
    lead_end = doc.lead_end
    lowered = doc.text.lower()
    starts = [match.start() for match in _starts_pattern(topics).finditer(doc.text)]
    scored = []
    for topic in topics:
        score = 0
        for phrase in topic.phrases:
            if phrase.lower() not in lowered:  # a cheap test first: most phrases are absent
                continue
            pattern, end = _phrase_pattern(phrase), 0
            for start in starts:  # what finditer would find: matches from the left, not overlapping
                if start >= end and (match := pattern.match(doc.text, start)):
                    end = match.end()
                    score += LEAD_WEIGHT if start < lead_end else 1
        if score >= THRESHOLD:
            scored.append((score, topic.slug))
    scored.sort(key=lambda pair: (-pair[0], pair[1]))
    return tuple(slug for _, slug in scored[:MAX_TOPICS])
