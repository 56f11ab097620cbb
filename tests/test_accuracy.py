"""Extraction scored against hand-made gold annotations (issue 3's targets)."""

from __future__ import annotations

import pytest

from tests.accuracy import GOLD, same_name, score


@pytest.fixture(scope="module")
def scores():
    files = sorted(GOLD.glob("*.yml"))
    assert len(files) >= 12  # both seeds and at least ten samples
    return score(files)


def test_countries_f1_at_least_095(scores):
    assert scores.countries.f1 >= 0.95, scores.misses


def test_people_f1_at_least_090(scores):
    assert scores.people.f1 >= 0.90, scores.misses


def test_quote_speaker_accuracy_at_least_090(scores):
    assert scores.speaker_accuracy >= 0.90, scores.misses


def test_scorer_matches_partial_names_only_at_the_edges():
    assert same_name("Xi", "Xi Jinping") and same_name("People’s Daily", "People's Daily")
    assert not same_name("Donald Trump", "Ivanka Trump")
