"""Money, counts and durations: the numbers a briefing reader scans for."""

from __future__ import annotations

import re

from generator.extract.numbers import DIGITS, NUMBER, NUMBER_WORD, SCALES, number_word_starts, to_number
from generator.extract.sentences import occurrences
from generator.extract.words import alternation, fold_case, scan, scan_near
from generator.model import Figure

CURRENCY_SYMBOLS = {"€": "EUR", "$": "USD", "US$": "USD", "£": "GBP", "¥": "JPY", "₽": "RUB", "₺": "TRY"}
CURRENCY_WORDS = {"euros": "EUR", "euro": "EUR", "dollars": "USD", "dollar": "USD", "pounds": "GBP",
                  "yuan": "CNY", "rubles": "RUB", "roubles": "RUB", "yen": "JPY", "lira": "TRY"}
SCALE = r"(?:\s?(?:thousand|million|billion|trillion|mln|bln|bn|tn)\b)?"
APPROX_WORDS = ("around", "about", "almost", "nearly", "over", "more than", "some", "up to", "at least", "roughly",
                "approximately")
APPROX = rf"(?:{alternation(APPROX_WORDS)}\s+)?"  # a trie: none is a prefix of another, so the order is free
UNIT_NOUNS = (r"(?:countries|nations|people|soldiers|troops|civilians|documents|points|deaths|refugees|"
              r"companies|firms|deals|agreements|members|states|leaders|officials|votes|lawmakers|"
              r"times|hours|days|weeks|months|years|minutes|percent|per cent|%)")
MIN_COUNT = 3  # "two leaders" is no figure worth listing
DURATIONS = ("hours", "days", "weeks", "months", "years", "minutes")

_SYMBOLS = "€$£¥₽₺"  # money in signs is sought near these, found with occurrences
_MONEY = re.compile(rf"(?<![\w])(?P<text>{APPROX}(?P<symbol>US\$|[{_SYMBOLS}])\s?(?P<number>\d[\d,]*(?:\.\d+)?)(?P<scale>{SCALE}))")
_AMOUNT_IN_WORDS = rf"(?P<number>\d[\d,]*(?:\.\d+)?)(?P<scale>{SCALE})\s(?P<currency>{'|'.join(CURRENCY_WORDS)})\b"
_MONEY_WORDS = re.compile(rf"(?<![\w])(?P<text>{APPROX}{_AMOUNT_IN_WORDS})")
# Where the number of some _MONEY_WORDS may start: scan_near tries the pattern at each place before
# each number it is given, and this tells at once which numbers a currency follows.
_AMOUNT_IN_WORDS_AT = re.compile(_AMOUNT_IN_WORDS)
_POINTS = re.compile(r"(?<![\w])(?P<text>(?P<number>\d+)-point\s+(?P<noun>[a-z]+))")
_APPROX_LEAD = max(len(word) for word in APPROX_WORDS)  # how far before its number a figure may start
_COUNTED = rf"(?P<scale>{SCALE})\s+(?:(?:more|other|new|further|additional)\s+)?(?P<noun>{UNIT_NOUNS})"
_COUNT = re.compile(rf"(?<![\w-])(?P<text>{APPROX}(?P<number>{NUMBER}){_COUNTED})(?![\w])", re.IGNORECASE)
# Where the number of some _COUNT may start: not after a letter, at a number or at a number word
# without its "a " ("a dozen" is no NUMBER without it), that something counted follows.
_COUNT_AT = re.compile(rf"(?<![\w-])(?:{NUMBER}|{NUMBER_WORD.pattern}){_COUNTED}(?![\w])", re.IGNORECASE)


def find_figures(text: str) -> tuple[Figure, ...]:
    figures: list[tuple[int, Figure]] = []
    taken: list[tuple[int, int]] = []

    def add(match, figure):
        start, end = match.span("text")
        if any(s < end and start < e for s, e in taken):
            return
        taken.append((start, end))
        figures.append((start, figure))

    symbols = occurrences(text, _SYMBOLS)
    for match in scan_near(_MONEY, text, symbols, _APPROX_LEAD + len("US")):
        add(match, Figure(match["text"], "money", _scaled(match), CURRENCY_SYMBOLS[match["symbol"]]))
    digits = [hit.start() for hit in DIGITS.finditer(text)]
    amounts = [at for at in digits if _AMOUNT_IN_WORDS_AT.match(text, at)]
    for match in scan_near(_MONEY_WORDS, text, amounts, _APPROX_LEAD):
        add(match, Figure(match["text"], "money", _scaled(match), CURRENCY_WORDS[match["currency"]]))
    for match in scan(_POINTS, text, ("-point",)):
        add(match, Figure(match["text"], "count", float(match["number"]), "points"))
    numbers = sorted(digits + number_word_starts(fold_case(text)))
    counts = [at for at in numbers if _COUNT_AT.match(text, at)]
    for match in scan_near(_COUNT, text, counts, _APPROX_LEAD + len("a")):
        noun = match["noun"].lower()
        kind = "duration" if noun in DURATIONS else "count"
        value = _scaled(match)
        if kind == "count" and value is not None and value < MIN_COUNT:
            continue
        add(match, Figure(match["text"], kind, value, noun))
    unique = {}
    for _, figure in sorted(figures, key=lambda pair: pair[0]):
        unique.setdefault(figure.text.lower(), figure)
    return tuple(unique.values())


def _scaled(match) -> float | None:
    number = to_number(match["number"])
    scale = (match.groupdict().get("scale") or "").strip().lower()
    if number is None:
        return None
    return number * SCALES.get(scale, 1)
