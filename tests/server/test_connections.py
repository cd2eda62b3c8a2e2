"""Connections a participant's script might open: silent ones, headers or a body trickling in, a flood of
event streams or of bare connections. Each is closed or refused in time, while the phones already in keep
working. Over a real port, against the phone server as `facilitate run` starts it, with its timeouts
shortened (`slow_seconds`) so the suite does not wait the real 5 s."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from facilitate.server.connections import RESERVED_FILES, Capacity
from facilitate.server.runner import PhoneServer, start_phone_server
from facilitate.server.streams import STREAMS_KEY
from facilitate.session.clock import FakeClock
from facilitate.session.session import Session
from facilitate.workshop.registry import open_workshop
from tests.server.test_streams import Phone

SLOW = 0.5  # the test's `slow_seconds` (5 s in a real run)


@pytest.fixture
def session(tmp_path: Path) -> Session:
    session = Session.start_loaded(open_workshop("check-in"), data_dir=tmp_path, clock=FakeClock())
    session.jump(next(s.id for _, s in session.workshop.steps() if s.kind == "poll" and s.type == "single"))
    return session


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def serve(session: Session, capacity: Capacity | None = None) -> PhoneServer:
    return await start_phone_server(
        session, host="127.0.0.1", port=free_port(), capacity=capacity, slow_seconds=SLOW
    )


@pytest.fixture
async def server(session: Session) -> AsyncIterator[PhoneServer]:
    server = await serve(session)
    yield server
    await server.stop()


class HttpClient:
    """What `Phone` needs of a client: get and post relative to the server's address."""

    def __init__(self, client: aiohttp.ClientSession, port: int, app) -> None:
        self.client, self.root, self.app = client, f"http://127.0.0.1:{port}", app

    def get(self, path: str, **kwargs):
        return self.client.get(self.root + path, **kwargs)

    def post(self, path: str, **kwargs):
        return self.client.post(self.root + path, **kwargs)


@pytest.fixture
async def http(server: PhoneServer) -> AsyncIterator[HttpClient]:
    async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as client:
        yield HttpClient(client, server.port, server.runner.app)


async def open_raw(port: int) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    return await asyncio.open_connection("127.0.0.1", port)


async def closed_within(reader: asyncio.StreamReader, seconds: float) -> float:
    """How long until the server closed this connection (fails if it is still open after `seconds`)."""
    started = time.monotonic()
    try:
        while await asyncio.wait_for(reader.read(4096), seconds):
            pass
    except ConnectionResetError:
        pass
    return time.monotonic() - started


async def test_a_silent_connection_is_closed(server: PhoneServer) -> None:
    reader, writer = await open_raw(server.port)
    assert await closed_within(reader, 10 * SLOW) < 4 * SLOW
    writer.close()


async def test_headers_that_trickle_in_are_not_waited_for(server: PhoneServer, session: Session) -> None:
    reader, writer = await open_raw(server.port)
    request = f"GET /j/{session.join_secret} HTTP/1.1\r\nHost: x\r\n".encode() + b"X-Slow: " + b"a" * 200
    started = time.monotonic()

    async def trickle() -> None:
        for byte in request:
            writer.write(bytes([byte]))
            await asyncio.sleep(SLOW / 10)  # never finishes within the timeout

    sending = asyncio.create_task(trickle())
    try:
        await closed_within(reader, 10 * SLOW)
        assert time.monotonic() - started < 4 * SLOW
    finally:
        sending.cancel()
        writer.close()


async def test_a_body_that_trickles_in_gets_408_and_the_connection_closes(
    server: PhoneServer, session: Session, http: HttpClient
) -> None:
    phone = await Phone(http, session).join()
    reader, writer = await open_raw(server.port)
    writer.write(
        f"POST /j/{session.join_secret}/api/answer HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n"
        f"Content-Type: application/json\r\nContent-Length: 100\r\nCookie: facilitate_device={phone.token}\r\n"
        f"Origin: http://127.0.0.1:{server.port}\r\n\r\n"
        '{"step": '.encode()
    )
    started = time.monotonic()
    reply = await asyncio.wait_for(reader.read(4096), 10 * SLOW)
    assert reply.startswith(b"HTTP/1.1 408"), reply[:200]
    await closed_within(reader, 10 * SLOW)
    assert time.monotonic() - started < 4 * SLOW + 2.0  # the body timeout, then a short lingering close
    writer.close()


async def test_a_flood_of_streams_from_one_device_holds_only_a_few(
    server: PhoneServer, session: Session, http: HttpClient
) -> None:
    phone = await Phone(http, session).join()
    other = await Phone(http, session).join()
    await other.follow()
    opened = []
    for _ in range(40):
        opened.append(await http.get(f"/j/{session.join_secret}/api/events", headers=phone.headers()))
    streams = server.runner.app[STREAMS_KEY]
    assert len(streams.by_device[phone.token]) == streams.limits.per_device
    assert streams.count == streams.limits.per_device + 1
    reflection = next(s.id for _, s in session.workshop.steps() if s.kind == "reflection")
    session.jump(reflection)  # the phone that was already in still follows
    assert (await other.next_state())["step"]["id"] == reflection
    for response in opened:
        response.close()


async def test_beyond_the_connection_cap_a_connection_is_closed_at_once(session: Session) -> None:
    capacity = Capacity(open_files_limit=RESERVED_FILES + 8, in_use=0, phones=4)
    assert capacity.connections == 8
    server = await serve(session, capacity)
    try:
        held = [await open_raw(server.port) for _ in range(8)]
        extra_reader, extra_writer = await open_raw(server.port)
        assert await closed_within(extra_reader, 10 * SLOW) < SLOW  # closed on arrival, not at a timeout
        extra_writer.close()
        for _, writer in held:
            writer.close()
    finally:
        await server.stop()


async def test_joins_beyond_capacity_get_a_sentence_and_the_facilitator_is_told(session: Session) -> None:
    told: list[int] = []
    capacity = Capacity(
        open_files_limit=10_000, in_use=0, phones=3, on_refused=lambda c: told.append(c.refused)
    )
    server = await serve(session, capacity)
    try:
        async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as client:
            http = HttpClient(client, server.port, server.runner.app)
            phones = [await Phone(http, session).join() for _ in range(3)]
            refused = await http.get(f"/j/{session.join_secret}")
            assert refused.status == 503
            assert "room for 3 phones" in await refused.text()
            assert "facilitate_device" not in refused.cookies
            assert told == [1]
            for phone in phones:  # every phone already in keeps working
                await phone.follow()
                await phone.answer(session.current_step.id, 0)
            assert session.results(session.current_step.id).current.answered == 3
    finally:
        await server.stop()
