"""Taking turns: a burst of phones spread over several turns of the event loop, so the facilitator's
screen (its countdown, its keys) gets a turn every few milliseconds.

asyncio runs every callback that is ready at the start of a turn before it looks at its timers again. A
thousand answers landing at once are a thousand handlers ready in the same turn, then a thousand replies,
then a thousand event-stream messages: each a turn of 50-100 ms on this machine's cores, with the
screen's timer waiting behind it (measured with py-spy: see the README). Here each of those steps first
takes a turn: at most `per_turn` go on in one turn of the loop, the rest wait, in the order they came,
for the next. The work is the same; it is cut into slices the screen can run between.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable

from aiohttp import web

PER_TURN = 48  # about 5 ms of handlers on a laptop core


class TurnTaking:
    def __init__(self, per_turn: int = PER_TURN) -> None:
        self.per_turn = per_turn
        self._used = 0
        self._waiting: deque[asyncio.Future[None]] = deque()
        self._scheduled = False
        self.last_busy = 0.0  # time.monotonic() of the last request: the collector waits for quiet

    def last_busy_at(self) -> float:
        return self.last_busy

    async def turn(self) -> None:
        """Return in this turn of the loop if there is room in it, else in a later one (in order)."""
        self.last_busy = time.monotonic()
        if self._used < self.per_turn and not self._waiting:
            self._used += 1
            self._next_turn_soon()
            return
        waiter = asyncio.get_running_loop().create_future()
        self._waiting.append(waiter)
        self._next_turn_soon()
        try:
            await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():
                self._used -= 1  # its place went unused: give it on
            raise

    def _next_turn_soon(self) -> None:
        if not self._scheduled:
            self._scheduled = True
            asyncio.get_running_loop().call_soon(self._next_turn)

    def _next_turn(self) -> None:
        """At the start of the next turn: let the next `per_turn` waiters go on (they run in the turn
        after, together with whatever else is ready then)."""
        self._scheduled = False
        self._used = 0
        while self._waiting and self._used < self.per_turn:
            waiter = self._waiting.popleft()
            if not waiter.done():
                waiter.set_result(None)
                self._used += 1
        if self._waiting or self._used:
            self._next_turn_soon()


TURNS_KEY = web.AppKey("turns", TurnTaking)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@web.middleware
async def take_turns(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every request of a phone waits for its turn before its handler runs."""
    await request.app[TURNS_KEY].turn()
    return await handler(request)
