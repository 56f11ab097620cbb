"""The commands behind the Makefile, run as a user runs them."""

from __future__ import annotations

import json

from generator.cli import main
from tests.conftest import ERDOGAN_CALL, PUTIN_CALL, SEEDS, copy_project


def test_extract_json_prints_one_array_with_every_kind_of_fact(capsys):
    assert main(["extract", str(SEEDS / f"{ERDOGAN_CALL}.txt"), str(SEEDS / f"{PUTIN_CALL}.txt"), "--json"]) == 0
    first, second = json.loads(capsys.readouterr().out)
    assert first["file"].endswith(f"{ERDOGAN_CALL}.txt")
    assert {"code": "TR", "name": "Türkiye", "mentions": 12} in first["countries"]
    erdogan = next(p for p in first["people"] if p["name"] == "Recep Tayyip Erdogan")
    assert (erdogan["role"], erdogan["country"]) == ("President", "TR")
    assert {"text": "We’re not going to fight Europe; I’ve said that a hundred times. But if Europe "
            "suddenly wants to fight us and starts, we’re ready right now", "speaker": "Vladimir Putin",
            "direct": True, "via": "Tass"} in first["quotes"]
    assert {"text": "over €3.7 billion", "kind": "money", "value": 3.7e9, "unit": "EUR"} in second["figures"]
    assert {"text": "September 2022", "value": "2022-09"} in second["dates"]
    assert {"text": "Wednesday", "value": "2025-12-03"} in first["dates"]  # the tag file's date
    assert "russia-ukraine-war" in first["topics"] and first["key_points"]


def test_extract_text_output_is_readable(capsys):
    assert main(["extract", str(SEEDS / f"{PUTIN_CALL}.txt")]) == 0
    out = capsys.readouterr().out
    assert "title: Putin and Macron speak by telephone" in out
    assert "quote: Emmanuel Macron: “endlessly”" in out


def test_check_lists_pending_suggestions_without_building(tmp_path, capsys):
    seeds, docs = copy_project(tmp_path)
    (seeds / f"{PUTIN_CALL}.yml").write_text("topics: [gaza]\n")
    assert main(["check", "--seeds", str(seeds)]) == 0
    out = capsys.readouterr().out
    assert f"{PUTIN_CALL}.yml: suggested topic nuclear-non-proliferation is not in topics" in out
    assert not (docs / "briefings").exists()


def test_bad_tag_file_exits_non_zero_with_every_problem(tmp_path, capsys):
    seeds, docs = copy_project(tmp_path)
    (seeds / f"{PUTIN_CALL}.yml").write_text("topics: [gazza]\n")
    (seeds / f"{ERDOGAN_CALL}.yml").write_text("date: tomorrow\n")
    assert main(["build", "--seeds", str(seeds), "--docs", str(docs)]) == 1
    err = capsys.readouterr().err
    assert "2 problem(s) found; nothing was changed" in err
    assert "unknown topic 'gazza'" in err and "did you mean 'gaza'?" in err
    assert "date 'tomorrow' is not a date" in err
