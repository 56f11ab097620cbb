"""Generated pages: written only when changed, stale ones removed, hand-written ones untouched."""

from __future__ import annotations

import io
import os
import stat

from generator.build import build
from tests.conftest import ERDOGAN_CALL, PUTIN_CALL, build_site, copy_project


def test_rebuild_without_changes_writes_nothing(tmp_path):
    seeds, docs = copy_project(tmp_path)
    first = build(seeds, docs)
    assert first.written.written > 0
    again = build(seeds, docs)
    assert (again.written.written, again.written.removed) == (0, 0)


def test_a_generated_page_changed_by_hand_is_made_again(tmp_path):
    """Pages are compared with a record of what was written, not read again; a page that is not
    as recorded is compared with the file itself."""
    seeds, docs = copy_project(tmp_path)
    build(seeds, docs)
    page = docs / "briefings" / f"{ERDOGAN_CALL}.md"
    made = page.read_bytes()
    page.write_bytes(made.upper())
    assert build(seeds, docs).written.written == 1
    assert page.read_bytes() == made
    mtime = page.stat().st_mtime_ns
    os.utime(page, ns=(mtime + 10**9, mtime + 10**9))
    assert build(seeds, docs).written.written == 0


def test_a_page_left_half_written_by_a_killed_first_build_is_written_whole_by_the_next(tmp_path):
    """A first build writes each new page in place, without a temporary file: killed meanwhile,
    it leaves a page cut short and no record, and the next build finds the page not as made."""
    seeds, docs = copy_project(tmp_path)
    build(seeds, docs)
    page = docs / "briefings" / f"{ERDOGAN_CALL}.md"
    made = page.read_bytes()
    (tmp_path / ".cache" / "pages.pickle").unlink()
    page.write_bytes(made[: len(made) // 2])
    assert build(seeds, docs).written.written == 1
    assert page.read_bytes() == made


def test_pages_deleted_by_hand_with_their_folder_are_written_again_in_a_new_one(tmp_path):
    """A page not there before the build is written without looking for its file, and its
    folder is made only when the file cannot be made without it."""
    seeds, docs = copy_project(tmp_path)
    build(seeds, docs)
    made = {path: path.read_bytes() for path in (docs / "briefings").iterdir()}
    for path in made:
        path.unlink()
    (docs / "briefings").rmdir()
    assert build(seeds, docs).written.written == len(made)
    assert {path: path.read_bytes() for path in (docs / "briefings").iterdir()} == made


def test_pages_of_a_deleted_article_disappear(tmp_path):
    seeds, docs = copy_project(tmp_path)
    build(seeds, docs)
    assert (docs / "countries" / "tr.md").exists()
    (seeds / f"{ERDOGAN_CALL}.txt").unlink()
    result = build(seeds, docs)
    assert not (docs / "briefings" / f"{ERDOGAN_CALL}.md").exists()
    assert not (docs / "countries" / "tr.md").exists()  # only the Erdogan call mentioned Türkiye
    assert (docs / "briefings" / f"{PUTIN_CALL}.md").exists()
    assert result.written.removed >= 2


def test_hand_written_pages_are_never_touched(tmp_path):
    seeds, docs = copy_project(tmp_path)
    about = docs / "about.md"
    about.write_text("my own words\n")
    build(seeds, docs)
    assert about.read_text() == "my own words\n"


def test_same_input_gives_the_same_bytes(tmp_path):
    seeds, docs = copy_project(tmp_path / "a")
    seeds_b, docs_b = copy_project(tmp_path / "b")
    build(seeds, docs)
    build(seeds_b, docs_b)
    pages = sorted(p.relative_to(docs) for p in docs.rglob("*.md"))
    assert pages == sorted(p.relative_to(docs_b) for p in docs_b.rglob("*.md"))
    for page in pages:
        assert (docs / page).read_bytes() == (docs_b / page).read_bytes()


def test_site_pages_and_tag_files_are_readable_as_the_umask_allows(tmp_path):
    previous = os.umask(0o022)
    try:
        seeds, docs = copy_project(tmp_path)
        (seeds / f"{PUTIN_CALL}.yml").unlink()
        site = build_site(tmp_path, seeds, docs)
    finally:
        os.umask(previous)
    assert stat.S_IMODE(site.stat().st_mode) == 0o755  # a web server running as another user reads it
    assert stat.S_IMODE((docs / "briefings" / f"{PUTIN_CALL}.md").stat().st_mode) == 0o644
    assert stat.S_IMODE((seeds / f"{PUTIN_CALL}.yml").stat().st_mode) == 0o644


def test_pages_and_tag_files_are_written_whole_when_a_write_takes_fewer_bytes(tmp_path, monkeypatch):
    """As when a disk fills up: os.write may take only part of what it is given."""
    real_write = os.write
    monkeypatch.setattr(os, "write", lambda fd, data: real_write(fd, bytes(data[:7])))
    seeds, docs = copy_project(tmp_path, with_tags=False)
    build(seeds, docs, log=io.StringIO())
    monkeypatch.undo()
    fresh_seeds, fresh_docs = copy_project(tmp_path / "fresh", with_tags=False)
    build(fresh_seeds, fresh_docs, log=io.StringIO())
    for page in fresh_docs.rglob("*.md"):
        assert (docs / page.relative_to(fresh_docs)).read_bytes() == page.read_bytes()
    for tag_file in fresh_seeds.glob("*.yml"):
        assert (seeds / tag_file.name).read_bytes() == tag_file.read_bytes()
