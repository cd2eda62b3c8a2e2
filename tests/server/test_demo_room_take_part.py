"""`--demo-room` rehearses questions, upvotes, a pause request, ranking and points like a real room."""

from __future__ import annotations

import asyncio
import socket
import time
from pathlib import Path

from facilitate.server.demo_room import DemoRoom
from facilitate.server.runner import start_phone_server
from facilitate.session.clock import FakeClock
from facilitate.session.session import Session
from facilitate.workshop.loader import parse_workshop
from facilitate.workshop.starter import starter_text

ROOM = 30


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def until(condition, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.05)


async def test_the_simulated_room_asks_upvotes_pauses_ranks_and_spreads_points(tmp_path: Path) -> None:
    source = starter_text(Path("rehearse.yaml"))
    session = Session.start(
        parse_workshop(source), data_dir=tmp_path, clock=FakeClock(), source_text=source, source_path=None
    )
    server = await start_phone_server(session, host="127.0.0.1", port=free_port())
    room = DemoRoom(f"http://127.0.0.1:{server.port}/j/{session.join_secret}", ROOM, speed=400, join_window=1)
    await room.start()
    try:
        await until(lambda: session.joined == ROOM)
        session.jump("what-first")
        await until(lambda: len(room.answers_for("what-first")) >= ROOM - 2)
        rankings = [a for a in room.answers_for("what-first").values() if a is not None]
        assert rankings and all(sorted(a) == [0, 1, 2] for a in rankings)
        assert {tuple(a) for a in rankings} != {(0, 1, 2)}  # not everyone in the workshop's order
        await until(  # what the room was told was saved is what the session counts
            lambda: (
                session.results("what-first").current.answered
                == sum(1 for a in room.answers_for("what-first").values() if a is not None)
            )
        )
        session.jump("where-energy")
        await until(lambda: len(room.answers_for("where-energy")) >= ROOM - 2)
        spreads = [a for a in room.answers_for("where-energy").values() if a is not None]
        assert spreads and all(sum(a) == 100 and min(a) >= 0 for a in spreads)
        await until(lambda: len(session.waiting_questions()) >= 2)
        await until(lambda: session.recent_pauses() >= 1)
        first = session.waiting_questions()[0]
        session.moderate_question(first.id, approved=True)
        session.jump("in-the-way")  # a step change: everyone sees the listed question
        await until(lambda: session.listed_questions()[0].votes >= 2)
        assert all(sent.status == 200 for sent in room.sent if sent.step in ("question", "vote", "pause"))
    finally:
        await room.stop()
        await server.stop()
        session.close()
