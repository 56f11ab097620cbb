"""The benchmark behind `make bench`: build speed, rebuild cost, sizes and search at scale.

    python -m tests.bench [--sizes 1000 10000] [--no-search]

For each size it writes a synthetic corpus (generator/synthetic.py: real sentences, fixed seed)
into .bench/N/ and measures, each as the user runs it (a separate process):

- a cold `make site` (no generated pages, no caches, no tag files yet): the generator's part,
  MkDocs' part and Pagefind's part as the build reports them, and the whole wall time;
- a bare `mkdocs build` of the same generated docs/ (one process), for the overhead ratio
  (generator + bare MkDocs) / bare MkDocs, and for the whole cold `make site` against it;
- a no-op rebuild, and a rebuild after one tag-file edit: time and files written; then a second
  edit of another tag file (a desk's usual case: the first build's new tag files are read by now);
- the site's size, the search index's size against the articles' text, peak memory (of the
  largest process, and of all of a command's processes at once);
- with search: the built site served on 127.0.0.1 and opened in Debian's Chromium, the time from
  page load to the first search answer and the bytes fetched for it, beside the same for
  Material's built-in search on the same pages.

It prints a table and one JSON object per size, one line each, the largest last."""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from generator.publish import inherited_config
from generator.synthetic import write_corpus

REPO = Path(__file__).resolve().parent.parent
WORK = REPO / ".bench"
HAND_WRITTEN = ("about.md", "editing.md", "assets")
QUERIES = ("nuclear talks", "Wilbur Ross", "humanitarian aid")
ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1")
# How often the memory of a command's processes is sampled. Each sample has the kernel walk the
# page tables of every process (3.6 ms of CPU for a cold build's three at 10,000 articles), on
# the cores the command runs on: sampled every 0.1 s, a cold generator took 11.48 and 11.62 s
# against 11.02 and 11.28 s unsampled (alternating, same hour). The peak is where pages are
# made, two seconds or more at 10,000 articles.
SAMPLE_EVERY = 0.5


@dataclass
class Run:
    seconds: float
    peak_rss_mb: float  # the largest single process of the command (its own or a child's)
    peak_memory_mb: float  # all its processes at once (proportional set size, sampled)
    stderr: str


def run(command: list[str]) -> Run:
    """Runs a command to the end; its wall time and its peak memory, both of its largest process
    and of all its processes together (workers, MkDocs shares, Pagefinds run side by side)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=REPO, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               text=True)
    ended, peak = threading.Event(), [0]

    def sample() -> None:
        while not ended.wait(SAMPLE_EVERY):
            peak[0] = max(peak[0], tree_pss_kb(process.pid))
    sampler = threading.Thread(target=sample)
    sampler.start()
    stderr = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    ended.set()
    sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{stderr}")
    return Run(seconds, usage.ru_maxrss / 1024, peak[0] / 1024, stderr)


def tree_pss_kb(root: int) -> int:
    """The proportional set size of a process and its descendants: pages they share (a forked
    worker's inherited memory) are counted once in all, where peak RSS counts them in each."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="utf-8") as handle:
                    parents[int(entry)] = int(handle.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
    tree, frontier = {root}, [root]
    while frontier:
        children = [pid for pid, parent in parents.items() if parent in frontier and pid not in tree]
        tree.update(children)
        frontier = children
    total = 0
    for pid in tree:
        try:
            with open(f"/proc/{pid}/smaps_rollup", encoding="utf-8") as handle:
                total += sum(int(line.split()[1]) for line in handle if line.startswith("Pss:"))
        except (OSError, ValueError, IndexError):
            continue
    return total


def snapshot(*folders: Path) -> dict[Path, int]:
    return {p: p.stat().st_mtime_ns for folder in folders if folder.exists()
            for p in folder.rglob("*") if p.is_file()}


def changed(before: dict[Path, int], after: dict[Path, int]) -> int:
    return sum(1 for path, mtime in after.items() if before.get(path) != mtime)


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def timing(stderr: str, name: str) -> float:
    found = re.search(rf"{name} ([\d.]+) s", stderr)
    return float(found.group(1)) if found else 0.0


# What the bench sets aside is deleted only after all its measurements (`main`). On ext4 without
# a journal, as here, the kernel avoids reusing an inode for 60 s after its deletion, and for
# 300 s while its block of the inode table is unwritten, which making files next to it keeps it:
# each file made in a group of inodes with thousands of such deletions passes over all of them
# (100 to 230 us a file here, against 12 to 25 us; fs/ext4/ialloc.c, recently_deleted).
TRASH = WORK / ".trash"
DELETIONS_SETTLE_S = 300


def set_aside(folder: Path) -> None:
    TRASH.mkdir(exist_ok=True)
    os.rename(folder, Path(tempfile.mkdtemp(dir=TRASH)) / folder.name)


def _deleted_marker() -> Path:
    """A file whose time is when the last run deleted what it set aside."""
    return TRASH.with_name(TRASH.name + "-deleted")


def delete_set_aside() -> None:
    if TRASH.exists():
        shutil.rmtree(TRASH, ignore_errors=True)
        _deleted_marker().touch()


def wait_for_deletions_to_settle() -> None:
    """A run started within five minutes of the last one's deletions would pay for them. Never
    longer than that: a clock set back since would otherwise make the wait as long."""
    marker = _deleted_marker()
    if marker.exists() and (left := min(marker.stat().st_mtime - time.time() + DELETIONS_SETTLE_S,
                                         DELETIONS_SETTLE_S)) > 0:
        print(f"waiting {left:.0f} s: the last run's deletions make new files slow until then "
              f"(see TRASH in {Path(__file__).name})", file=sys.stderr)
        time.sleep(left)


def prepare(count: int) -> Path:
    """A fresh project folder: N synthetic articles, the taxonomy, the hand-written pages, written
    to disk before anything is timed. The last run's folder is set aside, not deleted (TRASH)."""
    work = WORK / str(count)
    if work.exists():
        set_aside(work)
    write_corpus(work / "seeds", count)
    shutil.copy(REPO / "seeds" / "topics.yml", work / "seeds" / "topics.yml")
    (work / "docs").mkdir()
    for name in HAND_WRITTEN:
        source = REPO / "docs" / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, work / "docs" / name)
    os.sync()
    return work


def bench_size(count: int, search: bool) -> dict:
    work = prepare(count)
    seeds, docs, site = work / "seeds", work / "docs", work / "site"
    build = [sys.executable, "-m", "generator", "build", "--seeds", str(seeds), "--docs", str(docs),
             "--site", str(site)]
    text_bytes = sum(p.stat().st_size for p in seeds.glob("*.txt"))

    cold = run(build)
    bare = bare_mkdocs(docs)
    before = snapshot(docs, site, seeds)
    noop = run(build)
    noop_written = changed(before, snapshot(docs, site, seeds))

    edits = []
    for tag_file in sorted(seeds.glob("*.yml"))[1:3]:
        tag_file.write_text(tag_file.read_text(encoding="utf-8").replace("title:", "title: Edited -", 1),
                            encoding="utf-8")
        before = snapshot(docs)
        edits.append((run(build), changed(before, snapshot(docs))))
    (edit, edit_written), (edit_again, _) = edits

    bundles = [folder for folder in (site / "pagefind").iterdir() if folder.is_dir()]
    index_bytes = sum(folder_bytes(bundle / part) for bundle in bundles for part in ("index", "fragment", "filter"))
    index_bytes += sum(p.stat().st_size for bundle in bundles for p in bundle.glob("*.pf_meta"))
    reindexed = re.search(r"(\d+) of \d+ search bundles", edit.stderr)
    result = {
        "articles": count,
        "generator_cold_s": round(timing(cold.stderr, "generator"), 2),
        "generator_articles_per_s": round(count / max(timing(cold.stderr, "generator"), 1e-9), 1),
        "mkdocs_s": round(bare.seconds, 2),
        "search_index_s": round(timing(cold.stderr, "search index"), 2),
        "overhead_ratio": round((timing(cold.stderr, "generator") + bare.seconds) / bare.seconds, 3),
        "make_site_mkdocs_s": round(timing(cold.stderr, "mkdocs"), 2),  # one MkDocs a core (publish.py)
        "make_site_ratio": round(cold.seconds / bare.seconds, 3),  # all of `make site`, search index included
        "noop_s": round(noop.seconds, 2),
        "noop_articles_per_s": round(count / max(noop.seconds, 1e-9), 1),  # the whole `make site` doing nothing
        "noop_files_written": noop_written,
        "edit_files_written": edit_written,
        "edit_rebuild_s": round(edit.seconds, 2),
        "edit_again_s": round(edit_again.seconds, 2),
        "edit_again_parts_s": [round(timing(edit_again.stderr, part), 2) for part in ("generator", "mkdocs", "search index")],
        "edit_bundles_indexed": int(reindexed.group(1)) if reindexed else len(bundles),
        "search_bundles": len(bundles),
        "full_build_s": round(cold.seconds, 2),
        "search_index_ratio": round(index_bytes / text_bytes, 3),
        "site_mb": round(folder_bytes(site) / 2**20, 1),
        "site_kb_per_briefing": round(folder_bytes(site) / 1024 / max(count, 1), 1),
        "search_index_kb_per_briefing": round(index_bytes / 1024 / max(count, 1), 2),
        "peak_rss_mb": round(max(cold.peak_rss_mb, bare.peak_rss_mb, noop.peak_rss_mb, edit.peak_rss_mb, edit_again.peak_rss_mb)),
        "mkdocs_peak_rss_mb": round(bare.peak_rss_mb),  # the rest of the peak is the generator's or Pagefind's
        "peak_memory_mb": round(max(run.peak_memory_mb for run in (cold, noop, edit, edit_again))),
    }
    if search:
        from tests.search_bench import compare_search
        result.update(compare_search(site, docs, QUERIES))
    return result


def bare_mkdocs(docs: Path) -> Run:
    """`mkdocs build` of the same docs with the same configuration, and nothing else; its site
    is set aside with the rest (TRASH)."""
    TRASH.mkdir(exist_ok=True)
    scratch = Path(tempfile.mkdtemp(dir=TRASH))
    config = scratch / "mkdocs.yml"
    config.write_text(inherited_config(REPO / "mkdocs.yml", docs), encoding="utf-8")
    return run([sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(config),
                "--site-dir", str(scratch / "site")])


COLUMNS = ("articles", "generator_cold_s", "generator_articles_per_s", "mkdocs_s", "make_site_mkdocs_s",
           "search_index_s", "overhead_ratio", "full_build_s", "make_site_ratio", "noop_s", "noop_articles_per_s", "noop_files_written", "edit_rebuild_s", "edit_again_s",
           "edit_files_written", "site_mb", "search_index_ratio", "peak_rss_mb", "peak_memory_mb")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--no-search", action="store_true", help="skip the browser search comparison")
    args = parser.parse_args(argv)
    WORK.mkdir(exist_ok=True)
    wait_for_deletions_to_settle()
    try:
        results = [bench_size(count, not args.no_search) for count in sorted(args.sizes)]
    finally:
        delete_set_aside()
    print("| " + " | ".join(COLUMNS) + " |")
    print("|" + "---|" * len(COLUMNS))
    for result in results:
        print("| " + " | ".join(str(result[c]) for c in COLUMNS) + " |")
    search_columns = [k for k in results[-1] if k.startswith(("pagefind_", "material_"))]
    if search_columns:
        print()
        print("| articles | " + " | ".join(search_columns) + " |")
        print("|---|" + "---|" * len(search_columns))
        for result in results:
            print(f"| {result['articles']} | " + " | ".join(str(result.get(c, "")) for c in search_columns) + " |")
    print()
    for result in results:
        print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
