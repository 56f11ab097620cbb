"""Results kept between builds: what reading each input file gave, and extraction's facts.

A file's reading is used again while its size and modification time (and inode) are the ones
it was read at: what the no-op check trusts too (state.py). Reading and validating 20,000
articles and tag files is most of a rebuild's reading, and after a long MkDocs run the files
are often no longer in memory.

A facts entry's key is a hash of the article's text, the date its tag file gives (relative dates
resolve against it), the word lists (gazetteer version), the taxonomy's topics and the source
of the extraction code itself: change any of them and the entry is simply not found. Each cache
is one pickle file written atomically; one that cannot be read is treated as empty."""

from __future__ import annotations

import copyreg
import datetime as dt
import hashlib
import mmap
import os
import pickle
from collections.abc import Callable, Sequence
from pathlib import Path, PosixPath
from typing import Generic, TypeVar

from generator.gazetteer import Gazetteer
from generator.model import Article, Topic
from generator.output import atomic_file, in_resolved_folders, save_pickle
from generator.parallel import map_in_workers

Reading = TypeVar("Reading")
Result = TypeVar("Result")

# A path pickles as its string, not as the tuple of its parts, each a string of its own: the
# readings of 10,000 articles (each with its path) pickled in 0.077 s against 0.124 s, and
# loaded in 0.124 s against 0.153 s, with those a read helper sends. Older pickles still load.
copyreg.pickle(PosixPath, lambda path: (PosixPath, (str(path),)))

CODE = Path(__file__).parent
_CODE_FILES = ("model.py", "ingest.py", "extract/*.py")  # ingest: what an article's bytes are read as


def extraction_version(gazetteer: Gazetteer, topics: tuple[Topic, ...]) -> str:
    digest = hashlib.sha256(gazetteer.version.encode())
    digest.update(repr(topics).encode())
    _add_code(digest, *(sorted(CODE.glob(pattern)) for pattern in _CODE_FILES))
    return digest.hexdigest()


def reading_version(gazetteer: Gazetteer, taxonomy: Path) -> str:
    """Everything a file's reading depends on besides the file: the code, the word lists (country
    names in tag files) and the taxonomy (topics in tag files)."""
    digest = hashlib.sha256(gazetteer.version.encode())
    digest.update(taxonomy.read_bytes() if taxonomy.is_file() else b"")
    _add_code(digest, sorted(CODE.rglob("*.py")))
    return digest.hexdigest()


def page_version() -> str:
    """What every generated page depends on besides its data: the code and the templates."""
    digest = hashlib.sha256()
    _add_code(digest, sorted(CODE.rglob("*.py")), sorted((CODE / "templates").glob("*.j2")))
    return digest.hexdigest()


def key_of(parts: list[str]) -> str:
    """A cache key for strings none of which holds a NUL, joined by one: a repr of the list (or
    of the tuples and dates it was made from) took twice as long, and most of a page's key."""
    return hashlib.blake2b("\0".join(parts).encode(), digest_size=16).hexdigest()


def _add_code(digest, *groups: list[Path]) -> None:
    for paths in groups:
        for path in paths:
            digest.update(path.name.encode() + b"\0" + path.read_bytes())


def _load(path: Path | None):
    """A cache file's content; None when there is none yet, or it is unreadable or truncated."""
    if path is None:
        return None
    try:
        with path.open("rb") as handle:
            return pickle.load(handle)
    except Exception:
        return None


def facts_key(version: str, article: Article, reference_date: dt.date | None) -> str:
    digest = hashlib.sha256(version.encode())
    digest.update(article.text_digest + repr(reference_date).encode())
    return digest.hexdigest()


class ResultCache(Generic[Result]):
    """Results by the key of what they were made from (extraction's facts, the JSON export's
    lines). `layout` names how the results are stored: a file saved with another is not read.

    The file is a log: a header, then batches of entries, each save adding the entries this
    build made. After one edit that is one line of the export, where writing the whole cache
    again wrote 70 MB at 10,000 briefings. Once the entries no build used any more outnumber
    those the last build used, the file is written afresh with only those, so it never holds
    more than twice what a build uses. A batch cut short (a killed build) ends what is read;
    the next save then writes the file afresh."""

    def __init__(self, path: Path, layout: str = ""):
        self.path, self.layout = path, layout
        self._entries: dict[str, Result] = {}
        self._used: set[str] = set()
        self._new: dict[str, Result] = {}
        self._logged = 0  # entries in the file, counting each batch's (an entry can be in two)
        self._whole = False  # the file holds the header and every batch whole
        try:
            with path.open("rb") as handle:
                if pickle.load(handle) != (_LOG, layout):
                    return  # from another version: start afresh
                self._whole = True
                while handle.peek(1):
                    batch = pickle.load(handle)
                    self._entries.update(batch)
                    self._logged += len(batch)
        except Exception:  # none yet, unreadable, or a batch cut short: what was read stands
            self._whole = False

    def holds_any(self) -> bool:
        return bool(self._entries)

    def get(self, key: str) -> Result | None:
        found = self._entries.get(key)
        if found is not None:
            self._used.add(key)
        return found

    def put(self, key: str, result: Result) -> None:
        self._entries[key] = result
        self._used.add(key)
        self._new[key] = result

    def save(self) -> None:
        if self._whole and self._logged + len(self._new) <= 2 * len(self._used):
            if self._new:
                with self.path.open("ab") as handle:
                    pickle.dump(self._new, handle, protocol=pickle.HIGHEST_PROTOCOL)
                self._logged += len(self._new)
        else:
            with atomic_file(self.path) as handle:
                pickle.dump((_LOG, self.layout), handle, protocol=pickle.HIGHEST_PROTOCOL)
                pickle.dump({key: self._entries[key] for key in self._used}, handle, protocol=pickle.HIGHEST_PROTOCOL)
            self._logged, self._whole = len(self._used), True
        self._new = {}


_LOG = "result log 1"  # the file's first pickle, with the cache's layout


class FileLines:
    """Lines of a file the build writes, each found again by the key of what it is made from, in
    the last version of that file itself (read through a memory map). The JSON export is 70 MB at
    10,000 briefings: an edit copies its unchanged lines from the file as it is in the page
    cache, where a cache of the lines kept apart was 70 MB more to load, join and write again."""

    def __init__(self, path: Path, places: Path):
        self.path, self.places = path, places
        self._found: dict[str, tuple[int, int]] = {}
        self._placed: dict[str, tuple[int, int]] = {}
        self._view: memoryview | None = None
        loaded = _load(places)
        if not (isinstance(loaded, tuple) and len(loaded) == 3 and loaded[0] == _LINES):
            return  # none yet, or from another version
        try:
            with path.open("rb") as handle:
                if _stamp_of(os.fstat(handle.fileno())) != loaded[1]:
                    return  # written since by someone else
                self._view = memoryview(mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ))
        except (OSError, ValueError):  # no file, or an empty one
            return
        self._found = loaded[2]

    def get(self, key: str) -> memoryview | None:
        place = self._found.get(key)
        return None if place is None else self._view[place[0]:place[0] + place[1]]

    def place(self, key: str, start: int, length: int) -> None:
        """Where the line made from `key` is in the file being made."""
        self._placed[key] = (start, length)

    def save(self, status: os.stat_result) -> None:
        """Once the file holds the lines as placed (its status, to tell it from any other)."""
        save_pickle(self.places, (_LINES, _stamp_of(status), self._placed))


_LINES = "file lines 1"


class FileReadings:
    """Each file's reading (its Article, or its tag file's Tags, with their problems) by path,
    while the file is unchanged. `save` keeps only the files this build read."""

    def __init__(self, path: Path | None, version: str = ""):
        self.path, self.version = path, version
        self._entries: dict[str, tuple[tuple[int, int, int], object]] = {}
        self._kept: dict[str, tuple[tuple[int, int, int], object]] = {}
        self._changed = False
        loaded = _load(path)
        if isinstance(loaded, tuple) and len(loaded) == 2 and loaded[0] == version:
            self._entries = loaded[1]  # else none yet, or from another version: read every file

    def read_all(self, paths: Sequence[Path], read: Callable[[Path], Reading], absent: Reading | None = None,
                 exists: Callable[[Path], bool] | None = None) -> list[Reading]:
        """read(path) for every path (in worker processes), but for the files unchanged since
        they were read, and for those that do not exist when `absent` says what their reading
        is. `exists`, when given, tells which paths are files without asking the system (from a
        listing of their folder: a first build's 10,000 missing tag files took 0.04 s to stat).
        A file is stamped before it is read, so an edit while it is read is seen by the next
        build: here when a reading of it is known, to compare, else where it is read."""
        names = in_resolved_folders(paths, os.path.abspath)  # as _name gives them
        readings: list = [None] * len(paths)
        missing = []
        for number, (path, name) in enumerate(zip(paths, names)):
            known = self._entries.get(name)
            if exists is not None and not exists(path):
                stamp = None
            elif known is not None or (absent is not None and exists is None):
                stamp = _stamp(path)
            else:
                missing.append(number)
                continue
            if stamp is not None and known is not None and known[0] == stamp:
                readings[number] = known[1]
                self._kept[name] = known
            elif stamp is None and absent is not None:
                readings[number] = absent
            else:
                missing.append(number)

        def stamped_reading(number: int) -> tuple[tuple[int, int, int] | None, Reading]:
            return _stamp(paths[number]), read(paths[number])
        for number, (stamp, reading) in zip(missing, map_in_workers(stamped_reading, missing)):
            readings[number] = reading
            if stamp is not None:
                self._kept[names[number]] = (stamp, reading)
                self._changed = True
        return readings

    def remember(self, path: Path, status: os.stat_result, reading: Reading) -> None:
        """The reading of a file this build wrote itself, so the next build need not read it."""
        self._kept[_name(path)] = (_stamp_of(status), reading)
        self._changed = True

    def stamps(self) -> dict[str, tuple[int, int]]:
        """The size and modification time of each file as this build read or wrote it, by path."""
        return {name: stamp[:2] for name, (stamp, _) in self._kept.items()}

    def save(self) -> None:
        if self.path is None or not self._changed and len(self._kept) == len(self._entries):
            return
        save_pickle(self.path, (self.version, self._kept))


def _name(path: Path) -> str:
    """The same for `seeds/a.txt` and `/home/desk/seeds/a.txt` (no call to the system: 10,000
    of them cost nothing), so a build given the other path reads no file again."""
    return os.path.abspath(path)


def _stamp(path: Path) -> tuple[int, int, int] | None:
    try:
        return _stamp_of(os.stat(path))
    except OSError:
        return None


def _stamp_of(status: os.stat_result) -> tuple[int, int, int]:
    return status.st_size, status.st_mtime_ns, status.st_ino
