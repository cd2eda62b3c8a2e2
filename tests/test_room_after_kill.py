"""kill -9 of the facilitator's app, then `run --resume`: the room view, never restarted, says "Paused"
and then follows the resumed app by itself. The real CLI in a pseudo-terminal; the room view is the real
`RoomApp` following the real journal."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from facilitate.tui.room import RoomScreen, make_room_app
from facilitate.workshop.registry import open_workshop
from tests.test_crash_resume import Terminal, journal_row
from tests.waiting import until

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")


def room_text(app) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def test_the_room_view_follows_again_after_kill_9_and_resume(tmp_path: Path) -> None:
    workshop = open_workshop("check-in").workshop
    steps = [step for _, step in workshop.steps()]
    first: Terminal | None = Terminal("run", "check-in", "--no-phones", data_dir=tmp_path)
    second = None
    try:
        first.wait_for(workshop.title[:20])
        path = next((tmp_path / "sessions").glob("*.sqlite"))
        session_id = path.name.removesuffix(".sqlite")
        room = make_room_app(tmp_path, session_id)
        async with room.run_test(size=(100, 30)) as pilot:
            await until(pilot, lambda: isinstance(room.screen, RoomScreen))
            paused = room.screen.query_one("#room-paused")
            await until(pilot, lambda: workshop.title in room_text(room))
            first.press(" ")  # the first step
            await until(pilot, lambda: steps[0].title in room_text(room))
            assert not paused.display
            first.kill()  # kill -9: no goodbye, no last write
            first = None
            await until(pilot, lambda: paused.display, timeout=15)
            assert steps[0].title in room_text(room)  # the last screen stays
            events = journal_row(path, "SELECT COUNT(*) FROM events")
            second = Terminal("run", "check-in", "--resume", "--no-phones", data_dir=tmp_path)
            await until(pilot, lambda: journal_row(path, "SELECT COUNT(*) FROM events") > events, timeout=30)
            second.press(" ")  # the next step, from the resumed app
            await until(pilot, lambda: steps[1].title in room_text(room), timeout=30)
            await until(pilot, lambda: not paused.display, timeout=15)
    finally:
        if first is not None:
            first.kill()
        if second is not None:
            second.kill()
