"""What only the facilitator may see of the room's quiet signals: "2 people would like a pause" (a count,
for a few minutes, never who) and how many questions wait for a decision (never their text here).

Shown in the facilitator's status line (hidden in projector mode) and the presenter view; never in a
room view. The lines are counts only, so even a glance from the room says nothing about anyone.
"""

from __future__ import annotations

from facilitate.session.session import Session


def pause_note(session: Session) -> str:
    count = session.recent_pauses()
    if not count:
        return ""
    return f"{count} {'person' if count == 1 else 'people'} would like a pause"


def questions_note(session: Session) -> str:
    count = len(session.waiting_questions())
    if not count:
        return ""
    return f"{count} {'question waits' if count == 1 else 'questions wait'} (k)"


def private_notes(session: Session) -> list[str]:
    return [note for note in (pause_note(session), questions_note(session)) if note]
