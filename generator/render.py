"""Briefings and indexes to Markdown through Jinja2 templates.

Every piece of text that comes from an article or a tag file goes through `escape_markdown`
(or `escape_html` inside raw HTML blocks), here and nowhere else, so that nothing in the input
can become HTML, a link, a heading or a template directive on the site."""

from __future__ import annotations

import datetime as dt
import functools
import html
import json
import re
from collections.abc import Callable
from functools import partial
from pathlib import Path

import jinja2

from generator.cache import FileLines, key_of, page_version
from generator.feeds import atom_feed, json_export
from generator.graphs import Pictures
from generator.index import PersonPage, SiteIndex, SpokenQuote, person_slug
from generator.mkdocs_hooks import VERBATIM
from generator.model import Article, Briefing, Country, Page, Quote, Topic

TEMPLATES = Path(__file__).parent / "templates"
EXPORT = "data/briefings.json"  # every briefing's data (feeds.json_export)
SEARCH_PLAN = "data/search-bundles.json"  # which briefings each search bundle holds (publish.py)
HOME_LATEST = 50
# Inline, only these characters mean something to Markdown and HTML with the extensions in
# mkdocs.yml; the rest of the punctuation is left alone, because every escape costs MkDocs an
# inline-pattern match (escaping all punctuation made its build twice as slow).
_INLINE_SPECIAL = re.compile(r"[\\`*_{}\[\]<&|]")
_INLINE_ESCAPES = {"&": "&amp;", "<": "&lt;", "|": "&#124;"}
# At the start of a block: headings, quotes, lists, rules, admonitions, definition-like lines.
_BLOCK_START = re.compile(r"^(?:[#>+\-=!:~]|(\d+)\.)")
_BLOCK_MARKS = frozenset("#>+-=!:~")  # with a digit, what _BLOCK_START can start with


def escape_markdown(value) -> str:
    """Plain text that Markdown, HTML and Jinja all read as the same plain text."""
    if value is None:
        return ""
    return _escaped(value if isinstance(value, str) else str(value))


@functools.lru_cache(maxsize=16384)  # names, offices, places and dates recur on page after page
def _escaped(text: str) -> str:
    text = " ".join(text.split())
    if _INLINE_SPECIAL.search(text):  # most text has nothing to escape: a search is cheaper than a sub
        text = _INLINE_SPECIAL.sub(_escape_inline, text)
    if text[:1] in _BLOCK_MARKS or text[:1].isdigit():
        text = _BLOCK_START.sub(_escape_block_start, text)
    return text[:-1] + "&#35;" if text.endswith("#") else text


def _escape_inline(match: re.Match) -> str:
    return _INLINE_ESCAPES.get(match.group(), "\\" + match.group())


def _escape_block_start(match: re.Match) -> str:
    return f"{match.group(1)}&#46;" if match.group(1) else f"&#{ord(match.group())};"


def escape_html(value) -> str:
    """Plain text inside a raw HTML block, which Markdown passes through untouched (and fast:
    the article's own text is most of a briefing page)."""
    return html.escape(" ".join(str(value).split()), quote=False)


def original_text(article: Article) -> str:
    """The article as read, in a raw HTML block, a paragraph each line. Reading leaves each line
    single-spaced (ingest.split_headline), so the text is escaped whole, once: paragraph by
    paragraph, it took a fifth of the time a briefing page takes to make."""
    headline = f"<p><strong>{escape_html(article.headline)}</strong></p>\n" if article.headline else ""
    body = html.escape("\n".join(article.paragraphs), quote=False).replace("\n", "</p>\n<p>")
    return verbatim(f'<div class="original-text" data-pagefind-body>\n{headline}<p>{body}</p>\n</div>')


def verbatim(block: str) -> str:
    """A block of HTML made here, which the MkDocs hooks pass by Markdown unparsed."""
    return VERBATIM[0] + block.strip("\n") + "\n" + VERBATIM[1]


def front_matter(title: str) -> str:
    """The page's title for MkDocs, which puts it unescaped into <title> and the search index:
    HTML-escaped here, then quoted as a YAML (JSON) string."""
    return "---\ntitle: " + json.dumps(html.escape(" ".join(str(title).split())), ensure_ascii=False) + "\n---\n\n"


def format_date(value: dt.date | None) -> str:
    return f"{value.day} {value:%B %Y}" if value else "undated"


def _dates(briefings) -> list[dt.date]:
    return [b.date for b in briefings if b.date]


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=False,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = escape_markdown
    env.filters["original_text"] = original_text
    env.filters["verbatim"] = verbatim
    env.filters["date"] = format_date
    env.filters["person_slug"] = person_slug
    env.filters["money"] = lambda v: f"{v:,.0f}" if v is not None else ""
    # Filters, not globals, for what a page calls many times: Jinja calls a filter directly and a
    # global through the template's context (a briefing page took a quarter less time so).
    env.filters["front_matter"] = front_matter
    env.filters["country_link"] = country_link
    env.filters["country_chip"] = partial(country_link, chip=True)
    env.filters["country_label"] = country_label
    env.filters["topic_link"] = topic_link
    env.filters["topic_chip"] = partial(topic_link, chip=True)
    env.filters["briefing_link"] = briefing_link
    env.filters["search_facets"] = search_facets
    return env


def country_link(country: Country, prefix: str = "../", chip: bool = False) -> str:
    link = f"[{country.flag} {escape_markdown(country.name)}]({prefix}countries/{country.code.lower()}.md)"
    return link + ("{ .chip .chip--country }" if chip else "")


def country_label(code: str | None, countries: tuple[Country, ...]) -> str:
    """A person's country in a briefing's table: its flag and name when the briefing names that
    country, else as the person's record gives it."""
    for country in countries:
        if country.code == code:
            return f"{country.flag} {escape_markdown(country.name)}"
    return escape_markdown(code)


def topic_link(topic: Topic, prefix: str = "../", chip: bool = False) -> str:
    return f"[{escape_markdown(topic.label)}]({prefix}topics/{topic.slug}.md)" + ("{ .chip }" if chip else "")


def search_facets(briefing: Briefing) -> str:
    """The briefing's search record for Pagefind: its title (weighted), and the country, topic,
    person and month filters a reader narrows results by. Hidden; kept out of the excerpts."""
    facets = [_facet('data-pagefind-filter="country"', c.name) for c in briefing.countries]
    facets += [_facet('data-pagefind-filter="topic"', t.label) for t in briefing.topics]
    facets += [_facet('data-pagefind-filter="person"', p.name) for p in briefing.people]
    if briefing.date:
        facets += [_facet('data-pagefind-filter="month"', f"{briefing.date:%Y-%m}"),
                   _facet('data-pagefind-sort="date"', briefing.date.isoformat()),
                   _facet('data-pagefind-meta="date"', format_date(briefing.date))]
    return ('<div class="search-record" hidden data-pagefind-body>\n'
            f'<p data-pagefind-meta="title" data-pagefind-weight="5">{html.escape(" ".join(briefing.title.split()))}</p>\n'
            f'<p data-pagefind-ignore>{"".join(facets)}</p>\n</div>')


@functools.lru_cache(maxsize=16384)  # countries, topics, people and months recur on briefing after briefing
def _facet(attribute: str, value: str) -> str:
    return f'<span {attribute}>{html.escape(" ".join(value.split()))}</span>'


def speaker_link(person_slugs: dict[str, str], name: str) -> str:
    """A quote's speaker, linked to their page when they have one (an institution has none)."""
    slug = person_slugs.get(name)
    return f"[{escape_markdown(name)}](../people/{slug}.md)" if slug else escape_markdown(name)


def briefing_link(briefing: Briefing, prefix: str = "../") -> str:
    return f"[{escape_markdown(briefing.title)}]({prefix}briefings/{briefing.slug}.md)"


class BriefingList:
    """The list of briefings on the index pages: date, link, up to four flags. An HTML block,
    passed by Markdown whole (`verbatim`): as a Markdown list, the archive and the big topic pages
    (megabytes at 10,000 briefings) took most of MkDocs' time after a one-tag edit. Links are
    to the pages' addresses (mkdocs.yml: use_directory_urls), `up` being the way from the
    listing page's address to the site's root. A briefing is listed on many pages (its
    countries, topics, people, month), so each line is made once per build, and found again by
    the briefing's identity, not its slug: read through the article, a cold object (in a forked
    process, a page to copy), the slug took 0.17 s of a cold build at 10,000 (150,000 lines)."""

    def __init__(self):
        self._lines: dict[tuple[int, str], str] = {}

    def __call__(self, briefings, up: str = "../../") -> str:
        return verbatim('<ul class="briefing-list">\n' + "".join(self._line(b, up) for b in briefings) + "</ul>") + "\n"

    def _line(self, briefing: Briefing, up: str) -> str:
        key = (id(briefing), up)
        line = self._lines.get(key)
        if line is None:
            flags = "".join(c.flag for c in briefing.countries[:4])
            line = (f'<li><strong>{format_date(briefing.date)}</strong> · <a href="{up}briefings/{briefing.slug}/">'
                    f"{escape_html(briefing.title)}</a>{f' · {flags}' if flags else ''}</li>\n")
            self._lines[key] = line
        return line


def link_list(lines, up: str = "../../") -> str:
    """A list of links on an index page as Markdown would make it from a loose list (each item
    a paragraph), passed by Markdown whole (`verbatim`): a big topic page lists hundreds of
    people and countries, each a link MkDocs would parse again after every edit. Each line is
    (path from the site's root, link text, text after the link), the texts plain."""
    items = "".join(f'<li>\n<p><a href="{up}{path}">{escape_html(text)}</a>{" " * after.startswith(" ")}'
                    f'{escape_html(after)}</p>\n</li>\n' for path, text, after in lines)
    return verbatim(f"<ul>\n{items}</ul>") + "\n"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'s' if count != 1 else ''}"


def people_list(people, counts: bool = False) -> str:
    """The people on a country or topic page, with their office (and, on a country page, how
    often they appear)."""
    return link_list((f"people/{p.slug}/", p.name, (f", {p.role}" if p.role else "") + (
        f" · {_plural(len(p.briefings), 'briefing')}, {_plural(len(p.quotes), 'quote')}" if counts else ""))
        for p in people)


def country_counts(pairs, noun: str | None = None) -> str:
    return link_list((f"countries/{c.code.lower()}/", f"{c.flag} {c.name}",
                      f" ({_plural(n, noun) if noun else n})") for c, n in pairs)


def topic_counts(pairs) -> str:
    return link_list((f"topics/{t.slug}/", t.label, f" ({n})") for t, n in pairs)


def render_site(index: SiteIndex, tag_location: dict[str, str], pictures: Pictures,
                sources: dict[str, str] | None = None, export_lines: FileLines | None = None) -> list[Page]:
    """Every generated page and data file; none is made yet (all of them at once would hold the
    whole site in memory). `sources` gives for each briefing a digest of what it is made of
    (its facts' key and its tags): with it, a briefing page is made only when that, or another
    input of its page, changed, and the JSON export's line for it only when that changed
    (found in `export_lines`, the last export)."""
    env = _environment()
    version = page_version()
    # A briefing's record: its page's address (its slug) and what it is made of, as listed on other
    # pages; by the briefing's identity, which a listing of thousands looks up without reading it.
    records = {id(b): key_of([version, b.slug, sources[b.slug]]) for b in index.briefings} if sources else {}

    def keyed(make_key, value) -> Callable[[], str] | None:
        """A page's key, made when asked for (model.Page), where `sources` allow one."""
        return partial(make_key, value) if sources else None
    export_key = keyed(key_of, [records.get(id(b), "") for b in index.briefings])
    env.globals.update(briefing_list=BriefingList(), people_list=people_list, country_counts=country_counts,
                       topic_counts=topic_counts, person_slugs=index.person_slugs)
    env.filters["speaker"] = partial(speaker_link, index.person_slugs)
    briefing, country, topic, person = (env.get_template(f"{name}.md.j2") for name in ("briefing", "country", "topic", "person"))

    related: dict[str, tuple[Briefing, ...]] = {}  # once the index pages are listed (index.RelatedBriefings)

    def briefing_page(b: Briefing) -> str:
        return briefing.render(b=b, related=related.get(b.slug, ()), tag_file=tag_location[b.slug])

    def briefing_key(b: Briefing) -> str:
        """Everything briefing.md.j2 shows besides `b` itself: the related briefings (their records,
        which cover their titles and dates), the tag file, and the people pages its people and
        speakers link to."""
        slug, person_slugs = b.slug, index.person_slugs
        parts = [version, sources[slug], tag_location[slug], "related"]
        parts += [records[id(other)] for other in related.get(slug, ())]  # their titles and dates with the rest
        parts.append("people")
        parts += [person_slugs.get(p.name, "") for p in b.people]
        parts += [person_slugs.get(q.speaker, "") for q in b.facts.quotes if q.speaker]
        return key_of(parts)

    nested: dict[int, str] = {}  # a person's digest, for the many pages that list them; a quote's number

    def index_key(page) -> str:
        """Everything an index page shows: its page object, each briefing in it standing for the
        key of what it is made of, and the people pages its quotes' speakers link to."""
        parts: list[str] = [version]
        _fingerprint(page, records, parts, nested)
        parts += [index.person_slugs.get(q.quote.speaker, "") for q in page.quotes]
        return key_of(parts)

    def country_page(page) -> str:
        code = page.country.code.lower()
        return country.render(page=page, timeline=pictures.timeline(f"country-{code}", _dates(page.briefings)))

    def topic_page(page) -> str:
        return topic.render(page=page, timeline=pictures.timeline(f"topic-{page.topic.slug}", _dates(page.briefings)))

    def people_index() -> str:
        return env.get_template("people.md.j2").render(
            index=index, contacts=pictures.contacts([[p.name for p in b.people] for b in index.briefings]))

    def archive() -> str:
        return env.get_template("archive.md.j2").render(
            index=index, timeline=pictures.timeline("archive", _dates(index.briefings)))

    pages = [  # the longest to make first, so that the workers finish together
        Page(EXPORT, partial(json_export, index, export_lines, records), export_key,
             export_lines.save if export_lines else None),
        Page("archive/index.md", archive),
        Page("people/index.md", people_index),
        *(Page(f"countries/{p.country.code.lower()}.md", partial(country_page, p), keyed(index_key, p)) for p in index.countries),
        *(Page(f"topics/{p.topic.slug}.md", partial(topic_page, p), keyed(index_key, p)) for p in index.topics),
        *(Page(f"people/{p.slug}.md", partial(person.render, page=p), keyed(index_key, p)) for p in index.people),
        Page("countries/index.md", partial(env.get_template("countries.md.j2").render, index=index)),
        Page("topics/index.md", partial(env.get_template("topics.md.j2").render, index=index)),
        Page("feed.xml", partial(atom_feed, index)),
        Page(SEARCH_PLAN, partial(_search_plan_text, index)),
        Page("index.md", partial(env.get_template("home.md.j2").render, index=index, latest=index.briefings[:HOME_LATEST])),
    ]
    pages += [Page(f"briefings/{b.slug}.md", partial(briefing_page, b), keyed(briefing_key, b)) for b in index.briefings]
    related.update(index.related.wait())  # here, before any process makes a briefing page or its key
    return pages


def _fingerprint(value, records: dict[int, str], parts: list[str], nested: dict[int, str]) -> None:
    """`value` as text for a digest (strings without a NUL), a briefing standing for its record
    key (its full text would be megabytes on a big country's page), and a person listed on the
    page for the digest of their own page (in `nested`, made once)."""
    if isinstance(value, Briefing):
        parts.append(records[id(value)])
    elif isinstance(value, (tuple, list)):
        parts.append("(")
        if value and type(value[0]) is Briefing and (listed := _records_of(value, records)) is not None:
            parts += listed  # a listing: thousands on a big page
        elif value and isinstance(value[0], SpokenQuote) and all(isinstance(item, SpokenQuote) for item in value):
            parts += [records[id(item.briefing)] + _quote_number(item, nested) for item in value]
        else:
            for item in value:
                _fingerprint(item, records, parts, nested)
        parts.append(")")
    elif isinstance(value, (str, int)) or value is None:
        parts.append(repr(value))
    elif isinstance(value, (Country, Topic, Quote)):  # plain values only: a dict's repr is made in C
        parts.append(f"{type(value).__name__}{vars(value)!r}")
    elif isinstance(value, PersonPage):
        digest = nested.get(id(value))
        if digest is None:
            own: list[str] = []
            _fields(value, records, own, nested)
            digest = nested[id(value)] = key_of(own)
        parts.append(digest)
    else:
        _fields(value, records, parts, nested)


def _records_of(listing, records: dict[int, str]) -> list[str] | None:
    """The record key of each briefing listed, or None if not all are briefings: one pass, each
    looked up by identity, not by reading it (a cold object's attributes cost a cache miss, and in
    a forked process a copied page: 0.13 s for the index pages' 150,000 listed at 10,000)."""
    try:
        return [records[id(item)] for item in listing]
    except KeyError:
        return None


def _quote_number(spoken: SpokenQuote, nested: dict[int, str]) -> str:
    """Which of its briefing's quotes it is: with the briefing's record key, which covers its
    quotes, that stands for the quote (tens of thousands on the people's pages, each as text
    took half of the index pages' keys)."""
    number = nested.get(id(spoken.quote))
    if number is None:
        for place, quote in enumerate(spoken.briefing.facts.quotes):
            nested[id(quote)] = f"#{place}"
        number = nested[id(spoken.quote)]
    return number


def _fields(value, records: dict[int, str], parts: list[str], nested: dict[int, str]) -> None:
    parts.append(type(value).__name__)
    for name in value.__dataclass_fields__:
        _fingerprint(getattr(value, name), records, parts, nested)


def _search_plan_text(index: SiteIndex) -> str:
    return '{"bundles": [\n' + ",\n".join(json.dumps(b) for b in index.search_bundles) + "\n]}\n"
