"""Following a running session from another process (room views, in a terminal or a browser), read-only.

The journal is the single source of truth and it already holds absolute state: a follower opens the
session file read-only (SQLite WAL lets it read while the app writes), asks `PRAGMA data_version` (a few
microseconds) whether anything was committed since it last looked, and if so replays only the new events
and answers into a `Session` of its own, with the same reducer the app uses. It needs no port and no
setting, starts late without missing anything, and after kill -9 and `run --resume` it simply sees the
resume's events in the same file.

Whether the app still runs is read from its heartbeat (`Session.heartbeat` writes `last_alive` about once a
second): when it stops advancing, the follower is "paused" and its clock stops at the last sign of life,
as a resume will do, so the room keeps the last screen with its timer standing still.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

from facilitate.session import events as ev
from facilitate.session.events import Event
from facilitate.session.frozen import thaw
from facilitate.session.journal import JournalDamaged, JournalError, JournalMeta
from facilitate.session.machine import Refused, apply, replay
from facilitate.session.session import Session
from facilitate.session.slides import build_slides
from facilitate.workshop.loader import WorkshopLoadError

PAUSED_AFTER = 3.5  # seconds without a heartbeat before the app counts as stopped (it beats every second)


class JournalReader:
    """A read-only connection to a session file: it cannot write, and reads nothing private."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        try:
            self._conn = sqlite3.connect(
                f"{self.path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None, timeout=2
            )
            self._inode = os.stat(self.path).st_ino
            meta = self.meta()
        except (sqlite3.Error, OSError) as exc:
            raise JournalError(f"Could not read the session file {self.path}: {exc}.") from None
        self.session_id = meta.session_id
        self.join_secret = meta.join_secret
        self.last_event = 0
        self.last_submission = 0

    def data_version(self) -> int:
        """Changes whenever another connection commits (cheap: no file is read)."""
        return int(self._conn.execute("PRAGMA data_version").fetchone()[0])

    def replaced(self) -> bool:
        """The file at the path is no longer the one this reads (written back elsewhere, or gone)."""
        try:
            return os.stat(self.path).st_ino != self._inode
        except OSError:
            return True

    def meta(self) -> JournalMeta:
        row = self._conn.execute(
            "SELECT session_id, workshop_id, workshop_title, workshop_source, source_path, created_at, "
            "ended_at, last_alive, demo, join_secret FROM meta WHERE id = 1"
        ).fetchone()
        if row is None:
            raise JournalDamaged(f"The session file {self.path} has no session details.")
        return JournalMeta(*row[:8], bool(row[8]), row[9])

    def last_alive(self) -> float | None:
        row = self._conn.execute("SELECT last_alive FROM meta WHERE id = 1").fetchone()
        return None if row is None else row[0]

    def retention(self) -> tuple[float | None, float | None]:
        row = self._conn.execute("SELECT private_until, private_deleted_at FROM meta WHERE id = 1").fetchone()
        return (row[0], row[1]) if row else (None, None)

    def new_events(self) -> list[Event]:
        rows = self._conn.execute(
            "SELECT seq, type, payload, at FROM events WHERE seq > ? ORDER BY seq", (self.last_event,)
        ).fetchall()
        if rows:
            self.last_event = rows[-1][0]
        try:
            return [Event.from_row(type_, payload, at) for _, type_, payload, at in rows]
        except ValueError as exc:
            raise JournalDamaged(f"The session file {self.path} is damaged: {exc}.") from None

    def new_submissions(self) -> list[tuple[str, str, str | None]]:
        rows = self._conn.execute(
            "SELECT seq, step_id, device, value FROM submissions WHERE seq > ? ORDER BY seq",
            (self.last_submission,),
        ).fetchall()
        if rows:
            self.last_submission = rows[-1][0]
        return [(step_id, device, value) for _, step_id, device, value in rows]

    # What `Session` reads when it is built: answers from the start, never private text.
    def submissions(self) -> list[tuple[str, str, str | None]]:
        return self.new_submissions()

    def devices(self) -> set[str]:
        return {row[0] for row in self._conn.execute("SELECT token FROM devices")}

    def private_answered(self) -> set[tuple[str, str]]:
        return set()  # a room view has no use for who wrote a reflection

    def private_answers(self, device: str) -> list[tuple[str, str | None]]:
        return []  # never read outside the app, for that phone's own takeaway

    def close(self) -> None:
        self._conn.close()


class FollowClock:
    """The app's clock as seen from outside: the wall clock, or a rehearsal's sped-up clock (its speed and
    anchor come with the `start` and `suspend` events); stopped while the app is."""

    def __init__(self, wall: Callable[[], float] = time.time) -> None:
        self._wall = wall
        self.speed, self.anchor = 1.0, 0.0
        self.stopped_at: float | None = None

    def now(self) -> float:
        if self.stopped_at is not None:
            return self.stopped_at
        wall = self._wall()
        return self.anchor + (wall - self.anchor) * self.speed if self.speed != 1.0 else wall

    def follow(self, event: Event) -> None:
        if event.type in (ev.START, ev.SUSPEND):
            speed, anchor = event.payload.get("speed"), event.payload.get("anchor")
            ok = isinstance(speed, int | float) and isinstance(anchor, int | float) and speed > 0
            self.speed, self.anchor = (float(speed), float(anchor)) if ok else (1.0, 0.0)


class Follower:
    """A session followed from its journal. Call `poll()` often (every 30-50 ms): True when something the
    room sees may have changed (new events or answers, the app stopping or coming back)."""

    def __init__(
        self,
        path: Path,
        *,
        wall: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.reader = JournalReader(path)
        self._monotonic = monotonic
        self.clock = FollowClock(wall)
        try:
            meta = self.reader.meta()
            workshop = thaw(meta.workshop_source)
            events = self.reader.new_events()
            for event in events:
                self.clock.follow(event)
            state = replay(workshop, build_slides(workshop), events)
        except (sqlite3.Error, WorkshopLoadError, Refused) as exc:
            self.reader.close()
            raise JournalError(f"The session {path} cannot be followed: {exc}") from None
        self.session = Session(self.reader, workshop, self.clock, state)  # type: ignore[arg-type]
        self._version = self.reader.data_version()
        self._last_alive = meta.last_alive
        self._beat_seen = monotonic()
        # A heartbeat long before now: the app is not running (a rehearsal's clock runs ahead: not "before").
        self.alive = meta.ended_at is None and (meta.last_alive or 0) >= wall() - PAUSED_AFTER
        if not self.alive:
            self.clock.stopped_at = max(meta.last_alive or 0.0, state.last_event_at or 0.0)

    def poll(self) -> bool:
        """Read what was committed since the last poll. Raises JournalError if the file cannot be read."""
        try:
            version = self.reader.data_version()
            changed = False
            if version != self._version:
                self._version = version
                changed = self._read_new()
            return self._check_alive() or changed
        except sqlite3.Error as exc:
            raise JournalError(f"Could not read the session file {self.reader.path}: {exc}.") from None

    def _read_new(self) -> bool:
        session = self.session
        events = self.reader.new_events()
        state = session.state
        for event in events:
            self.clock.follow(event)
            try:
                state = apply(session.workshop, session.slides, state, event)
            except Refused:  # the app refuses such events before writing them: never expected here
                continue
        last_alive = self.reader.last_alive()
        if last_alive != self._last_alive or events:
            self._last_alive = last_alive
            self._beat_seen = self._monotonic()
        submissions = self.reader.new_submissions()
        devices = self.reader.devices()
        retention = self.reader.retention()
        return session.take_followed(state, submissions, devices, retention) or bool(events)

    def _check_alive(self) -> bool:
        alive = self._monotonic() - self._beat_seen < PAUSED_AFTER
        if alive == self.alive:
            return False
        self.alive = alive
        self.clock.stopped_at = (
            None if alive else max(self._last_alive or 0.0, self.session.state.last_event_at or 0.0)
        )
        return True

    def close(self) -> None:
        self.reader.close()


def find_running(
    data_dir: Path, *, wait: float = 2.5, sleep: Callable[[float], None] = time.sleep
) -> list[str]:
    """The ids of sessions whose app is running now: their heartbeat advances within `wait` seconds."""
    from facilitate.session.catalog import list_sessions

    candidates = {info.id: info.path for info in list_sessions(data_dir) if info.status != "damaged"}
    first = {session_id: _last_alive(path) for session_id, path in candidates.items()}
    running: set[str] = set()
    started = time.monotonic()
    while candidates and time.monotonic() - started < wait:
        sleep(0.25)
        for session_id, path in candidates.items():
            if session_id not in running and _last_alive(path) not in (first[session_id], None):
                running.add(session_id)
        if running and time.monotonic() - started > 1.5:  # every running app has beaten by now
            break
    return sorted(running)


def _last_alive(path: Path) -> float | None:
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=1)
        try:
            row = conn.execute("SELECT last_alive FROM meta WHERE id = 1").fetchone()
        finally:
            conn.close()
    except (sqlite3.Error, OSError):
        return None
    return None if row is None else row[0]
