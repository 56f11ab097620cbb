"""Named people, their office and country, and every place the text refers to them.

No trained model: a name is a run of capitalised words that a title of office, an apposition
("Zeki Akturk, spokesperson for ...") or a speech verb ("Akturk said") marks as a person."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple
from functools import lru_cache

from generator.extract.countries import country_pattern, region_spans
from generator.extract.organizations import OrganizationHit
from generator.extract.sentences import Document
from generator.extract.words import CAP, UPPER, WORD_OR_HYPHEN, alternation, find_unless_after, match_at
from generator.gazetteer import Gazetteer
from generator.model import Person

PARTICLE = r"(?:de|da|van|von|bin|al|del|di|dos|der|ibn|le|la)"
# Between a name's words: the one space reading leaves inside a line (ingest.py), never a line
# break (a headline ending in 'Xi' is not the first name of the person a paragraph opens with).
GAP = " "
NAME = rf"{CAP}(?:{GAP}(?:{PARTICLE}{GAP}){{0,2}}{CAP}){{0,3}}"
# NAME for where a comma, a space or nothing must follow: each word is taken whole, as a part of a
# word is followed by the rest of it, so backtracking into a word never finds a match, only wastes time.
WHOLE_WORD_CAP = rf"{UPPER}(?>[\w’'-]*\w)?"
# And as many words as it can take (possessive), for where a comma or a speech verb must follow:
# fewer words are followed by a space and a particle or a capitalised word, so giving words back
# never finds a match either.
WHOLE_WORD_NAME = rf"{WHOLE_WORD_CAP}(?:{GAP}(?:{PARTICLE}{GAP}){{0,2}}{WHOLE_WORD_CAP}){{0,3}}+"
AGE = r"(?:\d{1,3}-year-old\s+)?"
REVERSED_AGE = r"(?:\s+dlo-raey-\d{1,3})?"  # AGE read backwards, with the space before it
MODIFIER = r"(?:(?:former|then-|acting|deputy|senior|top|chief|outgoing|incoming|new)\s+)?"
SPEECH_VERBS = ("said|says|say|told|tells|added|adds|noted|stressed|emphasized|emphasised|claimed|"
                "argued|insisted|remarked|admitted|described|called|warned|wrote|tweeted|asked|"
                "explained|declared|announced|stated|urged|reiterated|suggested|praised|replied|"
                "responded|recalled|acknowledged|believes|thinks|restated|blamed|accused|vowed|pledged|"
                "promised|hoped|advocates|advocated|predicted|reported|"
                "saying|adding|accusing|calling|describing|arguing|noting|insisting|warning")
SPEECH_VERB_TRIE = alternation(SPEECH_VERBS.split("|"))  # the same words, as a trie: fewer tries at each place
SPEECH_VERB = re.compile(rf"(?<![\w-]){SPEECH_VERB_TRIE}(?![\w-])|according to")
POSSESSIVE = ("’s", "'s")
HEADS = ("president", "prime minister", "premier", "chancellor", "king", "queen", "emperor", "leader")
GENERIC_ROLES = {  # 'the French leader', 'the pontiff': which offices each word can refer to
    "leader": HEADS, "head of state": HEADS, "president": ("president",),
    "prime minister": ("prime minister", "premier"), "premier": ("premier", "prime minister"),
    "foreign minister": ("foreign minister",), "chancellor": ("chancellor",), "pope": ("pope",),
    "pontiff": ("pope",), "emperor": ("emperor",), "king": ("king",), "queen": ("queen",),
    "first lady": ("first lady",), "ambassador": ("ambassador", "envoy"), "envoy": ("envoy",),
}
LEADER_WORDS = "(?:" + "|".join(sorted(GENERIC_ROLES, key=len, reverse=True)) + ")"
# Two words or more (cleaning only drops words, so one word would stay too short); not after [\w’'-]
_TWO_WORD_NAME = re.compile(rf"{WHOLE_WORD_CAP}(?:{GAP}(?:{PARTICLE}{GAP}){{0,2}}{WHOLE_WORD_CAP}){{1,3}}")
_WORD_APOSTROPHE_OR_HYPHEN = re.compile(r"[\w’'-]")
_WORD_BEFORE = re.compile(rf"(^|[.!?][\"”’]?\s+|\n)?({CAP})\s+$")
# Where an apposed or a speaking mention can start: a capital (not after [\w’']) whose name is
# followed by a comma or a speech verb. The capital comes first, so the scan looks at capitals only.
_NAME_BEFORE_COMMA_OR_VERB = re.compile(
    rf"{UPPER}(?<![\w’'].)(?={WHOLE_WORD_NAME.removeprefix(UPPER)}(?:,|\s+(?:{SPEECH_VERB_TRIE})(?![\w-])))")


class PersonHit(NamedTuple):
    """One place where the text refers to a person (by name, surname or 'the French leader'); a
    named tuple, as for every mention (quotes._Actor)."""

    name: str
    start: int
    end: int
    possessive: bool = False
    gender: str | None = None  # "female", "male" or None when the text does not tell


@dataclass(frozen=True)
class PeopleFound:
    people: tuple[Person, ...]
    hits: tuple[PersonHit, ...]


@dataclass
class _Candidate:
    name: str
    start: int
    role: str | None = None
    country: str | None = None
    owner: str | None = None  # "Putin" in "Putin's envoy": the country comes from the owner


@dataclass(frozen=True)
class _WordLists:
    """The gazetteer's word lists as sets and compiled patterns, for the lookups made per word."""

    titles: frozenset[str]
    not_name_words: frozenset[str]  # a word that ends a name, or is dropped before one
    organization_endings: frozenset[str]  # a word that makes the capitalised words before it a body's name
    gendered_titles: tuple[tuple[str, re.Pattern, str], ...]  # (title, its pattern, gender)


@lru_cache(maxsize=8)
def _word_lists(gazetteer: Gazetteer) -> _WordLists:
    return _WordLists(
        titles=frozenset(gazetteer.titles),
        not_name_words=frozenset(gazetteer.not_names).union(
            gazetteer.country_forms, gazetteer.organizations, gazetteer.organization_endings, gazetteer.titles),
        organization_endings=frozenset(gazetteer.organization_endings),
        gendered_titles=tuple((title, re.compile(rf"(?<![\w]){re.escape(title)}(?![\w])"), gender)
                              for title, gender in gazetteer.gendered_titles.items()),
    )


@lru_cache(maxsize=8)
def _patterns(gazetteer: Gazetteer):
    """Titled, apposed, speaking, said-by and generic mentions. Generic opens with 'he' and checks
    the [Tt] behind it: a pattern that opens with a letter is found by a fast search for it, one
    that opens with a class is tried at every letter of the class."""
    forms = alternation(gazetteer.country_forms)
    title = alternation(set(gazetteer.titles) | set(gazetteer.roles))
    roles = alternation(gazetteer.roles)
    other_titles = alternation(set(gazetteer.titles) - set(gazetteer.roles))
    prefix = rf"(?:(?P<country>{forms})(?:’s|'s)?\s+|(?P<owner>{CAP})(?:’s|'s)\s+)?"
    # In apposed, the words before the role are taken whole (a space follows each), and after the
    # roles only the other titles are tried: trying the roles again could only fail again. The role
    # is the shortest that ends at a comma, a semicolon or a dot that is no abbreviation's inner one
    # ('U.S.'), or before 'who', 'which' or 'that' ('a close Putin ally who has been ...').
    return (
        re.compile(rf"(?<![\w.]){prefix}{MODIFIER}(?P<title>{title}),?\s+{AGE}(?P<name>{NAME})"),
        re.compile(rf"(?<![\w’'])(?P<name>{WHOLE_WORD_NAME}),\s+(?:(?:a|an|the)\s+)?(?:{AGE})?(?:(?P<owner>{CAP})(?:’s|'s)\s+)?"
                   rf"(?P<role>(?:[\w-]++\s+){{0,3}}?(?:{roles}|{other_titles})(?:\s+(?:[^,.;“”\"]|\.(?=[A-Z]\.)){{0,120}}?)??)(?=[,;]|\.(?![A-Z]\.)|\s+(?:who|whom|which|that)\b)"),
        re.compile(rf"(?<![\w’'])(?P<name>{WHOLE_WORD_NAME})(?:,\s+(?:who|\d{{1,3}},)|,\s+(?:a|an)\s+(?P<country>{forms})(?![\w])"
                   rf"|,?\s+(?:{SPEECH_VERB_TRIE})(?![\w-]))"),
        re.compile(rf"(?:said|says)\s+(?:[a-z][\w-]*\s+){{0,4}}?{AGE}(?P<name>{NAME})"),
        re.compile(rf"he(?<=(?<![\w])(?P<the>[Tt])he)\s+(?:(?P<country>{forms})\s+)?(?P<role>{LEADER_WORDS})(?![\w])"),
    )


@lru_cache(maxsize=8)
def _names_after_titles(gazetteer: Gazetteer) -> tuple[re.Pattern, int]:
    """Where a titled mention may end, and how far back it may start: in the reversed text, the
    first letter of a name with a title before it (not after a word character or a dot, like the
    titled pattern's); and the most words a titled mention has before its name (country, modifier, title, age)."""
    titles = set(gazetteer.titles) | set(gazetteer.roles)
    reversed_titles = alternation(title[::-1] for title in titles)
    pattern = re.compile(rf"{UPPER}(?={REVERSED_AGE}\s+,?(?:{reversed_titles})(?![\w.]))")
    most_words = (max(len(form.split()) for form in gazetteer.country_forms) + 1
                  + max(len(title.split()) for title in titles) + 1)
    return pattern, most_words


def _titled_matches(titled: re.Pattern, text: str, gazetteer: Gazetteer):
    """titled.finditer(text), searched for only from a few words before each name a title precedes.

    The pattern opens with a lookbehind, so finditer tries it at every character. Every match ends
    in a name after a title, and one scan of the reversed text (capitals a reversed title follows)
    finds all those names. No match starts between the end of the last one and a few words before
    the next such name, so a search from there finds the next match."""
    names_after_titles, most_words = _names_after_titles(gazetteer)
    last = len(text) - 1
    name_starts = [last - match.start() for match in names_after_titles.finditer(text[::-1])]
    position = 0
    for name_start in reversed(name_starts):
        if name_start <= position:
            continue
        words = text[:name_start].rsplit(None, most_words)
        window_start = len(words[0]) if len(words) > most_words else 0
        match = titled.search(text, max(window_start, position))
        if match is None:
            return
        yield match
        position = match.end()


def find_people(doc: Document, gazetteer: Gazetteer, organizations: list[OrganizationHit]) -> PeopleFound:
    titled, apposed, speaking, said_by, generic = _patterns(gazetteer)
    org_spans = [(o.start, o.end) for o in organizations]
    candidates: list[_Candidate] = []
    before_comma_or_verb = [match.start() for match in _NAME_BEFORE_COMMA_OR_VERB.finditer(doc.text)]
    regions = region_spans(doc.text, gazetteer)  # 'Northern Ireland Secretary' names no Irish official
    for pattern, matches in ((titled, _titled_matches(titled, doc.text, gazetteer)),
                             (apposed, match_at(apposed, doc.text, before_comma_or_verb)),
                             (speaking, match_at(speaking, doc.text, before_comma_or_verb)),
                             (said_by, find_unless_after(said_by, doc.text, WORD_OR_HYPHEN))):
        for match in matches:
            name = _clean_name(match["name"], gazetteer)
            start = match.start("name")
            if not name or _inside(start, org_spans):
                continue
            if (pattern is speaking or pattern is said_by) and len(name.split()) < 2:
                continue
            groups = match.groupdict()
            owner = _clean_name(groups["owner"], gazetteer) if groups.get("owner") else None
            candidate = _Candidate(name, start, owner=owner)
            if groups.get("country") and not _inside(match.start("country"), regions):
                candidate.country = gazetteer.country_code(groups["country"])
            if pattern is titled:
                candidate.role = match["title"]
            if pattern is apposed:
                candidate.role = _whole_abbreviation(" ".join(match["role"].split()))
                candidate.country = candidate.country or _country_in(candidate.role, gazetteer)
            candidates.append(candidate)
            if candidate.owner and groups.get("title", "x")[:1].islower():
                candidates.append(_Candidate(candidate.owner, match.start("owner")))
    candidates += _given_name_candidates(doc, gazetteer, org_spans)
    people = _merge(candidates)
    genders = {name: _gender(person, gazetteer) for name, person in people.items()}
    hits = _mentions(doc, people, genders, gazetteer)
    hits += _generic_mentions(doc, generic, people, genders, hits, gazetteer)
    hits.sort(key=lambda h: h.start)
    counts = {name: 0 for name in people}
    for hit in hits:
        counts[hit.name] += 1
    ordered = sorted(people.values(), key=lambda c: (-counts[c.name], c.start))
    return PeopleFound(
        tuple(Person(c.name, c.role, c.country, counts[c.name]) for c in ordered if counts[c.name]),
        tuple(hits),
    )


def _given_name_candidates(doc: Document, gazetteer: Gazetteer, org_spans) -> list[_Candidate]:
    """'Hillary Clinton shook hands': two or more capitalised words led by a known given name."""
    found = []
    for match in find_unless_after(_TWO_WORD_NAME, doc.text, _WORD_APOSTROPHE_OR_HYPHEN):
        name_in_words = _given_name_led(match.group(), gazetteer)
        if name_in_words and not _inside(match.start(), org_spans):
            name, offset = name_in_words
            found.append(_Candidate(name, match.start() + offset))
    return found


@lru_cache(maxsize=4096)
def _given_name_led(words: str, gazetteer: Gazetteer) -> tuple[str, int] | None:
    """The name in the capitalised words and its offset there, if it is two words or more led by
    a given name. Cached: the same words recur across articles."""
    if not any(_without_possessive(word) in gazetteer.given_names for word in words.split()):
        return None  # cleaning keeps some of these words, so a given name must be among them
    name = _clean_name(words, gazetteer)
    if not name or len(name.split()) < 2 or name.split()[0] not in gazetteer.given_names:
        return None
    return name, words.index(name.split()[0])


def _gender(person: _Candidate, gazetteer: Gazetteer) -> str | None:
    """From the first name, else from a gendered title or role ('first lady', 'spokesman')."""
    gender = gazetteer.given_names.get(person.name.split()[0])
    if gender:
        return gender
    role = (person.role or "").split(" for ")[0].split(" of ")[0]
    for title, pattern, title_gender in _word_lists(gazetteer).gendered_titles:
        if title in role and pattern.search(role):
            return title_gender
    return None


@lru_cache(maxsize=4096)
def _clean_name(raw: str, gazetteer: Gazetteer) -> str | None:
    """The name without leading titles, countries or sentence words; None if nothing is left.
    Cached: the same names recur, within an article and across articles."""
    words = [_without_possessive(word) for word in raw.split()]
    whole = " ".join(words)
    if whole in gazetteer.country_forms or whole in gazetteer.organizations:
        return None
    word_lists = _word_lists(gazetteer)
    # 'South Africa’s Ramaphosa', 'Secretary of State Rex Tillerson': the words of a country or
    # a title are dropped whole (alone, 'Africa' or 'State' would pass for a name's word).
    words = _without_leading(_without_leading(words, gazetteer.country_forms), word_lists.titles)
    kept = []
    for word in words:
        if word in word_lists.not_name_words or (len(word) > 1 and word.isupper()):
            if kept:
                if word in word_lists.organization_endings:  # 'the South African Defense Ministry said'
                    return None
                break
            continue
        kept.append(word)
    return " ".join(kept) or None


def _without_leading(words: list[str], phrases) -> list[str]:
    """The words without a leading phrase of two or three of them, if there is one and more follow."""
    for size in (3, 2):
        if len(words) > size and " ".join(words[:size]) in phrases:
            return words[size:]
    return words


def _without_possessive(word: str) -> str:
    return word.removesuffix("’s").removesuffix("'s")


def _inside(offset: int, spans) -> bool:
    for start, end in spans:
        if start <= offset < end:
            return True
    return False


_CUT_ABBREVIATION = re.compile(r"(?<![\w.])(?:[A-Z]\.)+[A-Z]$")


def _whole_abbreviation(role: str) -> str:
    """An apposed role ends before a dot, which at 'the speaker of the U.S.' is the abbreviation's
    own (its inner dots are taken in, 'U.S' is left): it is given back."""
    return role + "." if _CUT_ABBREVIATION.search(role) else role


def _country_in(text: str, gazetteer: Gazetteer) -> str | None:
    """The first country the text names; the pattern also matches the phrases that merely hold
    a country's name ('the Latin America envoy'), which are skipped."""
    for match in country_pattern(gazetteer).finditer(text):
        if match.group() in gazetteer.country_forms:
            return gazetteer.country_forms[match.group()][0]
    return None


def _merge(candidates: list[_Candidate]) -> dict[str, _Candidate]:
    """One entry per person under the fullest name; 'Trump' joins 'Donald Trump'."""
    people: dict[str, _Candidate] = {}
    by_words: dict[tuple[str, ...], _Candidate] = {}  # first person whose name starts or ends so
    for candidate in sorted(candidates, key=lambda c: (-len(c.name.split()), c.start)):
        target = by_words.get(tuple(candidate.name.split()))
        if target is None:
            people[candidate.name] = candidate
            _index_words(by_words, candidate)
            continue
        target.start = min(target.start, candidate.start)
        target.role = target.role or candidate.role
        target.country = target.country or candidate.country
        target.owner = target.owner or candidate.owner
        if candidate.role and target.role and target.role[0].isupper() and not candidate.role[0].isupper():
            target.role = candidate.role
    for person in people.values():
        if not person.country and person.owner:
            owner = by_words.get(tuple(person.owner.split()))
            if owner and owner is not person:
                person.country = owner.country
    return people


def _index_words(by_words: dict[tuple[str, ...], _Candidate], person: _Candidate) -> None:
    """Files the person under each run of first words and of last words of the name (unless an
    earlier person is there), so a shorter name finds the person it is part of in one lookup."""
    words = tuple(person.name.split())
    for size in range(1, len(words) + 1):
        by_words.setdefault(words[:size], person)
        by_words.setdefault(words[-size:], person)


def _mentions(doc: Document, people: dict[str, _Candidate], genders: dict[str, str | None],
              gazetteer: Gazetteer) -> list[PersonHit]:
    """Full names first, then bare surnames (or other single name words) outside those."""
    hits: list[PersonHit] = []
    taken = bytearray(len(doc.text))  # 1 where a hit covers the text
    for name in sorted(people, key=len, reverse=True):
        for start, end, possessive in _occurrences(doc.text, name):
            if not taken[start]:
                hits.append(PersonHit(name, start, end, possessive, genders[name]))
                taken[start:end] = b"\x01" * (end - start)
    short_forms: dict[str, list[str]] = {}
    for name in people:
        words = name.split()
        if len(words) > 1:
            short_forms.setdefault(words[-1], []).insert(0, name)
            short_forms.setdefault(words[0], []).append(name)
    for word, owners in short_forms.items():
        if word in gazetteer.not_names:
            continue
        for start, end, possessive in _occurrences(doc.text, word):
            if taken[start] or _follows_name(doc.text, start, gazetteer):
                continue
            owner = _nearest(owners, hits, start)
            hits.append(PersonHit(owner, start, end, possessive, genders[owner]))
            taken[start:end] = b"\x01" * (end - start)
    return hits


def _occurrences(text: str, name: str):
    r"""(start, end, possessive) for each match of (?<![\w-])name(’s|'s)?(?![\w-]), left to right
    and not overlapping like re.finditer; found with str.find, as a regex per name would be
    compiled anew for nearly every article."""
    start = text.find(name)
    while start >= 0:
        end = start + len(name)
        if not _word_char(text[start - 1:start]):
            if text.startswith(POSSESSIVE, end) and not _word_char(text[end + 2:end + 3]):
                yield start, end + 2, True
                start = text.find(name, end + 2)
                continue
            if not _word_char(text[end:end + 1]):
                yield start, end, False
                start = text.find(name, end)
                continue
        start = text.find(name, start + 1)


def _word_char(char: str) -> bool:
    r"""What [\w-] matches: a letter, digit, underscore or hyphen (none for '' past either end)."""
    return char.isalnum() or char in ("_", "-")


def _follows_name(text: str, start: int, gazetteer: Gazetteer) -> bool:
    """True when the word ends some other capitalised name ('Newt Gingrich'), not a title or
    a capitalised word that merely starts the sentence ('Later Erdogan said')."""
    before = text[max(0, start - 40):start]
    words = before.split()
    if not words or not _has_capital(words[-1]):
        return False  # most often the word before is lowercase ('said Trump'), where no search is needed
    match = _WORD_BEFORE.search(before)
    if not match or match.group(1) is not None:
        return False
    word = match.group(2)
    return not (word in gazetteer.titles or word in gazetteer.not_names
                or word in gazetteer.country_forms or word.endswith(POSSESSIVE))


def _has_capital(word: str) -> bool:
    """Whether the word holds an uppercase or titlecase letter; islower() rules out most words at once."""
    return not word.islower() and any(char.isupper() or char.istitle() for char in word)


def _nearest(owners: list[str], hits: list[PersonHit], offset: int) -> str:
    if len(owners) == 1:  # most often: only one person has that surname
        return owners[0]
    before = [h for h in hits if h.start < offset and h.name in owners]
    return max(before, key=lambda h: h.start).name if before else owners[0]


def _generic_mentions(doc, pattern, people, genders, hits, gazetteer) -> list[PersonHit]:
    """'the French leader', 'the pontiff': the person most recently named who fits."""
    found = []
    for match in pattern.finditer(doc.text):
        code = gazetteer.country_code(match["country"]) if match["country"] else None
        offices = GENERIC_ROLES[match["role"].lower()]
        fitting = {name for name, person in people.items() if (code is None or person.country == code)
                   and any(office in (person.role or "").lower() for office in offices)}
        fits = [h for h in hits if h.start < match.start("the") and h.name in fitting]
        if fits:
            name = max(fits, key=lambda h: h.start).name
            found.append(PersonHit(name, match.start("the"), match.end(), gender=genders[name]))
    return found
