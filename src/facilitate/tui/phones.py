"""Starting the phone server inside the facilitator app (its own asyncio loop: one process, no threads for
HTTP)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PhoneOptions:
    """Where the phone server listens, and the address to put in the QR code (behind a hotspot/proxy)."""

    host: str = "0.0.0.0"
    port: int = 8765
    public_url: str | None = None
    facilitator: str | None = None  # for the takeaways
    paper: str | None = None
    demo_room: int = 0  # simulated participants over loopback, for rehearsals
    speed: float = 1.0  # how much faster than real time the rehearsal runs (the room's delays too)
    room_size: int | None = None  # people in the room (--room-size); the join screen asks otherwise


def start_resource_tracker() -> None:
    """Takeaways are drawn in worker processes, and starting the first one starts multiprocessing's
    resource tracker, which hands the child our stderr's file descriptor. While Textual runs, sys.stderr is
    its capture object with no descriptor, and that start fails ("bad value(s) in fds_to_keep"): start the
    tracker with the terminal's own stderr in place."""
    import sys
    from contextlib import redirect_stderr
    from multiprocessing import resource_tracker

    if sys.__stderr__ is None:
        resource_tracker.ensure_running()
        return
    with redirect_stderr(sys.__stderr__):
        resource_tracker.ensure_running()
