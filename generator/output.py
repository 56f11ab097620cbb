"""Writes generated pages: only when the content changed, atomically, and removes stale ones."""

from __future__ import annotations

import fcntl
import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from generator.model import Page
from generator.parallel import map_in_workers

GENERATED = ("index.md", "briefings", "countries", "topics", "people", "archive", "data", "feed.xml")


@dataclass(frozen=True)
class WriteReport:
    written: int
    unchanged: int
    removed: int
    # Each page's file as written or found (size, modification time), by its absolute path.
    stamps: dict[str, tuple[int, int]] = field(default_factory=dict, compare=False, repr=False)


def usual_mode(mode: int) -> int:
    """What open() or mkdir() would give under the user's umask (temporary files get 0600, and
    a site a web server cannot read is no site)."""
    umask = os.umask(0)
    os.umask(umask)
    return mode & ~umask


def write_atomic(path: Path, data: str | bytes) -> None:
    """Text as UTF-8, or bytes as they are; readers see the old file or the new, never half."""
    with atomic_file(path) as handle:
        handle.write(data.encode("utf-8") if isinstance(data, str) else data)


@contextmanager
def atomic_file(path: Path):
    """A binary file to write that replaces `path` once whole (as write_atomic)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    try:
        os.fchmod(fd, usual_mode(0o666))
        with os.fdopen(fd, "wb") as handle:
            yield handle
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def save_pickle(path: Path, value) -> None:
    """Straight into the file: pickling a cache of 70 MB to bytes first took ten times as long."""
    with atomic_file(path) as handle:
        pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)


def write_pages(docs: Path, pages: Sequence[Page], record: Path | None = None) -> WriteReport:
    """Makes the generated part of docs/ hold exactly `pages`, made and written on every core
    (parallel.py); hand-written pages are untouched. `record` keeps a digest of each page as written,
    so a page is compared with its last version without reading it again (200 MB at 10,000
    briefings, often no longer in memory after a long MkDocs run)."""
    known = _load_record(record, docs)
    existing = set(_generated_files(docs))  # a page not among them is new: no need to look for its file
    written = unchanged = removed = 0
    kept: dict[str, Entry] = {}
    to_make = []
    for page in pages:
        entry = known.get(page.path)
        key = page.key() if page.key is not None and entry is not None else None
        if key is not None and entry.key == key and _as_recorded(docs / page.path, entry):
            kept[page.path] = entry
            unchanged += 1
        else:
            to_make.append((page, key))
    def write(job: tuple[Page, str | None]) -> tuple[bool, Entry]:
        page, key = job
        return _write_if_changed(docs / page.path, page, key, known.get(page.path), page.path in existing)
    for (page, _), (changed, entry) in zip(to_make, map_in_workers(write, to_make)):
        written += changed
        unchanged += not changed
        kept[page.path] = entry
    for name in existing:  # this build's own temporary files are gone, its new pages are kept
        if name.rpartition("/")[2].startswith(".") and name.endswith(".tmp"):
            (docs / name).unlink()
            continue
        if name not in kept:
            (docs / name).unlink()
            removed += 1
    folder = str(docs.resolve())
    if record is not None:
        save_pickle(record, (_RECORD_FORMAT, folder, kept))
    return WriteReport(written, unchanged, removed,
                       {f"{folder}/{path}": (entry.size, entry.mtime_ns) for path, entry in kept.items()})


class Entry(NamedTuple):
    """A page as last written: its text's digest, its file's size and modification time, and
    the key of what it was made from (model.Page)."""
    digest: bytes
    size: int
    mtime_ns: int
    key: str | None


_RECORD_FORMAT = 3


def _load_record(record: Path | None, docs: Path) -> dict[str, Entry]:
    try:
        with record.open("rb") as handle:
            format_, folder, entries = pickle.load(handle)
        return entries if (format_, folder) == (_RECORD_FORMAT, str(docs.resolve())) else {}
    except Exception:  # none yet, unreadable or from another version: compare with the files
        return {}


def _as_recorded(path: Path, entry: Entry) -> bool:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return False
    return (stat.st_size, stat.st_mtime_ns) == (entry.size, entry.mtime_ns)


def _write_if_changed(path: Path, page: Page, key: str | None, known: Entry | None, present: bool) -> tuple[bool, Entry]:
    """Whether the page was written, and its record entry (with `key`, or the page's key made
    here). A page whose file is not as recorded is compared with the file itself, unless there
    was none (`present`)."""
    made = page.text()
    parts = made if isinstance(made, list) else [made.encode("utf-8") if isinstance(made, str) else made]
    hasher = hashlib.sha256()  # the processor's own instructions: half the time of blake2b on 200 MB of pages
    for part in parts:
        hasher.update(part)
    digest = hasher.digest()[:16]
    written, stat = _write_parts_if_changed(path, parts, digest, known, present)
    if page.kept is not None:
        page.kept(stat)
    if key is None and page.key is not None:
        key = page.key()
    return written, Entry(digest, stat.st_size, stat.st_mtime_ns, key)


def _write_parts_if_changed(path: Path, parts: list, digest: bytes, known: Entry | None,
                            present: bool) -> tuple[bool, os.stat_result]:
    if present:
        try:
            stat = path.stat()
        except FileNotFoundError:
            present = False
        else:
            if known is not None and (known.digest, known.size, known.mtime_ns) == (digest, stat.st_size, stat.st_mtime_ns):
                return False, stat
            if stat.st_size == sum(len(part) for part in parts) and path.read_bytes() == b"".join(parts):
                return False, stat
    if not present and (made := _write_new(path, parts)) is not None:
        return True, made
    with atomic_file(path) as handle:
        handle.writelines(parts)
    return True, path.stat()


def _write_new(path: Path, parts: list) -> os.stat_result | None:
    """A page that does not exist yet, written in place: no temporary file to name, set the
    mode of and rename, which cost a first build of 10,000 pages most of its writing. No
    reader misses an old version, and a page left half written (a killed build) differs from
    its text, so the next build writes it again. None when the file appeared meanwhile. Its
    folder is made when the file cannot be made without it, not asked about for every page."""
    try:
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileNotFoundError:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except FileExistsError:
        return None
    if len(parts) == 1:  # a page of one piece: written without a file object around it (5 us a page)
        try:
            write_whole(fd, parts[0])
            return os.fstat(fd)
        finally:
            os.close(fd)
    with os.fdopen(fd, "wb") as handle:
        handle.writelines(parts)
        handle.flush()
        return os.fstat(fd)


def in_resolved_folders(paths: Iterable[Path], resolve: Callable[[str], str]) -> list[str]:
    """Each path as a string, its folder resolved (os.path.abspath, os.path.realpath) once for
    all the files in it: 10,000 articles or tag files one by one took 0.02 to 0.07 s."""
    folders: dict[str, str] = {}
    resolved = []
    for path in map(os.fspath, paths):
        folder, name = os.path.split(path)
        if name in ("", ".", ".."):
            resolved.append(resolve(path))
            continue
        if (absolute := folders.get(folder)) is None:
            absolute = folders[folder] = resolve(folder or os.curdir)
        resolved.append(os.path.join(absolute, name))
    return resolved


def write_whole(fd: int, data: bytes) -> None:
    """All of data to the open file: a write may take fewer bytes than given (a disk filling up)."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _generated_files(docs: Path) -> Iterator[str]:
    """Each generated file's path under docs/, as its page names it: plain strings from os.walk,
    where Path.rglob over 10,000 pages took 0.15 s of every build."""
    for name in GENERATED:
        path = docs / name
        if path.is_file():
            yield name
        elif path.is_dir():
            for root, _, files in os.walk(path):
                under = os.path.relpath(root, docs).replace(os.sep, "/")
                yield from (f"{under}/{file}" for file in files)


class BuildBusy(Exception):
    """Another build holds the lock on this project folder."""


@contextmanager
def exclusive_build(folder: Path):
    """One build at a time per folder: a second one refuses at once instead of interleaving."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".build.lock", "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise BuildBusy(f"another build is running here (pid {holder}); wait for it to finish "
                            "and run the command again") from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
