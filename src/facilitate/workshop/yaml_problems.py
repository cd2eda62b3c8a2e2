"""Sentences for YAML syntax errors: PyYAML speaks of parser states ("expected <block end>, but found
'?'"); a workshop author needs the line that does not line up, or the quote left open."""

from __future__ import annotations

import re
from typing import Any

import yaml

# What PyYAML says when a line does not line up with its neighbours (a key indented too far or not far
# enough): its own words are about parser states, and the mapping one suggests a `:` inside a value.
_STRUCTURE_PROBLEMS = (
    "expected <block end>",
    "mapping values are not allowed here",
    "could not find expected ':'",
)
_KEY_LINE = re.compile(r"^(?P<indent> *)(?P<dash>- +)?(?P<key>[^\s#:'\"\[\]{}|>&*!%@`-][^:#]*?):(?:\s|$)")
_BLOCK_SCALAR = re.compile(r":\s*[|>][-+0-9]*\s*(?:#.*)?$")


def is_structure_problem(exc: yaml.MarkedYAMLError) -> bool:
    """Whether PyYAML's complaint is one a misaligned line causes."""
    return any(needle in (exc.problem or "") for needle in _STRUCTURE_PROBLEMS)


def yaml_problem(exc: yaml.MarkedYAMLError, source: str, mark: Any) -> str:
    problem = (exc.problem or "").strip()
    if "found character '\\t'" in problem:
        return "a tab is used for indentation: YAML needs spaces (set your editor to insert spaces)"
    if mark is not None:
        lines = source.splitlines()
        if mark.line < len(lines) and lines[mark.line][: mark.column + 1].lstrip(" ").startswith("\t"):
            return "a tab is used for indentation: YAML needs spaces (set your editor to insert spaces)"
    context = (exc.context or "").strip()
    text = f"{context}: {problem}" if context and problem else (problem or context or "not valid YAML")
    hints = {
        "mapping values are not allowed here": " (is a `:` inside a value? put the value in quotes)",
        "expected <block end>": " (a line is indented differently from the lines around it)",
        "could not find expected ':'": " (a key is missing its `:`, or a quote is left open)",
        "found undefined alias": " (an `*alias` names an `&anchor` that does not exist)",
    }
    for needle, hint in hints.items():
        if needle in text:
            return f"this is not valid YAML: {text}{hint}"
    return f"this is not valid YAML: {text}"


def _key_column(line: str) -> tuple[str, int] | None:
    """The key a YAML line starts with and the column (0-based) it starts in, if it is a key line."""
    match = _KEY_LINE.match(line)
    if match is None:
        return None
    return match.group("key").strip(), len(match.group("indent")) + len(match.group("dash") or "")


def indentation_problem(source: str, line_index: int) -> tuple[str, int] | None:
    """Name the key whose indentation does not line up with the key above it, when that is what broke
    the file, with the column its key starts in (None when the line at `line_index` is in line with the
    key above: then it is another mistake)."""
    lines = source.splitlines()
    if not 0 <= line_index < len(lines):
        return None
    here = _key_column(lines[line_index])
    if here is None:
        return None
    key, column = here
    above = _key_above(lines, line_index)
    if above is None:
        return None
    above_line, above_key, above_column = above
    if above_column == column:
        return None
    how = "more" if column > above_column else "less"
    message = (
        f"`{key}` is indented {how} than `{above_key}` on line {above_line + 1} above it (column {column + 1} "
        f"against {above_column + 1}): keys that belong together start in the same column"
    )
    if how == "more" and not lines[above_line].split("#")[0].rstrip().endswith(":"):
        message += f", and `{above_key}` already has a value, so `{key}` cannot belong under it"
    return message, column


def _keys_above(lines: list[str], line_index: int) -> list[tuple[int, str, int]]:
    """Key lines above `line_index`, nearest first, skipping blank lines, comments and block text."""
    block_indent: int | None = None  # inside `key: |` text, lines indented past the key are text
    candidates: list[tuple[int, str, int]] = []
    for index in range(line_index):
        line = lines[index]
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(line) - len(line.lstrip(" "))
        if block_indent is not None:
            if indent > block_indent:
                continue
            block_indent = None
        keyed = _key_column(line)
        if keyed is not None:
            candidates.append((index, *keyed))
            if _BLOCK_SCALAR.search(line):
                block_indent = keyed[1]
    return list(reversed(candidates))


def _key_above(lines: list[str], line_index: int) -> tuple[int, str, int] | None:
    keys = _keys_above(lines, line_index)
    return keys[0] if keys else None
