"""A show of hands, typed in by the facilitator: what it counts, and what no room could have raised.

A show of hands is counted by eye in one room: more hands than that is a typing slip (46321 for one
option), not a room. Each person raises one hand on a single-choice or scale poll, so there the counts
together are bounded; on a multiple-choice poll, each option's count is. The bound is the room's size
when the facilitator gave it (`--room-size`, or on the join screen), never more than a ceiling no room
counted by eye reaches. The reducer holds every count to the ceiling (the room's size is not in the
journal); the app checks the room's size before it saves.
"""

from __future__ import annotations

from collections.abc import Sequence

from facilitate.workshop.models import PollStep

HAND_COUNT_CEILING = 500


def hand_count_labels(poll: PollStep) -> list[str] | None:
    """What a show of hands counts for a poll: its options, or each point of its scale; None for free text."""
    if poll.type in ("single", "multiple"):
        return list(poll.options or [])
    scale = poll.effective_scale
    if poll.type == "scale" and scale is not None:
        return [str(point) for point in range(scale.min, scale.max + 1)]
    return None


def hand_count_limit(room_size: int | None = None) -> int:
    """The most hands one count may hold: the room's size when known, never above the ceiling."""
    return HAND_COUNT_CEILING if not room_size or room_size < 1 else min(room_size, HAND_COUNT_CEILING)


def _why(room_size: int | None) -> str:
    if hand_count_limit(room_size) < HAND_COUNT_CEILING:
        return f"the room has {room_size} people"
    return "a show of hands counts the people in one room"


def hand_count_rule(poll: PollStep, joined: int = 0, room_size: int | None = None) -> str:
    """The bound on a show of hands, in words for the dialog (with the phones joined, for a sense of the
    room's size)."""
    limit = hand_count_limit(room_size)
    room = f" · room of {room_size}" if limit < HAND_COUNT_CEILING else ""
    phones = f" · {joined} phones joined" if joined else ""
    if poll.type == "multiple":
        return f"Up to {limit} hands per option (people may raise a hand for several){room}{phones}"
    return f"Up to {limit} hands in all: one per person{room}{phones}"


def hand_count_problem(poll: PollStep, counts: Sequence[int], room_size: int | None = None) -> str | None:
    """Why these counts cannot be from a show of hands in this room, or None when they can."""
    limit = hand_count_limit(room_size)
    if poll.type == "multiple":
        if any(count > limit for count in counts):
            return f"At most {limit} hands for one option: {_why(room_size)}"
    elif sum(counts) > limit:
        return (
            f"At most {limit} hands in all: each person raises one hand, and {_why(room_size)} "
            f"(these add up to {sum(counts)})"
        )
    return None
