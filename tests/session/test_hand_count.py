"""Hand counts from a show of hands: journaled, validated, restored on resume."""

from __future__ import annotations

from pathlib import Path

from facilitate.session.clock import FakeClock
from facilitate.session.session import Session
from facilitate.workshop.registry import open_workshop


def start(tmp_path: Path) -> Session:
    loaded = open_workshop("check-in")
    return Session.start(
        loaded.workshop,
        data_dir=tmp_path,
        clock=FakeClock(),
        source_text=loaded.source,
        source_path=loaded.path,
    )


def poll_of(session: Session, poll_type: str):
    return next(s for _, s in session.workshop.steps() if s.kind == "poll" and s.type == poll_type)


def test_counts_are_kept_and_survive_resume(tmp_path: Path) -> None:
    session = start(tmp_path)
    poll = poll_of(session, "single")
    counts = [3] * len(poll.options)
    assert session.dispatch("hand_count", step=poll.id, counts=counts).ok
    assert session.state.hand_counts[poll.id] == tuple(counts)
    session.close()
    resumed = Session.resume(tmp_path, session.id, clock=FakeClock(1_764_000_100.0))
    assert resumed.state.hand_counts[poll.id] == tuple(counts)


def test_scale_polls_count_each_point(tmp_path: Path) -> None:
    session = start(tmp_path)
    poll = poll_of(session, "scale")
    points = poll.effective_scale.max - poll.effective_scale.min + 1
    assert session.dispatch("hand_count", step=poll.id, counts=[1] * points).ok


def test_bad_counts_are_refused_with_a_reason(tmp_path: Path) -> None:
    session = start(tmp_path)
    poll = poll_of(session, "single")
    wrong_length = session.dispatch("hand_count", step=poll.id, counts=[1])
    assert not wrong_length.ok and "one count for each" in wrong_length.reason
    negative = session.dispatch("hand_count", step=poll.id, counts=[-1] * len(poll.options))
    assert not negative.ok and "whole numbers" in negative.reason
    words = session.dispatch("hand_count", step=poll_of(session, "words").id, counts=[1])
    assert not words.ok and "no options" in words.reason
    not_poll = session.dispatch("hand_count", step="nope", counts=[1])
    assert not not_poll.ok and "poll steps" in not_poll.reason
    assert dict(session.state.hand_counts) == {}


def test_counts_are_bounded_by_one_room_and_say_why(tmp_path: Path) -> None:
    """46321 hands for one option is a typing slip, not a room."""
    session = start(tmp_path)
    single = poll_of(session, "single")
    others = [0] * (len(single.options) - 1)
    slip = session.dispatch("hand_count", step=single.id, counts=[46321, *others])
    assert not slip.ok and slip.reason.startswith("At most 500 hands in all: each person raises one hand")
    too_many = session.dispatch("hand_count", step=single.id, counts=[300, 201, *others[1:]])
    assert not too_many.ok and "add up to 501" in too_many.reason
    assert session.dispatch("hand_count", step=single.id, counts=[300, 200, *others[1:]]).ok
    multiple = poll_of(session, "multiple")
    per_option = [400] * len(multiple.options)  # people may raise a hand for several options
    assert session.dispatch("hand_count", step=multiple.id, counts=per_option).ok
    one_slip = session.dispatch("hand_count", step=multiple.id, counts=[501, *per_option[1:]])
    assert not one_slip.ok and "At most 500 hands for one option" in one_slip.reason


def test_the_rooms_size_bounds_a_show_of_hands_when_the_facilitator_gave_it(tmp_path: Path) -> None:
    from facilitate.session.hand_counts import hand_count_problem, hand_count_rule

    session = start(tmp_path)
    single, multiple = poll_of(session, "single"), poll_of(session, "multiple")
    others = [0] * (len(single.options) - 2)
    assert hand_count_problem(single, [10, 10, *others], room_size=24) is None
    too_many = hand_count_problem(single, [20, 5, *others], room_size=24)
    assert (
        too_many
        == "At most 24 hands in all: each person raises one hand, and the room has 24 people (these add up to 25)"
    )
    assert hand_count_problem(multiple, [24] * len(multiple.options), room_size=24) is None
    assert hand_count_problem(multiple, [25, *[0] * (len(multiple.options) - 1)], room_size=24) == (
        "At most 24 hands for one option: the room has 24 people"
    )
    assert (
        hand_count_rule(single, 18, 24)
        == "Up to 24 hands in all: one per person · room of 24 · 18 phones joined"
    )
    assert hand_count_problem(single, [600, *[0] * (len(single.options) - 1)], room_size=2000).startswith(
        "At most 500 hands in all"  # a hall: still no more than anyone counts by eye
    )
