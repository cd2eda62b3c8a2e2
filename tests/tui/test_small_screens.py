"""What a facilitator's walk-through at 80x24 (and 200x60) found: every part of a step and of each overlay
can be reached, the status line keeps its warnings, and the keys, timer and phases say what is true."""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import DataTable, Digits, Input, Label, Static
from textual.widgets._footer import FooterKey
from textual.widgets._toast import Toast, ToastRack

from facilitate.session.clock import FakeClock
from facilitate.session.session import Session
from facilitate.tui.app import LAST_STEP, FacilitateApp, make_app
from facilitate.tui.poll_view import PollView
from facilitate.tui.screens import AgendaScreen, HandCountScreen, HelpScreen
from facilitate.tui.views import ActivityView, ModuleNoteView, SlideBody
from tests.waiting import settled, until

SMALL = (80, 24)
LARGE = (200, 60)


def screen_text(app: FacilitateApp) -> str:
    """The screen as the room sees it, one line per row."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def step_of(session: Session, kind: str, poll_type: str | None = None, **attributes: object) -> str:
    return next(
        step.id
        for _, step in session.workshop.steps()
        if step.kind == kind
        and (poll_type is None or step.type == poll_type)
        and all(getattr(step, name, None) == value for name, value in attributes.items())
    )


def answer(session: Session, step_id: str, values: list[int]) -> None:
    for value in values:
        session.submit(session.join(), step_id, value)


def body(app: FacilitateApp) -> SlideBody:
    return app.run_screen.view.query_one(SlideBody)


def footer_keys(app: FacilitateApp) -> dict[str, str]:
    """The footer as shown: description -> key shown."""
    return {key.description: key.key_display for key in app.run_screen.query(FooterKey)}


# --- 1. a step that does not fit scrolls, and fits better at 80x24 ----------------------------------------


async def test_a_long_step_scrolls_with_the_arrows_and_the_clicker_still_moves_on(
    start_session: Callable[..., Session],
) -> None:
    session = start_session("self-efficacy")
    session.jump(step_of(session, "plan"))
    app = make_app(session)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("n")  # with the notes open, the plan does not fit at 80x24
        await settled(pilot, app)
        scroll = body(app)
        assert scroll.max_scroll_y > 0
        assert app.focused is None  # nothing on the slide takes the keys from the screen
        assert footer_keys(app).get("More") == "↓"
        await pilot.press("end")
        assert scroll.scroll_y == scroll.max_scroll_y
        assert "Small, specific, and within your control" in screen_text(app)
        await settled(pilot, app)
        assert "More" not in footer_keys(app)  # nothing more below
        await pilot.press("home")
        assert scroll.scroll_y == 0
        await pilot.press("down")
        assert scroll.scroll_y > 0
        await pilot.press("up")
        assert scroll.scroll_y == 0
        index = session.state.index
        await pilot.press("pagedown")  # a clicker: the next step, never a scroll of this one
        assert session.state.index == index + 1


async def test_a_revealed_0_to_10_scale_shows_every_point_and_its_median_at_80x24(
    start_session: Callable[..., Session],
) -> None:
    session = start_session("self-efficacy")
    poll = step_of(session, "poll", "scale", compare_with=None)
    session.jump(poll)
    answer(session, poll, [value % 11 for value in range(12)])
    app = make_app(session)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("r")
        await settled(pilot, app)
        shown = screen_text(app)
        assert " 0  1  2  3  4  5  6  7  8  9 10" in shown
        assert "median 4.5" in shown
        assert "Think of one part of your life" in shown  # the question too


async def test_before_and_after_fits_at_80x24_in_projector_mode(
    start_session: Callable[..., Session],
) -> None:
    session = start_session("self-efficacy")
    after = session.workshop.step_by_id(step_of(session, "poll", "scale", compare_with="confidence-before"))
    session.jump(after.compare_with)
    answer(session, after.compare_with, [value % 11 for value in range(12)])
    session.toggle_reveal(after.compare_with)
    session.jump(after.id)
    answer(session, after.id, [(value + 3) % 11 for value in range(12)])
    session.toggle_reveal(after.id)
    app = make_app(session, projector=True)
    async with app.run_test(size=SMALL) as pilot:
        # Once laid out, the timer gives the chart its rows (one line instead of the big digits).
        await until(pilot, lambda: "median 5.5" in screen_text(app))
        shown = screen_text(app)
        assert "Before" in shown and "After" in shown
        assert "median 4.5" in shown and "median 5.5" in shown
        assert "Remaining" in shown  # the timer too


async def test_hand_counts_of_a_scale_fit_at_80x24_in_projector_mode(
    start_session: Callable[..., Session],
) -> None:
    session = start_session("self-efficacy")
    poll = step_of(session, "poll", "scale", compare_with=None)
    session.jump(poll)
    session.dispatch("hand_count", step=poll, counts=[1, 0, 2, 3, 4, 2, 1, 0, 0, 1, 0])
    app = make_app(session, projector=True)
    async with app.run_test(size=SMALL) as pilot:
        await settled(pilot, app)
        shown = screen_text(app)
        assert "Show of hands" in shown and "14 counted" in shown


async def test_hand_counts_come_into_view_when_saved(start_session: Callable[..., Session]) -> None:
    session = start_session("small-wins-and-models")  # self-efficacy has no poll of options to count
    poll = session.workshop.step_by_id(step_of(session, "poll", "single"))
    session.jump(poll.id)
    app = make_app(session)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("h")
        keys = [key for index in range(len(poll.options)) for key in (str(index + 1), "tab")]
        await pilot.press(*keys[:-1], "enter")
        await settled(pilot, app)
        assert "counted" in screen_text(app)


async def test_the_reflection_keeps_its_privacy_line_on_screen_at_80x24(
    start_session: Callable[..., Session],
) -> None:
    session = start_session("self-efficacy")
    session.jump(step_of(session, "reflection"))
    for projector in (False, True):
        app = make_app(session, projector=projector)
        async with app.run_test(size=SMALL) as pilot:
            await settled(pilot, app)
            assert "This stays with you — nobody sees it." in screen_text(app)


async def test_every_phase_of_an_activity_is_on_screen_at_80x24(
    start_session: Callable[..., Session],
) -> None:
    session = start_session("self-efficacy")
    activity = session.workshop.step_by_id(step_of(session, "activity"))
    session.jump(activity.id)
    app = make_app(session)
    async with app.run_test(size=SMALL) as pilot:
        await settled(pilot, app)
        shown = screen_text(app)  # without scrolling
        assert all(phase.title in shown for phase in activity.phases)


async def test_the_timer_keeps_its_big_digits_unless_the_step_would_not_fit(
    start_session: Callable[..., Session],
) -> None:
    """At 80x24 a break keeps the big digits; the plan, which does not fit with them, gets the time on
    one line; at 200x60 both have the big digits."""
    session = start_session("self-efficacy")
    for kind, size, big in (("break", SMALL, True), ("plan", SMALL, False), ("plan", LARGE, True)):
        session.jump(step_of(session, kind))
        app = make_app(session)
        async with app.run_test(size=size) as pilot:
            await settled(pilot, app)
            view = app.run_screen.view
            assert view.query_one(Digits).display == big, (kind, size)
            assert view.query_one("#timer-inline").display != big
            if not big:
                assert "Remaining  05:00" in screen_text(app)


# --- 2. overlays scroll, and their key hint stays in view ----------------------------------------------


async def test_help_scrolls_at_80x24_and_keeps_its_hint(app: FacilitateApp) -> None:
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.pause()
        assert "Escape closes this help" in screen_text(app)
        assert "Command palette" not in screen_text(app)  # further down: it has to scroll
        await pilot.press("end")
        await pilot.pause()
        shown = screen_text(app)
        assert "Command palette" in shown and "Escape closes this help" in shown


async def test_hand_count_of_an_11_point_scale_scrolls_at_80x24_with_its_hint_and_error(
    start_session: Callable[..., Session],
) -> None:
    session = start_session("self-efficacy")
    session.jump(step_of(session, "poll", "scale", compare_with=None))
    app = make_app(session)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("h")
        assert isinstance(app.screen, HandCountScreen)
        await pilot.pause()
        assert "Enter saves" in screen_text(app)
        for _ in range(10):
            await pilot.press("tab")
        assert app.focused is app.screen.query_one("#count-10", Input)
        await pilot.pause()
        assert app.focused.region.bottom <= app.screen.query_one(".count-rows").region.bottom
        await pilot.press("minus", "3", "enter")
        await pilot.pause()
        shown = screen_text(app)
        assert "Row 11: a whole number from 0 up" in shown and "Enter saves" in shown


async def test_notes_scroll_with_shift_and_the_arrows(start_session: Callable[..., Session]) -> None:
    session = start_session("self-efficacy")
    session.jump(step_of(session, "poll", "scale", compare_with=None))  # long notes
    app = make_app(session)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("n")
        await settled(pilot, app)
        panel = app.run_screen.query_one("#notes-panel")
        assert panel.max_scroll_y > 0
        await pilot.press("shift+down")
        assert panel.scroll_y > 0
        await pilot.press("shift+up")
        assert panel.scroll_y == 0


# --- 3. the status line: warnings first, the rest shortened to fit -------------------------------------


async def test_the_status_line_puts_not_saved_first_and_fits_80_columns(
    start_session: Callable[..., Session], clock: FakeClock
) -> None:
    session = start_session("self-efficacy")
    for _ in range(6):
        session.join()
    session.jump(step_of(session, "poll", "scale", compare_with=None))
    clock.advance(5)
    session.jump(step_of(session, "reflection"))
    app = make_app(session)
    async with app.run_test(size=SMALL) as pilot:
        await settled(pilot, app)
        status = str(app.run_screen.query_one("#status", Static).render()).strip()
        assert "6 joined" in status and "step " in status
        session.journal_problem = "No space left on device"
        app.run_screen.tick()
        await pilot.pause()
        status = str(app.run_screen.query_one("#status", Static).render()).strip()
        assert status.startswith("NOT SAVED: No space left on device")
        assert len(status) <= 78
        session.journal_problem = None
        session.end()
        await settled(pilot, app)
        status = str(app.run_screen.query_one("#status", Static).render()).strip()
        assert status.startswith("session ended") and len(status) <= 78


# --- 4. projected text wraps -------------------------------------------------------------------------


async def test_the_module_note_card_wraps_its_last_line_at_80x24(
    start_session: Callable[..., Session],
) -> None:
    session = start_session("self-efficacy")
    while session.current_slide.kind != "module_note":
        session.next()
    app = make_app(session, projector=True)
    async with app.run_test(size=SMALL) as pilot:
        await settled(pilot, app)
        assert isinstance(app.run_screen.view, ModuleNoteView)
        shown = " ".join(" ".join(screen_text(app).replace("│", " ").split()).split())
        assert "You are welcome to pass, to look after yourself, or to step out for a while." in shown


# --- 5, 6, 7. what the keys say ------------------------------------------------------------------------


async def test_the_last_step_says_e_ends_and_q_quits(app: FacilitateApp) -> None:
    async with app.run_test(size=SMALL) as pilot:
        while app.session.state.index < len(app.session.slides) - 1:
            await pilot.press("right")
        await pilot.press("right")
        assert app._notifications and list(app._notifications)[-1].message == LAST_STEP
        assert "e ends the session" in LAST_STEP and "q quits" in LAST_STEP


async def test_help_shows_brackets_not_key_names(start_session: Callable[..., Session]) -> None:
    app = make_app(start_session("check-in"))
    async with app.run_test(size=LARGE) as pilot:
        await pilot.press("question_mark")
        rows = {
            str(row.query_one(".help-key", Static).render()): str(
                row.query_one(".help-what", Static).render()
            )
            for row in app.screen.query(".help-row")
        }
        assert not any("square_bracket" in keys for keys in rows)
        assert rows["]"] == "Next answer" and rows["["] == "Previous answer"
        assert rows["→, space, PageDown"] == "Next"


async def test_the_footer_offers_only_keys_that_can_act_and_keeps_the_arrow(
    start_session: Callable[..., Session],
) -> None:
    session = start_session("check-in")
    session.jump(step_of(session, "content"))
    app = make_app(session)
    async with app.run_test(size=(100, 30)) as pilot:
        await settled(pilot, app)
        keys = footer_keys(app)
        assert keys["Next"] == "→" and "Timer" not in keys  # a content step has no timer
        await pilot.press("question_mark", "escape", "a", "escape")
        await settled(pilot, app)
        assert footer_keys(app)["Next"] == "→"  # the same after pop-ups
        await pilot.press("g")
        await settled(pilot, app)
        keys = footer_keys(app)
        assert "Next" not in keys and "Back to the step" in keys and "Timer" in keys
        await pilot.press("escape")
        session.jump(step_of(session, "activity"))
        await settled(pilot, app)
        assert footer_keys(app)["Next"] == "→" and "Timer" in footer_keys(app)


# --- 8, 9. the timer's words agree with its digits; phases follow the timer -----------------------------


async def test_paused_over_time_says_over_time(
    start_session: Callable[..., Session], clock: FakeClock
) -> None:
    session = start_session("check-in")
    activity = session.workshop.step_by_id(step_of(session, "activity"))
    session.jump(activity.id)
    app = make_app(session)
    async with app.run_test(size=(100, 30)) as pilot:
        clock.advance(activity.duration - 53)
        await pilot.press("t", "minus")
        await settled(pilot, app)
        view = app.run_screen.view
        assert view.query_one(Digits).value == "+00:07"
        assert str(view.query_one("#timer-state", Label).render()) == "Paused · over time"


async def test_phases_follow_a_shortened_timer_to_the_end(
    start_session: Callable[..., Session], clock: FakeClock
) -> None:
    session = start_session("self-efficacy")
    activity = session.workshop.step_by_id(step_of(session, "activity"))  # 10 min: 1, 2, 4, 3 min
    session.jump(activity.id)
    app = make_app(session)
    async with app.run_test(size=LARGE) as pilot:
        clock.advance(90)  # in pairs
        await settled(pilot, app)
        view = app.run_screen.view
        assert isinstance(view, ActivityView)
        assert f"▶ {activity.phases[1].title}" in str(view.query_one(".phase-list").render())
        for _ in range(8):  # 2 minutes in all, 90 s of them gone
            await pilot.press("minus")
        clock.advance(31)  # time is up
        await settled(pilot, app)
        phases = str(view.query_one(".phase-list").render())
        assert "▶" not in phases and phases.count("✓") == len(activity.phases)
        assert str(view.query_one(".phase-guidance").render()) == "All phases done."


# --- 10. the agenda fits 80 columns, with Δ for modules ------------------------------------------------


async def test_the_agenda_fits_80_columns_and_gives_modules_their_delta(
    start_session: Callable[..., Session], clock: FakeClock
) -> None:
    session = start_session("self-efficacy")
    session.next()
    clock.advance(400)
    session.next()
    app = make_app(session)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("a")
        await settled(pilot, app)
        assert isinstance(app.screen, AgendaScreen)
        table = app.screen.query_one(DataTable)
        assert table.virtual_size.width <= table.scrollable_content_region.width
        first = session.workshop.modules[0]
        assert table.get_row(f"module:{first.id}")[-1] == "+0.7"  # 400 s on a 6-minute step
        assert any("…" in str(row[1]) for row in (table.get_row_at(i) for i in range(table.row_count)))
        assert "Δ min" in screen_text(app)


# --- 11. grounding after a resume leaves the step paused -----------------------------------------------


async def test_leaving_grounding_after_a_resume_keeps_the_step_paused(
    start_session: Callable[..., Session], clock: FakeClock, tmp_path
) -> None:
    session = start_session("check-in")
    activity = step_of(session, "activity")
    session.jump(activity)
    clock.advance(20)
    session.enter_grounding()
    clock.advance(10)
    session.heartbeat()
    session.close()  # the laptop's lid closes mid-grounding
    clock.advance(300)
    resumed = Session.resume(tmp_path, session.id, clock=clock)
    app = make_app(resumed)
    async with app.run_test(size=(100, 30)) as pilot:
        await settled(pilot, app)
        assert resumed.grounding and not resumed.current_timer.running
        await pilot.press("escape")
        await settled(pilot, app)
        assert not resumed.grounding
        assert not resumed.state.timers[activity].running
        assert str(app.run_screen.view.query_one("#timer-state", Label).render()).startswith("Paused")


# --- 13, 14, 15. back-at rounds up, digits are centred, notices stay off the timer ----------------------


async def test_back_at_rounds_up_to_the_minute(
    start_session: Callable[..., Session], clock: FakeClock
) -> None:
    session = start_session("check-in")
    clock.advance(52)
    pause = session.workshop.step_by_id(step_of(session, "break"))
    session.jump(pause.id)  # ends at 09:0X:52
    app = make_app(session)
    async with app.run_test(size=(100, 30)) as pilot:
        await settled(pilot, app)
        minutes = pause.duration // 60 + 1
        assert str(app.run_screen.view.query_one(".back-at").render()) == f"Back at 09:{minutes:02d}"


async def test_the_countdown_digits_are_centred(start_session: Callable[..., Session]) -> None:
    session = start_session("check-in")
    session.jump(step_of(session, "activity"))
    app = make_app(session)
    async with app.run_test(size=LARGE) as pilot:
        await settled(pilot, app)
        digits = app.run_screen.view.query_one(Digits)
        box = app.run_screen.view.query_one("Countdown").content_region
        row = screen_text(app).splitlines()[digits.region.y + 1]
        inside = row[box.x : box.right]
        left, right = len(inside) - len(inside.lstrip()), len(inside) - len(inside.rstrip())
        assert inside.strip() and abs(left - right) <= 1


async def test_in_projector_mode_no_notice_reaches_the_room_but_errors_at_the_top(
    start_session: Callable[..., Session],
) -> None:
    """Calm room rules: the room sees no notices (the facilitator's feedback) in projector mode; an error
    (NOT SAVED) still shows, at the top, away from the timer, for its full time."""
    session = start_session("check-in")
    poll = step_of(session, "poll", "single")
    session.jump(poll)
    app = make_app(session, projector=True)
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await pilot.press("o")  # "Poll closed for answers"
        await settled(pilot, app)
        assert not session.poll_is_open(poll)
        assert not list(app._notifications) and not app.screen.query(Toast)
        app.notify("NOT SAVED", severity="error", timeout=15)
        await pilot.pause()
        assert [n.timeout for n in app._notifications if n.severity == "error"] == [15]  # errors stay
        toast = app.screen.query_one(Toast)
        countdown = app.run_screen.view.query_one("Countdown")
        assert app.screen.query_one(ToastRack).region.y == 0
        assert not toast.region.overlaps(countdown.region)


async def test_the_scale_chart_follows_the_screen_height(start_session: Callable[..., Session]) -> None:
    session = start_session("self-efficacy")
    poll = step_of(session, "poll", "scale", compare_with=None)
    session.jump(poll)
    answer(session, poll, [value % 11 for value in range(12)])
    session.toggle_reveal(poll)
    app = make_app(session)
    async with app.run_test(size=LARGE) as pilot:
        await settled(pilot, app)
        assert isinstance(app.run_screen.view, PollView)
        assert "Median: 4.5" in screen_text(app)  # bars, one line per point
        await pilot.resize_terminal(*SMALL)
        await settled(pilot, app)
        assert "median 4.5" in screen_text(app)  # columns
