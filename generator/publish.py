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

from generator.output import usual_mode, write_atomic


THEME = Path(__file__).parent / "theme"
HOOKS = Path(__file__).parent / "mkdocs_hooks.py"


@dataclass(frozen=True)
class RenderTimes:
    """Seconds spent in each tool, reported by the benchmark."""
    mkdocs_s: float
    search_s: float


def render_site(config: Path, docs: Path, site: Path, site_url: str | None = None) -> RenderTimes:
    """`mkdocs build --strict` and the Pagefind index into a sibling folder of `site`, then an
    atomic swap."""
    site = site.resolve()
    site.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(site)
    staging = Path(tempfile.mkdtemp(prefix=".site-new-", dir=site.parent))
    staging.chmod(usual_mode(0o777))
    derived = staging.with_name(staging.name + ".yml")
    write_atomic(derived, inherited_config(config, docs, site_url))
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    try:
        started = time.perf_counter()
        _run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet",
              "--config-file", str(derived), "--site-dir", str(staging)], env)
        rendered = time.perf_counter()
        _run([sys.executable, "-m", "pagefind", "--site", str(staging), "--silent"], env)
        _drop_unused_search_ui(staging / "pagefind")
        indexed = time.perf_counter()
        _swap(staging, site)
        return RenderTimes(mkdocs_s=rendered - started, search_s=indexed - rendered)
    finally:
        derived.unlink(missing_ok=True)
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


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
        raise RenderError(result.stderr.strip() or result.stdout.strip())


def _swap(new: Path, site: Path) -> None:
    old = site.with_name(f".site-old-{os.getpid()}")
    if site.exists():
        os.rename(site, old)
    os.rename(new, site)
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)
