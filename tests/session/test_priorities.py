"""Ranking and points polls: answers refused with a sentence when they do not fit, results that add up."""

from __future__ import annotations

import pytest

from facilitate.session.answers import AnswerRefused, Submission, normalize_answer, tally
from facilitate.session.priorities import rank_totals, ranking_order
from tests.session.test_answers import make_poll

RANKING = make_poll("order", type="ranking", options=["Rest", "People", "Learning"])
POINTS = make_poll("spread", type="points", options=["Rest", "People", "Learning"], points=10)


def refusal(step, value) -> str:
    with pytest.raises(AnswerRefused) as caught:
        normalize_answer(step, value)
    assert caught.value.status == 422
    return caught.value.message


def test_a_ranking_is_every_option_once() -> None:
    assert normalize_answer(RANKING, [2, 0, 1]) == [2, 0, 1]
    assert normalize_answer(RANKING, None) is None
    assert refusal(RANKING, [2, 0]) == "put all 3 options in order: this answer lists 2"
    assert refusal(RANKING, [2, 0, 1, 1]) == "put all 3 options in order: this answer lists 4"
    assert refusal(RANKING, [2, 2, 1]) == "an option is in the order twice: each option goes in once"
    assert "not one of the 3" in refusal(RANKING, [0, 1, 3])
    assert "in order" in refusal(RANKING, [0, True, 2])
    assert "in order" in refusal(RANKING, "0,1,2")


def test_points_add_up_to_the_budget() -> None:
    assert normalize_answer(POINTS, [10, 0, 0]) == [10, 0, 0]
    assert refusal(POINTS, [5, 4, 0]) == "the points add up to 9: spread exactly 10 (1 to go)"
    assert refusal(POINTS, [5, 4, 3]) == "the points add up to 12: spread exactly 10 (2 too many)"
    assert refusal(POINTS, [10, 0]).startswith("give points to each of the 3 options (0 is fine)")
    assert refusal(POINTS, [11, -1, 0]) == "points are whole numbers from 0 up"
    assert "whole number" in refusal(POINTS, [5.5, 4.5, 0])
    default = make_poll("hundred", type="points", options=["a", "b"])
    assert normalize_answer(default, [60, 40]) == [60, 40]
    assert "spread exactly 100" in refusal(default, [6, 4])


def test_ranking_results_give_the_average_rank_and_how_many_put_each_first() -> None:
    answers = [[1, 0, 2], [1, 2, 0], [0, 1, 2], [1, 0, 2]]
    result = tally(RANKING, [Submission(f"d{i}", a) for i, a in enumerate(answers)] + [Submission("p", None)])
    assert result.answered == 4 and result.passed == 1
    assert result.counts == (1, 3, 0)  # firsts
    assert result.average_rank == (2.0, 1.25, 2.75)
    assert ranking_order(rank_totals(answers, 3)) == [1, 0, 2]


def test_points_results_are_totals() -> None:
    answers = [[10, 0, 0], [2, 3, 5], [0, 10, 0]]
    result = tally(POINTS, [Submission(f"d{i}", a) for i, a in enumerate(answers)])
    assert result.counts == (12, 13, 5)
    assert sum(result.counts) == 30


def test_ties_in_average_rank_go_to_the_option_more_people_put_first() -> None:
    totals = rank_totals([[0, 1, 2], [1, 2, 0], [2, 0, 1]], 3)
    assert totals.average_rank == (2.0, 2.0, 2.0)
    assert ranking_order(totals) == [0, 1, 2]
    totals = rank_totals([[0, 1, 2], [1, 0, 2], [1, 0, 2], [2, 0, 1]], 3)
    assert totals.average_rank[:2] == (1.75, 1.75)
    assert ranking_order(totals)[0] == 1  # a tie: option 1 was put first by two people, option 0 by one
