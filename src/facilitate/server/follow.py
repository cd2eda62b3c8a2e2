"""What the room sees, in words a phone can show: for people who cannot read the projector.

On content, activity, grounding and break steps (and while the facilitator has grounding open) the phone
gets the slide's words, the activity's instructions and phases, the grounding steps and when a break ends;
at the closing step the help lines for the workshop's locale. Never facilitator notes. Everything here is
the same for every phone (it goes in `public_state`).

Times: phases are sent with their length and the timer's seconds left (real seconds, so a sped-up
rehearsal counts down as fast on the phone), and the page counts down by itself; `back_at` is the
laptop's time of day. These change with time, not with events, so `time_key` tells the state cache when a
state serialised a second ago is stale.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from facilitate.session.session import Session
from facilitate.takeaway.locales import helplines_for, phone_numbers
from facilitate.takeaway.markdown import blocks
from facilitate.workshop.models import ActivityStep, BreakStep, ClosingStep, ContentStep, GroundingStep

FOLLOWED = (ContentStep, ActivityStep, GroundingStep, BreakStep, ClosingStep)


def _speed(session: Session) -> float:
    return float(getattr(session.clock, "speed", 1.0)) or 1.0


def text_blocks(markdown: str | None) -> list[dict[str, Any]]:
    """Markdown as blocks of plain text: {"kind": "heading"|"paragraph"|"bullet"|"number", "text", "number"}."""
    return [
        {"kind": block.kind, "text": "".join(text for text, _ in block.runs), "number": block.number}
        for block in blocks(markdown or "")
    ]


def _timed(session: Session) -> bool:
    """Whether the room's screen changes with the clock now (a running timer on a followed step)."""
    timer = session.current_timer
    return (
        timer is not None
        and timer.running
        and (session.grounding or isinstance(session.current_step, FOLLOWED))
    )


def time_key(session: Session) -> int | None:
    """A number that changes every second while the followed state changes with time, else None."""
    return math.floor(session.now()) if _timed(session) else None


def _phases(session: Session, phases: list[Any]) -> dict[str, Any]:
    timer = session.current_timer
    now = session.now()
    speed = _speed(session)
    lengths = session.phase_lengths()  # as the timer paces them after `+`/`-`
    current = session.current_phase()
    return {
        "phases": [
            {"title": phase.title, "guidance": phase.guidance, "seconds": round(length / speed, 1)}
            for phase, length in zip(phases, lengths, strict=False)
        ],
        "phase": None if current is None else current.index,
        # seconds left in the current phase, and on the whole timer (real seconds)
        "phase_left": None if current is None else round(current.remaining / speed, 1),
        "left": None if timer is None else round(timer.remaining(now) / speed, 1),
        "running": bool(timer and timer.running),
    }


def follow_along(session: Session) -> dict[str, Any] | None:
    """The room's part of the step on screen, in text; None on steps the phone already shows in full."""
    if session.grounding:
        exercise = session.grounding_exercise
        return {
            "kind": "grounding",
            "title": exercise.title,
            "body": [],
            **_phases(session, list(exercise.phases)),
        }
    step = session.current_step
    if isinstance(step, ContentStep):
        return {"kind": "content", "body": text_blocks(step.body)}
    if isinstance(step, ActivityStep):
        return {"kind": "activity", "body": text_blocks(step.instructions), **_phases(session, step.phases)}
    if isinstance(step, GroundingStep):
        return {"kind": "grounding", "body": text_blocks(step.intro), **_phases(session, step.phases)}
    if isinstance(step, BreakStep):
        timer = session.current_timer
        back_at = None
        if timer is not None and timer.running:
            now = session.now()
            # to the nearest minute, as on the screen: a five-minute break is "back at" five minutes on
            back_at = datetime.fromtimestamp(round((now + timer.remaining(now)) / 60) * 60).strftime("%H:%M")
        return {"kind": "break", "body": text_blocks(step.message), "back_at": back_at}
    if isinstance(step, ClosingStep):
        return {"kind": "closing", "body": text_blocks(step.body)}
    return None


def help_lines(session: Session) -> list[dict[str, Any]]:
    """The help lines for the workshop's locale, as the takeaway prints them, with `tel:` links."""
    return [
        {
            "name": line.name,
            "how": line.how,
            "url": line.url,
            "note": line.note,
            "international": line.international,
            "tel": [{"text": text, "href": href} for text, href in phone_numbers(line.how)],
        }
        for line in helplines_for(session.workshop.locale)
    ]
