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

from facilitate.session.answers import Tally
from facilitate.session.machine import hand_count_labels
from facilitate.session.session import Session
from facilitate.tui.join import qr_text
from facilitate.tui.priority_charts import how_to_answer, points_lines, ranking_lines
from facilitate.tui.widgets import Countdown, bar_lines, column_chart, set_text
from facilitate.workshop.durations import format_duration, format_minutes

# Below this many rows the screen is "short" (80x24: a projector at a large font) and spacing tightens
# (the `-short` class, see facilitate.tcss).
SHORT_HEIGHT = 30
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

    def __init__(self, session: Session) -> None:
        super().__init__(classes="slide")
        self.session = session

    def compose(self) -> ComposeResult:
        if self.timed:  # docked at the bottom: the time is always in view, however long the text
            with Horizontal(classes="timer-row"):
                yield Countdown()
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

    def __init__(self, session: Session) -> None:
        super().__init__(session)
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


class PollView(StepView):
    timed = True

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self._results_shown: dict[str, object] = {}  # per results widget: what it showed last

    def body(self) -> ComposeResult:
        poll = self.step
        yield Static(poll.question, markup=False, classes="lead")
        if poll.type in ("single", "multiple"):
            lines = [f"{index}.  {option}" for index, option in enumerate(poll.options or [], start=1)]
            if poll.type == "multiple":
                lines.append(f"(choose up to {poll.choice_limit()})")
            yield Static("\n".join(lines), markup=False, classes="options")
        elif poll.type in ("ranking", "points"):
            lines = [f"{index}.  {option}" for index, option in enumerate(poll.options or [], start=1)]
            yield Static("\n".join(lines), markup=False, classes="options")
            yield words(how_to_answer(poll), "meta")
        elif poll.type == "scale":
            scale = poll.effective_scale
            low = f"{scale.min} = {scale.min_label}" if scale.min_label else str(scale.min)
            high = f"{scale.max} = {scale.max_label}" if scale.max_label else str(scale.max)
            yield Static(f"{low}   …   {high}", markup=False, classes="options")
        else:
            kind = "one to three words" if poll.type == "words" else "a few sentences"
            yield words(f"Answer on your phone with {kind}.", "meta")
        yield words("You are welcome to pass.", "gentle")
        yield Static("", markup=False, classes="phone-results")
        yield Static("", markup=False, classes="results")
        if hand_count_labels(poll) is not None:
            yield words("h: count a show of hands · r: reveal phone results", "facilitator-only hint")
        elif poll.type == "words" and poll.is_moderated:
            yield words("m: check the words · r: reveal the checked ones", "facilitator-only hint")
        elif poll.type == "text":  # the keys are for the facilitator: hidden in projector mode
            yield words(
                "m: moderate · r: reveal approved answers · [ and ]: one at a time", "facilitator-only hint"
            )

    def on_mount(self) -> None:
        super().on_mount()
        self.show_results()

    def show_results(self) -> None:
        self.show_phone_results()
        self.show_hand_counts()

    text_index = 0  # which approved written answer is on screen

    def _bring_into_view(self, selector: str, key: object) -> None:
        """When results appear (a reveal, a show of hands), scroll them into view on a short screen: the
        room should not wait while the facilitator scrolls. Nothing moves when the view first shows."""
        previous, self._results_shown[selector] = self._results_shown.get(selector), key
        if previous is None or key == previous or not key:  # first shown, unchanged, or nothing to see
            return
        for widget in self.query(selector):
            self.call_after_refresh(widget.scroll_visible, animate=False)

    def show_phone_results(self) -> None:
        """Phone answers: live totals, and results only once revealed (never below the threshold)."""
        session, poll = self.session, self.step
        if not session.joined:
            self._set(".phone-results", "", hide_empty=True)
            return
        revealed = poll.id in session.state.revealed
        results = session.results(poll.id)
        state = "open" if session.poll_is_open(poll.id) else "closed"
        lines = [f"Phones: {results.current.answered} answered · {session.joined} joined · {state}"]
        if poll.type == "text" and (waiting := len(session.moderation_queue(poll.id))):
            lines[0] += f" · {waiting} to moderate (m)"
        elif poll.type == "words" and poll.is_moderated:
            unchecked = sum(1 for word in session.words_to_check(poll.id) if word.shown is None)
            lines[0] += f" · {unchecked} words to check (m)" if unchecked else ""
        shown = results.shown
        if shown is None:
            lines.append(f"Waiting for at least {results.threshold} answers before showing results.")
        elif poll.id not in session.state.revealed:
            lines.append("Results are ready: r reveals them.")
        elif poll.compare_with and poll.type == "scale":
            lines.append(self.before_and_after(shown))
        elif poll.type in ("single", "multiple"):
            lines.append(bar_lines(list(poll.options or []), list(shown.counts), people=shown.answered))
        elif poll.type == "scale":
            chart = self.scale_chart(list(shown.counts), people=shown.answered)
            if self.compact_scale():
                chart[-1] += f" · median {shown.median:g}"
            else:
                chart.append(f"Median: {shown.median:g}")
            lines.append("\n".join(chart))
        elif poll.type == "ranking":
            lines.append(ranking_lines(poll, shown))
        elif poll.type == "points":
            lines.append(points_lines(poll, shown))
        elif poll.type == "words":
            # a no-break space: a word never wraps away from its count
            lines.append("   ".join(f"{word}\u00a0×{count}" for word, count in shown.words[:12]))
        else:
            lines.append(self.approved_text())
        self._set(".phone-results", "\n".join(lines), hide_empty=True)
        self._bring_into_view(".phone-results", revealed and shown is not None)

    def scale_points(self) -> list[str]:
        scale = self.step.effective_scale
        return [str(point) for point in range(scale.min, scale.max + 1)]

    def compact_scale(self) -> bool:
        """A long scale on a short screen is charted in columns, so its median stays on screen."""
        return len(self.scale_points()) > COMPACT_SCALE_POINTS and compact_charts(self)

    def scale_chart(self, counts: list[int], people: int | None = None, width: int = 24) -> list[str]:
        if self.compact_scale():
            return column_chart(self.scale_points(), counts, people=people)
        return bar_lines(self.scale_points(), counts, width=width, people=people).splitlines()

    def before_and_after(self, after: Tally) -> str:
        """Two aggregate charts side by side: the earlier poll's shown results and this one's."""
        before_results = self.session.results(self.step.compare_with)
        before = before_results.shown
        after_chart = self.scale_chart(list(after.counts), people=after.answered, width=16)
        if before is None:
            median = f"Median: {after.median:g}"
            if self.compact_scale():
                after_chart[-1] += f" · {median.lower()}"
            return "\n".join(
                [
                    "After",
                    *after_chart,
                    *([] if self.compact_scale() else [median]),
                    "(too few answers at the start to compare)",
                ]
            )
        before_chart = self.scale_chart(list(before.counts), people=before.answered, width=16)
        if self.compact_scale():  # the medians go on the charts' last line: one line less
            before_chart[-1] += f" · median {before.median:g}"
            after_chart[-1] += f" · median {after.median:g}"
        width = max(len(line) for line in before_chart) + 4
        rows = [f"{'Before':<{width}}After"]
        rows += [f"{b:<{width}}{a}".rstrip() for b, a in zip(before_chart, after_chart, strict=True)]
        if not self.compact_scale():
            rows.append(f"{f'Median: {before.median:g}':<{width}}Median: {after.median:g}")
        return "\n".join(rows)

    def approved_text(self) -> str:
        texts = self.session.approved_texts(self.step.id)
        if not texts:
            return "No written answer approved yet (m to moderate)."
        self.text_index %= len(texts)
        return f"Answer {self.text_index + 1} of {len(texts)}\n\n“{texts[self.text_index]}”"

    def move_text(self, delta: int) -> None:
        self.text_index += delta
        self.show_phone_results()

    def show_hand_counts(self) -> None:
        poll = self.step
        counts = self.session.state.hand_counts.get(poll.id)
        labels = hand_count_labels(poll)
        if counts is None or labels is None:
            self._set(".results", "", hide_empty=True)
            self._bring_into_view(".results", ())
            return
        threshold = self.session.workshop.reveal_threshold(poll)
        if sum(counts) < threshold:
            waiting = f"Show of hands: waiting for at least {threshold} answers before showing results."
            self._set(".results", waiting, hide_empty=True)
        elif poll.type == "scale":
            self._set(
                ".results", "\n".join(["Show of hands", *self.scale_chart(list(counts))]), hide_empty=True
            )
        else:
            self._set(".results", "Show of hands\n" + bar_lines(labels, list(counts)), hide_empty=True)
        self._bring_into_view(".results", counts)


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
            server = getattr(self.app, "phone_server", None)
            if server is not None:
                with Vertical(classes="takeaway-qr"):
                    yield Label("Your takeaway PDF: scan, or open the page again", classes="meta")
                    yield Static(qr_text(server.join_url), markup=False, classes="qr")

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


_STEP_VIEWS: dict[str, type[StepView]] = {
    "content": ContentView,
    "activity": ActivityView,
    "poll": PollView,
    "reflection": ReflectionView,
    "grounding": GroundingStepView,
    "break": BreakView,
    "plan": PlanView,
    "closing": ClosingView,
}


def view_for(session: Session) -> SlideView:
    """The view for what is on screen now: grounding on top of anything, else the slide's own."""
    if session.grounding:
        return GroundingView(session)
    if session.state.questions_shown != "off":  # the listed questions, put up by the facilitator
        from facilitate.tui.questions_view import QuestionsView

        return QuestionsView(session)
    slide = session.current_slide
    if slide.kind == "title":
        return TitleView(session)
    if slide.kind == "module_note":
        return ModuleNoteView(session)
    return _STEP_VIEWS[session.current_step.kind](session)


def view_key(session: Session) -> tuple[object, ...]:
    """What identifies the view on screen: when it changes, the view is rebuilt."""
    return (session.state.index, session.grounding, session.ended, session.state.questions_shown)
