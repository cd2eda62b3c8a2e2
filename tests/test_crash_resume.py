"""A kill -9 mid-run loses nothing the screen had shown: the real CLI in a pseudo-terminal, then --resume."""

from __future__ import annotations

import json
import os
import pty
import re
import select
import signal
import sys
import time
from pathlib import Path

import pytest

from facilitate.session.clock import FakeClock
from facilitate.session.session import Session
from facilitate.session.slides import build_slides
from facilitate.workshop.registry import open_workshop
from tests.waiting import until_sync

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
_ANSI = re.compile(rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>]")


class Terminal:
    """The CLI running in a pseudo-terminal, as a person's terminal would run it."""

    def __init__(self, *args: str, data_dir: Path) -> None:
        env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "100", "LINES": "30"}
        env["FACILITATE_DATA_DIR"] = str(data_dir)
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.execvpe(sys.executable, [sys.executable, "-m", "facilitate", *args], env)
        self.seen = b""

    def wait_for(self, text: str, timeout: float = 20.0) -> None:
        wanted = text.replace(" ", "").encode()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.fd], [], [], 0.05)
            if ready:
                try:
                    self.seen += os.read(self.fd, 65536)
                except OSError:
                    break
                if wanted in _ANSI.sub(b"", self.seen).replace(b" ", b""):
                    return
        raise AssertionError(
            f"{text!r} never appeared; screen ended with {_ANSI.sub(b'', self.seen)[-600:]!r}"
        )

    def press(self, keys: str) -> None:
        os.write(self.fd, keys.encode())

    def kill(self) -> None:
        from contextlib import suppress

        with suppress(ProcessLookupError):  # it may have quit by itself already
            os.kill(self.pid, signal.SIGKILL)
        with suppress(ChildProcessError):
            os.waitpid(self.pid, 0)
        os.close(self.fd)


def journal_row(path: Path, query: str) -> float:
    """One number from a running app's journal, read without writing (0 while it is not there yet)."""
    import sqlite3
    from contextlib import closing

    try:
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=2)) as conn:
            row = conn.execute(query).fetchone()
    except sqlite3.Error:
        return 0.0
    return float(row[0]) if row and row[0] is not None else 0.0


def test_kill_9_then_resume_shows_the_same_step_and_the_time_left(tmp_path: Path) -> None:
    workshop = open_workshop("check-in").workshop
    slides = build_slides(workshop)
    target = next(
        i
        for i, slide in enumerate(slides)
        if slide.step_id and workshop.step_by_id(slide.step_id).kind == "activity"
    )
    step = workshop.step_by_id(slides[target].step_id)

    first = Terminal("run", "check-in", data_dir=tmp_path)
    try:
        first.wait_for(workshop.summary[:20])  # the title slide itself (the title alone shows while it opens)
        path = next((tmp_path / "sessions").glob("*.sqlite"))
        for index in range(1, target + 1):
            first.press(" ")  # one step at a time: each key is journaled before the next is pressed
            until_sync(lambda index=index: journal_row(path, "SELECT COUNT(*) FROM events") >= index + 1)
        first.wait_for(step.title)
        shown_at = journal_row(path, "SELECT MAX(at) FROM events")
        # The activity's timer runs, and the heartbeat records it: two seconds of it on disk.
        until_sync(lambda: journal_row(path, "SELECT last_alive FROM meta") >= shown_at + 2.0)
    finally:
        first.kill()

    listed = json.loads(
        os.popen(f"{sys.executable} -m facilitate sessions --data-dir {tmp_path} --format json").read()
    )
    assert [row["status"] for row in listed] == ["paused"]  # no app holds it any more
    session_id = listed[0]["id"]

    second = Terminal("run", "check-in", "--resume", data_dir=tmp_path)
    try:
        second.wait_for(step.title)
        second.wait_for("Paused")
    finally:
        second.kill()

    resumed = Session.resume(tmp_path, session_id, clock=FakeClock(time.time() + 60))
    try:
        assert resumed.state.index == target
        timer = resumed.current_timer
        assert timer is not None and not timer.running
        elapsed = timer.elapsed(resumed.now())
        assert 1.5 <= elapsed <= 5.0, elapsed  # what was shown when it died, not the minute since
        assert timer.remaining(resumed.now()) == pytest.approx(step.duration - elapsed)
    finally:
        resumed.close()
