"""What can happen during a session. Events are what the journal stores and what the reducer replays."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

START = "start"
NEXT = "next"
BACK = "back"
JUMP = "jump"
TIMER_TOGGLE = "timer_toggle"
TIMER_ADJUST = "timer_adjust"
GROUNDING_ENTER = "grounding_enter"
GROUNDING_LEAVE = "grounding_leave"
BLANK = "blank"
UNBLANK = "unblank"
END = "end"
SUSPEND = "suspend"
HAND_COUNT = "hand_count"
POLL_REVEAL = "poll_reveal"
POLL_OPEN = "poll_open"  # {"step", "open": bool}: the facilitator opens or closes answering
TEXT_MODERATE = "text_moderate"  # {"step", "text", "approved": bool}: a written answer approved or not
# What the room's screen shows beyond the step, journaled so that room views (which follow the journal)
# show it too: the join screen, and which approved written answer is on screen ({"step", "index"}). The
# join address itself is not journaled (it is the laptop's network address, which changes; see
# session/presence.py).
JOIN_SHOW = "join_show"
JOIN_HIDE = "join_hide"
TEXT_SHOW = "text_show"
WORD_CHECK = "word_check"  # {"step", "words": [key, ...], "approved": bool}: words shown or hidden
QUESTION_MODERATE = "question_moderate"  # {"id", "approved": bool}: a question listed, or set aside
QUESTION_ANSWERED = "question_answered"  # {"id", "answered": bool}
QUESTIONS_SHOW = "questions_show"  # {"mode": "off" | "one" | "list", "index": int}: on the room's screen

# Written for a phone, never with anything that identifies it (a vote carries a per-question voter key).
QUESTION_ASK = "question_ask"  # {"id", "text"}
QUESTION_VOTE = "question_vote"  # {"id", "voter", "vote": bool}
PAUSE_REQUEST = "pause_request"  # {"module": module id or None}: someone would like a pause
PHONE_TYPES = frozenset({QUESTION_ASK, QUESTION_VOTE, PAUSE_REQUEST})

# Written by the session itself, never by the facilitator.
INTERNAL_TYPES = frozenset({START, SUSPEND})
FACILITATOR_TYPES = frozenset(
    {
        NEXT,
        BACK,
        JUMP,
        TIMER_TOGGLE,
        TIMER_ADJUST,
        GROUNDING_ENTER,
        GROUNDING_LEAVE,
        BLANK,
        UNBLANK,
        END,
        HAND_COUNT,
        POLL_REVEAL,
        POLL_OPEN,
        TEXT_MODERATE,
        JOIN_SHOW,
        JOIN_HIDE,
        TEXT_SHOW,
        WORD_CHECK,
        QUESTION_MODERATE,
        QUESTION_ANSWERED,
        QUESTIONS_SHOW,
    }
)
# Events about what is on screen rather than about the workshop: still taken after the end (the closing
# step's join screen).
DISPLAY_TYPES = frozenset({JOIN_SHOW, JOIN_HIDE, TEXT_SHOW})
EVENT_TYPES = INTERNAL_TYPES | FACILITATOR_TYPES | PHONE_TYPES


@dataclass(frozen=True)
class Event:
    """One thing that happened, at `at` (epoch seconds). `payload` is plain JSON data."""

    type: str
    payload: Mapping[str, Any] = field(default_factory=dict)
    at: float = 0.0

    def payload_json(self) -> str:
        return json.dumps(dict(self.payload), sort_keys=True, allow_nan=False)

    @classmethod
    def from_row(cls, type: str, payload_json: str | None, at: float) -> Event:
        payload = json.loads(payload_json) if payload_json else {}
        if not isinstance(payload, dict):
            raise ValueError(f"the payload of a {type!r} event is not a JSON object")
        return cls(type, payload, float(at))
