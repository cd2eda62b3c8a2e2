"""One view per slide kind: what the room sees on the projector.

Every view is built from the session when its slide comes on screen, and `tick` refreshes what changes
with time (the countdown, the current phase, "back at"). Workshop text is always shown as written.
"""

from __future__ import annotations

import re
from datetime import datetime

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Label, Markdown, Static

from facilitate.session.session import Session
from facilitate.tui.join import qr_text
from facilitate.tui.themes import SHORT_HEIGHT  # noqa: F401  (re-exported: room.py, tests)
from facilitate.tui.widgets import Countdown, set_text
from facilitate.workshop.durations import format_duration, format_minutes

# Below this many rows the screen is "short" (80x24: a projector at a large font) and spacing tightens
# (the `-short` class, see facilitate.tcss).
# Below this many rows a scale with more than COMPACT_SCALE_POINTS points is charted in columns, so its
# median stays on screen (0-10 as bars takes 13 lines).
COMPACT_CHART_HEIGHT = 40
COMPACT_SCALE_POINTS = 5


def compact_charts(widget: Widget) -> bool:
    return widget.app.size.height < COMPACT_CHART_HEIGHT


def words(content: str, classes: str = "") -> Static:
    """A line of the app's own words for the room, wrapped to the width (a Label would be cut off)."""
    return Static(content, markup=False, classes=classes)


class SlideBody(VerticalScroll):
    """The scrolling part of a slide. It never takes focus: the screen's keys (space, arrows, PageDown
    from a clicker) must always reach the screen, which scrolls this with ↑/↓ and Home/End."""

    can_focus = False


def phase_duration(planned: float, paced: float) -> str:
    """A phase's length as the room should pace it: the author's, or after `+`/`-` its new length to 5 s."""
    if abs(paced - planned) < 0.5:
        return format_duration(int(planned))
    return format_duration(max(5, round(paced / 5) * 5))


class SlideView(Vertical):
    """Base of every view: a title, an optional content note, the body, and a countdown for timed steps."""

    timed = False
    can_focus = False  # the screen's keys (space, arrows, PageDown) must never scroll a view instead
    refitted = False  # the timer changed size in the last tick: what fits on screen has changed

    def __init__(self, session: Session, *, room: bool = False) -> None:
        super().__init__(classes="slide -room" if room else "slide")
        self.session = session
        self.room = (
            room  # drawn for the room (room views, projector mode): nothing private, nothing to scroll
        )

    def compose(self) -> ComposeResult:
        if self.timed:  # docked at the bottom: the time is always in view, however long the text
            with Horizontal(classes="timer-row"):
                yield Countdown(room=self.room)
        with SlideBody(classes="slide-body"):
            yield from self.header()
            yield from self.body()

    def header(self) -> ComposeResult:
        yield from ()

    def body(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        self.tick(self.session.now())

    def _set(self, selector: str, text: str, *, hide_empty: bool = False) -> None:
        """Update a text widget if it is still there (a view being replaced may have lost its children);
        `hide_empty`: an empty one takes no room (results not there yet)."""
        for widget in self.query(selector):
            if isinstance(widget, Static):
                set_text(widget, text)
                if hide_empty:
                    widget.display = bool(text)

    def tick(self, now: float) -> None:
        for countdown in self.query(Countdown):
            countdown.show(self.session.current_timer, now)
            self._fit_timer(countdown)

    def _fit_timer(self, countdown: Countdown) -> None:
        """The big digits while the step fits beside them; one line when it would not (80x24, revealed
        results), so the step keeps the rows. Decided on the content's height, so it cannot flicker."""
        body = next(iter(self.query(SlideBody)), None)
        if body is None or not body.size.height:
            return
        shown = [child.virtual_region.bottom for child in body.children if child.display]  # no last margin
        free = body.scrollable_content_region.height - max(shown, default=0)
        if countdown.has_class("-compact"):
            if free >= Countdown.DIGITS_HEIGHT:
                countdown.remove_class("-compact")
                self.refitted = True
        elif free < 0:
            countdown.add_class("-compact")
            self.refitted = True


class TitleView(SlideView):
    def body(self) -> ComposeResult:
        workshop = self.session.workshop
        yield Static(workshop.title, markup=False, classes="big-title")
        yield Static(workshop.summary, markup=False, classes="lead")
        yield words(f"About {format_minutes(workshop.duration)}", "meta")
        lines = [
            f"{index}.  {module.title}  ·  {format_minutes(module.duration)}"
            for index, module in enumerate(workshop.modules, start=1)
        ]
        yield Static("\n".join(lines), markup=False, classes="module-list")
        yield words("Every question can be passed. Nothing you answer has your name on it.", "gentle")


class ModuleNoteView(SlideView):
    def body(self) -> ComposeResult:
        module = self.session.current_module
        assert module is not None
        with Vertical(classes="note-card"):
            yield words("Before we begin", "card-kicker")
            yield Static(module.title, markup=False, classes="step-title")
            yield Static(module.content_note or "", markup=False, classes="lead")
            yield words(
                "You are welcome to pass, to look after yourself, or to step out for a while.", "gentle"
            )


class StepView(SlideView):
    """A step: its title and the step's own content note, then the kind's body."""

    def __init__(self, session: Session, *, room: bool = False) -> None:
        super().__init__(session, room=room)
        # The step this view was made for, kept: two quick presses of a clicker can move the session on
        # before the view has even mounted, and it must not then draw (or ask results of) the next step.
        self.step = session.current_step

    def header(self) -> ComposeResult:
        step = self.step
        yield Static(step.title, markup=False, classes="step-title")  # always: the step's own name
        if step.content_note:
            yield Static(f"Note: {step.content_note}", markup=False, classes="content-note")


_HEADING = re.compile(r"\A\s*#{1,6}[ \t]+(?P<text>[^\n]*?)[ \t#]*(?:\n|\Z)")


def without_title_heading(body: str, title: str) -> str:
    """The Markdown body without its first heading when that heading only repeats the step's title (shown
    above it), so the title is never on screen twice; a heading that says more stays."""
    match = _HEADING.match(body)
    if match and match.group("text").strip().casefold() == title.strip().casefold():
        return body[match.end() :]
    return body


class ContentView(StepView):
    def body(self) -> ComposeResult:
        yield Markdown(without_title_heading(self.step.body, self.step.title), classes="content-body")


class PhasedView(StepView):
    """Activity and grounding: the current phase (marked with an arrow, not colour alone) and the next."""

    timed = True

    def phases(self):
        return getattr(self.step, "phases", None) or ()

    def body(self) -> ComposeResult:
        yield from self.intro()
        if self.phases():  # what to do now comes first: on a small screen the list can scroll
            yield Static("", markup=False, classes="phase-guidance")
            yield Static("", markup=False, classes="phase-list")

    def intro(self) -> ComposeResult:
        yield from ()

    def tick(self, now: float) -> None:
        super().tick(now)
        phases = self.phases()
        if not phases:
            return
        current, lengths = self.session.current_phase(), self.session.phase_lengths()
        if self.session.current_step is not self.step or len(lengths) != len(phases):
            return  # the session has moved on (two quick presses): this view is about to be replaced
        active = current.index if current is not None else len(phases)
        lines = []
        for index, phase in enumerate(phases):
            marker = "▶" if index == active else ("✓" if index < active else " ")
            lines.append(f"{marker} {phase.title}  ·  {phase_duration(phase.duration, lengths[index])}")
        self._set(".phase-list", "\n".join(lines))
        guidance = ""
        if current is not None and current.phase.guidance:
            guidance = current.phase.guidance
        elif current is None:
            guidance = "All phases done."
        self._set(".phase-guidance", guidance)


class ActivityView(PhasedView):
    def intro(self) -> ComposeResult:
        yield Static(self.step.instructions, markup=False, classes="lead")


class GroundingStepView(PhasedView):
    def intro(self) -> ComposeResult:
        if self.step.intro:
            yield Static(self.step.intro, markup=False, classes="lead")


class GroundingView(SlideView):
    """The grounding exercise opened with `g` from any step; Escape returns to where we were."""

    timed = True

    def body(self) -> ComposeResult:
        exercise = self.session.grounding_exercise
        yield Static(exercise.title, markup=False, classes="step-title")
        yield words("If it feels right. Eyes open is fine. Nobody is watching.", "gentle")
        yield Static("", markup=False, classes="phase-guidance")
        yield Static("", markup=False, classes="phase-next")

    def tick(self, now: float) -> None:
        super().tick(now)
        phases = self.session.grounding_exercise.phases
        current = self.session.current_phase()
        if current is None:
            self._set(".phase-guidance", "Take your time. We will continue when you are ready.")
            self._set(".phase-next", "")
            return
        self._set(".phase-guidance", current.phase.guidance or current.phase.title)
        upcoming = phases[current.index + 1].title if current.index + 1 < len(phases) else ""
        self._set(".phase-next", f"Next: {upcoming}" if upcoming else "")


class ReflectionView(StepView):
    timed = True

    def body(self) -> ComposeResult:
        yield Static(self.step.prompt, markup=False, classes="big-prompt")
        yield words("This stays with you — nobody sees it.", "gentle")
        yield words("Write it down, or simply think about it. You are welcome to pass.", "meta")


class BreakView(StepView):
    timed = True

    def body(self) -> ComposeResult:
        if self.step.message:
            yield Static(self.step.message, markup=False, classes="lead")
        yield words("", "back-at")

    def tick(self, now: float) -> None:
        super().tick(now)
        timer = self.session.current_timer
        if timer is None:
            return
        # To the nearest minute: a five-minute break that starts at 11:51:10 is "back at 11:56", as its
        # text says, not 11:57 (rounding up made the room's clock and the step's words disagree).
        back_at = round((now + timer.remaining(now)) / 60) * 60
        back = datetime.fromtimestamp(back_at).strftime("%H:%M")
        changed = abs(timer.planned - self.step.duration) >= 1  # after + or -: the words no longer say it
        length = f" (the break is now {format_minutes(timer.planned)})" if changed else ""
        self._set(".back-at", f"Back at {back}{length}")


class PlanView(StepView):
    timed = True

    def body(self) -> ComposeResult:
        plan = self.step
        yield Static(plan.prompt, markup=False, classes="lead")
        with Vertical(classes="plan-card"):
            yield Static(f"{plan.if_label} …", markup=False, classes="plan-line")
            yield Static(f"{plan.then_label} …", markup=False, classes="plan-line")
        if plan.examples:
            yield Static(
                "\n".join(f"e.g. {example}" for example in plan.examples), markup=False, classes="meta"
            )
        yield words("Small, specific, and within your control. You are welcome to pass.", "gentle")


class ClosingView(StepView):
    def body(self) -> ComposeResult:
        with Horizontal(classes="closing"):
            with Vertical(classes="closing-text"):
                if self.step.body:
                    body = without_title_heading(self.step.body, self.step.title)
                    yield Markdown(body, classes="content-body")
                yield Static("", markup=False, classes="takeaway-note")
                if self.session.ended:
                    yield words("The session has ended. Thank you.", "gentle")
            join_url = getattr(self.app, "join_url", None)  # the app's server, or what a room view was told
            if join_url is not None:
                with Vertical(classes="takeaway-qr"):
                    yield Label("Your takeaway PDF: scan, or open the page again", classes="meta")
                    yield Static(qr_text(join_url), markup=False, classes="qr")

    def tick(self, now: float) -> None:
        super().tick(now)
        deadline = self.session.private_deadline if self.session.ended else None
        if self.session.ended and deadline is None and self.session.private_deleted:
            note = "Private reflections and plans have been deleted. Totals are kept for the report."
        elif deadline is not None:
            at = datetime.fromtimestamp(deadline).strftime("%H:%M")
            note = f"Takeaways can be downloaded until {at}; then private reflections and plans are deleted."
        else:
            note = "Each phone gets its own takeaway: your reflections and plan are in yours alone."
        self._set(".takeaway-note", note)
