"""Damaged session files: moved aside into `sessions/damaged/` (never deleted), with their private
answers wiped first, and still seen by `sessions`, retention and `purge`.

A file is "damaged" when facilitate cannot replay it (truncated, corrupt, or written by two apps at
once). It may still hold reflections and plans: those are for a phone's own takeaway only and must not
outlive their deadline in a folder nobody looks at, so they are deleted (and the file rebuilt so their
text is gone from the disk) before the move, and again by retention if any are found later.
"""

from __future__ import annotations

import sqlite3
import time
from contextlib import closing, suppress
from pathlib import Path

from facilitate.session.catalog import JOURNAL_SUFFIX
from facilitate.session.datadir import sessions_dir

DAMAGED_FOLDER = "damaged"
COMPANIONS = ("-wal", "-shm")


def damaged_dir(data_dir: Path) -> Path:
    return sessions_dir(data_dir) / DAMAGED_FOLDER


def damaged_files(data_dir: Path) -> list[Path]:
    """The session files moved aside (`<id>.sqlite.<when>`), without their -wal/-shm companions."""
    folder = damaged_dir(data_dir)
    if not folder.is_dir():
        return []
    return sorted(path for path in folder.glob(f"*{JOURNAL_SUFFIX}.*") if path.is_file())


def companions(path: Path) -> list[Path]:
    """A file's write-ahead log and shared-memory file, wherever it lives (moved ones carry the stamp
    after the suffix: `<id>.sqlite-wal.<when>`)."""
    name = path.name
    if path.parent.name == DAMAGED_FOLDER and f"{JOURNAL_SUFFIX}." in name:
        stem, stamp = name.split(f"{JOURNAL_SUFFIX}.", 1)
        return [path.with_name(f"{stem}{JOURNAL_SUFFIX}{extra}.{stamp}") for extra in COMPANIONS]
    return [Path(f"{path}{extra}") for extra in COMPANIONS]


def damaged_id(path: Path) -> str:
    """How `sessions` and `purge` name a moved file: `<session id>.<when it was moved>`."""
    return path.name.replace(f"{JOURNAL_SUFFIX}.", ".", 1)


def wipe_private(path: Path) -> int | None:
    """Delete the reflections and plans in a (possibly damaged) session file, cut the tie between one
    device's poll answers, and rebuild the file so the text is gone from the disk. Returns how many were
    deleted (0: there were none), or None when the file cannot be read well enough to tell."""
    try:
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=rw", uri=True, timeout=2)) as conn:
            conn.isolation_level = None
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if "private_answers" not in tables:
                return 0 if "meta" in tables else None  # a session from before phones: nothing private
            if not conn.execute("SELECT EXISTS (SELECT 1 FROM private_answers)").fetchone()[0]:
                return 0
            conn.execute("PRAGMA secure_delete = ON")
            conn.execute("BEGIN IMMEDIATE")
            deleted = conn.execute("DELETE FROM private_answers").rowcount
            if "submissions" in tables:
                _unlink(conn)
            conn.execute("COMMIT")
            conn.execute("VACUUM")
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            return max(deleted, 0)
    except (sqlite3.Error, OSError):
        return None


def _unlink(conn: sqlite3.Connection) -> None:
    import secrets

    for step_id, device in conn.execute("SELECT DISTINCT step_id, device FROM submissions").fetchall():
        conn.execute(
            "UPDATE submissions SET device = ? WHERE step_id = ? AND device = ?",
            (f"unlinked-{secrets.token_urlsafe(12)}", step_id, device),
        )


def move_aside(path: Path) -> tuple[Path | None, bool]:
    """Wipe the private answers of a damaged session file, then move it (and its -wal/-shm) into
    `sessions/damaged/`, never deleting it. Returns (where it went or None, whether the file is known to
    hold no private answers now)."""
    if not path.exists():
        return None, True
    wiped = wipe_private(path) is not None
    folder = path.parent / DAMAGED_FOLDER
    stamp = time.strftime("%Y%m%d-%H%M%S")
    try:
        folder.mkdir(exist_ok=True)
        target = folder / f"{path.name}.{stamp}"
        path.rename(target)
        for extra in COMPANIONS:
            companion = Path(f"{path}{extra}")
            if companion.exists():
                companion.rename(folder / f"{path.name}{extra}.{stamp}")
    except OSError:
        return None, wiped
    return target, wiped


def delete_with_companions(path: Path) -> None:
    """Delete a session file and its -wal/-shm (and its app lock file). Raises OSError."""
    for leftover in (path, *companions(path), Path(f"{path}.lock")):
        with suppress(FileNotFoundError):
            leftover.unlink()
