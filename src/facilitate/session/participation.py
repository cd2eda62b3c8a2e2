"""The parts of a running session that phones add besides answers: questions, votes and pause requests,
and the facilitator's side of them (approving questions, checking words, what the room sees).

A mixin of `Session`, kept apart so each file has one job. Phone writes are events, committed with the
other phones' writes (group commit) before the phone hears "saved", and applied to the state in commit
order; so `--resume` and a room view replay them like any other event.
"""

from __future__ import annotations

import math
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from facilitate.session import events as ev
from facilitate.session.answers import AnswerRefused
from facilitate.session.events import Event
from facilitate.session.machine import Refused, apply
from facilitate.session.questions import (
    MAX_QUESTIONS,
    Question,
    approved_questions,
    normalize_question,
    pauses_per_module,
    pauses_since,
    question_by_id,
    shown_question,
    voter_key,
    votes_for,
    waiting_questions,
)
from facilitate.session.words import WordToCheck, words_to_check
from facilitate.workshop.models import PollStep

if TYPE_CHECKING:
    from facilitate.session.session import Outcome

PAUSE_EVERY_SECONDS = 180.0  # one pause request per phone in this time
PAUSE_SHOWN_SECONDS = 300.0  # how long a request counts in "N people would like a pause"
QUESTIONS_PER_PHONE = 5  # questions one phone may ask ...
QUESTION_WINDOW_SECONDS = 600.0  # ... in this time


@dataclass(frozen=True)
class ListedQuestion:
    """An approved question as phones and the room see it."""

    id: str
    text: str
    votes: int
    answered: bool


@dataclass(frozen=True)
class PauseSent:
    counted: bool  # False: this phone asked a moment ago; that request still stands
    again_in: int  # seconds until this phone may ask again


class Participation:
    """Mixed into `Session` (which provides the attributes annotated here)."""

    if TYPE_CHECKING:
        from facilitate.session.journal import Journal
        from facilitate.session.slides import Slide
        from facilitate.session.state import SessionState
        from facilitate.workshop.models import Workshop

        state: SessionState
        workshop: Workshop
        slides: tuple[Slide, ...]
        journal: Journal
        join_secret: str
        version: int
        _batch_devices: set[str]

        def dispatch(self, type: str, **payload: Any) -> Outcome: ...
        def now(self) -> float: ...
        def has_device(self, token: str) -> bool: ...
        def _notify_soon(self) -> None: ...
        def _raw_results(self, step_id: str) -> Any: ...
        async def _durably(self, record: Any, on_durable: Callable[[], None]) -> None: ...
        @property
        def ended(self) -> bool: ...
        @property
        def current_module(self) -> Any: ...

    def _init_participation(self) -> None:
        self._pause_sent: dict[str, float] = {}  # per phone, in memory only: when it last asked
        self._questions_asked: dict[str, list[float]] = {}

    # --- phones ----------------------------------------------------------------------------------------
    def _phone_may_write(self, token: str) -> None:
        if not self.has_device(token):
            raise AnswerRefused(400, "this phone has not joined: reload the page")
        if self.ended:
            raise AnswerRefused(409, "the session has ended")

    async def _phone_event(self, token: str, type: str, payload: dict[str, Any]) -> None:
        event = Event(type, payload, self.now())

        def on_durable() -> None:
            try:
                self.state = apply(self.workshop, self.slides, self.state, event)
            except Refused:  # phone handlers ignore what does not fit rather than refuse
                return
            self._batch_devices.add(token)
            self._notify_soon()

        await self._durably(event, on_durable)

    async def ask_question_async(self, token: str, text: Any) -> str:
        """Take an anonymous question; it waits for the facilitator. Returns its id. Raises AnswerRefused."""
        self._phone_may_write(token)
        if not self.workshop.questions:
            raise AnswerRefused(404, "this workshop takes no questions from phones")
        cleaned = normalize_question(text)
        now = self.now()
        recent = [at for at in self._questions_asked.get(token, []) if now - at < QUESTION_WINDOW_SECONDS]
        if len(recent) >= QUESTIONS_PER_PHONE:
            raise AnswerRefused(
                429,
                "you have asked several questions just now: the facilitator will see them; "
                "you can ask more in a few minutes",
            )
        if len(self.state.questions) >= MAX_QUESTIONS:
            raise AnswerRefused(429, "the question box is full for this session")
        question_id = secrets.token_hex(4)
        while question_by_id(self.state, question_id) is not None:
            question_id = secrets.token_hex(4)
        self._questions_asked[token] = [*recent, now]
        await self._phone_event(token, ev.QUESTION_ASK, {"id": question_id, "text": cleaned})
        return question_id

    async def vote_question_async(self, token: str, question_id: str, vote: Any) -> None:
        """Upvote a listed question, or take the upvote back. Raises AnswerRefused."""
        self._phone_may_write(token)
        question = question_by_id(self.state, question_id)
        if question is None or not question.approved:
            raise AnswerRefused(404, "there is no such question")
        if not isinstance(vote, bool):
            raise AnswerRefused(422, 'a vote is {"vote": true} or {"vote": false}')
        voter = voter_key(self.join_secret, question_id, token)
        await self._phone_event(token, ev.QUESTION_VOTE, {"id": question_id, "voter": voter, "vote": vote})

    def voted_by(self, token: str) -> list[str]:
        """The listed questions this phone upvotes (for its own page only)."""
        return [q.id for q in approved_questions(self.state) if self.has_voted(token, q.id)]

    def has_voted(self, token: str, question_id: str) -> bool:
        voters = self.state.question_votes.get(question_id, frozenset())
        return voter_key(self.join_secret, question_id, token) in voters

    async def request_pause_async(self, token: str) -> PauseSent:
        """Someone would like a pause: counted once per phone every few minutes. Raises AnswerRefused."""
        self._phone_may_write(token)
        now = self.now()
        last = self._pause_sent.get(token)
        if last is not None and now - last < PAUSE_EVERY_SECONDS:
            return PauseSent(False, math.ceil(PAUSE_EVERY_SECONDS - (now - last)))
        module = self.current_module
        self._pause_sent[token] = now
        try:
            await self._phone_event(token, ev.PAUSE_REQUEST, {"module": module.id if module else None})
        except BaseException:
            self._pause_sent.pop(token, None)  # not saved: the phone may try again at once
            raise
        return PauseSent(True, int(PAUSE_EVERY_SECONDS))

    # --- what may be shown -----------------------------------------------------------------------------
    def listed_questions(self) -> list[ListedQuestion]:
        """Approved questions in the room's order (most upvoted first, answered ones last)."""
        state = self.state
        return [
            ListedQuestion(q.id, q.text, votes_for(state, q.id), q.answered)
            for q in approved_questions(state)
        ]

    def question_on_screen(self) -> ListedQuestion | None:
        """What the room shows of the questions in "one at a time" mode."""
        question = shown_question(self.state)
        if question is None:
            return None
        return ListedQuestion(
            question.id, question.text, votes_for(self.state, question.id), question.answered
        )

    # --- the facilitator (presenter view only) --------------------------------------------------------
    def waiting_questions(self) -> list[Question]:
        return waiting_questions(self.state)

    def moderate_question(self, question_id: str, *, approved: bool) -> Outcome:
        return self.dispatch(ev.QUESTION_MODERATE, id=question_id, approved=approved)

    def mark_question_answered(self, question_id: str, *, answered: bool = True) -> Outcome:
        return self.dispatch(ev.QUESTION_ANSWERED, id=question_id, answered=answered)

    def show_questions(self, mode: str, question_id: str | None = None) -> Outcome:
        if question_id is None:
            return self.dispatch(ev.QUESTIONS_SHOW, mode=mode)
        return self.dispatch(ev.QUESTIONS_SHOW, mode=mode, id=question_id)

    def recent_pauses(self) -> int:
        """How many would like a pause (requests of the last few minutes): a count, never who."""
        return pauses_since(self.state, self.now() - PAUSE_SHOWN_SECONDS)

    def pauses_per_module(self) -> dict[str | None, int]:
        return pauses_per_module(self.state)

    def words_to_check(self, step_id: str) -> list[WordToCheck]:
        """Every word of a moderated word poll with its count and decision: the presenter view only."""
        poll = self.workshop.step_by_id(step_id)
        if not isinstance(poll, PollStep) or poll.type != "words":
            return []
        return words_to_check(self.state, step_id, self._raw_results(step_id).current.words)

    def check_words(self, step_id: str, words: list[str], *, shown: bool) -> Outcome:
        return self.dispatch(ev.WORD_CHECK, step=step_id, words=list(words), approved=shown)
