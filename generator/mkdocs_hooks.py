"""MkDocs hooks (`hooks:` in the MkDocs configuration) that keep its memory flat, keep a
render that starts from the live site's pages from writing into them, and pass the generator's
ready-made HTML by Markdown.

MkDocs converts every page before it writes any, and keeps each page's Markdown and HTML until
the build ends: 2.6 GB at 10,000 briefings, most of it text stored four bytes a character
because of the flags' emoji. The Markdown is not needed once converted, and the HTML only while
its own page is written, so it waits compressed until then."""

from __future__ import annotations

import re
import zlib
from pathlib import Path

from mkdocs.plugins import event_priority

# The generator's own HTML (briefing lists, an article's text; escaped where it is made) between
# these lines is the same HTML after Markdown, which would still parse every tag of it: the
# lists on the big topic pages are megabytes, and most of a briefing page is its text.
VERBATIM = ("<!-- verbatim -->\n", "<!-- /verbatim -->\n")
_VERBATIM_BLOCK = re.compile(rf"^{VERBATIM[0]}(.*?)^{VERBATIM[1]}", re.S | re.M)
_HELD_BLOCK = re.compile(r"<!-- verbatim (\d+) -->")

_waiting: dict[str, bytes] = {}
_verbatim: dict[str, list[str]] = {}


def on_pre_build(config) -> None:
    _waiting.clear()  # a build that failed half-way under `mkdocs serve`
    _verbatim.clear()


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
