"""Why a key does nothing here: a sentence for the facilitator instead of silence.

A key that cannot act now is hidden from the footer (`RunScreen.check_action`); pressed anyway, a
fallback binding of the same key says why (a timer key on a content step, `h` on a slide that is not a
poll, → after the end). Each group names the action its keys perform when they can.
"""

from __future__ import annotations

from facilitate.session.session import Session
from facilitate.workshop.durations import format_minutes

# group -> (the action its keys perform, its parameters): the fallback acts when that one cannot.
PRIMARY: dict[str, tuple[str, tuple[object, ...]]] = {
    "timer": ("toggle_timer", ()),
    "move": ("next_step", ()),
    "poll": ("hand_count", ()),
    "moderate": ("moderate", ()),
    "text": ("show_text", (1,)),
    "grounding": ("grounding", ()),
    "end": ("end_session", ()),
}


def _where(session: Session) -> str:
    step = session.current_step
    return "This slide" if step is None else f"This {step.kind} step"


def why_not(group: str, session: Session) -> str:
    """The sentence for a key of `group` that cannot act now."""
    step = session.current_step
    if group == "end" or (session.ended and group != "text"):
        return {
            "timer": "The session has ended: its timers are stopped",
            "move": "The session has ended: the closing step stays on screen (q quits)",
            "grounding": "The session has ended: press q to quit",
        }.get(group, "The session has already ended")
    if group == "timer":
        if step is None:
            return "This slide has no timer"
        return (
            f"This {step.kind} step has no timer: {format_minutes(step.duration)} planned, "
            "the status line counts the time spent"
        )
    if group in ("move", "grounding"):
        if session.grounding:
            return (
                "The grounding exercise is on: Escape returns to the step"
                if group == "move"
                else "The grounding exercise is already on: Escape returns to the step"
            )
        return "This is as far as it goes"
    if group == "poll":
        return f"{_where(session)} is not a poll: h (show of hands), r (reveal) and o (open or close) are for polls"
    if group == "moderate":
        return f"{_where(session)} has no answers to check: m is for polls whose answers are checked first"
    return f"{_where(session)} has no written answers: [ and ] go through them on a written-answer poll"
