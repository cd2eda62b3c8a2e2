"""Opening and closing polls, moderating written answers, and group commit of phones' writes."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from facilitate.session.answers import AnswerRefused
from facilitate.session.clock import FakeClock
from facilitate.session.session import Session
from facilitate.workshop.models import PollStep
from facilitate.workshop.registry import open_workshop
from tests.conftest import WORKSHOPS


def start(tmp_path: Path) -> Session:
    return Session.start_loaded(open_workshop("check-in"), data_dir=tmp_path, clock=FakeClock())


def poll_of(session: Session, poll_type: str) -> PollStep:
    return next(s for _, s in session.workshop.steps() if s.kind == "poll" and s.type == poll_type)


def test_a_poll_opens_when_shown_and_the_facilitator_can_close_it(tmp_path: Path) -> None:
    session = start(tmp_path)
    poll = poll_of(session, "single")
    phone = session.join()
    assert not session.poll_is_open(poll.id)  # not on screen yet
    session.jump(poll.id)
    assert session.poll_is_open(poll.id)
    assert session.toggle_poll_open().ok and not session.poll_is_open(poll.id)
    with pytest.raises(AnswerRefused) as caught:
        session.submit(phone, poll.id, 0)
    assert caught.value.status == 409 and "closed" in caught.value.message
    assert session.toggle_poll_open().ok
    session.submit(phone, poll.id, 0)
    assert session.results(poll.id).current.answered == 1


def test_a_closed_poll_stays_closed_across_a_resume_and_a_revisit(tmp_path: Path) -> None:
    session = start(tmp_path)
    poll = poll_of(session, "scale")
    session.jump(poll.id)
    session.toggle_poll_open()
    session.next()
    session.back()
    assert not session.poll_is_open(poll.id)
    session.close()
    resumed = Session.resume(tmp_path, session.id, clock=FakeClock())
    assert resumed.current_step.id == poll.id and not resumed.poll_is_open(poll.id)


def test_opens_on_show_false_waits_for_the_facilitator(tmp_path: Path) -> None:
    text = (WORKSHOPS / "check-in.yaml").read_text(encoding="utf-8")
    assert "        type: words\n" in text
    path = tmp_path / "held.yaml"
    path.write_text(
        text.replace("        type: words\n", "        type: words\n        opens_on_show: false\n")
    )
    session = Session.start_loaded(open_workshop(str(path)), data_dir=tmp_path, clock=FakeClock())
    poll = poll_of(session, "words")
    session.jump(poll.id)
    assert not session.poll_is_open(poll.id)
    session.toggle_poll_open()
    assert session.poll_is_open(poll.id)


def test_toggling_is_refused_off_a_poll(tmp_path: Path) -> None:
    session = start(tmp_path)
    outcome = session.toggle_poll_open()
    assert not outcome.ok and "poll" in outcome.reason


def test_written_answers_wait_for_approval_and_authors_can_withdraw(tmp_path: Path) -> None:
    session = start(tmp_path)
    poll = poll_of(session, "text")
    session.jump(poll.id)
    phones = [session.join() for _ in range(4)]
    session.submit(phones[0], poll.id, "A walk at lunch")
    session.submit(phones[1], poll.id, "[bold red]hi[/]")
    session.submit(phones[2], poll.id, "A walk at lunch")  # the same words twice: decided once
    session.submit(phones[3], poll.id, "Sleep")
    assert session.moderation_queue(poll.id) == ["A walk at lunch", "[bold red]hi[/]", "Sleep"]
    assert session.approved_texts(poll.id) == []
    session.moderate(poll.id, "A walk at lunch", approved=True)
    session.moderate(poll.id, "[bold red]hi[/]", approved=True)
    session.moderate(poll.id, "Sleep", approved=False)
    assert session.moderation_queue(poll.id) == []
    assert session.approved_texts(poll.id) == ["A walk at lunch", "[bold red]hi[/]"]
    session.submit(phones[1], poll.id, None)  # the author passes after all: their text goes
    assert session.approved_texts(poll.id) == ["A walk at lunch"]
    session.submit(phones[3], poll.id, "More sleep")  # a changed answer is a new one to moderate
    assert session.moderation_queue(poll.id) == ["More sleep"]
    session.close()
    resumed = Session.resume(tmp_path, session.id, clock=FakeClock())
    assert resumed.approved_texts(poll.id) == ["A walk at lunch"]
    assert resumed.moderation_queue(poll.id) == ["More sleep"]


def test_moderation_is_refused_for_other_polls(tmp_path: Path) -> None:
    session = start(tmp_path)
    outcome = session.moderate(poll_of(session, "single").id, "x", approved=True)
    assert not outcome.ok


async def test_concurrent_answers_share_commits_and_all_are_durable(tmp_path: Path) -> None:
    session = start(tmp_path)
    poll = poll_of(session, "scale")
    session.jump(poll.id)
    phones = await asyncio.gather(*(session.join_async() for _ in range(200)))
    assert session.joined == 200
    await asyncio.gather(*(session.submit_async(phone, poll.id, i % 11) for i, phone in enumerate(phones)))
    commits = session._group_commit.batches
    assert commits < 200, "every write had its own commit"
    assert session.results(poll.id).current.answered == 200
    session.close()
    resumed = Session.resume(tmp_path, session.id, clock=FakeClock())
    assert resumed.joined == 200 and resumed.results(poll.id).current.answered == 200


async def test_a_refused_answer_never_reaches_the_queue(tmp_path: Path) -> None:
    session = start(tmp_path)
    poll = poll_of(session, "scale")
    session.jump(poll.id)
    phone = await session.join_async()
    with pytest.raises(AnswerRefused):
        await session.submit_async(phone, poll.id, 99)
    assert session.results(poll.id).current.answered == 0 and session._group_commit.batches == 1


def test_moderation_is_refused_for_an_answer_no_longer_waiting(tmp_path: Path) -> None:
    session = Session.start_loaded(open_workshop("check-in"), data_dir=tmp_path, clock=FakeClock())
    step = next(s.id for _, s in session.workshop.steps() if s.kind == "poll" and s.type == "text")
    session.jump(step)
    phone = session.join()
    session.submit(phone, step, "first")
    session.submit(phone, step, "second")  # "first" left the queue
    assert not session.moderate(step, "first", approved=True).ok
    assert not session.moderate(step, "never written", approved=True).ok
    assert session.moderate(step, "second", approved=True).ok
    assert not session.moderate(step, "second", approved=False).ok  # decided already: not waiting
    assert session.approved_texts(step) == ["second"]
