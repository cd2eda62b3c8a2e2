"""What the session looks like at one moment: immutable, produced only by the reducer in `machine`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from facilitate.session.timer import Timer


@dataclass(frozen=True)
class Visit:
    """A stretch of time during which slide `index` was on screen; `left_at` is None while it still is."""

    index: int
    entered_at: float
    left_at: float | None = None


@dataclass(frozen=True)
class Gap:
    """The app was down from `start` to `end`: this time counts nowhere."""

    start: float
    end: float


@dataclass(frozen=True)
class GroundingState:
    """The grounding exercise is on top of slide `state.index`.

    `step_id` is the timed step it interrupted (its timer sits paused in `state.timers`), and
    `step_was_running` says whether to resume that timer when grounding ends.
    """

    entered_at: float
    step_id: str | None
    step_was_running: bool
    timer: Timer


@dataclass(frozen=True)
class Question:
    """An anonymous question from a phone: its text and the facilitator's decisions, never who asked."""

    id: str
    text: str
    asked_at: float
    approved: bool | None = None  # None: waiting for the facilitator
    decided_at: float | None = None
    answered: bool = False


@dataclass(frozen=True)
class PauseRequest:
    """Someone would like a pause: when, and during which module. Nothing about who."""

    at: float
    module_id: str | None


def _frozen(timers: Mapping[str, Timer]) -> Mapping[str, Timer]:
    return MappingProxyType(dict(timers))


@dataclass(frozen=True)
class SessionState:
    index: int = 0
    timers: Mapping[str, Timer] = field(default_factory=lambda: _frozen({}))
    grounding: GroundingState | None = None
    blanked: bool = False
    started_at: float | None = None
    ended_at: float | None = None
    visits: tuple[Visit, ...] = ()
    gaps: tuple[Gap, ...] = ()
    last_event_at: float | None = None
    # Counts the facilitator typed from a show of hands, per poll step (one count per option or point).
    hand_counts: Mapping[str, tuple[int, ...]] = field(default_factory=lambda: MappingProxyType({}))
    # Polls whose results the facilitator has revealed (never below their threshold: Session checks).
    revealed: frozenset[str] = frozenset()
    # Polls the facilitator opened or closed by hand (otherwise a poll is open while on screen, unless the
    # workshop says `opens_on_show: false`).
    poll_open: Mapping[str, bool] = field(default_factory=lambda: MappingProxyType({}))
    # Written answers the facilitator has decided on: (step id, text) -> approved.
    moderated: Mapping[tuple[str, str], bool] = field(default_factory=lambda: MappingProxyType({}))
    # The room's screen: the join screen, and per text poll which approved answer is on screen.
    join_shown: bool = False
    text_shown: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    # Words of moderated word polls the facilitator has checked: (step id, word key) -> shown (or hidden).
    word_checks: Mapping[tuple[str, str], bool] = field(default_factory=lambda: MappingProxyType({}))
    questions: tuple[Question, ...] = ()
    # Per question id, the voter keys of the phones that upvote it (a key is per question: unlinkable).
    question_votes: Mapping[str, frozenset[str]] = field(default_factory=lambda: MappingProxyType({}))
    # What the room's screen shows of the approved questions: "off", "one" (the question whose id is
    # `question_on_screen`) or "list".
    questions_shown: str = "off"
    question_on_screen: str | None = None
    pauses: tuple[PauseRequest, ...] = ()

    def __post_init__(self) -> None:
        if not isinstance(self.timers, MappingProxyType):
            object.__setattr__(self, "timers", _frozen(self.timers))
        if not isinstance(self.hand_counts, MappingProxyType):
            object.__setattr__(self, "hand_counts", MappingProxyType(dict(self.hand_counts)))
        for name in ("poll_open", "moderated", "word_checks", "question_votes", "text_shown"):
            value = getattr(self, name)
            if not isinstance(value, MappingProxyType):
                object.__setattr__(self, name, MappingProxyType(dict(value)))

    @property
    def started(self) -> bool:
        return self.started_at is not None

    @property
    def ended(self) -> bool:
        return self.ended_at is not None
