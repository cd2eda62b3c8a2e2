"""The grounding exercise the facilitator can bring up at any moment, and phase pacing for timed steps."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from facilitate.workshop.models import GroundingStep, Phase, Workshop

DEFAULT_TITLE = "A moment to land"

# Invitational wording: every part is an offer, and doing nothing is fine too.
_DEFAULT_PHASES: tuple[tuple[str, str, str], ...] = (
    (
        "Arrive",
        "20s",
        "If you like, let your feet rest on the floor and notice the chair holding you. "
        "Eyes open or closed, whatever feels right for you.",
    ),
    ("Five things you can see", "30s", "Let your eyes wander. Perhaps name five things you can see."),
    (
        "Four things you can feel",
        "25s",
        "Maybe notice four things you can feel: your clothes, the air, your hands.",
    ),
    ("Three things you can hear", "25s", "You might listen for three sounds, near or far."),
    ("Two things you can smell", "20s", "Notice two things you can smell, or two smells you like."),
    ("One thing you can taste", "15s", "And perhaps one thing you can taste, or would like to."),
    (
        "Slow breathing",
        "45s",
        "If it feels okay, breathe in gently for four counts and out for six. "
        "Or simply notice your breath as it is. There is no right way to do this.",
    ),
)

DEFAULT_PHASES: tuple[Phase, ...] = tuple(
    Phase.model_validate({"title": title, "duration": duration, "guidance": guidance})
    for title, duration, guidance in _DEFAULT_PHASES
)


class GroundingExercise(NamedTuple):
    title: str
    phases: tuple[Phase, ...]
    total: int


class PhaseAt(NamedTuple):
    index: int
    phase: Phase
    remaining: float


def grounding_exercise(workshop: Workshop) -> GroundingExercise:
    """The workshop's first grounding step if it has one, otherwise the built-in 5-4-3-2-1 exercise.

    The total is the step's duration, or the sum of its phases if they run longer, so no phase is cut.
    """
    for _, step in workshop.steps():
        if isinstance(step, GroundingStep):
            phases = tuple(step.phases)
            return GroundingExercise(step.title, phases, max(step.duration, sum(p.duration for p in phases)))
    return GroundingExercise(DEFAULT_TITLE, DEFAULT_PHASES, sum(p.duration for p in DEFAULT_PHASES))


def current_phase(
    phases: Sequence[Phase], elapsed: float, lengths: Sequence[float] | None = None
) -> PhaseAt | None:
    """The phase running after `elapsed` seconds and the seconds left in it; None once all are over.
    `lengths`: the phases' lengths as the timer paces them now (after `+`/`-`), else their own."""
    start = 0.0
    for index, phase in enumerate(phases):
        end = start + (phase.duration if lengths is None else lengths[index])
        if max(0.0, elapsed) < end:
            return PhaseAt(index, phase, end - max(0.0, elapsed))
        start = end
    return None
