"""Joins the facilitator can trust, against the running phone server over a real port: a script's fake
phones from one address, phones beyond the room size waiting for a yes, bursts of joins (issue 12 §1)."""

from __future__ import annotations

from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer

from facilitate.server.app import JOINS_KEY, create_app
from facilitate.server.http import SESSION_KEY
from facilitate.session.session import Session
from tests.server.attack_kit import answer, new_session, post, step_of


@pytest.fixture
def session(tmp_path: Path) -> Session:
    return new_session(tmp_path)


# --- joins the facilitator can trust --------------------------------------------------------------------
class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def fake_phone(server: TestServer) -> tuple[int, str]:
    """A script's "phone": a GET of the join page with no cookie, as the issue's attack did 500 times."""
    import aiohttp

    url = server.make_url(f"/j/{server.app[SESSION_KEY].join_secret}")
    async with aiohttp.ClientSession() as one_off, one_off.get(url) as response:
        return response.status, await response.text()


async def test_fake_phones_from_one_address_are_limited(session: Session) -> None:
    """Issue 12: 500 fake phones from one address in 0.4 s. Now a few, then a clear refusal; nothing
    about the address is stored."""
    from facilitate.server.joins import PER_ADDRESS, JoinGate

    server = TestServer(create_app(session, joins=JoinGate(exempt_loopback=False)))
    await server.start_server()
    try:
        statuses = [(await fake_phone(server))[0] for _ in range(50)]
        assert statuses.count(200) == PER_ADDRESS and session.joined == PER_ADDRESS
        assert statuses[PER_ADDRESS:] == [429] * (50 - PER_ADDRESS)
        status, text = await fake_phone(server)
        assert status == 429 and "Too many new phones" in text
    finally:
        await server.close()
    assert b"127.0.0.1" not in session.journal.path.read_bytes()


async def test_behind_a_public_url_every_phone_shares_an_address(session: Session) -> None:
    server = TestServer(create_app(session, public_url="https://room.example.org"))
    server.app[JOINS_KEY].exempt_loopback = False
    await server.start_server()
    try:
        assert [(await fake_phone(server))[0] for _ in range(12)] == [200] * 12
    finally:
        await server.close()


async def test_phones_beyond_the_room_size_wait_for_the_facilitators_yes(session: Session) -> None:
    from facilitate.server.joins import JoinGate, margin

    gate = JoinGate(room_size=5)
    async with TestClient(TestServer(create_app(session, joins=gate))) as first:
        for _ in range(5 + margin(5)):
            assert (await fake_phone(first.server))[0] == 200
        assert session.joined == 7
        waiting = await first.get(f"/j/{session.join_secret}")
        text = await waiting.text()
        assert waiting.status == 200 and "the facilitator has been asked" in text
        assert 'http-equiv="refresh"' in text and session.joined == 7 and gate.waiting == 1
        step = step_of(session, "reflection")
        refused = await post(first, session, answer(step, "not yet in"))
        assert refused.status == 400  # a waiting phone is no device: it cannot answer
        again = await first.get(f"/j/{session.join_secret}")  # the page asks again by itself
        assert "the facilitator has been asked" in await again.text() and gate.waiting == 1
        assert gate.let_in() == 1
        admitted = await first.get(f"/j/{session.join_secret}")
        assert admitted.status == 200 and 'http-equiv="refresh"' not in await admitted.text()
        assert session.joined == 8 and gate.waiting == 0
        assert (await post(first, session, answer(step, "now I am in"))).status == 200


async def test_a_burst_of_joins_is_shown_as_a_warning(session: Session) -> None:
    from facilitate.server.joins import JoinGate

    clock = Clock()
    gate = JoinGate(clock=clock)
    server = TestServer(create_app(session, joins=gate))
    await server.start_server()
    try:
        for _ in range(6):  # a room scanning the code: one every few seconds
            assert (await fake_phone(server))[0] == 200
            clock.now += 3
        assert gate.burst is None and gate.news() == []
        for _ in range(12):
            await fake_phone(server)
            clock.now += 0.15
        assert gate.burst == "12 phones joined in 2 s"
        assert gate.news() == ["10 phones joined in 1 s"] and gate.news() == []
    finally:
        await server.close()
