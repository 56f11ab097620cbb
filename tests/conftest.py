"""Shared fixtures: real files in temporary folders, the real generator, the real MkDocs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.build import build
from generator.gazetteer import load_gazetteer
from generator.publish import render_site
from generator.taxonomy import load_taxonomy

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
SAMPLES = REPO / "tests" / "corpus" / "samples"
ERDOGAN_CALL = "000_54f3c810c016e2fc"
PUTIN_CALL = "001_b24fd5140df5d674"


@pytest.fixture(scope="session")
def gazetteer():
    return load_gazetteer()


@pytest.fixture(scope="session")
def taxonomy():
    taxonomy, problems = load_taxonomy(SEEDS / "topics.yml")
    assert not problems
    return taxonomy


def copy_project(tmp: Path, with_tags: bool = True) -> tuple[Path, Path]:
    """A seeds folder and a docs folder (hand-written pages only) in tmp, like a fresh clone."""
    seeds, docs = tmp / "seeds", tmp / "docs"
    seeds.mkdir(parents=True)
    for path in SEEDS.iterdir():
        if path.suffix == ".txt" or path.name == "topics.yml" or (with_tags and path.suffix == ".yml"):
            shutil.copy(path, seeds / path.name)
    shutil.copytree(REPO / "docs", docs, ignore=shutil.ignore_patterns(
        "index.md", "briefings", "countries", "topics", "people"))
    return seeds, docs


def build_site(tmp: Path, seeds: Path, docs: Path) -> Path:
    build(seeds, docs)
    site = tmp / "site"
    render_site(REPO / "mkdocs.yml", docs, site)
    return site


@pytest.fixture(scope="session")
def seeds_site(tmp_path_factory):
    """The seeds built into a site once per test session."""
    tmp = tmp_path_factory.mktemp("seeds-site")
    seeds, docs = copy_project(tmp)
    return build_site(tmp, seeds, docs)


def edit_title(tag_file: Path) -> None:
    """An editor's edit of a tag file: "Edited - " put before its title."""
    tag_file.write_text(tag_file.read_text(encoding="utf-8").replace("title:", "title: Edited -", 1), encoding="utf-8")
