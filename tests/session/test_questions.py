"""Questions, votes, pause requests and checked words in the session core: journaled, replayed, private."""

from __future__ import annotations

import asyncio
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from facilitate.session import events as ev
from facilitate.session.answers import AnswerRefused
from facilitate.session.clock import FakeClock
from facilitate.session.events import Event
from facilitate.session.participation import PAUSE_EVERY_SECONDS, PAUSE_SHOWN_SECONDS
from facilitate.session.session import Session
from facilitate.workshop.models import Workshop
from tests.workshop.factories import step, workshop_data

WORDS = step("poll", "in-the-way", question="What gets in the way?", type="words", duration="2m")
OPEN_WORDS = step("poll", "open-words", question="One word?", type="words", moderate=False)


def start(tmp_path: Path, clock: FakeClock | None = None, **top: object) -> Session:
    workshop = Workshop.model_validate(workshop_data(WORDS, OPEN_WORDS, reveal_min=0, **top))
    return Session.start(
        workshop, data_dir=tmp_path, clock=clock or FakeClock(1000.0), source_text=None, source_path=None
    )


def resumed(session: Session) -> Session:
    data_dir = session.journal.path.parent.parent
    session.close()
    return Session.resume(data_dir, session.id, clock=FakeClock(session.now() + 60))


async def refusal(awaitable) -> AnswerRefused:
    with pytest.raises(AnswerRefused) as caught:
        await awaitable
    return caught.value


async def test_a_question_waits_for_the_facilitator_and_phones_see_only_listed_ones(tmp_path: Path) -> None:
    session = start(tmp_path)
    phone, other = session.join(), session.join()
    first = await session.ask_question_async(phone, "  Is it normal\nto feel stuck? ")
    second = await session.ask_question_async(other, "<b>Why</b> now?")
    assert [q.text for q in session.waiting_questions()] == ["Is it normal to feel stuck?", "<b>Why</b> now?"]
    assert session.listed_questions() == []
    assert (await refusal(session.vote_question_async(other, first, True))).status == 404
    assert session.moderate_question(first, approved=True).ok
    assert session.moderate_question(second, approved=False).ok
    assert [q.text for q in session.listed_questions()] == ["Is it normal to feel stuck?"]
    assert session.waiting_questions() == []
    assert not session.show_questions("one", second).ok  # set aside: never on the room's screen


async def test_votes_order_the_list_and_can_be_taken_back(tmp_path: Path) -> None:
    session = start(tmp_path)
    phones = [session.join() for _ in range(3)]
    ids = [await session.ask_question_async(phones[0], f"Question {n}") for n in range(3)]
    for question_id in ids:
        session.moderate_question(question_id, approved=True)
    await session.vote_question_async(phones[1], ids[2], True)
    await session.vote_question_async(phones[2], ids[2], True)
    await session.vote_question_async(phones[2], ids[2], True)  # once per phone
    await session.vote_question_async(phones[1], ids[1], True)
    assert [(q.text, q.votes) for q in session.listed_questions()] == [
        ("Question 2", 2),
        ("Question 1", 1),
        ("Question 0", 0),
    ]
    assert session.has_voted(phones[1], ids[2]) and not session.has_voted(phones[0], ids[2])
    await session.vote_question_async(phones[1], ids[2], False)
    assert session.listed_questions()[0].votes == 1
    assert (await refusal(session.vote_question_async(phones[1], ids[2], "yes"))).status == 422
    session.mark_question_answered(ids[2])
    assert [q.text for q in session.listed_questions()][-1] == "Question 2"  # answered ones go last
    assert session.listed_questions()[-1].answered


async def test_questions_votes_and_pauses_survive_a_resume_without_device_tokens(tmp_path: Path) -> None:
    session = start(tmp_path)
    phone = session.join()
    session.jump("hello")
    question_id = await session.ask_question_async(phone, "What if I relapse?")
    session.moderate_question(question_id, approved=True)
    await session.vote_question_async(phone, question_id, True)
    assert (await session.request_pause_async(phone)).counted
    session.show_questions("one", question_id)
    path = session.journal.path
    again = resumed(session)
    assert [(q.text, q.votes) for q in again.listed_questions()] == [("What if I relapse?", 1)]
    assert again.has_voted(phone, question_id)
    assert again.question_on_screen().id == question_id
    assert again.pauses_per_module() == {"only": 1}
    again.close()
    with closing(sqlite3.connect(path)) as conn:
        payloads = " ".join(row[0] for row in conn.execute("SELECT payload FROM events"))
    assert phone not in payloads  # the journal's events never name a phone


async def test_a_pause_request_is_a_count_once_per_phone_every_few_minutes(tmp_path: Path) -> None:
    clock = FakeClock(1000.0)
    session = start(tmp_path, clock)
    phone, other = session.join(), session.join()
    session.jump("hello")
    assert (await session.request_pause_async(phone)).counted
    again = await session.request_pause_async(phone)
    assert not again.counted and 0 < again.again_in <= PAUSE_EVERY_SECONDS
    assert (await session.request_pause_async(other)).counted
    assert session.recent_pauses() == 2
    clock.advance(PAUSE_EVERY_SECONDS + 1)
    assert (await session.request_pause_async(phone)).counted
    assert session.recent_pauses() == 3
    clock.advance(PAUSE_SHOWN_SECONDS + 1)
    assert session.recent_pauses() == 0  # the count fades after a few minutes; the report keeps it
    assert session.pauses_per_module() == {"only": 3}


async def test_phones_cannot_write_these_events_as_the_facilitator(tmp_path: Path) -> None:
    session = start(tmp_path)
    for type in ev.PHONE_TYPES:
        assert not session.dispatch(type, id="x", text="forged", voter="v", vote=True).ok
    assert session.state.questions == () and session.state.pauses == ()


async def test_a_phone_may_ask_only_so_many_questions_at_once(tmp_path: Path) -> None:
    clock = FakeClock(1000.0)
    session = start(tmp_path, clock)
    phone = session.join()
    for n in range(5):
        await session.ask_question_async(phone, f"q{n}")
    refused = await refusal(session.ask_question_async(phone, "one more"))
    assert refused.status == 429 and "in a few minutes" in refused.message
    clock.advance(601)
    await session.ask_question_async(phone, "one more")
    assert (await refusal(session.ask_question_async(phone, "   "))).status == 422
    assert (await refusal(session.ask_question_async(phone, "x" * 301))).status == 422


async def test_questions_can_be_turned_off_for_a_workshop(tmp_path: Path) -> None:
    session = start(tmp_path, questions=False)
    refused = await refusal(session.ask_question_async(session.join(), "Hello?"))
    assert refused.status == 404


async def test_after_the_end_phones_can_neither_ask_nor_vote(tmp_path: Path) -> None:
    session = start(tmp_path)
    phone = session.join()
    session.end()
    assert (await refusal(session.ask_question_async(phone, "Late?"))).status == 409
    assert (await refusal(session.request_pause_async(phone))).status == 409


async def test_a_phone_write_that_reaches_the_file_after_the_end_is_ignored(tmp_path: Path) -> None:
    session = start(tmp_path)
    phone = session.join()
    await session.ask_question_async(phone, "Before the end?")
    asking = asyncio.ensure_future(session.ask_question_async(phone, "Just at the end?"))
    await asyncio.sleep(0)  # queued for the group commit, not yet saved
    session.end()
    await asking  # saved, after `end` or just before it
    live = [q.text for q in session.waiting_questions()]
    assert live[0] == "Before the end?"
    session.journal.write_batch([Event(ev.QUESTION_ASK, {"id": "late", "text": "After the end"}, 2000.0)])
    again = resumed(session)  # opens as it ended: nothing after `end` counts, nothing is damaged
    assert next(q.text for q in again.waiting_questions()) == "Before the end?"
    assert "After the end" not in [q.text for q in again.waiting_questions()]
    again.close()


async def test_unchecked_and_hidden_words_never_leave_the_presenter_view(tmp_path: Path) -> None:
    session = start(tmp_path)
    session.jump("in-the-way")
    for words in (["Fear", "money"], ["fear"], ["Sam Smith"]):
        session.submit(session.join(), "in-the-way", words)
    assert session.results("in-the-way").current.words == ()
    assert session.results("in-the-way").shown.words == ()
    review = session.words_to_check("in-the-way")
    assert [(w.word, w.count, w.shown) for w in review] == [
        ("Fear", 2, None),
        ("money", 1, None),
        ("Sam Smith", 1, None),
    ]
    assert session.check_words("in-the-way", ["fear", "money"], shown=True).ok
    assert session.check_words("in-the-way", ["Sam Smith"], shown=False).ok
    assert session.results("in-the-way").shown.words == (("Fear", 2), ("money", 1))
    session.submit(session.join(), "in-the-way", ["late word"])  # arrives after the check: waits
    assert "late word" not in str(session.results("in-the-way"))
    assert [(w.word, w.shown) for w in session.words_to_check("in-the-way")][-1] == ("late word", None)
    again = resumed(session)
    assert again.results("in-the-way").shown.words == (("Fear", 2), ("money", 1))
    assert "Sam Smith" not in str(again.results("in-the-way"))
    again.close()


async def test_a_words_poll_that_opted_out_shows_words_as_they_come(tmp_path: Path) -> None:
    session = start(tmp_path)
    session.jump("open-words")
    session.submit(session.join(), "open-words", ["calm"])
    assert session.results("open-words").shown.words == (("calm", 1),)
    assert not session.check_words("open-words", ["calm"], shown=False).ok


async def test_the_room_shows_listed_questions_one_at_a_time_or_as_a_list(tmp_path: Path) -> None:
    session = start(tmp_path)
    phone = session.join()
    assert not session.show_questions("list").ok  # nothing listed yet
    first = await session.ask_question_async(phone, "First?")
    second = await session.ask_question_async(phone, "Second?")
    session.moderate_question(first, approved=True)
    session.moderate_question(second, approved=True)
    assert session.show_questions("one").ok
    assert session.question_on_screen().text == "First?"
    assert session.show_questions("one", second).ok
    assert session.question_on_screen().text == "Second?"
    session.moderate_question(second, approved=False)  # set aside while on screen: the next one shows
    assert session.question_on_screen().text == "First?"
    session.moderate_question(first, approved=False)
    assert session.state.questions_shown == "off" and session.question_on_screen() is None
