"""The journal: one durable SQLite file per session, versioned, with readable ids."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import datetime
from pathlib import Path

import pytest

from facilitate.session import journal as journal_module
from facilitate.session.clock import FakeClock
from facilitate.session.events import Event
from facilitate.session.frozen import thaw
from facilitate.session.journal import SCHEMA_VERSION, Journal, JournalError
from facilitate.workshop.loader import parse_workshop
from facilitate.workshop.models import Workshop
from tests.session.conftest import WORKSHOP_YAML


def create(data_dir: Path, workshop: Workshop, clock: FakeClock, **extra) -> Journal:
    return Journal.create(data_dir, workshop, source_text=None, source_path=None, clock=clock, **extra)


def raw(path: Path, sql: str) -> list[tuple]:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute(sql).fetchall()


def test_a_session_file_lives_under_sessions_with_a_readable_id(data_dir: Path, workshop: Workshop) -> None:
    clock = FakeClock(datetime(2025, 11, 24, 18, 5, 30).timestamp())
    with create(data_dir, workshop, clock) as journal:
        assert journal.session_id == "2025-11-24-1805-demo-ws"
        assert journal.path == data_dir / "sessions" / "2025-11-24-1805-demo-ws.sqlite"
        assert journal.path.is_file()


def test_a_taken_id_gets_a_number(data_dir: Path, workshop: Workshop, clock: FakeClock) -> None:
    journals = [create(data_dir, workshop, clock) for _ in range(3)]
    first = journals[0].session_id
    assert [j.session_id for j in journals] == [first, f"{first}-2", f"{first}-3"]
    for journal in journals:
        journal.close()


def test_the_file_is_durable_wal_with_full_sync(data_dir: Path, workshop: Workshop, clock: FakeClock) -> None:
    with create(data_dir, workshop, clock) as journal:
        assert raw(journal.path, "PRAGMA journal_mode") == [("wal",)]
        assert journal._conn.execute("PRAGMA synchronous").fetchone() == (2,)  # FULL


def test_schema_version_is_recorded(data_dir: Path, workshop: Workshop, clock: FakeClock) -> None:
    with create(data_dir, workshop, clock) as journal:
        assert raw(journal.path, "SELECT version FROM schema_version") == [(SCHEMA_VERSION,)]
        tables = {name for (name,) in raw(journal.path, "SELECT name FROM sqlite_master WHERE type='table'")}
        assert {"schema_version", "meta", "events"} <= tables


def test_older_files_are_migrated_on_open(
    data_dir: Path, workshop: Workshop, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as v1:  # a file as the first version of facilitate wrote it
        v1.setattr(journal_module, "MIGRATIONS", journal_module.MIGRATIONS[:1])
        v1.setattr(journal_module, "SCHEMA_VERSION", 1)
        with create(data_dir, workshop, clock) as journal:
            journal.append(Event("start", {}, clock.now()))
            path = journal.path
    assert raw(path, "SELECT version FROM schema_version") == [(1,)]
    with Journal.open(path) as reopened:
        assert [e.type for e in reopened.events()] == ["start"]
        reopened.add_device("token", clock.now())
        assert reopened.devices() == {"token"}
    assert raw(path, "SELECT version FROM schema_version") == [(journal_module.SCHEMA_VERSION,)]
    assert raw(path, "SELECT COUNT(*) FROM submissions") == [(0,)]


def test_a_file_from_a_newer_version_is_refused(data_dir: Path, workshop: Workshop, clock: FakeClock) -> None:
    with create(data_dir, workshop, clock) as journal:
        path = journal.path
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute("UPDATE schema_version SET version = 99")
    with pytest.raises(JournalError, match="newer version of facilitate"):
        Journal.open(path)


def test_events_round_trip_exactly(data_dir: Path, workshop: Workshop, clock: FakeClock) -> None:
    written = [
        Event("start", {}, clock.now()),
        Event("jump", {"step": "reflect"}, clock.now() + 1.125),
        Event("timer_adjust", {"seconds": -60}, clock.now() + 2.000001),
        Event("suspend", {"at": clock.now() + 2.5}, clock.now() + 30.75),
    ]
    with create(data_dir, workshop, clock) as journal:
        for event in written:
            journal.append(event)
        path = journal.path
    with Journal.open(path) as reopened:
        assert reopened.events() == written


def test_meta_holds_the_session_details(data_dir: Path, workshop: Workshop, clock: FakeClock) -> None:
    journal = Journal.create(
        data_dir, workshop, source_text=None, source_path="workshops/demo.yaml", clock=clock, demo=True
    )
    with journal:
        meta = journal.meta()
    assert (meta.workshop_id, meta.workshop_title, meta.source_path) == (
        "demo-ws",
        "Demo workshop",
        "workshops/demo.yaml",
    )
    assert meta.created_at == meta.last_alive == clock.now()
    assert meta.ended_at is None
    assert meta.demo is True
    assert thaw(meta.workshop_source) == workshop


def test_the_original_yaml_is_kept_as_the_frozen_copy(data_dir: Path, clock: FakeClock) -> None:
    workshop = parse_workshop(WORKSHOP_YAML)
    with Journal.create(
        data_dir, workshop, source_text=WORKSHOP_YAML, source_path="x.yaml", clock=clock
    ) as journal:
        assert journal.meta().workshop_source == WORKSHOP_YAML
        assert thaw(journal.meta().workshop_source) == workshop


def test_source_text_that_does_not_match_the_workshop_is_not_trusted(
    data_dir: Path, workshop: Workshop, clock: FakeClock
) -> None:
    with Journal.create(
        data_dir, workshop, source_text=WORKSHOP_YAML, source_path=None, clock=clock
    ) as journal:
        source = journal.meta().workshop_source
    assert source != WORKSHOP_YAML
    assert thaw(source) == workshop


def test_the_join_secret_is_random_and_long_enough(
    data_dir: Path, workshop: Workshop, clock: FakeClock
) -> None:
    with create(data_dir, workshop, clock) as first, create(data_dir, workshop, clock) as second:
        assert len(first.join_secret) >= 16  # 12 random bytes, base64
        assert first.join_secret != second.join_secret
        path, secret = first.path, first.join_secret
    with Journal.open(path) as reopened:
        assert reopened.join_secret == secret


def test_touch_and_append_move_last_alive_forward_only(
    data_dir: Path, workshop: Workshop, clock: FakeClock
) -> None:
    with create(data_dir, workshop, clock) as journal:
        journal.touch(clock.now() + 10)
        assert journal.meta().last_alive == clock.now() + 10
        journal.touch(clock.now() + 5)
        assert journal.meta().last_alive == clock.now() + 10
        journal.append(Event("start", {}, clock.now() + 12))
        assert journal.meta().last_alive == clock.now() + 12


def test_mark_ended(data_dir: Path, workshop: Workshop, clock: FakeClock) -> None:
    with create(data_dir, workshop, clock) as journal:
        journal.mark_ended(clock.now() + 99)
        assert journal.meta().ended_at == clock.now() + 99


def test_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(JournalError, match="There is no session file at"):
        Journal.open(tmp_path / "nope.sqlite")


def test_a_file_that_is_not_a_session_is_a_clear_error(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.sqlite"
    garbage.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(JournalError, match="damaged"):
        Journal.open(garbage)
    other = tmp_path / "other.sqlite"
    with closing(sqlite3.connect(other)) as conn:
        conn.execute("CREATE TABLE t (x)")
    with pytest.raises(JournalError, match="not a facilitate session"):
        Journal.open(other)
    assert raw(other, "SELECT name FROM sqlite_master") == [("t",)]  # left untouched


def test_a_full_disk_is_a_clear_error_and_nothing_half_written(
    data_dir: Path, workshop: Workshop, clock: FakeClock
) -> None:
    with create(data_dir, workshop, clock) as journal:
        journal.append(Event("start", {}, clock.now()))
        pages = journal._conn.execute("PRAGMA page_count").fetchone()[0]
        journal._conn.execute(f"PRAGMA max_page_count = {pages}")  # as if the disk were full
        with pytest.raises(JournalError, match="the disk is full"):
            journal.append(Event("jump", {"step": "x" * 50_000}, clock.now()))
        assert [e.type for e in journal.events()] == ["start"]


def test_a_closed_journal_is_a_clear_error(data_dir: Path, workshop: Workshop, clock: FakeClock) -> None:
    journal = create(data_dir, workshop, clock)
    journal.close()
    with pytest.raises(JournalError, match="already closed"):
        journal.append(Event("start", {}, clock.now()))


def test_details_that_are_not_plain_data_are_a_clear_error(
    data_dir: Path, workshop: Workshop, clock: FakeClock
) -> None:
    with create(data_dir, workshop, clock) as journal:
        with pytest.raises(JournalError, match="not plain data"):
            journal.append(Event("blank", {"where": object()}, clock.now()))
        assert journal.events() == []


def test_a_data_folder_removed_mid_run_is_written_again(tmp_path: Path) -> None:
    """Someone deletes the data folder during the workshop: the next write puts the whole session back."""
    import shutil

    from facilitate.session.clock import FakeClock as Clock
    from facilitate.session.session import Session as LiveSession
    from facilitate.workshop.registry import open_workshop as open_named

    data_dir = tmp_path / "data"
    session = LiveSession.start_loaded(open_named("check-in"), data_dir=data_dir, clock=Clock())
    phone = session.join()
    session.next()
    shutil.rmtree(data_dir)
    assert session.next().ok  # this write recreates the file, with everything before it
    session.submit(phone, next(s.id for _, s in session.workshop.steps() if s.kind == "reflection"), "kept")
    assert session.journal.notices and "written again" in session.journal.notices[0]
    index = session.state.index
    session.close()
    resumed = LiveSession.resume(data_dir, session.id, clock=Clock())
    assert resumed.state.index == index and resumed.joined == 1
    assert "kept" in resumed.private_answers(phone).values()
