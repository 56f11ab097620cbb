"""Renders docs/ with MkDocs and indexes it with Pagefind in a fresh folder, then swaps it in,
so a failed render never replaces the last good site."""

from __future__ import annotations

import ctypes
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from generator.mkdocs_hooks import LINKED_DATA, SHARE
from generator.output import GENERATED, usual_mode, write_atomic
from generator.render import SEARCH_PLAN


THEME = Path(__file__).parent / "theme"
HOOKS = Path(__file__).parent / "mkdocs_hooks.py"
SEARCH = "pagefind"  # site/pagefind/<bundle>/, one Pagefind bundle each, and bundles.json
RAM_FOLDER = Path("/dev/shm")  # where Pagefind's pages are written when there is room (_scratch_for)
SEARCH_PAGES = ".site-search-"  # with the build's process number: a killed build's folder is found


@dataclass(frozen=True)
class RenderTimes:
    """Seconds spent in each tool, reported by the benchmark. A render of changed pages indexes
    for search while MkDocs runs: `search_s` is then the time of both."""
    mkdocs_s: float
    search_s: float
    changed_only: bool = False
    bundles_indexed: int = 0  # search bundles indexed afresh; the others were the live site's
    bundles: int = 0


def render_site(config: Path, docs: Path, site: Path, site_url: str | None = None,
                changed_only: bool = False) -> RenderTimes:
    """`mkdocs build --strict` and the Pagefind index into a sibling folder of `site`, then an
    atomic swap. `changed_only` says that since `site` was rendered nothing but generated pages
    changed (`state.site_frame`): the new site then starts from the spare (`_spare`), the site
    before the live one or, after a whole render, links to its pages (`_copy_for_rendering`,
    made while Pagefind indexes); MkDocs renders only the pages whose Markdown is newer than
    their HTML, those of deleted pages are removed, and only the search bundles whose pages
    changed are indexed again."""
    site = site.resolve()
    site.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(site)
    staging = Path(tempfile.mkdtemp(prefix=".site-new-", dir=site.parent))
    spare = _spare(site)
    if changed_only and spare.is_dir():
        staging.rmdir()
        os.rename(spare, staging)  # in use: a build killed from here on leaves a leftover, not a spare
    else:
        if spare.is_dir():  # never a half-deleted spare for a later render to start from
            discarded = staging.with_name(staging.name + "-discarded")
            os.rename(spare, discarded)
            shutil.rmtree(discarded, ignore_errors=True)
        staging.chmod(usual_mode(0o777))
    derived = staging.with_name(staging.name + ".yml")
    linked = staging.with_name(staging.name + "-linked")  # a whole render's spare, as it is made
    settings = inherited_config(config, docs, site_url)
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    try:
        started = time.perf_counter()
        if changed_only and (site / "index.html").is_file():
            with _Beside(lambda: _render_changed(settings, derived, docs, staging, site, env)) as rendering:
                bundles_indexed, bundles = _index_for_search(docs, staging, site, env, spare_cores=1)
            changed_only, mkdocs_s = rendering.result, rendering.seconds
        else:
            changed_only = False
        if not changed_only:
            _empty(staging)
            write_atomic(derived, settings)
            _render_whole(derived, docs, staging, env)
            mkdocs_s = time.perf_counter() - started
            with _Beside(lambda: _link_spare(staging, linked)):
                bundles_indexed, bundles = _index_for_search(docs, staging, None, env)
        search_s = time.perf_counter() - started - (0 if changed_only else mkdocs_s)
        _swap(staging, site, spare if changed_only else None)
        if not changed_only and linked.is_dir():
            os.rename(linked, spare)
        return RenderTimes(mkdocs_s, search_s, changed_only, bundles_indexed, bundles)
    finally:
        derived.unlink(missing_ok=True)
        for folder in (staging, linked):
            if folder.exists():
                shutil.rmtree(folder, ignore_errors=True)


class _Beside:
    """A call run in a thread while the search index is made (it mostly waits for MkDocs, or
    for the kernel), keeping its result and its time; its exception is raised on leaving."""

    def __init__(self, call):
        self._call, self.result, self.seconds, self._error = call, None, 0.0, None
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        started = time.perf_counter()
        try:
            self.result = self._call()
        except BaseException as error:
            self._error = error
        self.seconds = time.perf_counter() - started

    def __enter__(self) -> "_Beside":
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._thread.join()
        if self._error is not None:
            raise self._error


SHARED_FROM = 500  # pages: below this, starting more than one MkDocs costs more than it saves


def _render_whole(derived: Path, docs: Path, staging: Path, env: dict[str, str]) -> None:
    """`mkdocs build --strict`; for a large site, one MkDocs on each core, each writing its
    share of the pages (mkdocs_hooks.SHARE), since MkDocs itself runs on one."""
    # Not --quiet: it silences the warnings before strict mode counts them.
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(derived),
               "--site-dir", str(staging)]
    shares = _shares(docs)
    if shares < 2:
        _run(command, env)
        return
    _run_together([(command + ["--dirty"], dict(env, **{SHARE: f"{number}/{shares}"}))
                   for number in range(shares)])


def _shares(docs: Path) -> int:
    """How many MkDocs processes render a whole site: one per core, or one for a small site."""
    return len(os.sched_getaffinity(0)) if sum(1 for _ in docs.rglob("*.md")) >= SHARED_FROM else 1


def _render_changed(settings: str, derived: Path, docs: Path, staging: Path, site: Path,
                    env: dict[str, str]) -> bool:
    """`mkdocs build --dirty` over the live site's files (linked or copied with their times, by
    which MkDocs tells a changed page). MkDocs calls its own notice that a dirty build may be
    inaccurate a warning, so strict mode is off here; any other warning returns False, and the
    caller's full strict build reports it properly."""
    if not (staging / "index.html").is_file():  # else the spare: the site as it was before the live one
        _copy_for_rendering(site, staging)
    _remove_pages_without_source(staging, docs)
    write_atomic(derived, settings + "strict: false\n")
    result = _tool([sys.executable, "-m", "mkdocs", "build", "--dirty",
                    "--config-file", str(derived), "--site-dir", str(staging)], env)
    warnings = [line for line in result.stderr.splitlines()
                if line.startswith("WARNING") and "'dirty' build" not in line]
    return result.returncode == 0 and not warnings


def _copy_for_rendering(site: Path, staging: Path) -> None:
    """The live site but its search index, as MkDocs --dirty will update it. The generated pages'
    HTML and the data files are linked, not copied (most of the site's bytes): MkDocs writes one
    only after the hooks unlinked it (mkdocs_hooks.on_post_page, LINKED_DATA), so the live site
    is never written through; other files, which MkDocs may overwrite in place, are copied."""
    for folder, dirs, files in os.walk(site):
        here = Path(folder)
        if here == site and SEARCH in dirs:
            dirs.remove(SEARCH)
        target = staging / here.relative_to(site)
        target.mkdir(exist_ok=True)
        top = here.relative_to(site).parts[:1]
        generated = not top or top[0] in GENERATED
        for name in files:
            linked = generated and (name == "index.html" or top == (LINKED_DATA,))
            (os.link if linked else shutil.copy2)(here / name, target / name)


def _link_spare(site: Path, spare: Path) -> None:
    """A spare for the next edit: only a saving, so a disk that refuses it (full, or out of
    inodes) costs that saving, not the build."""
    try:
        _copy_for_rendering(site, spare)
    except OSError:
        shutil.rmtree(spare, ignore_errors=True)


def _remove_pages_without_source(site: Path, docs: Path) -> None:
    """The output of generated pages that are gone from docs/ (a deleted article's briefing, a
    person no longer named): a dirty build would leave it in place. The generated single files
    (index.md, feed.xml) are written by every build. A page's folder (use_directory_urls: NAME.md
    or NAME/index.md gives NAME/index.html) is looked into only when its page is gone, or when it
    holds other sources: the 10,000 folders of the kept briefings are not listed (1 s)."""
    sources = {Path(root, name).relative_to(docs).as_posix()
               for folder in GENERATED for root, _, names in os.walk(docs / folder) for name in names}
    holding = {parent.as_posix() for source in sources for parent in PurePosixPath(source).parents}
    emptied = []
    for folder in GENERATED:
        for root, dirs, names in os.walk(site / folder):
            here = Path(root)
            page = here.relative_to(site).as_posix()
            dirs[:] = [name for name in dirs if f"{page}/{name}" in holding
                       or not ({f"{page}/{name}.md", f"{page}/{name}/index.md"} & sources)]
            for name in names:
                if name == "index.html":
                    kept = f"{page}/index.md" in sources or f"{page}.md" in sources
                else:
                    kept = f"{page}/{name}" in sources
                if not kept:
                    (here / name).unlink()
            emptied.append(here)
    for here in reversed(emptied):  # a folder after what it holds
        try:
            here.rmdir()  # only when nothing is left in it
        except OSError:
            pass


def inherited_config(config: Path, docs: Path, site_url: str | None = None, theme: Path = THEME) -> str:
    """A configuration that inherits `config` for other docs. MkDocs reads relative paths from
    the new file's folder, so the theme overrides and the hooks are given whole."""
    settings = (f"INHERIT: {config.resolve()}\ndocs_dir: {docs.resolve()}\n"
                f"theme:\n  custom_dir: {json.dumps(str(theme))}\n"
                f"hooks:\n  - {json.dumps(str(HOOKS))}\n")
    if site_url:
        settings += f"site_url: {json.dumps(site_url)}\n"
    return settings


def _spare(site: Path) -> Path:
    """Where the site before the live one (or one of links to the live one's pages) is kept for
    the next render of changed pages, which renders into it what changed since, instead of
    linking 10,000 pages into a new folder and deleting the old one afterwards."""
    return site.with_name(f".site-spare-{site.name}")


def _empty(folder: Path) -> None:
    for entry in os.scandir(folder):
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path)
        else:
            os.unlink(entry.path)


def remove_leftovers(site: Path) -> None:
    """Staging folders and configurations of a render that was killed (a spare is no leftover),
    and the search pages a killed build left in the RAM folder."""
    for leftover in RAM_FOLDER.glob(f"{SEARCH_PAGES}*-*"):
        owner = leftover.name[len(SEARCH_PAGES):].split("-")[0]
        if owner.isdigit() and not _running(int(owner)):
            shutil.rmtree(leftover, ignore_errors=True)
    for leftover in site.resolve().parent.glob(".site-*"):
        if leftover.name.startswith(".site-spare-"):
            continue
        if leftover.is_dir():
            shutil.rmtree(leftover, ignore_errors=True)
        else:
            leftover.unlink(missing_ok=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's
        return True
    return True


def _index_for_search(docs: Path, staging: Path, live: Path | None, env: dict[str, str],
                      spare_cores: int = 0) -> tuple[int, int]:
    """The search index, site/pagefind/: one Pagefind bundle for each run of briefings the
    index planned (`SEARCH_PLAN`), indexed on its own so that Pagefind holds one bundle's pages
    at a time, and a list of them, newest first, for search.js to merge. Pagefind reads the
    briefings' Markdown, whose indexed blocks are the HTML's, so that it needs no page MkDocs
    renders meanwhile (`_Beside`); the first bundles leave that work `spare_cores` (MkDocs
    rendering an edit's pages needs one; linking a whole render's pages into the spare, mostly
    the kernel's work, none). With `live`, the site that `staging` was rendered from, a bundle
    whose briefings and blocks are unchanged is taken from it as it is: linked, or kept where
    `staging` (the spare site) holds the same bundle already, which saves creating and deleting
    ten thousand links an edit. Returns how many bundles were indexed, and of how many."""
    plan, previous = _search_plan(docs), _search_plan(live) if live else ()
    search = staging / SEARCH
    search.mkdir(exist_ok=True)
    for stray in search.iterdir():  # the spare's list and any bundle beyond the plan
        if not (stray.is_dir() and stray.name.isdigit() and int(stray.name) < len(plan)):
            (shutil.rmtree if stray.is_dir() else os.unlink)(stray)
    to_index = []
    for number, slugs in enumerate(plan):
        bundle, old = search / str(number), live / SEARCH / str(number) if live else None
        if old and number < len(previous) and previous[number] == slugs and (old / "pagefind.js").is_file() \
                and not _pages_changed(docs, live, slugs):
            if not _same_bundle(bundle, old):
                shutil.rmtree(bundle, ignore_errors=True)
                shutil.copytree(old, bundle, copy_function=os.link)  # never written in place: links are safe
        else:
            shutil.rmtree(bundle, ignore_errors=True)
            to_index.append((slugs, bundle))
    language = _language(live or staging)
    cores = len(os.sched_getaffinity(0))
    first = max(cores - spare_cores, 1)  # the first batch leaves `spare_cores` to the work beside it
    _index_bundles(docs, staging.parent, to_index[:first], language, env)
    for start in range(first, len(to_index), cores):
        _index_bundles(docs, staging.parent, to_index[start:start + cores], language, env)
    write_atomic(staging / SEARCH / "bundles.json",
                 json.dumps({"bundles": [f"{number}/" for number in reversed(range(len(plan)))]}) + "\n")
    return len(to_index), len(plan)


def _same_bundle(bundle: Path, other: Path) -> bool:
    """Pagefind's entry file names the hash of the bundle's index, whose files are named by
    their content: the same entry, the same bundle."""
    try:
        return (bundle / "pagefind-entry.json").read_bytes() == (other / "pagefind-entry.json").read_bytes()
    except OSError:
        return False


def _search_plan(folder: Path) -> tuple[tuple[str, ...], ...]:
    """The bundles' briefings as the folder's copy of `SEARCH_PLAN` lists them (docs/ or a site);
    without one, every briefing of docs/ in one bundle."""
    try:
        return tuple(tuple(slugs) for slugs in json.loads((folder / SEARCH_PLAN).read_text(encoding="utf-8"))["bundles"])
    except (OSError, ValueError, KeyError, TypeError):
        slugs = tuple(sorted(p.stem for p in folder.glob("briefings/*.md")))
        return (slugs,) if slugs else ()


def _pages_changed(docs: Path, live: Path, slugs: tuple[str, ...]) -> bool:
    """Whether what Pagefind reads of these briefings changed since the live site was rendered:
    a page written since (newer than its HTML, as MkDocs tells one) often differs only outside
    the indexed blocks (a related briefing's new title)."""
    for slug in slugs:
        source, page = _briefing_source(docs, slug), _briefing_page(live, slug)
        try:
            written, rendered = os.stat(source).st_mtime_ns, os.stat(page).st_mtime_ns
        except FileNotFoundError:
            return True
        if written >= rendered and _indexed_blocks(source) != _indexed_blocks(page):
            return True
    return False


# What Pagefind reads of a briefing's page: its two data-pagefind-body blocks, the search record
# (render.search_facets) and the original text (briefing.md.j2), neither holding another div.
# They are verbatim HTML in the Markdown (mkdocs_hooks.VERBATIM), the same bytes in the page.
_INDEXED = re.compile(rb'<div class="(?:search-record|original-text)"[^>]*data-pagefind-body>.*?</div>', re.S)


def _indexed_blocks(path: Path) -> list[bytes]:
    try:
        return _INDEXED.findall(path.read_bytes())
    except FileNotFoundError:
        return []


_LANGUAGE = re.compile(rb'<html[^>]*? lang="([^"]*)"')


def _language(site: Path) -> bytes:
    """The pages' language (the theme's), by which Pagefind stems the words."""
    try:
        found = _LANGUAGE.search((site / "index.html").read_bytes()[:4096])
    except FileNotFoundError:
        found = None
    return found.group(1) if found else b"en"


def _search_page(blocks: list[bytes], language: bytes) -> bytes:
    """What Pagefind reads of a briefing's page: its language and its indexed blocks. Pagefind
    then parses a tenth of the bytes, and makes the same records (tests/test_render.py)."""
    return (b'<!DOCTYPE html>\n<html lang="' + language + b'">\n<head><meta charset="utf-8"></head>\n<body>\n'
            + b"\n".join(blocks) + b"\n</body>\n</html>\n")


def _briefing_page(site: Path, slug: str) -> Path:
    return site / "briefings" / slug / "index.html"


def _briefing_source(docs: Path, slug: str) -> Path:
    return docs / "briefings" / f"{slug}.md"


def _index_bundles(docs: Path, scratch: Path, bundles: list[tuple[tuple[str, ...], Path]], language: bytes,
                   env: dict[str, str]) -> None:
    """Pagefind over each bundle's briefings, one process a bundle, side by side (Pagefind indexes
    on one core). A bundle's pages are in a folder laid out like the site, so the results'
    addresses are the pages' own; each Pagefind starts once its folder is written. Only
    briefings are indexed (data-pagefind-body): the index pages would take a quarter of
    Pagefind's time."""
    folders: list[Path] = []

    def written(pages: dict[str, bytes], where: Path) -> Path:
        folder = Path(tempfile.mkdtemp(prefix=f"{SEARCH_PAGES}{os.getpid()}-", dir=where))
        try:
            for slug, page in pages.items():
                _briefing_page(folder, slug).parent.mkdir(parents=True)
                _briefing_page(folder, slug).write_bytes(page)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        folders.append(folder)
        return folder

    def commands():
        for slugs, bundle in bundles:
            pages = _search_pages(docs, slugs, language)
            where = _scratch_for(pages, scratch)
            try:
                folder = written(pages, where)
            except OSError:  # the RAM folder filled up meanwhile
                if where == scratch:
                    raise
                folder = written(pages, scratch)
            yield ([sys.executable, "-m", "pagefind", "--site", str(folder), "--glob", "briefings/*/index.html",
                    "--output-path", str(bundle), "--silent"], env)
    try:
        _run_together(commands())
    finally:
        for folder in folders:
            shutil.rmtree(folder, ignore_errors=True)
    for _, bundle in bundles:
        _drop_unused_search_ui(bundle)


def _search_pages(docs: Path, slugs: tuple[str, ...], language: bytes) -> dict[str, bytes]:
    pages = {}
    for slug in slugs:
        blocks = _indexed_blocks(_briefing_source(docs, slug))
        if len(blocks) != 2:
            raise RenderError(f"{_briefing_source(docs, slug)}: the generated page lacks its search "
                              "blocks; run the build again, which writes it anew")
        pages[slug] = _search_page(blocks, language)
    return pages


def _scratch_for(pages: dict[str, bytes], scratch: Path) -> Path:
    """Where Pagefind's pages are written: in memory when the system has a RAM folder with room
    to spare (a thousand small files cost this machine's disk 0.06 to 0.6 s to create and 0.1 s
    to delete, against 0.03 s and 0.02 s), else beside the site."""
    try:
        if shutil.disk_usage(RAM_FOLDER).free > 4 * (sum(map(len, pages.values())) + 4096 * len(pages)) \
                and os.access(RAM_FOLDER, os.W_OK):
            return RAM_FOLDER
    except OSError:
        pass
    return scratch


def _drop_unused_search_ui(bundle: Path) -> None:
    """Pagefind ships three ready-made interfaces; the site has its own (docs/assets/search.js)."""
    for name in ("pagefind-ui", "pagefind-modular-ui", "pagefind-component-ui"):
        for suffix in (".js", ".css"):
            (bundle / f"{name}{suffix}").unlink(missing_ok=True)


class RenderError(Exception):
    """MkDocs or Pagefind refused the generated pages; the previous site is still in place."""


def _run(command: list[str], env: dict[str, str]) -> None:
    _run_together([(command, env)])


def _run_together(commands: Iterable[tuple[list[str], dict[str, str]]]) -> None:
    """The commands at the same time, each started as it is taken from `commands`; RenderError
    with what the failed ones said, each line once (the shares of one build report the same
    problem in the configuration alike)."""
    said: dict[str, None] = {}
    for result in _tools(commands):
        if result.returncode != 0:
            output = result.stderr.strip() or result.stdout.strip()
            said.update(dict.fromkeys(line for line in output.splitlines() if not line.startswith("INFO")))
    if said:
        raise RenderError("\n".join(said))


def _tool(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return _tools([(command, env)])[0]


def _tools(commands: Iterable[tuple[list[str], dict[str, str]]]) -> list[subprocess.CompletedProcess]:
    """Runs the commands side by side, their output in files (a pipe each would need a reader);
    if taking the next command fails, the started ones are stopped."""
    started = []
    try:
        for command, env in commands:
            output, errors = tempfile.TemporaryFile(), tempfile.TemporaryFile()
            process = subprocess.Popen(command, env=env, stdout=output, stderr=errors,
                                       preexec_fn=_die_with_parent if sys.platform == "linux" else None)
            started.append((command, process, output, errors))
    except BaseException:
        for _, process, output, errors in started:
            process.kill()
            process.wait()
            output.close()
            errors.close()
        raise
    results = []
    for command, process, output, errors in started:
        process.wait()
        texts = []
        for handle in (output, errors):
            handle.seek(0)
            texts.append(handle.read().decode("utf-8", "replace"))
            handle.close()
        results.append(subprocess.CompletedProcess(command, process.returncode, *texts))
    return results


def _die_with_parent() -> None:
    """Run in MkDocs' and Pagefind's processes before they start: a build that is killed takes
    them with it, so that they cannot go on writing into a folder the next build cleared."""
    ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _swap(new: Path, site: Path, spare: Path | None) -> None:
    """`new` becomes the site; the old one is deleted, or kept as the `spare`."""
    old = site.with_name(f".site-old-{os.getpid()}")
    if site.exists():
        os.rename(site, old)
    os.rename(new, site)
    if not old.exists():
        return
    if spare is not None:
        try:
            os.rename(old, spare)
            return
        except OSError:  # a spare the last render could not remove: the site is in place all the same
            pass
    shutil.rmtree(old, ignore_errors=True)
