"""Snapshots of every screen the room can see. Update only after looking at the report:
`pytest tests/tui/test_snapshots.py --snapshot-update`, then open snapshot_report.html."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from facilitate.session.session import Session
from facilitate.tui.app import make_app

KINDS = ["content", "activity", "poll", "reflection", "grounding", "break", "plan", "closing"]
SIZES = [(100, 30), (80, 24)]


def _slide_for(session: Session, target: str) -> None:
    if target == "title":
        return
    if target == "module_note":
        index = next(i for i, slide in enumerate(session.slides) if slide.kind == "module_note")
        while session.state.index < index:
            session.next()
        return
    session.jump(next(step.id for _, step in session.workshop.steps() if step.kind == target))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("projector", [False, True], ids=["normal", "projector"])
@pytest.mark.parametrize("target", ["title", "module_note", *KINDS])
def test_every_slide_kind(
    snap_compare, start_session: Callable[..., Session], target: str, projector: bool, size: tuple[int, int]
) -> None:
    """The slide for `target` in the check-in workshop, as the room sees it: large title, the step's
    text shown as written, a countdown with its state in words for timed steps. Normal mode adds the
    facilitator's status line (module, step n/N, minutes, schedule) and the key footer; projector mode
    shows nothing but the slide."""
    session = start_session("check-in")
    _slide_for(session, target)
    assert snap_compare(make_app(session, projector=projector), terminal_size=size)


def test_grounding_overlay(snap_compare, start_session: Callable[..., Session]) -> None:
    """`g` on a step: the grounding exercise with its current phase boxed, the next phase below, and
    the countdown; the status line says Escape returns to the step."""
    session = start_session("check-in")
    _slide_for(session, "poll")
    assert snap_compare(make_app(session), press=["g"], terminal_size=(100, 30))


def test_hand_count_results(snap_compare, start_session: Callable[..., Session]) -> None:
    """A single-choice poll with hand counts: text bars with counts and percentages under the options."""
    session = start_session("check-in")
    poll = next(step for _, step in session.workshop.steps() if step.kind == "poll" and step.type == "single")
    session.jump(poll.id)
    session.dispatch("hand_count", step=poll.id, counts=list(range(3, 3 + len(poll.options))))
    assert snap_compare(make_app(session), terminal_size=(100, 30))


def test_agenda_and_help(snap_compare, start_session: Callable[..., Session]) -> None:
    """The agenda overlay: planned against actual per module and step, the current step marked ▶."""
    session = start_session("check-in")
    session.next()
    session.next()
    assert snap_compare(make_app(session), press=["a"], terminal_size=(100, 30))


def test_help_overlay(snap_compare, start_session: Callable[..., Session]) -> None:
    """The help overlay lists every key with its description, read from the bindings."""
    assert snap_compare(make_app(start_session("check-in")), press=["question_mark"], terminal_size=(100, 30))


def _revealed_scale(session: Session) -> None:
    poll = next(
        s
        for _, s in session.workshop.steps()
        if s.kind == "poll" and s.type == "scale" and not s.compare_with
    )
    session.jump(poll.id)
    for index in range(12):
        session.submit(session.join(), poll.id, index % 11)
    session.toggle_reveal(poll.id)


@pytest.mark.parametrize("projector", [False, True], ids=["normal", "projector"])
def test_revealed_scale_at_80x24(
    snap_compare, start_session: Callable[..., Session], projector: bool
) -> None:
    """A revealed 0-10 scale at 80x24: the question, a compact column chart (every point with its count
    above and the point below) and the median on one line, all on screen above a one-line timer."""
    session = start_session("self-efficacy")
    _revealed_scale(session)
    assert snap_compare(make_app(session, projector=projector), terminal_size=(80, 24))


def test_help_at_80x24(snap_compare, start_session: Callable[..., Session]) -> None:
    """The help at 80x24: the title at the top, the keys scrolling (a scrollbar at the right) and
    "Escape closes this help" always at the bottom; "]" and "[" as keys, never their names."""
    assert snap_compare(make_app(start_session("check-in")), press=["question_mark"], terminal_size=(80, 24))


def test_hand_count_at_80x24(snap_compare, start_session: Callable[..., Session]) -> None:
    """A show of hands for an 11-point scale at 80x24: one line per point, and the line "Tab moves
    between boxes · Enter saves · Escape cancels" at the bottom of the dialog."""
    session = start_session("self-efficacy")
    session.jump(next(s.id for _, s in session.workshop.steps() if s.kind == "poll" and s.type == "scale"))
    assert snap_compare(make_app(session), press=["h"], terminal_size=(80, 24))


def test_agenda_at_80x24(snap_compare, start_session: Callable[..., Session]) -> None:
    """The agenda at 80x24: every column in view (long titles end in "…"), a Δ on the Opening module's
    row as on its steps', and the current step marked ▶."""
    session = start_session("self-efficacy")
    session.next()
    session.clock.advance(400)
    session.next()
    session.next()
    assert snap_compare(make_app(session), press=["a"], terminal_size=(80, 24))
