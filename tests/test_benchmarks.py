"""The benchmarks run (in a small form) and what they measure holds: every answer acknowledged, every
phone reached, every download served. Their timings are reported, never asserted."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO


def run(script: str, *args: str, out: Path) -> dict | list:
    subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / script), *args, "--json", str(out)],
        check=True,
        capture_output=True,
        timeout=240,
    )
    return json.loads(out.read_text())


def test_phones_benchmark_quick(tmp_path: Path) -> None:
    [entry] = run("phones.py", "--quick", out=tmp_path / "phones.json")
    for kind in ("app", "ceiling", "bare"):
        result = entry[kind]
        assert result["phones"] == 50 and result["errors"] == 0
        assert result["uncounted"] == 0, "an acknowledged answer was not counted"
        assert math.isfinite(result["fanout_ms"]), "a step change never reached every phone"
        assert result["burst"]["answers_per_s"] > 0


def test_takeaway_benchmark_quick(tmp_path: Path) -> None:
    result = run("takeaway.py", "--runs", "1", "--downloads", "6", out=tmp_path / "takeaway.json")
    assert result["room"]["downloads"] == 6 and result["takeaway_kb"] > 1


def test_room_benchmark_quick(tmp_path: Path) -> None:
    """Every key press reached both room views (terminal and browser), idle and with phones answering."""
    result = run("room.py", "--quick", out=tmp_path / "room.json")
    for pattern in ("idle", "loaded"):
        entry = result[pattern]
        assert entry["missed"] == 0, f"{pattern}: a key press never showed in a room view"
        assert entry["terminal_p99_ms"] is not None and entry["browser_p99_ms"] is not None
    assert result["loaded"]["answers"] > 0, "the phones never answered: the load would prove nothing"
