"""Python's garbage collector, kept out of a burst of phones.

Measured with `benchmarks/phones.py` (1,000 phones answering at once): the cyclic garbage collector's
full collections walked every object alive (the app's screens, the workshop, every open stream) and held
the loop for 90-700 ms at a time, the facilitator's screen with it; they were most of what was left of
the screen's stall once the phones' work took turns (`turns.py`). So, once the phone server is up:

- everything alive then (alive for the whole session) is frozen out of the collector's sight;
- the collector runs its young generations as usual (short: they see only what is new), but its full
  collections only when the phones have been quiet for a moment; what survives one (open streams, mostly)
  is frozen too, so the next sees only what is new since;
- every few minutes, when quiet, everything is thawed and collected once, so garbage among frozen
  objects (a stream that ended) does not stay for the whole session.
"""

from __future__ import annotations

import asyncio
import gc
import time
from collections.abc import Callable

QUIET_SECONDS = 2.0  # no phone request for this long: a full collection will not be felt
THAW_SECONDS = 300.0  # how often a quiet moment looks at everything again
THAW_AT_THE_LATEST = 900.0  # ... and how often even a room that is never quiet does
BUSY_LIMIT = 100  # collections of the middle generation without a full one: collect even if busy
_NEVER = 1_000_000_000  # a third-generation threshold the collector never reaches by itself


async def collect_when_quiet(last_busy: Callable[[], float], check_seconds: float = 0.5) -> None:
    """Run for as long as the phone server does. `last_busy()`: when (time.monotonic()) a phone last
    made a request."""
    gc.collect()
    gc.freeze()
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, _NEVER)
    last_thaw = time.monotonic()
    try:
        while True:
            await asyncio.sleep(check_seconds)
            now = time.monotonic()
            pending = gc.get_count()[2]  # middle-generation collections since the last full one
            quiet = now - last_busy() >= QUIET_SECONDS
            thaw = now - last_thaw >= (THAW_SECONDS if quiet else THAW_AT_THE_LATEST)
            if not thaw and not (pending and quiet) and pending < BUSY_LIMIT:
                continue
            if thaw:
                gc.unfreeze()
                last_thaw = now
            gc.collect()
            gc.freeze()
    finally:
        gc.unfreeze()
        gc.set_threshold(young, middle, 10)
