"""The facilitator app: a thin shell that turns keys into session events and renders session state."""

from __future__ import annotations

import math
import time
from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import events
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Container, VerticalScroll
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.widgets import Footer, Markdown, Static

from facilitate.session.hand_counts import hand_count_labels, hand_count_problem, hand_count_rule
from facilitate.session.journal import JournalError
from facilitate.session.session import Outcome, Session
from facilitate.session.timer import format_clock
from facilitate.tui.commands import StepCommands
from facilitate.tui.join import JoinNews, JoinScreen
from facilitate.tui.moderation import ModerationScreen
from facilitate.tui.private_notes import private_notes
from facilitate.tui.questions_screen import QuestionsScreen
from facilitate.tui.remote_screen import RemoteScreen, RemoteWarningScreen, remote_url
from facilitate.tui.screens import (
    AgendaScreen,
    BlankScreen,
    EndScreen,
    HandCountScreen,
    HelpScreen,
    QuitScreen,
    schedule_summary,
)
from facilitate.tui.terminal import exit_on_signals
from facilitate.tui.themes import HIGH_CONTRAST, THEMES
from facilitate.tui.views import SHORT_HEIGHT, ClosingView, PollView, SlideBody, SlideView, view_for, view_key
from facilitate.tui.why_not import PRIMARY, why_not
from facilitate.tui.widgets import set_text
from facilitate.tui.word_check import WordCheckScreen
from facilitate.workshop.durations import format_minutes

if TYPE_CHECKING:  # the phone server (aiohttp) loads after the first screen
    from facilitate.server.connections import Capacity

TICK_SECONDS = 0.25


REDRAW_SECONDS = (
    0.5  # the shortest time between two redraws caused by phones' answers (a frame costs 20-60 ms)
)
# In projector mode the room sees every notification: the facilitator's feedback goes to the top, where
# it covers no timer, and leaves sooner. Errors keep their time: they are the ones that matter.
PROJECTOR_NOTICE_SECONDS = 2.0
LAST_STEP = "This is the last step: e ends the session, q quits (you can resume)."


def _start_resource_tracker() -> None:
    """Takeaways are drawn in worker processes, and starting the first one starts multiprocessing's
    resource tracker, which hands the child our stderr's file descriptor. While Textual runs, sys.stderr is
    its capture object with no descriptor, and that start fails ("bad value(s) in fds_to_keep"): start the
    tracker with the terminal's own stderr in place."""
    import sys
    from contextlib import redirect_stderr
    from multiprocessing import resource_tracker

    if sys.__stderr__ is None:
        resource_tracker.ensure_running()
        return
    with redirect_stderr(sys.__stderr__):
        resource_tracker.ensure_running()


@dataclass(frozen=True)
class PhoneOptions:
    """Where the phone server listens, and the address to put in the QR code (behind a hotspot/proxy)."""

    host: str = "0.0.0.0"
    port: int = 8765
    public_url: str | None = None
    facilitator: str | None = None  # for the takeaways
    paper: str | None = None
    demo_room: int = 0  # simulated participants over loopback, for rehearsals
    speed: float = 1.0  # how much faster than real time the rehearsal runs (the room's delays too)
    room_size: int | None = None  # people in the room (--room-size); the join screen asks otherwise


class RunScreen(Screen[None]):
    """The workshop on the projector, with the facilitator's status line, notes and keys around it."""

    BINDINGS = [
        # key_display: the footer names the arrow whichever of the keys is free, so it never flips
        Binding("right,space,pagedown", "next_step", "Next", id="next-step", key_display="→"),
        Binding("left,pageup", "previous_step", "Back", id="previous-step", key_display="←", show=False),
        Binding(
            "down",
            "scroll_step(1)",
            "More",
            id="scroll-down",
            key_display="↓",
            tooltip="scroll the step down when it does not fit the screen",
        ),
        Binding("up", "scroll_step(-1)", "Scroll up", id="scroll-up", key_display="↑", show=False),
        Binding("home", "scroll_step_edge(-1)", "Top of the step", id="scroll-top", show=False),
        Binding("end", "scroll_step_edge(1)", "End of the step", id="scroll-end", show=False),
        Binding("t", "toggle_timer", "Timer", id="toggle-timer"),
        Binding(
            "plus,equals_sign", "adjust_timer(1)", "+1 min", id="add-minute", key_display="+", show=False
        ),
        Binding("minus", "adjust_timer(-1)", "−1 min", id="remove-minute", key_display="-", show=False),
        Binding("n", "toggle_notes", "Notes", id="toggle-notes"),
        Binding(
            "shift+down",
            "scroll_notes(1)",
            "Scroll notes down",
            id="notes-down",
            key_display="shift+↓",
            show=False,
        ),
        Binding(
            "shift+up",
            "scroll_notes(-1)",
            "Scroll notes up",
            id="notes-up",
            key_display="shift+↑",
            show=False,
        ),
        Binding("a", "agenda", "Agenda", id="agenda"),
        Binding("p", "toggle_projector", "Projector", id="projector", show=False),
        Binding("b,full_stop", "blank", "Blank", id="blank", show=False),
        Binding("g", "grounding", "Grounding", id="grounding"),
        Binding("escape", "leave_grounding", "Back to the step", id="leave-grounding"),
        Binding("h", "hand_count", "Hands", id="hand-count", show=False),
        Binding("j", "join", "Join", id="join"),
        Binding("c", "remote", "Remote", id="remote", show=False),
        Binding("k", "questions", "Questions", id="questions", show=False),
        Binding("r", "reveal", "Reveal results", id="reveal", show=False),
        Binding("o", "toggle_poll_open", "Open/close poll", id="toggle-poll-open", show=False),
        Binding("m", "moderate", "Moderate answers", id="moderate", show=False),
        Binding(
            "right_square_bracket", "show_text(1)", "Next answer", id="next-text", key_display="]", show=False
        ),
        Binding(
            "left_square_bracket",
            "show_text(-1)",
            "Previous answer",
            id="previous-text",
            key_display="[",
            show=False,
        ),
        Binding("e", "end_session", "End session", id="end-session", show=False),
        Binding("question_mark", "help", "Help", id="help", key_display="?"),
        Binding("q", "quit_session", "Quit", id="quit"),
        # Last, so they act only when the keys above cannot (no timer here, not a poll, the session ended):
        # they say why, instead of nothing (tui/why_not.py). Not keys of their own: not in help or footer.
        *(
            Binding(keys, f"why_not('{group}')", "Why not", id=f"why-not-{group}", show=False, system=True)
            for group, keys in (
                ("timer", "t,plus,equals_sign,minus"),
                ("move", "right,space,pagedown,left,pageup"),
                ("poll", "h,r,o"),
                ("moderate", "m"),
                ("text", "left_square_bracket,right_square_bracket"),
                ("grounding", "g"),
                ("end", "e"),
            )
        ),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self._shown_key: tuple[object, ...] | None = None
        self._notes_stale = True
        self.view: SlideView | None = None
        self._bindings_key: object = None  # what the footer's keys were last worked out for

    def compose(self) -> ComposeResult:
        yield Static(self.status_line(), id="status", markup=False)
        yield Container(id="stage")
        with VerticalScroll(id="notes-panel", can_focus=False):
            yield Markdown("", id="notes")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.show_state()

    # --- rendering ---------------------------------------------------------------------------------------
    def show_state(self, *, rebuild: bool = False) -> None:
        """Render the session: rebuild the view when the slide changes (or when asked), else refresh it
        in place."""
        key = view_key(self.session)
        stage = self.query_one("#stage", Container)
        if key != self._shown_key or rebuild:
            self._shown_key = key
            stage.remove_children()
            self.view = view_for(self.session)
            stage.mount(self.view)
            self.call_after_refresh(self.tick)  # once laid out: whether the step goes on below the screen
            # Only when the slide changes, and only while the notes are shown: laying out Markdown is
            # slow (it was most of the work of a step change, and of the first screen).
            self._notes_stale = True
            self._refresh_notes()
        elif isinstance(self.view, PollView):
            self.view.show_results()
        self.tick()

    def _refresh_notes(self) -> None:
        if not self._notes_stale or not self.has_class("-notes"):
            return
        self._notes_stale = False
        step = self.session.current_step
        notes = step.notes if step is not None and step.notes else "_No notes for this slide._"
        self.query_one("#notes", Markdown).update(
            f"**Notes — only you see these** (Shift+↑/↓ scrolls them)\n\n{notes}"
        )

    def tick(self) -> None:
        if not self.is_mounted:
            return
        now = self.session.now()
        view = self.view
        if view is not None and view.is_mounted and view.parent is not None:
            view.tick(now)
            if view.refitted:  # once laid out again: whether the step still goes on below the screen
                view.refitted = False
                self.call_after_refresh(self.tick)
        for status in self.query("#status").results(Static):  # absent while the screen is torn down
            width = status.content_size.width or max(20, self.app.size.width - 2)
            set_text(status, self.status_line(width))
        # The footer offers only keys that can act now: no "Next" while grounding, no "Timer" on a step
        # without one, "More" only while the step goes on below the screen.
        bindings_key = (self._shown_key, self.session.current_timer is None, self._more_below())
        if bindings_key != self._bindings_key:
            self._bindings_key = bindings_key
            self.refresh_bindings()

    def status_line(self, width: int = 1000) -> str:
        """Problems first (NOT SAVED), then what the facilitator glances at; what does not fit the width
        is shortened, least important first: the module's title, the step's minutes, phones joined."""
        session = self.session
        first: list[str] = []
        if session.journal_problem:
            first.append(f"NOT SAVED: {session.journal_problem}")
        if session.demo:
            first.append("DEMO")
        if session.ended:
            first.append("session ended")
        first += private_notes(session)  # a pause request, questions waiting: never in projector mode
        module = session.current_module
        where = ""
        if session.grounding:
            where = "Grounding · Escape returns to the step"
        elif module is not None:
            where = module.title
        steps = [slide for slide in session.slides if slide.kind == "step"]
        step = session.current_step
        schedule = session.schedule()
        position, minutes = "", ""
        if step is not None:
            number = next(i for i, slide in enumerate(steps, start=1) if slide.step_id == step.id)
            position = f"{'from ' if session.grounding else ''}step {number}/{len(steps)}"
        else:
            position = f"{len(steps)} steps · {format_minutes(session.workshop.duration)}"
        if (times := session.step_time()) is not None:  # as the timer on screen counts (grounding's too)
            minutes = f"{format_clock(math.floor(times[0]))} of {format_minutes(times[1])}"
        summary = schedule_summary(schedule)
        joined = f"{session.joined} joined" if session.joined else ""

        def line() -> str:
            return " · ".join(part for part in [*first, where, position, minutes, summary, joined] if part)

        if len(line()) <= width:
            return line()
        summary = summary.removesuffix(" of schedule")
        if session.grounding:
            where = "Grounding · Esc returns"
        if len(line()) > width and where and not session.grounding:
            where = ""
            room = width - len(line()) - 3
            if room >= 8:
                where = module.title if len(module.title) <= room else module.title[: room - 1] + "…"
        for drop in ("minutes", "joined", "position"):
            if len(line()) <= width:
                break
            if drop == "minutes":
                minutes = ""
            elif drop == "joined":
                joined = ""
            else:
                position = ""
        shown = line()
        return shown if len(shown) <= width else shown[: max(1, width - 1)] + "…"

    # --- actions -----------------------------------------------------------------------------------------
    def _do(self, outcome: Outcome) -> bool:
        if not outcome.ok:
            severity = "error" if getattr(outcome, "journal_error", False) else "warning"
            self.app.notify(outcome.reason or "That cannot be done now", severity=severity, timeout=4)
        return outcome.ok

    def action_next_step(self) -> None:
        session = self.session
        if not session.ended and session.state.index >= len(session.slides) - 1:
            self.app.notify(LAST_STEP, timeout=4)
            return
        self._do(session.next())

    def action_previous_step(self) -> None:
        self._do(self.session.back())

    def action_toggle_timer(self) -> None:
        self._do(self.session.toggle_timer())

    def action_adjust_timer(self, minutes: int) -> None:
        self._do(self.session.adjust_timer(minutes))

    def action_why_not(self, group: str) -> None:
        """A key that cannot act here: say why rather than do nothing."""
        self.app.notify(why_not(group, self.session), timeout=3)

    # --- scrolling: a step that does not fit (80x24) scrolls with ↑/↓ and Home/End, the notes with Shift ---
    def _body(self) -> SlideBody | None:
        view = self.view
        if view is None or not view.is_mounted:
            return None
        return next(iter(view.query(SlideBody)), None)

    def _more_below(self) -> bool:
        body = self._body()
        return body is not None and body.scroll_y < body.max_scroll_y

    def action_scroll_step(self, direction: int) -> None:
        body = self._body()
        if body is not None:  # half a screen at a time: a couple of presses show the rest of a step
            body.scroll_relative(
                y=direction * max(1, body.scrollable_content_region.height // 2), animate=False
            )

    def action_scroll_step_edge(self, direction: int) -> None:
        body = self._body()
        if body is not None:
            body.scroll_to(y=body.max_scroll_y if direction > 0 else 0, animate=False)

    def action_scroll_notes(self, direction: int) -> None:
        panel = self.query_one("#notes-panel", VerticalScroll)
        panel.scroll_relative(
            y=direction * max(1, panel.scrollable_content_region.height // 2), animate=False
        )

    def on_resize(self, event: events.Resize) -> None:
        """A scale's chart depends on the screen's height (columns on a short screen); below 100 columns
        the footer leaves out the palette's key (ctrl+p is in the help), so "q Quit" keeps its place."""
        if isinstance(self.view, PollView) and self.view.is_mounted:
            self.view.show_results()
        for footer in self.query(Footer):
            footer.show_command_palette = event.size.width >= 100
        self.refresh_bindings()  # the footer is redrawn with its keys

    def action_toggle_notes(self) -> None:
        if self.has_class("-projector"):
            self.app.notify("Notes are hidden in projector mode: press p first", timeout=3)
            return
        self.toggle_class("-notes")
        self._refresh_notes()

    def action_toggle_projector(self) -> None:
        self.toggle_class("-projector")

    def action_agenda(self) -> None:
        if self.has_class("-projector"):
            self.app.notify("The agenda is hidden in projector mode: press p first", timeout=3)
            return
        step = self.session.current_step
        self.app.push_screen(AgendaScreen(self.session.workshop, self.session.schedule(), step and step.id))

    def action_blank(self) -> None:
        self._do(self.session.blank())  # the app puts the blank screen up (a remote's tap does the same)

    def action_questions(self) -> None:
        """`k`: the questions from phones: list or set aside, mark answered, put them on screen."""
        if not self.session.workshop.questions:
            self.app.notify("This workshop takes no questions from phones (questions: false)", timeout=3)
            return
        if self.has_class("-projector"):  # waiting questions must never reach the room
            self.app.notify("Questions are not shown in projector mode: press p first", timeout=3)
            return
        self.app.push_screen(QuestionsScreen(self.session), lambda _: self.show_state())

    def action_remote(self) -> None:
        """`c`: the remote's QR code, after a warning (this single screen may be what the room sees)."""
        server = self.app.phone_server
        if server is None:
            self.app.notify("The remote needs the phone server: phones are off", timeout=3)
            return
        if self.has_class("-projector"):  # the room sees this screen as it is
            self.app.notify("The remote's code is not shown in projector mode: press p first", timeout=3)
            return
        url = remote_url(server.join_url, self.session.join_secret, self.session.journal.remote_secret)
        self.app.push_screen(
            RemoteWarningScreen(), lambda yes: self.app.push_screen(RemoteScreen(url)) if yes else None
        )

    def action_grounding(self) -> None:
        self._do(self.session.enter_grounding())

    def action_leave_grounding(self) -> None:
        if self.session.grounding:
            self._do(self.session.leave_grounding())

    def action_hand_count(self) -> None:
        step = self.session.current_step
        labels = hand_count_labels(step) if step is not None and step.kind == "poll" else None
        if labels is None:
            self.app.notify("A show of hands can be counted on single, multiple and scale polls", timeout=3)
            return

        def save(counts: list[int] | None) -> None:
            if counts is not None:
                self._do(self.session.dispatch("hand_count", step=step.id, counts=counts))

        screen = HandCountScreen(
            step.question,
            labels,
            self.session.state.hand_counts.get(step.id),
            rule=hand_count_rule(step, self.session.joined, self._room_size()),
            check=lambda counts: hand_count_problem(step, counts, self._room_size()),
        )
        self.app.push_screen(screen, save)

    def _room_size(self) -> int | None:
        """People in the room, when the facilitator said (`--room-size`, or on the join screen)."""
        server = self.app.phone_server
        joins = getattr(server, "joins", None) if server is not None else None
        if joins is not None and joins.room_size is not None:
            return joins.room_size
        return getattr(self.app.phones, "room_size", None)

    def action_join(self) -> None:
        server = self.app.phone_server
        if server is None:
            self.app.notify(
                self.app.phones_problem or "Phones are off for this session (--no-phones)", timeout=4
            )
            return
        session = self.session
        room = getattr(self.app.phones, "room_size", None)
        note = (lambda: server.capacity.note(room)) if server.capacity is not None else None
        self.app.push_screen(
            JoinScreen(server.join_url, lambda: session.joined, server.lan_warning, note, server.joins)
        )

    def action_reveal(self) -> None:
        step = self.session.current_step
        if step is not None and step.kind == "poll" and self._do(self.session.toggle_reveal(step.id)):
            new = [word for word in self.session.words_to_check(step.id) if word.shown is None]
            if step.type == "words" and step.id in self.session.state.revealed and new:
                self.app.notify(f"{len(new)} words not checked yet: only checked words show (m)", timeout=4)

    def action_toggle_poll_open(self) -> None:
        if self._do(self.session.toggle_poll_open()):
            step = self.session.current_step
            state = "open" if self.session.poll_is_open(step.id) else "closed"
            self.app.notify(f"Poll {state} for answers", timeout=2)

    def action_moderate(self) -> None:
        step = self.session.current_step
        if step is None or step.kind != "poll" or not step.is_moderated:
            self.app.notify("Moderation is for written answers and checked words", timeout=3)
            return
        if self.has_class("-projector"):  # unapproved answers must never reach the room
            self.app.notify("Moderation is not shown in projector mode: press p first", timeout=3)
            return
        screen = ModerationScreen if step.type == "text" else WordCheckScreen
        self.app.push_screen(screen(self.session, step.id), lambda _: self.show_state())

    def action_show_text(self, delta: int) -> None:
        if isinstance(self.view, PollView):
            self.view.move_text(delta)

    def action_end_session(self) -> None:
        if self.session.ended:
            self._do(self.session.end())  # says why not
            return
        closing = self.session.closing_after_end()
        here = closing is not None and closing is self.session.current_step
        screen = EndScreen(self.session.keep_private_seconds / 60, closing and closing.title, here=here)
        self.app.push_screen(screen, lambda end_now: self._do(self.session.end()) if end_now else None)

    def action_help(self) -> None:
        rows = [
            (
                binding_keys(binding),
                f"{binding.description}: {binding.tooltip}" if binding.tooltip else binding.description,
            )
            for binding in self.BINDINGS
            if not binding.system
        ]
        rows += [("ctrl+p", "Command palette: jump to a step, timer, theme, end the session")]
        self.app.push_screen(HelpScreen(rows))

    def action_quit_session(self) -> None:
        screen = QuitScreen(
            self.session.resume_command,
            ended=self.session.ended,
            private_deleted=self.session.private_deleted,
        )
        self.app.push_screen(screen, lambda quit_now: self.app.exit() if quit_now else None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keys that cannot act now are hidden from the footer (and do nothing)."""
        if action in ("next_step", "previous_step", "toggle_timer", "adjust_timer") and self.session.ended:
            return False
        if action in ("next_step", "previous_step"):
            return not self.session.grounding
        if action in ("toggle_timer", "adjust_timer"):
            return self.session.current_timer is not None
        if action == "why_not" and parameters:
            primary, arguments = PRIMARY[str(parameters[0])]
            return self.check_action(primary, arguments) is False
        if action == "scroll_step" and parameters and parameters[0] == 1:
            return self._more_below()
        if action == "scroll_notes":
            return self.has_class("-notes") and not self.has_class("-projector")
        if action == "leave_grounding":
            return self.session.grounding
        if action == "grounding":
            return not self.session.grounding and not self.session.ended
        if action in ("hand_count", "reveal", "toggle_poll_open"):
            step = self.session.current_step
            return step is not None and step.kind == "poll"
        if action == "moderate":
            step = self.session.current_step
            return step is not None and step.kind == "poll" and step.is_moderated
        if action == "show_text":
            step = self.session.current_step
            return step is not None and step.kind == "poll" and step.type == "text"
        if action == "end_session":
            return not self.session.ended
        return True


_KEY_NAMES = {
    "right": "→",
    "left": "←",
    "space": "space",
    "pagedown": "PageDown",
    "pageup": "PageUp",
    "plus": "+",
    "equals_sign": "=",
    "minus": "-",
    "full_stop": ".",
    "question_mark": "?",
    "escape": "Escape",
    "home": "Home",
    "end": "End",
    "right_square_bracket": "]",
    "left_square_bracket": "[",
}


def binding_keys(binding: Binding) -> str:
    """The keys of a binding as people know them: its key_display for the first ("]", not
    "right_square_bracket"), then the others by name ("→, space, PageDown")."""
    keys = [key.strip() for key in binding.key.split(",")]
    names = [_KEY_NAMES.get(key, key) for key in keys]
    if binding.key_display:
        names[0] = binding.key_display
    return ", ".join(dict.fromkeys(names))


class FacilitateApp(App[None]):
    """Keys become session events; the session is journaled before anything appears on screen."""

    CSS_PATH = "facilitate.tcss"
    TITLE = "facilitate"
    ENABLE_COMMAND_PALETTE = True
    COMMANDS = App.COMMANDS | {StepCommands}
    # Screens get "-short" below SHORT_HEIGHT rows (tighter spacing, see facilitate.tcss) and
    # "-narrow" below 100 columns (less side padding).
    VERTICAL_BREAKPOINTS = [(0, "-short"), (SHORT_HEIGHT, "-tall")]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]

    def __init__(
        self,
        session: Session,
        *,
        theme: str | None = None,
        projector: bool = False,
        bell: bool = False,
        phones: PhoneOptions | None = None,
    ):
        super().__init__()
        self.phones = phones
        self.phone_server = None
        self._join_news: JoinNews | None = None  # bursts and waiting phones, told on any screen
        self._refusal_said = -1e9  # when a phone turned away was last said
        self.demo_room = None
        self.phones_problem: str | None = None
        self.session = session
        self.start_theme = THEMES.get(theme or "dark", "textual-dark")
        self.start_projector = projector
        self.bell_enabled = bell
        self._ticks = 0
        self._rang_for: object = None
        self._unsubscribe = None
        self._shown_problem: str | None = None
        self._redraw_timer = None
        self._last_redraw = 0.0
        self.stopped_by: int | None = None  # the signal (SIGTERM, SIGHUP, SIGINT) that ended the app

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Every notice is plain text (reasons and problems can quote workshop text or paths). In projector
        mode the room sees it too: it shows at the top (see the stylesheet), and all but errors go sooner."""
        if (
            severity != "error"
            and getattr(self, "run_screen", None)
            and self.run_screen.has_class("-projector")
        ):
            timeout = min(
                timeout if timeout is not None else self.NOTIFICATION_TIMEOUT, PROJECTOR_NOTICE_SECONDS
            )
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def get_default_screen(self) -> Screen:
        self.run_screen = RunScreen(self.session)
        return self.run_screen

    def on_mount(self) -> None:
        if not self.is_headless:  # a real terminal: give it back as on `q` (see tui/terminal.py)
            exit_on_signals(self._stop_on_signal)
        self.register_theme(HIGH_CONTRAST)
        self.theme = self.start_theme
        self.title = self.session.workshop.title + (" — DEMO" if self.session.demo else "")
        if self.start_projector:
            self.run_screen.add_class("-projector")
        self._unsubscribe = self.session.subscribe(lambda _session: self._session_changed())
        self.set_interval(TICK_SECONDS, self._tick)
        if self.phones is not None:
            # After the first paint: the server's imports (aiohttp, multiprocessing) cost about 130 ms, and
            # the room sees the workshop's first screen that much sooner. Phones join seconds later anyway.
            self.call_after_refresh(self._start_phones_worker)
        self._sync_blank()

    def _stop_on_signal(self, signum: int) -> None:
        """SIGTERM, SIGHUP or SIGINT: exit as `q` would; every event is journaled already."""
        self.stopped_by = signum
        self.exit()

    def _start_phones_worker(self) -> None:
        if self.phones is not None:
            self.run_worker(self._start_phones(self.phones), name="phones", exit_on_error=False)

    async def _start_phones(self, options: PhoneOptions) -> None:
        """The phone server runs in this app's own asyncio loop: one process, no threads for HTTP."""
        try:
            _start_resource_tracker()
        except (OSError, ValueError) as exc:  # phones can still answer; their PDFs are what would fail
            self.notify(f"Takeaway PDFs may not download: {exc}", severity="warning", timeout=10)
        from facilitate.server.runner import is_wildcard, start_phone_server

        try:
            from facilitate.server.app import TakeawayOptions

            self.phone_server = await start_phone_server(
                self.session,
                host=options.host,
                port=options.port,
                public_url=options.public_url,
                takeaway=TakeawayOptions(options.facilitator, options.paper),
                room_size=options.room_size,
            )
            self._join_news = JoinNews(self.phone_server.joins)
        except OSError as exc:
            self.phones_problem = f"Phones cannot join: {exc.strerror or exc}"
            self.notify(self.phones_problem, severity="error", timeout=10)
            return
        # The first screen was drawn before the server existed: a view that shows its address (the
        # closing step's takeaway QR code, after a resume) is drawn again now that there is one.
        if isinstance(self.run_screen.view, ClosingView):
            self.run_screen.show_state(rebuild=True)
        if self.phone_server.port_note:
            self.notify(self.phone_server.port_note, timeout=8)
        if self.phone_server.capacity is not None:
            self.phone_server.capacity.on_refused = self._phone_refused
        if options.demo_room:
            from facilitate.server.demo_room import DemoRoom

            host = "127.0.0.1" if is_wildcard(options.host) else options.host
            url = f"http://{host}:{self.phone_server.port}/j/{self.session.join_secret}"
            self.demo_room = DemoRoom(url, options.demo_room, speed=options.speed)
            await self.demo_room.start()
            self.notify(f"DEMO: {options.demo_room} simulated participants are joining", timeout=5)

    def _phone_refused(self, capacity: Capacity) -> None:
        """A phone was turned away for want of open files: said at once, then at most every 30 s."""
        now = time.monotonic()
        if now - self._refusal_said >= 30.0:
            self._refusal_said = now
            self.notify(capacity.note() or "", severity="warning", timeout=12)

    async def on_unmount(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
        if self.demo_room is not None:
            await self.demo_room.stop()
        if self.phone_server is not None:
            await self.phone_server.stop()
        if self.session.ended:  # no more downloads once the server is gone: private text goes now
            with suppress(JournalError):
                self.session.delete_private_now()

    def _session_changed(self) -> None:
        """A new step shows at once; a stream of phone answers redraws the counts at most twice a
        second, so a room answering together cannot keep the screen (and the loop) busy redrawing."""
        if (
            self.session.last_change != "answers"
            or view_key(self.session) != self.run_screen._shown_key
            or self.session.journal_problem
        ):
            self._redraw()
        elif self._redraw_timer is None:
            wait = self._last_redraw + REDRAW_SECONDS - time.monotonic()
            if wait <= 0:
                self._redraw()
            else:
                self._redraw_timer = self.set_timer(wait, self._redraw)
        self._say_journal_problem()

    def _redraw(self) -> None:
        if self._redraw_timer is not None:
            self._redraw_timer.stop()
            self._redraw_timer = None
        self._last_redraw = time.monotonic()
        self.run_screen.show_state()
        self._sync_blank()

    def _sync_blank(self) -> None:
        """The blank screen follows the session, whether `b` or the remote blanked it."""
        on_top = isinstance(self.screen, BlankScreen)
        if self.session.state.blanked and not on_top:
            self.push_screen(BlankScreen(), lambda _: self._unblank_if_blank())
        elif not self.session.state.blanked and on_top:
            self.pop_screen()

    def _unblank_if_blank(self) -> None:
        if self.session.state.blanked:
            self.run_screen._do(self.session.unblank())

    def _say_journal_problem(self) -> None:
        problem = self.session.journal_problem
        if problem != self._shown_problem:
            self._shown_problem = problem
            if problem:
                self.notify(
                    f"NOT SAVED — phones are told to try again. {problem}", severity="error", timeout=15
                )
            else:
                self.notify("Saving works again.", timeout=5)

    def _tick(self) -> None:
        self.run_screen.tick()
        self._ticks += 1
        if self._ticks % round(1 / TICK_SECONDS) == 0:
            self.session.heartbeat()
            while self.session.journal.notices:
                self.notify(self.session.journal.notices.pop(0), severity="warning", timeout=15)
            for line in self._join_news.lines() if self._join_news is not None else ():
                self.notify(line, severity="warning", timeout=10)
        if self.bell_enabled:
            timer = self.session.current_timer
            if timer is not None and timer.running and timer.is_up(self.session.now()):
                marker = (self.session.state.index, self.session.grounding)
                if marker != self._rang_for:
                    self._rang_for = marker
                    self.bell()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        run = self.run_screen
        live = not self.session.ended  # after the end: no steps, timers or grounding to offer
        # The steps come from StepCommands (tui/commands.py): in running order, not alphabetically.
        if live:
            yield SystemCommand(
                "timer: start/pause", "Start or pause this step's timer", run.action_toggle_timer
            )
            yield SystemCommand(
                "timer: +1 minute", "Give this step a minute more", lambda: run.action_adjust_timer(1)
            )
            yield SystemCommand("timer: −1 minute", "Take a minute off", lambda: run.action_adjust_timer(-1))
        yield SystemCommand(
            "view: projector mode", "Only the step: no notes, status or keys", run.action_toggle_projector
        )
        yield SystemCommand("view: agenda", "Planned against actual time", run.action_agenda)
        yield SystemCommand("view: facilitator notes", "Show or hide your notes", run.action_toggle_notes)
        if live:
            yield SystemCommand(
                "grounding: start", "The grounding exercise, on top of this step", run.action_grounding
            )
        yield SystemCommand("screen: blank", "A black screen; any key returns", run.action_blank)
        for label, name in (
            ("dark", "textual-dark"),
            ("light", "textual-light"),
            ("high contrast", HIGH_CONTRAST.name),
        ):
            yield SystemCommand(
                f"theme: {label}",
                f"Switch to the {label} theme",
                lambda name=name: setattr(self, "theme", name),
            )
        if not self.session.ended:
            yield SystemCommand(
                "session: end",
                "End the session (it stays listed in `facilitate sessions`)",
                run.action_end_session,
            )
        yield SystemCommand("quit", "Quit; the session is saved and can be resumed", run.action_quit_session)


def make_app(
    session: Session,
    *,
    theme: str | None = None,
    projector: bool = False,
    bell: bool = False,
    phones: PhoneOptions | None = None,
) -> FacilitateApp:
    """The app factory shared by the CLI and the tests (the clock comes with the session)."""
    return FacilitateApp(session, theme=theme, projector=projector, bell=bell, phones=phones)
