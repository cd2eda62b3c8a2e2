"""Where the session's time comes from. Logic never reads the system time itself: a clock is injected."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Protocol


class Clock(Protocol):
    def now(self) -> float:
        """Epoch seconds."""
        ...


class SystemClock:
    """Wall time read once, then advanced by the monotonic clock.

    An NTP correction or a manual clock change mid-session cannot make a timer jump.
    """

    def __init__(
        self,
        wall: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._monotonic = monotonic
        self._anchor_wall = wall()
        self._anchor_mono = monotonic()

    def now(self) -> float:
        return self._anchor_wall + (self._monotonic() - self._anchor_mono)


class FakeClock:
    """A clock for tests and demos that only moves when told to."""

    def __init__(self, start: float = 1_764_000_000.0) -> None:
        self._now = float(start)

    def now(self) -> float:
        return self._now

    def advance(self, seconds: float) -> None:
        self._now += seconds

    def set(self, t: float) -> None:
        self._now = float(t)


class ScaledClock:
    """Time that runs `speed` times faster than `base` from the moment this clock is created (rehearsals)."""

    def __init__(self, base: Clock, speed: float) -> None:
        if not speed > 0:
            raise ValueError(f"the speed of a clock must be above zero, not {speed}")
        self._base = base
        self._speed = speed
        self._anchor = base.now()

    @property
    def anchor(self) -> float:
        """The base clock's time when this clock was created: both clocks agree then."""
        return self._anchor

    @property
    def speed(self) -> float:
        """How many of this clock's seconds pass in one of the base clock's."""
        return self._speed

    def now(self) -> float:
        return self._anchor + (self._base.now() - self._anchor) * self._speed


def clock_payload(clock: Clock) -> dict[str, float]:
    """How a follower of the journal (a room view) can tell this clock's time: {} for the wall clock,
    else the rehearsal's speed and the wall time it runs from (written with `start` and `suspend`)."""
    if isinstance(clock, ScaledClock):
        return {"speed": clock.speed, "anchor": clock.anchor}
    return {}
