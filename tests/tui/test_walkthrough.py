"""What a facilitator's walk-through of the live run found (issue 11 §5): each defect, as a person sees it."""

from __future__ import annotations

import time
from collections.abc import Callable

from textual.widgets import Digits, Static

from facilitate.session.clock import FakeClock
from facilitate.session.session import Session
from facilitate.tui.app import FacilitateApp, make_app
from tests.waiting import palette_offers, settled, until

SIZE = (100, 30)


def status(app: FacilitateApp) -> str:
    return str(app.run_screen.query_one("#status", Static).render())


def notices(app: FacilitateApp) -> list[str]:
    return [notification.message for notification in app._notifications]


async def test_status_line_counts_the_step_as_its_timer_does_after_minutes_less_and_more(
    start_session: Callable[..., Session], clock: FakeClock
) -> None:
    """ "2 of 10 min" beside a 6-minute timer: the status line must follow the timer's own length."""
    session = start_session("check-in")
    session.jump("pair-chat")  # 3 minutes
    app = make_app(session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("minus", "minus")
        clock.advance(45)
        await settled(pilot, app)
        assert app.run_screen.view.query_one(Digits).value == "00:15"
        assert "0:45 of 1 min" in status(app)
        await pilot.press("plus", "plus", "plus")
        await settled(pilot, app)
        assert app.run_screen.view.query_one(Digits).value == "03:15"
        assert "0:45 of 4 min" in status(app)
        await pilot.press("t")  # paused: the wall clock runs on, the step's count does not
        clock.advance(120)
        await settled(pilot, app)
        assert "0:45 of 4 min" in status(app)


async def test_an_overrun_is_counted_as_the_timer_counts_it(
    start_session: Callable[..., Session], clock: FakeClock
) -> None:
    """ "2 of 1 min" beside "+00:30": both say a minute and a half of a one-minute step."""
    session = start_session("check-in")
    session.jump("weather")  # 1 minute
    app = make_app(session)
    async with app.run_test(size=SIZE) as pilot:
        clock.advance(90)
        await settled(pilot, app)
        assert app.run_screen.view.query_one(Digits).value == "+00:30"
        assert "1:30 of 1 min" in status(app)


async def test_timer_keys_where_there_is_no_timer_say_why(
    start_session: Callable[..., Session],
) -> None:
    session = start_session("check-in")
    app = make_app(session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t")
        assert notices(app)[-1] == "This slide has no timer"
        await pilot.press("right")  # the welcome: a content step, untimed
        for key in ("t", "plus", "minus"):
            app.clear_notifications()
            await pilot.press(key)
            assert notices(app) == [
                "This content step has no timer: 1 min planned, the status line counts the time spent"
            ], key
        help_rows = app.run_screen.BINDINGS
        assert any(binding.id == "why-not-timer" and binding.system for binding in help_rows)


async def test_timer_keys_after_the_end_say_the_timers_are_stopped(
    start_session: Callable[..., Session],
) -> None:
    session = start_session("check-in")
    session.jump("pair-chat")
    session.end()
    app = make_app(session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("plus")
        assert notices(app)[-1] == "The session has ended: its timers are stopped"


async def test_a_minute_more_keeps_the_activity_in_its_phase(
    start_session: Callable[..., Session], clock: FakeClock
) -> None:
    """Pair chat: Think 30 s, In pairs 2 min, With the room 30 s. `+` in "In pairs" must not send the room
    back to "Think", and "Think" (done) keeps its 30 s."""
    session = start_session("check-in")
    session.jump("pair-chat")
    app = make_app(session)
    async with app.run_test(size=SIZE) as pilot:
        clock.advance(35)
        await pilot.press("plus")
        await settled(pilot, app)
        phases = str(app.run_screen.view.query_one(".phase-list", Static).render())
        assert phases.splitlines()[0] == "✓ Think  ·  30s"
        assert phases.splitlines()[1].startswith("▶ In pairs")


async def test_the_steps_own_name_is_on_screen_above_its_body(
    start_session: Callable[..., Session],
) -> None:
    source = (
        "id: named\ntitle: Named\nsummary: S.\naudience: A.\nmodules:\n"
        "  - id: m\n    title: M\n    goal: G.\n    steps:\n"
        "      - {id: a, kind: content, title: The step's own name, duration: 1m, body: '## A heading'}\n"
        "      - {id: b, kind: content, title: Same, duration: 1m, body: '## Same'}\n"
    )
    session = start_session(source=source)
    session.jump("a")
    app = make_app(session)
    async with app.run_test(size=SIZE) as pilot:
        titles = [str(w.render()) for w in app.run_screen.view.query(".step-title")]
        assert titles == ["The step's own name"]
        await pilot.press("right")
        await pilot.pause()
        shown = "\n".join(str(w.render()) for w in app.run_screen.view.query(Static))
        assert shown.count("Same") == 1  # a heading that only repeats the title is not shown twice


async def test_a_longer_break_says_so_beside_its_back_time(
    start_session: Callable[..., Session], clock: FakeClock
) -> None:
    """The break's words say "a minute"; after `+` the room must not read a back time that disagrees."""
    session = start_session("check-in")
    session.jump("stretch")
    app = make_app(session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("plus")
        await settled(pilot, app)
        back = str(app.run_screen.view.query_one(".back-at", Static).render())
        expected = time.strftime("%H:%M", time.localtime(clock.now() + 120))
        assert back == f"Back at {expected} (the break is now 2 min)"


async def test_back_at_is_the_nearest_minute_so_five_minutes_reads_as_five(
    start_session: Callable[..., Session], clock: FakeClock
) -> None:
    clock.advance(10)  # the break starts ten seconds past the minute
    session = start_session("check-in")
    session.jump("stretch")
    app = make_app(session)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot, app)
        back = str(app.run_screen.view.query_one(".back-at", Static).render())
        assert back == "Back at " + time.strftime("%H:%M", time.localtime(clock.now() - 10 + 60))


async def test_palette_lists_steps_in_running_order(app: FacilitateApp) -> None:
    """Opened, and with "step" typed, the palette offers the steps as they run, not alphabetically."""
    from textual.command import CommandList

    expected = [f"step: {module.title} — {step.title}" for module, step in app.session.workshop.steps()]
    assert expected != sorted(expected)  # the bundled workshop tells the two orders apart
    async with app.run_test(size=(100, 40)) as pilot:
        for typed in ("", "step"):
            await pilot.press("ctrl+p", *typed)
            await until(pilot, lambda: palette_offers(app, "step: "))
            await settled(pilot, app)
            shown = app.screen.query_one(CommandList)
            prompts = [
                str(shown.get_option_at_index(i).prompt).split("\n")[0] for i in range(shown.option_count)
            ]
            offered = [prompt for prompt in prompts if prompt.startswith("step:")]
            assert offered == expected, typed
            await pilot.press("escape")
            await pilot.pause()


async def test_a_hand_count_that_no_room_could_raise_is_refused_in_the_dialog(
    start_session: Callable[..., Session],
) -> None:
    from facilitate.tui.screens import HandCountScreen

    session = start_session("check-in")
    poll = next(s for _, s in session.workshop.steps() if s.kind == "poll" and s.type == "single")
    session.jump(poll.id)
    app = make_app(session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("h")
        assert isinstance(app.screen, HandCountScreen)
        assert str(app.screen.query_one("#count-rule").render()) == "Up to 500 hands in all: one per person"
        await pilot.press(*"4632", "enter")
        await pilot.pause()
        assert isinstance(app.screen, HandCountScreen)  # still open, nothing saved
        error = str(app.screen.query_one("#count-error").render())
        assert error.startswith("At most 500 hands in all") and "add up to 4632" in error
        assert dict(session.state.hand_counts) == {}


async def test_other_keys_that_cannot_act_here_say_why(start_session: Callable[..., Session]) -> None:
    """The same silence as the timer keys': h on a slide that is not a poll, → during grounding or after
    the end, g while grounding."""
    session = start_session("check-in")
    session.jump("welcome")
    app = make_app(session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("h")
        assert notices(app)[-1] == (
            "This content step is not a poll: h (show of hands), r (reveal) and o (open or close) are for polls"
        )
        await pilot.press("left_square_bracket")
        assert notices(app)[-1].startswith("This content step has no written answers")
        await pilot.press("g", "right")
        assert notices(app)[-1] == "The grounding exercise is on: Escape returns to the step"
        await pilot.press("g")
        assert notices(app)[-1] == "The grounding exercise is already on: Escape returns to the step"
        await pilot.press("escape", "e", "y")
        await pilot.pause()
        for key, said in (
            ("right", "The session has ended: the closing step stays on screen (q quits)"),
            ("e", "The session has already ended"),
            ("g", "The session has ended: press q to quit"),
        ):
            await pilot.press(key)
            assert notices(app)[-1] == said, key


async def test_during_grounding_the_status_line_counts_the_grounding_timer(
    start_session: Callable[..., Session], clock: FakeClock
) -> None:
    """The timer on screen is grounding's: the status line must not count the step it interrupted."""
    session = start_session("check-in")
    session.jump("energy-before")  # a one-minute poll
    app = make_app(session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("g", "plus")
        clock.advance(20)
        await settled(pilot, app)
        total = session.grounding_exercise.total + 60
        remaining = app.run_screen.view.query_one(Digits).value
        assert remaining == f"{(total - 20) // 60:02d}:{(total - 20) % 60:02d}"
        steps = len(list(session.workshop.steps()))
        assert f"from step 2/{steps} · 0:20 of {total // 60} min" in status(app)
