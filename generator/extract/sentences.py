"""Sentence boundaries that survive wire-copy abbreviations (U.S., Rear Adm., Jan.)."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple
from functools import cached_property

from generator.extract.words import fold_case, match_at

ABBREVIATIONS = frozenset("""
U.S. U.K. U.N. E.U. U.S.A. U.A.E. Mr. Mrs. Ms. Dr. Prof. Adm. Gen. Lt. Col. Capt. Sgt. Maj. Brig.
Cmdr. Sen. Rep. Gov. Gens. Sens. Reps. St. Mt. Ft. Jr. Sr. Inc. Corp. Co. Ltd. Bros. No. Nos. vs.
etc. approx. Jan. Feb. Mar. Apr. Jun. Jul. Aug. Sep. Sept. Oct. Nov. Dec. Mon. Tue. Tues. Wed.
Thu. Thurs. Fri. Sat. Sun. a.m. p.m. i.e. e.g. Rev. Hon. Fr. Ph.D. D.C.
""".split())
_TERMINATORS = ".!?"  # every sentence end candidate opens with one
_CANDIDATE = re.compile(r"[.!?]+[\"”’')\]]*(?=\s+[\"“‘'(\[]?[^\W_a-z])")
_DATELINE = re.compile(r"^(?P<place>[A-Z][A-Z .,'’/-]+?)\s*\((?P<agency>[A-Z][\w .&-]*)\)\s*[-–—]+\s*")
_INITIAL = re.compile(r"[A-Z]\.")


class Span(NamedTuple):
    """A named tuple: every sentence of every article is one, and a frozen dataclass is slower to make."""

    start: int
    end: int


@dataclass(frozen=True)
class Document:
    """The text extraction reads: headline and paragraphs joined by newlines, dateline removed."""

    text: str
    sentences: tuple[Span, ...]
    body_start: int
    dateline_place: str | None
    dateline_agency: str | None

    def sentence_at(self, offset: int) -> Span:
        index = bisect_right(self._sentence_starts, offset) - 1
        if index >= 0 and offset < self.sentences[index].end:
            return self.sentences[index]
        return Span(offset, offset)

    def sentences_overlapping(self, start: int, end: int) -> tuple[Span, ...]:
        """The sentences with some text between start and end, found by bisection: the
        sentences are in order and apart, so their starts and their ends are both sorted."""
        return self.sentences[bisect_right(self._sentence_ends, start):bisect_left(self._sentence_starts, end)]

    def sentences_before(self, offset: int) -> tuple[Span, ...]:
        """The sentences that end at or before offset."""
        return self.sentences[:bisect_right(self._sentence_ends, offset)]

    @cached_property
    def _sentence_starts(self) -> tuple[int, ...]:
        return tuple(span.start for span in self.sentences)

    @cached_property
    def _sentence_ends(self) -> tuple[int, ...]:
        return tuple(span.end for span in self.sentences)

    @cached_property
    def folded(self) -> str:
        """fold_case(self.text), made once for the extractors that seek lowercase words in it."""
        return fold_case(self.text)

    @cached_property
    def body_sentences(self) -> tuple[Span, ...]:
        """The sentences after the headline, which the title, summary, key points and lead read."""
        return tuple(span for span in self.sentences if span.start >= self.body_start)

    @cached_property
    def lead_end(self) -> int:
        """End of the lead: the headline and the first sentence of the body."""
        return self.body_sentences[0].end if self.body_sentences else len(self.text)


def split_dateline(paragraph: str) -> tuple[str | None, str | None, str]:
    """'BEIJING (Reuters) - Text' gives ('BEIJING', 'Reuters', 'Text')."""
    match = _DATELINE.match(paragraph)
    if not match:
        return None, None, paragraph
    return match["place"].strip(" ,"), match["agency"].strip(), paragraph[match.end():]


def split_sentences(line: str) -> list[Span]:
    return [Span(start, end) for start, end in _sentence_bounds(line)]


def _sentence_bounds(line: str) -> list[tuple[int, int]]:
    """Where each sentence of line starts and ends, as plain pairs: prepare shifts them by the
    line's offset into Spans, so each Span is built once."""
    bounds, start = [], 0
    for match in match_at(_CANDIDATE, line, occurrences(line, _TERMINATORS)):
        token = line[:match.start() + 1].rsplit(None, 1)[-1].lstrip("\"“‘'([")
        if token in ABBREVIATIONS or _INITIAL.fullmatch(token):
            continue
        bounds.append((start, match.end()))
        start = match.end()
        while start < len(line) and line[start].isspace():
            start += 1
    if start < len(line):
        bounds.append((start, len(line)))
    return bounds


def occurrences(text: str, parts: Iterable[str]) -> list[int]:
    """Every offset where one of parts occurs in text, ascending. str.find is far quicker than
    the regex engine's scan for a class of characters, which tests every character in turn."""
    found = []
    for part in parts:
        place = text.find(part)
        while place != -1:
            found.append(place)
            place = text.find(part, place + 1)
    return sorted(found)


def prepare(headline: str | None, paragraphs: tuple[str, ...]) -> Document:
    place, agency, first = split_dateline(paragraphs[0]) if paragraphs else (None, None, "")
    lines = ([headline] if headline else []) + [first, *paragraphs[1:]]
    text, sentences, offset = "", [], 0
    body_start = len(headline) + 1 if headline else 0
    for line in lines:
        sentences += [Span(offset + start, offset + end) for start, end in _sentence_bounds(line)]
        text += line + "\n"
        offset = len(text)
    return Document(text, tuple(sentences), body_start, place, agency)
