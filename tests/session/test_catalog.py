"""Listing sessions: newest first, finished or not, and a damaged file never crashes the list."""

from __future__ import annotations

from pathlib import Path

from facilitate.session.catalog import find_latest_unfinished, list_sessions
from facilitate.session.clock import FakeClock
from facilitate.session.session import Session
from facilitate.workshop.models import Workshop
from tests.session.conftest import make_workshop


def run(
    workshop: Workshop, data_dir: Path, clock: FakeClock, *, end: bool = False, demo: bool = False
) -> str:
    session = Session.start(
        workshop, data_dir=data_dir, clock=clock, source_text=None, source_path=None, demo=demo
    )
    clock.advance(30)
    session.next()
    if end:
        session.end()
    session.close()
    clock.advance(3600)
    return session.id


def test_no_folder_means_no_sessions(tmp_path: Path) -> None:
    assert list_sessions(tmp_path / "nothing-here") == []


def test_sessions_are_listed_newest_first_with_their_status(
    data_dir: Path, workshop: Workshop, clock: FakeClock
) -> None:
    first = run(workshop, data_dir, clock, end=True)
    second = run(workshop, data_dir, clock, demo=True)
    listed = list_sessions(data_dir)
    assert [(s.id, s.status, s.demo) for s in listed] == [(second, "paused", True), (first, "ended", False)]
    newest = listed[0]
    assert (newest.workshop_id, newest.workshop_title) == ("demo-ws", "Demo workshop")
    assert newest.last_event == newest.started + 30


def test_a_damaged_file_is_listed_as_damaged(data_dir: Path, workshop: Workshop, clock: FakeClock) -> None:
    good = run(workshop, data_dir, clock)
    (data_dir / "sessions" / "2020-01-01-0000-broken.sqlite").write_bytes(b"\x00garbage" * 200)
    (data_dir / "sessions" / "2020-01-01-0001-empty.sqlite").write_bytes(b"")
    listed = {info.id: info.status for info in list_sessions(data_dir)}
    assert listed == {
        good: "paused",
        "2020-01-01-0000-broken": "damaged",
        "2020-01-01-0001-empty": "damaged",
    }


def test_the_latest_unfinished_session_of_a_workshop(
    data_dir: Path, workshop: Workshop, clock: FakeClock
) -> None:
    older = run(workshop, data_dir, clock)
    newer = run(workshop, data_dir, clock)
    run(workshop, data_dir, clock, end=True)
    run(make_workshop(id="other"), data_dir, clock)
    found = find_latest_unfinished(data_dir, "demo-ws")
    assert found is not None and found.id == newer != older
    assert find_latest_unfinished(data_dir, "unknown") is None
