"""Time from process start to the first screen painted: `facilitate run` beside a bare Textual app.

Each program runs in a pseudo-terminal; the clock stops when a marker text of its first screen appears
in what it writes to the terminal: for facilitate, the workshop's title (painted before the workshop is
validated and the session set up); the time until the title slide is complete (its summary shown) is
reported beside it. The bare hello-world app is the floor (interpreter start, Textual
import, first paint); the goal is facilitate ≤ 1.5× that floor.

    python benchmarks/startup.py [--runs 7] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import pty
import re
import select
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HELLO_APP = """
from textual.app import App
from textual.widgets import Static

class Hello(App):
    def compose(self):
        yield Static("Hello from a bare Textual app")

Hello().run()
"""
_ANSI = re.compile(rb"\x1b\[[0-9;?]*[ -/]*[@-~]")


def time_to_marker(command: list[str], marker: str, env: dict[str, str], timeout: float = 30.0) -> float:
    """Seconds from spawning `command` in a pty until `marker` is visible in its output."""
    return time_to_markers(command, [marker], env, timeout)[0]


def time_to_markers(
    command: list[str], markers: list[str], env: dict[str, str], timeout: float = 30.0
) -> list[float]:
    """Seconds from spawning `command` in a pty until each of `markers` is visible in its output."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: become the program
        os.execvpe(command[0], command, env)
    started = time.perf_counter()
    seen = b""
    found: dict[str, float] = {}
    try:
        while time.perf_counter() - started < timeout:
            ready, _, _ = select.select([fd], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
            # Textual moves the cursor between words: compare with escape codes and spaces removed.
            plain = _ANSI.sub(b"", seen).replace(b" ", b"")
            for marker in markers:
                if marker not in found and marker.replace(" ", "").encode() in plain:
                    found[marker] = time.perf_counter() - started
            if len(found) == len(markers):
                return [found[marker] for marker in markers]
        missing = [marker for marker in markers if marker not in found]
        raise RuntimeError(f"{missing!r} did not appear within {timeout}s; output ended with {seen[-400:]!r}")
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--workshop", default="self-efficacy")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()

    from facilitate.workshop.registry import open_workshop

    workshop = open_workshop(args.workshop).workshop
    title = workshop.title
    complete = workshop.summary[:20]  # on the title slide only: the first screen is complete
    with tempfile.TemporaryDirectory() as work:
        hello = Path(work) / "hello.py"
        hello.write_text(HELLO_APP)
        env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "100", "LINES": "30"}
        env["FACILITATE_DATA_DIR"] = str(Path(work) / "data")
        facilitate = [sys.executable, "-m", "facilitate", "run", args.workshop, "--no-phones"]
        if (
            subprocess.run([*facilitate[:-1], "--help"], capture_output=True, text=True).stdout.count(
                "--no-phones"
            )
            == 0
        ):
            facilitate = facilitate[:-1]
        floor: list[float] = []
        ours: list[float] = []
        whole: list[float] = []
        time_to_marker([sys.executable, str(hello)], "Hello from a bare", env)  # warm the file cache
        for _ in range(args.runs):  # interleaved, so both see the same machine
            floor.append(time_to_marker([sys.executable, str(hello)], "Hello from a bare", env))
            first, done = time_to_markers(facilitate, [title[:20], complete], env)
            ours.append(first)
            whole.append(done)
    result = {
        "floor_median_ms": round(statistics.median(floor) * 1000),
        "facilitate_median_ms": round(statistics.median(ours) * 1000),
        "ratio": round(statistics.median(ours) / statistics.median(floor), 2),
        "complete_median_ms": round(statistics.median(whole) * 1000),
        "runs": args.runs,
    }
    print(f"| program | first screen (median of {args.runs}) |")
    print("| --- | --- |")
    print(f"| bare Textual hello world (floor) | {result['floor_median_ms']} ms |")
    print(
        f"| facilitate run {args.workshop} | {result['facilitate_median_ms']} ms ({result['ratio']}× floor) |"
    )
    print(f"| facilitate run {args.workshop}: the title slide complete | {result['complete_median_ms']} ms |")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
