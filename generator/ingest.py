"""Reads article files from the seeds folder. All checks on article files happen here."""

from __future__ import annotations

import hashlib
import os
import re
import stat
import unicodedata
from pathlib import Path

from generator.errors import Notice, Problem
from generator.model import Article
from generator.cache import FileReadings

MAX_ARTICLE_BYTES = 5_000_000
HEADLINE_MAX_WORDS = 25
_SLUG_UNSAFE = re.compile(r"[^a-z0-9_-]+")


def slug_for(path: Path) -> str:
    """A URL-safe, stable slug from the file stem, so a title edit never breaks a link."""
    stem = unicodedata.normalize("NFKD", path.stem).encode("ascii", "ignore").decode().lower()
    slug = _SLUG_UNSAFE.sub("-", stem).strip("-")
    if not slug or slug != path.stem:  # changed by folding: a hash keeps twins (A, a) apart
        slug = (slug + "-" if slug else "article-") + hashlib.sha1(path.stem.encode()).hexdigest()[:8]
    return slug


def article_paths(seeds: Path) -> list[tuple[Path, bool]]:
    """Article files, hidden ones (editors' temporary files) left out, and whether each is a
    link. Listed with os.scandir, which tells a file from a folder or a link without asking the
    system about each, and sorted by name: a glob of 10,000 articles sorted as paths took 0.25 s
    of every build."""
    with os.scandir(seeds) as entries:
        found = sorted((entry.name, entry.is_symlink()) for entry in entries
                       if entry.name.endswith(".txt") and not entry.name.startswith(".")
                       and (entry.is_file() or entry.is_symlink()))
    return [(seeds / name, link) for name, link in found]


def read_articles(seeds: Path, readings: FileReadings | None = None) -> tuple[list[Article], list[Problem], list[Notice]]:
    """Every readable article, and a problem for each file that is not (the rest still build)."""
    articles: list[Article] = []
    problems: list[Problem] = []
    notices: list[Notice] = []
    seen: dict[str, Path] = {}
    readings = readings or FileReadings(None)
    root = seeds.resolve()
    for path, link in article_paths(seeds):
        if link and root not in path.resolve().parents:
            problems.append(Problem(path, "is a link to a file outside the seeds folder",
                                    "copy the article into the seeds folder instead of linking it"))
            continue
        slug = slug_for(path)
        if slug in seen:
            problems.append(Problem(path, f"its page address '{slug}' is taken by {seen[slug].name}",
                                    "rename one of the two files"))
            continue
        seen[slug] = path
    slugs = {path: slug for slug, path in seen.items()}
    for article, problem, notice in readings.read_all(list(slugs), lambda path: read_article(path, slugs[path])):
        if problem:
            problems.append(problem)
        else:
            articles.append(article)
        if notice:
            notices.append(notice)
    return articles, problems, notices


def read_article(path: Path, slug: str) -> tuple[Article | None, Problem | None, Notice | None]:
    """The file is opened, then asked what it is through what was opened (not asked by its name
    first, then again for its size); opening never waits, even on a named pipe."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return None, _unreadable(path), None
    status = os.fstat(fd)
    if not stat.S_ISREG(status.st_mode):
        os.close(fd)
        return None, _unreadable(path), None
    with os.fdopen(fd, "rb") as handle:
        if status.st_size > MAX_ARTICLE_BYTES:
            return None, Problem(path, f"article is {status.st_size:,} bytes, more than {MAX_ARTICLE_BYTES:,}",
                                 "an article this long is several articles or not an article: split it"), None
        raw = handle.read()
    notice = None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        try:
            text = raw.decode("cp1252")
        except UnicodeDecodeError:
            return None, Problem(path, f"not UTF-8 text (byte {err.start} is 0x{raw[err.start]:02x})",
                                 "save the file as UTF-8", line), None
        notice = Notice(path, f"not UTF-8 (line {line}); read as Windows-1252. Save it as UTF-8 "
                        "to be sure every character is right")
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        return None, Problem(path, "contains NUL bytes: this is not a text file", "remove the "
                             "file, or save the article again as plain text", line), notice
    headline, paragraphs = split_headline(text)
    if not paragraphs:
        return None, Problem(path, "the article has no text", "add the article's text, or "
                             "remove the file"), notice
    return Article(path, slug, headline, tuple(paragraphs), hashlib.sha256(raw).digest()), None, notice


def _unreadable(path: Path) -> Problem:
    return Problem(path, "is not a readable file", "replace it with the article's text")


# The characters str.split() takes for whitespace (the last is U+3000), but the space and the line break.
_OTHER_WHITESPACE = tuple(char for char in map(chr, range(0x3001)) if char.isspace() and char not in " \n")


def split_headline(text: str) -> tuple[str | None, list[str]]:
    """A short first line followed by a blank line is a headline; the rest are paragraphs, each
    line single-spaced."""
    lines = _single_spaced_lines(text.replace("\r\n", "\n").replace("\r", "\n"))
    while lines and not lines[0]:
        lines.pop(0)
    headline = None
    if (len(lines) > 2 and lines[0] and not lines[1]
            and len(lines[0].split()) <= HEADLINE_MAX_WORDS and not lines[0].endswith(".")):
        headline = lines[0]
        lines = lines[2:]
    return headline, [line for line in lines if line]


def _single_spaced_lines(text: str) -> list[str]:
    """The text's lines, each as `" ".join(line.split())` makes it. With no whitespace but spaces
    and line breaks, as in most articles, the runs of spaces are collapsed over the whole text
    at once (wire copy often has two after a full stop): splitting each line into words and
    joining them again took 42 us of the 87 us it takes to read a bench article, this 27 us."""
    if any(char in text for char in _OTHER_WHITESPACE):
        return [" ".join(line.split()) for line in text.split("\n")]
    while "  " in text:
        text = text.replace("  ", " ")
    return text.replace(" \n", "\n").replace("\n ", "\n").strip(" ").split("\n")
