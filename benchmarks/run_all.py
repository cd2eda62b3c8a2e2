"""Run every benchmark and rewrite the README's benchmark tables, with the machine beside the numbers.

    python benchmarks/run_all.py [--quick]

The README keeps its benchmark section between `<!-- benchmarks:start -->` and `<!-- benchmarks:end -->`;
everything between the markers is replaced. What limits a missed goal is written by hand below the end
marker, where this script never writes.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
START, END = "<!-- benchmarks:start -->", "<!-- benchmarks:end -->"


def machine() -> str:
    memory = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.0f} GiB"
    except OSError:
        pass
    return f"{os.cpu_count()} cores, {memory} memory, Python {platform.python_version()}, {platform.system()}"


def run(script: str, *args: str, tries: int = 2) -> tuple[str, dict | list]:
    """Run one benchmark; on a shared machine a run can fail for reasons of its own (a port taken in the
    meantime): it is tried once more, and the second failure is reported with its output."""
    for attempt in range(tries):
        with tempfile.TemporaryDirectory() as work:
            out = Path(work) / "result.json"
            completed = subprocess.run(
                [sys.executable, str(ROOT / "benchmarks" / script), *args, "--json", str(out)],
                capture_output=True,
                text=True,
            )
            if completed.returncode == 0:
                return completed.stdout.strip(), json.loads(out.read_text())
            print(
                f"{script} failed (try {attempt + 1} of {tries}):\n{completed.stderr[-2000:]}",
                file=sys.stderr,
            )
    raise SystemExit(f"{script} failed {tries} times")


def met(ok: bool) -> str:
    return "met" if ok else "**missed**"


def startup_rows(result: dict) -> list[str]:
    ratio = result["ratio"]
    return [
        "| benchmark | measured | floor, same run | goal |",
        "| --- | --- | --- | --- |",
        f"| start-up: process start → first screen (`startup.py`, median of {result['runs']}) | "
        f"{result['facilitate_median_ms']} ms | {result['floor_median_ms']} ms (bare Textual app) | "
        f"≤ 1.5× floor: {met(ratio <= 1.5)} ({ratio}×) |",
        f"| start-up: process start → the title slide complete (validated workshop, session set up) | "
        f"{result['complete_median_ms']} ms | | |",
    ]


def takeaway_rows(result: dict) -> list[str]:
    room = result["room"]
    return [
        "| takeaway (`takeaway.py`) | measured | floor, same run | goal |",
        "| --- | --- | --- | --- |",
        f"| one personal takeaway, text shaping on (7 pages) | {result['takeaway_ms']} ms, "
        f"{result['takeaway_kb']} KB (CPU {result['takeaway_cpu_ms']} ms; first in a fresh process: "
        f"{result['fresh_ms']} ms) | "
        f"{result['floor_ms']} ms (one-page fpdf2 document, same font, shaping on; {result['ratio']}×) | "
        f"< 150 ms: {met(result['takeaway_ms'] < 150)}; < 200 KB: {met(result['takeaway_kb'] < 200)} |",
        f"| handout / facilitator guide | {result['handout_ms']} ms / {result['guide_ms']} ms | | |",
        f"| {room['downloads']} phones download at once | all served in {room['all_done_s']} s "
        f"(p50 {room['p50_ms']} ms) | | screen stall < 50 ms: {met(room['screen_stall_ms'] < 50)} "
        f"({room['screen_stall_ms']} ms) |",
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small runs, to check the script itself")
    parser.add_argument("--readme", type=Path, default=ROOT / "README.md")
    args = parser.parse_args()

    started = time.monotonic()
    _, startup = run("startup.py", "--runs", "3" if args.quick else "7")
    _, takeaway = run("takeaway.py", *(["--runs", "2", "--downloads", "10"] if args.quick else []))
    phones_table, _ = run("phones.py", *(["--quick"] if args.quick else []))
    room_table, _ = run("room.py", *(["--quick"] if args.quick else []))
    goal_lines = [line for line in phones_table.splitlines() if " phones: " in line or " phones, " in line]
    table_lines = [line for line in phones_table.splitlines() if line.startswith("|")]

    section = [
        START,
        f"Measured by `python benchmarks/run_all.py` on {date.today().isoformat()}: {machine()}. "
        "Each figure sits beside its floor or ceiling, measured in the same run.",
        "",
        *startup_rows(startup),
        "",
        *takeaway_rows(takeaway),
        "",
        "Phones (`phones.py`): the real app, headless, in its own process, against two bare aiohttp servers "
        "that count answers in memory, with the same client: the fair ceiling also sends each answering phone "
        "its own small state message, as the app must; the bare ceiling (what earlier runs compared with) "
        "does not. Room: every phone answers one poll spread over 10 s; burst: all at the same instant, five "
        "times, the median reported. Latency is from request to acknowledged (for facilitate: committed to the "
        "journal). Screen stall: the longest lateness of a 10 ms timer on the server's loop.",
        "",
        *table_lines,
        "",
        *(f"- {line.strip()}" for line in goal_lines),
        "",
        "Room views (`room.py`): a key press (`t`) in the real app, headless in its own process, to the room "
        "view showing it: a terminal room view (`facilitate room`, headless, its own process, following the "
        "journal) redrawn, and the browser room view's event-stream message received; idle and while 300 "
        "phones answer. Numbers from a machine shared with other work are indicative only.",
        "",
        *[line for line in room_table.splitlines() if line.startswith("|")],
        "",
        f"The whole run took {time.monotonic() - started:.0f} s.",
        END,
    ]
    readme = args.readme.read_text(encoding="utf-8")
    if START in readme and END in readme:
        before, rest = readme.split(START, 1)
        _, after = rest.split(END, 1)
        readme = before + "\n".join(section) + after
    else:
        readme = readme.rstrip("\n") + "\n\n" + "\n".join(section) + "\n"
    args.readme.write_text(readme, encoding="utf-8")
    print("\n".join(section))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
