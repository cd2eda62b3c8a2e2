"""A countdown computed from timestamps, never decremented per tick, so a long run cannot drift."""

from __future__ import annotations

from dataclasses import dataclass, replace

LAST_MINUTE = 60.0


def format_clock(seconds: float) -> str:
    """Seconds as m:ss for people: 75 -> "1:15"."""
    whole = round(abs(seconds))
    minutes, secs = divmod(whole, 60)
    sign = "-" if seconds < 0 and whole else ""
    return f"{sign}{minutes}:{secs:02d}"


@dataclass(frozen=True)
class Timer:
    """`planned` seconds, `elapsed_before` the seconds run before the current run began (if running)."""

    planned: float
    elapsed_before: float = 0.0
    running_since: float | None = None
    # The lengths of the phases this timer paces (an activity's, the grounding exercise's), in order from
    # its start. `adjust` keeps what has already run as it ran and stretches only what is still to come,
    # so a phase never jumps back and a finished phase keeps its length.
    phases: tuple[float, ...] = ()

    # --- changes: each returns a new Timer ------------------------------------------------------------
    def start(self, now: float) -> Timer:
        """Start or resume; a running timer is returned unchanged."""
        if self.running:
            return self
        return replace(self, running_since=now)

    def pause(self, now: float) -> Timer:
        """Pause, keeping what has elapsed; a paused timer is returned unchanged."""
        if not self.running:
            return self
        return replace(self, elapsed_before=self.elapsed(now), running_since=None)

    def toggle(self, now: float) -> Timer:
        return self.pause(now) if self.running else self.start(now)

    def adjust(self, seconds: float, now: float | None = None) -> Timer:
        """Add (or with a negative number, remove) planned time. Removing time may produce an overrun.

        The phases still to come (and the rest of the current one) share the change in proportion to
        their lengths; `now` says what has run (without it, nothing has)."""
        planned = self.planned + seconds
        if planned < 0:
            raise ValueError(
                f"The timer cannot go below zero: only {format_clock(self.planned)} is planned for it"
            )
        elapsed = 0.0 if now is None else self.elapsed(now)
        phases = stretch_rest(self.phases, elapsed, self.planned - elapsed, planned - elapsed)
        return replace(self, planned=planned, phases=phases)

    # --- queries --------------------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self.running_since is not None

    def elapsed(self, now: float) -> float:
        if self.running_since is None:
            return self.elapsed_before
        return self.elapsed_before + max(0.0, now - self.running_since)

    def remaining(self, now: float) -> float:
        return max(0.0, self.planned - self.elapsed(now))

    def overrun(self, now: float) -> float:
        return max(0.0, self.elapsed(now) - self.planned)

    def in_last_minute(self, now: float) -> bool:
        """The closing stretch: the last minute, or the last half of a step of two minutes or less (a
        one-minute step must not start in its "last minute")."""
        return 0 < self.remaining(now) <= min(LAST_MINUTE, self.planned / 2)

    def is_up(self, now: float) -> bool:
        return self.elapsed(now) >= self.planned


def stretch_rest(
    phases: tuple[float, ...], elapsed: float, rest_before: float, rest_after: float
) -> tuple[float, ...]:
    """Phase lengths after the time still to run goes from `rest_before` to `rest_after` seconds.

    What ran before `elapsed` keeps its length; the rest of every phase is stretched (or shrunk) by the
    same factor. With no time left to run, whatever was still to come ends now; a timer already over its
    time keeps its phases done."""
    if not phases:
        return phases
    if rest_after <= 0:
        factor = 0.0
    elif rest_before <= 0:
        factor = 1.0  # every phase has already run (they fit in the planned time): they stay done
    else:
        factor = rest_after / rest_before
    stretched: list[float] = []
    start = 0.0
    for length in phases:
        done = min(length, max(0.0, elapsed - start))
        stretched.append(done + (length - done) * factor)
        start += length
    return tuple(stretched)
