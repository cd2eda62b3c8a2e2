"""Every key a facilitator uses, driven with Pilot on a fake clock: what the room and the facilitator see."""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import Digits, Label, Markdown, Static

from facilitate.session.clock import FakeClock
from facilitate.session.session import Session
from facilitate.tui.app import FacilitateApp, make_app
from facilitate.tui.poll_view import PollView
from facilitate.tui.screens import AgendaScreen, BlankScreen, HandCountScreen, HelpScreen, QuitScreen
from facilitate.tui.views import (
    ActivityView,
    ContentView,
    GroundingView,
    ModuleNoteView,
    TitleView,
)
from tests.waiting import palette_offers, settled, until

SIZE = (100, 30)


def first(session: Session, kind: str, poll_type: str | None = None) -> str:
    return next(
        step.id
        for _, step in session.workshop.steps()
        if step.kind == kind and (poll_type is None or step.type == poll_type)
    )


def digits(app: FacilitateApp) -> str:
    return app.run_screen.view.query_one(Digits).value


def timer_state(app: FacilitateApp) -> str:
    return str(app.run_screen.view.query_one("#timer-state", Label).render())


def text_of(app: FacilitateApp) -> str:
    return "\n".join(str(widget.render()) for widget in app.screen.query(Static))


async def test_next_and_back_with_every_key(app: FacilitateApp) -> None:
    session = app.session
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.run_screen.view, TitleView)
        for key in ("right", "space", "pagedown"):
            before = session.state.index
            await pilot.press(key)
            assert session.state.index == before + 1
        for key in ("left", "pageup"):
            before = session.state.index
            await pilot.press(key)
            assert session.state.index == before - 1


async def test_refused_moves_are_calm_notifications(app: FacilitateApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("left")
        assert [n.message for n in app._notifications] == [
            "This is the title screen: there is nothing before it"
        ]
        assert isinstance(app.run_screen.view, TitleView)


async def test_module_content_note_comes_as_a_card_before_its_first_step(app: FacilitateApp) -> None:
    session = app.session
    noted = next(m for m in session.workshop.modules if m.content_note)
    async with app.run_test(size=SIZE) as pilot:
        while session.current_slide.kind != "module_note":
            await pilot.press("right")
        assert isinstance(app.run_screen.view, ModuleNoteView)
        assert noted.content_note in text_of(app)
        await pilot.press("right")
        assert session.current_step.id == noted.steps[0].id


async def test_timer_pause_resume_and_minutes(app: FacilitateApp, clock: FakeClock) -> None:
    session = app.session
    activity = session.workshop.step_by_id(first(session, "activity"))
    session.jump(activity.id)
    async with app.run_test(size=SIZE) as pilot:
        clock.advance(30)
        await settled(pilot, app)
        minutes, seconds = divmod(activity.duration - 30, 60)
        assert digits(app) == f"{minutes:02d}:{seconds:02d}"
        await pilot.press("t")
        clock.advance(100)
        await settled(pilot, app)
        assert digits(app) == f"{minutes:02d}:{seconds:02d}"
        assert timer_state(app).startswith("Paused")
        await pilot.press("t", "plus")
        await settled(pilot, app)
        assert digits(app) == f"{minutes + 1:02d}:{seconds:02d}"
        await pilot.press("minus", "minus")
        await settled(pilot, app)
        assert digits(app) == f"{minutes - 1:02d}:{seconds:02d}"
        assert not timer_state(app).startswith("Paused")


async def test_last_minute_time_up_and_overrun_are_said_in_words(
    app: FacilitateApp, clock: FakeClock
) -> None:
    session = app.session
    activity = session.workshop.step_by_id(first(session, "activity"))
    session.jump(activity.id)
    async with app.run_test(size=SIZE) as pilot:
        clock.advance(activity.duration - 30)
        await settled(pilot, app)
        assert timer_state(app) == "Last minute"
        assert app.run_screen.view.query_one("Countdown").has_class("-last-minute")
        clock.advance(30)
        await settled(pilot, app)
        assert timer_state(app) == "Time is up" and digits(app) == "00:00"
        clock.advance(83)
        await settled(pilot, app)
        assert timer_state(app) == "Over time" and digits(app) == "+01:23"


async def test_notes_are_hidden_until_asked_and_never_in_projector_mode(app: FacilitateApp) -> None:
    session = app.session
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("right")
        notes = app.run_screen.query_one("#notes", Markdown)
        panel = app.run_screen.query_one("#notes-panel")
        assert not panel.display
        await pilot.press("n")
        assert panel.display
        assert session.current_step.notes.split()[0] in notes.source
        await pilot.press("p")
        assert not panel.display
        assert not app.run_screen.query_one("#status").display
        assert not app.run_screen.query_one("Footer").display
        await pilot.press("n")
        assert not panel.display
        await pilot.press("p")
        assert panel.display


async def test_notes_follow_the_step_whether_open_or_reopened(app: FacilitateApp) -> None:
    """Notes are laid out only while shown, so they must catch up with steps passed while hidden."""
    session = app.session
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("right", "n")
        notes = app.run_screen.query_one("#notes", Markdown)
        first_notes = session.current_step.notes
        await pilot.press("right")
        await pilot.pause()
        assert session.current_step.notes != first_notes
        assert session.current_step.notes.split()[0] in notes.source
        await pilot.press("n", "right", "right")
        hidden_since = session.current_step
        await pilot.press("n")
        await pilot.pause()
        expected = hidden_since.notes.split()[0] if hidden_since.notes else "No notes"
        assert expected in notes.source


async def test_agenda_shows_planned_against_actual(app: FacilitateApp, clock: FakeClock) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("right")
        clock.advance(600)
        await pilot.press("a")
        assert isinstance(app.screen, AgendaScreen)
        summary = str(app.screen.query_one("#agenda-summary").render())
        assert "behind schedule" in summary
        await pilot.press("escape")
        assert not isinstance(app.screen, AgendaScreen)
        await pilot.press("p", "a")
        assert not isinstance(app.screen, AgendaScreen)


async def test_blank_screen_and_any_key_returns(app: FacilitateApp) -> None:
    session = app.session
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("right", "b")
        assert isinstance(app.screen, BlankScreen) and session.state.blanked
        index = session.state.index
        await pilot.press("x")
        assert not isinstance(app.screen, BlankScreen) and not session.state.blanked
        assert session.state.index == index
        await pilot.press("full_stop")
        assert isinstance(app.screen, BlankScreen)
        await pilot.press("right")  # any key returns, and does nothing else
        assert session.state.index == index and not session.state.blanked


async def test_grounding_from_anywhere_and_escape_returns_with_the_timer_as_it_was(
    app: FacilitateApp, clock: FakeClock
) -> None:
    session = app.session
    activity = session.workshop.step_by_id(first(session, "activity"))
    session.jump(activity.id)
    async with app.run_test(size=SIZE) as pilot:
        clock.advance(20)
        await settled(pilot, app)
        shown = digits(app)
        await pilot.press("g")
        assert isinstance(app.run_screen.view, GroundingView)
        clock.advance(120)
        await settled(pilot, app)
        await pilot.press("escape")
        await settled(pilot, app)
        assert isinstance(app.run_screen.view, ActivityView)
        assert digits(app) == shown


async def test_help_lists_every_key_from_the_bindings(app: FacilitateApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        shown = text_of(app)
        for binding in app.run_screen.BINDINGS:
            if binding.system:  # not a key of its own (the "why not" fallbacks, see tui/why_not.py)
                continue
            assert binding.description in shown
        assert "PageDown" in shown and "ctrl+p" in shown
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_quit_asks_first(app: FacilitateApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("q")
        assert isinstance(app.screen, QuitScreen)
        assert f"--resume {app.session.id}" in text_of(app)
        await pilot.press("n")
        assert not isinstance(app.screen, QuitScreen) and app.is_running
        await pilot.press("q", "enter")  # Enter is on "Stay": only y (or a click) quits
        await pilot.pause()
        assert not isinstance(app.screen, QuitScreen) and app.is_running
        await pilot.press("q", "y")
        await pilot.pause()
    assert app.return_code == 0


async def test_hand_count_shows_bars_with_numbers(start_session: Callable[..., Session]) -> None:
    session = start_session("check-in")
    poll = session.workshop.step_by_id(first(session, "poll", "single"))
    session.jump(poll.id)
    app = make_app(session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("h")
        assert isinstance(app.screen, HandCountScreen)
        keys = [k for index in range(len(poll.options)) for k in (str(index + 2), "tab")]
        await pilot.press(*keys[:-1], "enter")
        await pilot.pause()
        assert session.state.hand_counts[poll.id] == tuple(range(2, len(poll.options) + 2))
        results = str(app.run_screen.view.query_one(".results").render())
        assert "Show of hands" in results and poll.options[0] in results and "%" in results


async def test_hand_count_cancel_and_not_on_other_steps(start_session: Callable[..., Session]) -> None:
    session = start_session("check-in")
    poll = session.workshop.step_by_id(first(session, "poll", "single"))
    session.jump(poll.id)
    app = make_app(session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("h", "escape")
        assert dict(session.state.hand_counts) == {}
        await pilot.press("left")
        await pilot.press("h")
        assert not isinstance(app.screen, HandCountScreen)


async def test_palette_jumps_to_a_step_by_title(app: FacilitateApp) -> None:
    session = app.session
    _target_module, target = list(session.workshop.steps())[-2]
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.press(*target.title)
        await until(pilot, lambda: palette_offers(app, target.title))
        await pilot.press("enter")
        await pilot.pause()
        assert session.current_step.id == target.id


async def test_end_session_from_the_palette(app: FacilitateApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p", *"session: end")
        await until(pilot, lambda: palette_offers(app, "session: end"))
        await pilot.press("enter")
        await pilot.pause()
        assert not app.session.ended  # it asks first
        await pilot.press("enter")  # Enter is "Not yet": a stray key never ends a session
        await pilot.pause()
        assert not app.session.ended
        await pilot.press("ctrl+p", *"session: end")
        await until(pilot, lambda: palette_offers(app, "session: end"))
        await pilot.press("enter", "y")
        await pilot.pause()
        assert app.session.ended
        offered = [command.title for command in app.get_system_commands(app.screen)]
        assert not any(title.startswith(("step:", "timer:", "grounding:")) for title in offered)
        assert "quit" in offered
        assert "session ended" in str(app.run_screen.query_one("#status").render())


async def test_workshop_text_is_shown_as_written(start_session: Callable[..., Session]) -> None:
    source = (
        "id: markup\ntitle: '[bold red]hi[/]'\nsummary: '[@click=app.quit]x[/]'\naudience: a\nmodules:\n"
        "  - id: m\n    title: M\n    goal: g\n    steps:\n"
        "      - {id: p, kind: poll, title: '[b]T[/b]', duration: 1m, question: '[red]Q?[/]', type: single,"
        " options: ['[i]one[/i]', two]}\n"
    )
    session = start_session(source=source)
    app = make_app(session)
    async with app.run_test(size=SIZE) as pilot:
        shown = text_of(app)
        assert "[bold red]hi[/]" in shown and "[@click=app.quit]x[/]" in shown
        await pilot.press("right")
        shown = text_of(app)
        assert "[b]T[/b]" in shown and "[red]Q?[/]" in shown and "[i]one[/i]" in shown
        assert app.is_running


async def test_break_says_when_we_are_back(start_session: Callable[..., Session], clock: FakeClock) -> None:
    session = start_session("check-in")
    pause = session.workshop.step_by_id(first(session, "break"))
    session.jump(pause.id)
    app = make_app(session)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot, app)
        back = str(app.run_screen.view.query_one(".back-at").render())
        expected = clock.now() + pause.duration
        import time as _time

        assert back == "Back at " + _time.strftime("%H:%M", _time.localtime(expected))


async def test_content_view_renders_markdown(start_session: Callable[..., Session]) -> None:
    session = start_session("check-in")
    session.jump(first(session, "content"))
    app = make_app(session)
    async with app.run_test(size=SIZE):
        assert isinstance(app.run_screen.view, ContentView)
        step = session.current_step
        assert step.body.startswith(f"## {step.title}\n")  # the title shows above it, not twice
        assert app.run_screen.view.query_one(Markdown).source == step.body.removeprefix(f"## {step.title}\n")


async def test_projector_flag_and_theme(start_session: Callable[..., Session]) -> None:
    app = make_app(start_session("check-in"), projector=True, theme="high-contrast")
    async with app.run_test(size=SIZE):
        assert app.run_screen.has_class("-projector")
        assert app.theme == "facilitate-high-contrast"


async def test_heartbeat_keeps_the_journal_alive(app: FacilitateApp, clock: FakeClock) -> None:
    async with app.run_test(size=SIZE) as pilot:
        clock.advance(5)
        await until(pilot, lambda: app.session.journal.meta().last_alive >= clock.now() - 0.01)
        assert app.session.journal.meta().last_alive >= clock.now() - 0.01


async def test_poll_view_on_a_scale(start_session: Callable[..., Session]) -> None:
    session = start_session("check-in")
    session.jump(first(session, "poll", "scale"))
    app = make_app(session)
    async with app.run_test(size=SIZE):
        assert isinstance(app.run_screen.view, PollView)
        assert "You are welcome to pass." in text_of(app)


async def test_two_quick_presses_past_a_poll_never_crash(app: FacilitateApp) -> None:
    """A clicker pressed twice in a row (or a held arrow key) moves the session on before the poll's
    view has mounted: the view must draw the step it was made for, not the one after it."""
    session = app.session
    steps = [step for _, step in session.workshop.steps()]
    for index, step in enumerate(steps[:-1]):
        if step.kind == "poll" and steps[index + 1].kind != "poll":
            poll, after = step, steps[index + 1]
            break
    async with app.run_test(size=SIZE) as pilot:
        session.jump(poll.id)
        session.next()  # in the same turn of the loop as the jump: nothing has mounted yet
        await pilot.pause()
        await pilot.pause()
        assert session.current_step.id == after.id
        assert app.is_running and app.return_code in (None, 0)
        assert not isinstance(app.run_screen.view, PollView)
