"""A participant with a laptop and a script, against the running phone server over a real port: each
attack from issue 12, and what the server does instead."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer

from facilitate.server.app import COOKIE, JOINS_KEY, create_app
from facilitate.server.http import SESSION_KEY
from facilitate.session.clock import FakeClock
from facilitate.session.session import Session
from facilitate.workshop.registry import open_workshop

SECURITY_HEADERS = ("Content-Security-Policy", "Referrer-Policy", "X-Content-Type-Options")


@pytest.fixture
def session(tmp_path: Path) -> Session:
    return Session.start_loaded(open_workshop("check-in"), data_dir=tmp_path, clock=FakeClock())


@pytest.fixture
async def client(session: Session) -> AsyncIterator[TestClient]:
    async with TestClient(TestServer(create_app(session))) as client:
        yield client


def step_of(session: Session, kind: str, poll_type: str | None = None) -> str:
    return next(
        s.id
        for _, s in session.workshop.steps()
        if s.kind == kind and (poll_type is None or s.type == poll_type)
    )


async def join(client: TestClient, session: Session) -> None:
    response = await client.get(f"/j/{session.join_secret}")
    assert response.status == 200 and COOKIE in response.cookies


async def post(client: TestClient, session: Session, data: bytes, **headers: str):
    headers = {"Content-Type": "application/json", **headers}
    return await client.post(f"/j/{session.join_secret}/api/answer", data=data, headers=headers)


def answer(step: str, value: object) -> bytes:
    return json.dumps({"step": step, "answer": value}).encode()


# --- hostile bodies -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "body",
    [
        b"[" * 1000 + b"]" * 1000,
        b'{"step": "x", "answer": ' + b"[" * 5000 + b"]" * 5000 + b"}",
        b'{"a":' * 900 + b"1" + b"}" * 900,
    ],
    ids=["array-1000", "answer-5000", "object-900"],
)
async def test_deeply_nested_json_is_a_4xx_with_the_security_headers(
    client: TestClient, session: Session, body: bytes
) -> None:
    await join(client, session)
    response = await post(client, session, body)
    assert 400 <= response.status < 500, await response.text()
    for header in SECURITY_HEADERS:
        assert header in response.headers
    assert "error" in await response.json()


async def test_an_unexpected_error_still_carries_the_security_headers(
    client: TestClient, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    await join(client, session)

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("facilitate.server.app.phone_state_async", broken)
    response = await client.get(f"/j/{session.join_secret}/api/state")
    assert response.status == 500 and "a bug" not in await response.text()
    for header in SECURITY_HEADERS:
        assert header in response.headers


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", ""]
)
async def test_answers_only_as_json(client: TestClient, session: Session, content_type: str) -> None:
    await join(client, session)
    step = step_of(session, "reflection")
    response = await post(client, session, answer(step, "sent as a form"), **{"Content-Type": content_type})
    assert response.status == 415
    assert session.private_answers(next(iter(session._devices))) == {}


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "http://127.0.0.1:9999"},  # the same address, another port: another origin
        {"Origin": "http://evil.example"},
        {"Origin": "null"},
        {"Sec-Fetch-Site": "same-site"},
        {"Sec-Fetch-Site": "cross-site"},
    ],
)
async def test_a_cross_site_write_is_refused(client: TestClient, session: Session, headers: dict) -> None:
    await join(client, session)
    step = step_of(session, "reflection")
    response = await post(client, session, answer(step, "planted by another page"), **headers)
    assert response.status == 403
    assert session.private_answers(next(iter(session._devices))) == {}


async def test_the_pages_own_origin_is_accepted(client: TestClient, session: Session) -> None:
    await join(client, session)
    step = step_of(session, "reflection")
    own = f"http://{client.server.host}:{client.server.port}"
    response = await post(
        client, session, answer(step, "mine"), Origin=own, **{"Sec-Fetch-Site": "same-origin"}
    )
    assert response.status == 200


async def test_the_public_url_origin_is_accepted(session: Session) -> None:
    app = create_app(session, public_url="https://workshop.example.org/")
    async with TestClient(TestServer(app)) as client:
        await join(client, session)
        step = step_of(session, "reflection")
        ok = await post(client, session, answer(step, "mine"), Origin="https://workshop.example.org")
        assert ok.status == 200


# --- HEAD never joins -----------------------------------------------------------------------------------
async def test_head_never_joins(client: TestClient, session: Session) -> None:
    for _ in range(50):
        response = await client.head(f"/j/{session.join_secret}")
        assert response.status == 200 and COOKIE not in response.cookies
    assert session.joined == 0


# --- after the end --------------------------------------------------------------------------------------
async def test_after_the_end_nothing_private_comes_in(client: TestClient, session: Session) -> None:
    await join(client, session)
    reflection, plan = step_of(session, "reflection"), step_of(session, "plan")
    assert (await post(client, session, answer(reflection, "before the end"))).status == 200
    session.end()
    late = await post(client, session, answer(reflection, "after the end"))
    assert late.status == 409 and "ended" in (await late.json())["error"]
    late_plan = await post(client, session, answer(plan, {"if": "a", "then": "b"}))
    assert late_plan.status == 409
    token = next(iter(session._devices))
    assert session.private_answers(token) == {reflection: "before the end"}
    async with TestClient(TestServer(create_app(session))) as newcomer:
        refused = await newcomer.get(f"/j/{session.join_secret}")
        assert refused.status == 403 and COOKIE not in refused.cookies
        assert "has ended" in await refused.text() and "Content-Security-Policy" in refused.headers
    assert session.joined == 1
    again = await client.get(f"/j/{session.join_secret}")  # a phone that took part still gets its page
    assert again.status == 200


# --- answers without content ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "blank", ["\u3164", "\u115f\u3164", "\u2800\u2800", "\u200b\u200d", " \u3164\n\u2800 "]
)
async def test_invisible_answers_count_as_blank(client: TestClient, session: Session, blank: str) -> None:
    await join(client, session)
    text = step_of(session, "poll", "text")
    session.jump(text)
    response = await post(client, session, answer(text, blank))
    assert response.status == 422 and "empty" in (await response.json())["error"]
    assert session.results(text).current.answered == 0


async def test_line_breaks_in_a_written_answer_are_limited(client: TestClient, session: Session) -> None:
    await join(client, session)
    text = step_of(session, "poll", "text")
    session.jump(text)
    assert (await post(client, session, answer(text, "top" + "\n" * 300 + "bottom"))).status == 200
    assert (await post(client, session, answer(text, "\n".join("abcdefghij")))).status == 200
    assert session.moderation_queue(text)[-1].count("\n") <= 5
    queued = session.moderation_queue(text)
    assert queued[-1] == "a\nb\nc\nd\ne\nf g h i j"


# --- reveal rules that survive changes of mind ----------------------------------------------------------
async def test_one_phone_changing_its_answer_never_moves_a_revealed_chart(session: Session) -> None:
    """Issue 12: one real phone changing its own answer three times moved a revealed chart and exposed a
    third person's answer. The screen, every phone's copy and the takeaways stay as they were."""
    from facilitate.takeaway.collect import group_results

    scale = step_of(session, "poll", "scale")
    session.jump(scale)
    phones = [TestClient(TestServer(create_app(session))) for _ in range(5)]
    for phone in phones:
        await phone.start_server()
    try:
        for phone in phones:
            await join(phone, session)
        for phone in phones:
            assert (await post(phone, session, answer(scale, 5))).status == 200
        assert session.toggle_reveal(scale).ok
        watcher = phones[1]

        async def phone_copy() -> dict:
            return (await (await watcher.get(f"/j/{session.join_secret}/api/state")).json())["results"]

        shown, copy, takeaway = session.results(scale).shown, await phone_copy(), group_results(session)
        assert copy["answered"] == shown.answered
        for value in (0, 10, 3):  # and one phone changes its mind three times
            assert (await post(phones[0], session, answer(scale, value))).status == 200
        assert session.results(scale).shown == shown
        assert await phone_copy() == copy and group_results(session) == takeaway
    finally:
        for phone in phones:
            await phone.close()


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


# --- takeaways: one at a time per device, a bounded queue, none without a device ------------------------
async def test_takeaway_renderings_are_bounded(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 12: 400 downloads at once, without cookies, were all rendered."""
    import asyncio
    from contextlib import AsyncExitStack

    import aiohttp

    from facilitate.server.takeaways import TakeawayQueue, TakeawayRenderer

    release = asyncio.Event()
    drawn: list[str | None] = []

    async def slow_render(self, session, token, paper="phone"):  # stands in for the worker processes
        drawn.append(token)
        await release.wait()
        return b"%PDF-1.4 stand-in"

    monkeypatch.setattr(TakeawayRenderer, "render", slow_render)
    limit = TakeawayQueue.MAX_WAITING
    async with TestServer(create_app(session)) as server, AsyncExitStack() as stack:
        page = server.make_url(f"/j/{session.join_secret}")
        pdf = server.make_url(f"/j/{session.join_secret}/takeaway.pdf")
        stranger = await stack.enter_async_context(aiohttp.ClientSession())
        refused = await stranger.get(pdf)
        assert refused.status == 403 and drawn == []
        phones = []
        for _ in range(limit + 1):
            phone = await stack.enter_async_context(
                aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
            )
            assert (await phone.get(page)).status == 200
            phones.append(phone)
        first = [asyncio.ensure_future(phone.get(pdf)) for phone in phones[:limit]]
        while len(drawn) < limit:
            await asyncio.sleep(0.01)
        again = await phones[0].get(pdf)  # the same device asks again while its own is being made
        assert again.status == 429 and "already being made" in (await again.json())["error"]
        over = await phones[-1].get(pdf)
        assert over.status == 503 and over.headers["Retry-After"] == "30"
        assert len(drawn) == limit
        release.set()
        assert [reply.status for reply in await asyncio.gather(*first)] == [200] * limit
        assert (await phones[-1].get(pdf)).status == 200  # room again
