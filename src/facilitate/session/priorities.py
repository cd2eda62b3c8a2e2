"""Ranking and points polls: what a valid answer is, and what the group's answers add up to.

A ranking answer is every option's index, best first (`[2, 0, 1]`: option 3 first). A points answer is
one whole number per option, in the options' order, adding up to exactly the poll's budget. Refusals
are sentences a participant can act on: the phone shows them as they are.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


class PriorityRefused(ValueError):
    """A ranking or points answer that does not fit the poll; the message is for the participant."""


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def normalize_ranking(value: Any, option_count: int) -> list[int]:
    """Every option exactly once, best first."""
    if not isinstance(value, list) or not all(_whole(item) for item in value):
        raise PriorityRefused(f"put the {option_count} options in order, or pass")
    if len(value) != option_count:
        raise PriorityRefused(f"put all {option_count} options in order: this answer lists {len(value)}")
    if any(not 0 <= item < option_count for item in value):
        raise PriorityRefused(f"this answer names an option that is not one of the {option_count}")
    if len(set(value)) != option_count:
        raise PriorityRefused("an option is in the order twice: each option goes in once")
    return list(value)


def normalize_points(value: Any, option_count: int, budget: int) -> list[int]:
    """One whole number from 0 up per option, adding up to exactly `budget`."""
    if not isinstance(value, list) or not all(_whole(item) for item in value):
        raise PriorityRefused(f"give each option a whole number of points, adding up to {budget}, or pass")
    if len(value) != option_count:
        raise PriorityRefused(
            f"give points to each of the {option_count} options (0 is fine): this answer has {len(value)}"
        )
    if any(item < 0 for item in value):
        raise PriorityRefused("points are whole numbers from 0 up")
    total = sum(value)
    if total != budget:
        more = "to go" if total < budget else "too many"
        raise PriorityRefused(
            f"the points add up to {total}: spread exactly {budget} ({abs(budget - total)} {more})"
        )
    return list(value)


@dataclass(frozen=True)
class RankingTotals:
    average_rank: tuple[float, ...]  # per option, 1 = first; 0.0 when nobody has ranked yet
    firsts: tuple[int, ...]  # per option: how many put it first


def rank_totals(answers: Sequence[Sequence[int]], option_count: int) -> RankingTotals:
    sums = [0] * option_count
    firsts = [0] * option_count
    for answer in answers:
        for position, option in enumerate(answer):
            sums[option] += position + 1
        firsts[answer[0]] += 1
    count = len(answers)
    average = tuple(round(total / count, 2) if count else 0.0 for total in sums)
    return RankingTotals(average, tuple(firsts))


def ranking_order(totals: RankingTotals) -> list[int]:
    """Options best first: lowest average rank, then most firsts, then their order in the workshop."""
    return sorted(
        range(len(totals.average_rank)),
        key=lambda index: (totals.average_rank[index], -totals.firsts[index], index),
    )


def point_totals(answers: Sequence[Sequence[int]], option_count: int) -> tuple[int, ...]:
    totals = [0] * option_count
    for answer in answers:
        for index, points in enumerate(answer):
            totals[index] += points
    return tuple(totals)
