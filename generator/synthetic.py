"""A synthetic corpus of wire stories for benchmarks, built from the real articles in the repository.

    python -m generator.synthetic DEST COUNT [--seed N]

Sentences come from ``seeds/*.txt`` and ``tests/corpus/samples/*.txt``. Each synthetic article takes
runs of consecutive sentences from one or more of those articles, swaps the source countries and
leaders for others (consistently within the article, so "President Emmanuel Macron ... Macron said"
stays coherent), and is laid out like the inputs: an optional headline and blank line, then one
paragraph per line. The same (count, seed) and the same input files give byte-identical output.

This module is deliberately standalone: it does not use ``generator.extract``, so a change to
extraction never changes the benchmark corpus.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SOURCE_GLOBS = (REPO / "seeds", "*.txt"), (REPO / "tests" / "corpus" / "samples", "*.txt")

MIN_SENTENCES, MAX_SENTENCES = 6, 40
HEADLINE_SHARE = 0.5

# ---------------------------------------------------------------------------------------------
# Sentence splitting
# ---------------------------------------------------------------------------------------------

# Words that end in a period without ending the sentence (compared without the period, case as
# written, so "no." still ends a sentence). Dotted initials (U.S., a.m., J.) are handled separately.
ABBREVIATIONS = frozenset("""
    Mr Mrs Ms Dr Prof Sr Jr St Mt Rev Hon Gen Lt Col Maj Capt Sgt Cpl Adm Cmdr Sen Rep Gov Pres
    Supt Insp Det Amb Msgr Inc Corp Co Ltd Bros Dept Univ Assn No Nos Vol vs approx
    Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Calif Fla Mass Tex
""".split())
_INITIALS = re.compile(r"^(?:[A-Za-z]\.)+[A-Za-z]?$")  # U.S / U.S. / a.m / J
_TERMINATORS = ".!?"
_CLOSERS = "”’\"')]"
_OPENERS_AFTER = "“‘\"'("
OPEN_QUOTE, CLOSE_QUOTE = "“", "”"


def _is_abbreviation(text: str, period: int) -> bool:
    """Whether the period at `period` ends an abbreviation rather than a sentence."""
    start = period
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    word = text[start:period].lstrip("“‘\"'([")
    if not word:
        return False
    if word in ABBREVIATIONS:
        return True
    return bool(_INITIALS.match(word))


def split_sentences(paragraph: str) -> list[str]:
    """Sentences of one paragraph. Does not split after abbreviations (U.S., Mr., Rear Adm., Jan.)
    or inside a “...” quotation: a quotation belongs to the sentence holding its closing mark.
    If the paragraph's curly quotes do not balance, quotation marks are ignored."""
    text = " ".join(paragraph.split())
    track_quotes = text.count(OPEN_QUOTE) == text.count(CLOSE_QUOTE)
    sentences: list[str] = []
    depth = 0
    start = 0
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if track_quotes and ch == OPEN_QUOTE:
            depth += 1
        elif track_quotes and ch == CLOSE_QUOTE:
            depth = max(0, depth - 1)
        elif ch in _TERMINATORS:
            j = i + 1
            run_depth = depth
            while j < n and (text[j] in _TERMINATORS or text[j] in _CLOSERS):
                if track_quotes and text[j] == CLOSE_QUOTE:
                    run_depth = max(0, run_depth - 1)
                j += 1
            at_boundary = (j + 1 < n and text[j] == " "
                           and (text[j + 1].isupper() or text[j + 1] in _OPENERS_AFTER))
            if (at_boundary and run_depth == 0
                    and not (ch == "." and j == i + 1 and _is_abbreviation(text, i))):
                sentences.append(text[start:j])
                start = j + 1
                depth = 0
                i = j + 1
                continue
            depth = run_depth
            i = j
            continue
        i += 1
    if start < n:
        sentences.append(text[start:])
    return [s for s in sentences if s]


# ---------------------------------------------------------------------------------------------
# The sentence pool
# ---------------------------------------------------------------------------------------------

_DATELINE = re.compile(r"^([A-Z][A-Z .'’-]*[A-Z]) \(Reuters\) - ")
_ENDS_WELL = re.compile(r"[.!?][”’\"')]*$")


@dataclass(frozen=True)
class Source:
    name: str
    headline: str | None
    dateline: str | None  # city as written, e.g. "BEIJING"
    sentences: tuple[str, ...]


def _usable(sentence: str) -> bool:
    return (len(sentence.split()) >= 3 and bool(_ENDS_WELL.search(sentence))
            and sentence.count(OPEN_QUOTE) == sentence.count(CLOSE_QUOTE)
            and not sentence.startswith("(This version"))


def load_sources() -> tuple[Source, ...]:
    """The real articles, split into sentences, in a fixed order (sorted by folder, then name).
    Files that are not UTF-8 text are left out."""
    sources: list[Source] = []
    for folder, pattern in SOURCE_GLOBS:
        for path in sorted(folder.glob(pattern)):
            if path.name.startswith("."):
                continue
            try:
                text = path.read_bytes().decode("utf-8-sig")
            except UnicodeDecodeError:
                continue  # the build reports such files; the corpus just leaves them out
            if "\x00" in text:
                continue
            lines = [" ".join(line.split()) for line in text.splitlines()]
            while lines and not lines[0]:
                lines.pop(0)
            headline = None
            if len(lines) > 2 and lines[0] and not lines[1] and not lines[0].endswith("."):
                headline, lines = lines[0], lines[2:]
            dateline = None
            sentences: list[str] = []
            for k, line in enumerate(line for line in lines if line):
                if k == 0:
                    match = _DATELINE.match(line)
                    if match:
                        dateline, line = match.group(1), line[match.end():]
                sentences.extend(s for s in split_sentences(line) if _usable(s))
            if sentences:
                sources.append(Source(path.name, headline, dateline, tuple(sentences)))
    if not sources:
        raise FileNotFoundError(f"no source articles found under {REPO}")
    return tuple(sources)


# ---------------------------------------------------------------------------------------------
# Substitution tables
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Leader:
    """A country and its leader, as used in the output. `country` carries its article if it needs
    one ("the Netherlands")."""
    name: str
    short: str
    title: str
    demonym: str
    country: str
    capital: str


LEADERS: tuple[Leader, ...] = tuple(Leader(*row) for row in (
    ("Emmanuel Macron", "Macron", "President", "French", "France", "Paris"),
    ("Friedrich Merz", "Merz", "Chancellor", "German", "Germany", "Berlin"),
    ("Recep Tayyip Erdogan", "Erdogan", "President", "Turkish", "Türkiye", "Ankara"),
    ("Vladimir Putin", "Putin", "President", "Russian", "Russia", "Moscow"),
    ("Donald Trump", "Trump", "President", "U.S.", "the United States", "Washington"),
    ("Xi Jinping", "Xi", "President", "Chinese", "China", "Beijing"),
    ("Volodymyr Zelenskyy", "Zelenskyy", "President", "Ukrainian", "Ukraine", "Kyiv"),
    ("Keir Starmer", "Starmer", "Prime Minister", "British", "Britain", "London"),
    ("Giorgia Meloni", "Meloni", "Prime Minister", "Italian", "Italy", "Rome"),
    ("Pedro Sánchez", "Sánchez", "Prime Minister", "Spanish", "Spain", "Madrid"),
    ("Sanae Takaichi", "Takaichi", "Prime Minister", "Japanese", "Japan", "Tokyo"),
    ("Narendra Modi", "Modi", "Prime Minister", "Indian", "India", "New Delhi"),
    ("Luiz Inácio Lula da Silva", "Lula", "President", "Brazilian", "Brazil", "Brasília"),
    ("Claudia Sheinbaum", "Sheinbaum", "President", "Mexican", "Mexico", "Mexico City"),
    ("Mark Carney", "Carney", "Prime Minister", "Canadian", "Canada", "Ottawa"),
    ("Anthony Albanese", "Albanese", "Prime Minister", "Australian", "Australia", "Canberra"),
    ("Lee Jae-myung", "Lee", "President", "South Korean", "South Korea", "Seoul"),
    ("Cyril Ramaphosa", "Ramaphosa", "President", "South African", "South Africa", "Pretoria"),
    ("Bola Tinubu", "Tinubu", "President", "Nigerian", "Nigeria", "Abuja"),
    ("Abdel Fattah al-Sisi", "Sisi", "President", "Egyptian", "Egypt", "Cairo"),
    ("Prabowo Subianto", "Prabowo", "President", "Indonesian", "Indonesia", "Jakarta"),
    ("Donald Tusk", "Tusk", "Prime Minister", "Polish", "Poland", "Warsaw"),
    ("Ulf Kristersson", "Kristersson", "Prime Minister", "Swedish", "Sweden", "Stockholm"),
    ("Jonas Gahr Støre", "Støre", "Prime Minister", "Norwegian", "Norway", "Oslo"),
    ("Mette Frederiksen", "Frederiksen", "Prime Minister", "Danish", "Denmark", "Copenhagen"),
    ("Alexander Stubb", "Stubb", "President", "Finnish", "Finland", "Helsinki"),
    ("Javier Milei", "Milei", "President", "Argentine", "Argentina", "Buenos Aires"),
    ("Gustavo Petro", "Petro", "President", "Colombian", "Colombia", "Bogotá"),
    ("Gabriel Boric", "Boric", "President", "Chilean", "Chile", "Santiago"),
    ("Masoud Pezeshkian", "Pezeshkian", "President", "Iranian", "Iran", "Tehran"),
    ("Shehbaz Sharif", "Sharif", "Prime Minister", "Pakistani", "Pakistan", "Islamabad"),
    ("Anwar Ibrahim", "Anwar", "Prime Minister", "Malaysian", "Malaysia", "Kuala Lumpur"),
    ("Ferdinand Marcos", "Marcos", "President", "Philippine", "the Philippines", "Manila"),
    ("William Ruto", "Ruto", "President", "Kenyan", "Kenya", "Nairobi"),
    ("Kassym-Jomart Tokayev", "Tokayev", "President", "Kazakh", "Kazakhstan", "Astana"),
    ("Dick Schoof", "Schoof", "Prime Minister", "Dutch", "the Netherlands", "Amsterdam"),
    ("Viktor Orbán", "Orbán", "Prime Minister", "Hungarian", "Hungary", "Budapest"),
    ("Christopher Luxon", "Luxon", "Prime Minister", "New Zealand", "New Zealand", "Wellington"),
))


@dataclass(frozen=True)
class Slot:
    """A country as it appears in the source texts; every mention is replaced by one Leader."""
    key: str
    names: tuple[str, ...] = ()  # the leader's full name first, then the short name
    title: str = ""
    demonyms: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()  # "the United States" before "United States"
    capitals: tuple[str, ...] = ()


SLOTS: tuple[Slot, ...] = (
    Slot("TR", ("Recep Tayyip Erdogan", "Erdogan"), "President", ("Turkish",), ("Türkiye", "Turkey"), ("Ankara",)),
    Slot("FR", ("Emmanuel Macron", "Macron"), "President", ("French",), ("France",), ("Paris",)),
    Slot("RU", ("Vladimir Putin", "Putin"), "President", ("Russian",), ("Russia",), ("Moscow",)),
    Slot("US", ("Donald Trump", "Trump"), "President", ("U.S.", "U.S", "American"),
         ("the United States", "United States"), ("Washington",)),
    Slot("CN", ("Xi Jinping", "Xi"), "President", ("Chinese",), ("China",), ("Beijing",)),
    Slot("UA", ("Volodymyr Zelenskyy", "Zelenskyy"), "President", ("Ukrainian",), ("Ukraine",), ("Kyiv", "Kiev")),
    Slot("CA", ("Justin Trudeau", "Trudeau"), "Prime Minister", ("Canadian",), ("Canada",), ("Ottawa",)),
    Slot("PE", ("Pedro Pablo Kuczynski", "Kuczynski"), "President", ("Peruvian",), ("Peru",), ("Lima",)),
    Slot("JP", ("Shinzo Abe", "Abe"), "Prime Minister", ("Japanese",), ("Japan",), ("Tokyo",)),
    Slot("CU", ("Raul Castro", "Castro"), "President", ("Cuban",), ("Cuba",), ("Havana",)),
    Slot("GB", (), "", ("British",), ("the United Kingdom", "Britain"), ("London",)),
    Slot("PH", (), "", ("Philippine", "Filipino"), ("the Philippines", "Philippines"), ("Manila",)),
    Slot("UZ", (), "", ("Uzbek",), ("Uzbekistan",), ("Tashkent",)),
)

# Proper names that contain a country word but must not change.
PROTECTED = (
    "Paris accord", "Great Wall of China", "Made in China 2025", "China Daily", "Kyiv Post",
    "Britain First", "British National Party", "Cuban-American", "Japanese Emperor", "Japanese emperor",
    "Japanese imperial family", "Japanese monarch", "Japanese guests", "Japanese-listed",
    "American Chamber of Commerce", "Washington Post", "Ipsos Peru",
)


def _build_patterns() -> tuple[re.Pattern[str], dict[str, tuple[str, str]]]:
    table: dict[str, tuple[str, str]] = {}  # source text -> (slot key, kind)
    for text in PROTECTED:
        table[text] = ("", "keep")
    for slot in SLOTS:
        entries: list[tuple[str, str]] = []
        if slot.names:
            full, short = slot.names[0], slot.names[-1]
            entries += [(f"{slot.title} {full}", "title_name"), (f"{slot.title} {short}", "title_short"),
                        (full, "name"), (short, "short"), (short + "s", "plural")]
            entries += [(f"{dem} {slot.title.lower()}", "dem_title") for dem in slot.demonyms]
        entries += [(dem, "demonym") for dem in slot.demonyms]
        # "the U.S." is a noun ("exports to the U.S. rose") or an adjective ("the U.S. market").
        nouns = [dem for dem in slot.demonyms if dem.startswith("U.S")]
        entries += [(f"{the} {dem}", "the_demonym") for dem in nouns for the in ("the", "The")]
        if slot.title:
            entries += [(f"{the} {dem} {slot.title.lower()}", "the_dem_title")
                        for dem in nouns for the in ("the", "The")]
        for country in slot.countries:
            entries.append((country, "country"))
            if country.startswith("the "):
                entries += [("The " + country[4:], "country"), (f"{country} capital", "dem_capital")]
        entries += [(capital, "capital") for capital in slot.capitals]
        for text, kind in entries:
            table.setdefault(text, (slot.key, kind))
    pattern = re.compile(r"(?<!\w)(?P<body>" + _trie_regex(table) + r")(?!\w)(?P<poss>’s|'s)?")
    return pattern, table


def _trie_regex(words) -> str:
    """One regex matching any of `words`, as a character trie (much faster than a flat alternation
    of a hundred names). Greedy optional groups try the longest word first and back off to shorter
    ones, so "President Donald Trump" wins over "President" and "Donald Trump"."""
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict) -> str:
        branches = [re.escape(char) + build(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(trie)


_ARTICLE_BEFORE = re.compile(r"(?<!\w)([Aa])n? $")


_PATTERN, _TABLE = _build_patterns()

# After "the U.S.": the end, punctuation, a dash or a word that cannot follow an adjective means
# "the U.S." was a noun.
_NOUN_FOLLOWS = re.compile(r"""(?x) (?: \s*$ | [,.;:!?)”’] | \s+[-–—]\s | \s+(?:
    on|over|last|rose|fell|in|is|was|has|had|and|or|to|from|for|with|by|at|as|that|which|will|would
    |could|should|can|may|might|since|during|after|before|but|said|says|this|next|itself|because
    |if|when|while|than|about|into|under|until|now|too)\b)""")


def _replacements(leader: Leader) -> dict[str, str]:
    return {
        "title_name": f"{leader.title} {leader.name}",
        "title_short": f"{leader.title} {leader.short}",
        "name": leader.name,
        "short": leader.short,
        "plural": leader.short + "s",
        "dem_title": f"{leader.demonym} {leader.title.lower()}",
        "the_dem_title": f"the {leader.demonym} {leader.title.lower()}",
        "demonym": leader.demonym,
        "dem_capital": f"the {leader.demonym} capital",
        "country": leader.country,
        "capital": leader.capital,
    }


_REPLACEMENTS = {leader: _replacements(leader) for leader in LEADERS}


def _starts_sentence(text: str, start: int) -> bool:
    index = start
    while index > 0 and text[index - 1] in "“‘\"'( ":
        index -= 1
    return index == 0 or text[index - 1] in ".!?"


def _wants_an(word: str) -> bool:
    return word[:1] in "AEIOUaeiou" and not word.startswith(("U.S", "Ukrain", "Uni", "Euro", "One"))


def substitute(text: str, mapping: dict[str, Leader]) -> str:
    """`text` with every mention of a source slot (keyed as in SLOTS) replaced by its Leader.
    Whole words only, longest match first, protected names left alone, one pass (a replacement is
    never replaced again). Fixes up what the swap disturbs: a/an before it, the article of countries
    like "the Netherlands" (none in "Russia-Ukraine war" or after "the", capital at a sentence
    start) and the possessive ("the Netherlands’")."""
    pieces: list[str] = []
    last = 0
    for match in _PATTERN.finditer(text):
        found, poss = match.group("body"), match.group("poss") or ""
        key, kind = _TABLE[found]
        leader = mapping.get(key)
        if leader is None:
            continue
        start, end = match.span("body")
        if kind == "the_demonym":
            if poss or _NOUN_FOLLOWS.match(text, end):
                kind = "country"  # "exports to the U.S. rose" -> "exports to Japan rose"
                new = leader.country
                if found.endswith(".") and not text[end:].strip():
                    new += "."  # the abbreviation's period also ended the sentence
            else:
                new = "the " + leader.demonym  # "the U.S. market" -> "the Japanese market"
        else:
            new = (_REPLACEMENTS.get(leader) or _replacements(leader))[kind]
        if kind == "country" and new.startswith("the ") and (
                text[start - 1:start] == "-" or text[end:end + 1] == "-"
                or text[max(0, start - 4):start].lower() == "the "):
            new = new[4:]  # "Russia-Ukraine war" -> "Germany-Philippines war"; "the Ukraine crisis"
        if poss and kind == "country" and new.endswith("s"):
            poss = poss[0]  # "the Netherlands’"
        before = text[last:start]
        article = _ARTICLE_BEFORE.search(before) if before.endswith(("a ", "n ", "A ")) else None
        if article:
            an = "n" if _wants_an(new) else ""
            before = f"{before[:article.start()]}{article.group(1)}{an} "
        elif new[0].islower() and _starts_sentence(text, start):
            new = new[0].upper() + new[1:]
        pieces += [before, new, poss]
        last = match.end()
    pieces.append(text[last:])
    return "".join(pieces)


# ---------------------------------------------------------------------------------------------
# Composing articles
# ---------------------------------------------------------------------------------------------

_HEADLINE_STOP = frozenset("""
    a an the and or but of to in on at for with by from as that which who whom whose is was were
    are be been has had have said says its his her their our this these those than then after
    before while when where if not no also about into over under up would could should will can
""".split())
_SLUG_WORD = re.compile(r"[a-z0-9]+")


def _sentence_count(rng: random.Random) -> int:
    if rng.random() < 0.85:
        count = round(rng.gauss(17.5, 4.5))
    else:
        count = rng.randint(MIN_SENTENCES, MAX_SENTENCES)
    return min(MAX_SENTENCES, max(MIN_SENTENCES, count))


def _pick_sentences(rng: random.Random, sources: tuple[Source, ...], count: int) -> tuple[list[str], Source | None]:
    """`count` distinct sentences in runs of consecutive ones; also the source whose lead opens the
    article, if it does."""
    chosen: list[str] = []
    used: set[tuple[int, int]] = set()
    lead_source = None
    attempts = 0
    while len(chosen) < count and attempts < 1000:
        attempts += 1
        number = rng.randrange(len(sources))
        source = sources[number]
        if not chosen and rng.random() < 0.7:
            start, lead_source = 0, source
        else:
            start = rng.randrange(len(source.sentences))
        for index in range(start, min(len(source.sentences), start + rng.randint(3, 9))):
            if (number, index) in used:
                continue
            used.add((number, index))
            chosen.append(source.sentences[index])
            if len(chosen) == count:
                break
    return chosen, lead_source


_NOT_IN_HEADLINES = str.maketrans("", "", "“”\"‘()[]")


def _compose_headline(rng: random.Random, sentence: str) -> str:
    """The first 8-12 words of `sentence`, without quotation marks or brackets, not cut inside a
    run of capitalised words ("South Korea") and not ending on a small word or a period."""
    all_words = [w for w in sentence.translate(_NOT_IN_HEADLINES).split() if w]
    cut = min(len(all_words), rng.randint(8, 12))
    while (cut < len(all_words) and cut < 15 and all_words[cut][:1].isupper()
           and all_words[cut - 1][:1].isupper() and not all_words[cut - 1].endswith(",")):
        cut += 1
    words = all_words[:cut]
    while words:
        words[-1] = words[-1].rstrip(",;:—–-’")
        last = words[-1]
        if not last or last.lower() in _HEADLINE_STOP or last.endswith((".", "!", "?")):
            words.pop()
        else:
            break
    if len(words) < 3:
        words = [w for w in all_words[:6] if w.isalpha()] or ["Leaders", "hold", "talks"]
    headline = " ".join(words)
    return headline[0].upper() + headline[1:]


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    slug = ""
    for word in _SLUG_WORD.findall(ascii_text)[:6]:
        if len(slug) + len(word) + 1 > 48:
            break
        slug = f"{slug}-{word}" if slug else word
    return slug or "article"


def compose_article(rng: random.Random, sources: tuple[Source, ...]) -> tuple[str, str]:
    """One article's text (ending in a newline) and a slug for its file name."""
    mapping = dict(zip((slot.key for slot in SLOTS), rng.sample(LEADERS, len(SLOTS))))
    sentences, lead_source = _pick_sentences(rng, sources, _sentence_count(rng))
    sentences = [substitute(s, mapping) for s in sentences]

    headline = None
    if rng.random() < HEADLINE_SHARE:
        if lead_source is not None and lead_source.headline and rng.random() < 0.65:
            headline = substitute(lead_source.headline, mapping)
        elif rng.random() < 0.25:
            headlines = [s.headline for s in sources if s.headline]
            headline = substitute(rng.choice(headlines), mapping) if headlines else None
        if headline is None:
            headline = _compose_headline(rng, sentences[0])
        while headline.endswith("."):  # a final period would stop it reading as a headline
            headline = headline.rsplit(" ", 1)[0] if " " in headline else headline.rstrip(".")
        if lead_source is not None and lead_source.dateline and rng.random() < 0.7:
            city = substitute(lead_source.dateline.title(), mapping).upper()
            sentences[0] = f"{city} (Reuters) - {sentences[0]}"

    paragraphs: list[str] = []
    index = 0
    while index < len(sentences):
        size = rng.choices((1, 2, 3, 4), weights=(35, 35, 20, 10))[0]
        paragraphs.append(" ".join(sentences[index:index + size]))
        index += size

    body = "\n".join(paragraphs) + "\n"
    text = f"{headline}\n\n{body}" if headline else body
    return text, _slug(headline or sentences[0])


def write_corpus(dest: Path, count: int, seed: int = 1234) -> list[Path]:
    """Writes `count` article files NNNNN_<slug>.txt into dest (created if missing) and returns their paths, sorted."""
    if count < 0:
        raise ValueError(f"count must be 0 or more, not {count}")
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    sources = _sources()
    rng = random.Random(seed)
    width = max(5, len(str(count - 1)))
    paths: list[Path] = []
    for number in range(count):
        text, slug = compose_article(rng, sources)
        path = dest / f"{number:0{width}d}_{slug}.txt"
        path.write_bytes(text.encode("utf-8"))
        paths.append(path)
    return sorted(paths)


@lru_cache(maxsize=1)
def _sources() -> tuple[Source, ...]:
    return load_sources()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generator.synthetic",
                                     description="Write a synthetic corpus of wire stories built "
                                                 "from the real sentences in the repository.")
    parser.add_argument("dest", type=Path, help="folder to write into (created if missing)")
    parser.add_argument("count", type=int, help="number of articles")
    parser.add_argument("--seed", type=int, default=1234, help="random seed (default 1234)")
    args = parser.parse_args(argv)
    if args.count < 0:
        parser.error("COUNT must be 0 or more")
    paths = write_corpus(args.dest, args.count, args.seed)
    total = sum(path.stat().st_size for path in paths)
    print(f"wrote {len(paths)} files, {total} bytes, to {args.dest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
