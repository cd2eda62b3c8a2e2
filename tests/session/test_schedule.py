"""Planned against actual: per step, per module, and how far behind plan the room is."""

from __future__ import annotations

from facilitate.session.clock import FakeClock
from facilitate.session.schedule import schedule
from tests.session.conftest import Driver


def now_schedule(driver: Driver):
    return schedule(driver.workshop, driver.slides, driver.state, driver.clock.now())


def test_planned_starts_and_totals(driver: Driver) -> None:
    plan = now_schedule(driver)
    assert [(s.step_id, s.planned, s.planned_start) for s in plan.steps] == [
        ("welcome", 120, 0),
        ("pairs", 300, 120),
        ("reflect", 600, 420),
        ("pause", 180, 1020),
        ("goodbye", 60, 1200),
    ]
    assert [(m.module_id, m.planned, m.planned_start) for m in plan.modules] == [
        ("opening", 420, 0),
        ("core", 840, 420),
    ]
    assert plan.planned_total == 1260


def test_actual_time_counts_every_visit_and_the_open_one(driver: Driver, clock: FakeClock) -> None:
    driver.go_to("pairs")
    clock.advance(100)
    driver.do("next")
    clock.advance(20)
    driver.do("back")
    clock.advance(50)  # the current, open visit
    plan = now_schedule(driver)
    assert plan.step("pairs").actual == 150
    assert plan.module("opening").actual == 150
    assert plan.elapsed == 170
    assert plan.unplanned == 20  # the module note


def test_behind_by_on_an_example(driver: Driver, clock: FakeClock) -> None:
    clock.advance(360)  # the title screen while people arrive: the workshop has not begun
    driver.go_to("welcome")
    assert now_schedule(driver).behind_by == 0
    clock.advance(120)
    driver.do("next")
    clock.advance(420)  # pairs: 5 min planned, 7 min taken
    driver.go_to("reflect")
    clock.advance(240)  # 4 of 10 minutes so far
    plan = now_schedule(driver)
    # elapsed 780 − (welcome 120 + pairs 300 + min(600, 240)) = 120: pairs' 2 min over
    assert plan.elapsed == 780
    assert plan.behind_by == 120


def test_within_the_current_step_time_does_not_put_you_behind(driver: Driver, clock: FakeClock) -> None:
    driver.go_to("reflect")
    plan_start = now_schedule(driver).behind_by
    clock.advance(599)
    assert now_schedule(driver).behind_by == plan_start
    clock.advance(61)
    assert now_schedule(driver).behind_by == plan_start + 60


def test_leaving_early_or_skipping_puts_you_ahead(driver: Driver, clock: FakeClock) -> None:
    driver.go_to("pairs")
    clock.advance(60)  # 4 minutes early
    driver.go_to("pause")  # skips the 10-minute reflection
    assert now_schedule(driver).behind_by == 60 - (120 + 300 + 600)


def test_a_module_note_counts_toward_behind_by(driver: Driver, clock: FakeClock) -> None:
    driver.go_to("pairs")
    clock.advance(300)
    driver.do("next")  # the note before "core"
    clock.advance(45)
    plan = now_schedule(driver)
    assert plan.behind_by == (300 + 45) - (120 + 300)
    assert plan.unplanned == 45


def test_grounding_time_counts_toward_the_interrupted_step(driver: Driver, clock: FakeClock) -> None:
    driver.go_to("reflect")
    clock.advance(100)
    driver.do("grounding_enter")
    clock.advance(180)
    driver.do("grounding_leave")
    clock.advance(20)
    plan = now_schedule(driver)
    assert plan.step("reflect").actual == 300
    assert driver.timer("reflect").elapsed(clock.now()) == 120  # the timer itself paused


def test_time_while_the_app_was_down_counts_nowhere(driver: Driver, clock: FakeClock) -> None:
    driver.go_to("reflect")
    clock.advance(100)
    last_alive = clock.now()
    clock.advance(3600)
    driver.do("suspend", at=last_alive)
    clock.advance(50)
    plan = now_schedule(driver)
    assert plan.step("reflect").actual == 150
    assert plan.elapsed == 150


def test_after_the_end_nothing_more_is_counted(driver: Driver, clock: FakeClock) -> None:
    driver.go_to("pause")
    clock.advance(200)
    driver.do("end")
    clock.advance(1000)
    plan = now_schedule(driver)
    assert plan.step("pause").actual == 200
    assert plan.behind_by == 200 - (1020 + 180)
