"""Dates and time references, resolved against the article's own date when it is known."""

from __future__ import annotations

import datetime as dt
import re

from generator.extract.sentences import occurrences
from generator.extract.words import fold_case, scan_near
from generator.model import DateReference

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
MONTH_ABBR = {"Jan.": 1, "Feb.": 2, "Aug.": 8, "Sept.": 9, "Sep.": 9, "Oct.": 10, "Nov.": 11, "Dec.": 12}
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_MONTH = "|".join(MONTHS + [re.escape(m) for m in MONTH_ABBR])
_PART = r"(?:(?:early|late|mid-|mid|earlier|later|last|this|next)\s*)?"

# Month names, weekdays and years in one scan, which is quick as each starts with a capital or a digit.
_MONTH_WEEKDAY_OR_YEAR = re.compile(rf"{_MONTH}|{'|'.join(WEEKDAYS)}|19\d\d|20\d\d")
_RELATIVE_WORDS = ("week", "month", "year", "yesterday", "today", "tomorrow")
# Relative words are kept only where whole, as every relative date ends with one: most are in 'years'.
_WHOLE_RELATIVE_WORD = re.compile(rf"(?:{'|'.join(_RELATIVE_WORDS)})(?![\w])", re.IGNORECASE)
_PATTERNS = [  # (kind, the _keywords every match holds one of, how far before it a match may start, pattern)
    ("day_month_year", "month", 0, re.compile(rf"(?<![\w])(?P<month>{_MONTH})\s(?P<day>\d{{1,2}}),?\s(?P<year>(?:19|20)\d\d)(?![\w])")),
    ("day_month_year", "month", 2, re.compile(rf"(?<![\w])(?P<day>\d{{1,2}})\s(?P<month>{_MONTH})\s(?P<year>(?:19|20)\d\d)(?![\w])")),
    ("month_year", "month", 7, re.compile(rf"(?<![\w]){_PART}(?P<month>{_MONTH})\s(?:of\s)?(?P<year>(?:19|20)\d\d)(?![\w])")),
    ("day_month", "month", 0, re.compile(rf"(?<![\w])(?P<month>{_MONTH})\s(?P<day>\d{{1,2}})(?![\w,]\d)(?!\d)")),
    ("month", "month", 12, re.compile(rf"(?<![\w])(?:(?:[Ii]n|[Ss]ince|[Uu]ntil|[Bb]y|[Ff]rom)\s)?{_PART}(?P<month>{'|'.join(MONTHS)})(?![\w])(?!\s\d)")),
    ("weekday", "weekday", 7, re.compile(rf"(?<![\w])(?:(?:on|early|late|later|earlier|last|next|this)\s)?(?P<weekday>{'|'.join(WEEKDAYS)})(?![\w])")),
    ("relative", "relative", 11, re.compile(r"(?<![\w])(?P<rel>(?:last|this|next|earlier this|later this)\s(?:week|month|year)|yesterday|today|tomorrow)(?![\w])", re.IGNORECASE)),
    ("year", "year", 6, re.compile(r"(?<![\w$€£-])(?:in|since|until|by|from|of|before|after)\s(?P<year>(?:19|20)\d\d)(?![\w%-])")),
]


def find_dates(text: str, reference: dt.date | None) -> tuple[DateReference, ...]:
    found: list[tuple[int, DateReference]] = []
    taken: list[tuple[int, int]] = []
    keywords = _keywords(text)
    for kind, keyword, lead, pattern in _PATTERNS:
        for match in scan_near(pattern, text, keywords[keyword], lead):
            start, end = match.span()
            if any(s < end and start < e for s, e in taken):
                continue
            if kind == "month" and match.group().strip() == "May" and not re.match(r"(?i:in|since|until|by|from)\s", match.group()):
                continue
            taken.append((start, end))
            found.append((start, DateReference(match.group().strip(), _resolve(kind, match, reference))))
    return tuple(ref for _, ref in sorted(found, key=lambda pair: pair[0]))


def _keywords(text: str) -> dict[str, list[int]]:
    """Where the month names, weekdays, years and relative words ('week', 'today') are."""
    found: dict[str, list[int]] = {"month": [], "weekday": [], "year": []}
    for hit in _MONTH_WEEKDAY_OR_YEAR.finditer(text):
        word = hit.group()
        found["year" if word[0].isdigit() else "weekday" if word in WEEKDAYS else "month"].append(hit.start())
    found["relative"] = [at for at in occurrences(fold_case(text), _RELATIVE_WORDS)  # in any case
                         if _WHOLE_RELATIVE_WORD.match(text, at)]
    return found


def _month_number(name: str) -> int:
    return MONTH_ABBR.get(name) or MONTHS.index(name) + 1


def _resolve(kind: str, match, reference: dt.date | None) -> str | None:
    groups = match.groupdict()
    if kind == "day_month_year":
        try:
            return dt.date(int(groups["year"]), _month_number(groups["month"]), int(groups["day"])).isoformat()
        except ValueError:
            return None
    if kind == "month_year":
        return f"{int(groups['year']):04d}-{_month_number(groups['month']):02d}"
    if kind == "year":
        return groups["year"]
    if reference is None:
        return None
    if kind == "day_month":
        month, day = _month_number(groups["month"]), int(groups["day"])
        year = reference.year if (month, day) <= (reference.month, reference.day) else reference.year - 1
        try:
            return dt.date(year, month, day).isoformat()
        except ValueError:
            return None
    if kind == "month":
        month = _month_number(groups["month"])
        year = reference.year if month <= reference.month else reference.year - 1
        return f"{year:04d}-{month:02d}"
    if kind == "weekday":
        back = (reference.weekday() - WEEKDAYS.index(groups["weekday"])) % 7
        if match.group().lower().startswith("next"):
            return (reference + dt.timedelta(days=(7 - back) % 7 or 7)).isoformat()
        return (reference - dt.timedelta(days=back)).isoformat()
    return _relative(groups["rel"].lower(), reference)


def _relative(phrase: str, reference: dt.date) -> str:
    shift = {"last": -1, "next": 1}.get(phrase.split()[0], 0)
    if phrase in ("yesterday", "today", "tomorrow"):
        return (reference + dt.timedelta(days={"yesterday": -1, "today": 0, "tomorrow": 1}[phrase])).isoformat()
    unit = phrase.split()[-1]
    if unit == "week":
        year, week, _ = (reference + dt.timedelta(weeks=shift)).isocalendar()
        return f"{year}-W{week:02d}"
    if unit == "month":
        month = reference.month - 1 + shift
        return f"{reference.year + month // 12:04d}-{month % 12 + 1:02d}"
    return f"{reference.year + shift:04d}"
