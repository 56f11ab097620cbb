"""Title, summary and key points: what a reader sees first."""

from __future__ import annotations

import re

from generator.extract.people import PersonHit
from generator.extract.sentences import Document, occurrences
from generator.extract.words import alternation, match_at
from generator.model import Figure

SUMMARY_WORDS = 60
_VERB = re.compile(r"(?<![\w-])(discussed|spoke|met|held|agreed|signed|called|announced|warned|"
                   r"said|says|urged|pledged|rejected|accused|visited|welcomed|praised|condemned|"
                   r"criticized|criticised|proposed|reviewed|talked|hosted|launched|vowed|threatened|"
                   r"approved|will|is|are|has|have)(?![\w-])")
_IRREGULAR = {"spoke": "speak", "met": "meet", "held": "hold", "said": "say", "says": "say",
              "is": "is", "are": "are", "has": "has", "have": "have", "will": "will"}
_OBJECT_STOP = re.compile(r",|;|\s(?:and several|and other|during|on|in a|according|as|after|while|"
                          r"amid|following|marking|before|at the|with both|which|who)\s")
_DECISION_WORDS = ("agreed", "announced", "signed", "decided", "will", "ready", "proposed", "plan", "deal",
                   "ceasefire", "sanction", "deploy", "approved", "rejected", "offered")
# Tried only where a decision word stands in the folded text (_decisions_by_sentence).
_DECISION = re.compile(rf"(?i)\b{alternation(_DECISION_WORDS)}\w*")


def make_title(doc: Document, headline: str | None, people: tuple[PersonHit, ...]) -> str:
    """The headline when there is one; otherwise who did what, from the lead sentence."""
    if headline:
        return headline
    if not doc.body_sentences:
        return ""
    lead = doc.body_sentences[0]
    sentence = doc.text[lead.start:lead.end]
    verb = _VERB.search(sentence)
    if verb is None:
        return _clip(sentence, 14)
    subject_end = lead.start + verb.start()
    names = []
    for hit in people:
        surname = hit.name.split()[-1]
        if lead.start <= hit.start < subject_end and surname not in names:
            names.append(surname)
    if not names:
        return _clip(sentence, 14)
    word = verb.group()
    present = _present(word, plural=len(names) > 1)
    rest = sentence[verb.end():].strip()
    stop = _OBJECT_STOP.search(" " + rest + " ")
    obj = (" " + rest)[:stop.start()].strip() if stop else rest
    obj = re.sub(r"^the\s+", "", obj)
    obj = " ".join(obj.split()[:7]).rstrip(".,;")
    title = f"{' and '.join(names)} {present} {obj}".strip()
    lowered = sentence.lower()
    if "phone" in lowered and "phone" not in title.lower() and "telephone" not in title.lower():
        title += " in phone call"
    return title


def _present(verb: str, plural: bool) -> str:
    base = _IRREGULAR.get(verb)
    if base is None:
        if verb.endswith("ied"):
            base = verb[:-3] + "y"
        elif verb.endswith(("ssed", "shed", "ched", "xed")):
            base = verb[:-2]
        elif verb.endswith("ed"):
            base = verb[:-1] if verb[:-2].endswith(("c", "v", "g", "s", "z", "u")) or verb.endswith("eed") else verb[:-2]
        else:
            base = verb
    if plural or base in ("is", "are", "has", "have", "will"):
        return base
    return base + ("es" if base.endswith(("s", "sh", "ch", "x")) else "s")


def _clip(text: str, words: int) -> str:
    parts = text.split()
    return " ".join(parts[:words]).rstrip(".,;") + ("…" if len(parts) > words else "")


def make_summary(doc: Document) -> str:
    """The lead: body sentences from the top, at most about SUMMARY_WORDS words."""
    chosen, count = [], 0
    for span in doc.body_sentences:
        words = len(doc.text[span.start:span.end].split())
        if chosen and count + words > SUMMARY_WORDS:
            break
        chosen.append(span)
        count += words
    if not chosen:
        return ""
    text = " ".join(doc.text[s.start:s.end].strip() for s in chosen)
    return _clip(text, SUMMARY_WORDS) if count > SUMMARY_WORDS else text


def key_points(doc: Document, summary: str, people: tuple[PersonHit, ...],
               countries: list, figures: tuple[Figure, ...]) -> tuple[str, ...]:
    """3 to 6 sentences that each add something: a new actor, a number, a quote, a decision."""
    candidates = [(s, text) for s in doc.body_sentences
                  if (text := doc.text[s.start:s.end].strip()) not in summary]
    summary_end = doc.body_start + len(summary)
    seen_people = {h.name for h in people if h.start < summary_end}
    seen_countries = {c.code for c in countries if c.start < summary_end}
    # Only the people and countries the summary has not named are placed in sentences: the rest
    # are news nowhere, and each placing is a lookup.
    new_people_in = _by_sentence(doc, ((h.start, h.name) for h in people if h.name not in seen_people))
    new_countries_in = _by_sentence(doc, ((c.start, c.code) for c in countries if c.code not in seen_countries))
    decisions_in = _decisions_by_sentence(doc)
    scored = []
    for span, text in candidates:
        words = len(text.split())
        if words < 6 or text.count("“") != text.count("”"):
            continue
        score = (2 * len(new_people_in.get(span.start, ())) + len(new_countries_in.get(span.start, ()))
                 + 2 * any(f.text in text for f in figures)
                 + 1.5 * ("“" in text or '"' in text)
                 + decisions_in.get(span.start, 0) * 0.5
                 - (1 if words > 55 else 0))
        scored.append((score, span))
    want = max(3, min(6, len(candidates) // 3))
    chosen = [span for _, span in sorted(scored, key=lambda pair: (-pair[0], pair[1].start))[:want]]
    return tuple(doc.text[s.start:s.end].strip() for s in sorted(chosen, key=lambda s: s.start))


def _decisions_by_sentence(doc: Document) -> dict[int, int]:
    """How many decision words each sentence holds, by its start. Each word is sought in the
    folded text with str.find, far quicker than a case-insensitive scan, and _DECISION is tried
    only where one was found: a sentence is apart from the next, so none is counted twice."""
    counts: dict[int, int] = {}
    for match in match_at(_DECISION, doc.text, occurrences(doc.folded, _DECISION_WORDS)):
        start = doc.sentence_at(match.start()).start
        counts[start] = counts.get(start, 0) + 1
    return counts


def _by_sentence(doc: Document, placed) -> dict[int, set]:
    """The values of (offset, value) pairs grouped by the start of the sentence holding the
    offset: one lookup per value instead of a pass over all of them for each sentence."""
    grouped: dict[int, set] = {}
    for offset, value in placed:
        grouped.setdefault(doc.sentence_at(offset).start, set()).add(value)
    return grouped
