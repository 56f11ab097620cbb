"""Topic suggestions scored from the taxonomy's phrases, lead weighted, best first."""

from __future__ import annotations

import re

from generator.extract.sentences import Document
from generator.model import Topic

LEAD_WEIGHT = 3
THRESHOLD = 2
MAX_TOPICS = 6


def suggest_topics(doc: Document, topics: tuple[Topic, ...]) -> tuple[str, ...]:
    lead_end = doc.lead_end
    scored = []
    for topic in topics:
        score = 0
        for phrase in topic.phrases:
            pattern = re.compile(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])", re.IGNORECASE)
            for match in pattern.finditer(doc.text):
                score += LEAD_WEIGHT if match.start() < lead_end else 1
        if score >= THRESHOLD:
            scored.append((score, topic.slug))
    scored.sort(key=lambda pair: (-pair[0], pair[1]))
    return tuple(slug for _, slug in scored[:MAX_TOPICS])
