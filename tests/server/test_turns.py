"""A burst of requests takes turns: at most a few handlers go on in one turn of the event loop, in the
order they came, so the facilitator's screen runs between the slices."""

from __future__ import annotations

import asyncio
from collections import Counter

from facilitate.server.turns import TurnTaking


async def test_a_burst_is_cut_into_turns_in_arrival_order() -> None:
    turns = TurnTaking(per_turn=10)
    loop = asyncio.get_running_loop()
    turn = [0]
    running = [True]

    def count_turns() -> None:  # runs once in every turn of the loop
        turn[0] += 1
        if running[0]:
            loop.call_soon(count_turns)

    loop.call_soon(count_turns)
    passed: list[tuple[int, int]] = []

    async def handler(index: int) -> None:
        await turns.turn()
        passed.append((index, turn[0]))

    await asyncio.gather(*(handler(index) for index in range(95)))
    running[0] = False
    assert [index for index, _ in passed] == list(range(95))  # first come, first served
    per_turn = Counter(at for _, at in passed)
    assert max(per_turn.values()) <= 10
    assert len(per_turn) >= 10  # spread over at least ten turns


async def test_one_request_alone_does_not_wait() -> None:
    turns = TurnTaking(per_turn=10)
    waited = asyncio.ensure_future(turns.turn())
    await asyncio.sleep(0)
    assert waited.done()
