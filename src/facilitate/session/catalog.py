"""The sessions in a data folder, for `facilitate sessions` and for offering to resume."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from facilitate.session.applock import is_held
from facilitate.session.datadir import sessions_dir

JOURNAL_SUFFIX = ".sqlite"
# "running": an app holds the session now (its one-app lock); "paused": not ended, and no app runs it
# (quit, or the app died): `facilitate run NAME --resume` continues it.
Status = Literal["running", "paused", "ended", "damaged"]
UNFINISHED: frozenset[str] = frozenset({"running", "paused"})


def session_status(path: Path, *, ended: bool) -> Status:
    """What is true of a readable session now: ended, running in an app, or paused."""
    if ended:
        return "ended"
    return "running" if is_held(path) else "paused"


@dataclass(frozen=True)
class SessionInfo:
    id: str
    workshop_id: str | None
    workshop_title: str | None
    started: float | None
    last_event: float | None
    status: Status
    demo: bool
    path: Path

    @property
    def unfinished(self) -> bool:
        return self.status in UNFINISHED


def list_sessions(data_dir: Path, *, moved_aside: bool = False) -> list[SessionInfo]:
    """Every session, newest first. A file that cannot be read is listed as "damaged", never raised.
    `moved_aside`: also the damaged files `--resume` moved into `sessions/damaged/` (status "damaged",
    named `<id>.<when moved>`), for `sessions`, retention and `purge`."""
    folder = sessions_dir(data_dir)
    if not folder.is_dir():
        return []
    found = [_read(path) for path in folder.glob(f"*{JOURNAL_SUFFIX}") if path.is_file()]
    if moved_aside:
        from facilitate.session.damaged import damaged_files, damaged_id

        for path in damaged_files(data_dir):
            info = _read(path)
            found.append(replace(info, id=damaged_id(path), status="damaged"))
    return sorted(found, key=_sort_key, reverse=True)


def find_latest_unfinished(data_dir: Path, workshop_id: str) -> SessionInfo | None:
    for info in list_sessions(data_dir):
        if info.unfinished and info.workshop_id == workshop_id:
            return info
    return None


def _sort_key(info: SessionInfo) -> tuple[float, str]:
    if info.started is not None:
        return info.started, info.id
    try:
        return info.path.stat().st_mtime, info.id
    except OSError:
        return 0.0, info.id


def _read(path: Path) -> SessionInfo:
    session_id = path.name[: -len(JOURNAL_SUFFIX)]
    try:
        # mode=rw: never create a file that is not there; nothing here writes.
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=rw", uri=True, timeout=2)) as conn:
            row = conn.execute(
                "SELECT session_id, workshop_id, workshop_title, created_at, ended_at, demo FROM meta"
            ).fetchone()
            last = conn.execute("SELECT MAX(at) FROM events").fetchone()
    except (sqlite3.Error, OSError):
        row = None
        last = None
    if row is None:
        return SessionInfo(session_id, None, None, None, None, "damaged", False, path)
    stored_id, workshop_id, title, created_at, ended_at, demo = row
    return SessionInfo(
        id=str(stored_id),
        workshop_id=workshop_id,
        workshop_title=title,
        started=created_at,
        last_event=last[0] if last else None,
        status=session_status(path, ended=ended_at is not None),
        demo=bool(demo),
        path=path,
    )
