"""The object the UI holds: a running session, its journal, and views of what to show.

Every change goes through `dispatch`: the event is checked by the reducer, committed to the journal, and
only then becomes the state the UI shows, so nothing is ever shown that a crash could lose.
"""

from __future__ import annotations

import asyncio
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from facilitate.session import events as ev
from facilitate.session.answers import (
    AnswerRefused,
    PollResults,
    Submission,
    latest_by_device,
    normalize_answer,
    poll_results,
)
from facilitate.session.clock import Clock, clock_payload
from facilitate.session.datadir import resume_command
from facilitate.session.events import Event
from facilitate.session.frozen import thaw
from facilitate.session.grounding import GroundingExercise, PhaseAt, current_phase, grounding_exercise
from facilitate.session.group_commit import GroupCommit
from facilitate.session.journal import (
    AnswerRecord,
    DeviceRecord,
    Journal,
    JournalDamaged,
    JournalError,
    JournalMeta,
    journal_path,
)
from facilitate.session.machine import Refused, apply, closing_index, replay
from facilitate.session.participation import Participation
from facilitate.session.retention import DEFAULT_KEEP_PRIVATE_MINUTES
from facilitate.session.schedule import Schedule, schedule
from facilitate.session.slides import Slide, build_slides
from facilitate.session.state import SessionState
from facilitate.session.timer import Timer
from facilitate.session.words import checked_tally
from facilitate.workshop.loader import LoadedWorkshop, WorkshopLoadError
from facilitate.workshop.models import ClosingStep, Module, PlanStep, PollStep, ReflectionStep, Workshop

Subscriber = Callable[["Session"], None]


@dataclass(frozen=True)
class Outcome:
    """What came of a dispatch. `journal_error` is True when the action was valid but could not be saved
    (so it did not happen); `reason` then says why."""

    ok: bool
    reason: str | None = None
    journal_error: bool = False


class Session(Participation):
    def __init__(self, journal: Journal, workshop: Workshop, clock: Clock, state: SessionState) -> None:
        self.journal = journal
        self.workshop = workshop
        self.clock = clock
        self.state = state
        self.id: str = journal.session_id
        self.join_secret: str = journal.join_secret
        self.demo: bool = journal.meta().demo  # a rehearsal (--demo-room, --speed): marked everywhere
        self.slides: tuple[Slide, ...] = build_slides(workshop)
        self._steps_by_id = {step.id: step for _, step in workshop.steps()}  # every phone asks, often
        self.grounding_exercise: GroundingExercise = grounding_exercise(workshop)
        self.journal_problem: str | None = None  # the last journal failure, until a write succeeds again
        # (private_until, private_deleted_at), kept in memory: every phone's state asks after the end.
        self._retention: tuple[float | None, float | None] = journal.retention()
        # Per device, how many private answers (reflections, plans) it saved: lets a phone's event stream
        # reuse the one it read from disk until it changes. Bumped for everyone when they are deleted.
        self._private_saves: dict[str, int] = {}
        self._private_generation = 0
        self._subscribers: list[Subscriber] = []
        self.version = 0  # goes up with every change, for views that cache
        # What the change being announced was: "answers" from phones (the screen may batch its redraws)
        # or an "event" (the facilitator's keys, a reveal, the end: shown at once).
        self.last_change = "event"
        self._notify_pending = False
        self._results_cache: dict[str, PollResults] = {}
        self._latest_cache: dict[str, dict[str, Any]] = {}  # per poll: each device's latest answer
        self._batch_devices: set[str] = set()
        self.changed_devices: frozenset[str] = frozenset()  # phones whose answers the current notice is about
        self._group_commit = GroupCommit(journal)
        # After the end, private answers stay this long for takeaway downloads, then they are deleted.
        self.keep_private_seconds: float = DEFAULT_KEEP_PRIVATE_MINUTES * 60.0
        # True from a resume until the facilitator's first action: the presenter screen says so.
        self.resumed = False
        self._load_answers()
        self._init_participation()

    # --- starting and resuming ---------------------------------------------------------------------------
    @classmethod
    def start(
        cls,
        workshop: Workshop,
        *,
        data_dir: Path,
        clock: Clock,
        source_text: str | None,
        source_path: str | Path | None,
        demo: bool = False,
        source_is_parsed: bool = False,
    ) -> Session:
        """Create the session's journal and write `start`. Raises DataDirError or JournalError."""
        journal = Journal.create(
            Path(data_dir),
            workshop,
            source_text=source_text,
            source_path=source_path,
            clock=clock,
            demo=demo,
            source_is_parsed=source_is_parsed,
        )
        try:
            session = cls(journal, workshop, clock, SessionState())
            session._must(session._commit(Event(ev.START, clock_payload(clock), clock.now())))
            return session
        except BaseException:
            journal.close()
            raise

    @classmethod
    def start_loaded(
        cls, loaded: LoadedWorkshop, *, data_dir: Path, clock: Clock, demo: bool = False
    ) -> Session:
        """Start a session of a workshop read from a file, keeping its text as the frozen copy."""
        return cls.start(
            loaded.workshop,
            data_dir=data_dir,
            clock=clock,
            source_text=loaded.source,
            source_path=loaded.path,
            demo=demo,
            source_is_parsed=True,
        )

    @classmethod
    def resume(cls, data_dir: Path, session_id: str, *, clock: Clock) -> Session:
        """Reopen a session: replay its journal, then record the time the app was down as a `suspend`.

        A timer that was running comes back paused, showing what was left at the last sign of life.
        An ended session opens as it ended, with nothing written. Raises JournalError.
        """
        journal = Journal.open(journal_path(Path(data_dir), session_id))
        try:
            meta, workshop, state, _ = _replayed(journal, session_id)
            session = cls(journal, workshop, clock, state)
            if not state.started:  # the app stopped between creating the file and writing `start`
                session._must(session._commit(Event(ev.START, clock_payload(clock), clock.now())))
            elif state.ended_at is not None:
                if meta.ended_at is None:
                    journal.mark_ended(state.ended_at)
            else:
                last_alive = max(meta.last_alive or 0.0, state.last_event_at or 0.0)
                suspend = {"at": last_alive, "step_stays_paused": True, **clock_payload(clock)}
                session._must(session._commit(Event(ev.SUSPEND, suspend, clock.now())))
                session.resumed = True
            return session
        except BaseException:
            journal.close()
            raise

    @classmethod
    def open_readonly(cls, data_dir: Path, session_id: str) -> Session:
        """Open a session to read it (reports): replayed as it stands, nothing written, its clock
        stopped at the last sign of life. Raises JournalError."""
        from facilitate.session.clock import FakeClock

        journal = Journal.open(journal_path(Path(data_dir), session_id))
        try:
            meta, workshop, state, events = _replayed(journal, session_id)
            last = max([meta.last_alive or 0.0, *(event.at for event in events)])
            return cls(journal, workshop, FakeClock(state.ended_at or last or meta.created_at), state)
        except BaseException:
            journal.close()
            raise

    # --- changing ----------------------------------------------------------------------------------------
    def dispatch(self, type: str, **payload: Any) -> Outcome:
        """Apply one facilitator action. Refused actions are not journaled and return ok=False."""
        if type in ev.INTERNAL_TYPES or type in ev.PHONE_TYPES:
            return Outcome(False, "Only the session itself records that")
        return self._commit(Event(type, payload, self.clock.now()))

    def next(self) -> Outcome:
        return self.dispatch(ev.NEXT)

    def back(self) -> Outcome:
        return self.dispatch(ev.BACK)

    def jump(self, step_id: str, *, note_first: bool = False) -> Outcome:
        """Go to a step. `note_first`: when it opens a module with a content note, show the note first,
        so a jump from elsewhere (the palette) never skips it."""
        if note_first:
            return self.dispatch(ev.JUMP, step=step_id, note_first=True)
        return self.dispatch(ev.JUMP, step=step_id)

    def toggle_timer(self) -> Outcome:
        return self.dispatch(ev.TIMER_TOGGLE)

    def adjust_timer(self, minutes: int) -> Outcome:
        return self.dispatch(ev.TIMER_ADJUST, seconds=minutes * 60)

    def enter_grounding(self) -> Outcome:
        return self.dispatch(ev.GROUNDING_ENTER)

    def leave_grounding(self) -> Outcome:
        return self.dispatch(ev.GROUNDING_LEAVE)

    def blank(self) -> Outcome:
        return self.dispatch(ev.BLANK)

    def unblank(self) -> Outcome:
        return self.dispatch(ev.UNBLANK)

    def end(self) -> Outcome:
        return self.dispatch(ev.END)

    def show_join(self) -> Outcome:
        """The join screen is up (room views show it too)."""
        return self.dispatch(ev.JOIN_SHOW)

    def hide_join(self) -> Outcome:
        return self.dispatch(ev.JOIN_HIDE) if self.state.join_shown else Outcome(True)

    def show_text(self, step_id: str, index: int) -> Outcome:
        """Put approved written answer `index` of a text poll on screen."""
        return self.dispatch(ev.TEXT_SHOW, step=step_id, index=index)

    def shown_text_index(self, step_id: str) -> int:
        """Which approved written answer is on screen (wrapped to those approved now)."""
        texts = self.approved_texts(step_id)
        return self.state.text_shown.get(step_id, 0) % len(texts) if texts else 0

    def subscribe(self, callback: Subscriber) -> Callable[[], None]:
        """Call `callback(session)` after every change; returns a function that unsubscribes."""
        self._subscribers.append(callback)

        def unsubscribe() -> None:
            if callback in self._subscribers:
                self._subscribers.remove(callback)

        return unsubscribe

    # --- retention of private answers ------------------------------------------------------------------------
    @property
    def private_deadline(self) -> float | None:
        """When this session's reflections and plans will be deleted (None before the end)."""
        until, deleted_at = self._retention
        return None if deleted_at is not None else until

    @property
    def private_deleted(self) -> bool:
        return self._retention[1] is not None

    def private_version(self, token: str) -> tuple[int, int]:
        """Changes whenever this device's private answers do (a save, or their deletion)."""
        return self._private_generation, self._private_saves.get(token, 0)

    def expire_private(self) -> bool:
        """Delete private answers once their deadline has passed. True when it deleted them now."""
        deadline = self.private_deadline
        if deadline is None or self.clock.now() < deadline:
            return False
        return self.delete_private_now()

    def delete_private_now(self) -> bool:
        """Delete every reflection and plan now (the facilitator quits after the end: no more downloads)."""
        if not self.ended or self.private_deleted:
            return False
        now = self.clock.now()
        self.journal.delete_private_answers(now)
        self._retention = (self._retention[0], now)
        self._private_answered.clear()
        self._private_generation += 1
        self._notify()  # phones waiting on the closing step learn at once that their words are gone
        return True

    def heartbeat(self) -> None:
        """Record a sign of life (call about once a second). A failure is kept in `journal_problem`
        rather than raised, so a full disk cannot crash the screen mid-workshop."""
        try:
            if self.ended:
                self.expire_private()
            self.journal.touch(self.clock.now())
        except JournalError as exc:
            self.journal_problem = str(exc)
        else:
            self.journal_problem = None

    @property
    def resume_command(self) -> str:
        """How to continue this session later, from any shell."""
        data_dir = self.journal.path.parent.parent  # <data dir>/sessions/<id>.sqlite
        return resume_command(self.workshop.id, self.id, data_dir)

    def close(self) -> None:
        self._group_commit.close()
        self.journal.close()

    def _commit(self, event: Event) -> Outcome:
        try:
            new_state = apply(self.workshop, self.slides, self.state, event)
        except Refused as exc:
            return Outcome(False, exc.reason)
        try:
            self.journal.append(event)
        except JournalError as exc:
            self.journal_problem = str(exc)
            return Outcome(False, str(exc), journal_error=True)
        self.journal_problem = None
        self.state = new_state
        if event.type in ev.FACILITATOR_TYPES and event.type not in ev.DISPLAY_TYPES:
            self.resumed = False
        if event.type == ev.END and new_state.ended_at is not None:
            try:  # the `end` event is already safe; resume repairs the summary if this fails
                self.journal.mark_ended(new_state.ended_at)
                until = new_state.ended_at + self.keep_private_seconds
                self.journal.set_private_until(until)
                self._retention = (until, None)
            except JournalError as exc:
                self.journal_problem = str(exc)
        self._notify()
        return Outcome(True)

    def _notify(self) -> None:
        self.version += 1
        self._results_cache.clear()
        self._latest_cache.clear()
        for callback in list(self._subscribers):
            callback(self)

    def _notify_soon(self) -> None:
        """Answers arrive in batches: tell subscribers (the screen, every phone's event stream) once per
        batch, not once per answer, when there is a running loop to wait on."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self._notify()
            return
        self.version += 1
        self._results_cache.clear()
        self._latest_cache.clear()
        if not self._notify_pending:
            self._notify_pending = True
            loop.call_soon(self._flush_notify)

    def _flush_notify(self) -> None:
        self._notify_pending = False
        self.last_change = "answers"
        self.changed_devices, self._batch_devices = frozenset(self._batch_devices), set()
        self._notify()
        self.last_change = "event"
        self.changed_devices = frozenset()

    @staticmethod
    def _must(outcome: Outcome) -> None:
        if not outcome.ok:
            raise JournalError(outcome.reason or "The session journal could not be written.")

    # --- participants' answers (phones) -------------------------------------------------------------------
    def _load_answers(self) -> None:
        self._devices: set[str] = self.journal.devices()
        self._private_answered: set[tuple[str, str]] = self.journal.private_answered()
        self._submissions: dict[str, list[Submission]] = {}
        self._answered: set[tuple[str, str]] = set()  # (poll step, device): whether, never what
        for step_id, device, value_json in self.journal.submissions():
            value = None if value_json is None else json.loads(value_json)
            self._submissions.setdefault(step_id, []).append(Submission(device, value))
            self._answered.add((step_id, device))

    def join(self, token: str | None = None) -> str:
        """A device joins: a random token, stored with the time it joined and nothing else."""
        if token is not None and token in self._devices:
            return token
        token = secrets.token_urlsafe(16)
        self.journal.add_device(token, self.clock.now())
        self._devices.add(token)
        return token

    async def join_async(self) -> str:
        """`join` for the phone server: committed with other phones' writes, off the event loop."""
        token = secrets.token_urlsafe(16)
        await self._group_commit.write(
            DeviceRecord(token, self.clock.now()), lambda: self._devices.add(token)
        )
        return token

    def has_device(self, token: str) -> bool:
        return token in self._devices

    @property
    def joined(self) -> int:
        return len(self._devices)

    def submit(self, token: str, step_id: str, value: Any) -> None:
        """Take one answer from a device; journaled before this returns. Raises AnswerRefused."""
        record = self._check_answer(token, step_id, value)
        self.journal.write_batch([record])
        self._answer_durable(record)

    async def submit_async(self, token: str, step_id: str, value: Any) -> None:
        """`submit` for the phone server: returns once the answer is committed (grouped with others).
        Raises AnswerRefused, or JournalError when it could not be saved."""
        record = self._check_answer(token, step_id, value)
        await self._durably(record, lambda: self._answer_durable(record))

    async def _durably(
        self, record: AnswerRecord | DeviceRecord | Event, on_durable: Callable[[], None]
    ) -> None:
        """Group-commit one phone write; a failure (disk full) shows on the facilitator's screen until a
        later write succeeds, so it recovers by itself when space returns."""
        try:
            await self._group_commit.write(record, on_durable)
        except JournalError as exc:
            if self.journal_problem != str(exc):
                self.journal_problem = str(exc)
                self._notify()
            raise
        if self.journal_problem is not None:
            self.journal_problem = None
            self._notify()

    def _check_answer(self, token: str, step_id: str, value: Any) -> AnswerRecord:
        if token not in self._devices:
            raise AnswerRefused(400, "this phone has not joined: reload the page")
        try:
            step = self.workshop.step_by_id(step_id)
        except KeyError:
            raise AnswerRefused(404, "there is no such step") from None
        private = isinstance(step, ReflectionStep | PlanStep)
        if private and self.ended:
            raise AnswerRefused(
                409, "the workshop has ended: reflections and plans can no longer be sent or changed"
            )
        if not private:
            if not isinstance(step, PollStep):
                raise AnswerRefused(409, "this step takes no answers")
            if self.current_slide.step_id != step_id or self.ended:
                raise AnswerRefused(409, "this poll is closed: answers are taken while it is on screen")
            if not self.poll_is_open(step_id):
                raise AnswerRefused(
                    409, "this poll is closed for now: the facilitator will say when it opens"
                )
        normalized = normalize_answer(step, value)
        stored = None if normalized is None else json.dumps(normalized, ensure_ascii=False)
        return AnswerRecord(step_id, token, stored, self.clock.now(), private)

    def _answer_durable(self, record: AnswerRecord) -> None:
        if record.private:
            self._private_answered.add((record.step_id, record.device))
            self._private_saves[record.device] = self._private_saves.get(record.device, 0) + 1
            return
        value = None if record.value_json is None else json.loads(record.value_json)
        self._submissions.setdefault(record.step_id, []).append(Submission(record.device, value))
        self._answered.add((record.step_id, record.device))
        self._batch_devices.add(record.device)
        self._notify_soon()

    def take_followed(
        self,
        state: SessionState,
        submissions: list[tuple[str, str, str | None]],
        devices: set[str],
        retention: tuple[float | None, float | None],
    ) -> bool:
        """For a follower (session/follow.py): what the app committed since the last look, replayed into
        this read-only copy. Nothing is written. True when anything changed."""
        changed = state is not self.state or bool(submissions) or devices != self._devices
        changed = changed or retention != self._retention
        self.state = state
        for step_id, device, value_json in submissions:
            value = None if value_json is None else json.loads(value_json)
            self._submissions.setdefault(step_id, []).append(Submission(device, value))
            self._answered.add((step_id, device))
        self._devices = devices
        self._retention = retention
        if changed:
            self._notify()
        return changed

    # --- opening polls and moderating written answers ------------------------------------------------------
    def poll_is_open(self, step_id: str) -> bool:
        """Open while on screen (unless the workshop or the facilitator says otherwise), never after the end."""
        if self.current_slide.step_id != step_id or self.ended:
            return False
        poll = self.workshop.step_by_id(step_id)
        if not isinstance(poll, PollStep):
            return False
        return self.state.poll_open.get(step_id, poll.opens_on_show)

    def toggle_poll_open(self) -> Outcome:
        """Close the poll on screen to answers, or open it again."""
        step_id = self.current_slide.step_id
        if not isinstance(self.current_step, PollStep) or step_id is None:
            return Outcome(False, "Opening and closing is for poll steps")
        return self.dispatch(ev.POLL_OPEN, step=step_id, open=not self.poll_is_open(step_id))

    def _current_texts(self, step_id: str) -> list[str]:
        """Distinct written answers as they stand now (a device that changed or passed withdrew the old
        one), in the order they arrived."""
        latest = latest_by_device(self._submissions.get(step_id, []))
        return list(dict.fromkeys(text for text in latest.values() if isinstance(text, str)))

    def moderation_queue(self, step_id: str) -> list[str]:
        """Written answers still waiting for the facilitator's decision."""
        return [text for text in self._current_texts(step_id) if (step_id, text) not in self.state.moderated]

    def approved_texts(self, step_id: str) -> list[str]:
        """Written answers the facilitator approved and that their authors still stand by."""
        return [text for text in self._current_texts(step_id) if self.state.moderated.get((step_id, text))]

    def moderate(self, step_id: str, text: str, *, approved: bool) -> Outcome:
        """Decide on the written answer the facilitator was shown, named by its text. Refused when that
        text is no longer waiting (its author changed or withdrew it, or it was decided meanwhile): a
        decision never lands on an answer nobody saw."""
        if text not in self.moderation_queue(step_id):
            return Outcome(False, "That answer was changed or withdrawn just now: here is the current one")
        return self.dispatch(ev.TEXT_MODERATE, step=step_id, text=text, approved=approved)

    def has_answered(self, token: str, step_id: str) -> bool:
        return (step_id, token) in self._private_answered or (step_id, token) in self._answered

    def device_answer(self, token: str, step_id: str) -> Any:
        """One device's own latest poll answer (None if it passed or never answered): for its takeaway."""
        latest = self._latest_cache.get(step_id)
        if latest is None:  # a reveal wakes every phone's stream: each asks for its own answer
            latest = self._latest_cache[step_id] = latest_by_device(self._submissions.get(step_id, []))
        return latest.get(token)

    def results(self, step_id: str) -> PollResults:
        """Live counts and what may be shown of a poll (nothing below its threshold). On a moderated word
        poll, only the words the facilitator has shown: this is what every view outside the presenter's
        reads (the room, the phones, the takeaways, the report)."""
        poll = self.workshop.step_by_id(step_id)
        if not isinstance(poll, PollStep):
            raise KeyError(step_id)
        cached = self._results_cache.get(step_id)
        if cached is None:  # a thousand phones' event streams ask for the same results after each batch
            raw = self._raw_results(step_id)
            if poll.type == "words" and poll.is_moderated:
                current = checked_tally(self.state, poll, raw.current)
                shown = None if raw.shown is None else checked_tally(self.state, poll, raw.shown)
                raw = replace(raw, current=current, shown=shown)
            cached = self._results_cache[step_id] = raw
        return cached

    def _raw_results(self, step_id: str) -> PollResults:
        """Every answer's counts, unchecked words included: for the presenter's word check only."""
        key = f"raw:{step_id}"
        cached = self._results_cache.get(key)
        if cached is None:
            poll = self.workshop.step_by_id(step_id)
            threshold = self.workshop.reveal_threshold(poll)
            cached = self._results_cache[key] = poll_results(
                poll, threshold, self._submissions.get(step_id, [])
            )
        return cached

    def toggle_reveal(self, step_id: str) -> Outcome:
        """Reveal a poll's results (refused below its threshold), or hide them again."""
        if step_id not in self.state.revealed:
            try:
                results = self.results(step_id)
            except KeyError:
                return Outcome(False, "Results are for poll steps")
            if not results.revealable:
                return Outcome(
                    False, f"Waiting for at least {results.threshold} answers before showing results"
                )
        return self.dispatch(ev.POLL_REVEAL, step=step_id)

    def private_answers(self, token: str) -> dict[str, Any]:
        """One device's reflections and plan, for its own takeaway only."""
        return {
            step_id: None if value is None else json.loads(value)
            for step_id, value in self.journal.private_answers(token)
        }

    # --- views for the UI --------------------------------------------------------------------------------
    def now(self) -> float:
        return self.clock.now()

    @property
    def current_slide(self) -> Slide:
        return self.slides[self.state.index]

    @property
    def current_step(self) -> Any:
        """The step model on screen, or None on the title and module-note slides."""
        slide = self.current_slide
        return None if slide.step_id is None else self._steps_by_id[slide.step_id]

    @property
    def current_module(self) -> Module | None:
        module_id = self.current_slide.module_id
        return next((m for m in self.workshop.modules if m.id == module_id), None)

    def closing_after_end(self) -> ClosingStep | None:
        """The closing step that is on screen once the session ends: the current one, or the one `end`
        brings up (None when the workshop has none)."""
        index = closing_index(self.workshop, self.slides, self.state.index)
        step = self.current_step if index is None else self.workshop.step_by_id(self.slides[index].step_id)
        return step if isinstance(step, ClosingStep) else None

    @property
    def grounding(self) -> bool:
        return self.state.grounding is not None

    @property
    def current_timer(self) -> Timer | None:
        """The grounding timer while grounding, else the current step's timer (None if it has none)."""
        if self.state.grounding is not None:
            return self.state.grounding.timer
        step_id = self.current_slide.step_id
        return None if step_id is None else self.state.timers.get(step_id)

    def _phases(self) -> tuple[Any, ...]:
        """The phases on screen: grounding's while grounding, else the step's."""
        if self.state.grounding is not None:
            return tuple(self.grounding_exercise.phases)
        return tuple(getattr(self.current_step, "phases", None) or ())

    def phase_lengths(self) -> tuple[float, ...]:
        """The phases' lengths as the timer paces them (after `+`/`-`, only what was still to come is
        stretched, see `Timer.adjust`); their own lengths when there is no timer."""
        timer = self.current_timer
        phases = self._phases()
        if timer is not None and len(timer.phases) == len(phases):
            return timer.phases
        return tuple(float(phase.duration) for phase in phases)

    def current_phase(self) -> PhaseAt | None:
        """The grounding phase while grounding, else the phase of a phased step, by its timer."""
        timer = self.current_timer
        phases = self._phases()
        if timer is None or not phases:
            return None
        return current_phase(phases, timer.elapsed(self.clock.now()), self.phase_lengths())

    def step_time(self) -> tuple[float, float] | None:
        """(spent, allowed) for what is on screen, in seconds, counted as the room's timer counts them: the
        grounding exercise's timer while it is open, a timed step's timer (its elapsed time, and its
        planned time after `+`/`-`), else the time the step has been on screen against its planned
        length. None on the title and module-note slides."""
        if self.state.grounding is not None:
            timer = self.state.grounding.timer
            return timer.elapsed(self.clock.now()), timer.planned
        step = self.current_step
        if step is None:
            return None
        timer = self.state.timers.get(step.id)
        if timer is not None:
            return timer.elapsed(self.clock.now()), timer.planned
        return self.schedule().step(step.id).actual, float(step.duration)

    def schedule(self) -> Schedule:
        return schedule(self.workshop, self.slides, self.state, self.clock.now())

    @property
    def ended(self) -> bool:
        return self.state.ended


def _replayed(journal: Journal, session_id: str) -> tuple[JournalMeta, Workshop, SessionState, list[Event]]:
    """The session's details, its frozen workshop and the state its events replay to."""
    meta = journal.meta()
    try:
        workshop = thaw(meta.workshop_source)
    except WorkshopLoadError as exc:
        raise JournalError(f"The workshop stored in session {session_id} cannot be read: {exc}") from None
    events = journal.events()
    try:
        state = replay(workshop, build_slides(workshop), events)
    except Refused as exc:
        raise JournalDamaged(
            f"The session file {journal.path} is damaged: an event cannot be replayed ({exc.reason})."
        ) from None
    return meta, workshop, state, events
