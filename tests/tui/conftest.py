"""The app on a fake clock, a fixed time zone and a temporary data directory, so every run is the same."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from facilitate.session.clock import FakeClock
from facilitate.session.session import Session
from facilitate.tui.app import FacilitateApp, make_app
from facilitate.workshop.loader import parse_workshop
from facilitate.workshop.registry import open_workshop

START = 1_764_061_200.0  # 2025-11-25 09:00 UTC


@pytest.fixture(autouse=True)
def _utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
def start_session(tmp_path: Path, clock: FakeClock) -> Callable[..., Session]:
    def start(name: str = "check-in", source: str | None = None) -> Session:
        if source is not None:
            workshop = parse_workshop(source)
            return Session.start(
                workshop, data_dir=tmp_path, clock=clock, source_text=source, source_path=None
            )
        loaded = open_workshop(name)
        return Session.start(
            loaded.workshop,
            data_dir=tmp_path,
            clock=clock,
            source_text=loaded.source,
            source_path=loaded.path,
        )

    return start


@pytest.fixture
def app(start_session: Callable[..., Session]) -> FacilitateApp:
    return make_app(start_session("check-in"))
