"""Event streams wake for what their phone shows, and only then: one phone's answer to a poll whose results
are hidden wakes that phone's own stream and no other; a change every phone sees reaches every phone.
Streams are capped per device and in total. Real HTTP against the running app."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from aiohttp.test_utils import TestClient, TestServer

from facilitate.server.app import COOKIE, create_app
from facilitate.server.streams import STREAMS_KEY, OpenStreams, StreamLimits
from facilitate.session.clock import FakeClock
from facilitate.session.session import Session
from facilitate.workshop.registry import open_workshop


@pytest.fixture
def session(tmp_path: Path) -> Session:
    session = Session.start_loaded(open_workshop("check-in"), data_dir=tmp_path, clock=FakeClock())
    session.jump(next(s.id for _, s in session.workshop.steps() if s.kind == "poll" and s.type == "single"))
    return session


@pytest.fixture
async def client(session: Session) -> AsyncIterator[TestClient]:
    async with TestClient(TestServer(create_app(session)), cookie_jar=aiohttp.DummyCookieJar()) as client:
        yield client


class Phone:
    """One phone: its cookie and, once opened, its event stream."""

    def __init__(self, client: TestClient, session: Session) -> None:
        self.client, self.base = client, f"/j/{session.join_secret}"
        self.token = ""
        self.stream: aiohttp.ClientResponse | None = None

    async def join(self) -> Phone:
        response = await self.client.get(self.base)
        assert response.status == 200
        self.token = response.cookies[COOKIE].value
        return self

    def headers(self) -> dict[str, str]:
        return {"Cookie": f"{COOKIE}={self.token}"}

    async def follow(self) -> dict:
        self.stream = await self.client.get(f"{self.base}/api/events", headers=self.headers())
        assert self.stream.status == 200
        return await self.next_state()

    async def next_state(self) -> dict:
        assert self.stream is not None

        async def read() -> dict:
            while True:
                chunk = (await self.stream.content.readuntil(b"\n\n")).decode()
                if chunk.startswith("data: "):
                    return json.loads(chunk[len("data: ") :])

        return await asyncio.wait_for(read(), 5)

    async def answer(self, step: str, value: object) -> None:
        response = await self.client.post(
            f"{self.base}/api/answer", json={"step": step, "answer": value}, headers=self.headers()
        )
        assert response.status == 200, await response.text()


def wakes(client: TestClient, phone: Phone) -> int:
    return sum(stream.wakes for stream in client.app[STREAMS_KEY].by_device.get(phone.token, []))


async def test_one_phones_answer_wakes_only_its_own_stream_while_results_are_hidden(
    client: TestClient, session: Session
) -> None:
    poll = session.current_step.id
    phones = [await Phone(client, session).join() for _ in range(4)]
    for phone in phones:
        assert (await phone.follow())["answered"] is False
    before = [wakes(client, phone) for phone in phones]
    await phones[0].answer(poll, 1)
    state = await phones[0].next_state()
    assert state["answered"] is True and state["mine"] == 1 and "results" not in state
    after = [wakes(client, phone) for phone in phones]
    assert after[0] == before[0] + 1
    assert after[1:] == before[1:], "another phone's stream woke for an answer it cannot see"


async def test_results_that_move_reach_every_phone_and_only_then_wake_them(
    client: TestClient, session: Session
) -> None:
    poll = session.current_step.id
    phones = [await Phone(client, session).join() for _ in range(12)]
    for phone in phones:
        await phone.follow()
    threshold = session.workshop.reveal_threshold(session.current_step)
    for phone in phones[:threshold]:
        await phone.answer(poll, 0)
        await phone.next_state()
    assert session.toggle_reveal(poll).ok
    shown = [(await phone.next_state())["results"] for phone in phones]
    assert all(results == shown[0] for results in shown)  # a reveal reaches every phone
    results, moves = shown[0], 0
    for index, phone in enumerate(phones[threshold:], start=threshold):
        before = [wakes(client, other) for other in phones]
        await phone.answer(poll, 1)
        own = await phone.next_state()
        assert own["answered"] is True and own["mine"] == 1
        others = [other for other in phones if other is not phone]
        if own["results"] == results:  # nothing every phone sees changed: nobody else woke
            assert [wakes(client, other) for other in phones] == [
                b + (other is phone) for other, b in zip(phones, before, strict=True)
            ]
            continue
        moves += 1
        results = own["results"]
        for other in others:
            state = await other.next_state()
            assert state["results"] == results
            assert state["mine"] == (
                0 if phones.index(other) < threshold else 1 if phones.index(other) < index else None
            )
        assert [wakes(client, other) - b for other, b in zip(phones, before, strict=True)] == [1] * len(
            phones
        )
    assert moves >= 1, "the shown results never moved: the test did not see the every-phone case"


async def test_a_stream_needs_a_phone_that_joined(client: TestClient, session: Session) -> None:
    response = await client.get(f"/j/{session.join_secret}/api/events")
    assert response.status == 403
    assert "reload" in (await response.json())["error"]


async def test_a_device_holds_a_few_streams_and_a_new_one_ends_its_oldest(
    client: TestClient, session: Session
) -> None:
    phone = await Phone(client, session).join()
    limit = client.app[STREAMS_KEY].limits.per_device
    opened = []
    for _ in range(limit + 1):
        opened.append(await client.get(f"/j/{session.join_secret}/api/events", headers=phone.headers()))
        await asyncio.wait_for(opened[-1].content.readuntil(b"\n\n"), 5)
    assert all(response.status == 200 for response in opened)
    assert await asyncio.wait_for(opened[0].content.read(), 5) == b""  # the oldest was ended
    assert len(client.app[STREAMS_KEY].by_device[phone.token]) == limit
    session.next()
    for response in opened[1:]:  # the others still follow the steps
        chunk = await asyncio.wait_for(response.content.readuntil(b"\n\n"), 5)
        assert chunk.startswith(b"data: ")


async def test_beyond_the_total_a_stream_is_refused_with_a_sentence(session: Session) -> None:
    app = create_app(session)
    app[STREAMS_KEY] = OpenStreams(StreamLimits(total=2))
    async with TestClient(TestServer(app), cookie_jar=aiohttp.DummyCookieJar()) as client:
        phones = [await Phone(client, session).join() for _ in range(3)]
        await phones[0].follow()
        await phones[1].follow()
        refused = await client.get(f"/j/{session.join_secret}/api/events", headers=phones[2].headers())
        assert refused.status == 503
        assert "try again" in (await refused.json())["error"]
        phones[0].stream.close()
        await asyncio.wait_for(_until(lambda: client.app[STREAMS_KEY].count == 1), 5)
        assert (await phones[2].follow())["step"]["id"] == session.current_step.id


async def _until(condition) -> None:
    while not condition():
        await asyncio.sleep(0.01)


async def test_an_idle_stream_gets_a_heartbeat(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    from facilitate.server import streams

    monkeypatch.setattr(streams, "HEARTBEAT_SECONDS", 0.2)
    async with TestClient(TestServer(create_app(session)), cookie_jar=aiohttp.DummyCookieJar()) as client:
        phone = await Phone(client, session).join()
        await phone.follow()
        for _ in range(2):  # again and again, not once
            chunk = await asyncio.wait_for(phone.stream.content.readuntil(b"\n\n"), 5)
            assert chunk == b": heartbeat\n\n"
