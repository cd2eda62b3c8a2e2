"""The workshop definition: a workshop has modules, a module has steps, a step is one screen.

Pydantic v2 models; YAML is only the file format. Rules that span several fields or several steps raise
`Problems`, which carries a location for each problem so the loader can point at the right YAML line.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)

from facilitate.workshop.durations import DURATION_PATTERN, parse_duration

Loc = tuple[str | int, ...]


class Problems(ValueError):
    """Several problems found by a cross-field rule, each with a location relative to the model checked."""

    def __init__(self, problems: list[tuple[Loc, str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(message for _, message in problems))


Slug = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", min_length=1, max_length=64),
    Field(description="Lower-case letters, digits and single hyphens, e.g. `barrier-words`."),
]

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20_000)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]

Duration = Annotated[
    int,
    BeforeValidator(parse_duration),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": DURATION_PATTERN,
            "description": 'How long, e.g. "5m", "90s" or "1h 15m".',
            "examples": ["5m", "90s", "1h 15m"],
        }
    ),
]

STEP_KINDS = ("content", "activity", "poll", "reflection", "grounding", "break", "plan", "closing")
POLL_TYPES = ("single", "multiple", "scale", "words", "text", "ranking", "points")
OPTION_TYPES = frozenset({"single", "multiple", "ranking", "points"})
"""Poll types whose answers pick among `options`."""
DEFAULT_POINTS = 100
TIMED_KINDS = frozenset({"activity", "grounding", "break", "poll", "reflection", "plan"})


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Phase(_Strict):
    """One timed part of an activity or a grounding exercise."""

    title: ShortText
    duration: Duration
    guidance: Text | None = Field(
        default=None, description="What the room sees during this phase (grounding: the invitation)."
    )


class Resource(_Strict):
    """Something to read or call after the workshop; listed in takeaways with a QR code."""

    title: ShortText
    url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$", max_length=500)]
    why: ShortText = Field(description="One line on why it is worth a look.")


class Series(_Strict):
    """Where a workshop sits in a series of sessions that follow each other (`facilitate list` groups them)."""

    id: Slug = Field(description="The same in every workshop of the series.")
    part: int = Field(ge=1, le=99, description="1 for the first session, 2 for the next, and so on.")
    title: ShortText | None = Field(default=None, description='The series\' name, e.g. "Trusting yourself".')


class Practice(_Strict):
    """Something to try at home, printed in the handout and the takeaway (e.g. a grounding script)."""

    title: ShortText
    when: ShortText | None = Field(default=None, description="When it helps, in one line.")
    steps: list[ShortText] = Field(min_length=1, max_length=12, description="Each line one step.")
    picture: Literal["window-of-tolerance"] | None = Field(
        default=None, description="A drawing printed with it."
    )
    write_lines: int = Field(default=0, ge=0, le=6, description="Lines to write on, on paper.")
    write_prompt: ShortText | None = Field(
        default=None, description='Printed above the lines on paper only, e.g. "My ladder, from the bottom:".'
    )

    @model_validator(mode="after")
    def _prompt_has_lines(self) -> Practice:
        if self.write_prompt is not None and not self.write_lines:
            raise Problems(
                [(("write_prompt",), "`write_prompt` goes above lines to write on: add `write_lines`")]
            )
        return self


class _StepBase(_Strict):
    id: Slug
    title: ShortText
    duration: Duration
    notes: Text | None = Field(
        default=None, description="Facilitator-only notes (Markdown). Never projected."
    )
    content_note: Text | None = Field(
        default=None, description="A gentle heads-up shown before this step, e.g. what it touches on."
    )

    @property
    def has_timer(self) -> bool:
        return self.kind in TIMED_KINDS  # type: ignore[attr-defined]


class ContentStep(_StepBase):
    kind: Literal["content"]
    body: Text = Field(description="Markdown shown large on the projector.")


class ActivityStep(_StepBase):
    kind: Literal["activity"]
    instructions: Text
    phases: list[Phase] = Field(default_factory=list, description="E.g. 1 min alone, 2 min in pairs.")

    @model_validator(mode="after")
    def _phases_fit(self) -> ActivityStep:
        total = sum(phase.duration for phase in self.phases)
        if self.phases and total > self.duration:
            raise Problems(
                [(("phases",), f"the phases add up to {total}s but the step lasts only {self.duration}s")]
            )
        return self


class Scale(_Strict):
    min: int = 0
    max: int = 10
    min_label: ShortText | None = None
    max_label: ShortText | None = None


class PollStep(_StepBase):
    kind: Literal["poll"]
    question: Text
    type: Literal["single", "multiple", "scale", "words", "text", "ranking", "points"] = Field(
        description="single, multiple, scale, words, text, ranking (order the options) or points "
        "(spread `points` over the options)."
    )
    options: list[ShortText] | None = Field(
        default=None, description="2 to 10 options, for single, multiple, ranking and points."
    )
    max_choices: int | None = Field(default=None, ge=1, description="For multiple: how many may be picked.")
    points: int | None = Field(
        default=None,
        ge=2,
        le=1000,
        description=f"For points polls: how many points each person spreads over the options "
        f"(default {DEFAULT_POINTS}).",
    )
    moderate: bool | None = Field(
        default=None,
        description="For words polls (default true): the facilitator checks the words and can hide any "
        "before the room sees them. Written answers (text) are always checked.",
    )
    scale: Scale | None = Field(default=None, description="For scale polls; 0 to 10 when left out.")
    reveal_min: int | None = Field(
        default=None, ge=0, description="Answers needed before results show; overrides the workshop's."
    )
    compare_with: Slug | None = Field(
        default=None, description="Id of an earlier scale poll with the same scale (before/after)."
    )
    opens_on_show: bool = Field(default=True, description="Open the poll as soon as its step is shown.")

    @model_validator(mode="after")
    def _fits_its_type(self) -> PollStep:
        problems: list[tuple[Loc, str]] = []
        if self.type in OPTION_TYPES:
            count = len(self.options or [])
            if self.options is None:
                problems.append((("type",), f"a {self.type} poll needs `options` (2 to 10)"))
            elif count < 2:
                problems.append((("options",), f"a {self.type} poll needs at least 2 options, not {count}"))
            elif count > 10:
                problems.append((("options",), f"a poll may have at most 10 options, not {count}"))
            elif len({option.casefold() for option in self.options}) != count:
                problems.append((("options",), "two options have the same text"))
        elif self.options is not None:
            problems.append((("options",), f"a {self.type} poll takes no `options`"))
        if self.max_choices is not None:
            if self.type != "multiple":
                problems.append((("max_choices",), "`max_choices` is only for `multiple` polls"))
            elif self.options and self.max_choices > len(self.options):
                problems.append(
                    (
                        ("max_choices",),
                        f"`max_choices` is {self.max_choices} but there are {len(self.options)} options",
                    )
                )
        if self.type == "scale":
            scale = self.scale or Scale()
            if scale.min >= scale.max:
                problems.append(
                    (("scale",), f"the scale's min ({scale.min}) must be below its max ({scale.max})")
                )
            elif scale.max - scale.min > 100:
                problems.append((("scale",), "a scale may have at most 101 points"))
        elif self.scale is not None:
            problems.append((("scale",), "`scale` is only for `scale` polls"))
        if self.compare_with is not None and self.type != "scale":
            problems.append((("compare_with",), "`compare_with` is only for `scale` polls"))
        if self.points is not None and self.type != "points":
            problems.append((("points",), "`points` is only for `points` polls"))
        if self.moderate is not None and self.type not in ("words", "text"):
            problems.append((("moderate",), "`moderate` is only for `words` and `text` polls"))
        elif self.moderate is False and self.type == "text":
            problems.append(
                (
                    ("moderate",),
                    "written answers are always checked before the room sees them: "
                    "`moderate: false` is only for `words` polls",
                )
            )
        if problems:
            raise Problems(problems)
        return self

    @property
    def effective_scale(self) -> Scale | None:
        if self.type != "scale":
            return None
        return self.scale or Scale()

    @property
    def point_budget(self) -> int:
        """The points each person spreads over the options (points polls only; 0 otherwise)."""
        if self.type != "points":
            return 0
        return self.points if self.points is not None else DEFAULT_POINTS

    @property
    def is_moderated(self) -> bool:
        """Whether answers wait for the facilitator's check before any room view shows them."""
        if self.type == "text":
            return True
        if self.type == "words":
            return self.moderate is not False
        return False

    def choice_limit(self) -> int:
        """How many options a participant may pick."""
        if self.type == "single":
            return 1
        if self.type == "multiple":
            return self.max_choices or len(self.options or [])
        return 0


class ReflectionStep(_StepBase):
    kind: Literal["reflection"]
    prompt: Text = Field(description="A private prompt: answers stay with the participant.")


class GroundingStep(_StepBase):
    kind: Literal["grounding"]
    intro: Text | None = None
    phases: list[Phase] = Field(min_length=1, description="The guided parts, paced by the timer.")


class BreakStep(_StepBase):
    kind: Literal["break"]
    message: Text | None = None


class PlanStep(_StepBase):
    kind: Literal["plan"]
    prompt: Text
    if_label: ShortText = "When"
    then_label: ShortText = "I will"
    examples: list[ShortText] = Field(default_factory=list)


class ClosingStep(_StepBase):
    kind: Literal["closing"]
    body: Text | None = None


Step = Annotated[
    ContentStep
    | ActivityStep
    | PollStep
    | ReflectionStep
    | GroundingStep
    | BreakStep
    | PlanStep
    | ClosingStep,
    Field(discriminator="kind"),
]

STEP_MODELS: dict[str, type[_StepBase]] = {
    "content": ContentStep,
    "activity": ActivityStep,
    "poll": PollStep,
    "reflection": ReflectionStep,
    "grounding": GroundingStep,
    "break": BreakStep,
    "plan": PlanStep,
    "closing": ClosingStep,
}


class Module(_Strict):
    id: Slug
    title: ShortText
    goal: Text
    content_note: Text | None = Field(default=None, description="Shown as a gentle card before the module.")
    key_points: list[Text] = Field(default_factory=list, description="The ideas people take away.")
    steps: list[Step] = Field(min_length=1)

    @property
    def duration(self) -> int:
        return sum(step.duration for step in self.steps)


class Workshop(_Strict):
    id: Slug
    title: ShortText
    summary: Text
    audience: Text
    locale: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Z]{2})?$")] = Field(
        default="en-US", description="Language and region, e.g. en-US or en-GB: picks help lines and paper."
    )
    reveal_min: int = Field(default=5, ge=0, description="Answers needed before any poll shows results.")
    questions: bool = Field(
        default=True,
        description="Phones can ask anonymous questions; the facilitator approves them before the room sees them.",
    )
    facilitator: ShortText | None = None
    resources: list[Resource] = Field(default_factory=list)
    series: Series | None = Field(default=None, description="Part of a series of sessions.")
    notes: Text | None = Field(
        default=None,
        description="Facilitator-only notes on the whole workshop (the guide): adapting, cutting.",
    )
    practices: list[Practice] = Field(
        default_factory=list, description="Things to try at home, for the handout and the takeaway."
    )
    modules: list[Module] = Field(min_length=1)

    @model_validator(mode="after")
    def _references_hold(self) -> Workshop:
        problems: list[tuple[Loc, str]] = []
        seen_modules: dict[str, int] = {}
        seen_steps: dict[str, tuple[int, int]] = {}
        scale_polls: dict[str, PollStep] = {}
        for m_index, module in enumerate(self.modules):
            if module.id in seen_modules:
                problems.append(
                    (
                        ("modules", m_index, "id"),
                        f"module id {module.id!r} is used twice (also module {seen_modules[module.id] + 1})",
                    )
                )
            seen_modules.setdefault(module.id, m_index)
            for s_index, step in enumerate(module.steps):
                here: Loc = ("modules", m_index, "steps", s_index)
                if step.id in seen_steps:
                    first_module, first_step = seen_steps[step.id]
                    problems.append(
                        (
                            (*here, "id"),
                            f"step id {step.id!r} is used twice (first in module {first_module + 1}, "
                            f"step {first_step + 1}); step ids must be unique in the workshop",
                        )
                    )
                seen_steps.setdefault(step.id, (m_index, s_index))
                if isinstance(step, PollStep):
                    if step.compare_with is not None:
                        earlier = scale_polls.get(step.compare_with)
                        if earlier is None:
                            known = ", ".join(sorted(scale_polls)) or "none so far"
                            problems.append(
                                (
                                    (*here, "compare_with"),
                                    f"`compare_with` names {step.compare_with!r}, which is not an earlier scale "
                                    f"poll (earlier scale polls: {known})",
                                )
                            )
                        elif earlier.effective_scale != step.effective_scale:
                            problems.append(
                                (
                                    (*here, "compare_with"),
                                    f"poll {step.compare_with!r} uses a different scale",
                                )
                            )
                    if step.type == "scale":
                        scale_polls[step.id] = step
        if problems:
            raise Problems(problems)
        return self

    # --- derived views -----------------------------------------------------------------------------
    @property
    def duration(self) -> int:
        """Total planned seconds: always computed from the steps."""
        return sum(module.duration for module in self.modules)

    def steps(self) -> Iterator[tuple[Module, Any]]:
        """Every step in running order, with its module."""
        for module in self.modules:
            for step in module.steps:
                yield module, step

    def step_list(self) -> list[Any]:
        return [step for _, step in self.steps()]

    def step_by_id(self, step_id: str) -> Any:
        for _, step in self.steps():
            if step.id == step_id:
                return step
        raise KeyError(step_id)

    def module_of(self, step_id: str) -> Module:
        for module, step in self.steps():
            if step.id == step_id:
                return module
        raise KeyError(step_id)

    def reveal_threshold(self, poll: PollStep) -> int:
        return self.reveal_min if poll.reveal_min is None else poll.reveal_min
