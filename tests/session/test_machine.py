"""The reducer: every event, every refusal and the sentence the facilitator sees."""

from __future__ import annotations

import copy

import pytest

from facilitate.session.clock import FakeClock
from facilitate.session.grounding import grounding_exercise
from facilitate.session.machine import replay
from facilitate.session.state import Gap, SessionState, Visit
from facilitate.session.timer import Timer
from facilitate.workshop.models import Workshop
from tests.session.conftest import START, WORKSHOP_DATA, Driver


def test_start_shows_the_title_with_no_timer(driver: Driver) -> None:
    assert driver.slide.kind == "title"
    assert driver.state.started_at == START
    assert dict(driver.state.timers) == {}
    assert driver.state.visits == (Visit(0, START),)


def test_nothing_happens_before_start(workshop, clock: FakeClock) -> None:
    fresh = Driver(workshop, clock)
    assert fresh.refused("next") == "The session has not started yet"


def test_start_only_once(driver: Driver) -> None:
    assert driver.refused("start") == "The session has already started"


def test_unknown_action_is_refused(driver: Driver) -> None:
    assert driver.refused("dance") == "Unknown action 'dance'"


def test_next_walks_the_running_order(driver: Driver) -> None:
    seen = [driver.slide]
    for _ in range(len(driver.slides) - 1):
        driver.do("next")
        seen.append(driver.slide)
    assert tuple(seen) == driver.slides


def test_next_on_the_last_slide_is_refused(driver: Driver) -> None:
    driver.go_to("goodbye")
    assert driver.refused("next") == "This is the last step: press q to end or quit"


def test_back_before_the_title_is_refused(driver: Driver) -> None:
    assert driver.refused("back") == "This is the title screen: there is nothing before it"


def test_back_returns_to_the_previous_slide(driver: Driver) -> None:
    driver.go_to("reflect")
    driver.do("back")
    assert driver.slide.kind == "module_note"


def test_a_timed_step_starts_its_timer_when_first_shown(driver: Driver, clock: FakeClock) -> None:
    driver.do("next")  # welcome: a content step has no timer
    assert "welcome" not in driver.state.timers
    clock.advance(30)
    driver.do("next")
    timer = driver.timer("pairs")
    assert timer.running
    assert timer.planned == 300
    clock.advance(100)
    assert timer.remaining(clock.now()) == 200


def test_leaving_a_step_pauses_its_timer_and_coming_back_shows_it_paused(
    driver: Driver, clock: FakeClock
) -> None:
    driver.go_to("pairs")
    clock.advance(100)
    driver.do("next")
    clock.advance(500)
    assert not driver.timer("pairs").running
    driver.do("back")
    timer = driver.timer("pairs")
    assert not timer.running
    assert timer.remaining(clock.now()) == 200
    driver.do("timer_toggle")
    clock.advance(50)
    assert driver.timer("pairs").remaining(clock.now()) == 150


def test_jump_goes_to_a_step_by_id(driver: Driver) -> None:
    driver.do("jump", step="pause")
    assert driver.slide.step_id == "pause"
    assert driver.timer("pause").running


def test_jump_refusals(driver: Driver) -> None:
    assert driver.refused("jump", step="nope") == "There is no step 'nope' in this workshop"
    assert driver.refused("jump") == "Say which step to jump to"
    driver.go_to("reflect")
    assert driver.refused("jump", step="reflect") == "This step is already showing"


@pytest.mark.parametrize(
    ("where", "reason"), [(None, "This slide has no timer"), ("welcome", "This step has no timer")]
)
def test_timer_actions_need_a_timed_step(driver: Driver, where: str | None, reason: str) -> None:
    if where:
        driver.go_to(where)
    assert driver.refused("timer_toggle") == reason
    assert driver.refused("timer_adjust", seconds=60) == reason


def test_a_module_note_has_no_timer(driver: Driver) -> None:
    driver.go_to("reflect")
    driver.do("back")
    assert driver.refused("timer_toggle") == "This slide has no timer"


def test_closing_step_has_no_timer(driver: Driver) -> None:
    driver.go_to("goodbye")
    assert driver.refused("timer_toggle") == "This step has no timer"


def test_timer_toggle_pauses_and_resumes(driver: Driver, clock: FakeClock) -> None:
    driver.go_to("reflect")
    clock.advance(60)
    driver.do("timer_toggle")
    clock.advance(300)
    assert driver.timer("reflect").remaining(clock.now()) == 540
    driver.do("timer_toggle")
    clock.advance(40)
    assert driver.timer("reflect").remaining(clock.now()) == 500


def test_timer_adjust_adds_and_removes_a_minute(driver: Driver, clock: FakeClock) -> None:
    driver.go_to("pause")
    clock.advance(30)
    driver.do("timer_adjust", seconds=60)
    assert driver.timer("pause").remaining(clock.now()) == 210
    driver.do("timer_adjust", seconds=-60)
    driver.do("timer_adjust", seconds=-60)
    assert driver.timer("pause").remaining(clock.now()) == 90


def test_timer_adjust_below_zero_is_refused(driver: Driver) -> None:
    driver.go_to("pause")
    for _ in range(3):
        driver.do("timer_adjust", seconds=-60)
    assert driver.refused("timer_adjust", seconds=-60) == (
        "The timer cannot go below zero: only 0:00 is planned for it"
    )


@pytest.mark.parametrize("seconds", [None, "60", True, float("nan")])
def test_timer_adjust_needs_a_number(driver: Driver, seconds: object) -> None:
    driver.go_to("pause")
    assert (
        driver.refused("timer_adjust", seconds=seconds)
        == "Say how many seconds to add to the timer, or take away"
    )


def test_grounding_round_trip_restores_the_step_timer_exactly(driver: Driver, clock: FakeClock) -> None:
    driver.go_to("reflect")
    clock.advance(123.5)
    before = driver.timer("reflect").remaining(clock.now())
    driver.do("grounding_enter")
    grounding = driver.state.grounding
    assert grounding is not None
    assert grounding.step_id == "reflect"
    assert grounding.timer.running
    assert grounding.timer.planned == grounding_exercise(driver.workshop).total
    assert not driver.timer("reflect").running
    clock.advance(170)
    driver.do("grounding_leave")
    assert driver.state.grounding is None
    assert driver.slide.step_id == "reflect"
    timer = driver.timer("reflect")
    assert timer.running
    assert timer.remaining(clock.now()) == before  # no time lost while grounding
    clock.advance(10)
    assert timer.remaining(clock.now()) == before - 10


def test_grounding_leaves_a_paused_step_timer_paused(driver: Driver, clock: FakeClock) -> None:
    driver.go_to("reflect")
    clock.advance(60)
    driver.do("timer_toggle")
    paused = driver.timer("reflect")
    driver.do("grounding_enter")
    clock.advance(60)
    driver.do("grounding_leave")
    assert driver.timer("reflect") == paused


def test_grounding_from_the_title_screen(driver: Driver, clock: FakeClock) -> None:
    driver.do("grounding_enter")
    clock.advance(30)
    driver.do("grounding_leave")
    assert driver.slide.kind == "title"
    assert dict(driver.state.timers) == {}


def test_grounding_refusals(driver: Driver) -> None:
    assert driver.refused("grounding_leave") == "The grounding exercise is not on"
    driver.do("grounding_enter")
    assert driver.refused("grounding_enter") == "The grounding exercise is already on"
    reason = "The grounding exercise is on: leave it before moving to another step"
    assert driver.refused("next") == reason
    assert driver.refused("back") == reason
    assert driver.refused("jump", step="pause") == reason


def test_timer_actions_while_grounding_act_on_the_grounding_timer(driver: Driver, clock: FakeClock) -> None:
    driver.go_to("reflect")
    driver.do("grounding_enter")
    reflect = driver.timer("reflect")
    clock.advance(20)
    driver.do("timer_toggle")
    driver.do("timer_adjust", seconds=60)
    grounding = driver.state.grounding
    assert grounding is not None
    assert not grounding.timer.running
    assert grounding.timer.remaining(clock.now()) == grounding_exercise(driver.workshop).total + 60 - 20
    assert driver.timer("reflect") == reflect


def test_blank_keeps_the_timer_running(driver: Driver, clock: FakeClock) -> None:
    driver.go_to("reflect")
    driver.do("blank")
    assert driver.state.blanked
    clock.advance(60)
    assert driver.timer("reflect").remaining(clock.now()) == 540
    assert driver.refused("blank") == "The screen is already blank"
    driver.do("unblank")
    assert not driver.state.blanked
    assert driver.refused("unblank") == "The screen is not blank"


def test_end_records_the_time_and_stops_every_timer(driver: Driver, clock: FakeClock) -> None:
    driver.go_to("reflect")
    clock.advance(100)
    driver.do("end")
    assert driver.state.ended_at == clock.now()
    clock.advance(1000)
    assert not driver.timer("reflect").running
    assert driver.timer("reflect").remaining(clock.now()) == 500


def test_end_during_grounding_closes_it(driver: Driver) -> None:
    driver.do("blank")
    driver.do("grounding_enter")
    driver.do("end")
    assert driver.state.grounding is None
    assert not driver.state.blanked


@pytest.mark.parametrize(
    "event",
    [
        "next",
        "back",
        "timer_toggle",
        "grounding_enter",
        "grounding_leave",
        "blank",
        "unblank",
        "end",
        "suspend",
    ],
)
def test_nothing_happens_after_end(driver: Driver, event: str) -> None:
    driver.go_to("reflect")
    driver.do("end")
    assert driver.refused(event) == "The session has ended"


def test_suspend_pauses_running_timers_at_the_last_sign_of_life(driver: Driver, clock: FakeClock) -> None:
    driver.go_to("reflect")
    went_down = clock.now() + 100
    clock.advance(700)
    driver.do("suspend", at=went_down)
    timer = driver.timer("reflect")
    assert not timer.running
    assert timer.remaining(clock.now()) == 500
    assert driver.state.gaps == (Gap(went_down, clock.now()),)
    assert driver.state.visits[-2:] == (Visit(4, went_down - 100, went_down), Visit(4, clock.now()))


def test_suspend_pauses_the_grounding_timer_too(driver: Driver, clock: FakeClock) -> None:
    driver.go_to("reflect")
    driver.do("grounding_enter")
    clock.advance(30)
    driver.do("suspend", at=clock.now())
    clock.advance(600)
    grounding = driver.state.grounding
    assert grounding is not None
    assert grounding.timer.elapsed(clock.now()) == 30
    assert not grounding.timer.running


def test_the_reducer_never_changes_the_state_it_is_given(driver: Driver, clock: FakeClock) -> None:
    driver.go_to("reflect")
    before = driver.state
    snapshot = dict(before.timers)
    clock.advance(10)
    driver.do("next")
    assert dict(before.timers) == snapshot
    with pytest.raises(TypeError):
        before.timers["x"] = Timer(1)  # type: ignore[index]


def test_replaying_the_events_gives_the_same_state(driver: Driver, clock: FakeClock) -> None:
    for action, payload in [
        ("next", {}),
        ("next", {}),
        ("timer_adjust", {"seconds": 60}),
        ("grounding_enter", {}),
        ("grounding_leave", {}),
        ("jump", {"step": "pause"}),
        ("blank", {}),
        ("end", {}),
    ]:
        clock.advance(37.25)
        driver.do(action, **payload)
    assert replay(driver.workshop, driver.slides, driver.events) == driver.state
    assert replay(driver.workshop, driver.slides, []) == SessionState()


def test_end_before_the_closing_step_brings_the_closing_step_up(driver: Driver, clock: FakeClock) -> None:
    """Ending mid-workshop must not leave the room on that step without the takeaway QR code."""
    driver.go_to("pairs")
    clock.advance(30)
    driver.do("end")
    assert driver.slide.step_id == "goodbye"
    assert driver.state.ended
    assert driver.state.visits[-1].index != driver.state.index  # no time counted on the closing step


def test_end_on_the_closing_step_stays_there(driver: Driver) -> None:
    driver.go_to("goodbye")
    driver.do("end")
    assert driver.slide.step_id == "goodbye"


def test_end_without_a_closing_step_stays_on_the_step(clock: FakeClock) -> None:
    data = copy.deepcopy(WORKSHOP_DATA)
    data["modules"][1]["steps"].pop()  # no closing step
    workshop = Workshop.model_validate(data)
    driver = Driver(workshop, clock)
    driver.do("start")
    driver.go_to("reflect")
    driver.do("end")
    assert driver.slide.step_id == "reflect"
