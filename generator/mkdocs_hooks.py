"""MkDocs hooks (`hooks:` in the MkDocs configuration) that keep its memory flat, and keep a
render that starts from the live site's pages from writing into them.

MkDocs converts every page before it writes any, and keeps each page's Markdown and HTML until
the build ends: 2.6 GB at 10,000 briefings, most of it text stored four bytes a character
because of the flags' emoji. The Markdown is not needed once converted, and the HTML only while
its own page is written, so it waits compressed until then."""

from __future__ import annotations

import zlib
from pathlib import Path

from mkdocs.plugins import event_priority

_waiting: dict[str, bytes] = {}


def on_pre_build(config) -> None:
    _waiting.clear()  # a build that failed half-way under `mkdocs serve`


@event_priority(-100)  # after any plugin that changes or reads the HTML
def on_page_content(html: str, page, config, files) -> str:
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
