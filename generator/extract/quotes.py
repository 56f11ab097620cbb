"""Who said what: every quotation with its speaker resolved to a person or an institution.

Attribution is looked for after the quote ('," Macron said'), before it in the same sentence
('Erdogan said Türkiye is making "maximum efforts"'), by pronoun ('he said') to the current
speaker, and by continuation (an unattributed quote right after one of the same speaker)."""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from typing import NamedTuple

from generator.extract.organizations import OrganizationHit
from generator.extract.people import SPEECH_VERB, SPEECH_VERB_TRIE, WHOLE_WORD_CAP, PersonHit
from generator.extract.sentences import Document, occurrences
from generator.extract.words import CAP, find_unless_after, match_at
from generator.gazetteer import Gazetteer
from generator.model import Quote

_QUOTE = re.compile(
    r"“(?P<curly>[^”\n]+)(?:”|(?=\n))"
    r"|(?<![\w])\"(?P<straight>[^\"\n]+)\""
    r"|(?<![\w])‘(?P<single_curly>[^’\n]{1,80}?)’(?![\w])"
    r"|(?<![\w])'(?P<single>[^'\n]{1,60}?)'(?![\w])"
)
_QUOTE_MARKS = "“\"‘'"
_PRONOUN = re.compile(r"(?<![\w])(?:he|she|He|She)(?![\w])")
_GROUP_SUBJECT = re.compile(r"(?i)\b(?:the two (?:leaders|presidents|sides|men)|both (?:sides|leaders)|they)\b")
_RELAY = re.compile(r"(?:as quoted by|quoted by|according to|told)\s+(?:[\w’'.-]+\s+){0,2}")
_PRONOUN_GENDERS = {"he": "male", "his": "male", "him": "male", "she": "female", "her": "female"}
_PRONOUN_FIRST_WORD = re.compile(r"[ ,.”\"]*\s*(?:He|She|he|she)(?!\S)")  # 'He' as a sentence's first word
_OWNER_LAST = re.compile(r"(?:^|\s)(?P<pronoun>[Hh]is|[Hh]er)\s$")  # 'his' right before a quote
_QUOTED_TEXT = re.compile(r"“[^”]*”|\"[^\"]*\"")
_AFTER_WINDOW = 60
_CAPITAL_NEXT = re.compile(r"\s+[^\W\d_a-z]")
_FULL_STOP_END = re.compile(r"\.[”\"’']?$")
# The speech verbs are a trie (SPEECH_VERB_TRIE) in every pattern here, as these are tried at many
# places and a plain alternation tries each of its sixty words at each.
_PRONOUN_SAID = re.compile(rf"[\s,.!?]*(?P<pronoun>he|she)\s+{SPEECH_VERB_TRIE}\b")
_VERB_FIRST = re.compile(rf"[\s,.!?]*{SPEECH_VERB_TRIE}\s+")
_PHRASE_STOP = re.compile(r"[,.;:“\"]")
_PUNCTUATION = re.compile(r"[\s,.!?]*")
_FEW_LOWER_WORDS = re.compile(r"(?:[a-z][\w-]*\s+){0,3}")
_THEN_SPEECH_VERB = re.compile(rf"(?:,[^,“”\"]{{1,80}},)?(?:\s+[a-z][\w-]*){{0,2}}?\s+{SPEECH_VERB_TRIE}\b")
_ATTRIBUTION_ONLY = re.compile(rf"[\s,.]*(?:[\w’'. -]{{0,40}}?\b{SPEECH_VERB_TRIE}\b[^“\"]{{0,40}})?[\s,.]*")
_SENTENCE_END_ATTRIBUTION = re.compile(
    rf",\s+(?P<who>[^,“”\"]{{1,60}}?)\s+{SPEECH_VERB_TRIE}(?:\s+[^,“”\"]{{0,40}})?[.!?]?\s*$")
_CAP_BEFORE = re.compile(rf"{CAP}\s+$")
# The word is taken whole (WHOLE_WORD_CAP): a space must follow it, so giving back its letters never
# helps, and without that every capitalised word that does not speak would be retried at each
# shorter length. Opening with a capital rather than a lookbehind, the pattern is tried only at
# capitals; find_unless_after keeps it from following _BEFORE_LONE_SPEAKER.
_LONE_SPEAKER = re.compile(
    rf"({WHOLE_WORD_CAP})\s+(?:(?:has|had|also|later|then|again)\s+)?{SPEECH_VERB_TRIE}(?![\w-])")
_BEFORE_LONE_SPEAKER = re.compile(r"[\w’'.-]")


class _Actor(NamedTuple):
    """A person or organisation at a place in the text, as a possible speaker. A named tuple, as
    one is made for every name in every article: a frozen dataclass is several times slower to make."""

    name: str
    start: int
    end: int
    possessive: bool = False
    person: bool = True
    gender: str | None = None


class _Actors:
    """The possible speakers in text order. Each quote looks at the few near it, found by
    bisection rather than by a scan of them all."""

    def __init__(self, actors: list[_Actor]):
        self.all = sorted(actors, key=lambda a: a.start)
        self._starts = [a.start for a in self.all]

    def between(self, start: int, end: int) -> list[_Actor]:
        """The actors that start at start or later and before end."""
        return self.all[bisect_left(self._starts, start):bisect_left(self._starts, end)]


class _Recent(NamedTuple):
    """The people recently speaking or acting, newest first: who 'he' or 'she' is. A named tuple,
    as a new one is made at every sentence with a named subject."""

    speakers: tuple[tuple[str, str | None], ...] = ()

    def resolve(self, pronoun: str | None = None) -> str | None:
        wanted = _PRONOUN_GENDERS.get((pronoun or "").lower())
        for name, gender in self.speakers:
            if wanted is None or gender in (wanted, None):
                return name
        return None

    def push(self, name: str, gender: str | None) -> "_Recent":
        return _Recent(((name, gender), *[s for s in self.speakers if s[0] != name][:7]))


def find_quotes(doc: Document, people: tuple[PersonHit, ...], organizations: list[OrganizationHit],
                gazetteer: Gazetteer) -> tuple[Quote, ...]:
    spans = [(m.start(), m.end(), m[m.lastgroup]) for m in _quotations(doc.text)]
    inside = [(s, e) for s, e, _ in spans]
    named = ([_Actor(h.name, h.start, h.end, h.possessive, gender=h.gender) for h in people if not _within(h.start, inside)]
             + [_Actor(o.name, o.start, o.end, person=False) for o in organizations if not _within(o.start, inside)])
    actors = _Actors(named + _lone_speakers(doc, named, inside, gazetteer))
    first_person_named: dict[str, _Actor] = {}
    for actor in actors.all:
        if actor.person:
            first_person_named.setdefault(actor.name, actor)
    subjects = _Actors([a for a in actors.all if a.person and not a.possessive])
    readout = _readout_source(doc, organizations)
    quotes: list[Quote] = []
    current = _Recent()
    previous: tuple[int, str | None] | None = None
    cursor = 0
    for start, end, text in spans:
        current = _current_speaker(doc, cursor, start, subjects, current)
        sentence = doc.sentence_at(start)
        # The speaker named before a quote, or after it; before first when a colon introduces it
        before = lambda: _before(doc, sentence.start, start, actors, current, readout)
        after = lambda: _after(doc, end, actors, current)
        first, second = (before, after) if _introduced(doc.text, start) else (after, before)
        speaker = first() or second() or _sentence_end_attribution(doc, end, actors, current)
        if speaker is None and previous and _only_attribution_between(doc.text[previous[0]:start]):
            speaker = previous[1]
        if speaker is None and _starts_sentence(doc, sentence.start, start):
            speaker = _previous_sentence_speaker(doc, sentence.start, actors) or current.resolve()
        if speaker is None and start < doc.body_start:
            speaker = _headline_subject(doc, actors)
        spoken = first_person_named.get(speaker)
        if spoken and not _PRONOUN.match(doc.text[sentence.start:start]):
            current = current.push(spoken.name, spoken.gender)
        previous, cursor = (end, speaker), end
        quotes.append(Quote(text=text.strip().rstrip(","), speaker=speaker,
                            direct=_is_direct(doc, sentence.start, start, text),
                            via=_via(doc, end, doc.sentence_at(end - 1).end, organizations)))
    return tuple(quotes)


def _quotations(text: str):
    """_QUOTE.finditer(text), tried only at quote marks."""
    return match_at(_QUOTE, text, occurrences(text, _QUOTE_MARKS))


def _lone_speakers(doc, actors, inside, gazetteer) -> list[_Actor]:
    """'Sibur said', 'Mukaddas said': a single capitalised word that speaks is a speaker."""
    found = []
    for match in find_unless_after(_LONE_SPEAKER, doc.text, _BEFORE_LONE_SPEAKER):
        word, at = match.group(1), match.start()
        if (word in gazetteer.not_names or word in gazetteer.country_forms or _within(at, inside)
                or _CAP_BEFORE.search(doc.text, max(0, at - 30), at) or any(a.start <= at < a.end for a in actors)
                or word in gazetteer.titles):  # a tuple, so looked through last
            continue
        found.append(_Actor(word, match.start(1), match.end(1), person=False))
    return found


def _within(offset: int, spans) -> bool:
    """Whether offset is inside one of spans, (start, end) pairs in order and apart. (offset, inf)
    sorts after each pair that starts at offset or before."""
    index = bisect_right(spans, (offset, math.inf)) - 1
    return index >= 0 and offset < spans[index][1]


def _after(doc, quote_end, actors, current) -> str | None:
    """'," Macron said' / '," he said' / '," said political scientist Steve Levitsky' /
    '," a White House official said'."""
    tail = doc.text[quote_end:quote_end + _AFTER_WINDOW].split("\n")[0]
    if _CAPITAL_NEXT.match(tail) and _FULL_STOP_END.search(doc.text[quote_end - 3:quote_end]):
        return None
    pronoun = _PRONOUN_SAID.match(tail)
    if pronoun:
        return current.resolve(pronoun["pronoun"])
    verb_first = _VERB_FIRST.match(tail)
    if verb_first:
        stop = _PHRASE_STOP.search(tail[verb_first.end():])
        phrase_end = quote_end + verb_first.end() + (stop.start() if stop else len(tail))
        named = [a for a in actors.between(quote_end + verb_first.end(), phrase_end) if not a.possessive]
        return named[-1].name if named else None
    lead = quote_end + _PUNCTUATION.match(tail).end()
    for actor in actors.between(lead, quote_end + _AFTER_WINDOW):
        if actor.possessive:
            continue
        if not _FEW_LOWER_WORDS.fullmatch(doc.text[lead:actor.start]):
            return None
        following = doc.text[actor.end:actor.end + 120]
        if _THEN_SPEECH_VERB.match(following):
            return actor.name
    return None


def _before(doc, sentence_start, quote_start, actors, current, readout) -> str | None:
    """The subject of the nearest speech verb before the quote in the same sentence."""
    prefix = doc.text[sentence_start:quote_start]
    verbs = list(SPEECH_VERB.finditer(prefix))
    if not verbs:
        owner = _OWNER_LAST.search(prefix)
        return current.resolve(owner["pronoun"]) if owner else None
    verb = verbs[-1]
    verb_at = sentence_start + verb.start()
    if verb.group() == "according to":
        after = actors.between(verb_at + 1, quote_start)
        return after[0].name if after else None
    if verb.group().endswith("ing") and doc.text.endswith(", ", 0, verb_at):
        return _main_subject(doc, sentence_start, verb_at, actors, current)
    subject = _subject_before(doc, sentence_start, verb_at, actors)
    if subject:
        return subject
    clause = doc.text[sentence_start:verb_at]
    pronoun = _PRONOUN.search(clause)
    if pronoun:
        return current.resolve(pronoun.group())
    if _GROUP_SUBJECT.search(clause):
        return readout
    return None


def _main_subject(doc, sentence_start, position, actors, current) -> str | None:
    """'Xi said ..., noting that ...': a participle's subject is the sentence's subject."""
    opening = doc.text[sentence_start:position].lstrip(" “\"")
    pronoun = _PRONOUN.match(opening)
    if pronoun:
        return current.resolve(pronoun.group())
    first = [a for a in actors.between(sentence_start, position) if not a.possessive]
    return first[0].name if first else None


def _subject_before(doc, sentence_start, position, actors) -> str | None:
    """The subject of a verb: the nearest actor before it that is not a possessive. When an
    aside stands between them ('The China Daily, in an editorial ..., said'; 'Paul Haenle,
    Director of ..., said'), the actor before the aside, unless the aside is itself a name."""
    candidates = [a for a in actors.between(sentence_start, position) if not a.possessive]
    if not candidates:
        return None
    nearest = candidates[-1]
    if doc.text.endswith(", ", 0, position):
        comma = doc.text.rfind(",", sentence_start, position - 2)
        aside = doc.text[comma + 1:position - 2].strip()
        named_aside = [a for a in candidates if doc.text[a.start:a.end] == aside]
        before_aside = [a for a in candidates if a.end == comma]
        if comma > 0 and not named_aside and before_aside:
            nearest = before_aside[-1]
    if _PRONOUN.search(doc.text[nearest.end:position]):
        return None
    return nearest.name


def _sentence_end_attribution(doc, quote_end, actors, current) -> str | None:
    """'... a "more important" signing ceremony set for Thursday, he added.'"""
    sentence = doc.sentence_at(quote_end - 1)
    match = _SENTENCE_END_ATTRIBUTION.search(doc.text[quote_end:sentence.end])
    if not match:
        return None
    who_start = quote_end + match.start("who")
    if _PRONOUN.fullmatch(match["who"]):
        return current.resolve(match["who"])
    named = [a for a in actors.between(who_start, quote_end + match.end("who")) if not a.possessive]
    return named[-1].name if named else None


def _previous_sentence_speaker(doc, sentence_start, actors) -> str | None:
    """'Paul Haenle, Director of ..., said. "My concern is ..."': the sentence before names the speaker."""
    earlier = doc.sentences_before(sentence_start)
    if not earlier or earlier[-1].start < doc.body_start <= sentence_start and sentence_start == doc.body_start:
        return None
    previous = earlier[-1]
    text = doc.text[previous.start:previous.end]
    text_outside = _QUOTED_TEXT.sub(lambda m: " " * len(m.group()), text)
    for verb in SPEECH_VERB.finditer(text_outside):
        verb_at = previous.start + verb.start()
        speaker = _subject_before(doc, previous.start, verb_at, actors) or _after_verb(doc, verb_at, previous.end, actors)
        if speaker:
            return speaker
    return None


def _after_verb(doc, verb_at, end, actors) -> str | None:
    """'..., said Hua Chunying.': the speaker named right after the verb."""
    named = [a for a in actors.between(verb_at + 1, end) if not a.possessive]
    return named[0].name if named else None


def _headline_subject(doc, actors) -> str | None:
    """A quote in the headline belongs to the person the headline is about."""
    named = [a for a in actors.between(0, doc.body_start) if a.person and not a.possessive]
    return named[0].name if named else None


def _current_speaker(doc, start, end, subjects: _Actors, current: _Recent) -> _Recent:
    """Adds the named people who are the subject of a sentence between start and end: in each
    sentence's part there, the first of subjects (the people, not possessives), unless a pronoun
    opens that part."""
    sentence_end = start
    for subject in subjects.between(start, end):
        if subject.start < sentence_end:
            continue  # not the first in its sentence
        sentence = doc.sentence_at(subject.start)
        if subject.start >= sentence.end:
            continue  # in no sentence
        sentence_end = sentence.end
        if not _PRONOUN_FIRST_WORD.match(doc.text, max(sentence.start, start), min(sentence.end, end)):
            current = current.push(subject.name, subject.gender)
    return current


def _readout_source(doc, organizations) -> str | None:
    """'..., according to the Kremlin.' in the lead: the source of a joint readout."""
    lead = doc.text[doc.body_start:doc.lead_end]
    match = re.search(r"according to (?:the )?", lead)
    if not match:
        return None
    after = [o for o in organizations if o.start >= doc.body_start + match.end()]
    return after[0].name if after else None


def _introduced(text: str, quote_start: int) -> bool:
    """'He said: "..."': a colon is the last thing before the quote, so its speaker comes before it."""
    position = quote_start
    while position and text[position - 1].isspace():
        position -= 1
    return text[position - 1:position] == ":"


def _only_attribution_between(gap: str) -> bool:
    return bool(_ATTRIBUTION_ONLY.fullmatch(gap))


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
