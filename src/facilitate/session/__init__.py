"""The live-run core: session state, timers, schedule and the journal. No UI, no web server, no system time.

The `schedule()` function is not re-exported here: it would hide the `facilitate.session.schedule` module.
Use `Session.schedule()` or `from facilitate.session.schedule import schedule`.
"""

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
