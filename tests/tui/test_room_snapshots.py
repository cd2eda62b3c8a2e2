"""Snapshots of the room view (`facilitate room`) at a projector's usual sizes. Update only after looking
at the report: `pytest tests/tui/test_room_snapshots.py --snapshot-update`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from facilitate.session.clock import FakeClock
from facilitate.session.session import Session
from facilitate.tui.room import RoomScreen, make_room_app

SIZES = [(80, 24), (120, 35), (200, 60)]


def _revealed(session: Session, poll_type: str) -> None:
    poll = next(
        s
        for _, s in session.workshop.steps()
        if s.kind == "poll" and s.type == poll_type and not s.compare_with
    )
    session.jump(poll.id)
    words = ["tired", "hopeful", "tired", "calm", "tired", "hopeful", "stretched", "ready"]
    for index in range(12):
        if poll_type == "words":
            value: object = [words[index % len(words)]]
        elif poll_type == "scale":
            value = index % 11
        else:
            value = index % len(poll.options)
        session.submit(session.join(), poll.id, value)
    if poll.is_moderated:  # checked words: only those the facilitator let through are shown
        session.check_words(poll.id, [word.key for word in session.words_to_check(poll.id)], shown=True)
    session.toggle_reveal(poll.id)


async def _until_shown(pilot) -> None:
    for _ in range(200):
        if isinstance(pilot.app.screen, RoomScreen):
            break
        await pilot.pause(0.02)
    start = pilot.app.ticks  # then two of the room's own redraws, whatever the machine's load
    while pilot.app.ticks < start + 2:
        await pilot.pause(0.02)
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("poll_type", ["single", "words"])
def test_room_view_of_revealed_results(
    snap_compare,
    start_session: Callable[..., Session],
    clock: FakeClock,
    poll_type: str,
    size: tuple[int, int],
) -> None:
    """The room view of a revealed poll in the check-in workshop: the step's title and question at
    the top, options only as the chart's labels (never cut: they wrap), bars as wide as the screen allows
    (single) or words by frequency, the most frequent bold and underlined (words); "Remaining" on the
    timer. No counts of phones joined, no key hints, no status line, no footer, no scrollbar."""
    session = start_session("check-in")
    _revealed(session, poll_type)
    app = make_room_app(
        Path(session.journal.path).parent.parent, session.id, wall=clock.now, monotonic=lambda: 0.0
    )
    assert snap_compare(app, terminal_size=size, run_before=_until_shown)
