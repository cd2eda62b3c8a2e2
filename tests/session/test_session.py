"""The object the UI holds: journaled before shown, resumable after a crash, with views for the screen."""

from __future__ import annotations

from pathlib import Path

import pytest

from facilitate.session.clock import FakeClock
from facilitate.session.journal import Journal, JournalError
from facilitate.session.machine import replay
from facilitate.session.session import Outcome, Session
from facilitate.workshop.loader import parse_workshop
from facilitate.workshop.models import Workshop
from tests.session.conftest import WORKSHOP_YAML


def journaled(session: Session) -> list[str]:
    return [event.type for event in session.journal.events()]


def test_start_creates_the_journal_and_shows_the_title(session: Session, data_dir: Path) -> None:
    assert session.current_slide.kind == "title"
    assert session.current_step is None and session.current_module is None and session.current_timer is None
    assert journaled(session) == ["start"]
    assert (data_dir / "sessions" / f"{session.id}.sqlite").is_file()
    assert session.join_secret == session.journal.meta().join_secret


def test_an_action_is_journaled_and_shown(session: Session, clock: FakeClock) -> None:
    clock.advance(5)
    assert session.next() == Outcome(True)
    assert session.current_step.id == "welcome"
    assert session.current_module.id == "opening"
    assert journaled(session) == ["start", "next"]
    assert session.journal.events()[-1].at == clock.now()


def test_a_refused_action_is_not_journaled(session: Session) -> None:
    outcome = session.back()
    assert outcome == Outcome(False, "This is the title screen: there is nothing before it")
    assert journaled(session) == ["start"]


def test_the_session_writes_start_and_suspend_itself(session: Session) -> None:
    assert not session.dispatch("suspend", at=0).ok
    assert not session.dispatch("start").ok
    assert journaled(session) == ["start"]


def test_subscribers_hear_each_change_once_it_is_saved(session: Session) -> None:
    heard: list[tuple[int, list[str]]] = []
    unsubscribe = session.subscribe(lambda s: heard.append((s.state.index, journaled(s))))
    session.next()
    session.back()
    session.back()  # refused: nobody is told
    unsubscribe()
    unsubscribe()  # harmless twice
    session.next()
    assert heard == [(1, ["start", "next"]), (0, ["start", "next", "back"])]


def test_the_convenience_actions(session: Session, clock: FakeClock) -> None:
    assert session.jump("reflect").ok
    clock.advance(60)
    assert session.adjust_timer(2).ok
    assert session.current_timer.remaining(clock.now()) == 600 + 120 - 60
    assert session.toggle_timer().ok
    assert not session.current_timer.running
    assert session.enter_grounding().ok
    assert session.grounding and session.current_timer.running
    assert session.leave_grounding().ok
    assert session.blank().ok and session.state.blanked
    assert session.unblank().ok
    assert session.end().ok and session.ended
    assert journaled(session) == [
        "start", "jump", "timer_adjust", "timer_toggle", "grounding_enter", "grounding_leave",
        "blank", "unblank", "end",
    ]  # fmt: skip
    assert session.journal.meta().ended_at == clock.now()


def test_current_phase_follows_the_timer(session: Session, clock: FakeClock) -> None:
    session.jump("pairs")
    clock.advance(30)
    phase = session.current_phase()
    assert phase is not None and (phase.phase.title, phase.remaining) == ("Alone", 30)
    session.enter_grounding()
    clock.advance(5)
    phase = session.current_phase()
    assert phase is not None and phase.index == 0 and phase.phase == session.grounding_exercise.phases[0]


def test_the_schedule_view_uses_the_clock(session: Session, clock: FakeClock) -> None:
    session.next()
    clock.advance(100)
    assert session.schedule().step("welcome").actual == 100
    clock.advance(140)  # 2 minutes planned, 4 taken
    assert session.schedule().behind_by == 120


def test_a_failed_save_changes_nothing_on_screen(session: Session) -> None:
    conn = session.journal._conn
    conn.execute(f"PRAGMA max_page_count = {conn.execute('PRAGMA page_count').fetchone()[0]}")  # disk full
    before = session.state
    outcome = session.dispatch("blank", note="y" * 40_000)
    assert not outcome.ok and outcome.journal_error
    assert "the disk is full" in (outcome.reason or "")
    assert session.state == before
    assert not session.state.blanked
    assert session.journal_problem == outcome.reason


def test_heartbeat_records_a_sign_of_life(session: Session, clock: FakeClock) -> None:
    clock.advance(42)
    session.heartbeat()
    assert session.journal.meta().last_alive == clock.now()
    assert session.journal_problem is None


def test_a_failing_heartbeat_is_reported_not_raised(session: Session) -> None:
    session.journal.close()
    session.heartbeat()
    assert session.journal_problem is not None and "closed" in session.journal_problem


def test_the_live_state_equals_a_replay_of_the_journal(session: Session, clock: FakeClock) -> None:
    for action in (
        "next",
        "next",
        "toggle_timer",
        "toggle_timer",
        "enter_grounding",
        "leave_grounding",
        "next",
    ):
        clock.advance(13.37)
        getattr(session, action)()
    replayed = replay(session.workshop, session.slides, session.journal.events())
    assert replayed == session.state


# --- resume ---------------------------------------------------------------------------------------------


def crash(session: Session, clock: FakeClock, *, alive_for: float, down_for: float) -> None:
    """The app keeps beating for `alive_for` seconds, then dies; `down_for` seconds later it is restarted."""
    for _ in range(int(alive_for)):
        clock.advance(1)
        session.heartbeat()
    session.journal.close()
    clock.advance(down_for)


def test_resume_shows_a_running_timer_paused_with_the_time_left_at_the_crash(
    session: Session, clock: FakeClock, data_dir: Path
) -> None:
    session.jump("reflect")
    crash(session, clock, alive_for=100, down_for=1800)
    resumed = Session.resume(data_dir, session.id, clock=clock)
    assert resumed.current_step.id == "reflect"
    timer = resumed.current_timer
    assert timer is not None and not timer.running
    assert timer.remaining(clock.now()) == 500
    assert resumed.join_secret == session.join_secret
    assert journaled(resumed)[-1] == "suspend"
    assert resumed.toggle_timer().ok
    clock.advance(10)
    assert resumed.current_timer.remaining(clock.now()) == 490
    resumed.close()


def test_time_while_down_counts_nowhere(session: Session, clock: FakeClock, data_dir: Path) -> None:
    session.jump("reflect")
    crash(session, clock, alive_for=100, down_for=1800)
    resumed = Session.resume(data_dir, session.id, clock=clock)
    clock.advance(20)
    plan = resumed.schedule()
    assert plan.step("reflect").actual == 120
    assert plan.elapsed == 120
    resumed.close()


def test_an_event_after_the_last_heartbeat_still_counts(
    session: Session, clock: FakeClock, data_dir: Path
) -> None:
    session.jump("reflect")
    crash(session, clock, alive_for=3, down_for=0)
    session.journal = Journal.open(session.journal.path)
    clock.advance(0.5)
    session.toggle_timer()  # paused half a second after the last heartbeat
    session.close()
    clock.advance(600)
    resumed = Session.resume(data_dir, session.id, clock=clock)
    assert resumed.current_timer.remaining(clock.now()) == 600 - 3.5
    resumed.close()


def test_resume_twice_keeps_adding_up(session: Session, clock: FakeClock, data_dir: Path) -> None:
    session.jump("reflect")
    crash(session, clock, alive_for=60, down_for=300)
    again = Session.resume(data_dir, session.id, clock=clock)
    again.toggle_timer()
    crash(again, clock, alive_for=60, down_for=300)
    third = Session.resume(data_dir, session.id, clock=clock)
    assert third.current_timer.remaining(clock.now()) == 480
    assert len(third.state.gaps) == 2
    third.close()


def test_resume_during_grounding(session: Session, clock: FakeClock, data_dir: Path) -> None:
    session.jump("reflect")
    clock.advance(50)
    session.enter_grounding()
    crash(session, clock, alive_for=20, down_for=100)
    resumed = Session.resume(data_dir, session.id, clock=clock)
    assert resumed.grounding
    assert not resumed.current_timer.running
    assert resumed.current_timer.elapsed(clock.now()) == 20
    resumed.leave_grounding()
    assert resumed.current_timer.remaining(clock.now()) == 550  # the step timer as it was before grounding
    resumed.close()


def test_an_ended_session_reopens_as_it_ended_without_writing(
    session: Session, clock: FakeClock, data_dir: Path
) -> None:
    session.jump("pause")
    clock.advance(60)
    session.end()
    session.close()
    clock.advance(999)
    reopened = Session.resume(data_dir, session.id, clock=clock)
    assert reopened.ended
    assert journaled(reopened)[-1] == "end"
    assert reopened.next() == Outcome(False, "The session has ended")
    reopened.close()


def test_resume_repairs_an_end_that_was_not_summarised(
    session: Session, clock: FakeClock, data_dir: Path
) -> None:
    session.end()
    with session.journal._conn:
        session.journal._conn.execute("UPDATE meta SET ended_at = NULL")
    session.close()
    reopened = Session.resume(data_dir, session.id, clock=clock)
    assert reopened.journal.meta().ended_at == reopened.state.ended_at
    reopened.close()


def test_resume_starts_a_session_whose_start_was_never_written(
    workshop: Workshop, clock: FakeClock, data_dir: Path
) -> None:
    journal = Journal.create(data_dir, workshop, source_text=None, source_path=None, clock=clock)
    journal.close()
    resumed = Session.resume(data_dir, journal.session_id, clock=clock)
    assert journaled(resumed) == ["start"]
    resumed.close()


def test_resume_runs_the_frozen_workshop_not_the_file_on_disk(
    clock: FakeClock, data_dir: Path, tmp_path: Path
) -> None:
    source = tmp_path / "w.yaml"
    source.write_text(WORKSHOP_YAML)
    workshop = parse_workshop(WORKSHOP_YAML)
    session = Session.start(
        workshop, data_dir=data_dir, clock=clock, source_text=WORKSHOP_YAML, source_path=str(source)
    )
    session.close()
    source.write_text("id: changed\n")  # someone edits the workshop file mid-session
    resumed = Session.resume(data_dir, session.id, clock=clock)
    assert resumed.workshop == workshop
    resumed.close()


def test_resuming_an_unknown_session_is_a_clear_error(data_dir: Path, clock: FakeClock) -> None:
    with pytest.raises(JournalError, match="There is no session file"):
        Session.resume(data_dir, "2020-01-01-0000-nope", clock=clock)


def test_a_journal_that_cannot_be_replayed_is_reported_as_damaged(
    session: Session, clock: FakeClock, data_dir: Path
) -> None:
    with session.journal._conn:
        session.journal._conn.execute(
            "INSERT INTO events (at, type, payload) VALUES (?, 'back', '{}')", (clock.now(),)
        )
    session.close()
    with pytest.raises(JournalError, match="damaged: an event cannot be replayed"):
        Session.resume(data_dir, session.id, clock=clock)


def test_heartbeat_works_from_a_worker_thread(session: Session, clock: FakeClock) -> None:
    import threading

    clock.advance(7)
    worker = threading.Thread(target=session.heartbeat)
    worker.start()
    worker.join()
    assert session.journal_problem is None
    assert session.journal.meta().last_alive == clock.now()


def test_a_jump_into_another_module_shows_its_content_note_first(tmp_path: Path) -> None:
    """The palette's jump never skips a module's content note (e.g. a trauma note) when arriving from
    another module; within the module, and for plain jumps, it goes straight to the step."""
    from facilitate.workshop.registry import open_workshop

    session = Session.start_loaded(open_workshop("check-in"), data_dir=tmp_path, clock=FakeClock())
    module = next(module for module in session.workshop.modules if module.content_note)
    first, second = module.steps[0], module.steps[1]
    assert session.jump(first.id, note_first=True).ok
    assert session.current_slide.kind == "module_note" and session.current_slide.module_id == module.id
    session.next()
    assert session.current_step.id == first.id
    session.jump(second.id)
    assert session.jump(first.id, note_first=True).ok  # already in the module: straight to the step
    assert session.current_step.id == first.id and session.current_slide.kind == "step"
    session.jump(session.workshop.modules[0].steps[0].id)
    assert session.jump(first.id).ok  # tests and the server keep the plain jump
    assert session.current_slide.kind == "step"
    reopened = Session.resume(tmp_path, session.id, clock=FakeClock())  # the same on replay
    try:
        assert reopened.current_slide == session.current_slide
    finally:
        reopened.close()
        session.close()


def test_a_minute_more_never_sends_an_activity_back_to_a_finished_phase(
    session: Session, clock: FakeClock
) -> None:
    """Pairs: Alone 1 min, then Together 4 min. Five seconds into Together, `+` must stretch what is still
    to come, not every phase (which put the room back in Alone and gave Alone a new length)."""
    session.jump("pairs")
    clock.advance(65)
    assert session.current_phase().phase.title == "Together"
    assert session.adjust_timer(1).ok
    phase = session.current_phase()
    assert phase is not None and phase.phase.title == "Together"
    assert phase.remaining == 295  # the rest of the step, which Together now fills
    assert session.phase_lengths() == (60, 300)  # Alone keeps the length it ran
    assert session.adjust_timer(-1).ok
    assert session.phase_lengths() == (60, 240)


def test_taking_time_away_ends_what_was_still_to_come(session: Session, clock: FakeClock) -> None:
    session.jump("pairs")
    clock.advance(30)
    assert session.adjust_timer(-5).ok  # 5 min off a 5-min step, 30 s in: time is up
    assert session.current_phase() is None
    assert session.phase_lengths() == (30, 0)
    assert session.adjust_timer(2).ok  # time given back after the phases ended: they stay done
    assert session.current_phase() is None


def test_grounding_phases_keep_their_place_after_a_minute_more(session: Session, clock: FakeClock) -> None:
    session.enter_grounding()
    first = session.grounding_exercise.phases[0]
    clock.advance(first.duration + 1)
    assert session.current_phase().index == 1
    assert session.adjust_timer(1).ok
    assert session.current_phase().index == 1
    assert session.phase_lengths()[0] == first.duration
