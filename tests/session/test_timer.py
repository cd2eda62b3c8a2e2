"""Timers are computed from timestamps: pause, resume and extend are exact and a long run cannot drift."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from facilitate.session.timer import Timer, format_clock

T0 = 1_764_000_000.0


def test_a_new_timer_is_paused_with_its_full_time() -> None:
    timer = Timer(300)
    assert not timer.running
    assert timer.remaining(T0) == 300
    assert timer.elapsed(T0 + 1000) == 0


def test_start_pause_and_resume_keep_exact_time() -> None:
    timer = Timer(300).start(T0)
    assert timer.running
    assert timer.remaining(T0 + 100) == 200
    paused = timer.pause(T0 + 100)
    assert not paused.running
    assert paused.remaining(T0 + 500) == 200  # nothing passes while paused
    resumed = paused.start(T0 + 500)
    assert resumed.remaining(T0 + 550) == 150
    assert resumed.elapsed(T0 + 550) == 150


def test_start_and_pause_twice_change_nothing() -> None:
    running = Timer(60).start(T0)
    assert running.start(T0 + 30) == running
    paused = running.pause(T0 + 10)
    assert paused.pause(T0 + 40) == paused


def test_toggle_alternates() -> None:
    timer = Timer(60).toggle(T0)
    assert timer.running
    assert not timer.toggle(T0 + 5).running


def test_adding_a_minute_extends_the_time_left() -> None:
    timer = Timer(300).start(T0).adjust(60)
    assert timer.planned == 360
    assert timer.remaining(T0 + 100) == 260


def test_removing_time_can_produce_an_overrun() -> None:
    timer = Timer(120).start(T0)
    shorter = timer.adjust(-60)
    assert shorter.is_up(T0 + 90)
    assert shorter.remaining(T0 + 90) == 0
    assert shorter.overrun(T0 + 90) == 30


def test_planned_time_may_not_go_below_zero() -> None:
    timer = Timer(45)
    with pytest.raises(ValueError, match=r"cannot go below zero: only 0:45 is planned"):
        timer.adjust(-60)
    assert timer.adjust(-45).planned == 0


def test_overrun_counts_past_zero() -> None:
    timer = Timer(60).start(T0)
    assert not timer.is_up(T0 + 59)
    assert timer.is_up(T0 + 60)
    assert timer.overrun(T0 + 75) == 15
    assert timer.remaining(T0 + 75) == 0


def test_last_minute_is_the_final_sixty_seconds_before_zero() -> None:
    timer = Timer(300).start(T0)
    assert not timer.in_last_minute(T0 + 239)
    assert timer.in_last_minute(T0 + 240)
    assert timer.in_last_minute(T0 + 299)
    assert not timer.in_last_minute(T0 + 300)  # time is up: a different state


def test_ninety_minutes_of_ticks_with_pauses_do_not_drift() -> None:
    timer = Timer(90 * 60).start(T0)
    now = T0
    paused_for = 0
    pauses = {600: 45, 2000: 120, 4100: 7}  # tick number: seconds paused there
    for tick in range(1, 5401):
        now += 1.0
        if tick in pauses:
            timer = timer.pause(now)
            now += pauses[tick]
            paused_for += pauses[tick]
            timer = timer.start(now)
        assert timer.elapsed(now) == tick
    assert now == T0 + 5400 + paused_for
    assert timer.remaining(now) == 0
    assert timer.is_up(now)
    assert timer.overrun(now) == 0


@given(st.lists(st.tuples(st.integers(0, 600), st.booleans()), max_size=30))
def test_elapsed_is_the_sum_of_running_stretches(steps: list[tuple[int, bool]]) -> None:
    timer = Timer(1800)
    now = T0
    expected = 0
    for seconds, toggle in steps:
        if timer.running:
            expected += seconds
        now += seconds
        if toggle:
            timer = timer.toggle(now)
        assert timer.elapsed(now) == expected
        assert timer.remaining(now) + expected - timer.overrun(now) == 1800


def test_clock_format_for_people() -> None:
    assert format_clock(75) == "1:15"
    assert format_clock(0) == "0:00"
    assert format_clock(3605) == "60:05"


def test_adjusting_stretches_only_the_phases_still_to_come() -> None:
    timer = Timer(300, phases=(60.0, 240.0)).start(T0)
    longer = timer.adjust(60, T0 + 120)  # a minute more, two minutes in: 180 s left become 240
    assert longer.phases == (60.0, 300.0)
    paused = longer.pause(T0 + 130)
    assert paused.phases == longer.phases  # pausing keeps them
    assert Timer(300, phases=(60.0, 240.0)).adjust(-150).phases == (30.0, 120.0)  # not started: all scale
