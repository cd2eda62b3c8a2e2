"""The terminal comes back as it was after every exit the app controls: signals, errors (a real pty)."""

from __future__ import annotations

import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
termios = pytest.importorskip("termios")
_ANSI = re.compile(rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>]")


class Pty:
    """A pseudo-terminal whose terminal side this test keeps open, to read its settings afterwards."""

    def __init__(self) -> None:
        self.master, self.slave = os.openpty()
        fcntl.ioctl(self.slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
        self.seen = b""

    def read_until(self, wanted: bytes, timeout: float = 20.0, *, raw: bool = False) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.master], [], [], 0.05)
            if ready:
                try:
                    self.seen += os.read(self.master, 65536)
                except OSError:
                    break
            shown = self.seen if raw else _ANSI.sub(b"", self.seen).replace(b" ", b"")
            if wanted in shown:
                return
        raise AssertionError(f"{wanted!r} never came; last: {_ANSI.sub(b'', self.seen)[-400:]!r}")

    def drain(self) -> None:
        while select.select([self.master], [], [], 0.2)[0]:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                return
            if not chunk:
                return
            self.seen += chunk

    def close(self) -> None:
        os.close(self.master)
        os.close(self.slave)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT], ids=lambda s: s.name)
def test_a_signal_ends_the_app_as_quit_does_and_gives_the_terminal_back(
    tmp_path: Path, signum: signal.Signals
) -> None:
    terminal = Pty()
    before = termios.tcgetattr(terminal.slave)
    env = {**os.environ, "TERM": "xterm-256color", "FACILITATE_DATA_DIR": str(tmp_path)}
    app = subprocess.Popen(
        [sys.executable, "-m", "facilitate", "run", "check-in", "--no-phones"],
        stdin=terminal.slave,
        stdout=terminal.slave,
        stderr=terminal.slave,
        env=env,
        start_new_session=True,
    )
    try:
        terminal.read_until(b"qQuit")  # the first screen, with its keys
        assert termios.tcgetattr(terminal.slave) != before  # raw mode while the app runs
        app.send_signal(signum)
        code = app.wait(timeout=20)
        terminal.drain()
    finally:
        if app.poll() is None:
            app.kill()
            app.wait()
    try:
        after = termios.tcgetattr(terminal.slave)
        assert after == before, "the terminal was left in raw mode"
        assert code == 128 + signum  # as a shell reports a process ended by that signal
        assert b"\x1b[?1049l" in terminal.seen  # back from the alternate screen
        if signum != signal.SIGHUP:
            said = _ANSI.sub(b"", terminal.seen).decode(errors="replace")
            assert f"facilitate stopped ({signum.name}). Session " in said
            assert "is saved. Continue it with: facilitate run check-in --resume" in said
    finally:
        terminal.close()


def test_an_error_inside_leaves_the_terminal_as_it_was() -> None:
    """`restored_terminal` puts the settings back when the block ends with an exception in raw mode."""
    import tty

    from facilitate.tui import terminal as module

    pty_ = Pty()
    before = termios.tcgetattr(pty_.slave)
    original = module._terminal_fd
    module._terminal_fd = lambda: pty_.slave  # type: ignore[assignment]
    try:
        with pytest.raises(RuntimeError), module.restored_terminal():
            tty.setraw(pty_.slave)
            raise RuntimeError("a bug while the app runs")
        assert termios.tcgetattr(pty_.slave) == before
        pty_.read_until(b"\x1b[?1049l", timeout=2, raw=True)
    finally:
        module._terminal_fd = original  # type: ignore[assignment]
        pty_.close()
