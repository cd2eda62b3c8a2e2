"""The reducer: `apply(workshop, slides, state, event)` is the only way a session changes.

It is pure (the event carries its time), so replaying the journal reproduces the live run exactly.
Invalid events raise `Refused` with a sentence for the facilitator.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace

from facilitate.session import events as ev
from facilitate.session import questions
from facilitate.session.events import Event
from facilitate.session.grounding import grounding_exercise
from facilitate.session.hand_counts import hand_count_labels, hand_count_problem
from facilitate.session.slides import Slide, index_of_step
from facilitate.session.state import Gap, GroundingState, SessionState, Visit
from facilitate.session.timer import Timer
from facilitate.session.words import WordCheckRefused, check_words
from facilitate.workshop.models import PollStep, Workshop


class Refused(Exception):
    """An event that cannot happen now; `reason` is a sentence for the person at the keyboard."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


def apply(workshop: Workshop, slides: tuple[Slide, ...], state: SessionState, event: Event) -> SessionState:
    """The state after `event`, or `Refused`."""
    if event.type not in ev.EVENT_TYPES:
        raise Refused(f"Unknown action {event.type!r}")
    if event.type == ev.START:
        if state.started:
            raise Refused("The session has already started")
        return _show(
            workshop, slides, replace(state, started_at=event.at, last_event_at=event.at), 0, event.at
        )
    if not state.started:
        raise Refused("The session has not started yet")
    if state.ended and event.type not in ev.DISPLAY_TYPES:
        if event.type in ev.PHONE_TYPES:  # a phone's write in flight at the end: ignored, as on replay
            return state
        raise Refused("The session has ended")
    # Time never runs backwards for a session (e.g. a rehearsal clock recreated on resume).
    at = max(event.at, state.last_event_at or event.at)
    handler = _HANDLERS[event.type]
    return replace(handler(workshop, slides, state, event.payload, at), last_event_at=at)


def replay(
    workshop: Workshop, slides: tuple[Slide, ...], events: Iterable[Event], state: SessionState | None = None
) -> SessionState:
    """Fold events into a state with the same reducer the live run uses. Nothing after `end` counts but
    what is on the closing screen (the join screen, the answer shown): an event a second app wrote after
    the end neither changes the session nor makes its file unreadable."""
    state = SessionState() if state is None else state
    for event in events:
        if state.ended and event.type not in ev.DISPLAY_TYPES:
            continue
        state = apply(workshop, slides, state, event)
    return state


# --- helpers -------------------------------------------------------------------------------------------


def _timed_step_id(workshop: Workshop, slides: tuple[Slide, ...], index: int) -> str | None:
    slide = slides[index]
    if slide.kind != "step" or slide.step_id is None:
        return None
    return slide.step_id if workshop.step_by_id(slide.step_id).has_timer else None


def _set_timer(state: SessionState, step_id: str, timer: Timer) -> SessionState:
    return replace(state, timers={**state.timers, step_id: timer})


def _close_visit(state: SessionState, at: float) -> SessionState:
    if state.visits and state.visits[-1].left_at is None:
        last = state.visits[-1]
        return replace(state, visits=(*state.visits[:-1], replace(last, left_at=max(at, last.entered_at))))
    return state


def _show(
    workshop: Workshop, slides: tuple[Slide, ...], state: SessionState, index: int, at: float
) -> SessionState:
    """Put slide `index` on screen; a timed step's timer starts by itself the first time it is shown."""
    state = replace(state, index=index, visits=(*state.visits, Visit(index, at)))
    step_id = _timed_step_id(workshop, slides, index)
    if step_id is not None and step_id not in state.timers:
        step = workshop.step_by_id(step_id)
        phases = tuple(float(phase.duration) for phase in getattr(step, "phases", None) or ())
        state = _set_timer(state, step_id, Timer(float(step.duration), phases=phases).start(at))
    return state


def _leave(workshop: Workshop, slides: tuple[Slide, ...], state: SessionState, at: float) -> SessionState:
    """Take the current slide off screen: its timer pauses, keeping what has elapsed."""
    step_id = _timed_step_id(workshop, slides, state.index)
    if step_id is not None and step_id in state.timers:
        state = _set_timer(state, step_id, state.timers[step_id].pause(at))
    return _close_visit(state, at)


def _not_grounding(state: SessionState) -> None:
    if state.grounding is not None:
        raise Refused("The grounding exercise is on: leave it before moving to another step")


def _move(
    workshop: Workshop, slides: tuple[Slide, ...], state: SessionState, index: int, at: float
) -> SessionState:
    return _show(workshop, slides, _leave(workshop, slides, state, at), index, at)


# --- handlers ------------------------------------------------------------------------------------------

Payload = Mapping[str, object]
_Handler = Callable[[Workshop, tuple[Slide, ...], SessionState, Payload, float], SessionState]


def _next(
    workshop: Workshop, slides: tuple[Slide, ...], state: SessionState, payload: Payload, at: float
) -> SessionState:
    _not_grounding(state)
    if state.index >= len(slides) - 1:
        raise Refused("This is the last step: press q to end or quit")
    return _move(workshop, slides, state, state.index + 1, at)


def _back(
    workshop: Workshop, slides: tuple[Slide, ...], state: SessionState, payload: Payload, at: float
) -> SessionState:
    _not_grounding(state)
    if state.index <= 0:
        raise Refused("This is the title screen: there is nothing before it")
    return _move(workshop, slides, state, state.index - 1, at)


def _jump(
    workshop: Workshop, slides: tuple[Slide, ...], state: SessionState, payload: Payload, at: float
) -> SessionState:
    _not_grounding(state)
    step_id = payload.get("step")
    if not isinstance(step_id, str) or not step_id:
        raise Refused("Say which step to jump to")
    index = index_of_step(slides, step_id)
    if index is None:
        raise Refused(f"There is no step {step_id!r} in this workshop")
    if payload.get("note_first") is True and index > 0:
        note = slides[index - 1]
        if note.kind == "module_note" and note.module_id != slides[state.index].module_id:
            index -= 1  # arriving from another module: its content note comes first
    if index == state.index:
        raise Refused("This step is already showing")
    return _move(workshop, slides, state, index, at)


def _timer_target(workshop: Workshop, slides: tuple[Slide, ...], state: SessionState) -> str:
    """The step whose timer a timer operation acts on (only when not grounding)."""
    slide = slides[state.index]
    if slide.kind != "step" or slide.step_id is None:
        raise Refused("This slide has no timer")
    if not workshop.step_by_id(slide.step_id).has_timer:
        raise Refused("This step has no timer")
    return slide.step_id


def _timer_toggle(
    workshop: Workshop, slides: tuple[Slide, ...], state: SessionState, payload: Payload, at: float
) -> SessionState:
    if state.grounding is not None:  # while grounding, the timer on screen is the grounding timer
        return replace(state, grounding=replace(state.grounding, timer=state.grounding.timer.toggle(at)))
    step_id = _timer_target(workshop, slides, state)
    return _set_timer(state, step_id, state.timers[step_id].toggle(at))


def _timer_adjust(
    workshop: Workshop, slides: tuple[Slide, ...], state: SessionState, payload: Payload, at: float
) -> SessionState:
    seconds = payload.get("seconds")
    if isinstance(seconds, bool) or not isinstance(seconds, int | float) or not math.isfinite(seconds):
        raise Refused("Say how many seconds to add to the timer, or take away")
    try:
        if state.grounding is not None:
            timer = state.grounding.timer.adjust(seconds, at)
            return replace(state, grounding=replace(state.grounding, timer=timer))
        step_id = _timer_target(workshop, slides, state)
        return _set_timer(state, step_id, state.timers[step_id].adjust(seconds, at))
    except ValueError as exc:
        raise Refused(str(exc)) from None


def _grounding_enter(
    workshop: Workshop, slides: tuple[Slide, ...], state: SessionState, payload: Payload, at: float
) -> SessionState:
    if state.grounding is not None:
        raise Refused("The grounding exercise is already on")
    step_id = _timed_step_id(workshop, slides, state.index)
    was_running = False
    if step_id is not None and step_id in state.timers:
        was_running = state.timers[step_id].running
        state = _set_timer(state, step_id, state.timers[step_id].pause(at))
    exercise = grounding_exercise(workshop)
    phases = tuple(float(phase.duration) for phase in exercise.phases)
    timer = Timer(float(exercise.total), phases=phases).start(at)
    grounding = GroundingState(at, step_id, was_running, timer)
    return replace(state, grounding=grounding)


def _grounding_leave(
    workshop: Workshop, slides: tuple[Slide, ...], state: SessionState, payload: Payload, at: float
) -> SessionState:
    grounding = state.grounding
    if grounding is None:
        raise Refused("The grounding exercise is not on")
    state = replace(state, grounding=None)
    if grounding.step_id is not None and grounding.step_was_running:
        state = _set_timer(state, grounding.step_id, state.timers[grounding.step_id].start(at))
    return state


def _blank(
    workshop: Workshop, slides: tuple[Slide, ...], state: SessionState, payload: Payload, at: float
) -> SessionState:
    if state.blanked:
        raise Refused("The screen is already blank")
    return replace(state, blanked=True)


def _unblank(
    workshop: Workshop, slides: tuple[Slide, ...], state: SessionState, payload: Payload, at: float
) -> SessionState:
    if not state.blanked:
        raise Refused("The screen is not blank")
    return replace(state, blanked=False)


def closing_index(workshop: Workshop, slides: tuple[Slide, ...], index: int) -> int | None:
    """The closing slide an end brings up from slide `index`: the next closing step, else the last one
    before it (None when the workshop has no closing step or `index` already is one)."""
    closings = [
        i
        for i, slide in enumerate(slides)
        if slide.step_id is not None and workshop.step_by_id(slide.step_id).kind == "closing"
    ]
    if not closings or index in closings:
        return None
    return next((i for i in closings if i > index), closings[-1])


def _end(
    workshop: Workshop, slides: tuple[Slide, ...], state: SessionState, payload: Payload, at: float
) -> SessionState:
    """Every timer stops; grounding is closed and the screen unblanked, and the closing step comes on
    screen (from wherever the facilitator ended), so the room sees the takeaway QR code and until when
    takeaways can be downloaded. Every screen that replays the journal follows the same rule."""
    timers = {step_id: timer.pause(at) for step_id, timer in state.timers.items()}
    state = _close_visit(replace(state, timers=timers, grounding=None, blanked=False), at)
    closing = closing_index(workshop, slides, state.index)
    if closing is not None:
        state = replace(state, index=closing)
    return replace(state, ended_at=at)


def _suspend(
    workshop: Workshop, slides: tuple[Slide, ...], state: SessionState, payload: Payload, at: float
) -> SessionState:
    """The app was down from payload["at"] (its last sign of life) until `at`.

    Running timers are paused as of the last sign of life, so they come back showing the time that was
    left then; the current visit is split so the time while down counts nowhere. With
    payload["step_stays_paused"] (written by resumes since it was added), a step that grounding
    interrupted stays paused when grounding ends, as a resumed session promises; older journals replay
    as they ran.
    """
    last_alive = payload.get("at")
    if isinstance(last_alive, bool) or not isinstance(last_alive, int | float):
        last_alive = at
    down_from = min(max(float(last_alive), state.last_event_at or at), at)
    timers = {step_id: timer.pause(down_from) for step_id, timer in state.timers.items()}
    grounding = state.grounding
    if grounding is not None:
        grounding = replace(grounding, timer=grounding.timer.pause(down_from))
        if payload.get("step_stays_paused") is True:
            grounding = replace(grounding, step_was_running=False)
    state = _close_visit(replace(state, timers=timers, grounding=grounding), down_from)
    state = replace(
        state,
        visits=(*state.visits, Visit(state.index, at)),
        gaps=(*state.gaps, Gap(down_from, at)),
    )
    return state


def _hand_count(
    workshop: Workshop, slides: tuple[Slide, ...], state: SessionState, payload: Payload, at: float
) -> SessionState:
    poll = _poll_of(workshop, payload, "Hand counts are for poll steps")
    labels = hand_count_labels(poll)
    if labels is None:
        raise Refused(f"A {poll.type} poll has no options to count hands for")
    counts = payload.get("counts")
    if not isinstance(counts, list | tuple) or len(counts) != len(labels):
        raise Refused(f"Give one count for each of the {len(labels)} options")
    if any(isinstance(c, bool) or not isinstance(c, int) or c < 0 for c in counts):
        raise Refused("Counts are whole numbers from 0 up")
    problem = hand_count_problem(poll, counts)
    if problem is not None:
        raise Refused(problem)
    return replace(state, hand_counts={**state.hand_counts, poll.id: tuple(int(c) for c in counts)})


def _poll_reveal(
    workshop: Workshop, slides: tuple[Slide, ...], state: SessionState, payload: Payload, at: float
) -> SessionState:
    """Show or hide a poll's results on screen and on phones."""
    poll = _poll_of(workshop, payload, "Results are for poll steps")
    return replace(state, revealed=state.revealed ^ {poll.id})


def _poll_of(workshop: Workshop, payload: Payload, refusal: str = "That is for poll steps") -> PollStep:
    """The poll step the event names, or Refused."""
    step_id = payload.get("step")
    try:
        poll = workshop.step_by_id(step_id) if isinstance(step_id, str) else None
    except KeyError:
        poll = None
    if not isinstance(poll, PollStep):
        raise Refused(refusal)
    return poll


def _poll_open(
    workshop: Workshop, slides: tuple[Slide, ...], state: SessionState, payload: Payload, at: float
) -> SessionState:
    """Open or close answering for a poll (phones get 409 while it is closed)."""
    poll = _poll_of(workshop, payload)
    wanted = payload.get("open")
    if not isinstance(wanted, bool):
        raise Refused("Say whether to open or close the poll")
    return replace(state, poll_open={**state.poll_open, poll.id: wanted})


def _text_moderate(
    workshop: Workshop, slides: tuple[Slide, ...], state: SessionState, payload: Payload, at: float
) -> SessionState:
    """Approve a written answer for the screen, or set it aside. Decided per text, not per device."""
    poll = _poll_of(workshop, payload)
    text, approved = payload.get("text"), payload.get("approved")
    if poll.type != "text" or not isinstance(text, str) or not isinstance(approved, bool):
        raise Refused("Moderation is for the written answers of a text poll")
    return replace(state, moderated={**state.moderated, (poll.id, text): approved})


def _join_show(
    workshop: Workshop, slides: tuple[Slide, ...], state: SessionState, payload: Payload, at: float
) -> SessionState:
    return replace(state, join_shown=True)


def _join_hide(
    workshop: Workshop, slides: tuple[Slide, ...], state: SessionState, payload: Payload, at: float
) -> SessionState:
    return replace(state, join_shown=False)


def _text_show(
    workshop: Workshop, slides: tuple[Slide, ...], state: SessionState, payload: Payload, at: float
) -> SessionState:
    poll = _poll_of(workshop, payload)
    index = payload.get("index")
    if poll.type != "text" or isinstance(index, bool) or not isinstance(index, int) or index < 0:
        raise Refused("Choosing the answer on screen is for the approved answers of a text poll")
    return replace(state, text_shown={**state.text_shown, poll.id: index})


def _word_check(
    workshop: Workshop, slides: tuple[Slide, ...], state: SessionState, payload: Payload, at: float
) -> SessionState:
    try:
        return check_words(workshop, state, payload)
    except WordCheckRefused as exc:
        raise Refused(exc.reason) from None


def _questions(handler: questions.Handler) -> _Handler:
    """A handler of `questions` (which knows nothing of slides), refusing in this module's terms."""

    def handle(
        workshop: Workshop, slides: tuple[Slide, ...], state: SessionState, payload: Payload, at: float
    ) -> SessionState:
        try:
            return handler(state, payload, at)
        except questions.QuestionRefused as exc:
            raise Refused(exc.reason) from None

    return handle


def _start(
    workshop: Workshop, slides: tuple[Slide, ...], state: SessionState, payload: Payload, at: float
) -> SessionState:
    raise Refused("The session has already started")  # `apply` handles the first start


_HANDLERS: dict[str, _Handler] = {
    ev.START: _start,
    ev.WORD_CHECK: _word_check,
    ev.QUESTION_ASK: _questions(questions.ask),
    ev.QUESTION_VOTE: _questions(questions.vote),
    ev.PAUSE_REQUEST: _questions(questions.pause),
    ev.QUESTION_MODERATE: _questions(questions.moderate),
    ev.QUESTION_ANSWERED: _questions(questions.mark_answered),
    ev.QUESTIONS_SHOW: _questions(questions.show),
    ev.HAND_COUNT: _hand_count,
    ev.POLL_REVEAL: _poll_reveal,
    ev.POLL_OPEN: _poll_open,
    ev.TEXT_MODERATE: _text_moderate,
    ev.NEXT: _next,
    ev.BACK: _back,
    ev.JUMP: _jump,
    ev.TIMER_TOGGLE: _timer_toggle,
    ev.TIMER_ADJUST: _timer_adjust,
    ev.GROUNDING_ENTER: _grounding_enter,
    ev.GROUNDING_LEAVE: _grounding_leave,
    ev.BLANK: _blank,
    ev.UNBLANK: _unblank,
    ev.END: _end,
    ev.SUSPEND: _suspend,
    ev.JOIN_SHOW: _join_show,
    ev.JOIN_HIDE: _join_hide,
    ev.TEXT_SHOW: _text_show,
}
