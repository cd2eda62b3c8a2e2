"""`facilitate room`: the room view follows the session's journal from another app and shows only the
room's part (never notes, counts being typed, unapproved answers, notices or secrets)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from facilitate.session.clock import FakeClock
from facilitate.session.presence import attached_rooms, write_address
from facilitate.session.session import Session
from facilitate.tui.room import RoomApp, RoomScreen, make_room_app

SIZE = (120, 35)


class Clocks:
    """The room view's wall clock is the session's fake clock; its monotonic clock moves by hand."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.mono = 1000.0

    def monotonic(self) -> float:
        return self.mono


def data_dir(session: Session) -> Path:
    return Path(session.journal.path).parent.parent


def room_for(session: Session, clocks: Clocks, session_id: str | None = "given") -> RoomApp:
    return make_room_app(
        data_dir(session),
        session.id if session_id == "given" else session_id,
        wall=clocks.clock.now,
        monotonic=clocks.monotonic,
    )


def room_text(app: RoomApp) -> str:
    """The room view's screen, one line per row, exactly as the room sees it."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def until(pilot, condition: Callable[[], bool], seconds: float = 15.0) -> None:
    for _ in range(int(seconds / 0.02)):
        if condition():
            return
        await pilot.pause(0.02)
    assert condition()


async def room_ticked(pilot, app: RoomApp, ticks: int = 2) -> None:
    """Let the room view's own clock redraw `ticks` more times: for checks that something did *not*
    change, a count of the room's own ticks rather than a guess at how long they take under load."""
    start = app.ticks
    await until(pilot, lambda: app.ticks >= start + ticks)
    await pilot.pause()


def step_of(session: Session, kind: str, poll_type: str | None = None) -> str:
    return next(
        s.id
        for _, s in session.workshop.steps()
        if s.kind == kind and (poll_type is None or s.type == poll_type)
    )


@pytest.fixture
def clocks(clock: FakeClock) -> Clocks:
    return Clocks(clock)


async def test_the_room_view_follows_every_change_and_shows_only_the_rooms_part(
    start_session: Callable[..., Session], clocks: Clocks
) -> None:
    session = start_session("check-in")
    app = room_for(session, clocks)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, RoomScreen))
        await until(pilot, lambda: "Weekly check-in" in room_text(app))
        assert attached_rooms(data_dir(session), session.id) == 1  # the app would show the presenter view
        session.next()
        title = session.current_step.title
        await until(pilot, lambda: title in room_text(app))
        # A poll with phone answers: counts, never what is waiting or the facilitator's keys.
        poll = step_of(session, "poll", "single")
        session.jump(poll)
        for index in range(6):
            session.submit(session.join(), poll, index % 2)
        await until(pilot, lambda: "6 answered" in room_text(app))
        text = room_text(app)
        assert "joined" not in text and "Results are ready" not in text and "r reveals" not in text
        assert "h: count" not in text and session.join_secret not in text
        session.toggle_reveal(poll)
        await until(pilot, lambda: "answers in the chart" in room_text(app))
        # Hand counts: the room sees them only once saved (the dialog being typed is the app's own).
        session.dispatch("hand_count", step=poll, counts=[1] * len(session.current_step.options))
        await until(pilot, lambda: "Show of hands" in room_text(app) or "counted" in room_text(app))
        # Written answers: only approved ones, after the reveal, the one the facilitator put on screen.
        text_poll = step_of(session, "poll", "text")
        session.jump(text_poll)
        for text_answer in ("Kept for the room", "Not this one", "A second kept"):
            session.submit(session.join(), text_poll, text_answer)
        session.moderate(text_poll, "Kept for the room", approved=True)
        session.moderate(text_poll, "A second kept", approved=True)
        session.toggle_reveal(text_poll)
        await until(pilot, lambda: "Kept for the room" in room_text(app))
        session.show_text(text_poll, 1)
        await until(pilot, lambda: "A second kept" in room_text(app))
        assert "Not this one" not in room_text(app) and "to moderate" not in room_text(app)
        # Notes are never shown.
        for _, step in session.workshop.steps():
            if step.notes:
                session.jump(step.id)
                await until(pilot, lambda step=step: step.title in room_text(app))
                assert step.notes.strip().splitlines()[0] not in room_text(app)
                break
        # The join screen while the facilitator shows it, then gone.
        write_address(data_dir(session), session.id, "http://192.0.2.1:8765/j/" + session.join_secret)
        session.show_join()
        await until(pilot, lambda: "Join on your phone" in room_text(app))
        session.hide_join()
        await until(pilot, lambda: "Join on your phone" not in room_text(app))
        # Blank, then back; grounding.
        session.blank()
        await until(pilot, lambda: app.screen.query_one("#room-blank").display)
        session.unblank()
        await until(pilot, lambda: not app.screen.query_one("#room-blank").display)
        session.enter_grounding()
        await until(pilot, lambda: "Nobody is watching" in room_text(app))
        session.leave_grounding()
        # `q` closes the room view and nothing else does anything.
        before = len(session.journal.events())
        await pilot.press("right", "space", "t", "r", "e", "b", "g", "j", "m", "n", "p", "ctrl+p")
        await room_ticked(pilot, app)
        assert len(session.journal.events()) == before and app.is_running
        await pilot.press("q")
    assert attached_rooms(data_dir(session), session.id) == 0


async def test_paused_when_the_heartbeat_stops_and_following_again_after_resume(
    start_session: Callable[..., Session], clocks: Clocks, clock: FakeClock
) -> None:
    session = start_session("check-in")
    session.jump(step_of(session, "activity"))
    app = room_for(session, clocks)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, RoomScreen))
        paused = app.screen.query_one("#room-paused")
        assert not paused.display
        for _ in range(3):  # the app beats once a second
            clocks.mono += 1
            clock.advance(1)
            session.heartbeat()
            await until(pilot, lambda: app.follower._last_alive == clock.now())
            assert not paused.display
        clocks.mono += 5  # ... and then it is killed: no more heartbeats
        await until(pilot, lambda: paused.display)
        assert "Paused" in room_text(app)
        shown = str(app.screen.query_one("Digits").value)
        clock.advance(30)
        await room_ticked(pilot, app)
        assert str(app.screen.query_one("Digits").value) == shown  # the timer stands still
        # `facilitate run --resume` in the same data folder: the room view follows again by itself.
        folder, session_id = data_dir(session), session.id
        session.close()
        resumed = Session.resume(folder, session_id, clock=clock)
        resumed.next()
        title = resumed.current_step.title
        await until(pilot, lambda: title in room_text(app) and not paused.display)
        resumed.close()


async def test_without_an_id_it_waits_saying_so_then_attaches(
    start_session: Callable[..., Session], clocks: Clocks, tmp_path: Path, clock: FakeClock
) -> None:
    app = make_room_app(tmp_path, None, wall=clock.now, monotonic=clocks.monotonic)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: "Waiting for a session to start" in room_text(app))
        session = start_session("check-in")
        for _ in range(12):  # the running app's heartbeat is what the room view looks for
            clock.advance(1)
            session.heartbeat()
            await pilot.pause(0.3)
            if isinstance(app.screen, RoomScreen):
                break
        await until(pilot, lambda: isinstance(app.screen, RoomScreen), seconds=8)
        await until(pilot, lambda: "Weekly check-in" in room_text(app))


async def test_ending_before_the_closing_step_brings_the_room_view_to_it_with_its_qr_and_deadline(
    start_session: Callable[..., Session], clocks: Clocks
) -> None:
    """`e` from a poll: the room view replays the same rule as the app (session/machine `_end`)."""
    session = start_session("check-in")
    session.jump(step_of(session, "poll", "single"))
    write_address(data_dir(session), session.id, "http://192.0.2.1:8765/j/" + session.join_secret)
    app = room_for(session, clocks)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: session.current_step.title in room_text(app))
        assert session.end().ok
        closing = next(s for _, s in session.workshop.steps() if s.kind == "closing")
        await until(pilot, lambda: "Takeaways can be downloaded until" in room_text(app))
        text = room_text(app)
        assert closing.title in text
        assert "█" in text or "▀" in text, "no takeaway QR code in the room view"
        await pilot.press("q")
