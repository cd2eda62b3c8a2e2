"""The phone's follow-along fields: the room's part of a step in words, phases by the timer, when a break
ends, the help lines at the closing step; never facilitator notes; a running timer's state kept fresh."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from facilitate.server.phone_state import ViewCache, phone_state
from facilitate.session.clock import FakeClock
from facilitate.session.session import Session
from facilitate.workshop.registry import open_workshop


@pytest.fixture
def session(tmp_path: Path) -> Session:
    return Session.start_loaded(open_workshop("check-in"), data_dir=tmp_path, clock=FakeClock())


def step_of(session: Session, kind: str):
    return next(s for _, s in session.workshop.steps() if s.kind == kind)


def test_a_content_step_sends_its_words_as_plain_blocks(session: Session) -> None:
    content = step_of(session, "content")
    session.jump(content.id)
    follow = phone_state(session, None)["follow"]
    assert follow["kind"] == "content"
    texts = [block["text"] for block in follow["body"]]
    assert "Every question can be passed" in texts
    assert not any("**" in text for text in texts)


def test_an_activity_sends_its_phases_and_the_one_running_now(session: Session) -> None:
    activity = step_of(session, "activity")
    session.jump(activity.id)
    follow = phone_state(session, None)["follow"]
    assert [phase["title"] for phase in follow["phases"]] == [phase.title for phase in activity.phases]
    assert follow["phase"] == 0 and follow["running"] is True
    session.clock.advance(activity.phases[0].duration + 1)
    assert phone_state(session, None)["follow"]["phase"] == 1


def test_a_break_says_when_the_room_is_back(session: Session) -> None:
    session.jump(step_of(session, "break").id)
    back = phone_state(session, None)["follow"]["back_at"]
    assert len(back) == 5 and back[2] == ":"


def test_the_closing_step_has_the_locales_help_lines_with_tel_links(session: Session) -> None:
    session.jump(step_of(session, "closing").id)
    help = phone_state(session, None)["help"]
    assert help["lines"][0]["tel"] == [{"text": "988", "href": "tel:988"}]
    assert help["emergency"]
    session.jump(step_of(session, "content").id)
    assert phone_state(session, None)["help"] is None


def test_no_facilitator_note_ever_reaches_a_phone(session: Session) -> None:
    notes = [step.notes for _, step in session.workshop.steps() if step.notes]
    assert notes
    for _, step in session.workshop.steps():
        session.jump(step.id)
        sent = json.dumps(phone_state(session, None), ensure_ascii=False)
        for note in notes:
            assert note not in sent


def test_a_running_timers_state_is_made_anew_after_a_second(session: Session) -> None:
    session.jump(step_of(session, "activity").id)
    cache = ViewCache()
    first = json.loads(cache.public_json(session))["follow"]["left"]
    session.clock.advance(5)
    assert json.loads(cache.public_json(session))["follow"]["left"] == pytest.approx(first - 5)
