"""Scores extraction against the hand-made gold annotations in tests/gold/.

Run with `make accuracy` (prints the table and one JSON line); `tests/test_accuracy.py` holds
the targets from issue 3."""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from generator.build import taxonomy_path_for
from generator.extract import extract
from generator.gazetteer import load_gazetteer
from generator.ingest import read_article, slug_for
from generator.taxonomy import load_taxonomy

REPO = Path(__file__).resolve().parent.parent
GOLD = REPO / "tests" / "gold"


@dataclass
class Tally:
    true_positive: int = 0
    predicted: int = 0
    expected: int = 0

    @property
    def precision(self) -> float:
        return self.true_positive / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.true_positive / self.expected if self.expected else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Scores:
    countries: Tally = field(default_factory=Tally)
    people: Tally = field(default_factory=Tally)
    quotes_found: int = 0
    quotes_with_speaker: int = 0
    speakers_right: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def speaker_accuracy(self) -> float:
        return self.speakers_right / self.quotes_with_speaker if self.quotes_with_speaker else 1.0


def normal_name(name: str) -> tuple[str, ...]:
    folded = unicodedata.normalize("NFKD", name.replace("’", "'")).encode("ascii", "ignore").decode().casefold()
    return tuple(re.findall(r"[a-z0-9]+", folded))


def same_name(gold: str, found: str) -> bool:
    """Equal, or one is the other's leading or trailing words ('Xi' and 'Xi Jinping')."""
    a, b = normal_name(gold), normal_name(found)
    if not a or not b:
        return False
    short, long = sorted((a, b), key=len)
    return short == long[:len(short)] or short == long[-len(short):]


def normal_quote(text: str) -> str:
    text = text.replace("’", "'").replace("‘", "'")
    return " ".join(re.sub(r"[^\w' ]+", " ", text.casefold()).split())


def score(gold_files: list[Path]) -> Scores:
    gazetteer = load_gazetteer()
    scores = Scores()
    for gold_file in gold_files:
        gold = yaml.safe_load(gold_file.read_text(encoding="utf-8"))
        path = REPO / gold["article"]
        taxonomy, _ = load_taxonomy(taxonomy_path_for(path.parent))
        article, _, _ = read_article(path, slug_for(path))
        facts = extract(article, gazetteer, taxonomy.topics)
        _score_countries(scores, gold, facts, gold_file.stem)
        _score_people(scores, gold, facts, gold_file.stem)
        _score_quotes(scores, gold, facts, gold_file.stem)
    return scores


def _score_countries(scores, gold, facts, name):
    expected = set(gold.get("countries") or [])
    found = {c.country.code for c in facts.countries}
    scores.countries.expected += len(expected)
    scores.countries.predicted += len(found)
    scores.countries.true_positive += len(expected & found)
    scores.misses += [f"{name}: country missed {c}" for c in sorted(expected - found)]
    scores.misses += [f"{name}: country wrongly found {c}" for c in sorted(found - expected)]


def _score_people(scores, gold, facts, name):
    expected = [p["name"] for p in gold.get("people") or []]
    found = [p.name for p in facts.people]
    unmatched = list(found)
    for person in expected:
        match = next((f for f in unmatched if same_name(person, f)), None)
        if match:
            unmatched.remove(match)
            scores.people.true_positive += 1
        else:
            scores.misses.append(f"{name}: person missed {person}")
    scores.misses += [f"{name}: person wrongly found {p}" for p in unmatched]
    scores.people.expected += len(expected)
    scores.people.predicted += len(found)


def _score_quotes(scores, gold, facts, name):
    found = {normal_quote(q.text): q for q in facts.quotes}
    for quote in gold.get("quotes") or []:
        speaker = quote.get("speaker")
        accepted = speaker if isinstance(speaker, list) else [speaker]
        match = found.get(normal_quote(quote["text"]))
        if match:
            scores.quotes_found += 1
        if speaker is None:
            continue
        scores.quotes_with_speaker += 1
        if match and match.speaker and any(same_name(a, match.speaker) for a in accepted):
            scores.speakers_right += 1
        else:
            got = match.speaker if match else "(quote not found)"
            scores.misses.append(f"{name}: quote “{quote['text'][:40]}” by {accepted}, got {got}")


def report(label: str, gold_files: list[Path]) -> dict:
    scores = score(gold_files)
    if "-v" in sys.argv:
        print("\n".join(scores.misses))
    print(f"{label}: {len(gold_files)} gold articles")
    print(f"  {'':10} {'precision':>9} {'recall':>7} {'F1':>6}")
    for name, tally in (("countries", scores.countries), ("people", scores.people)):
        print(f"  {name:10} {tally.precision:9.3f} {tally.recall:7.3f} {tally.f1:6.3f}")
    print(f"  quote speaker accuracy: {scores.speaker_accuracy:.3f} "
          f"({scores.speakers_right} of {scores.quotes_with_speaker} attributed gold quotes; "
          f"{scores.quotes_found} gold quotes found)")
    return {"set": label, "articles": len(gold_files), "countries_f1": round(scores.countries.f1, 3),
            "people_f1": round(scores.people.f1, 3), "speaker_accuracy": round(scores.speaker_accuracy, 3)}


def main() -> int:
    """Development gold (the rules were tuned on it) and held-out gold (never tuned on)."""
    results = [report("development", sorted(GOLD.glob("*.yml"))),
               report("held-out", sorted((GOLD / "heldout").glob("*.yml")))]
    for result in results:
        print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
