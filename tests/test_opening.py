"""`facilitate run NAME` paints its first screen before the workshop is validated and the session set up
(tui/opening.py), and shows nothing there that could turn out wrong: the title only when its line in the
file leaves no doubt, and that the session is opening. A workshop with mistakes still ends with them
printed and exit status 2; a good one ends on its title slide, keys working."""

from __future__ import annotations

import os
import pty
import re
import select
import signal
import sys
import time
from pathlib import Path

import pytest
import yaml

from facilitate.session.clock import FakeClock
from facilitate.session.session import Session
from facilitate.tui.app import FacilitateApp
from facilitate.tui.opening import Opening, OpeningScreen, read_title
from facilitate.workshop.registry import available_workshops, open_workshop

_ANSI = re.compile(rb"\x1b\[[0-9;?]*[ -/]*[@-~]")

TITLE_LINES = [
    "title: A plain title",
    "title: 'It''s quoted'",
    'title: "Double quoted"',
    "title: With a comment # not part of it",
    "title: Ünïcode – and a dash",
    "title: >\n  folded over\n  two lines",
    "title: goes on\n  over the next line",
    'title: "an escape\\n"',
    "title: a: b",
    "title:",
    "title: [a, list]",
    "id: x\ntitle: Not the first line\nsummary: s",
    "title: twice\ntitle: twice",
]


@pytest.mark.parametrize("text", TITLE_LINES)
def test_a_title_is_read_only_when_it_is_what_yaml_reads(tmp_path: Path, text: str) -> None:
    path = tmp_path / "w.yaml"
    path.write_text(text + "\n", encoding="utf-8")
    try:
        parsed = yaml.safe_load(text)
        expected = parsed.get("title") if isinstance(parsed, dict) else None
    except yaml.YAMLError:
        expected = None
    got = read_title(path)
    assert got is None or got == expected.strip()


def test_every_bundled_workshop_shows_its_title_at_once() -> None:
    for workshop in available_workshops():
        assert read_title(workshop.path) == open_workshop(str(workshop.path)).workshop.title


async def test_the_app_opens_the_session_after_its_first_screen(tmp_path: Path) -> None:
    loaded = open_workshop("check-in")
    opened: list[Session] = []

    def start() -> tuple[Session, None]:
        opened.append(Session.start_loaded(loaded, data_dir=tmp_path, clock=FakeClock()))
        return opened[0], None

    app = FacilitateApp(Opening(loaded.workshop.title, start))
    async with app.run_test(size=(100, 30)) as pilot:
        assert isinstance(app.screen_stack[0], OpeningScreen)
        while app.session is None:
            await pilot.pause(0.05)
        await pilot.pause()
        assert app.screen is app.run_screen
        await pilot.press("right")
        await pilot.pause()
        assert app.session.state.index == 1  # keys reach the session
    opened[0].close()


async def test_a_session_that_cannot_open_ends_the_app_and_keeps_the_reason(tmp_path: Path) -> None:
    def start() -> tuple[Session, None]:
        raise ValueError("the data folder went away")

    app = FacilitateApp(Opening("A title", start))
    async with app.run_test(size=(100, 30)) as pilot:
        while app.is_running and app.opening_error is None:
            await pilot.pause(0.05)
    assert str(app.opening_error) == "the data folder went away"


def run_in_terminal(args: list[str], data_dir: Path, wanted: str, keys: str = "") -> tuple[bytes, int]:
    """`facilitate ARGS` in a pseudo-terminal until `wanted` shows (then `keys`) or it exits."""
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "100", "LINES": "30"}
    env["FACILITATE_DATA_DIR"] = str(data_dir)
    pid, fd = pty.fork()
    if pid == 0:
        os.execvpe(sys.executable, [sys.executable, "-m", "facilitate", *args], env)
    seen, status = b"", None
    deadline = time.monotonic() + 30
    try:
        while time.monotonic() < deadline:
            if select.select([fd], [], [], 0.05)[0]:
                try:
                    chunk = os.read(fd, 65536)
                except OSError:
                    chunk = b""
                seen += chunk
                if wanted.replace(" ", "").encode() in _ANSI.sub(b"", seen).replace(b" ", b""):
                    if not keys:
                        break
                    os.write(fd, keys.encode())
                    keys, wanted = "", "\x00never"
                if not chunk:  # the program closed the terminal: it is ending
                    status = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
                    break
            done, code = os.waitpid(pid, os.WNOHANG)
            if done:
                status = os.waitstatus_to_exitcode(code)
                break
    finally:
        if status is None:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        os.close(fd)
    return _ANSI.sub(b"", seen), -1 if status is None else status


def test_a_workshop_with_mistakes_still_says_them_and_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    good = next(w.path for w in available_workshops() if w.name == "check-in").read_text(encoding="utf-8")
    bad.write_text(good.replace("kind: poll", "kind: pol", 1), encoding="utf-8")
    screen, status = run_in_terminal(["run", str(bad)], tmp_path / "data", "\x00never")
    assert status == 2
    assert b"unknown step kind 'pol'" in screen


def test_a_good_workshop_ends_on_its_whole_title_slide(tmp_path: Path) -> None:
    workshop = open_workshop("check-in").workshop
    screen, _ = run_in_terminal(["run", "check-in", "--no-phones"], tmp_path, workshop.summary[:30])
    assert workshop.title[:20].replace(" ", "").encode() in screen.replace(b" ", b"")
