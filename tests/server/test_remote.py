"""The facilitator's remote over real HTTP: its own secret, the same session events as the keys."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer

from facilitate.server.app import create_app
from facilitate.session.clock import FakeClock
from facilitate.session.session import Session
from facilitate.workshop.registry import open_workshop

JSON = {"Content-Type": "application/json"}


@pytest.fixture
def session(tmp_path: Path) -> Session:
    return Session.start_loaded(open_workshop("check-in"), data_dir=tmp_path, clock=FakeClock(1000.0))


@pytest.fixture
async def client(session: Session) -> AsyncIterator[TestClient]:
    async with TestClient(TestServer(create_app(session))) as client:
        yield client


def remote(session: Session) -> str:
    return f"/remote/{session.journal.remote_secret}"


async def act(client: TestClient, session: Session, action: str) -> tuple[int, dict]:
    response = await client.post(
        f"{remote(session)}/api/action", data=json.dumps({"action": action}), headers=JSON
    )
    return response.status, await response.json()


async def test_the_remote_and_the_phones_refuse_each_others_secret(
    client: TestClient, session: Session
) -> None:
    join, own = session.join_secret, session.journal.remote_secret
    assert own and own != join and len(own) >= 20
    page = await client.get(remote(session))
    assert page.status == 200 and "remote" in (await page.text()).lower()
    assert (await client.get(f"{remote(session)}/remote.js")).status == 200
    for path in (
        f"/remote/{join}",
        f"/remote/{join}/api/state",
        f"/remote/{join}/remote.js",
        f"/j/{own}",
        f"/j/{own}/api/state",
        f"/j/{own}/app.js",
        f"/remote/{own}/app.js",  # the phones' files are not the remote's
        f"/j/{join}/remote.js",
    ):
        assert (await client.get(path)).status == 404, path
    response = await client.post(
        f"/remote/{join}/api/action", data=json.dumps({"action": "next"}), headers=JSON
    )
    assert response.status == 404 and session.state.index == 0
    response = await client.post(f"/j/{own}/api/pause")
    assert response.status == 404
    assert session.joined == 0  # opening the remote never joins as a phone


async def test_every_button_is_the_same_event_as_its_key(client: TestClient, session: Session) -> None:
    before = len(session.journal.events())
    assert (await act(client, session, "next"))[0] == 200
    status, body = await act(client, session, "next")
    assert status == 200 and body["state"]["current"] == session.current_step.title
    assert body["state"]["timer"]["running"] is True and body["state"]["next"]
    assert (await act(client, session, "timer"))[0] == 200
    assert not session.current_timer.running
    assert (await act(client, session, "plus"))[0] == 200
    assert (await act(client, session, "minus"))[0] == 200
    assert (await act(client, session, "minus"))[0] == 200
    assert session.current_timer.planned == session.current_step.duration - 60
    assert (await act(client, session, "blank"))[0] == 200 and session.state.blanked
    assert (await act(client, session, "blank"))[0] == 200 and not session.state.blanked
    assert (await act(client, session, "grounding"))[0] == 200 and session.grounding
    status, body = await act(client, session, "next")
    assert status == 409 and "grounding" in body["error"]
    assert (await act(client, session, "grounding"))[0] == 200 and not session.grounding
    assert (await act(client, session, "back"))[0] == 200
    types = [event.type for event in session.journal.events()[before:]]
    assert types == [
        "next", "next", "timer_toggle", "timer_adjust", "timer_adjust", "timer_adjust",
        "blank", "unblank", "grounding_enter", "grounding_leave", "back",
    ]  # fmt: skip


async def test_the_remote_shows_notes_counts_and_pauses_but_never_to_phones(
    client: TestClient, session: Session
) -> None:
    poll = next(s for _, s in session.workshop.steps() if s.kind == "poll" and s.notes)
    session.jump(poll.id)
    phone = session.join()
    session.submit(phone, poll.id, 0 if poll.type == "single" else poll.effective_scale.min)
    await session.request_pause_async(phone)
    await session.ask_question_async(phone, "A question?")
    state = await (await client.get(f"{remote(session)}/api/state")).json()
    assert state["notes"] == poll.notes and state["phones"] == 1
    assert state["poll"] == {"answered": 1, "open": True, "revealed": False}
    assert state["pauses"] == 1 and state["questions_waiting"] == 1
    phone_state = json.dumps(await (await client.get(f"/j/{session.join_secret}/api/state")).json())
    assert poll.notes[:30] not in phone_state and "pause" not in phone_state


async def test_bad_remote_requests(client: TestClient, session: Session) -> None:
    status, body = await act(client, session, "jump")
    assert status == 400 and "one of next, back" in body["error"]
    response = await client.post(
        f"{remote(session)}/api/action",
        data=json.dumps({"action": "next"}),
        headers={**JSON, "Origin": "http://evil.example", "Sec-Fetch-Site": "cross-site"},
    )
    assert response.status == 403 and session.state.index == 0
    status, body = await act(client, session, "back")
    assert status == 409 and body["error"] == "This is the title screen: there is nothing before it"


async def test_the_remote_secret_is_kept_across_a_resume(tmp_path: Path) -> None:
    session = Session.start_loaded(open_workshop("check-in"), data_dir=tmp_path, clock=FakeClock(1000.0))
    secret = session.journal.remote_secret
    session.close()
    again = Session.resume(tmp_path, session.id, clock=FakeClock(2000.0))
    assert again.journal.remote_secret == secret
    again.close()
