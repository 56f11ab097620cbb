"""Renders docs/ with MkDocs and indexes it with Pagefind in a fresh folder, then swaps it in,
so a failed render never replaces the last good site."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from generator.output import GENERATED, usual_mode, write_atomic


THEME = Path(__file__).parent / "theme"
HOOKS = Path(__file__).parent / "mkdocs_hooks.py"


@dataclass(frozen=True)
class RenderTimes:
    """Seconds spent in each tool, reported by the benchmark."""
    mkdocs_s: float
    search_s: float
    changed_only: bool = False


def render_site(config: Path, docs: Path, site: Path, site_url: str | None = None,
                changed_only: bool = False) -> RenderTimes:
    """`mkdocs build --strict` and the Pagefind index into a sibling folder of `site`, then an
    atomic swap. `changed_only` says that since `site` was rendered nothing but generated pages
    changed (`state.site_frame`): the new site then starts as a copy of it, MkDocs renders only
    the pages whose Markdown is newer than their HTML, and those of deleted pages are removed."""
    site = site.resolve()
    site.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(site)
    staging = Path(tempfile.mkdtemp(prefix=".site-new-", dir=site.parent))
    staging.chmod(usual_mode(0o777))
    derived = staging.with_name(staging.name + ".yml")
    settings = inherited_config(config, docs, site_url)
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    try:
        started = time.perf_counter()
        changed_only = changed_only and _render_changed(settings, derived, docs, staging, site, env)
        if not changed_only:
            write_atomic(derived, settings)
            # Not --quiet: it silences the warnings before strict mode counts them.
            _run([sys.executable, "-m", "mkdocs", "build", "--strict",
                  "--config-file", str(derived), "--site-dir", str(staging)], env)
        rendered = time.perf_counter()
        # Only briefings are indexed (data-pagefind-body): reading the index pages too took a
        # quarter of Pagefind's time at 10,000 briefings.
        _run([sys.executable, "-m", "pagefind", "--site", str(staging), "--glob", "briefings/*/index.html",
              "--silent"], env)
        _drop_unused_search_ui(staging / "pagefind")
        indexed = time.perf_counter()
        _swap(staging, site)
        return RenderTimes(rendered - started, indexed - rendered, changed_only)
    finally:
        derived.unlink(missing_ok=True)
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def _render_changed(settings: str, derived: Path, docs: Path, staging: Path, site: Path,
                    env: dict[str, str]) -> bool:
    """`mkdocs build --dirty` over a copy of the live site (the copy keeps the files' times, by
    which MkDocs tells a changed page). MkDocs calls its own notice that a dirty build may be
    inaccurate a warning, so strict mode is off here; any other warning returns False, and the
    caller's full strict build reports it properly."""
    if not (site / "index.html").is_file():
        return False
    shutil.copytree(site, staging, dirs_exist_ok=True)
    shutil.rmtree(staging / "pagefind", ignore_errors=True)
    _remove_pages_without_source(staging, docs)
    write_atomic(derived, settings + "strict: false\n")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--dirty",
                             "--config-file", str(derived), "--site-dir", str(staging)],
                            env=env, text=True, capture_output=True)
    warnings = [line for line in result.stderr.splitlines()
                if line.startswith("WARNING") and "'dirty' build" not in line]
    return result.returncode == 0 and not warnings


def _remove_pages_without_source(site: Path, docs: Path) -> None:
    """The output of generated pages that are gone from docs/ (a deleted article's briefing, a
    person no longer named): a dirty build would leave it in place. The generated single files
    (index.md, feed.xml) are written by every build."""
    for folder in (site / name for name in GENERATED if (site / name).is_dir()):
        for path in sorted(folder.rglob("*"), reverse=True):  # a folder after what it holds
            relative = path.relative_to(site)
            if path.is_dir():
                if not any(path.iterdir()):
                    path.rmdir()
            elif path.name == "index.html":  # use_directory_urls: NAME.md or NAME/index.md
                page = relative.parent
                if not (docs / page / "index.md").is_file() and not (docs / page.parent / f"{page.name}.md").is_file():
                    path.unlink()
            elif not (docs / relative).is_file():
                path.unlink()


def inherited_config(config: Path, docs: Path, site_url: str | None = None, theme: Path = THEME) -> str:
    """A configuration that inherits `config` for other docs. MkDocs reads relative paths from
    the new file's folder, so the theme overrides and the hooks are given whole."""
    settings = (f"INHERIT: {config.resolve()}\ndocs_dir: {docs.resolve()}\n"
                f"theme:\n  custom_dir: {json.dumps(str(theme))}\n"
                f"hooks:\n  - {json.dumps(str(HOOKS))}\n")
    if site_url:
        settings += f"site_url: {json.dumps(site_url)}\n"
    return settings


def remove_leftovers(site: Path) -> None:
    """Staging folders and configurations of a render that was killed."""
    for leftover in site.resolve().parent.glob(".site-*"):
        if leftover.is_dir():
            shutil.rmtree(leftover, ignore_errors=True)
        else:
            leftover.unlink(missing_ok=True)


def _drop_unused_search_ui(bundle: Path) -> None:
    """Pagefind ships three ready-made interfaces; the site has its own (docs/assets/search.js)."""
    for name in ("pagefind-ui", "pagefind-modular-ui", "pagefind-component-ui"):
        for suffix in (".js", ".css"):
            (bundle / f"{name}{suffix}").unlink(missing_ok=True)


class RenderError(Exception):
    """MkDocs or Pagefind refused the generated pages; the previous site is still in place."""


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, text=True, capture_output=True)
    if result.returncode != 0:
        said = result.stderr.strip() or result.stdout.strip()
        raise RenderError("\n".join(line for line in said.splitlines() if not line.startswith("INFO")))


def _swap(new: Path, site: Path) -> None:
    old = site.with_name(f".site-old-{os.getpid()}")
    if site.exists():
        os.rename(site, old)
    os.rename(new, site)
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)
