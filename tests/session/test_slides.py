"""The running order: title, then each module's content note (if any) and its steps."""

from __future__ import annotations

from facilitate.session.slides import Slide, build_slides, index_of_step
from facilitate.workshop.models import Workshop


def test_running_order(workshop: Workshop) -> None:
    assert build_slides(workshop) == (
        Slide("title", None, None),
        Slide("step", "opening", "welcome"),
        Slide("step", "opening", "pairs"),
        Slide("module_note", "core", None),
        Slide("step", "core", "reflect"),
        Slide("step", "core", "pause"),
        Slide("step", "core", "goodbye"),
    )


def test_finding_a_step(workshop: Workshop) -> None:
    slides = build_slides(workshop)
    assert index_of_step(slides, "reflect") == 4
    assert index_of_step(slides, "nope") is None
