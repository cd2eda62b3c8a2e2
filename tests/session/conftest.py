"""Small workshops built in Python, a fake clock, and a driver for the pure reducer."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from facilitate.session.clock import FakeClock
from facilitate.session.events import Event
from facilitate.session.machine import Refused, apply
from facilitate.session.session import Session
from facilitate.session.slides import Slide, build_slides
from facilitate.session.state import SessionState
from facilitate.workshop.models import Workshop

# Slides: 0 title · 1 welcome (content) · 2 pairs (activity 5m) · 3 note for "core" · 4 reflect (10m)
#         5 pause (break 3m) · 6 goodbye (closing, no timer)
WORKSHOP_DATA: dict[str, Any] = {
    "id": "demo-ws",
    "title": "Demo workshop",
    "summary": "A small workshop for tests.",
    "audience": "Testers.",
    "modules": [
        {
            "id": "opening",
            "title": "Opening",
            "goal": "Arrive.",
            "steps": [
                {"id": "welcome", "kind": "content", "title": "Welcome", "duration": "2m", "body": "Hello"},
                {
                    "id": "pairs",
                    "kind": "activity",
                    "title": "Pairs",
                    "duration": "5m",
                    "instructions": "Talk in pairs.",
                    "phases": [{"title": "Alone", "duration": "1m"}, {"title": "Together", "duration": "4m"}],
                },
            ],
        },
        {
            "id": "core",
            "title": "Core",
            "goal": "Learn.",
            "content_note": "This part touches on stress at work.",
            "steps": [
                {
                    "id": "reflect",
                    "kind": "reflection",
                    "title": "Reflect",
                    "duration": "10m",
                    "prompt": "Think.",
                },
                {"id": "pause", "kind": "break", "title": "Break", "duration": "3m"},
                {"id": "goodbye", "kind": "closing", "title": "Goodbye", "duration": "1m"},
            ],
        },
    ],
}

WORKSHOP_YAML = """\
# A comment the frozen copy keeps
id: yaml-ws
title: From YAML
summary: Written by hand.
audience: Testers.
modules:
  - id: only
    title: Only
    goal: Test.
    steps:
      - {id: hello, kind: content, title: Hello, duration: 2m, body: Hi}
      - {id: talk, kind: activity, title: Talk, duration: 1h 5m, instructions: Go.}
"""

START = 1_764_000_000.0


def make_workshop(**top: Any) -> Workshop:
    data = copy.deepcopy(WORKSHOP_DATA)
    data.update(top)
    return Workshop.model_validate(data)


@pytest.fixture
def workshop() -> Workshop:
    return make_workshop()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def session(workshop: Workshop, data_dir: Path, clock: FakeClock) -> Iterator[Session]:
    running = Session.start(workshop, data_dir=data_dir, clock=clock, source_text=None, source_path=None)
    yield running
    running.close()


class Driver:
    """Feeds events to the reducer at the fake clock's time, as the live session would."""

    def __init__(self, workshop: Workshop, clock: FakeClock) -> None:
        self.workshop = workshop
        self.clock = clock
        self.slides: tuple[Slide, ...] = build_slides(workshop)
        self.state = SessionState()
        self.events: list[Event] = []

    def do(self, type: str, **payload: Any) -> SessionState:
        event = Event(type, payload, self.clock.now())
        self.state = apply(self.workshop, self.slides, self.state, event)
        self.events.append(event)
        return self.state

    def refused(self, type: str, **payload: Any) -> str:
        before = self.state
        with pytest.raises(Refused) as caught:
            apply(self.workshop, self.slides, self.state, Event(type, payload, self.clock.now()))
        assert self.state == before
        return caught.value.reason

    def go_to(self, step_id: str) -> SessionState:
        return self.do("jump", step=step_id)

    @property
    def slide(self) -> Slide:
        return self.slides[self.state.index]

    def timer(self, step_id: str) -> Any:
        return self.state.timers[step_id]


@pytest.fixture
def driver(workshop: Workshop, clock: FakeClock) -> Driver:
    started = Driver(workshop, clock)
    started.do("start")
    return started
