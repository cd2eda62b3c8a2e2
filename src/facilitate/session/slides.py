"""The running order: the flat list of screens the facilitator steps through."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from facilitate.workshop.models import Workshop

SlideKind = Literal["title", "module_note", "step"]


@dataclass(frozen=True)
class Slide:
    kind: SlideKind
    module_id: str | None = None
    step_id: str | None = None


def build_slides(workshop: Workshop) -> tuple[Slide, ...]:
    """A title slide, then per module its content note (if any) and one slide per step."""
    slides = [Slide("title")]
    for module in workshop.modules:
        if module.content_note:
            slides.append(Slide("module_note", module.id))
        slides.extend(Slide("step", module.id, step.id) for step in module.steps)
    return tuple(slides)


def index_of_step(slides: tuple[Slide, ...], step_id: str) -> int | None:
    for index, slide in enumerate(slides):
        if slide.kind == "step" and slide.step_id == step_id:
            return index
    return None
