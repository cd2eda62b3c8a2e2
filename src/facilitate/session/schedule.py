"""Planned against actual time, for the facilitator's eyes only.

`actual` is wall time a slide was on screen (not timer time): the room was there whatever the timer did.
So time spent in grounding counts toward the step it interrupted, and time while the app was down (a
`suspend` gap) counts nowhere. Title and module-note slides have no planned time; time spent on them
counts toward `elapsed` and so toward `behind_by`, except the title slide's: it is up while people
arrive, before the workshop begins, and the room is not behind for waiting for late-comers.
"""

from __future__ import annotations

from dataclasses import dataclass

from facilitate.session.slides import Slide
from facilitate.session.state import SessionState
from facilitate.workshop.models import Workshop


@dataclass(frozen=True)
class StepTiming:
    step_id: str
    module_id: str
    title: str
    planned: float
    actual: float
    planned_start: float  # seconds from the session start, if every earlier step ran to plan
    index: int  # the step's slide index


@dataclass(frozen=True)
class ModuleTiming:
    module_id: str
    title: str
    planned: float
    actual: float  # the sum of its steps' actual time (its content note counts toward no module)
    planned_start: float


@dataclass(frozen=True)
class Schedule:
    steps: tuple[StepTiming, ...]
    modules: tuple[ModuleTiming, ...]
    planned_total: float
    elapsed: float  # actual time on any slide since the start, excluding time the app was down
    unplanned: float  # of which on title and module-note slides
    behind_by: float  # seconds; negative means ahead of plan

    def step(self, step_id: str) -> StepTiming:
        for timing in self.steps:
            if timing.step_id == step_id:
                return timing
        raise KeyError(step_id)

    def module(self, module_id: str) -> ModuleTiming:
        for timing in self.modules:
            if timing.module_id == module_id:
                return timing
        raise KeyError(module_id)


def time_on_slides(state: SessionState, now: float) -> dict[int, float]:
    """Seconds each slide index was on screen, counting the open visit up to `now`."""
    totals: dict[int, float] = {}
    for visit in state.visits:
        end = visit.left_at if visit.left_at is not None else now
        totals[visit.index] = totals.get(visit.index, 0.0) + max(0.0, end - visit.entered_at)
    return totals


def schedule(workshop: Workshop, slides: tuple[Slide, ...], state: SessionState, now: float) -> Schedule:
    """Planned and actual time per step and module, and how far behind plan the room is.

    `behind_by` = elapsed − planned position, where the planned position is where the plan's own clock
    would be for the slide on screen: the planned time of every step before it in running order (done or
    skipped) plus min(planned, actual) of the current step. Staying within a step's planned time keeps
    you on plan; each second past it puts you a second behind; leaving a step early, or skipping one,
    puts you ahead. Module-note time is elapsed time with no plan, so it puts you behind; title time
    does not count (see above).
    """
    spent = {
        index: seconds
        for index, seconds in time_on_slides(state, now).items()
        if slides[index].kind != "title"
    }
    steps: list[StepTiming] = []
    cursor = 0.0
    planned_position: float | None = None
    for index, slide in enumerate(slides):
        if index == state.index and slide.kind != "step":
            planned_position = cursor
        if slide.kind != "step" or slide.step_id is None or slide.module_id is None:
            continue
        step = workshop.step_by_id(slide.step_id)
        actual = spent.get(index, 0.0)
        timing = StepTiming(step.id, slide.module_id, step.title, float(step.duration), actual, cursor, index)
        steps.append(timing)
        if index == state.index:
            planned_position = cursor + min(timing.planned, actual)
        cursor += timing.planned
    modules: list[ModuleTiming] = []
    module_start = 0.0
    for module in workshop.modules:
        own = [timing for timing in steps if timing.module_id == module.id]
        planned = sum(timing.planned for timing in own)
        modules.append(
            ModuleTiming(module.id, module.title, planned, sum(t.actual for t in own), module_start)
        )
        module_start += planned
    elapsed = sum(spent.values())
    unplanned = sum(seconds for index, seconds in spent.items() if slides[index].kind != "step")
    behind = elapsed - (cursor if planned_position is None else planned_position)
    return Schedule(tuple(steps), tuple(modules), cursor, elapsed, unplanned, behind)
