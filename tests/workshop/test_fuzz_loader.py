"""Fuzzing the YAML loader with mutations of the bundled workshops: every outcome is either a valid
workshop or errors of the form PATH:LINE:COLUMN: message — never a traceback, never a hang."""

from __future__ import annotations

import os
import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from facilitate.workshop.loader import WorkshopLoadError, load_workshop
from facilitate.workshop.models import Workshop
from tests.conftest import WORKSHOPS

EXAMPLES = int(os.environ.get("FACILITATE_FUZZ_EXAMPLES", "150"))
SOURCES = {path.name: path.read_text(encoding="utf-8") for path in sorted(WORKSHOPS.glob("*.yaml"))}
ERROR_LINE = re.compile(r"^.+:\d+:\d+: .+$")


@st.composite
def mutated(draw) -> bytes:
    name = draw(st.sampled_from(sorted(SOURCES)))
    lines = SOURCES[name].splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 4))):
        if not lines:
            break
        index = draw(st.integers(0, len(lines) - 1))
        action = draw(
            st.sampled_from(
                ["delete", "indent", "dedent", "tab", "bytes", "duplicate", "type", "huge", "swap"]
            )
        )
        line = lines[index]
        if action == "delete":
            del lines[index]
        elif action == "indent":
            lines[index] = "  " + line
        elif action == "dedent":
            lines[index] = line[2:] if line.startswith("  ") else line.lstrip()
        elif action == "tab":
            lines[index] = "\t" + line.lstrip(" ")
        elif action == "duplicate":
            lines.insert(index, line)
        elif action == "type":
            replacement = draw(
                st.sampled_from(["[]", "{}", "null", "-1", "true", "0s", "'", "*x", "&a [*a, *a]"])
            )
            lines[index] = (
                re.sub(r":\s.*", f": {replacement}", line, count=1) if ":" in line else replacement + "\n"
            )
        elif action == "huge":
            lines[index] = re.sub(r":\s.*", ": " + "9" * draw(st.integers(20, 400)), line, count=1)
        elif action == "swap" and index + 1 < len(lines):
            lines[index], lines[index + 1] = lines[index + 1], line
        elif action == "bytes":
            lines[index] = line[:5] + draw(st.text(max_size=12)) + line[5:]
    text = "".join(lines).encode("utf-8", "surrogatepass")
    if draw(st.integers(0, 9)) == 0:
        raw = bytearray(text)
        for _ in range(draw(st.integers(1, 5))):
            raw[draw(st.integers(0, len(raw) - 1))] = draw(st.integers(0, 255))
        text = bytes(raw)
    return text


@given(source=mutated())
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_every_mutation_loads_or_names_the_line(tmp_path: Path, source: bytes) -> None:
    path = tmp_path / "mutant.yaml"
    path.write_bytes(source)
    try:
        loaded = load_workshop(path)
    except WorkshopLoadError as exc:
        lines = str(exc).splitlines()
        assert lines, "an error without a message"
        for line in lines:
            assert ERROR_LINE.match(line) and line.startswith(str(path)), line
        return
    assert isinstance(loaded.workshop, Workshop)


def test_found_by_fuzzing_an_alias_inside_itself(tmp_path: Path) -> None:
    path = tmp_path / "cycle.yaml"
    path.write_text("id: x\nmodules: &a [*a, *a]\n")
    try:
        load_workshop(path)
    except WorkshopLoadError as exc:
        assert str(exc) == f"{path}:2:10: an alias refers to the list or mapping it is inside: remove it"
    else:
        raise AssertionError("a cyclic alias loaded")


def test_found_by_fuzzing_a_nul_byte_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "nul.yaml"
    path.write_bytes(b"id: x\ntitle: a\x00b\n")
    try:
        load_workshop(path)
    except WorkshopLoadError as exc:
        assert str(exc) == f"{path}:2:9: a control character (U+0000) cannot be in a YAML file: delete it"
    else:
        raise AssertionError("a NUL byte loaded")
