"""Participants' answers: what a valid answer is for each step, and what the group's results may show.

Pure functions, no I/O. Answers are anonymous: a device is a random token and nothing else. Results are
never available while fewer than the poll's threshold have answered, and once shown they change only in
steps of several submissions at once, so nobody can read one late answer off a change in the chart.
"""

from __future__ import annotations

import statistics
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from facilitate.session.priorities import (
    PriorityRefused,
    normalize_points,
    normalize_ranking,
    point_totals,
    rank_totals,
)
from facilitate.workshop.models import PlanStep, PollStep, ReflectionStep

MAX_WORDS = 3
MAX_WORD_LENGTH = 30
MAX_TEXT_LENGTH = 500
MAX_REFLECTION_LENGTH = 2000
MAX_PLAN_PART_LENGTH = 300
MIN_DISPLAY_STEP = 3


class AnswerRefused(Exception):
    """An answer that cannot be taken; `status` is the HTTP status the server replies with."""

    def __init__(self, status: int, message: str) -> None:
        self.status = status
        self.message = message
        super().__init__(message)


# Format characters that are part of writing, not tricks: the zero-width joiner and non-joiner, which
# Persian and other scripts need inside words, and which join emoji (👩‍👩‍👧, 🏳️‍🌈). Other format
# characters (bidirectional overrides, invisible separators) are dropped.
_WRITING_FORMAT_CHARS = {"\u200c", "\u200d"}


def _clean(text: str) -> str:
    """Drop control characters (keeping line breaks) and trim; everything else stays as typed."""
    kept = (
        ch
        for ch in text
        if ch == "\n"
        or ch in _WRITING_FORMAT_CHARS
        or unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co")
    )
    return "".join(kept).strip()


# Characters that draw nothing although Unicode files them as letters or symbols: Hangul fillers, the
# blank Braille pattern, Khmer inherent vowels, the Mongolian vowel separator. Made only of these (and
# spaces, joiners, variation selectors), an answer is blank: it would count as an answer and show as none.
_INVISIBLE = frozenset("\u115f\u1160\u3164\uffa0\u2800\u17b4\u17b5\u180e\u034f")
# Line breaks kept in one written answer: more would push the rest of the screen away.
MAX_TEXT_LINES = 6
MAX_REFLECTION_LINES = 30


def is_blank(text: str) -> bool:
    """Whether `text` shows nothing: only spaces, invisible or formatting characters, or marks with
    nothing to sit on."""
    return not any(ch not in _INVISIBLE and unicodedata.category(ch)[0] in "LNPS" for ch in text)


def _limit_lines(text: str, max_lines: int) -> str:
    """At most one empty line in a row and at most `max_lines` lines; the rest joins the last line."""
    lines: list[str] = []
    for line in (line.rstrip() for line in text.split("\n")):
        if line or (lines and lines[-1]):
            lines.append(line)
    if len(lines) > max_lines:
        lines[max_lines - 1 :] = [" ".join(line.strip() for line in lines[max_lines - 1 :] if line.strip())]
    return "\n".join(lines).strip()


def _text(value: Any, limit: int, what: str, max_lines: int = MAX_TEXT_LINES) -> str:
    if not isinstance(value, str):
        raise AnswerRefused(422, f"{what} should be text")
    cleaned = _limit_lines(_clean(value), max_lines)
    if not cleaned or is_blank(cleaned):
        raise AnswerRefused(422, f"{what} is empty: write something, or pass")
    if len(cleaned) > limit:
        raise AnswerRefused(422, f"{what} is {len(cleaned)} characters long; the limit is {limit}")
    return cleaned


def _index(value: Any, options: Sequence[str]) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < len(options):
        raise AnswerRefused(422, f"choose one of the {len(options)} options")
    return value


def normalize_answer(step: Any, value: Any) -> Any:
    """The answer as it is stored, or AnswerRefused(422). `None` always means "pass"."""
    if value is None:
        return None
    if isinstance(step, ReflectionStep):
        return _text(value, MAX_REFLECTION_LENGTH, "The reflection", MAX_REFLECTION_LINES)
    if isinstance(step, PlanStep):
        if not isinstance(value, dict) or set(value) != {"if", "then"}:
            raise AnswerRefused(422, 'a plan is {"if": "…", "then": "…"}')
        return {
            part: _text(value[part], MAX_PLAN_PART_LENGTH, f"The “{part}” part") for part in ("if", "then")
        }
    if not isinstance(step, PollStep):
        raise AnswerRefused(409, "this step takes no answers")
    if step.type == "single":
        return _index(value, step.options or [])
    if step.type == "multiple":
        if not isinstance(value, list) or not value:
            raise AnswerRefused(422, "choose at least one option, or pass")
        chosen = [_index(item, step.options or []) for item in value]
        if len(set(chosen)) != len(chosen):
            raise AnswerRefused(422, "an option is chosen twice")
        if len(chosen) > step.choice_limit():
            raise AnswerRefused(422, f"choose up to {step.choice_limit()} options")
        return sorted(chosen)
    if step.type == "scale":
        scale = step.effective_scale
        if isinstance(value, bool) or not isinstance(value, int) or not scale.min <= value <= scale.max:
            raise AnswerRefused(422, f"choose a whole number from {scale.min} to {scale.max}")
        return value
    if step.type in ("ranking", "points"):
        options = len(step.options or [])
        try:
            if step.type == "ranking":
                return normalize_ranking(value, options)
            return normalize_points(value, options, step.point_budget)
        except PriorityRefused as exc:
            raise AnswerRefused(422, str(exc)) from None
    if step.type == "words":
        if not isinstance(value, list) or not 1 <= len(value) <= MAX_WORDS:
            raise AnswerRefused(422, f"give one to {MAX_WORDS} words, or pass")
        # A word is one line: a line break in it could draw lines of its own on the projector.
        return [" ".join(_text(word, MAX_WORD_LENGTH, "A word").split()) for word in value]
    return _text(value, MAX_TEXT_LENGTH, "The answer")  # text


@dataclass(frozen=True)
class Submission:
    """One answer as it arrived (a device may answer again: the latest counts)."""

    device: str
    value: Any  # normalized; None = pass


@dataclass(frozen=True)
class Tally:
    """What the group answered, in aggregate only."""

    answered: int
    passed: int
    # single/multiple: per option; scale: per point from min to max; ranking: per option, how many put it
    # first; points: per option, the points it got
    counts: tuple[int, ...] = ()
    average_rank: tuple[float, ...] = ()  # ranking: per option, 1 = first
    median: float | None = None  # scale
    words: tuple[tuple[str, int], ...] = ()  # most frequent first
    texts: tuple[str, ...] = ()  # text polls; shown only after the facilitator approves them


@dataclass(frozen=True)
class PollResults:
    """What the screen and the phones may show of a poll right now."""

    threshold: int
    current: Tally  # live counts, for the facilitator's "14 answered"
    shown: Tally | None = None  # None while below the threshold
    waiting_for: int = 0  # answers still needed before anything is shown
    pending: int = field(default=0)  # submissions not yet in `shown` (fewer than a display step)

    @property
    def revealable(self) -> bool:
        return self.shown is not None


def latest_by_device(submissions: Sequence[Submission]) -> dict[str, Any]:
    latest: dict[str, Any] = {}
    for submission in submissions:
        latest.pop(submission.device, None)  # keep arrival order of the latest answers
        latest[submission.device] = submission.value
    return latest


def tally(poll: PollStep, submissions: Sequence[Submission]) -> Tally:
    values = list(latest_by_device(submissions).values())
    answers = [value for value in values if value is not None]
    passed = len(values) - len(answers)
    if poll.type in ("single", "multiple"):
        counts = [0] * len(poll.options or [])
        for answer in answers:
            for index in [answer] if poll.type == "single" else answer:
                counts[index] += 1
        return Tally(len(answers), passed, counts=tuple(counts))
    if poll.type == "ranking":
        ranks = rank_totals(answers, len(poll.options or []))
        return Tally(len(answers), passed, counts=ranks.firsts, average_rank=ranks.average_rank)
    if poll.type == "points":
        return Tally(len(answers), passed, counts=point_totals(answers, len(poll.options or [])))
    if poll.type == "scale":
        scale = poll.effective_scale
        counts = [0] * (scale.max - scale.min + 1)
        for answer in answers:
            counts[answer - scale.min] += 1
        median = float(statistics.median(answers)) if answers else None
        return Tally(len(answers), passed, counts=tuple(counts), median=median)
    if poll.type == "words":
        keys: Counter[str] = Counter()  # insertion order: the order words were first given
        spellings: dict[str, Counter[str]] = {}
        for answer in answers:
            for word in answer:
                key = " ".join(word.casefold().split())
                keys[key] += 1
                spellings.setdefault(key, Counter())[word] += 1
        # Most frequent first; ties in the order they were first given, not by character code (which put
        # punctuation first and Arabic or Hebrew words last, off the end of a shortened list).
        first_given = {key: position for position, key in enumerate(keys)}
        ranked = sorted(keys.items(), key=lambda item: (-item[1], first_given[item[0]]))
        words = tuple((spellings[key].most_common(1)[0][0], count) for key, count in ranked)
        return Tally(len(answers), passed, words=words)
    return Tally(len(answers), passed, texts=tuple(answers))


def percent(count: int, total: int) -> int:
    """`count` as a whole percent of `total`, halves rounded up: the same figure on the screen, on the
    phones (JavaScript's Math.round) and in the PDFs. For multiple-choice and word polls `total` is the
    people who answered, not the choices they made, so those percentages can add up to more than 100."""
    return int(100 * count / total + 0.5) if total > 0 else 0


def display_step(threshold: int) -> int:
    """How many submissions make the shown results move at once: never one at a time, unless the
    workshop set the threshold to 0 (it has chosen to show answers as they come)."""
    return 1 if threshold == 0 else max(MIN_DISPLAY_STEP, threshold)


def settled_length(threshold: int, submissions: Sequence[Submission]) -> int:
    """How many of the submissions (in arrival order) the shown results are drawn from.

    The first checkpoint is the moment enough different devices had an answer in (not a pass): the
    results can be shown as soon as the live count reaches the threshold, however many changes of mind
    came before. After it, the checkpoint moves only when the number of different devices that answered
    (or passed) has grown by a whole display step; changed answers and withdrawals wait for such a step
    and are applied with it. So one late answer never moves the chart alone, and neither does one
    phone changing its answer again and again (each change used to count as a submission). A pure
    function of the list, so the same after a resume.
    """
    if threshold == 0:  # the workshop chose to show answers as they come
        return len(submissions)
    step = display_step(threshold)
    answering: set[str] = set()
    seen: set[str] = set()
    checkpoint = 0
    seen_at_checkpoint = 0
    for position, submission in enumerate(submissions, start=1):
        seen.add(submission.device)
        if checkpoint:
            if len(seen) - seen_at_checkpoint >= step:
                checkpoint, seen_at_checkpoint = position, len(seen)
            continue
        if submission.value is None:
            answering.discard(submission.device)
        else:
            answering.add(submission.device)
        if len(answering) >= threshold:
            checkpoint, seen_at_checkpoint = position, len(seen)
    return checkpoint


def settled(threshold: int, submissions: Sequence[Submission]) -> Sequence[Submission]:
    """The submissions the shown results (and approved written answers) are drawn from."""
    return submissions[: settled_length(threshold, submissions)]


def poll_results(poll: PollStep, threshold: int, submissions: Sequence[Submission]) -> PollResults:
    """Live counts always; shown results only at or above the threshold, and moving only in whole steps
    (see `settled_length`)."""
    current = tally(poll, submissions)
    settled = settled_length(threshold, submissions)
    waiting = max(0, threshold - current.answered)
    pending = len(submissions) - settled
    if settled == 0:
        return PollResults(threshold, current, None, waiting, pending)
    shown = tally(poll, submissions[:settled])
    if shown.answered < threshold:  # enough passed or withdrew since the checkpoint
        return PollResults(threshold, current, None, waiting, pending)
    return PollResults(threshold, current, shown, 0, pending)
