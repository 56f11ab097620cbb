"""Takes the machine's suggestions into one tag file, on the editor's explicit request.

Only the fields asked for change; every other line, comment and hand-set value stays as it was."""

from __future__ import annotations

import difflib
import re
from dataclasses import replace
from pathlib import Path

from generator.errors import InputError
from generator.model import Tags
from generator.output import write_atomic
from generator.tags import format_field
from generator.yamlfile import load_yaml

RETAGGABLE = ("title", "source", "countries", "topics")


def merged_suggestion(tags: Tags, suggestion: Tags) -> Tags:
    """The editor's lists with the missing suggestions added at the end; nothing removed."""
    def merged(have, want):
        if have is None:
            return want
        return tuple(have) + tuple(v for v in want or () if v not in have)

    return replace(suggestion, countries=merged(tags.countries, suggestion.countries),
                   topics=merged(tags.topics, suggestion.topics))


def retagged_text(path: Path, suggestion: Tags, fields: tuple[str, ...]) -> str:
    doc, problems = load_yaml(path)
    if problems:
        raise InputError(problems)
    lines = path.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    for field in fields:
        new_line = format_field(field, getattr(suggestion, field)) + "\n"
        line = doc.line_of(field) if isinstance(doc.data, dict) else None
        if line is None:
            if lines and not lines[-1].endswith("\n"):
                lines[-1] += "\n"
            lines.append(new_line)
            continue
        start = line - 1
        end = start + 1
        while end < len(lines) and (lines[end][:1] in (" ", "\t", "-") or not lines[end].strip()):
            end += 1
        while end > start + 1 and not lines[end - 1].strip():
            end -= 1
        comment = re.search(r"\s#.*$", lines[start].rstrip("\n"))
        if comment and "#" not in new_line:
            new_line = new_line.rstrip("\n") + comment.group() + "\n"
        lines[start:end] = [new_line]
    return "".join(lines)


def retag(path: Path, suggestion: Tags, fields: tuple[str, ...], write: bool) -> str:
    """Returns the unified diff of the change, and writes it when asked to."""
    old = path.read_text(encoding="utf-8-sig")
    new = retagged_text(path, suggestion, fields)
    diff = "".join(difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True),
                                        str(path), f"{path} (with suggestions)"))
    if write and new != old:
        write_atomic(path, new)
    return diff
