"""Word shapes shared by the extractors."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache


def _uppercase_class() -> str:
    """A regex class of every uppercase letter (Latin, Cyrillic, Greek, Turkish İ ...)."""
    ranges, start, previous = [], None, None
    for code in range(0x10000):
        char = chr(code)
        if char.isupper() or char.istitle():
            if start is None:
                start = code
            elif code != previous + 1:
                ranges.append((start, previous))
                start = code
            previous = code
    ranges.append((start, previous))
    return "[" + "".join(re.escape(chr(a)) + ("-" + re.escape(chr(b)) if b > a else "") for a, b in ranges) + "]"


UPPER = _uppercase_class()
CAP = rf"{UPPER}(?:[\w’'-]*\w)?"


def alternation(forms) -> str:
    """A regex for any of the forms, the longest first, like joining them longest first.

    Written as a trie, so the engine tries a few letters at each place instead of every one
    of a thousand forms. Under IGNORECASE two branches can both match, so there it tells only
    whether some form matches, not which."""
    trie: dict = {}
    for form in forms:
        node = trie
        for char in form:
            node = node.setdefault(char, {})
        node[""] = {}
    return _branches(trie)


def _branches(node: dict) -> str:
    """Longer forms before the one ending here, so the longest that fits is tried first."""
    branches = [re.escape(char) + _branches(child) for char, child in node.items() if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
    return f"(?:{body})?" if "" in node else body


def scan(pattern: re.Pattern, text: str, needs: tuple[str, ...] = ()):
    """pattern.finditer(text), or nothing at once when the text holds none of needs, strings one
    of which every match contains: a few substring tests are far cheaper than a regex scan."""
    return pattern.finditer(text) if not needs or any(part in text for part in needs) else iter(())


# One character a match must not follow (find_unless_after, at_word_starts).
WORD_CHAR = re.compile(r"\w")
WORD_OR_APOSTROPHE = re.compile(r"[\w’']")
WORD_OR_HYPHEN = re.compile(r"[\w-]")


def at_word_starts(here: re.Pattern, after: re.Pattern, folded: str) -> Iterator[tuple[int, str]]:
    """(where, what) for each word start of fold_case(text) (not after a word character or a
    hyphen) where a pattern's group 1 matches: `here` at the text's start, `after` the same after
    one character outside [-0-9_a-z]. Tried only after such a character, a quicker test than a
    lookbehind at every character, then kept unless that is a word character beyond ASCII."""
    if match := here.match(folded):
        yield 0, match[1]
    for match in after.finditer(folded):
        if not WORD_OR_HYPHEN.match(folded, match.start()):
            yield match.start(1), match[1]


def match_at(pattern: re.Pattern, text: str, starts) -> Iterator[re.Match]:
    """pattern.finditer(text) for a pattern whose every match starts at one of starts (offsets,
    ascending): a pattern that opens with a lookbehind is otherwise tried at every character."""
    end = 0
    for start in starts:
        if start >= end and (match := pattern.match(text, start)):
            end = match.end()
            yield match


@lru_cache(maxsize=4)  # an article's text is folded for several extractors (16 us each time)
def fold_case(text: str) -> str:
    """text in lowercase, letter for letter (same offsets), with the letters a case-insensitive
    regex equates with ASCII ones (İ, ı, ſ) made those: a case-sensitive search for lowercase
    ASCII words in it finds at least every place the case-insensitive one finds in text."""
    return text.replace("İ", "i").lower().replace("ı", "i").replace("ſ", "s")


def scan_near(pattern: re.Pattern, text: str, keywords: list[int], lead: int) -> Iterator[re.Match]:
    """pattern.finditer(text), for a pattern that never matches empty and whose every match starts
    at most `lead` characters, whitespace not counted, before one of keywords (offsets, ascending).

    A pattern that opens with a lookbehind or an optional word is tried at every character;
    here only in the few characters before each keyword, which a fast scan finds."""
    position = 0
    for keyword in keywords:
        start, remaining = keyword, lead
        while start > position and (remaining or text[start - 1].isspace()):
            start -= 1
            if not text[start].isspace():
                remaining -= 1
        position = max(position, start)
        while position <= keyword:
            match = pattern.match(text, position)
            if match:
                yield match
                position = match.end()
            else:
                position += 1


def find_unless_after(pattern: re.Pattern, text: str, before: re.Pattern) -> Iterator[re.Match]:
    """The matches finditer(text) gives for (?<!before) followed by the pattern, before being one
    character. Written out because a pattern that opens with a lookbehind is tried at every
    character, one that opens with a letter or a word only where that letter or word occurs."""
    position = 0
    while match := pattern.search(text, position):
        start = match.start()
        if start and before.match(text, start - 1):
            position = start + 1
        else:
            yield match
            position = match.end()
