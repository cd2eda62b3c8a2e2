"""The presenter view's column: what only the facilitator sees while a room view shows the room's part.

Where the step is, what comes next, planned against spent time, the clock, phones, notices and how many
room views follow; then the private panels (previews the room must not see yet). To add a private panel,
subclass `PrivatePanel` (its `content` returns what to show, or "" to hide it) and append the class to
`PRIVATE_PANELS`: the column mounts one of each and refreshes it with the rest, on every change and tick.
"""

from __future__ import annotations

import time
from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from facilitate.session.session import Session
from facilitate.tui.priority_charts import points_lines, ranking_lines
from facilitate.tui.screens import schedule_summary
from facilitate.tui.status import resume_note, step_number
from facilitate.tui.take_part_panels import pause_panel, questions_panel, words_panel
from facilitate.tui.widgets import bar_lines, clock_text, set_text, word_cloud
from facilitate.workshop.durations import format_minutes

NOTICES_KEPT = 3  # the last few notices stay in the column after their toast has gone


class PrivatePanel(Static):
    """A part of the presenter column that the room must never see. Subclasses say what to show."""

    DEFAULT_CSS = "PrivatePanel { height: auto; margin-top: 1; }"

    def __init__(self, session: Session) -> None:
        super().__init__("", markup=False, classes="private-panel")
        self.session = session

    def content(self) -> str | Text:
        """What the panel shows now; "" hides it."""
        raise NotImplementedError

    def refresh_panel(self) -> None:
        shown = self.content()
        self.display = bool(shown.plain if isinstance(shown, Text) else shown)
        if isinstance(shown, Text):
            self.update(shown)
        else:
            set_text(self, shown)


class PollPreview(PrivatePanel):
    """The poll on screen before the room sees it: results not yet revealed, written answers waiting."""

    def content(self) -> str | Text:
        session, step = self.session, self.session.current_step
        if step is None or step.kind != "poll" or session.grounding:
            return ""
        results = session.results(step.id)
        lines: list[str] = []
        if step.type == "text":
            waiting = session.moderation_queue(step.id)
            if waiting:
                lines.append(f"Waiting for you (m): {len(waiting)}")
                lines += [f"  “{text}”" for text in waiting[:3]]
            return "\n".join(lines)
        if step.id in session.state.revealed or results.current.answered == 0:
            return ""
        current = results.current
        head = "Preview (only you see it; r reveals it"
        head += ")" if results.revealable else f" from {results.threshold} answers)"
        if step.type == "words":
            if step.is_moderated:  # every word with its decision: the words panel below
                return ""
            text = Text(head + "\n")
            text.append_text(word_cloud(current.words[:12]))
            return text
        if step.type == "ranking":
            return head + "\n" + ranking_lines(step, current, width=8)
        if step.type == "points":
            return head + "\n" + points_lines(step, current, width=8)
        labels = list(step.options or []) if step.type in ("single", "multiple") else None
        if labels is None and step.effective_scale is not None:
            scale = step.effective_scale
            labels = [str(point) for point in range(scale.min, scale.max + 1)]
        if labels is None:
            return ""
        return head + "\n" + bar_lines(labels, list(current.counts), width=12, people=current.answered)


class PausePanel(PrivatePanel):
    """ "2 people would like a pause": a count for a few minutes, never who."""

    def content(self) -> str:
        return pause_panel(self.session)


class QuestionsPanel(PrivatePanel):
    """Questions from phones waiting for a decision (`k`), and what the room sees of the listed ones."""

    def content(self) -> str:
        return questions_panel(self.session)


class WordsPanel(PrivatePanel):
    """A checked word poll's words with their counts: new, shown or hidden (`m`)."""

    def content(self) -> str:
        return words_panel(self.session)


# The private panels of the presenter view, top to bottom (see the module's docstring).
PRIVATE_PANELS: list[type[PrivatePanel]] = [PausePanel, PollPreview, WordsPanel, QuestionsPanel]


def next_title(session: Session) -> str:
    """What the next key press brings up."""
    index = session.state.index + 1
    if index >= len(session.slides):
        return "Next: nothing (the last step: e ends the session)"
    slide = session.slides[index]
    if slide.kind == "module_note":
        module = next(m for m in session.workshop.modules if m.id == slide.module_id)
        return f"Next: {module.title} (its content note first)"
    step = session.workshop.step_by_id(slide.step_id)
    return f"Next: {step.title} · {format_minutes(step.duration)}"


class PresenterColumn(VerticalScroll):
    """The presenter view's side column (hidden on a single screen)."""

    can_focus = False

    def __init__(self, session: Session, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.session = session
        self.rooms = 0
        self.notices: list[str] = []

    def compose(self) -> ComposeResult:
        for name in ("where", "next", "time", "phones", "notices", "rooms"):
            yield Static("", markup=False, id=f"presenter-{name}", classes="presenter-line")
        for panel in PRIVATE_PANELS:
            yield panel(self.session)

    def add_notice(self, message: str) -> None:
        self.notices = [*self.notices, f"{time.strftime('%H:%M')} {message}"][-NOTICES_KEPT:]
        self.refresh_column()

    def refresh_column(self) -> None:
        if not self.is_mounted:
            return
        session = self.session
        where = step_number(session)
        module = session.current_module
        here = f"Step {where[0]} of {where[1]}" if where else "Before the first step"
        if session.grounding:
            here += " · grounding (Escape returns)"
        step = session.current_step
        title = step.title if step is not None else session.workshop.title
        self._line("where", f"{here}\n{title}" + (f"\n{module.title}" if module else ""))
        self._line("next", next_title(session) if not session.ended else "The session has ended")
        self._line("time", self.time_text())
        self._line("phones", self.phones_text())
        problems = [f"NOT SAVED: {session.journal_problem}"] if session.journal_problem else []
        if note := resume_note(session):
            problems.append(note)
        if session.demo:
            problems.append("DEMO (a rehearsal)")
        self._line("notices", "\n".join([*problems, *self.notices]))
        attached = "1 attached" if self.rooms == 1 else f"{self.rooms} attached"
        self._line("rooms", f"Room view: {attached}")
        for panel in self.query(PrivatePanel):
            panel.refresh_panel()

    def time_text(self) -> str:
        session = self.session
        now = session.now()
        schedule = session.schedule()
        lines = [datetime.fromtimestamp(now).strftime("%H:%M")]
        step = session.current_step
        timer = session.current_timer
        if step is not None:
            timing = schedule.step(step.id)
            spent = f"Step: {round(timing.actual / 60)} of {format_minutes(timing.planned)} spent"
            if timer is not None and timer.overrun(now) >= 1:
                spent += f" · over by {_mmss(timer.overrun(now))}"
            lines.append(spent)
        lines.append(
            f"Workshop: {round(schedule.elapsed / 60)} of {format_minutes(schedule.planned_total)}"
            f" · {schedule_summary(schedule)}"
        )
        if timer is not None:
            state = "running" if timer.running else "paused"
            lines.append(
                f"Timer {state}: {clock_text(timer.remaining(now))} left of {format_minutes(timer.planned)}"
            )
        return "\n".join(lines)

    def phones_text(self) -> str:
        session = self.session
        if not session.joined:
            return "Phones: none joined yet (j shows the join screen)"
        text = f"Phones: {session.joined} joined"
        step = session.current_step
        if step is not None and step.kind == "poll":
            state = "open" if session.poll_is_open(step.id) else "closed"
            text += f" · {session.results(step.id).current.answered} answered · {state}"
        return text

    def _line(self, name: str, text: str) -> None:
        for widget in self.query(f"#presenter-{name}").results(Static):
            set_text(widget, text)
            widget.display = bool(text)


def _mmss(seconds: float) -> str:
    whole = max(0, round(seconds))
    return f"{whole // 60:02d}:{whole % 60:02d}"
