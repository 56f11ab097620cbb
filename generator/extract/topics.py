"""Topic suggestions scored from the taxonomy's phrases, lead weighted, best first."""

from __future__ import annotations

import functools
import re

from generator.extract.sentences import Document
from generator.extract.words import alternation, fold_case, match_at
from generator.model import Topic

LEAD_WEIGHT = 3
THRESHOLD = 2
MAX_TOPICS = 6


@functools.cache
def _phrase_pattern(phrase: str) -> re.Pattern:
    return re.compile(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])", re.IGNORECASE)


@functools.cache
def _ascii_phrases(topics: tuple[Topic, ...]) -> frozenset[str]:
    """The phrases, lowercased, that fold_case lets one case-sensitive scan find."""
    return frozenset(phrase.lower() for topic in topics for phrase in topic.phrases if phrase.isascii())


@functools.cache
def _starts_pattern(topics: tuple[Topic, ...]) -> re.Pattern:
    """Every word start in fold_case(text) where some phrase begins, with the longest such phrase:
    one case-sensitive scan of the text, far cheaper than a case-insensitive one."""
    return re.compile(rf"(?<![\w-])(?=({alternation(_ascii_phrases(topics))}))")


@functools.cache
def _phrases_within(topics: tuple[Topic, ...]) -> dict[str, tuple[str, ...]]:
    """For each phrase, those it begins with, itself included: all that begin where it does."""
    phrases = _ascii_phrases(topics)
    return {longest: tuple(phrase for phrase in phrases if longest.startswith(phrase)) for longest in phrases}


def _phrase_starts(text: str, topics: tuple[Topic, ...]) -> dict[str, list[int]]:
    """Where each ASCII phrase (lowercased) begins in the text, ignoring case: every place its
    pattern can match, since fold_case keeps offsets and word starts."""
    starts: dict[str, list[int]] = {}
    within = _phrases_within(topics)
    for match in _starts_pattern(topics).finditer(fold_case(text)):
        for phrase in within[match[1]]:
            starts.setdefault(phrase, []).append(match.start())
    return starts


def suggest_topics(doc: Document, topics: tuple[Topic, ...]) -> tuple[str, ...]:
    lead_end = doc.lead_end
    lowered = doc.text.lower()
    phrase_starts = _phrase_starts(doc.text, topics)
    scored = []
    for topic in topics:
        score = 0
        for phrase in topic.phrases:
            pattern = _phrase_pattern(phrase)
            if phrase.isascii():
                starts = phrase_starts.get(phrase.lower(), [])
            else:
                starts = [match.start() for match in pattern.finditer(doc.text)]
            if not starts or phrase.lower() not in lowered:  # as ever: "iran" counts in "Iran", not in "İran"
                continue
            for match in match_at(pattern, doc.text, starts):
                score += LEAD_WEIGHT if match.start() < lead_end else 1
        if score >= THRESHOLD:
            scored.append((score, topic.slug))
    scored.sort(key=lambda pair: (-pair[0], pair[1]))
    return tuple(slug for _, slug in scored[:MAX_TOPICS])
