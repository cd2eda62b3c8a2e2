"""What one phone is shown: the whole state, built from the session (and, for its own private answers,
from the journal on disk)."""

from __future__ import annotations

import asyncio
import json
import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from facilitate.server.follow import follow_along, help_lines, time_key
from facilitate.session.session import Session
from facilitate.takeaway.locales import emergency_line
from facilitate.workshop.models import ClosingStep, PlanStep, PollStep, ReflectionStep


@dataclass(frozen=True)
class DiskFacts:
    """What `phone_state` reads from the journal on disk rather than from memory: this device's own
    reflection or plan (kept only there, never in memory)."""

    private: dict[str, Any]  # this device's own reflections and plan, by step


NO_DISK_FACTS = DiskFacts({})


class PrivateCache:
    """One event stream's last read of its own device's private answers, reused until they change
    (`Session.private_version`): a facilitator's event would otherwise read every answered phone's
    reflections from disk again."""

    def __init__(self) -> None:
        self.version: object = None
        self.facts = NO_DISK_FACTS


def _private_to_read(session: Session, token: str | None) -> str | None:
    """The token whose private answers a phone's state needs (its own, on a reflection or plan step it
    answered), or None. Decided on the loop, from memory."""
    step = session.current_step
    if token and isinstance(step, ReflectionStep | PlanStep) and session.has_answered(token, step.id):
        return token
    return None


def _read_disk_facts(session: Session, private_of: str | None) -> DiskFacts:
    """Journal reads only (safe in a worker thread: the journal serialises its connection)."""
    return DiskFacts(session.private_answers(private_of)) if private_of is not None else NO_DISK_FACTS


async def disk_facts_async(
    session: Session, token: str | None, cache: PrivateCache | None = None
) -> DiskFacts:
    """What `phone_state` needs from disk for this device, read in a worker thread, so a commit in
    progress never holds up the loop the facilitator's screen runs on."""
    for _ in range(3):  # the step may change while the read is in the thread: decide again after it
        private_of = _private_to_read(session, token)
        if private_of is None:
            return NO_DISK_FACTS
        version = (private_of, session.private_version(private_of))
        if cache is not None and cache.version == version:
            return cache.facts
        facts = await asyncio.to_thread(_read_disk_facts, session, private_of)
        if (
            _private_to_read(session, token) == private_of
            and session.private_version(private_of) == version[1]
        ):
            if cache is not None:
                cache.version, cache.facts = version, facts
            return facts
    return _read_disk_facts(session, _private_to_read(session, token))  # still changing: on the loop, once


async def phone_state_async(
    session: Session, token: str | None, cache: PrivateCache | None = None
) -> dict[str, Any]:
    """`phone_state` for the handlers, its journal read in a worker thread (`disk_facts_async`)."""
    return phone_state(session, token, await disk_facts_async(session, token, cache))


def _clock_speed(session: Session) -> float:
    return float(getattr(session.clock, "speed", 1.0))


def _clock_time(at: float) -> str:
    """A time of day as the facilitator's laptop tells it (local time), HH:MM."""
    return datetime.fromtimestamp(at).strftime("%H:%M")


def phone_state(session: Session, token: str | None, facts: DiskFacts | None = None) -> dict[str, Any]:
    """What one phone shows now: absolute state, never a delta. It is the state every phone sees alike
    (`public_state`) with this device's own part (`device_state`) on top: the only builder of what a
    phone is shown, so the event streams' cache (`ViewCache`) sends exactly this."""
    if facts is None:
        facts = _read_disk_facts(session, _private_to_read(session, token))
    return merged_state(public_state(session), device_state(session, token, facts))


def merged_state(public: dict[str, Any], device: dict[str, Any]) -> dict[str, Any]:
    return {**public, **device}


def device_state(session: Session, token: str | None, facts: DiskFacts) -> dict[str, Any]:
    """The part of a phone's state that depends on the device: whether it answered the step on screen
    and `mine`, its own answer (its private text too: only ever to the device that wrote it). Every field
    that depends on the device belongs here, and nothing else: two phones with equal parts are shown the
    same bytes."""
    step = session.current_step
    answered = bool(token and step is not None and session.has_answered(token, step.id))
    mine: Any = None
    if answered and token is not None:
        if isinstance(step, PollStep):
            mine = session.device_answer(token, step.id)
        elif isinstance(step, ReflectionStep | PlanStep):
            mine = facts.private.get(step.id)
    voted = session.voted_by(token) if token and session.workshop.questions else []
    return {"answered": answered, "mine": mine, "voted": voted}


def public_state(session: Session) -> dict[str, Any]:
    """What every phone sees alike (it takes no device, so nothing in it can depend on one)."""
    step = session.current_step
    slide = session.current_slide
    module = session.current_module if slide.kind == "module_note" else None
    state: dict[str, Any] = {
        "step": None
        if step is None
        else {"id": step.id, "kind": step.kind, "title": step.title, "content_note": step.content_note},
        # the gentle card before a module: its title and what it touches on (step is null meanwhile)
        "note": None
        if module is None or not module.content_note
        else {"module": module.title, "text": module.content_note},
        "poll": None,
        "ended": session.ended,
        "retention": None,
        # the room's part of a content, activity, grounding, break or closing step, in text (server/follow.py)
        "follow": follow_along(session),
        "grounding": session.grounding,
        "help": None,
        # anonymous questions: on (the workshop's `questions`), and the approved ones with their votes
        "questions": {
            "enabled": session.workshop.questions and not session.ended,
            "listed": [
                {"id": q.id, "text": q.text, "votes": q.votes, "answered": q.answered}
                for q in session.listed_questions()
            ]
            if session.workshop.questions
            else [],
        },
    }
    if session.ended or isinstance(step, ClosingStep):
        state["help"] = {"lines": help_lines(session), "emergency": emergency_line()}
    if session.ended:
        deadline = session.private_deadline
        left = None if deadline is None else deadline - session.now()
        gone = session.private_deleted or (left is not None and left <= 0)
        state["retention"] = {
            "until": None if deadline is None or gone else _clock_time(deadline),
            # in real seconds (a rehearsal's clock runs faster): the page waits this long to ask again
            "seconds_left": None if left is None or gone else math.ceil(left / _clock_speed(session)),
            "deleted": gone,
        }
    if isinstance(step, PollStep):
        scale = step.effective_scale
        state["poll"] = {
            "id": step.id,
            "type": step.type,
            "question": step.question,
            "options": step.options,
            "max_choices": step.choice_limit() if step.type == "multiple" else None,
            "scale": None if scale is None else scale.model_dump(),
            "points": step.point_budget if step.type == "points" else None,
            "open": session.poll_is_open(step.id),
        }
        state["reveal_min"] = session.workshop.reveal_threshold(step)
        shown = session.results(step.id).shown if step.id in session.state.revealed else None
        if shown is not None:
            state["results"] = {
                "answered": shown.answered,
                "counts": list(shown.counts),
                "median": shown.median,
                "average_rank": list(shown.average_rank),  # ranking: per option, 1 = first
                "words": [list(pair) for pair in shown.words[:15]],
                # written answers: only those the facilitator approved (and whose authors kept them)
                "texts": session.approved_texts(step.id) if step.type == "text" else [],
            }
    elif isinstance(step, ReflectionStep):
        state["prompt"] = {"text": step.prompt}
    elif isinstance(step, PlanStep):
        state["prompt"] = {
            "text": step.prompt,
            "if_label": step.if_label,
            "then_label": step.then_label,
            "examples": list(step.examples),
        }
    return state


class ViewCache:
    """The event streams' serialised states: one per distinct view, not one per phone. A view is the
    public part of the session as it is now (`session.version`) with one device part; a thousand phones
    on an unanswered poll share two or three views, so a step change serialises a few states, not a
    thousand."""

    def __init__(self) -> None:
        self._version: tuple[int, int | None] | None = None
        self._public: dict[str, Any] = {}
        self._public_json = ""
        self._views: dict[str, bytes] = {}

    def _refresh(self, session: Session) -> None:
        # after the end the state says how many seconds are left to download: a second later, it is new
        # a running activity, grounding or break timer: the seconds left change too
        version = (session.version, math.floor(session.now()) if session.ended else time_key(session))
        if self._version != version:
            self._version = version
            self._public = public_state(session)
            self._public_json = json.dumps(self._public, ensure_ascii=False, sort_keys=True)
            self._views.clear()  # nothing of an older version is ever sent (nor kept: private text)

    def public_json(self, session: Session) -> str:
        """What every phone sees alike, serialised: equal strings mean nothing public changed."""
        self._refresh(session)
        return self._public_json

    def message(self, session: Session, token: str | None, facts: DiskFacts) -> bytes:
        """One Server-Sent Events message with this device's whole state, exactly `phone_state`."""
        self._refresh(session)
        device = device_state(session, token, facts)
        key = json.dumps(device, ensure_ascii=False, sort_keys=True)
        data = self._views.get(key)
        if data is None:
            state = json.dumps(merged_state(self._public, device), ensure_ascii=False)
            data = self._views[key] = f"data: {state}\n\n".encode()
        return data
