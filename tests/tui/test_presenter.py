"""The presenter view: while a room view follows the session, the facilitator's screen shows the step
smaller, the notes, the next step, planned against spent time, phones, notices and private previews."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.widgets import Static

from facilitate.session.presence import RoomPresence, attached_rooms
from facilitate.session.session import Session
from facilitate.tui.app import make_app
from facilitate.tui.moderation import ModerationScreen

SIZE = (140, 40)


def data_dir(session: Session) -> Path:
    return Path(session.journal.path).parent.parent


def text_of(app, selector: str) -> str:
    return "\n".join(str(widget.render()) for widget in app.run_screen.query(selector).results(Static))


def poll_of(session: Session, poll_type: str) -> str:
    return next(s.id for _, s in session.workshop.steps() if s.kind == "poll" and s.type == poll_type)


async def wait_for(pilot, condition: Callable[[], bool], seconds: float = 15.0) -> None:
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        await pilot.pause(0.05)
    assert condition()


async def test_a_room_view_turns_the_screen_into_the_presenter_view_and_back(
    start_session: Callable[..., Session],
) -> None:
    session = start_session("check-in")
    session.next()
    app = make_app(session)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.run_screen
        await pilot.pause()
        assert not screen.presenter and not screen.query_one("#presenter").display
        room = RoomPresence(data_dir(session), session.id)
        try:
            await wait_for(pilot, lambda: screen.presenter)
            assert screen.query_one("#presenter").display
            assert "Room view: 1 attached" in text_of(app, "#presenter-rooms")
            assert "Next:" in text_of(app, "#presenter-next")
            assert "Workshop:" in text_of(app, "#presenter-time")
            assert screen.query_one("#notes-panel").display  # notes always shown
            assert "Notes — only you see these" in str(screen.query_one("#notes").source)
            await pilot.press("p")  # p is for a single screen
            assert screen.presenter and not screen.has_class("-projector")
        finally:
            room.close()
        await wait_for(pilot, lambda: not screen.presenter)
        assert not screen.query_one("#presenter").display


async def test_a_room_view_that_died_is_not_counted(start_session: Callable[..., Session]) -> None:
    session = start_session("check-in")
    room = RoomPresence(data_dir(session), session.id)
    assert attached_rooms(data_dir(session), session.id) == 1
    # A room view killed with -9 loses its lock with its process; here its descriptor closes.
    import os

    os.close(room._fd)
    room._fd = None
    assert attached_rooms(data_dir(session), session.id) == 0
    assert not room.path.exists()  # the stale file is removed


async def test_private_previews_live_in_the_presenter_column(start_session: Callable[..., Session]) -> None:
    session = start_session("check-in")
    step = poll_of(session, "text")
    session.jump(step)
    for text in ("A long walk", "Not this one"):
        session.submit(session.join(), step, text)
    room = RoomPresence(data_dir(session), session.id)
    app = make_app(session)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: app.run_screen.presenter)
            panel = "\n".join(str(w.render()) for w in app.run_screen.query(".private-panel").results(Static))
            assert "Waiting for you (m): 2" in panel and "A long walk" in panel
            await pilot.press("m")  # moderation is allowed: the room does not see this screen
            assert isinstance(app.screen, ModerationScreen)
    finally:
        room.close()


async def test_a_resumed_session_says_so_until_the_first_action(
    start_session: Callable[..., Session], clock
) -> None:
    session = start_session("check-in")
    for _ in range(3):
        session.next()
    folder, session_id = data_dir(session), session.id
    session.close()
    resumed = Session.resume(folder, session_id, clock=clock)
    app = make_app(resumed)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        status = str(app.run_screen.query_one("#status").render())
        assert "Resumed at step 3" in status
        if resumed.current_timer is not None:
            assert "timer paused · t continues" in status
        await pilot.press("t")
        await pilot.pause()
        assert "Resumed" not in str(app.run_screen.query_one("#status").render())
