"""The live-run core: session state, timers, schedule and the journal. No UI, no web server, no system time.

The `schedule()` function is not re-exported here: it would hide the `facilitate.session.schedule` module.
Use `Session.schedule()` or `from facilitate.session.schedule import schedule`.

Its names load when first used (PEP 562): importing one module of the package, the clock say, does
not load them all (the workshop models among them), which held back `facilitate run`'s first screen.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from facilitate.session.catalog import SessionInfo, find_latest_unfinished, list_sessions
    from facilitate.session.clock import Clock, FakeClock, ScaledClock, SystemClock
    from facilitate.session.datadir import DataDirError, ensure_writable, resolve_data_dir
    from facilitate.session.events import Event
    from facilitate.session.grounding import GroundingExercise, PhaseAt, current_phase, grounding_exercise
    from facilitate.session.journal import SCHEMA_VERSION, Journal, JournalError, journal_path
    from facilitate.session.machine import Refused, apply, replay
    from facilitate.session.schedule import ModuleTiming, Schedule, StepTiming
    from facilitate.session.session import Outcome, Session
    from facilitate.session.slides import Slide, build_slides
    from facilitate.session.state import GroundingState, SessionState, Visit
    from facilitate.session.timer import Timer

_WHERE = {
    "Clock": "facilitate.session.clock",
    "DataDirError": "facilitate.session.datadir",
    "Event": "facilitate.session.events",
    "FakeClock": "facilitate.session.clock",
    "GroundingExercise": "facilitate.session.grounding",
    "GroundingState": "facilitate.session.state",
    "Journal": "facilitate.session.journal",
    "JournalError": "facilitate.session.journal",
    "ModuleTiming": "facilitate.session.schedule",
    "Outcome": "facilitate.session.session",
    "PhaseAt": "facilitate.session.grounding",
    "Refused": "facilitate.session.machine",
    "SCHEMA_VERSION": "facilitate.session.journal",
    "ScaledClock": "facilitate.session.clock",
    "Schedule": "facilitate.session.schedule",
    "Session": "facilitate.session.session",
    "SessionInfo": "facilitate.session.catalog",
    "SessionState": "facilitate.session.state",
    "Slide": "facilitate.session.slides",
    "StepTiming": "facilitate.session.schedule",
    "SystemClock": "facilitate.session.clock",
    "Timer": "facilitate.session.timer",
    "Visit": "facilitate.session.state",
    "apply": "facilitate.session.machine",
    "build_slides": "facilitate.session.slides",
    "current_phase": "facilitate.session.grounding",
    "ensure_writable": "facilitate.session.datadir",
    "find_latest_unfinished": "facilitate.session.catalog",
    "grounding_exercise": "facilitate.session.grounding",
    "journal_path": "facilitate.session.journal",
    "list_sessions": "facilitate.session.catalog",
    "replay": "facilitate.session.machine",
    "resolve_data_dir": "facilitate.session.datadir",
}

__all__ = [
    "SCHEMA_VERSION",
    "Clock",
    "DataDirError",
    "Event",
    "FakeClock",
    "GroundingExercise",
    "GroundingState",
    "Journal",
    "JournalError",
    "ModuleTiming",
    "Outcome",
    "PhaseAt",
    "Refused",
    "ScaledClock",
    "Schedule",
    "Session",
    "SessionInfo",
    "SessionState",
    "Slide",
    "StepTiming",
    "SystemClock",
    "Timer",
    "Visit",
    "apply",
    "build_slides",
    "current_phase",
    "ensure_writable",
    "find_latest_unfinished",
    "grounding_exercise",
    "journal_path",
    "list_sessions",
    "replay",
    "resolve_data_dir",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'facilitate.session' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
