"""The phone API over real HTTP against the running server, with a real session on a fake clock."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer

from facilitate.server.app import COOKIE, create_app
from facilitate.session.clock import FakeClock
from facilitate.session.session import Session
from facilitate.workshop.registry import open_workshop


@pytest.fixture
def session(tmp_path: Path) -> Session:
    return Session.start_loaded(open_workshop("check-in"), data_dir=tmp_path, clock=FakeClock())


@pytest.fixture
async def client(session: Session) -> AsyncIterator[TestClient]:
    async with TestClient(TestServer(create_app(session))) as client:
        yield client


def poll_id(session: Session, poll_type: str) -> str:
    return next(s.id for _, s in session.workshop.steps() if s.kind == "poll" and s.type == poll_type)


async def joined(client: TestClient, session: Session) -> str:
    response = await client.get(f"/j/{session.join_secret}")
    assert response.status == 200
    return response.cookies[COOKIE].value


async def post(client: TestClient, session: Session, body: object, raw: bytes | None = None):
    data = raw if raw is not None else json.dumps(body).encode()
    return await client.post(
        f"/j/{session.join_secret}/api/answer", data=data, headers={"Content-Type": "application/json"}
    )


async def test_page_sets_an_anonymous_device_cookie(client: TestClient, session: Session) -> None:
    response = await client.get(f"/j/{session.join_secret}")
    text = await response.text()
    assert "No name is asked" in text and "every question can be passed" in text.lower()
    cookie = response.cookies[COOKIE]
    assert (
        cookie["httponly"]
        and cookie["samesite"] == "Strict"
        and cookie["path"] == f"/j/{session.join_secret}"
    )
    assert session.joined == 1
    again = await client.get(f"/j/{session.join_secret}")
    assert COOKIE not in again.cookies and session.joined == 1  # the same phone keeps its token


async def test_wrong_secret_is_a_bare_404(client: TestClient, session: Session) -> None:
    for path in ("/j/wrong", "/j/wrong/api/state", "/j/wrong/app.js", "/", "/j/"):
        response = await client.get(path)
        assert response.status == 404
        assert session.join_secret not in await response.text()
    assert (await client.post("/j/wrong/api/answer", data=b"{}")).status == 404


async def test_static_files_only_from_a_fixed_list(client: TestClient, session: Session) -> None:
    assert (await client.get(f"/j/{session.join_secret}/app.js")).status == 200
    for name in ("..%2F..%2Fpyproject.toml", "index.html%00", "../app.js", "%2e%2e/%2e%2e/etc/passwd"):
        assert (await client.get(f"/j/{session.join_secret}/{name}")).status == 404


async def test_security_headers_everywhere(client: TestClient, session: Session) -> None:
    for path in (f"/j/{session.join_secret}", f"/j/{session.join_secret}/api/state", "/nope"):
        response = await client.get(path)
        assert response.headers["Content-Security-Policy"].startswith("default-src 'self'")
        assert response.headers["Referrer-Policy"] == "no-referrer"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
    api = await client.get(f"/j/{session.join_secret}/api/state")
    assert api.headers["Cache-Control"] == "no-store"


async def test_state_follows_the_step(client: TestClient, session: Session) -> None:
    await joined(client, session)
    state = await (await client.get(f"/j/{session.join_secret}/api/state")).json()
    assert state["step"] is None and state["poll"] is None and state["answered"] is False
    session.jump(poll_id(session, "scale"))
    state = await (await client.get(f"/j/{session.join_secret}/api/state")).json()
    assert state["step"]["kind"] == "poll" and state["poll"]["type"] == "scale" and state["poll"]["open"]
    assert state["poll"]["scale"]["max"] == 10 and state["reveal_min"] == 3


async def test_answer_change_and_pass(client: TestClient, session: Session) -> None:
    await joined(client, session)
    step = poll_id(session, "single")
    session.jump(step)
    assert (await post(client, session, {"step": step, "answer": 0})).status == 200
    assert (await post(client, session, {"step": step, "answer": 1})).status == 200
    state = await (await client.get(f"/j/{session.join_secret}/api/state")).json()
    assert state["answered"] is True
    assert session.results(step).current.counts[:2] == (0, 1)
    assert (await post(client, session, {"step": step, "answer": None})).status == 200
    assert session.results(step).current.passed == 1


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"not json", 400),
        (b"[1, 2]", 400),
        (b'{"answer": 1}', 400),
        (b'{"step": "x", "answer": 1, "extra": true}', 400),
        (b"\xff\xfe", 400),
        (b'{"step": "no-such-step", "answer": 1}', 404),
    ],
)
async def test_malformed_requests_get_a_clear_4xx(
    client: TestClient, session: Session, body: bytes, status: int
) -> None:
    await joined(client, session)
    response = await post(client, session, None, raw=body)
    assert response.status == status
    assert (await response.json())["error"]


async def test_closed_out_of_range_and_too_big(client: TestClient, session: Session) -> None:
    await joined(client, session)
    step = poll_id(session, "single")
    closed = await post(client, session, {"step": step, "answer": 0})
    assert closed.status == 409 and "closed" in (await closed.json())["error"]
    session.jump(step)
    assert (await post(client, session, {"step": step, "answer": 99})).status == 422
    assert (await post(client, session, {"step": step, "answer": "0"})).status == 422
    huge = await post(client, session, {"step": step, "answer": "x" * 5000})
    assert huge.status == 413 and "too long" in (await huge.json())["error"]


async def test_no_cookie_means_reload(client: TestClient, session: Session) -> None:
    response = await post(client, session, {"step": "x", "answer": 1})
    assert response.status == 400 and "reload" in (await response.json())["error"]


async def test_a_flood_from_one_device_is_slowed(client: TestClient, session: Session) -> None:
    await joined(client, session)
    step = poll_id(session, "single")
    session.jump(step)
    statuses = [(await post(client, session, {"step": step, "answer": 0})).status for _ in range(30)]
    assert statuses[0] == 200 and statuses[-1] == 429


async def test_events_stream_sends_step_changes(client: TestClient, session: Session) -> None:
    await joined(client, session)
    response = await client.get(f"/j/{session.join_secret}/api/events")
    assert response.headers["Content-Type"] == "text/event-stream"
    first = await asyncio.wait_for(response.content.readuntil(b"\n\n"), 5)
    assert json.loads(first.decode()[len("data: ") :])["step"] is None
    session.jump(poll_id(session, "words"))
    changed = await asyncio.wait_for(response.content.readuntil(b"\n\n"), 5)
    assert json.loads(changed.decode()[len("data: ") :])["poll"]["type"] == "words"
    response.close()


async def test_hostile_text_is_stored_as_typed_and_returned_json_escaped(
    client: TestClient, session: Session
) -> None:
    await joined(client, session)
    step = poll_id(session, "text")
    session.jump(step)
    hostile = "<script>alert(1)</script> <img src=x onerror=alert(1)> [bold red]hi[/] [@click=app.quit]x[/]"
    assert (await post(client, session, {"step": step, "answer": hostile})).status == 200
    assert session.results(step).current.texts == (hostile,)
    page = await (await client.get(f"/j/{session.join_secret}")).text()
    assert "<script>alert" not in page


async def test_no_ip_address_or_user_agent_is_stored(
    client: TestClient, session: Session, tmp_path: Path
) -> None:
    marker = "Distinctive-Agent/9.9 (privacy-probe)"
    headers = {"User-Agent": marker, "X-Forwarded-For": "203.0.113.77", "X-Real-IP": "198.51.100.9"}
    await client.get(f"/j/{session.join_secret}", headers=headers)
    step = poll_id(session, "single")
    session.jump(step)
    await client.post(
        f"/j/{session.join_secret}/api/answer", data=json.dumps({"step": step, "answer": 0}), headers=headers
    )
    session.heartbeat()
    for path in tmp_path.rglob("*"):
        if path.is_file():
            blob = path.read_bytes()
            for needle in (marker, "203.0.113.77", "198.51.100.9", "127.0.0.1"):
                assert needle.encode() not in blob, f"{needle} found in {path}"


async def test_a_poll_the_facilitator_closed_refuses_answers(client: TestClient, session: Session) -> None:
    await joined(client, session)
    step = poll_id(session, "single")
    session.jump(step)
    session.toggle_poll_open()
    state = await (await client.get(f"/j/{session.join_secret}/api/state")).json()
    assert state["poll"]["open"] is False
    closed = await post(client, session, {"step": step, "answer": 0})
    assert closed.status == 409 and "closed" in (await closed.json())["error"]
    session.toggle_poll_open()
    assert (await post(client, session, {"step": step, "answer": 0})).status == 200


async def test_phones_see_only_approved_written_answers_after_reveal(session: Session) -> None:
    step = poll_id(session, "text")
    session.jump(step)
    texts = ["Rest", "<img src=x onerror=alert(1)>", "A walk", "Tea", "Music"]
    async with TestClient(TestServer(create_app(session))) as first:
        await joined(first, session)
        for text in texts:
            async with TestClient(TestServer(create_app(session))) as phone:
                await joined(phone, session)
                assert (await post(phone, session, {"step": step, "answer": text})).status == 200
        assert session.toggle_reveal(step).ok
        state = await (await first.get(f"/j/{session.join_secret}/api/state")).json()
        assert state["results"]["texts"] == []  # revealed, but nothing approved yet
        session.moderate(step, texts[1], approved=True)
        session.moderate(step, "Tea", approved=True)
        session.moderate(step, "Rest", approved=False)
        state = await (await first.get(f"/j/{session.join_secret}/api/state")).json()
        assert state["results"]["texts"] == [texts[1], "Tea"]


async def test_takeaway_pdf_is_this_devices_own(session: Session) -> None:
    import io

    from pypdf import PdfReader

    reflection = next(s.id for _, s in session.workshop.steps() if s.kind == "reflection")
    async with (
        TestClient(TestServer(create_app(session))) as mine,
        TestClient(TestServer(create_app(session))) as theirs,
    ):
        await joined(mine, session)
        await joined(theirs, session)
        assert (
            await post(mine, session, {"step": reflection, "answer": "only mine, kept private"})
        ).status == 200
        own = await mine.get(f"/j/{session.join_secret}/takeaway.pdf")
        assert own.status == 200 and own.headers["Content-Type"] == "application/pdf"
        assert (
            own.headers["Cache-Control"] == "no-store" and "attachment" in own.headers["Content-Disposition"]
        )
        text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(await own.read())).pages)
        assert "only mine, kept private" in " ".join(text.split())
        other = await theirs.get(f"/j/{session.join_secret}/takeaway.pdf")
        other_text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(await other.read())).pages)
        assert "only mine" not in other_text
    async with TestClient(TestServer(create_app(session))) as stranger:  # no cookie: none at all
        refused = await stranger.get(f"/j/{session.join_secret}/takeaway.pdf")
        assert refused.status == 403 and "phone you used" in (await refused.json())["error"]
        assert (await stranger.get("/j/wrong/takeaway.pdf")).status == 404
