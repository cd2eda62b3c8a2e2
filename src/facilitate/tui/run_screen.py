"""The facilitator's screen, in one of two layouts.

Single screen (no room view attached): the step fills the screen, with the status line, notes on `n` and
the keys; `p` (projector mode) leaves only the room's part. Presenter view (`-presenter`, while at least
one room view follows the session): the step smaller, the notes always shown, and the presenter column
(next step, planned against spent, clock, phones, notices, private previews). The keys are the same.
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Markdown, Static

from facilitate.session.session import Session
from facilitate.tui.actions import FacilitatorActions
from facilitate.tui.keys import FACILITATOR_BINDINGS
from facilitate.tui.poll_view import PollView
from facilitate.tui.presenter import PresenterColumn
from facilitate.tui.stage import Stage
from facilitate.tui.status import status_line
from facilitate.tui.views import SlideBody, SlideView
from facilitate.tui.widgets import set_text


class RunScreen(FacilitatorActions, Screen[None]):
    """The workshop as the facilitator runs it (see the module's docstring for the two layouts)."""

    BINDINGS = FACILITATOR_BINDINGS

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.projector = False  # the facilitator's `p`: only the room's part on this screen
        self.presenter = False  # a room view follows: this screen is the facilitator's alone
        self._notes_stale = True
        self._bindings_key: object = None  # what the footer's keys were last worked out for

    def compose(self) -> ComposeResult:
        yield Static(status_line(self.session), id="status", markup=False)
        with Horizontal(id="main"):
            with Vertical(id="room-side"):
                yield Static("", id="stage-label", markup=False)
                yield Stage(self.session, id="stage")
                with VerticalScroll(id="notes-panel", can_focus=False):
                    yield Markdown("", id="notes")
            yield PresenterColumn(self.session, id="presenter")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.show_state()

    # --- layouts -----------------------------------------------------------------------------------------
    @property
    def stage(self) -> Stage:
        return self.query_one("#stage", Stage)

    @property
    def view(self) -> SlideView | None:
        stages = self.query("#stage").results(Stage)
        stage = next(iter(stages), None)
        return None if stage is None else stage.view

    @property
    def room_sees_this_screen(self) -> bool:
        """Projector mode on a single screen: the room sees exactly what this screen shows."""
        return self.projector and not self.presenter

    def set_layout(self, *, projector: bool | None = None, presenter: bool | None = None) -> None:
        """Switch projector mode or the presenter view; the stage is drawn again for its audience."""
        if projector is not None:
            self.projector = projector
        if presenter is not None:
            self.presenter = presenter
        self.set_class(self.room_sees_this_screen, "-projector")
        self.set_class(self.presenter, "-presenter")
        label = "The room sees this step (smaller here); notes below" if self.presenter else ""
        for widget in self.query("#stage-label").results(Static):
            set_text(widget, label)
        if self.is_mounted:
            self.stage.set_room(self.room_sees_this_screen)
            self._refresh_notes()
            self.tick()

    def set_rooms(self, count: int) -> None:
        """How many room views follow the session (terminal and browser): the presenter view while any do."""
        column = next(iter(self.query("#presenter").results(PresenterColumn)), None)
        if column is None:  # not composed yet: the next count (a second later) tells
            return
        changed = column.rooms != count
        column.rooms = count
        if (count > 0) != self.presenter:
            self.set_layout(presenter=count > 0)
        elif changed:
            column.refresh_column()

    # --- rendering ---------------------------------------------------------------------------------------
    def show_state(self, *, rebuild: bool = False) -> None:
        """Render the session: rebuild the view when the slide changes (or when asked), else refresh it
        in place."""
        if self.stage.show(rebuild=rebuild):
            self.call_after_refresh(self.tick)  # once laid out: whether the step goes on below the screen
            # Only when the slide changes, and only while the notes are shown: laying out Markdown is
            # slow (it was most of the work of a step change, and of the first screen).
            self._notes_stale = True
            self._refresh_notes()
        self.tick()

    def _notes_shown(self) -> bool:
        return self.presenter or (self.has_class("-notes") and not self.projector)

    def _refresh_notes(self) -> None:
        if not self._notes_stale or not self._notes_shown():
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
        stages = list(self.query("#stage").results(Stage))
        if stages and stages[0].tick(self.session.now()):
            self.call_after_refresh(self.tick)
        for status in self.query("#status").results(Static):  # absent while the screen is torn down
            width = status.content_size.width or max(20, self.app.size.width - 2)
            set_text(status, status_line(self.session, width))
        if self.presenter:
            for column in self.query("#presenter").results(PresenterColumn):
                column.refresh_column()
        # The footer offers only keys that can act now: no "Next" while grounding, no "Timer" on a step
        # without one, "More" only while the step goes on below the screen.
        more = stages[0].more_below() if stages else False
        bindings_key = (stages[0].shown_key if stages else None, self.session.current_timer is None, more)
        if bindings_key != self._bindings_key:
            self._bindings_key = bindings_key
            self.refresh_bindings()

    # --- scrolling: a step that does not fit (80x24) scrolls with ↑/↓ and Home/End, the notes with Shift ---
    def _body(self) -> SlideBody | None:
        return self.stage.body()

    def _more_below(self) -> bool:
        return self.stage.more_below()

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
        if self.presenter:
            self.app.notify("The presenter view always shows the notes", timeout=3)
            return
        if self._refuse_on_projector("Notes are hidden"):
            return
        self.toggle_class("-notes")
        self._refresh_notes()

    def action_toggle_projector(self) -> None:
        if self.presenter:
            self.app.notify("A room view shows the room's part: p is for a single screen", timeout=3)
            return
        self.set_layout(projector=not self.projector)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keys that cannot act now are hidden from the footer (and do nothing)."""
        allowed = self.action_allowed(action, parameters)
        if allowed is not None:
            return allowed
        if action == "scroll_step" and parameters and parameters[0] == 1:
            return self._more_below()
        if action == "scroll_notes":
            return self._notes_shown()
        return True
