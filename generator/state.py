"""Fingerprints of a finished build, so that a rebuild with nothing changed does nothing.

The generator's fingerprint covers everything it reads: every file in the seeds folder (path,
size, modification time: what editors change), the taxonomy, and the generator's own code,
templates and word lists (their bytes). The site's covers what MkDocs and Pagefind read: every
file under docs/ (path, size, modification time), the MkDocs configuration, the theme overrides,
the hooks and the site address; its frame covers the same but the generated pages, and tells
when re-rendering only the changed pages is enough. A fingerprint is recorded only after
its stage succeeded, and a missing or unreadable record just means "build"."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from stat import S_ISREG
from types import MappingProxyType

from generator.output import GENERATED, in_resolved_folders, write_atomic

GENERATOR = Path(__file__).parent
_NONE_KNOWN: Mapping[str, tuple[int, int]] = MappingProxyType({})  # files' sizes and times: ask the system


def _hash_tree(digest, folder: Path, content: bool, left_out: frozenset[str] = frozenset(), whole=None,
               known: Mapping[str, tuple[int, int]] = _NONE_KNOWN) -> None:
    """Every regular file below `folder`, in a stable order: its path, and its bytes (`content`)
    or its size and modification time, from `known` (by real path) where it holds them; `whole`,
    if given, also gets the files left out (their real paths)."""
    base = str(folder.resolve())  # then a file's path is its real one, as `left_out` holds them
    # Plain strings, not Path objects, and each digest fed once: a seeds folder holds 20,000
    # files at 10,000 articles.
    every: list[bytes] = []  # for `whole`
    kept: list[bytes] = []  # for `digest`: all but those left out
    for root, dirs, files in os.walk(base):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        under = root[len(base) + 1:].replace(os.sep, "/")
        prefix = f"{under}/" if under else ""
        for name in sorted(files):
            path = f"{root}{os.sep}{name}"
            size_and_time = None if content else known.get(path)
            if size_and_time is None:
                try:
                    stat = os.stat(path)
                except OSError:
                    continue
                if not S_ISREG(stat.st_mode):
                    continue
                size_and_time = stat.st_size, stat.st_mtime_ns
            if not content:
                entry = f"{prefix}{name}\0{size_and_time[0]}:{size_and_time[1]}".encode()
            else:
                try:
                    with open(path, "rb") as handle:
                        entry = f"{prefix}{name}\0".encode() + handle.read()
                except OSError:  # unreadable: the build itself reports it
                    entry = f"{prefix}{name}\0unreadable:{size_and_time[1]}".encode()
            every.append(entry)
            if path not in left_out:
                kept.append(entry)
    digest.update(b"".join(kept))
    if whole is not None:
        whole.update(b"".join(every))


def generator_inputs(seeds: Path, taxonomy: Path) -> str:
    """Taken before a build: a file edited while it runs is seen by the next one."""
    return _generator_digests(seeds, taxonomy, frozenset())[1]


def generator_inputs_besides(seeds: Path, taxonomy: Path, created: frozenset[Path],
                             known: Mapping[str, tuple[int, int]]) -> tuple[str, str]:
    """After a build that created tag files: the fingerprint leaving them out (equal to the one
    taken before, when the build changed nothing else), and the whole one, in one pass. `known`
    holds the files as the build read or wrote them (their size and modification time by real
    path): an edit the build missed then differs from the fingerprint recorded, as it should,
    and 20,000 files at 10,000 articles need not be asked about again."""
    return _generator_digests(seeds, taxonomy, created, known)


def _generator_digests(seeds: Path, taxonomy: Path, leaving_out: frozenset[Path],
                       known: Mapping[str, tuple[int, int]] = _NONE_KNOWN) -> tuple[str, str]:
    besides = hashlib.sha256(f"{seeds.resolve()}\0{taxonomy.resolve()}\0".encode())
    besides.update(taxonomy.read_bytes() if taxonomy.is_file() else b"")
    _hash_tree(besides, GENERATOR, content=True)
    whole = besides.copy()
    if seeds.is_dir():
        left_out = frozenset(in_resolved_folders(leaving_out, os.path.realpath))  # as _hash_tree's paths
        _hash_tree(besides, seeds, content=False, whole=whole, left_out=left_out, known=known)
    return besides.hexdigest(), whole.hexdigest()


def generated_pages(docs: Path, known: Mapping[str, tuple[int, int]] = _NONE_KNOWN) -> str:
    """The generated pages as last written: a deleted or hand-changed one means "build". `known`
    holds pages as the build wrote them (as in generator_inputs_besides)."""
    digest = hashlib.sha256(str(docs.resolve()).encode())
    for name in GENERATED:
        _hash_entry(digest, docs / name, known)
    return digest.hexdigest()


def _hash_entry(digest, path: Path, known: Mapping[str, tuple[int, int]] = _NONE_KNOWN) -> None:
    """A file's or a folder's files' sizes and modification times."""
    if path.is_dir():
        _hash_tree(digest, path, content=False, known=known)
    elif path.is_file():
        size_and_time = known.get(str(path.resolve()))
        if size_and_time is None:
            stat = path.stat()
            size_and_time = stat.st_size, stat.st_mtime_ns
        digest.update(f"{path.name}:{size_and_time[0]}:{size_and_time[1]}".encode())


def site_frame(config: Path, docs: Path, site: Path, site_url: str | None) -> str:
    """Everything the site depends on but the generated pages: the configuration, the theme, the
    hooks, the hand-written pages, the address. While it holds, re-rendering the changed and new
    pages and deleting those of deleted pages gives the whole site, since a page's HTML depends
    on its own Markdown and on these alone (the nav lists hand-picked index pages only)."""
    digest = hashlib.sha256(f"{site.resolve()}\0{site_url or ''}\0".encode())
    digest.update(config.read_bytes())
    _hash_tree(digest, GENERATOR / "theme", content=True)
    for code in ("publish.py", "mkdocs_hooks.py"):
        digest.update(GENERATOR.joinpath(code).read_bytes())
    for entry in sorted(p for p in docs.iterdir() if p.name not in GENERATED):
        _hash_entry(digest, entry)
    for marker in ("index.html", "pagefind/bundles.json"):  # a site someone emptied
        digest.update(f"{marker}:{(site / marker).is_file()}".encode())
    return digest.hexdigest()


def site_inputs(frame: str, pages: str) -> str:
    """Everything the site depends on: its frame (`site_frame`) and the generated pages
    (`generated_pages`)."""
    return hashlib.sha256(f"{frame}\0{pages}".encode()).hexdigest()


@dataclass
class BuildRecord:
    """What the last successful build saw, and what it had to say (repeated on a no-op run)."""
    generator: str = ""
    pages: str = ""
    site: str = ""
    frame: str = ""
    report: list[str] = field(default_factory=list)


def load_record(path: Path) -> BuildRecord:
    try:
        return BuildRecord(**json.loads(path.read_text(encoding="utf-8")))
    except Exception:  # missing, damaged or from another version: build everything
        return BuildRecord()


def save_record(path: Path, record: BuildRecord) -> None:
    write_atomic(path, json.dumps(asdict(record), indent=1) + "\n")
