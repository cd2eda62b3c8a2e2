"""Overlays on top of the running workshop: help, agenda, blank screen, quit, hand count."""

from __future__ import annotations

from collections.abc import Callable

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, DataTable, Input, Label, Static

from facilitate.session.schedule import Schedule
from facilitate.workshop.durations import format_minutes
from facilitate.workshop.models import Workshop


def _minutes(seconds: float) -> str:
    return f"{seconds / 60:.1f}"


def schedule_summary(schedule: Schedule) -> str:
    """ "4 min behind schedule" / "2 min ahead of schedule" / "on schedule"."""
    minutes = round(schedule.behind_by / 60)
    if minutes > 0:
        return f"{minutes} min behind schedule"
    if minutes < 0:
        return f"{-minutes} min ahead of schedule"
    return "on schedule"


class HelpScreen(ModalScreen[None]):
    """Every key, read from the app's own bindings so the help never drifts from the keys."""

    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Close")]

    def __init__(self, rows: list[tuple[str, str]]) -> None:
        super().__init__(classes="overlay")
        self.rows = rows

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Keys", classes="dialog-title")
            yield Label("Escape closes this help · ↑/↓ scroll", classes="dialog-hint")
            width = max(len(keys) for keys, _ in self.rows) + 3
            with VerticalScroll(classes="dialog-scroll", id="help-keys"):
                for keys, what in self.rows:  # two columns: a long description wraps in its own
                    with Horizontal(classes="help-row"):
                        key = Static(keys, markup=False, classes="help-key")
                        key.styles.width = width
                        yield key
                        yield Static(what, markup=False, classes="help-what")


class AgendaScreen(ModalScreen[None]):
    """Planned against actual time for every step and module, and how far ahead or behind we are."""

    BINDINGS = [Binding("escape,a,q", "dismiss", "Close")]

    def __init__(self, workshop: Workshop, schedule: Schedule, current_step: str | None) -> None:
        super().__init__(classes="overlay")
        self.workshop = workshop
        self.schedule = schedule
        self.current_step = current_step

    def compose(self) -> ComposeResult:
        schedule = self.schedule
        with Vertical(classes="dialog wide"):
            yield Label("Agenda · planned against actual", classes="dialog-title")
            yield Label(
                f"{format_minutes(round(schedule.elapsed))} spent of {format_minutes(schedule.planned_total)} "
                f"planned · {schedule_summary(schedule)}",
                id="agenda-summary",
            )
            yield Label("Escape closes the agenda · ↑/↓ scroll", classes="dialog-hint")
            yield DataTable(id="agenda-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        self.call_after_refresh(self._fill)  # once the table has its width: titles are cut to fit it

    def on_resize(self) -> None:
        if self.query_one(DataTable).row_count:
            self._fill()

    def _fill(self) -> None:
        """One row per module (its planned and actual time, and Δ: the sum of its steps' Δ so far) and per
        step. Titles are shortened with an ellipsis so every column fits, down to 80 columns."""
        table = self.query_one(DataTable)
        table.clear(columns=True)
        kinds = [self.workshop.step_by_id(timing.step_id).kind for timing in self.schedule.steps]
        kind_width = max([4, *(len(kind) for kind in kinds)])
        fixed = 1 + kind_width + len("Planned") + len("Actual") + len("Δ min")
        padding = 2 * table.cell_padding * 6
        title_width = max(12, table.size.width - fixed - padding - 2)  # 2: the scrollbar
        table.add_column("", width=1)
        table.add_column("Step", width=title_width)
        table.add_column("Kind", width=kind_width)
        for label in ("Planned", "Actual", "Δ min"):
            table.add_column(label, width=len(label))

        def short(title: str) -> str:
            return title if len(title) <= title_width else title[: title_width - 1] + "…"

        for module in self.schedule.modules:
            steps = [t for t in self.schedule.steps if t.module_id == module.module_id]
            visited = [t for t in steps if t.actual]
            delta = sum(t.actual - t.planned for t in visited)
            table.add_row(
                "",
                short(module.title.upper()),
                "",
                _minutes(module.planned),
                _minutes(module.actual) if visited else "–",
                f"{delta / 60:+.1f}" if visited else "",
                key=f"module:{module.module_id}",
            )
            for timing in steps:
                here = "▶" if timing.step_id == self.current_step else ""
                step = self.workshop.step_by_id(timing.step_id)
                delta = timing.actual - timing.planned if timing.actual else 0.0
                table.add_row(
                    here,
                    short(timing.title),
                    step.kind,
                    _minutes(timing.planned),
                    _minutes(timing.actual) if timing.actual else "–",
                    f"{delta / 60:+.1f}" if timing.actual else "",
                    key=timing.step_id,
                )
        if self.current_step is not None:
            table.move_cursor(row=table.get_row_index(self.current_step))


class BlankScreen(Screen[None]):
    """A black screen for the room; any key brings the workshop back."""

    def compose(self) -> ComposeResult:
        yield Static("", id="blank")

    def on_key(self, event: events.Key) -> None:
        event.stop()
        event.prevent_default()
        self.dismiss()

    def on_click(self) -> None:
        self.dismiss()


class ConfirmScreen(ModalScreen[bool]):
    """A yes/no question before something that cannot be undone. `y` says yes, `n` or Escape no; the
    focused button is the safe one, so a stray Enter (or a clicker's key) never does the harm."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(self, title: str, text: str, yes: str, no: str) -> None:
        super().__init__(classes="overlay")
        self.title_text, self.text, self.yes, self.no = title, text, yes, no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            yield Static(self.text, markup=False, id="quit-text")
            with Horizontal(classes="buttons"):
                yield Button(f"{self.yes} (y)", id="quit-yes", variant="error")
                yield Button(f"{self.no} (n)", id="quit-no", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#quit-no", Button).focus()

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "quit-yes")


class QuitScreen(ConfirmScreen):
    def __init__(self, resume_command: str, *, ended: bool = False, private_deleted: bool = False) -> None:
        if ended and private_deleted:
            text = "The session has ended and its private reflections and plans are already deleted."
        elif ended:
            text = (
                "The session has ended. Quitting stops takeaway downloads and deletes every "
                "participant's private reflections and plans now. Totals stay for the report."
            )
        else:
            text = f"The session is saved. To continue it later:\n\n  {resume_command}"
        super().__init__("Quit?", text, "Quit", "Stay")


class EndScreen(ConfirmScreen):
    def __init__(self, keep_private_minutes: float, closing: str | None = None, *, here: bool = True) -> None:
        """`closing`: the title of the closing step the end brings up; `here`: it is already on screen."""
        if closing is None:
            where = "This step stays on screen"
        elif here:
            where = "The closing step stays on screen"
        else:
            where = f"The closing step, “{closing}”, comes on screen with its takeaway QR code,"
        text = (
            f"{where} and phones can download their takeaways for "
            f"{keep_private_minutes:g} minutes; then private reflections and plans are deleted. "
            "Ending cannot be undone: no more steps, timers or answers."
        )
        super().__init__("End the session?", text, "End", "Not yet")


class HandCountScreen(ModalScreen[list[int] | None]):
    """Type the counts from a show of hands, one per option; Enter saves, Escape cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self,
        question: str,
        labels: list[str],
        counts: tuple[int, ...] | None,
        *,
        rule: str = "",
        check: Callable[[list[int]], str | None] | None = None,
    ) -> None:
        """`rule`: the bound on the counts, in words, shown from the start; `check`: the session's own
        check of a set of counts (why they cannot be a show of hands), run before saving."""
        super().__init__(classes="overlay")
        self.question = question
        self.labels = labels
        self.counts = counts
        self.rule = rule
        self.check = check

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Show of hands", classes="dialog-title")
            with Vertical(classes="dialog-hint"):  # always in view, however many options scroll above
                yield Label("", id="count-error")
                if self.rule:
                    yield Label(self.rule, id="count-rule")
                yield Label("Tab moves between boxes · Enter saves · Escape cancels")
            with VerticalScroll(classes="dialog-scroll count-rows", can_focus=False):
                yield Static(self.question, markup=False, classes="meta")
                for index, label in enumerate(self.labels):
                    with Horizontal(classes="count-row"):
                        yield Static(label, markup=False, classes="count-label")
                        value = str(self.counts[index]) if self.counts else ""
                        yield Input(
                            value,
                            placeholder="0",
                            type="integer",
                            id=f"count-{index}",
                            max_length=4,
                            compact=True,
                        )

    def on_mount(self) -> None:
        self.query_one("#count-0", Input).focus()

    @on(Input.Submitted)
    def _submit(self) -> None:
        counts: list[int] = []
        for index in range(len(self.labels)):
            text = self.query_one(f"#count-{index}", Input).value.strip() or "0"
            try:
                value = int(text)
            except ValueError:
                value = -1
            if value < 0:
                self._refuse(f"Row {index + 1}: a whole number from 0 up", index)
                return
            counts.append(value)
        problem = self.check(counts) if self.check is not None else None
        if problem is not None:
            self._refuse(problem, max(range(len(counts)), key=counts.__getitem__))
            return
        self.dismiss(counts)

    def _refuse(self, reason: str, row: int) -> None:
        """Say why the counts cannot be saved, and put the cursor where to fix them."""
        error = self.query_one("#count-error", Label)
        error.update(reason)
        error.add_class("-shown")
        self.query_one(f"#count-{row}", Input).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)
