"""The room view (`facilitate room`, following the journal) and what phones add: a waiting question, an
unchecked or hidden word and a pause request never show; listed questions show when the facilitator puts
them up; ranking and points results show once revealed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from facilitate.session.session import Session
from facilitate.workshop.starter import starter_text
from tests.tui.test_room import Clocks, RoomScreen, room_for, room_text, until


async def test_the_room_view_never_shows_what_waits_for_the_facilitator(
    start_session: Callable[..., Session], clock
) -> None:
    session = start_session(source=starter_text(Path("room.yaml")).replace("reveal_min: 5", "reveal_min: 2"))
    app = room_for(session, Clocks(clock))
    phones = [session.join() for _ in range(3)]
    async with app.run_test(size=(120, 35)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, RoomScreen))
        session.jump("in-the-way")
        for phone, words in zip(phones, (["fear", "Jo Smith"], ["fear"], ["unchecked"]), strict=True):
            session.submit(phone, "in-the-way", words)
        session.check_words("in-the-way", ["fear"], shown=True)
        session.check_words("in-the-way", ["jo smith"], shown=False)
        waiting = await session.ask_question_async(phones[0], "Is Jo here today?")
        listed = await session.ask_question_async(phones[1], "Is it normal to freeze?")
        await session.request_pause_async(phones[2])
        session.toggle_reveal("in-the-way")
        await until(pilot, lambda: "fear" in room_text(app))
        text = room_text(app)
        assert "Jo Smith" not in text and "unchecked" not in text and "words to check" not in text
        assert "pause" not in text.lower() and "Jo here" not in text and "question" not in text.lower()
        session.moderate_question(listed, approved=True)
        session.show_questions("one", listed)
        await until(pilot, lambda: "Is it normal to freeze?" in room_text(app))
        assert "Jo here" not in room_text(app)
        session.show_questions("list")
        await until(pilot, lambda: "0 upvotes" in room_text(app))
        assert "Jo here" not in room_text(app)
        session.moderate_question(waiting, approved=False)
        session.show_questions("off")
        session.jump("what-first")
        for phone, order in zip(phones, ([1, 0, 2], [1, 2, 0], [0, 1, 2]), strict=True):
            session.submit(phone, "what-first", order)
        session.toggle_reveal("what-first")
        await until(pilot, lambda: "average rank" in room_text(app))
        assert "1. Start smaller" in room_text(app)
        await pilot.press("q")
