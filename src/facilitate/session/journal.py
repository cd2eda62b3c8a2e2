"""The session journal: one SQLite file per session, every event committed before it is shown.

`<data_dir>/sessions/<session_id>.sqlite`, WAL mode with synchronous=FULL, so a committed event survives a
power cut. The schema is versioned: `MIGRATIONS[v]` takes a file from version v to v+1.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from itertools import count
from pathlib import Path
from typing import NamedTuple

from facilitate.session.catalog import JOURNAL_SUFFIX, SessionInfo, find_latest_unfinished, list_sessions
from facilitate.session.clock import Clock
from facilitate.session.datadir import DataDirError, ensure_writable, resolve_data_dir, sessions_dir
from facilitate.session.events import Event
from facilitate.session.frozen import freeze
from facilitate.session.ids import session_id as make_session_id
from facilitate.workshop.models import Workshop

__all__ = [
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "DataDirError",
    "Journal",
    "JournalError",
    "JournalMeta",
    "SessionInfo",
    "ensure_writable",
    "find_latest_unfinished",
    "journal_path",
    "list_sessions",
    "resolve_data_dir",
]


class DeviceRecord(NamedTuple):
    """A phone joined: its random token and when (nothing else about it is kept)."""

    token: str
    at: float


class AnswerRecord(NamedTuple):
    step_id: str
    device: str
    value_json: str | None  # None = passed
    at: float
    private: bool  # reflections and plans: kept apart, for the device's own takeaway only


class JournalError(Exception):
    """The journal could not be read or written; the message is for the facilitator."""


class JournalDamaged(JournalError):
    """The session file itself is broken (truncated, corrupt, not a session): retrying will not help."""


def _is_damage(exc: BaseException) -> bool:
    """Corruption, as opposed to a locked file, a permission or a full disk."""
    if isinstance(exc, sqlite3.OperationalError):
        return "no such" in str(exc)  # a table or column missing: not a whole session file
    return isinstance(exc, sqlite3.DatabaseError)


def _create_v1(conn: sqlite3.Connection) -> None:
    conn.execute(
        """CREATE TABLE meta (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            session_id TEXT NOT NULL,
            workshop_id TEXT NOT NULL,
            workshop_title TEXT NOT NULL,
            workshop_source TEXT NOT NULL,
            source_path TEXT,
            created_at REAL NOT NULL,
            ended_at REAL,
            last_alive REAL,
            demo INTEGER NOT NULL DEFAULT 0,
            join_secret TEXT NOT NULL
        )"""
    )
    conn.execute(
        """CREATE TABLE events (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            at REAL NOT NULL,
            type TEXT NOT NULL,
            payload TEXT NOT NULL DEFAULT '{}'
        )"""
    )


def _add_answers_v2(conn: sqlite3.Connection) -> None:
    """Phones: devices are random tokens, nothing else; poll answers are kept in arrival order (the
    shown results are derived from that order); private answers (reflections, plans) sit apart so that
    retention can delete them."""
    conn.execute("CREATE TABLE devices (token TEXT PRIMARY KEY, joined_at REAL NOT NULL)")
    conn.execute(
        """CREATE TABLE submissions (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            step_id TEXT NOT NULL,
            device TEXT NOT NULL REFERENCES devices(token),
            value TEXT,
            at REAL NOT NULL
        )"""
    )
    conn.execute("CREATE INDEX submissions_by_step ON submissions (step_id, seq)")
    conn.execute(
        """CREATE TABLE private_answers (
            step_id TEXT NOT NULL,
            device TEXT NOT NULL REFERENCES devices(token),
            value TEXT,
            at REAL NOT NULL,
            PRIMARY KEY (step_id, device)
        )"""
    )


def _add_retention_v3(conn: sqlite3.Connection) -> None:
    """Retention: when private answers are due for deletion, and when they were deleted."""
    conn.execute("ALTER TABLE meta ADD COLUMN private_until REAL")
    conn.execute("ALTER TABLE meta ADD COLUMN private_deleted_at REAL")


def _add_remote_secret_v4(conn: sqlite3.Connection) -> None:
    """The facilitator's remote page has its own secret (never the phones'), kept across `--resume`."""
    conn.execute("ALTER TABLE meta ADD COLUMN remote_secret TEXT")
    conn.execute("UPDATE meta SET remote_secret = ? WHERE id = 1", (secrets.token_urlsafe(18),))


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [
    _create_v1,
    _add_answers_v2,
    _add_retention_v3,
    _add_remote_secret_v4,
]
SCHEMA_VERSION = 4
assert len(MIGRATIONS) == SCHEMA_VERSION, "one migration per schema version"


@dataclass(frozen=True)
class JournalMeta:
    session_id: str
    workshop_id: str
    workshop_title: str
    workshop_source: str
    source_path: str | None
    created_at: float
    ended_at: float | None
    last_alive: float | None
    demo: bool
    join_secret: str


def journal_path(data_dir: Path, session_id: str) -> Path:
    return sessions_dir(data_dir) / f"{session_id}{JOURNAL_SUFFIX}"


def _explain(exc: BaseException) -> str:
    text = str(exc)
    lowered = text.lower()
    known = (
        ("disk is full", "the disk is full: free some space and try again"),
        ("readonly", "the file is read-only"),
        ("read-only", "the file is read-only"),
        ("unable to open", "the file or its folder is gone or cannot be opened"),
        ("disk i/o error", "the disk reported an error (was it removed?)"),
        ("not a database", "the file is damaged"),
        ("malformed", "the file is damaged"),
        ("closed database", "the journal was already closed"),
        ("database is locked", "another program is using the file"),
    )
    for needle, explanation in known:
        if needle in lowered:
            return explanation
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return text or type(exc).__name__


class Journal:
    """Open with `Journal.create` or `Journal.open`; every write commits before it returns."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self._conn = conn
        self._lock = threading.RLock()  # the connection may be shared by the UI and a worker thread
        self.path = path
        self.notices: list[str] = []  # things the facilitator should hear about (the app shows them)
        meta = self.meta()
        self.session_id = meta.session_id
        self.join_secret = meta.join_secret
        self.remote_secret: str = ""  # the facilitator's remote page (schema 4 and later)
        if _has_column(conn, "meta", "remote_secret"):
            with self._guard("read"):
                row = self._conn.execute("SELECT remote_secret FROM meta WHERE id = 1").fetchone()
            self.remote_secret = row[0] if row and row[0] else ""

    # --- opening ---------------------------------------------------------------------------------------
    @classmethod
    def create(
        cls,
        data_dir: Path,
        workshop: Workshop,
        *,
        source_text: str | None,
        source_path: str | Path | None,
        clock: Clock,
        demo: bool = False,
        source_is_parsed: bool = False,
    ) -> Journal:
        """A new session file with a fresh id and join secret. Raises DataDirError or JournalError."""
        folder = sessions_dir(Path(data_dir))
        ensure_writable(folder)
        created_at = clock.now()
        source = freeze(workshop, source_text, source_is_parsed=source_is_parsed)
        path, session_id = cls._claim(folder, workshop.id, created_at)
        try:
            conn = cls._connect(path)
            try:
                _migrate(conn, path, creating=True)
                with _transaction(conn):
                    conn.execute(
                        "INSERT INTO meta (id, session_id, workshop_id, workshop_title, workshop_source, "
                        "source_path, created_at, ended_at, last_alive, demo, join_secret) "
                        "VALUES (1, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?)",
                        (
                            session_id,
                            workshop.id,
                            workshop.title,
                            source,
                            None if source_path is None else str(source_path),
                            created_at,
                            created_at,
                            int(demo),
                            secrets.token_urlsafe(12),
                        ),
                    )
                    if _has_column(conn, "meta", "remote_secret"):
                        conn.execute(
                            "UPDATE meta SET remote_secret = ? WHERE id = 1", (secrets.token_urlsafe(18),)
                        )
                return cls(conn, path)
            except BaseException:
                conn.close()
                raise
        except (sqlite3.Error, OSError) as exc:
            _remove(path)
            raise JournalError(f"Could not create the session file {path}: {_explain(exc)}.") from None
        except BaseException:
            _remove(path)
            raise

    @classmethod
    def open(cls, path: Path) -> Journal:
        """Open an existing session file, bringing its schema up to date. Raises JournalError."""
        path = Path(path)
        if not path.is_file():
            raise JournalError(f"There is no session file at {path}.")
        try:
            conn = cls._connect(path)
        except (sqlite3.Error, OSError) as exc:
            error = JournalDamaged if _is_damage(exc) else JournalError
            raise error(f"Could not open the session file {path}: {_explain(exc)}.") from None
        try:
            _migrate(conn, path, creating=False)
            return cls(conn, path)
        except (sqlite3.Error, OSError) as exc:
            conn.close()
            error = JournalDamaged if _is_damage(exc) else JournalError
            raise error(f"Could not open the session file {path}: {_explain(exc)}.") from None
        except BaseException:
            conn.close()
            raise

    @staticmethod
    def _claim(folder: Path, workshop_id: str, at: float) -> tuple[Path, str]:
        """Reserve the first free id by creating its file exclusively (two runs cannot take the same id)."""
        for attempt in count(1):
            candidate = make_session_id(workshop_id, at, attempt)
            path = folder / f"{candidate}{JOURNAL_SUFFIX}"
            try:
                os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
            except FileExistsError:
                continue
            except OSError as exc:
                raise JournalError(f"Could not create the session file {path}: {_explain(exc)}.") from None
            return path, candidate
        raise AssertionError("unreachable")

    @staticmethod
    def _connect(path: Path) -> sqlite3.Connection:
        # mode=rw: never silently create a new, empty database where a session file should be.
        conn = sqlite3.connect(
            f"{path.resolve().as_uri()}?mode=rw",
            uri=True,
            isolation_level=None,
            timeout=5,
            check_same_thread=False,  # access is serialised by the journal's lock
        )
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
        except BaseException:
            conn.close()
            raise
        return conn

    # --- reading ---------------------------------------------------------------------------------------
    def meta(self) -> JournalMeta:
        with self._guard("read"):
            row = self._conn.execute(
                "SELECT session_id, workshop_id, workshop_title, workshop_source, source_path, created_at, "
                "ended_at, last_alive, demo, join_secret FROM meta WHERE id = 1"
            ).fetchone()
        if row is None:
            raise JournalDamaged(f"The session file {self.path} is damaged: it has no session details.")
        return JournalMeta(*row[:8], bool(row[8]), row[9])

    def events(self) -> list[Event]:
        with self._guard("read"):
            rows = self._conn.execute("SELECT type, payload, at FROM events ORDER BY seq").fetchall()
        try:
            return [Event.from_row(type_, payload, at) for type_, payload, at in rows]
        except ValueError as exc:
            raise JournalDamaged(f"The session file {self.path} is damaged: {exc}.") from None

    # --- writing ---------------------------------------------------------------------------------------
    def append(self, event: Event) -> int:
        """Store `event`; it is on disk when this returns. Returns its sequence number."""
        try:
            payload = event.payload_json()
        except (TypeError, ValueError) as exc:
            raise JournalError(
                f"Could not save a {event.type!r} event: its details are not plain data ({exc})."
            ) from None
        with self._guard("save to"), _transaction(self._conn):
            cursor = self._conn.execute(
                "INSERT INTO events (at, type, payload) VALUES (?, ?, ?)",
                (event.at, event.type, payload),
            )
            self._conn.execute(
                "UPDATE meta SET last_alive = MAX(COALESCE(last_alive, ?), ?) WHERE id = 1",
                (event.at, event.at),
            )
            return int(cursor.lastrowid or 0)

    def add_device(self, token: str, at: float) -> None:
        self.write_batch([DeviceRecord(token, at)])

    def devices(self) -> set[str]:
        with self._guard("read"):
            return {row[0] for row in self._conn.execute("SELECT token FROM devices")}

    def record_answer(
        self, step_id: str, device: str, value_json: str | None, at: float, *, private: bool
    ) -> None:
        """Store one answer; it is on disk when this returns (the phone is told only then)."""
        self.write_batch([AnswerRecord(step_id, device, value_json, at, private)])

    def write_batch(self, records: Sequence[DeviceRecord | AnswerRecord | Event]) -> None:
        """Store joins, answers and phones' events (questions, votes, pause requests) in one transaction:
        one disk flush for the whole batch.

        Safe to call from a worker thread (the connection is shared under the journal's lock)."""
        with self._guard("save to"), _transaction(self._conn):
            for record in records:
                if isinstance(record, DeviceRecord):
                    self._conn.execute(
                        "INSERT OR IGNORE INTO devices (token, joined_at) VALUES (?, ?)",
                        (record.token, record.at),
                    )
                elif isinstance(record, Event):
                    self._conn.execute(
                        "INSERT INTO events (at, type, payload) VALUES (?, ?, ?)",
                        (record.at, record.type, record.payload_json()),
                    )
                elif record.private:  # never once private answers have been deleted (a late write)
                    self._conn.execute(
                        "INSERT INTO private_answers (step_id, device, value, at) SELECT ?, ?, ?, ? "
                        "WHERE (SELECT private_deleted_at FROM meta WHERE id = 1) IS NULL "
                        "ON CONFLICT (step_id, device) DO UPDATE SET value = excluded.value, at = excluded.at",
                        (record.step_id, record.device, record.value_json, record.at),
                    )
                else:
                    self._conn.execute(
                        "INSERT INTO submissions (step_id, device, value, at) VALUES (?, ?, ?, ?)",
                        (record.step_id, record.device, record.value_json, record.at),
                    )

    def submissions(self) -> list[tuple[str, str, str | None]]:
        """(step_id, device, value JSON) for every poll answer, in arrival order."""
        with self._guard("read"):
            return self._conn.execute(
                "SELECT step_id, device, value FROM submissions ORDER BY seq"
            ).fetchall()

    def private_answers(self, device: str) -> list[tuple[str, str | None]]:
        with self._guard("read"):
            return self._conn.execute(
                "SELECT step_id, value FROM private_answers WHERE device = ?", (device,)
            ).fetchall()

    def private_answered(self) -> set[tuple[str, str]]:
        """(step id, device) of every private answer: whether one exists, never what it says."""
        with self._guard("read"):
            return {
                (row[0], row[1]) for row in self._conn.execute("SELECT step_id, device FROM private_answers")
            }

    def touch(self, now: float) -> None:
        """Record a sign of life; after a crash, timers are paused as of the last one."""
        with self._guard("save to"), _transaction(self._conn):
            self._conn.execute(
                "UPDATE meta SET last_alive = MAX(COALESCE(last_alive, ?), ?) WHERE id = 1", (now, now)
            )

    def mark_ended(self, at: float) -> None:
        with self._guard("save to"), _transaction(self._conn):
            self._conn.execute("UPDATE meta SET ended_at = ? WHERE id = 1", (at,))

    # --- retention -------------------------------------------------------------------------------------
    def set_private_until(self, at: float) -> None:
        """Private answers (reflections, plans) are to be deleted at `at` (the end plus the grace period)."""
        with self._guard("save to"), _transaction(self._conn):
            self._conn.execute("UPDATE meta SET private_until = ? WHERE id = 1", (at,))

    def retention(self) -> tuple[float | None, float | None]:
        """(private_until, private_deleted_at)."""
        with self._guard("read"):
            row = self._conn.execute(
                "SELECT private_until, private_deleted_at FROM meta WHERE id = 1"
            ).fetchone()
        return (row[0], row[1]) if row else (None, None)

    def private_left_over(self) -> bool:
        """Whether a private answer is in the file although they were deleted (written by another app
        after the deadline): retention deletes it again."""
        with self._guard("read"):
            row = self._conn.execute(
                "SELECT EXISTS (SELECT 1 FROM private_answers) AND "
                "(SELECT private_deleted_at FROM meta WHERE id = 1) IS NOT NULL"
            ).fetchone()
        return bool(row and row[0])

    def delete_private_answers(self, at: float) -> int:
        """Delete every reflection and plan, and cut the tie between one device's poll answers (see
        `_unlink_submissions`); then rebuild the file so what was removed is gone from the disk, not just
        unlinked (VACUUM), and empty the write-ahead log. Returns how many private answers were deleted."""
        with self._guard("delete from"):
            self._conn.execute("PRAGMA secure_delete = ON")
            with _transaction(self._conn):
                deleted = self._conn.execute("DELETE FROM private_answers").rowcount
                self._unlink_submissions()
                self._conn.execute("UPDATE meta SET private_deleted_at = ? WHERE id = 1", (at,))
            self._conn.execute("VACUUM")
            self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return max(deleted, 0)

    def _unlink_submissions(self) -> None:
        """Give every (poll, device) pair its own random stand-in for the device token, so the answers
        of one poll still group as before (a change of mind stays a change, the shown results replay the
        same) while nothing ties one person's answer in one poll to their answer in another. The devices
        table keeps its tokens (a phone's cookie still opens its page; the report counts joins), but no
        answer points at them any more."""
        pairs = self._conn.execute("SELECT DISTINCT step_id, device FROM submissions").fetchall()
        for step_id, device in pairs:
            self._conn.execute(
                "UPDATE submissions SET device = ? WHERE step_id = ? AND device = ?",
                (f"unlinked-{secrets.token_urlsafe(12)}", step_id, device),
            )

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _reattach_if_removed(self) -> None:
        """If the session file was deleted while running (someone removed the data folder), SQLite would
        go on writing to a file nobody can find again, and a crash would lose everything. Write the whole
        session back at its path (VACUUM INTO) and carry on there."""
        if self.path.exists():
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._conn.execute("VACUUM INTO ?", (str(self.path),))
        old, self._conn = self._conn, self._connect(self.path)
        old.close()
        self.notices.append(
            f"The session file was removed while running; it has been written again at {self.path}."
        )

    @contextmanager
    def _guard(self, action: str) -> Iterator[None]:
        try:
            with self._lock:
                if action == "save to":
                    self._reattach_if_removed()
                yield
        except (sqlite3.Error, OSError) as exc:
            error = JournalDamaged if _is_damage(exc) else JournalError
            raise error(f"Could not {action} the session journal {self.path}: {_explain(exc)}.") from None


def _has_column(conn: sqlite3.Connection, table: str, column: str) -> bool:
    return any(row[1] == column for row in conn.execute(f"PRAGMA table_info({table})"))


@contextmanager
def _transaction(conn: sqlite3.Connection) -> Iterator[None]:
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            with suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
        raise


def _migrate(conn: sqlite3.Connection, path: Path, *, creating: bool) -> None:
    has_version = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
    ).fetchone()
    if not has_version:
        if not creating:
            raise JournalDamaged(f"The file {path} is not a facilitate session, or it is damaged.")
        conn.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
    current = conn.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] or 0
    if current > SCHEMA_VERSION:
        raise JournalError(
            f"The session {path.name} was written by a newer version of facilitate: update facilitate to open it."
        )
    for version in range(current, SCHEMA_VERSION):
        with _transaction(conn):
            MIGRATIONS[version](conn)
            conn.execute("DELETE FROM schema_version")
            conn.execute("INSERT INTO schema_version (version) VALUES (?)", (version + 1,))


def _remove(path: Path) -> None:
    for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        with suppress(OSError):
            leftover.unlink()
