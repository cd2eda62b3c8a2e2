"""The presenter view's private panels for what phones add: "I need a pause" (a count), questions
waiting for a decision (their text: the facilitator's screen only), and the words of a checked word poll
with their counts and decisions. Each is a function of the session returning text ("" hides it); the
presenter column (tui/presenter.py) shows them in `PrivatePanel`s. Never in a room view."""

from __future__ import annotations

from facilitate.session.session import Session
from facilitate.tui.private_notes import pause_note

WAITING_SHOWN = 3
WORDS_SHOWN = 12
_MARK = {None: "new", True: "shown", False: "hidden"}


def pause_panel(session: Session) -> str:
    note = pause_note(session)
    return f"{note} (a count, never who)" if note else ""


def questions_panel(session: Session) -> str:
    if not session.workshop.questions:
        return ""
    waiting = session.waiting_questions()
    listed = session.listed_questions()
    if not waiting and not listed:
        return ""
    lines = [f"Questions (k): {len(waiting)} waiting · {len(listed)} listed"]
    lines += [f"  “{question.text}”" for question in waiting[:WAITING_SHOWN]]
    if len(waiting) > WAITING_SHOWN:
        lines.append(f"  and {len(waiting) - WAITING_SHOWN} more")
    mode = session.state.questions_shown
    if mode != "off":
        lines.append("The room sees " + ("one question" if mode == "one" else "the list of questions"))
    return "\n".join(lines)


def words_panel(session: Session) -> str:
    step = session.current_step
    if step is None or step.kind != "poll" or step.type != "words" or not step.is_moderated:
        return ""
    words = session.words_to_check(step.id)
    if not words:
        return ""
    new = sum(1 for word in words if word.shown is None)
    lines = [f"Words to check (m): {new} new · only shown words reach the room"]
    lines += [f"  {_MARK[word.shown]:<6} {word.word} ×{word.count}" for word in words[:WORDS_SHOWN]]
    if len(words) > WORDS_SHOWN:
        lines.append(f"  and {len(words) - WORDS_SHOWN} more (m lists them all)")
    return "\n".join(lines)
