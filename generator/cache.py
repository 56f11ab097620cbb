"""Extraction results kept between builds, keyed by everything extraction reads.

An entry's key is a hash of the article's text, the date its tag file gives (relative dates
resolve against it), the word lists (gazetteer version), the taxonomy's topics and the source
of the extraction code itself: change any of them and the entry is simply not found. The cache
is one pickle file written atomically; one that cannot be read is treated as empty."""

from __future__ import annotations

import datetime as dt
import hashlib
import pickle
from pathlib import Path

from generator.gazetteer import Gazetteer
from generator.model import Article, Facts, Topic
from generator.output import write_atomic

CODE = Path(__file__).parent
_CODE_FILES = ("model.py", "extract/*.py")


def extraction_version(gazetteer: Gazetteer, topics: tuple[Topic, ...]) -> str:
    digest = hashlib.sha256(gazetteer.version.encode())
    digest.update(repr(topics).encode())
    for pattern in _CODE_FILES:
        for path in sorted(CODE.glob(pattern)):
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def facts_key(version: str, article: Article, reference_date: dt.date | None) -> str:
    digest = hashlib.sha256(version.encode())
    digest.update(repr((article.headline, article.paragraphs, reference_date)).encode())
    return digest.hexdigest()


class FactsCache:
    """Facts by key. `save` keeps only the entries this build used, so it never grows stale."""

    def __init__(self, path: Path):
        self.path = path
        self._entries: dict[str, Facts] = {}
        self._used: set[str] = set()
        self._changed = False
        try:
            with path.open("rb") as handle:
                loaded = pickle.load(handle)
            if isinstance(loaded, dict):
                self._entries = loaded
        except Exception:  # unreadable, truncated or from another version: start afresh
            self._entries = {}

    def get(self, key: str) -> Facts | None:
        facts = self._entries.get(key)
        if facts is not None:
            self._used.add(key)
        return facts

    def put(self, key: str, facts: Facts) -> None:
        self._entries[key] = facts
        self._used.add(key)
        self._changed = True

    def save(self) -> None:
        if not self._changed and self._used == set(self._entries):
            return
        kept = {key: self._entries[key] for key in self._used}
        write_atomic(self.path, pickle.dumps(kept, protocol=pickle.HIGHEST_PROTOCOL))
