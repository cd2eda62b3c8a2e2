"""The rules of the workshop model, one at a time."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from facilitate.workshop.models import PollStep, Workshop
from tests.workshop.factories import step, workshop_data


def problems(data: dict) -> str:
    with pytest.raises(ValidationError) as caught:
        Workshop.model_validate(data)
    return str(caught.value)


def test_total_duration_is_computed_from_steps() -> None:
    workshop = Workshop.model_validate(workshop_data(step("break", "pause", duration="10m")))
    assert workshop.duration == 120 + 60 + 600
    assert workshop.modules[0].duration == workshop.duration


def test_total_duration_cannot_be_typed() -> None:
    assert "duration" in problems(workshop_data(duration="90m"))


def test_duplicate_step_ids_are_refused() -> None:
    assert "step id 'hello' is used twice" in problems(workshop_data(step("break", "hello")))


def test_duplicate_module_ids_are_refused() -> None:
    data = workshop_data()
    data["modules"].append(dict(data["modules"][0], steps=[step("break", "other")]))
    assert "module id 'only' is used twice" in problems(data)


def test_compare_with_must_name_an_earlier_scale_poll() -> None:
    after = step("poll", "after", question="Now?", type="scale", compare_with="nope")
    assert "not an earlier scale poll" in problems(workshop_data(after))


def test_compare_with_must_use_the_same_scale() -> None:
    after = step(
        "poll", "after", question="Now?", type="scale", scale={"min": 1, "max": 5}, compare_with="before"
    )
    assert "different scale" in problems(workshop_data(after))


def test_compare_with_accepts_an_earlier_scale_poll() -> None:
    after = step("poll", "after", question="Now?", type="scale", compare_with="before")
    workshop = Workshop.model_validate(workshop_data(after))
    assert workshop.step_by_id("after").compare_with == "before"


def test_scale_min_must_be_below_max() -> None:
    poll = step("poll", "bad-scale", question="?", type="scale", scale={"min": 5, "max": 5})
    assert "must be below its max" in problems(workshop_data(poll))


def test_single_poll_needs_two_options() -> None:
    poll = step("poll", "one", question="?", type="single", options=["only"])
    assert "at least 2 options, not 1" in problems(workshop_data(poll))


def test_poll_with_eleven_options_is_refused() -> None:
    poll = step("poll", "many", question="?", type="multiple", options=[f"o{i}" for i in range(11)])
    assert "at most 10 options" in problems(workshop_data(poll))


def test_max_choices_only_for_multiple_and_within_options() -> None:
    assert "only for `multiple`" in problems(
        workshop_data(step("poll", "s", question="?", type="single", options=["a", "b"], max_choices=1))
    )
    assert "there are 2 options" in problems(
        workshop_data(step("poll", "m", question="?", type="multiple", options=["a", "b"], max_choices=3))
    )


def test_words_poll_takes_no_options() -> None:
    assert "takes no `options`" in problems(
        workshop_data(step("poll", "w", question="?", type="words", options=["a", "b"]))
    )


@pytest.mark.parametrize("duration", ["0m", "soon", 5])
def test_bad_durations_are_refused(duration: object) -> None:
    assert "duration" in problems(workshop_data(step("break", "pause", duration=duration)))


def test_unknown_kind_and_unknown_key_are_refused() -> None:
    assert "does not match any of the expected tags" in problems(workshop_data(step("pol", "x")))
    assert "Extra inputs are not permitted" in problems(workshop_data(step("break", "x", mesage="hi")))


def test_activity_phases_may_not_outlast_the_step() -> None:
    activity = step(
        "activity",
        "talk",
        duration="3m",
        instructions="Talk.",
        phases=[{"title": "A", "duration": "2m"}, {"title": "B", "duration": "2m"}],
    )
    assert "phases add up to 240s" in problems(workshop_data(activity))


def test_reveal_threshold_defaults_and_overrides() -> None:
    poll = step("poll", "p", question="?", type="single", options=["a", "b"], reveal_min=0)
    workshop = Workshop.model_validate(workshop_data(poll, reveal_min=7))
    assert workshop.reveal_threshold(workshop.step_by_id("before")) == 7
    assert workshop.reveal_threshold(workshop.step_by_id("p")) == 0


def test_choice_limits() -> None:
    poll = PollStep.model_validate(
        step("poll", "m", question="?", type="multiple", options=["a", "b", "c"], max_choices=2)
    )
    assert poll.choice_limit() == 2
    assert poll.effective_scale is None


def test_timed_kinds() -> None:
    workshop = Workshop.model_validate(workshop_data(step("activity", "act", instructions="Go")))
    assert workshop.step_by_id("act").has_timer
    assert not workshop.step_by_id("hello").has_timer


def test_ranking_and_points_polls_need_options() -> None:
    assert "a ranking poll needs `options`" in problems(
        workshop_data(step("poll", "r", question="?", type="ranking"))
    )
    assert "at least 2 options, not 1" in problems(
        workshop_data(step("poll", "p", question="?", type="points", options=["only"]))
    )


def test_points_default_to_a_hundred_and_only_fit_points_polls() -> None:
    poll = step("poll", "p", question="?", type="points", options=["a", "b"])
    workshop = Workshop.model_validate(workshop_data(poll))
    assert workshop.step_by_id("p").point_budget == 100
    assert Workshop.model_validate(workshop_data(dict(poll, points=10))).step_by_id("p").point_budget == 10
    ranking = step("poll", "r", question="?", type="ranking", options=["a", "b"], points=10)
    assert "`points` is only for `points` polls" in problems(workshop_data(ranking))
    assert "greater than or equal to 2" in problems(workshop_data(dict(poll, points=1)))


def test_words_are_checked_by_default_and_may_opt_out() -> None:
    words = step("poll", "w", question="?", type="words")
    assert Workshop.model_validate(workshop_data(words)).step_by_id("w").is_moderated
    unchecked = Workshop.model_validate(workshop_data(dict(words, moderate=False)))
    assert not unchecked.step_by_id("w").is_moderated


def test_written_answers_cannot_skip_the_check_and_others_take_no_moderate() -> None:
    text = step("poll", "t", question="?", type="text", moderate=False)
    assert "written answers are always checked" in problems(workshop_data(text))
    single = step("poll", "s", question="?", type="single", options=["a", "b"], moderate=True)
    assert "`moderate` is only for `words` and `text` polls" in problems(workshop_data(single))


def test_questions_are_on_unless_the_workshop_says_no() -> None:
    assert Workshop.model_validate(workshop_data()).questions is True
    assert Workshop.model_validate(workshop_data(questions=False)).questions is False


def test_a_write_prompt_needs_lines_to_write_on() -> None:
    from facilitate.workshop.models import Practice, Problems

    assert (
        Practice(title="Ladder", steps=["Rungs"], write_lines=3, write_prompt="My ladder:").write_lines == 3
    )
    with pytest.raises((Problems, ValueError), match="write_lines"):
        Practice(title="Ladder", steps=["Rungs"], write_prompt="My ladder:")
