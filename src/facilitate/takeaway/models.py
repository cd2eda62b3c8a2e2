"""Plain data in: what a takeaway shows of the group's results and of one device's own answers.

The session fills these in; the renderers take nothing else from it. Group results are totals only, and a
summary below its threshold is never drawn, whoever passes it in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, NamedTuple

PollType = Literal["single", "multiple", "scale", "words", "text", "ranking", "points"]


@dataclass(frozen=True)
class PollSummary:
    """The group's anonymous result for one poll, as shown in the room.

    `total` counts the people who answered (not those who passed). Which fields are used depends on
    `type`: `options` for single/multiple, `distribution` (value -> count) and `median` for scale, `words`
    for words (most frequent first), `texts` for text (only the answers the facilitator approved).
    """

    step_id: str
    question: str
    type: PollType
    total: int
    threshold: int  # answers needed before anything may be shown; below it the summary is left out
    passes: int = 0
    options: list[tuple[str, int]] = field(default_factory=list)
    distribution: dict[int, int] = field(default_factory=dict)
    median: float | None = None
    scale_min: int = 0
    scale_max: int = 10
    min_label: str | None = None
    max_label: str | None = None
    words: list[tuple[str, int]] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    # ranking: (option, average rank, how many put it first), best first; points use `options` (totals)
    ranks: list[tuple[str, float, int]] = field(default_factory=list)


class PlanAnswer(NamedTuple):
    """An if-then plan: "When <if_text>, I will <then_text>", with the workshop's own labels."""

    if_label: str
    if_text: str
    then_label: str
    then_text: str


class ConfidenceAnswer(NamedTuple):
    """One device's answers to a before/after pair of scale polls (`compare_with`)."""

    before: int
    after: int
    scale_min: int = 0
    scale_max: int = 10


@dataclass(frozen=True)
class PersonalAnswers:
    """One device's private answers, for its own takeaway only.

    `reflections` are (prompt, text) pairs in workshop order; passed or blank ones are left out by the
    caller or skipped here.
    """

    reflections: list[tuple[str, str]] = field(default_factory=list)
    plan: PlanAnswer | tuple[str, str, str, str] | None = None
    confidence: ConfidenceAnswer | tuple[int, int, int, int] | None = None
    # The session's reflections and plans were deleted, as promised, before this download: said in the
    # PDF, so nobody wonders where their words went.
    private_deleted: bool = False

    def is_empty(self) -> bool:
        has_reflection = any(text and text.strip() for _, text in self.reflections)
        plan = self.plan
        has_plan = plan is not None and bool((plan[1] or "").strip() or (plan[3] or "").strip())
        return not (has_reflection or has_plan or self.confidence is not None)
