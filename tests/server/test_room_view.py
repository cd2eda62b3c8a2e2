"""The room view in a browser: its own secret address on the phone server, real HTTP, and headless
Chromium following the session over the event stream."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import aiohttp
import pytest

from facilitate.server.runner import start_phone_server
from facilitate.session.clock import FakeClock
from facilitate.session.presence import room_secret
from facilitate.session.session import Session
from facilitate.workshop.registry import open_workshop
from tests.server.browser import CHROMIUM, Browser

HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)>"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
async def served(tmp_path: Path):
    session = Session.start_loaded(open_workshop("check-in"), data_dir=tmp_path, clock=FakeClock())
    secret = room_secret(tmp_path, session.id)
    server = await start_phone_server(session, host="127.0.0.1", port=free_port(), room_secret=secret)
    try:
        yield session, server
    finally:
        await server.stop()


def step_of(session: Session, kind: str, poll_type: str | None = None) -> str:
    return next(
        s.id
        for _, s in session.workshop.steps()
        if s.kind == kind and (poll_type is None or s.type == poll_type)
    )


async def test_the_room_address_and_the_phones_address_open_only_their_own_routes(served, tmp_path) -> None:
    session, server = served
    room = server.room_url
    assert room is not None and server.room_secret != session.join_secret
    assert server.room_secret not in server.join_url
    base = f"http://127.0.0.1:{server.port}"
    async with aiohttp.ClientSession() as client:
        for path in ("", "/api/state", "/room.js", "/room.css"):
            async with client.get(room + path) as response:
                assert response.status == 200, path
        async with client.get(room + "/api/events") as response:
            assert response.status == 200 and response.headers["Content-Type"] == "text/event-stream"
            line = await response.content.readline()
            assert json.loads(line.removeprefix(b"data: "))["slide"]["kind"] == "title"
        # The phones' secret does not open the room view, and the room's secret opens no phone route.
        for path in ("", "/api/state", "/api/events", "/room.js"):
            async with client.get(f"{base}/r/{session.join_secret}{path}") as response:
                assert response.status == 404, path
        for path in ("", "/api/state", "/api/events", "/app.js", "/takeaway.pdf"):
            async with client.get(f"{base}/j/{server.room_secret}{path}") as response:
                assert response.status == 404, path
            assert session.joined == 0  # nobody joined through the room's address
        async with client.get(room + "/../app.js") as response:
            assert response.status == 404
        async with client.get(room) as response:
            page = await response.text()
            assert "Content-Security-Policy" in response.headers
            assert "http://" not in page.replace(base, "") and "https://" not in page  # no external request


async def test_the_state_shows_only_the_rooms_part(served) -> None:
    session, server = served
    poll = step_of(session, "poll", "text")
    session.jump(poll)
    for text in ("Approved one", HOSTILE, "Set aside"):
        session.submit(session.join(), poll, text)
    session.moderate(poll, "Approved one", approved=True)
    session.moderate(poll, HOSTILE, approved=True)
    session.moderate(poll, "Set aside", approved=False)

    async def state() -> dict:
        async with aiohttp.ClientSession() as client, client.get(server.room_url + "/api/state") as response:
            return await response.json()

    before = await state()
    text = json.dumps(before)
    assert "Approved one" not in text and "Set aside" not in text  # nothing before the reveal
    assert before["slide"]["results"]["answered"] == 3
    step = session.workshop.step_by_id(poll)
    assert (step.notes or "no notes") not in text and session.join_secret not in text
    session.toggle_reveal(poll)
    after = await state()
    assert after["slide"]["results"]["phones"]["text"] == "Approved one"
    assert "Set aside" not in json.dumps(after)
    session.show_text(poll, 1)
    assert (await state())["slide"]["results"]["phones"]["text"] == HOSTILE  # as text: the page escapes it
    session.show_join()
    shown = await state()
    assert shown["join"]["url"] == server.join_url and "<svg" in shown["join"]["qr"]
    assert server.room_secret not in json.dumps(shown)


@pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed (Debian package `chromium`)")
@pytest.mark.parametrize("size", [(1024, 768), (3840, 2160)], ids=["1024x768", "4K"])
async def test_a_browser_follows_the_session_and_fits_the_window(served, tmp_path: Path, size) -> None:
    session, server = served
    async with Browser(tmp_path / "profile", width=size[0], height=size[1]) as page:
        requests: list[str] = []
        await page.send("Network.enable")
        await page.goto(server.room_url)
        await page.wait_for("document.querySelector('#slide h1')?.textContent === 'Weekly check-in'")
        poll = step_of(session, "poll", "single")
        session.jump(poll)
        title = session.workshop.step_by_id(poll).title
        await page.wait_for(f"document.querySelector('#slide h1')?.textContent === {json.dumps(title)}")
        for index in range(6):
            session.submit(session.join(), poll, index % 3)
        session.toggle_reveal(poll)
        await page.wait_for("document.querySelectorAll('.chart .fill').length > 0")
        assert await page.evaluate("document.querySelector('#timer-state').textContent") in (
            "Remaining",
            "Last minute",
            "Paused · remaining",
        )
        # Everything fits the window: nothing scrolls, the title stays at the top, labels are whole.
        fits = await page.evaluate(
            "document.documentElement.scrollHeight <= innerHeight && "
            "document.documentElement.scrollWidth <= innerWidth"
        )
        assert fits
        top = await page.evaluate("document.querySelector('#slide h1').getBoundingClientRect().top")
        assert 0 <= top < size[1] * 0.1
        labels = await page.evaluate(
            "[...document.querySelectorAll('.chart .label')].map(l => l.textContent)"
        )
        assert labels == list(session.workshop.step_by_id(poll).options)
        # Every request went to the phone server itself.
        entries = await page.evaluate("performance.getEntriesByType('resource').map(e => e.name)")
        requests += entries
        assert all(url.startswith(f"http://127.0.0.1:{server.port}/r/") for url in requests), requests
        # The stream stops (the app was killed): the last screen stays, with a quiet "Paused".
        await server.stop()
        await page.wait_for("!document.getElementById('paused').hidden")
        assert await page.evaluate("document.querySelector('#slide h1').textContent") == title
