"""What `/api/state` tells one phone beyond the step: the module's content note, the step's own note,
this device's own answer (and nobody else's), when private answers are deleted, and the page's privacy
notice as the workshop sets it. Real HTTP against the running app, a real session on a fake clock."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable
from datetime import datetime
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer

from facilitate.server.app import COOKIE, create_app
from facilitate.session.clock import FakeClock
from facilitate.session.session import Session
from facilitate.workshop.registry import open_workshop

SMALL_WORKSHOP = """
id: tiny
title: A tiny workshop
summary: For the phone tests.
audience: Tests.
reveal_min: {reveal_min}
modules:
  - id: only
    title: Only
    goal: Test the phone page.
    steps:
      - id: usual
        kind: poll
        title: Usual
        duration: 1m
        question: Which?
        type: single
        options: [One, Two]
      - id: own
        kind: poll
        title: Own threshold
        duration: 1m
        question: Which one?
        type: single
        options: [One, Two]
        reveal_min: 4
"""


def small_workshop(tmp_path: Path, reveal_min: int) -> Path:
    path = tmp_path / "tiny.yaml"
    path.write_text(SMALL_WORKSHOP.format(reveal_min=reveal_min), encoding="utf-8")
    return path


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def session(tmp_path: Path, clock: FakeClock) -> Session:
    return Session.start_loaded(open_workshop("check-in"), data_dir=tmp_path, clock=clock)


@pytest.fixture
async def client(session: Session) -> AsyncIterator[TestClient]:
    async with TestClient(TestServer(create_app(session))) as client:
        yield client


def step_id(session: Session, kind: str, poll_type: str | None = None) -> str:
    return next(
        s.id
        for _, s in session.workshop.steps()
        if s.kind == kind and (poll_type is None or s.type == poll_type)
    )


async def join(client: TestClient, session: Session) -> str:
    response = await client.get(f"/j/{session.join_secret}")
    assert response.status == 200
    return response.cookies[COOKIE].value


async def state_of(client: TestClient, session: Session) -> dict:
    response = await client.get(f"/j/{session.join_secret}/api/state")
    assert response.status == 200
    return await response.json()


async def answer(client: TestClient, session: Session, step: str, value: object) -> None:
    response = await client.post(
        f"/j/{session.join_secret}/api/answer",
        data=json.dumps({"step": step, "answer": value}),
        headers={"Content-Type": "application/json"},
    )
    assert response.status == 200, await response.text()


async def next_event(response) -> dict:
    """The next state an event stream sends (heartbeats skipped); fails after 5 s instead of hanging."""

    async def read() -> dict:
        while True:
            chunk = (await response.content.readuntil(b"\n\n")).decode()
            if chunk.startswith("data: "):
                return json.loads(chunk[len("data: ") :])

    return await asyncio.wait_for(read(), 5)


async def test_a_module_content_note_slide_says_what_the_module_touches_on(
    client: TestClient, session: Session
) -> None:
    await join(client, session)
    module = next(m for m in session.workshop.modules if m.content_note)
    first_of_module = module.steps[0].id
    session.jump(first_of_module)
    session.back()  # the gentle card before the module's first step
    assert session.current_slide.kind == "module_note"
    state = await state_of(client, session)
    assert state["step"] is None  # no step on screen yet: not the previous step's title
    assert state["note"] == {"module": module.title, "text": module.content_note}
    session.next()
    state = await state_of(client, session)
    assert state["note"] is None and state["step"]["id"] == first_of_module


async def test_a_steps_own_content_note_reaches_the_phone(tmp_path: Path) -> None:
    session = Session.start_loaded(open_workshop("self-efficacy"), data_dir=tmp_path, clock=FakeClock())
    noted = next(s for _, s in session.workshop.steps() if s.content_note)
    session.jump(noted.id)
    async with TestClient(TestServer(create_app(session))) as client:
        state = await state_of(client, session)
    assert state["step"]["content_note"] == noted.content_note
    other = next(s for _, s in session.workshop.steps() if not s.content_note)
    session.jump(other.id)
    async with TestClient(TestServer(create_app(session))) as client:
        assert (await state_of(client, session))["step"]["content_note"] is None


async def test_mine_is_this_devices_own_poll_answer_and_tells_a_pass_from_nothing(
    client: TestClient, session: Session
) -> None:
    await join(client, session)
    poll = step_id(session, "poll", "multiple")
    session.jump(poll)
    state = await state_of(client, session)
    assert state["answered"] is False and state["mine"] is None  # never answered
    await answer(client, session, poll, [3, 0])
    state = await state_of(client, session)
    assert state["answered"] is True and state["mine"] == [0, 3]
    await answer(client, session, poll, None)
    state = await state_of(client, session)
    assert state["answered"] is True and state["mine"] is None  # passed
    words = step_id(session, "poll", "words")
    session.jump(words)
    await answer(client, session, words, ["  calm ", "tired"])
    assert (await state_of(client, session))["mine"] == ["calm", "tired"]


async def test_private_text_comes_back_only_to_the_device_that_wrote_it(session: Session) -> None:
    reflection = step_id(session, "reflection")
    plan = step_id(session, "plan")
    async with (
        TestClient(TestServer(create_app(session))) as mine,
        TestClient(TestServer(create_app(session))) as theirs,
    ):
        await join(mine, session)
        await join(theirs, session)
        session.jump(reflection)
        await answer(mine, session, reflection, "Line one\nline two, only mine")
        own = await state_of(mine, session)
        assert own["answered"] is True and own["mine"] == "Line one\nline two, only mine"
        other = await state_of(theirs, session)
        assert other["answered"] is False and other["mine"] is None
        assert "only mine" not in json.dumps(other)
        session.jump(plan)
        await answer(mine, session, plan, {"if": "I get home", "then": "I will rest"})
        await answer(theirs, session, plan, None)
        assert (await state_of(mine, session))["mine"] == {"if": "I get home", "then": "I will rest"}
        other = await state_of(theirs, session)
        assert other["answered"] is True and other["mine"] is None and "I get home" not in json.dumps(other)
        async with TestClient(TestServer(create_app(session))) as stranger:  # no cookie at all
            response = await stranger.get(f"/j/{session.join_secret}/api/state")
            anonymous = await response.json()
            assert anonymous["mine"] is None and "I get home" not in json.dumps(anonymous)


async def test_the_events_stream_carries_this_devices_own_answer(
    client: TestClient, session: Session
) -> None:
    await join(client, session)
    reflection = step_id(session, "reflection")
    session.jump(reflection)
    await answer(client, session, reflection, "kept for me")
    response = await client.get(f"/j/{session.join_secret}/api/events")
    first = await response.content.readuntil(b"\n\n")
    assert json.loads(first.decode()[len("data: ") :])["mine"] == "kept for me"
    response.close()


async def test_the_stream_reads_its_own_reflection_once_until_it_changes(
    client: TestClient, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The facilitator's events wake every answered phone's stream: each must not read its private
    answers from disk again unless they changed (a save of its own, or their deletion)."""
    await join(client, session)
    reflection = step_id(session, "reflection")
    session.jump(reflection)
    await answer(client, session, reflection, "first words")
    reads: list[str] = []
    original = Session.private_answers

    def counted(self: Session, token: str) -> dict:
        reads.append(token)
        return original(self, token)

    monkeypatch.setattr(Session, "private_answers", counted)
    response = await client.get(f"/j/{session.join_secret}/api/events")

    def next_state() -> Awaitable[dict]:
        return next_event(response)

    assert (await next_state())["mine"] == "first words"
    assert len(reads) == 1
    for _ in range(3):  # the facilitator pauses and restarts the timer: every stream wakes
        session.toggle_timer()
        await asyncio.sleep(0.05)
    session.next()  # away and back: the phone's state changes twice
    assert (await next_state())["step"]["id"] != reflection
    session.back()
    assert (await next_state())["mine"] == "first words"
    assert len(reads) == 1
    await answer(client, session, reflection, "second thoughts")
    session.next()
    await next_state()
    session.back()
    assert (await next_state())["mine"] == "second thoughts"
    assert len(reads) == 2
    response.close()


async def test_plan_examples_are_sent_as_inspiration(client: TestClient, session: Session) -> None:
    plan = next(s for _, s in session.workshop.steps() if s.kind == "plan")
    assert plan.examples
    session.jump(plan.id)
    assert (await state_of(client, session))["prompt"]["examples"] == list(plan.examples)


async def test_after_the_end_the_phone_knows_until_when_private_answers_are_kept(
    client: TestClient, session: Session, clock: FakeClock
) -> None:
    await join(client, session)
    assert (await state_of(client, session))["retention"] is None  # not ended: nothing to say yet
    session.jump(step_id(session, "closing"))
    assert session.end().ok
    deadline = session.private_deadline
    assert deadline is not None
    state = await state_of(client, session)
    assert state["retention"] == {
        "until": datetime.fromtimestamp(deadline).strftime("%H:%M"),
        "seconds_left": round(deadline - clock.now()),
        "deleted": False,
    }
    clock.advance(deadline - clock.now() + 1)  # the deadline has passed, deleted or about to be
    state = await state_of(client, session)
    assert state["retention"] == {"until": None, "seconds_left": None, "deleted": True}
    session.expire_private()
    assert (await state_of(client, session))["retention"]["deleted"] is True


async def test_the_privacy_notice_says_what_the_facilitator_sees(
    client: TestClient, session: Session
) -> None:
    page = await (await client.get(f"/j/{session.join_secret}")).text()
    assert "The facilitator sees only totals, and written answers without names" in page
    assert "at least 3 people have answered" in page


@pytest.mark.parametrize(
    ("reveal_min", "said"),
    [
        (0, "Results may be shown as answers come in."),
        (1, "Results appear only once at least 1 person has answered."),
        (5, "Results appear only once at least 5 people have answered."),
    ],
)
async def test_the_privacy_notice_words_the_workshops_threshold(
    tmp_path: Path, reveal_min: int, said: str
) -> None:
    session = Session.start_loaded(
        open_workshop(str(small_workshop(tmp_path, reveal_min))), data_dir=tmp_path, clock=FakeClock()
    )
    async with TestClient(TestServer(create_app(session))) as client:
        page = await (await client.get(f"/j/{session.join_secret}")).text()
        assert said in page and "at least 0" not in page
        session.jump("own")  # a poll with its own threshold: the page words it from the state
        state = await state_of(client, session)
        assert state["reveal_min"] == 4


async def test_deleting_private_answers_reaches_waiting_phones_at_once(
    client: TestClient, session: Session
) -> None:
    await join(client, session)
    session.jump(step_id(session, "closing"))
    assert session.end().ok
    response = await client.get(f"/j/{session.join_secret}/api/events")

    def next_state() -> Awaitable[dict]:
        return next_event(response)

    assert (await next_state())["retention"]["deleted"] is False
    assert session.delete_private_now()
    assert (await next_state())["retention"]["deleted"] is True
    response.close()


async def test_a_rehearsals_seconds_left_are_real_seconds(tmp_path: Path) -> None:
    """--speed runs the session's clock faster; the page waits in real time before asking again."""
    from facilitate.session.clock import ScaledClock

    base = FakeClock()
    session = Session.start_loaded(
        open_workshop("check-in"), data_dir=tmp_path, clock=ScaledClock(base, 10.0)
    )
    session.keep_private_seconds = 600
    session.jump(step_id(session, "closing"))
    async with TestClient(TestServer(create_app(session))) as client:
        await join(client, session)  # before the end: after it, no new phone joins
        assert session.end().ok
        assert (await state_of(client, session))["retention"]["seconds_left"] == 60
    session.close()
