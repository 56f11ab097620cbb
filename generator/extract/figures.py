"""Money, counts and durations: the numbers a briefing reader scans for."""

from __future__ import annotations

import re

from generator.extract.numbers import NUMBER, SCALES, to_number
from generator.extract.words import scan
from generator.model import Figure

CURRENCY_SYMBOLS = {"€": "EUR", "$": "USD", "US$": "USD", "£": "GBP", "¥": "JPY", "₽": "RUB", "₺": "TRY"}
CURRENCY_WORDS = {"euros": "EUR", "euro": "EUR", "dollars": "USD", "dollar": "USD", "pounds": "GBP",
                  "yuan": "CNY", "rubles": "RUB", "roubles": "RUB", "yen": "JPY", "lira": "TRY"}
SCALE = r"(?:\s?(?:thousand|million|billion|trillion|mln|bln|bn|tn)\b)?"
APPROX = r"(?:(?:around|about|almost|nearly|over|more than|some|up to|at least|roughly|approximately)\s+)?"
UNIT_NOUNS = (r"(?:countries|nations|people|soldiers|troops|civilians|documents|points|deaths|refugees|"
              r"companies|firms|deals|agreements|members|states|leaders|officials|votes|lawmakers|"
              r"times|hours|days|weeks|months|years|minutes|percent|per cent|%)")
MIN_COUNT = 3  # "two leaders" is no figure worth listing
DURATIONS = ("hours", "days", "weeks", "months", "years", "minutes")

_MONEY = re.compile(rf"(?<![\w])(?P<text>{APPROX}(?P<symbol>US\$|[€$£¥₽₺])\s?(?P<number>\d[\d,]*(?:\.\d+)?)(?P<scale>{SCALE}))")
_MONEY_WORDS = re.compile(rf"(?<![\w])(?P<text>{APPROX}(?P<number>\d[\d,]*(?:\.\d+)?)(?P<scale>{SCALE})\s(?P<currency>{'|'.join(CURRENCY_WORDS)})\b)")
_POINTS = re.compile(r"(?<![\w])(?P<text>(?P<number>\d+)-point\s+(?P<noun>[a-z]+))")
_COUNT = re.compile(rf"(?<![\w-])(?P<text>{APPROX}(?P<number>{NUMBER})(?P<scale>{SCALE})\s+(?:(?:more|other|new|further|additional)\s+)?(?P<noun>{UNIT_NOUNS}))(?![\w])", re.IGNORECASE)


def find_figures(text: str) -> tuple[Figure, ...]:
    figures: list[tuple[int, Figure]] = []
    taken: list[tuple[int, int]] = []

    def add(match, figure):
        start, end = match.span("text")
        if any(s < end and start < e for s, e in taken):
            return
        taken.append((start, end))
        figures.append((start, figure))

    for match in scan(_MONEY, text, ("$", "€", "£", "¥", "₽", "₺")):
        add(match, Figure(match["text"], "money", _scaled(match), CURRENCY_SYMBOLS[match["symbol"]]))
    for match in scan(_MONEY_WORDS, text, tuple(CURRENCY_WORDS)):
        add(match, Figure(match["text"], "money", _scaled(match), CURRENCY_WORDS[match["currency"]]))
    for match in scan(_POINTS, text, ("-point",)):
        add(match, Figure(match["text"], "count", float(match["number"]), "points"))
    for match in _COUNT.finditer(text):
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
