"""Small field checks shared by every hand-edited YAML file, so messages read the same everywhere."""

from __future__ import annotations

import difflib
from pathlib import Path

from generator.errors import Problem
from generator.yamlfile import YamlDocument


def did_you_mean(word: str, choices) -> str:
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""


def unknown_keys(doc: YamlDocument, mapping: dict, allowed, where: tuple = ()) -> list[Problem]:
    problems = []
    for key in mapping:
        if key not in allowed:
            hint = did_you_mean(key, allowed)
            fix = hint or f"use one of: {', '.join(sorted(allowed))}"
            problems.append(Problem(doc.path, f"unknown field '{key}'", fix,
                                    doc.line_of(*where, key)))
    return problems


def text_field(doc: YamlDocument, value, key_path: tuple, problems: list[Problem]) -> str | None:
    """A piece of text; numbers are taken as their text, anything else is a problem."""
    if value is None:
        return None
    if isinstance(value, bool) or isinstance(value, (list, dict)):
        problems.append(Problem(doc.path, f"'{key_path[-1]}' must be text, not "
                                f"{type(value).__name__}", f"write {key_path[-1]}: followed by "
                                "the text on the same line", doc.line_of(*key_path)))
        return None
    text = " ".join(str(value).split())
    return text or None


def list_field(doc: YamlDocument, value, key_path: tuple, problems: list[Problem]) -> list[str] | None:
    """A list of words; a single word is taken as a list of one."""
    if value is None:
        return None
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        value = [value]
    if not isinstance(value, list):
        problems.append(Problem(doc.path, f"'{key_path[-1]}' must be a list",
                                f"write {key_path[-1]}: [first, second]", doc.line_of(*key_path)))
        return None
    items = []
    for item in value:
        if isinstance(item, (str, int, float)) and not isinstance(item, bool) and str(item).strip():
            items.append(str(item).strip())
        else:
            problems.append(Problem(doc.path, f"'{key_path[-1]}' holds {item!r}, which is not a "
                                    "word", "remove it or write it as plain text",
                                    doc.line_of(*key_path)))
    return items


def relative(path: Path) -> Path:
    try:
        return path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return path
