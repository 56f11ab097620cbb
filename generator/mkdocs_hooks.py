"""MkDocs hooks (`hooks:` in the MkDocs configuration) that keep its memory flat, keep a
render that starts from the live site's pages from writing into them, pass the generator's
ready-made HTML by Markdown, and let several MkDocs processes share one build.

MkDocs converts every page before it writes any, and keeps each page's Markdown and HTML until
the build ends: 2.6 GB at 10,000 briefings, most of it text stored four bytes a character
because of the flags' emoji. The Markdown is not needed once converted, and the HTML only while
its own page is written, so it waits compressed until then."""

from __future__ import annotations

import logging
import os
import re
import shutil
import zlib
from pathlib import Path

from mkdocs.plugins import event_priority

# The generator's own HTML (briefing lists, an article's text; escaped where it is made) between
# these lines is the same HTML after Markdown, which would still parse every tag of it: the
# lists on the big topic pages are megabytes, and most of a briefing page is its text.
VERBATIM = ("<!-- verbatim -->\n", "<!-- /verbatim -->\n")
_VERBATIM_BLOCK = re.compile(rf"^{VERBATIM[0]}(.*?)^{VERBATIM[1]}", re.S | re.M)
_HELD_BLOCK = re.compile(r"<!-- verbatim (\d+) -->")

# MkDocs renders on one core. With SHARE set to "k/n", this process is the k-th of n that build
# one site together, each `mkdocs build --dirty` into the same empty folder: it converts and
# writes only its share of the pages (`_owners`), and only the first copies the theme's files
# and writes sitemap.xml and 404.html. Each page's HTML depends on its own Markdown and on the
# configuration alone (the nav lists a few index pages, whose titles every share reads), so the
# pages are the ones one process writes.
SHARE = "BRIEFINGS_MKDOCS_SHARE"
_PAGE_COST = 20_000  # what rendering a page costs besides its Markdown, in bytes of Markdown

# The generator's data files (the JSON export: 70 MB at 10,000 briefings) are only ever replaced
# whole, never written in place (output.py), so the site links to them instead of copying.
LINKED_DATA = "data"  # the folder

_waiting: dict[str, bytes] = {}
_verbatim: dict[str, list[str]] = {}


def _share() -> tuple[int, int] | None:
    value = os.environ.get(SHARE)
    if not value:
        return None
    mine, count = (int(part) for part in value.split("/"))
    return mine, count


class _DirtyNotice(logging.Filter):
    """A share's build is `--dirty` only to leave the other shares' pages alone: MkDocs' warning
    that a dirty build may be inaccurate does not apply, and must not fail strict mode."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("A 'dirty' build is being performed")


def on_config(config):
    if _share() is not None:
        logging.getLogger("mkdocs.commands.build").addFilter(_DirtyNotice())
    return config


def on_pre_build(config) -> None:
    _waiting.clear()  # a build that failed half-way under `mkdocs serve`
    _verbatim.clear()


def on_files(files, config):
    """The data files linked, not copied; in a shared build, which files this process writes:
    MkDocs' dirty build asks each file whether it is modified, so the answer is its owner's."""
    for file in files.static_pages():
        if file.src_uri.startswith(LINKED_DATA + "/") and not file.generated_by:
            file.copy_file = _linker(file)
    share = _share()
    if share is None:
        return files
    mine, count = share
    owners = _owners(files.documentation_pages(), count)
    for file in files:
        owned = owners.get(file.src_uri, 0) == mine  # theme and static files: the first share
        file.is_modified = (lambda: True) if owned else (lambda: False)
    if mine != 0:
        config.theme.static_templates.clear()
    return files


def _linker(file):
    """File.copy_file as a link: the old file is unlinked first, so a site whose file is a link
    to the live site's (publish.py) is never written through. A copy where links fail (another
    disk)."""
    def copy_file(dirty: bool = False) -> None:
        if dirty and not file.is_modified():
            return
        target = file.abs_dest_path
        os.makedirs(os.path.dirname(target), exist_ok=True)
        Path(target).unlink(missing_ok=True)
        try:
            os.link(file.abs_src_path, target)
        except OSError:
            shutil.copyfile(file.abs_src_path, target)
    return copy_file


def _owners(pages, count: int) -> dict[str, int]:
    """Pages dealt out by the work they make, largest first, each to the share with the least;
    every share computes the same, from the same files."""
    sizes = {file.src_uri: os.stat(file.abs_src_path).st_size for file in pages}
    load, owners = [0] * count, {}
    for uri in sorted(sizes, key=lambda uri: (-sizes[uri], uri)):
        share = load.index(min(load))
        owners[uri] = share
        load[share] += sizes[uri] + _PAGE_COST
    return owners


def on_nav(nav, config, files):
    """The nav shows the titles of its pages on every page: a share reads those it does not
    render, as it would have to know a title the nav does not give."""
    if _share() is not None:
        for page in nav.pages:
            if not page.file.is_modified():
                page.read_source(config)
    return nav


def on_page_markdown(markdown: str, page, config, files) -> str:
    held = _verbatim[page.file.src_uri] = []

    def hold(block: re.Match) -> str:
        held.append(block.group(1).rstrip("\n"))
        return f"<!-- verbatim {len(held) - 1} -->\n"
    return _VERBATIM_BLOCK.sub(hold, markdown)


@event_priority(-100)  # after any plugin that changes or reads the HTML
def on_page_content(html: str, page, config, files) -> str:
    held = _verbatim.pop(page.file.src_uri, [])
    if held:
        html = _HELD_BLOCK.sub(lambda placeholder: held[int(placeholder.group(1))], html)
    page.markdown = ""  # not None: MkDocs reads None as "never read" and drops the title
    _waiting[page.file.src_uri] = zlib.compress(html.encode("utf-8"), 1)
    return ""


@event_priority(100)  # before any plugin that reads the HTML (a search plugin indexes it here)
def on_page_context(context, page, config, nav):
    held = _waiting.pop(page.file.src_uri, None)
    if held is not None:
        page.content = zlib.decompress(held).decode("utf-8")
    return context


@event_priority(-100)
def on_post_page(output: str, page, config) -> str:
    page.content = ""
    # A render that starts from links to the live site's pages (publish.py) writes new files,
    # never through a link.
    Path(page.file.abs_dest_path).unlink(missing_ok=True)
    return output
