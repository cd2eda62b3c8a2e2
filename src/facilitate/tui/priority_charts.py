"""Ranking and points results as text: the same lines on the presenter's and the room's screen.

Everything is printed in words and numbers (rank, how many put an option first, points, share), so
nothing depends on the bars or on colour.
"""

from __future__ import annotations

from facilitate.session.answers import Tally, percent
from facilitate.session.priorities import RankingTotals, ranking_order
from facilitate.workshop.models import PollStep


def _cut(label: str, width: int) -> str:
    return label if len(label) <= width else label[: width - 1] + "…"


def how_to_answer(poll: PollStep) -> str:
    """The line under a ranking or points question on the screen."""
    if poll.type == "ranking":
        return "On your phone, put these in order: the first is the one that matters most to you."
    return f"On your phone, spread {poll.point_budget} points over these as you like."


def ranking_lines(poll: PollStep, shown: Tally, width: int = 20) -> str:
    """Options best first by average rank, with how many put each first."""
    options = list(poll.options or [])
    totals = RankingTotals(shown.average_rank, shown.counts)
    label_width = min(28, max(len(option) for option in options))
    best = len(options)
    lines = []
    for place, index in enumerate(ranking_order(totals), start=1):
        average = shown.average_rank[index]
        # a shorter average rank is better: the bar is full at rank 1, empty at the last rank
        filled = round((best - average) / (best - 1) * width) if best > 1 and shown.answered else 0
        firsts = shown.counts[index]
        lines.append(
            f"{place}. {_cut(options[index], label_width):<{label_width}}  {'█' * filled}{'░' * (width - filled)}"
            f"  average rank {average:.1f} · first for {firsts}"
        )
    lines.append(f"{shown.answered} rankings in the chart")
    return "\n".join(lines)


def points_lines(poll: PollStep, shown: Tally, width: int = 20) -> str:
    """Each option's points and share of all points given, most first."""
    options = list(poll.options or [])
    total = sum(shown.counts)
    label_width = min(28, max(len(option) for option in options))
    order = sorted(range(len(options)), key=lambda index: (-shown.counts[index], index))
    lines = []
    for index in order:
        points = shown.counts[index]
        filled = round(points / total * width) if total else 0
        lines.append(
            f"{_cut(options[index], label_width):<{label_width}}  {'█' * filled}{'░' * (width - filled)}"
            f"  {points:>5} points  {percent(points, total):>3}%"
        )
    lines.append(f"{shown.answered} people spread {total} points")
    return "\n".join(lines)
