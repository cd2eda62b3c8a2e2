"""Waiting for a condition instead of a fixed time: fast when the machine is fast, patient when it is
loaded (a fixed `pilot.pause(0.3)` failed in CI under load)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

TIMEOUT = 10.0


async def until(pilot: Any, condition: Callable[[], object], timeout: float = TIMEOUT) -> None:
    """Let the app run until `condition()` is true; fail with the condition's source when it never is."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if condition():
                return
        except Exception:  # a widget not there yet: keep waiting
            pass
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {timeout} s for {getattr(condition, '__name__', condition)}")
        await pilot.pause(0.02) if pilot is not None else await asyncio.sleep(0.02)


def until_sync(condition: Callable[[], object], timeout: float = TIMEOUT) -> None:
    """`until` for code outside an event loop (a subprocess's file, a thread)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {timeout} s for {getattr(condition, '__name__', condition)}")
        time.sleep(0.02)


async def settled(pilot: Any, app: Any, ticks: int = 2) -> None:
    """Wait until the app's own interval (`TICK_SECONDS`, which redraws timers, counts and phases) has
    run `ticks` more times, and the app has then processed what that scheduled. For checks that
    something did *not* change as well as that it did: a count of the app's own ticks, not a guess at
    how long they take on a loaded machine."""
    start = app._ticks
    await until(pilot, lambda: app._ticks >= start + ticks)
    await pilot.pause()


def palette_offers(app: Any, text: str) -> bool:
    """The command palette lists a command containing `text` (its search runs in a worker)."""
    from textual.command import CommandList

    shown = app.screen.query_one(CommandList)
    return any(text in str(shown.get_option_at_index(i).prompt) for i in range(shown.option_count))
