"""Reads the hand-edited YAML files strictly: duplicate keys, tabs and bad dates become Problems
with a line number, where PyYAML alone would keep the last key or raise a bare traceback."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

MAX_BYTES = 1_000_000
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when the wheel has it: 10x faster
MAX_NODES = 100_000
_TEXT = "tag:yaml.org,2002:str"


@dataclass(frozen=True)
class YamlDocument:
    """Plain Python data plus the 1-based line of every mapping key, by key path."""

    path: Path
    data: Any
    lines: dict[tuple, int]

    def line_of(self, *keys) -> int | None:
        return self.lines.get(tuple(keys))


def load_yaml(path: Path, text: str | None = None) -> tuple[YamlDocument | None, list]:
    """Parse one file; returns the document (or None) and every problem found in it."""
    from generator.errors import Problem

    if text is None:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return None, [Problem(path, f"file is {size:,} bytes; a YAML file here may be at most "
                                  f"{MAX_BYTES:,}", "keep only the fields the generator reads")]
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as err:
            return None, [Problem(path, f"not UTF-8 text (byte {err.start})",
                                  "save the file as UTF-8")]
    problems: list[Problem] = []
    for number, line in enumerate(text.splitlines(), 1):
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent:
            problems.append(Problem(path, "a tab is used for indentation", "indent with spaces",
                                    number, indent.index("\t") + 1))
    if problems:
        return None, problems
    loader = _LOADER(text)
    try:
        node = loader.get_single_node()
    except RecursionError:
        return None, [Problem(path, "the YAML is nested too deeply to be a tag or data file",
                              "flatten it: fields hold text or lists of words")]
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        what = " ".join(x for x in (err.context, err.problem) if x)
        if "expected a single document" in what:
            fix = "keep one document: remove the extra '---' separator and what follows"
        else:
            fix = "check the indentation and quoting on this line; quote text that contains ': ' or starts with a special character"
        line = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
        return None, [Problem(path, f"YAML syntax error: {what}", fix, line, column)]
    finally:
        loader.dispose()
    if node is None:
        return YamlDocument(path, None, {}), []
    reader = _Reader(path)
    try:
        data = reader.construct(node, ())
    except RecursionError:
        return None, [Problem(path, "the YAML is nested too deeply to be a tag or data file",
                              "flatten it: fields hold text or lists of words")]
    return YamlDocument(path, data, reader.lines), reader.problems


class _Reader:
    """Turns one file's node tree into plain data, noting each key's line and every problem."""

    def __init__(self, path: Path):
        self.path = path
        self.lines: dict[tuple, int] = {}
        self.problems: list = []
        self.budget = MAX_NODES
        self.scalars = yaml.constructor.SafeConstructor()

    def construct(self, node, key_path: tuple):
        from generator.errors import Problem

        path, problems = self.path, self.problems
        self.budget -= 1
        if self.budget < 0:
            if self.budget == -1:
                problems.append(Problem(path, f"more than {MAX_NODES:,} values (an alias bomb or "
                                        "runaway nesting)", "remove the '&' anchors and '*' aliases",
                                        node.start_mark.line + 1))
            return None
        if isinstance(node, yaml.MappingNode):
            result = {}
            for key_node, value_node in node.value:
                key = self.construct(key_node, key_path)
                if not isinstance(key, (str, int, float, bool)) and key is not None:
                    problems.append(Problem(path, "a key must be plain text", "write the key as a word",
                                            key_node.start_mark.line + 1))
                    continue
                line = key_node.start_mark.line + 1
                if key in result:
                    first = self.lines[key_path + (key,)]
                    problems.append(Problem(path, f"duplicate key '{key}' (first on line {first}); "
                                            "YAML would silently keep only the last one",
                                            f"keep one '{key}:' and merge the values", line,
                                            key_node.start_mark.column + 1))
                    continue
                self.lines[key_path + (key,)] = line
                result[key] = self.construct(value_node, key_path + (key,))
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.construct(item, key_path + (i,)) for i, item in enumerate(node.value)]
        if node.tag == _TEXT:  # most values: what the constructor would return, without its cost
            return node.value
        try:
            return self.scalars.construct_object(node, deep=True)
        except yaml.YAMLError as err:
            problems.append(Problem(path, f"cannot read the value '{node.value}': {getattr(err, 'problem', err)}",
                                    "write plain text; put it in quotes if it starts with ! & * or %",
                                    node.start_mark.line + 1, node.start_mark.column + 1))
            return None
        except ValueError as err:
            problems.append(Problem(path, f"'{node.value}' is not a real date ({err})",
                                    "write an existing day as YYYY-MM-DD", node.start_mark.line + 1,
                                    node.start_mark.column + 1))
            return None
