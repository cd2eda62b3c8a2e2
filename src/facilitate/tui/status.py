"""The facilitator's one-line summary of where the session stands, and the note after a resume."""

from __future__ import annotations

import math

from facilitate.session.session import Session
from facilitate.session.timer import format_clock
from facilitate.tui.private_notes import private_notes
from facilitate.tui.screens import schedule_summary
from facilitate.workshop.durations import format_minutes


def step_number(session: Session) -> tuple[int, int] | None:
    """(this step's number, how many steps), counting steps only (not the title or module notes)."""
    steps = [slide for slide in session.slides if slide.kind == "step"]
    step = session.current_step
    if step is None:
        return None
    number = next(i for i, slide in enumerate(steps, start=1) if slide.step_id == step.id)
    return number, len(steps)


def resume_note(session: Session) -> str:
    """ "Resumed at step 6 · timer paused · t continues", from a resume until the facilitator's first
    action ("" otherwise)."""
    if not session.resumed or session.ended:
        return ""
    where = step_number(session)
    parts = [f"Resumed at step {where[0]}" if where else "Resumed"]
    timer = session.current_timer
    if timer is not None and not timer.running and not timer.is_up(session.now()):
        parts += ["timer paused", "t continues"]
    return " · ".join(parts)


def status_line(session: Session, width: int = 1000) -> str:
    """Problems first (NOT SAVED), then what the facilitator glances at; what does not fit the width
    is shortened, least important first: the module's title, the step's minutes, phones joined."""
    first: list[str] = []
    if session.journal_problem:
        first.append(f"NOT SAVED: {session.journal_problem}")
    if session.demo:
        first.append("DEMO")
    if session.ended:
        first.append("session ended")
    if note := resume_note(session):
        first.append(note)
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
