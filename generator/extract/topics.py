"""Topic suggestions scored from the taxonomy's phrases, lead weighted, best first."""

from __future__ import annotations

import functools
import re
from collections.abc import Collection
from dataclasses import dataclass

from generator.extract.sentences import Document
from generator.extract.words import alternation, at_word_starts, match_at
from generator.model import Topic

LEAD_WEIGHT = 3
THRESHOLD = 2
MAX_TOPICS = 6
# The letters fold_case turns into others than their lowercase: without them the folded text
# is the lowercase text.
_FOLDED_BEYOND_CASE = ("İ", "ı", "ſ")


@functools.cache
def _phrase_pattern(phrase: str) -> re.Pattern:
    return re.compile(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])", re.IGNORECASE)


@dataclass(frozen=True)
class _PhraseIndex:
    """A taxonomy's phrases, as written, arranged for scoring: built once per taxonomy."""

    slugs: dict[str, tuple[str, ...]]  # the topics each phrase counts for, once per listing
    longest: re.Pattern  # the longest ASCII phrase, lowercased, that begins at a place (group 1)
    longest_after: re.Pattern  # the same after a character no ASCII word holds (words.at_word_starts)
    within: dict[str, tuple[str, ...]]  # for each longest phrase, those that begin where it does
    unfoldable: tuple[str, ...]  # the phrases not ASCII, which a scan of the folded text may miss


@functools.cache
def _phrase_index(topics: tuple[Topic, ...]) -> _PhraseIndex:
    """Cached: every article is scored against the same taxonomy."""
    slugs: dict[str, tuple[str, ...]] = {}
    for topic in topics:
        for phrase in topic.phrases:
            slugs[phrase] = slugs.get(phrase, ()) + (topic.slug,)
    ascii_phrases = [phrase for phrase in slugs if phrase.isascii()]
    lowered = {phrase.lower() for phrase in ascii_phrases}
    longest_here = rf"(?=({alternation(lowered)}))"
    return _PhraseIndex(
        slugs=slugs,
        longest=re.compile(longest_here),
        longest_after=re.compile(rf"[^-0-9_a-z]{longest_here}"),
        within={longest: tuple(phrase for phrase in ascii_phrases if longest.startswith(phrase.lower()))
                for longest in lowered},
        unfoldable=tuple(phrase for phrase in slugs if not phrase.isascii()))


def _phrase_starts(doc: Document, index: _PhraseIndex) -> dict[str, list[int]]:
    """Where each phrase found may match: for an ASCII one, every word start where its lowercase
    begins in the folded text, which keeps offsets and word starts; for another, its matches."""
    starts: dict[str, list[int]] = {}
    for start, longest in at_word_starts(index.longest, index.longest_after, doc.folded):
        for phrase in index.within[longest]:
            starts.setdefault(phrase, []).append(start)
    for phrase in index.unfoldable:
        if found := [match.start() for match in _phrase_pattern(phrase).finditer(doc.text)]:
            starts[phrase] = found
    return starts


def _in_lowercase(doc: Document, phrases: Collection[str]) -> Collection[str]:
    """The phrases whose lowercase is in the lowercase text: as ever, "iran" counts in "Iran", not
    in "İran". Lowering is slow on text that is not ASCII, and needless when every phrase is ASCII,
    so was found in the folded text, and that is the lowercase text."""
    folded_is_lowercase = not any(letter in doc.text for letter in _FOLDED_BEYOND_CASE)
    if folded_is_lowercase and all(phrase.isascii() for phrase in phrases):
        return phrases
    lowered = doc.text.lower()
    return [phrase for phrase in phrases if phrase.lower() in lowered]


def suggest_topics(doc: Document, topics: tuple[Topic, ...]) -> tuple[str, ...]:
    index = _phrase_index(topics)
    lead_end = doc.lead_end
    found = _phrase_starts(doc, index)
    scores: dict[str, int] = {}
    for phrase in _in_lowercase(doc, found.keys()):
        score = sum(LEAD_WEIGHT if match.start() < lead_end else 1
                    for match in match_at(_phrase_pattern(phrase), doc.text, found[phrase]))
        for slug in index.slugs[phrase]:
            scores[slug] = scores.get(slug, 0) + score
    best = sorted((-score, slug) for slug, score in scores.items() if score >= THRESHOLD)
    return tuple(slug for _, slug in best[:MAX_TOPICS])
