"""The presenter view's panels for pauses, questions and checked words: counts, and text only here."""

from __future__ import annotations

from pathlib import Path

from facilitate.session.clock import FakeClock
from facilitate.session.participation import PAUSE_SHOWN_SECONDS
from facilitate.session.session import Session
from facilitate.tui.take_part_panels import pause_panel, questions_panel, words_panel
from facilitate.workshop.loader import parse_workshop
from facilitate.workshop.starter import starter_text


def start(tmp_path: Path, clock: FakeClock) -> Session:
    source = starter_text(Path("panels.yaml"))
    return Session.start(
        parse_workshop(source), data_dir=tmp_path, clock=clock, source_text=source, source_path=None
    )


async def test_panels_say_counts_and_waiting_text_and_fade(tmp_path: Path) -> None:
    clock = FakeClock(1000.0)
    session = start(tmp_path, clock)
    phones = [session.join() for _ in range(2)]
    assert pause_panel(session) == questions_panel(session) == words_panel(session) == ""
    for phone in phones:
        await session.request_pause_async(phone)
    assert pause_panel(session) == "2 people would like a pause (a count, never who)"
    first = await session.ask_question_async(phones[0], "Why now?")
    assert questions_panel(session) == "Questions (k): 1 waiting · 0 listed\n  “Why now?”"
    session.moderate_question(first, approved=True)
    session.show_questions("list")
    assert (
        questions_panel(session) == "Questions (k): 0 waiting · 1 listed\nThe room sees the list of questions"
    )
    session.jump("in-the-way")
    session.submit(phones[0], "in-the-way", ["fear", "Kim"])
    session.submit(phones[1], "in-the-way", ["fear"])
    session.check_words("in-the-way", ["kim"], shown=False)
    assert words_panel(session).splitlines() == [
        "Words to check (m): 1 new · only shown words reach the room",
        "  new    fear ×2",
        "  hidden Kim ×1",
    ]
    clock.advance(PAUSE_SHOWN_SECONDS + 1)
    assert pause_panel(session) == ""
    session.close()


async def test_the_presenter_column_shows_the_panels_while_a_room_view_follows(tmp_path: Path) -> None:
    from textual.widgets import Static

    from facilitate.session.presence import RoomPresence
    from facilitate.tui.app import make_app

    session = start(tmp_path, FakeClock(1000.0))
    phone = session.join()
    session.jump("in-the-way")
    session.submit(phone, "in-the-way", ["Kim"])
    await session.ask_question_async(phone, "Why now?")
    await session.request_pause_async(phone)
    room = RoomPresence(tmp_path, session.id)
    app = make_app(session)
    try:
        async with app.run_test(size=(140, 40)) as pilot:
            for _ in range(100):
                if app.run_screen.presenter:
                    break
                await pilot.pause(0.05)
            await pilot.pause()
            panels = "\n".join(
                str(w.render()) for w in app.run_screen.query(".private-panel").results(Static)
            )
            assert "1 person would like a pause (a count, never who)" in panels
            assert "“Why now?”" in panels and "new    Kim ×1" in panels
            stage = " ".join(str(w.render()) for w in app.run_screen.query_one("#stage").query(Static))
            assert "Kim" not in stage and "Why now" not in stage and "pause" not in stage
    finally:
        room.close()
        session.close()
