"""Numbers written as digits or words, shared by figures and dates."""

from __future__ import annotations

import re

from generator.extract.words import alternation, at_word_starts

WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90, "a hundred": 100, "hundred": 100, "a dozen": 12, "dozens of": 24,
    "hundreds of": 200, "thousands of": 2000, "a thousand": 1000,
}
SCALES = {"thousand": 1e3, "million": 1e6, "mln": 1e6, "m": 1e6, "billion": 1e9, "bln": 1e9,
          "bn": 1e9, "trillion": 1e12, "tn": 1e12}
# The words as a trie, the longest first: no two of them differ only in case, so even under
# IGNORECASE it matches what the plain alternation would, with far fewer tries at each word.
NUMBER = r"\d[\d,]*(?:\.\d+)?|" + alternation(WORDS)
DIGITS = re.compile(r"\d\d*")  # where numbers in digits start; not \d+, a repeat first is tried at every character
# A number in words, for "a hundred" the "hundred" one letter after its start ("a hundred" itself
# could take the "a" of "Sofia" and miss that "hundred").
NUMBER_WORD = re.compile(alternation(word.removeprefix("a ") for word in WORDS))
# The same at word starts of fold_case(text) (words.at_word_starts): tried not at every o, t, f,
# s, e, n, h or d (a third of the letters), but after the characters that end a word, half the
# time the scan took.
_NUMBER_WORD_HERE = re.compile(rf"({NUMBER_WORD.pattern})")
_NUMBER_WORD_AFTER = re.compile(rf"[^-0-9_a-z]({NUMBER_WORD.pattern})")


def number_word_starts(folded: str) -> list[int]:
    """Where a number in words starts a word in fold_case(text): the only places a count in
    words can start."""
    return [start for start, _ in at_word_starts(_NUMBER_WORD_HERE, _NUMBER_WORD_AFTER, folded)]


def to_number(text: str) -> float | None:
    text = text.strip().lower()
    if text in WORDS:
        return float(WORDS[text])
    try:
        return float(text.replace(",", ""))
    except ValueError:
        return None
