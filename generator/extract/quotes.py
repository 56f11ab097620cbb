"""Who said what: every quotation with its speaker resolved to a person or an institution.

Attribution is looked for after the quote ('," Macron said'), before it in the same sentence
('Erdogan said Türkiye is making "maximum efforts"'), by pronoun ('he said') to the current
speaker, and by continuation (an unattributed quote right after one of the same speaker)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.extract.organizations import OrganizationHit
from generator.extract.people import SPEECH_VERB, SPEECH_VERBS, PersonHit
from generator.extract.sentences import Document
from generator.model import Quote

_QUOTE = re.compile(
    r"“(?P<curly>[^”\n]+)(?:”|(?=\n))"
    r"|(?<![\w])\"(?P<straight>[^\"\n]+)\""
    r"|(?<![\w])‘(?P<single_curly>[^’\n]{1,80}?)’(?![\w])"
    r"|(?<![\w])'(?P<single>[^'\n]{1,60}?)'(?![\w])"
)
_PRONOUN = re.compile(r"(?<![\w])(?:he|she|He|She)(?![\w])")
_GROUP_SUBJECT = re.compile(r"(?i)\b(?:the two (?:leaders|presidents|sides|men)|both (?:sides|leaders)|they)\b")
_RELAY = re.compile(r"(?:as quoted by|quoted by|according to|told)\s+(?:[\w’'.-]+\s+){0,2}")
_AFTER_WINDOW = 60


@dataclass(frozen=True)
class _Actor:
    """A person or organisation at a place in the text, as a possible speaker."""

    name: str
    start: int
    end: int
    possessive: bool = False
    person: bool = True


def find_quotes(doc: Document, people: tuple[PersonHit, ...], organizations: list[OrganizationHit]) -> tuple[Quote, ...]:
    spans = [(m.start(), m.end(), next(g for g in m.groups() if g is not None)) for m in _QUOTE.finditer(doc.text)]
    inside = [(s, e) for s, e, _ in spans]
    actors = sorted(
        [_Actor(h.name, h.start, h.end, h.possessive) for h in people if not _within(h.start, inside)]
        + [_Actor(o.name, o.start, o.end, person=False) for o in organizations if not _within(o.start, inside)],
        key=lambda a: a.start)
    readout = _readout_source(doc, organizations)
    quotes: list[Quote] = []
    current: str | None = None
    previous: tuple[int, str | None] | None = None
    cursor = 0
    for start, end, text in spans:
        current = _current_speaker(doc, cursor, start, actors, current)
        sentence = doc.sentence_at(start)
        speaker = (_after(doc, end, actors, current)
                   or _before(doc, sentence.start, start, actors, current, readout))
        if speaker is None and previous and _only_attribution_between(doc.text[previous[0]:start]):
            speaker = previous[1]
        if speaker is None and _starts_sentence(doc, sentence.start, start):
            speaker = current
        if any(a.person and a.name == speaker for a in actors):
            current = speaker
        previous, cursor = (end, speaker), end
        quotes.append(Quote(text=text.strip().rstrip(","), speaker=speaker,
                            direct=_is_direct(doc, sentence.start, start, text),
                            via=_via(doc, end, doc.sentence_at(end - 1).end, organizations)))
    return tuple(quotes)


def _within(offset: int, spans) -> bool:
    return any(s <= offset < e for s, e in spans)


def _after(doc, quote_end, actors, current) -> str | None:
    """'," Macron said' / '," he said' / '," said Putin' / '," the Kremlin said'."""
    tail = doc.text[quote_end:min(len(doc.text), quote_end + _AFTER_WINDOW)]
    tail = tail.split("\n")[0]
    if re.match(r"\s*(?:,|\.|!|\?)?\s*(?:he|she)\s+(?:" + SPEECH_VERBS + r")\b", tail):
        return current
    head = re.match(r"\s*[,.!?]?\s*(?:(?:" + SPEECH_VERBS + r")\s+)?", tail)
    for actor in actors:
        offset = actor.start - quote_end
        if head and 0 <= offset <= head.end() + 4 and not actor.possessive:
            rest = doc.text[actor.end:actor.end + 40]
            if head.group().strip(" ,.!?") or re.match(r"\s+(?:" + SPEECH_VERBS + r")\b", rest):
                return actor.name
    return None


def _before(doc, sentence_start, quote_start, actors, current, readout) -> str | None:
    """The subject of the nearest speech verb before the quote in the same sentence."""
    prefix = doc.text[sentence_start:quote_start]
    verbs = list(SPEECH_VERB.finditer(prefix))
    if not verbs:
        return None
    verb = verbs[-1]
    verb_at = sentence_start + verb.start()
    if verb.group() == "according to":
        after = [a for a in actors if verb_at < a.start < quote_start]
        return after[0].name if after else None
    subject = _subject_before(doc, sentence_start, verb_at, actors)
    if subject:
        return subject
    clause = doc.text[sentence_start:verb_at]
    if _PRONOUN.search(clause):
        return current
    if _GROUP_SUBJECT.search(clause):
        return readout
    return None


def _subject_before(doc, sentence_start, position, actors) -> str | None:
    """The actor nearest before the position in the sentence that is not a possessive."""
    candidates = [a for a in actors if sentence_start <= a.start < position and not a.possessive]
    if not candidates:
        return None
    nearest = candidates[-1]
    between = doc.text[nearest.end:position]
    if _PRONOUN.search(between):
        return None
    return nearest.name


def _current_speaker(doc, start, end, actors, current) -> str | None:
    """The person a later 'he' refers to: the last sentence subject that was a named person."""
    for sentence in doc.sentences:
        if sentence.end <= start or sentence.start >= end:
            continue
        segment_start, segment_end = max(sentence.start, start), min(sentence.end, end)
        words = doc.text[segment_start:segment_end].lstrip(" ,.”\"").split(None, 1)
        if words and words[0] in ("He", "She", "he", "she"):
            continue
        subjects = [a for a in actors if a.person and not a.possessive
                    and segment_start <= a.start < segment_end]
        if subjects:
            current = subjects[0].name
    return current


def _readout_source(doc, organizations) -> str | None:
    """'..., according to the Kremlin.' in the lead: the source of a joint readout."""
    lead = doc.text[doc.body_start:doc.lead_end]
    match = re.search(r"according to (?:the )?", lead)
    if not match:
        return None
    after = [o for o in organizations if o.start >= doc.body_start + match.end()]
    return after[0].name if after else None


def _only_attribution_between(gap: str) -> bool:
    return bool(re.fullmatch(r"[\s,.]*(?:[\w’'. -]{0,40}?\b(?:" + SPEECH_VERBS + r")\b[^“\"]{0,40})?[\s,.]*", gap))


def _starts_sentence(doc, sentence_start, quote_start) -> bool:
    return not doc.text[sentence_start:quote_start].strip()


def _is_direct(doc, sentence_start, quote_start, text) -> bool:
    before = doc.text[sentence_start:quote_start].rstrip()
    return not before or before.endswith((":", ",")) or len(text.split()) >= 8


def _via(doc, quote_end, sentence_end, organizations) -> str | None:
    tail = doc.text[quote_end:sentence_end]
    relay = _RELAY.search(tail)
    if not relay:
        return None
    at = quote_end + relay.start()
    after = [o for o in organizations if at <= o.start < sentence_end]
    return after[0].name if after else None
