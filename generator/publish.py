"""Renders docs/ with MkDocs into a fresh folder and swaps it in, so a failed render never
replaces the last good site."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from generator.output import write_atomic


def render_site(config: Path, docs: Path, site: Path, site_url: str | None = None) -> None:
    """`mkdocs build --strict` into a sibling folder of `site`, then an atomic swap."""
    site = site.resolve()
    site.parent.mkdir(parents=True, exist_ok=True)
    for leftover in site.parent.glob(".site-*"):  # from a run that was killed
        if leftover.is_dir():
            shutil.rmtree(leftover, ignore_errors=True)
        else:
            leftover.unlink(missing_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".site-new-", dir=site.parent))
    derived = staging.with_name(staging.name + ".yml")
    settings = f"INHERIT: {config.resolve()}\ndocs_dir: {docs.resolve()}\n"
    if site_url:
        settings += f"site_url: {json.dumps(site_url)}\n"
    write_atomic(derived, settings)
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    try:
        result = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet",
             "--config-file", str(derived), "--site-dir", str(staging)],
            env=env, text=True, capture_output=True)
        if result.returncode != 0:
            raise RenderError(result.stderr.strip() or result.stdout.strip())
        _swap(staging, site)
    finally:
        derived.unlink(missing_ok=True)
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


class RenderError(Exception):
    """MkDocs refused the generated pages; the previous site is still in place."""


def _swap(new: Path, site: Path) -> None:
    old = site.with_name(f".site-old-{os.getpid()}")
    if site.exists():
        os.rename(site, old)
    os.rename(new, site)
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)
