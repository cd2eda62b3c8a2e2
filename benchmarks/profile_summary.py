"""Where the app's loop spends a burst: py-spy's raw samples (`phones.py --profile FILE`) summed by part.

    python benchmarks/profile_summary.py burst.txt

Each sample of the main thread goes to the first part its stack (read from the innermost frame out)
belongs to; samples in another thread (the journal's commits) are counted apart. A line that allocates
can carry a garbage collection's time: a leaf that is only an assignment but holds many samples is one.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

PARTS = [  # (part, a piece of a frame that marks it), innermost match wins
    ("garbage collection (full, when quiet)", "collect_when_quiet"),
    ("event streams (ours)", "facilitate/server/streams.py"),
    ("phone state (ours)", "facilitate/server/phone_state.py"),
    ("answer handler (ours)", "facilitate/server/app.py"),
    ("session and journal queue (ours)", "facilitate/session/"),
    ("taking turns (ours)", "facilitate/server/turns.py"),
    ("socket writes", "selector_events.py:1057"),
    ("aiohttp: parse, route, respond", "aiohttp/"),
    ("the screen (Textual)", "textual/"),
    ("asyncio loop", "asyncio/"),
]


def summarise(path: Path) -> tuple[Counter[str], int]:
    parts: Counter[str] = Counter()
    total = 0
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        samples = int(count)
        total += samples
        frames = stack.split(";")
        if "_bootstrap" in frames[0] or "Thread" in frames[0]:
            idle = "thread.py:81" in frames[-1]  # a worker waiting for work
            parts["idle worker threads" if idle else "other threads (the journal's commits)"] += samples
            continue
        if frames[-1].startswith("select ") or "EpollSelector.select" in frames[-1]:
            parts["idle (waiting for the network)"] += samples
            continue
        for frame in reversed(frames):
            part = next((name for name, mark in PARTS if mark in frame), None)
            if part is not None:
                parts[part] += samples
                break
        else:
            parts["other"] += samples
    return parts, total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("samples", type=Path)
    args = parser.parse_args()
    parts, total = summarise(args.samples)
    print(f"| part | share of {total} samples |")
    print("| --- | --- |")
    for part, samples in parts.most_common():
        print(f"| {part} | {100 * samples / total:.0f} % |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
