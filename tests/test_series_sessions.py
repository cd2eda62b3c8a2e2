"""Each session of the series run end to end at the session level: every poll takes the answers its type
expects (ranking, points, checked words, scales), results and the report add up, the takeaway holds the
home practices and the person's own plan, and nothing private reaches the report."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from facilitate.session.clock import FakeClock
from facilitate.session.report import build_report, render_text
from facilitate.session.session import Session
from facilitate.takeaway import render_takeaway
from facilitate.takeaway.collect import group_results, personal_answers
from facilitate.workshop.models import PlanStep, PollStep, ReflectionStep
from facilitate.workshop.registry import open_workshop

SERIES = ("self-efficacy", "small-wins-and-models", "voice-values-self-trust")
PEOPLE = 6


def answer_for(poll: PollStep, person: int):
    """A valid answer of the poll's type, different for each person."""
    count = len(poll.options or [])
    if poll.type == "scale":
        scale = poll.effective_scale
        return scale.min + person % (scale.max - scale.min + 1)
    if poll.type == "single":
        return person % count
    if poll.type == "ranking":
        order = list(range(count))
        return order[person % count :] + order[: person % count]
    if poll.type == "points":
        points = [0] * count
        points[person % count] = poll.point_budget - 1
        points[(person + 1) % count] += 1
        return points
    if poll.type == "words":
        return [("steady", "walks", "friends")[person % 3]]
    raise AssertionError(f"the series has no {poll.type} poll")


@pytest.mark.parametrize("name", SERIES)
def test_a_session_of_the_series_runs_end_to_end(tmp_path: Path, name: str) -> None:
    session = Session.start_loaded(open_workshop(name), data_dir=tmp_path, clock=FakeClock())
    phones = [session.join() for _ in range(PEOPLE)]
    for _, step in session.workshop.steps():
        session.jump(step.id)
        if isinstance(step, PollStep):
            for person, phone in enumerate(phones):
                session.submit(phone, step.id, answer_for(step, person))
            if step.type == "words":  # checked words: nothing reaches the room until shown
                assert not session.results(step.id).current.words
                keys = [word.key for word in session.words_to_check(step.id)]
                session.check_words(step.id, keys, shown=True)
            results = session.results(step.id)
            assert results.current.answered == PEOPLE
            assert session.toggle_reveal(step.id).ok
        elif isinstance(step, ReflectionStep):
            session.submit(phones[0], step.id, "a private note that stays private")
        elif isinstance(step, PlanStep):
            session.submit(phones[0], step.id, {"if": "I feel too tired", "then": "I do two minutes"})

    report = render_text(build_report(session))
    assert "a private note that stays private" not in report and "I do two minutes" not in report
    for _, step in session.workshop.steps():
        if isinstance(step, PollStep):
            assert f"{PEOPLE} answered" in report

    pdf = render_takeaway(
        session.workshop, results=group_results(session), personal=personal_answers(session, phones[0])
    )
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "I do two minutes" in text and "To try at home" in text and "5-4-3-2-1" in text
    assert "988 Suicide & Crisis Lifeline" in text
    # Ranking and points results reach the takeaway too, in words: place and shares, not bars alone.
    for _, step in session.workshop.steps():
        if isinstance(step, PollStep) and step.type == "ranking":
            assert "1. " in text and ": average place" in text
        if isinstance(step, PollStep) and step.type == "points":
            [shown] = [summary for summary in group_results(session) if summary.step_id == step.id]
            spent = sum(count for _, count in shown.options)  # as revealed: in steps of several answers
            assert spent == shown.total * step.point_budget and f"{spent} points in all" in text
    other = " ".join(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(render_takeaway(
            session.workshop, results=group_results(session), personal=personal_answers(session, phones[1])
        ))).pages).split()
    )  # fmt: skip
    assert "I do two minutes" not in other and "a private note" not in other
    session.close()
