"""Anonymous questions from phones, and "I need a pause": rules and reducer handlers.

A question is stored with its text and the facilitator's decisions only. A vote is stored under a voter
key made from the phone's token and the question's id, so it can be taken back and shown as "yours" to
that phone, yet two votes of one phone cannot be linked to each other or to its answers without the
phone's token. A pause request keeps the time and the module, nothing else.

Phone events reach the journal through the group commit, so their handlers never refuse on the state
(a question set aside while a vote for it was being saved still takes the vote); they only ignore what
does not fit. That keeps a replay the same as the live run.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import replace
from types import MappingProxyType
from typing import Any

from facilitate.session.answers import AnswerRefused, _clean
from facilitate.session.state import PauseRequest, Question, SessionState

MAX_QUESTION_LENGTH = 300
MAX_QUESTIONS = 500  # per session: a phone script cannot fill the facilitator's queue forever
QUESTION_SHOW_MODES = ("off", "one", "list")

Payload = Mapping[str, object]
Handler = Callable[[SessionState, Payload, float], SessionState]


class QuestionRefused(Exception):
    """A facilitator action on questions that cannot happen now; `reason` is for the facilitator."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


def normalize_question(value: Any) -> str:
    """The question as stored: one line, control characters dropped. Raises AnswerRefused(422)."""
    if not isinstance(value, str):
        raise AnswerRefused(422, "the question should be text")
    text = " ".join(_clean(value).split())
    if not text:
        raise AnswerRefused(422, "the question is empty: write something first")
    if len(text) > MAX_QUESTION_LENGTH:
        raise AnswerRefused(
            422, f"the question is {len(text)} characters long; the limit is {MAX_QUESTION_LENGTH}"
        )
    return text


def voter_key(secret: str, question_id: str, token: str) -> str:
    """One phone's key for one question (see the module's docstring)."""
    digest = hashlib.sha256(f"{secret}\x00{question_id}\x00{token}".encode()).hexdigest()
    return digest[:24]


def question_by_id(state: SessionState, question_id: str) -> Question | None:
    return next((question for question in state.questions if question.id == question_id), None)


def votes_for(state: SessionState, question_id: str) -> int:
    return len(state.question_votes.get(question_id, ()))


def approved_questions(state: SessionState) -> list[Question]:
    """Approved questions in the room's order: open ones most upvoted first (ties: approved first), then
    the ones marked answered, in the same order."""
    approved = [question for question in state.questions if question.approved]
    return sorted(
        approved,
        key=lambda q: (q.answered, -votes_for(state, q.id), q.decided_at or 0.0, q.asked_at),
    )


def waiting_questions(state: SessionState) -> list[Question]:
    """Questions the facilitator has not decided on, oldest first."""
    return [question for question in state.questions if question.approved is None]


def shown_question(state: SessionState) -> Question | None:
    """The question on the room's screen in "one at a time" mode."""
    if state.questions_shown != "one" or state.question_on_screen is None:
        return None
    question = question_by_id(state, state.question_on_screen)
    return question if question is not None and question.approved else None


def pauses_since(state: SessionState, since: float) -> int:
    return sum(1 for pause in state.pauses if pause.at >= since)


def pauses_per_module(state: SessionState) -> dict[str | None, int]:
    counts: dict[str | None, int] = {}
    for pause in state.pauses:
        counts[pause.module_id] = counts.get(pause.module_id, 0) + 1
    return counts


# --- reducer handlers (registered in `machine`) ------------------------------------------------------------


def ask(state: SessionState, payload: Payload, at: float) -> SessionState:
    question_id, text = payload.get("id"), payload.get("text")
    if not isinstance(question_id, str) or not isinstance(text, str) or question_by_id(state, question_id):
        return state
    return replace(state, questions=(*state.questions, Question(question_id, text, at)))


def vote(state: SessionState, payload: Payload, at: float) -> SessionState:
    question_id, voter, wanted = payload.get("id"), payload.get("voter"), payload.get("vote")
    if not isinstance(question_id, str) or not isinstance(voter, str) or not isinstance(wanted, bool):
        return state
    voters = state.question_votes.get(question_id, frozenset())
    voters = voters | {voter} if wanted else voters - {voter}
    return replace(state, question_votes=MappingProxyType({**state.question_votes, question_id: voters}))


def pause(state: SessionState, payload: Payload, at: float) -> SessionState:
    module_id = payload.get("module")
    if module_id is not None and not isinstance(module_id, str):
        module_id = None
    return replace(state, pauses=(*state.pauses, PauseRequest(at, module_id)))


def _known(state: SessionState, payload: Payload) -> Question:
    question_id = payload.get("id")
    question = question_by_id(state, question_id) if isinstance(question_id, str) else None
    if question is None:
        raise QuestionRefused("There is no such question")
    return question


def _replace_question(state: SessionState, changed: Question) -> SessionState:
    questions = tuple(changed if q.id == changed.id else q for q in state.questions)
    return replace(state, questions=questions)


def moderate(state: SessionState, payload: Payload, at: float) -> SessionState:
    question = _known(state, payload)
    approved = payload.get("approved")
    if not isinstance(approved, bool):
        raise QuestionRefused("Say whether to list the question or set it aside")
    if question.approved is approved:
        return state
    state = _replace_question(state, replace(question, approved=approved, decided_at=at))
    if not approved_questions(state):
        return replace(state, questions_shown="off", question_on_screen=None)
    if not approved and state.question_on_screen == question.id:  # set aside while on screen
        return replace(state, question_on_screen=approved_questions(state)[0].id)
    return state


def mark_answered(state: SessionState, payload: Payload, at: float) -> SessionState:
    question = _known(state, payload)
    answered = payload.get("answered")
    if not isinstance(answered, bool):
        raise QuestionRefused("Say whether the question is answered")
    if not question.approved:
        raise QuestionRefused("Only a listed question can be marked answered")
    return _replace_question(state, replace(question, answered=answered))


def show(state: SessionState, payload: Payload, at: float) -> SessionState:
    """Put the listed questions on the room's screen: one (`id`, or the first in the room's order), all
    of them, or none."""
    mode = payload.get("mode")
    if mode not in QUESTION_SHOW_MODES:
        raise QuestionRefused("Show the questions one at a time, as a list, or not at all")
    if mode == "off":
        return replace(state, questions_shown="off", question_on_screen=None)
    listed = approved_questions(state)
    if not listed:
        raise QuestionRefused("No question is listed yet: approve one first")
    if mode == "list":
        return replace(state, questions_shown="list", question_on_screen=None)
    wanted = payload.get("id", listed[0].id)
    question = question_by_id(state, wanted) if isinstance(wanted, str) else None
    if question is None or not question.approved:
        raise QuestionRefused("Only a listed question can be shown")
    return replace(state, questions_shown="one", question_on_screen=question.id)
