"""Ranking and points results in the takeaway, and a hidden word nowhere in it."""

from __future__ import annotations

from pathlib import Path

from facilitate.session.clock import FakeClock
from facilitate.session.session import Session
from facilitate.takeaway.collect import group_results
from facilitate.takeaway.takeaway import render_takeaway
from facilitate.workshop.loader import parse_workshop
from facilitate.workshop.starter import starter_text
from tests.takeaway.test_documents import text_of

HIDDEN = "Morgan Reyes"


def test_ranking_points_and_only_shown_words_in_the_takeaway(tmp_path: Path) -> None:
    source = starter_text(Path("take-part.yaml")).replace("reveal_min: 5", "reveal_min: 3")
    session = Session.start(
        parse_workshop(source),
        data_dir=tmp_path,
        clock=FakeClock(1000.0),
        source_text=source,
        source_path=None,
    )
    phones = [session.join() for _ in range(3)]
    answers = {
        "what-first": ([1, 0, 2], [1, 2, 0], [0, 1, 2]),
        "where-energy": ([50, 50, 0], [100, 0, 0], [20, 30, 50]),
        "in-the-way": (["fear"], ["fear", HIDDEN], ["unchecked"]),
    }
    for step_id, values in answers.items():
        session.jump(step_id)
        for phone, value in zip(phones, values, strict=True):
            session.submit(phone, step_id, value)
        if step_id == "in-the-way":
            session.check_words(step_id, ["fear"], shown=True)
            session.check_words(step_id, [HIDDEN], shown=False)
        assert session.toggle_reveal(step_id).ok
    text = " ".join(text_of(render_takeaway(session.workshop, results=group_results(session))).split())
    assert "1. Start smaller: average place 1.3, first for 2 people" in text
    assert "3. Plan the time: average place 2.7, first for 0 people" in text
    assert "300 points in all" in text and "Rest" in text and "170" in text
    assert "fear" in text
    assert HIDDEN not in text and "unchecked" not in text
    session.close()
