"""The grounding exercise: the workshop's own, or a gentle built-in one; phases paced by a timer."""

from __future__ import annotations

import copy

from facilitate.session.grounding import DEFAULT_PHASES, current_phase, grounding_exercise
from facilitate.workshop.models import Phase, Workshop
from tests.session.conftest import WORKSHOP_DATA


def test_the_built_in_exercise_is_five_senses_then_breathing(workshop: Workshop) -> None:
    title, phases, total = grounding_exercise(workshop)
    assert title
    assert [phase.title for phase in phases][1:6] == [
        "Five things you can see",
        "Four things you can feel",
        "Three things you can hear",
        "Two things you can smell",
        "One thing you can taste",
    ]
    assert "breath" in phases[-1].title.lower()
    assert total == sum(phase.duration for phase in phases) == 180


def test_the_built_in_wording_invites_rather_than_orders() -> None:
    for phase in DEFAULT_PHASES:
        assert phase.guidance
        words = phase.guidance.lower()
        assert "must" not in words and "should" not in words


def test_a_workshop_grounding_step_is_used_when_there_is_one() -> None:
    data = copy.deepcopy(WORKSHOP_DATA)
    data["modules"][1]["steps"].insert(
        0,
        {
            "id": "land",
            "kind": "grounding",
            "title": "Feet on the floor",
            "duration": "2m",
            "phases": [{"title": "Feet", "duration": "1m"}, {"title": "Breath", "duration": "90s"}],
        },
    )
    exercise = grounding_exercise(Workshop.model_validate(data))
    assert exercise.title == "Feet on the floor"
    assert [phase.title for phase in exercise.phases] == ["Feet", "Breath"]
    assert exercise.total == 150  # the phases run longer than the step: none is cut


def _phases(*seconds: int) -> list[Phase]:
    return [Phase.model_validate({"title": f"P{i}", "duration": f"{s}s"}) for i, s in enumerate(seconds)]


def test_current_phase_and_time_left_in_it() -> None:
    phases = _phases(60, 30)
    first = current_phase(phases, 0)
    assert first is not None and (first.index, first.remaining) == (0, 60)
    second = current_phase(phases, 60)
    assert second is not None and (second.index, second.phase.title, second.remaining) == (1, "P1", 30)
    late = current_phase(phases, 89.5)
    assert late is not None and late.remaining == 0.5
    assert current_phase(phases, 90) is None
    assert current_phase([], 0) is None
