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
