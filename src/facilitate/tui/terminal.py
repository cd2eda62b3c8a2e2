"""Giving the terminal back as it was, on every exit the app controls.

Textual puts the terminal in raw mode, switches to the alternate screen and turns on mouse reporting,
and undoes all of it when the app exits normally. A signal would end the process without that: SIGTERM
(a `kill`, a logout, a supervisor) and SIGHUP (the terminal window closed) by default, SIGINT sent from
outside (the app reads Ctrl+C as a key) as an exception in the middle of the event loop. Here each of
them asks the app to exit as `q` would: the session is journaled already, so nothing is lost, and the
terminal is restored by the same code as a normal exit. `restored_terminal` also puts the terminal's
own settings back after anything else that ends the app (an error while it starts or stops).

Nothing can run after `kill -9`: the README says to type `reset` (or `stty sane`) then.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress

EXIT_SIGNALS: tuple[signal.Signals, ...] = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP", "SIGINT") if hasattr(signal, name)
)
# What Textual's driver writes when it stops: normal screen, cursor shown, no mouse or focus reports,
# no bracketed paste, line wrap on, keyboard protocol off.
_LEAVE_APPLICATION_MODE = (
    "\x1b[?1000l\x1b[?1003l\x1b[?1015l\x1b[?1006l"  # mouse reporting off
    "\x1b[?2004l\x1b[?7h\x1b[<u\x1b[?1049l\x1b[?25h\x1b[?1004l"
)


def exit_on_signals(stop: Callable[[signal.Signals], None]) -> None:
    """From inside the app's running loop: call `stop(signal)` on SIGTERM, SIGHUP or SIGINT instead of
    dying there (the loop runs `stop` as an ordinary callback, so it may exit the app)."""
    loop = asyncio.get_running_loop()
    for signum in EXIT_SIGNALS:
        with suppress(NotImplementedError, RuntimeError, ValueError):  # no signals here (not the main thread)
            loop.add_signal_handler(signum, stop, signum)


def signal_exit_code(signum: int) -> int:
    """The shell's code for a process ended by a signal (143 for SIGTERM)."""
    return 128 + signum


@contextmanager
def restored_terminal() -> Iterator[None]:
    """Remember the terminal's settings and put them back when the block ends, if they were left
    changed (raw mode after an error); a no-op without a terminal."""
    fd = _terminal_fd()
    saved = None
    if fd is not None:
        import termios

        with suppress(termios.error, OSError):
            saved = termios.tcgetattr(fd)
    try:
        yield
    finally:
        if fd is not None and saved is not None:
            _restore(fd, saved)


def _terminal_fd() -> int | None:
    for stream in (sys.__stdin__, sys.__stdout__):
        with suppress(AttributeError, ValueError, OSError):
            if stream is not None and stream.isatty():
                return stream.fileno()
    return None


def _restore(fd: int, saved: list) -> None:  # type: ignore[type-arg]
    import termios

    try:
        if termios.tcgetattr(fd) == saved:
            return
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)
        os.write(fd, _LEAVE_APPLICATION_MODE.encode())
    except (termios.error, OSError):  # the terminal is gone (SIGHUP): nothing to restore
        pass
