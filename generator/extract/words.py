"""Word shapes shared by the extractors."""

from __future__ import annotations

import re


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
