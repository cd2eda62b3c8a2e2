"""Private reflections and plans are deleted after the grace period, and gone from the disk."""

from __future__ import annotations

from pathlib import Path

from facilitate.session.clock import FakeClock
from facilitate.session.retention import expire_private_answers
from facilitate.session.session import Session
from facilitate.workshop.registry import open_workshop

SECRET = "my brother's voice saying I'm useless"


def on_disk(folder: Path, needle: str) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() and needle.encode() in p.read_bytes()]


def ended_session(tmp_path: Path, clock: FakeClock) -> tuple[Session, str]:
    session = Session.start_loaded(open_workshop("check-in"), data_dir=tmp_path, clock=clock)
    reflection = next(s for _, s in session.workshop.steps() if s.kind == "reflection")
    plan = next(s for _, s in session.workshop.steps() if s.kind == "plan")
    phone = session.join()
    session.submit(phone, reflection.id, SECRET)
    session.submit(phone, plan.id, {"if": "I hear it", "then": "I breathe out slowly"})
    assert on_disk(tmp_path, SECRET)
    session.keep_private_seconds = 30 * 60
    assert session.end().ok
    return session, phone


def test_private_answers_stay_for_the_grace_period_then_are_gone_from_the_file(tmp_path: Path) -> None:
    clock = FakeClock(1_000_000.0)
    session, phone = ended_session(tmp_path, clock)
    assert session.private_deadline == session.state.ended_at + 30 * 60
    clock.advance(29 * 60)
    session.heartbeat()
    assert session.private_answers(phone)  # still there for downloads
    clock.advance(2 * 60)
    session.heartbeat()
    assert session.private_answers(phone) == {} and session.private_deleted
    assert session.private_deadline is None
    assert on_disk(tmp_path, SECRET) == [] and on_disk(tmp_path, "breathe out slowly") == []
    assert session.joined == 1  # devices and poll totals stay for the report


def test_a_session_closed_before_its_deadline_is_cleaned_by_the_next_command(tmp_path: Path) -> None:
    clock = FakeClock(1_000_000.0)
    session, _ = ended_session(tmp_path, clock)
    deadline = session.private_deadline
    session.close()
    assert expire_private_answers(tmp_path, deadline - 1) == []
    assert on_disk(tmp_path, SECRET)
    assert expire_private_answers(tmp_path, deadline + 1) == [session.id]
    assert on_disk(tmp_path, SECRET) == []
    assert expire_private_answers(tmp_path, deadline + 2) == []  # once


def test_deleting_now_is_only_after_the_end(tmp_path: Path) -> None:
    clock = FakeClock(1_000_000.0)
    session = Session.start_loaded(open_workshop("check-in"), data_dir=tmp_path, clock=clock)
    assert session.delete_private_now() is False and session.private_deadline is None


def test_a_private_answer_reaching_the_file_after_the_deletion_is_deleted_again(tmp_path: Path) -> None:
    """A write already on its way when the deadline passed, or one from a second app on the same file,
    never stays: the journal refuses it, and retention deletes whatever got in some other way."""
    from facilitate.session.journal import AnswerRecord, Journal

    clock = FakeClock(1_000_000.0)
    session, phone = ended_session(tmp_path, clock)
    reflection = next(s for _, s in session.workshop.steps() if s.kind == "reflection")
    assert session.delete_private_now()
    late = AnswerRecord(reflection.id, phone, '"written late"', clock.now(), True)
    session.journal.write_batch([late])  # the group commit finishing after the deletion
    assert session.private_answers(phone) == {}
    path = session.journal.path
    session.close()
    with Journal.open(path) as journal:  # another app, writing behind the journal's back
        journal._conn.execute(
            "INSERT INTO private_answers (step_id, device, value, at) VALUES (?, ?, ?, ?)",
            (reflection.id, phone, '"smuggled in"', 1.0),
        )
    assert on_disk(tmp_path, "smuggled in")
    assert expire_private_answers(tmp_path, clock.now()) == [session.id]
    assert on_disk(tmp_path, "smuggled in") == [] and on_disk(tmp_path, "written late") == []


def test_replay_ignores_every_event_after_the_end(tmp_path: Path) -> None:
    """Events a second app wrote after the end neither change the ended session nor make it unreadable."""
    from facilitate.session import events as ev
    from facilitate.session.events import Event

    clock = FakeClock(1_000_000.0)
    session, _ = ended_session(tmp_path, clock)
    index = session.state.index
    session.journal.append(Event(ev.NEXT, {}, clock.now() + 5))
    session.journal.append(Event(ev.END, {}, clock.now() + 6))
    session.close()
    reopened = Session.open_readonly(tmp_path, session.id)
    try:
        assert reopened.ended and reopened.state.index == index
        assert reopened.state.ended_at == session.state.ended_at
    finally:
        reopened.close()


def test_once_private_answers_are_deleted_no_ones_answers_link_across_polls(tmp_path: Path) -> None:
    """Issue 12: every answer carried its device token for as long as the file existed, so one query
    linked a person's answers across all polls. After the deletion, each poll's answers stand alone;
    results, reports and a resume are unchanged."""
    import sqlite3
    from contextlib import closing

    from facilitate.session.report import build_report

    clock = FakeClock(1_000_000.0)
    session = Session.start_loaded(open_workshop("check-in"), data_dir=tmp_path, clock=clock)
    polls = [s for _, s in session.workshop.steps() if s.kind == "poll" and s.type in ("single", "scale")]
    phones = [session.join() for _ in range(7)]
    for poll in polls:
        session.jump(poll.id)
        for index, phone in enumerate(phones):
            value = index % 2 if poll.type == "single" else 3 + index % 4
            session.submit(phone, poll.id, value)
        session.submit(phones[0], poll.id, None)  # a change of mind stays a change within its poll
        session.toggle_reveal(poll.id)
    before = {poll.id: session.results(poll.id) for poll in polls}
    session.keep_private_seconds = 0
    session.end()
    report_before = build_report(session).to_json()
    assert session.delete_private_now() or session.expire_private()
    path = session.journal.path
    session.close()
    with closing(sqlite3.connect(path)) as conn:
        spread = conn.execute(
            "SELECT MAX(polls) FROM (SELECT COUNT(DISTINCT step_id) AS polls FROM submissions GROUP BY device)"
        ).fetchone()[0]
        known = {row[0] for row in conn.execute("SELECT token FROM devices")}
        linked = conn.execute("SELECT COUNT(*) FROM submissions WHERE device IN (SELECT token FROM devices)")
        assert spread == 1 and linked.fetchone()[0] == 0 and known == set(phones)
    reopened = Session.open_readonly(tmp_path, session.id)
    try:
        assert {poll.id: reopened.results(poll.id) for poll in polls} == before
        assert build_report(reopened).to_json() == report_before
    finally:
        reopened.close()
