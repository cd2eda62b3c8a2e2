"""One app per session: an OS file lock beside the session file, held for as long as an app runs it.

`sessions/<id>.sqlite.lock` is locked with `flock` (exclusive) by the app that runs the session. The
operating system drops the lock when that process ends in any way (quit, crash, `kill -9`), so a lock
left behind never blocks. Readers (`report`, `sessions`, the room view) never take it; they may ask
`holder()` whether an app runs the session now. The file names the holder (process id, command, since
when) so a refused second app can say who holds it; it holds nothing about participants.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import time
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

LOCK_SUFFIX = ".lock"
_ACQUIRE_PATIENCE_SECONDS = 1.0  # rides over a reader's brief probe (see `holder`)


@dataclass(frozen=True)
class Holder:
    """The app that holds a session: enough for a person to find it (and nothing about participants)."""

    pid: int | None
    host: str | None
    command: str | None
    since: float | None

    def describe(self) -> str:
        """ "facilitate run (process 4242 on laptop, since 14:03)"."""
        parts = []
        if self.pid is not None:
            parts.append(f"process {self.pid}" + (f" on {self.host}" if self.host else ""))
        if self.since is not None:
            parts.append("since " + time.strftime("%H:%M", time.localtime(self.since)))
        detail = f" ({', '.join(parts)})" if parts else ""
        return f"{self.command or 'another facilitate app'}{detail}"


class SessionHeld(Exception):
    """Another app runs this session; the message names it and says what to do."""

    def __init__(self, session_path: Path, holder: Holder) -> None:
        self.holder = holder
        super().__init__(
            f"session {_session_id(session_path)} is already open in {holder.describe()}: "
            "quit that app first (or use it); `facilitate report` and the room view can read it meanwhile"
        )


def lock_path(session_path: Path) -> Path:
    return Path(f"{session_path}{LOCK_SUFFIX}")


class AppLock:
    """The lock an app holds on its session. `release()` (or process exit) frees it."""

    def __init__(self, path: Path, fd: int) -> None:
        self.path = path
        self._fd: int | None = fd

    @classmethod
    def acquire(cls, session_path: Path, command: str = "facilitate run") -> AppLock:
        """Take the session for this process. Raises SessionHeld naming the holder, or OSError when the
        lock file cannot be made at all (a read-only folder)."""
        path = lock_path(Path(session_path))
        deadline = time.monotonic() + _ACQUIRE_PATIENCE_SECONDS
        while True:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                if time.monotonic() < deadline:  # perhaps only a reader's probe: ask again shortly
                    time.sleep(0.05)
                    continue
                held = _read_holder(path) or Holder(None, None, None, None)
                raise SessionHeld(Path(session_path), held) from None
            if not _same_file(fd, path):  # the previous holder removed the file as we opened it
                os.close(fd)
                continue
            info = {
                "pid": os.getpid(),
                "host": socket.gethostname(),
                "command": command,
                "since": time.time(),
            }
            os.ftruncate(fd, 0)
            os.pwrite(fd, json.dumps(info).encode(), 0)
            return cls(path, fd)

    def release(self) -> None:
        if self._fd is None:
            return
        with suppress(OSError):
            self.path.unlink()  # while still locked: nobody can be holding this file meanwhile
        os.close(self._fd)  # closing drops the lock
        self._fd = None

    def __enter__(self) -> AppLock:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.release()


def holder(session_path: Path) -> Holder | None:
    """Who runs this session now, or None when no app holds it (never blocks, never takes the lock
    for longer than a probe)."""
    path = lock_path(Path(session_path))
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return _read_holder(path) or Holder(None, None, None, None)
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)


def is_held(session_path: Path) -> bool:
    return holder(session_path) is not None


def _read_holder(path: Path) -> Holder | None:
    try:
        info = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(info, dict):
        return None
    pid, host, command, since = (info.get(key) for key in ("pid", "host", "command", "since"))
    return Holder(
        pid if isinstance(pid, int) else None,
        host if isinstance(host, str) else None,
        command if isinstance(command, str) else None,
        float(since) if isinstance(since, int | float) else None,
    )


def _same_file(fd: int, path: Path) -> bool:
    try:
        here, there = os.fstat(fd), os.stat(path)
    except OSError:
        return False
    return (here.st_dev, here.st_ino) == (there.st_dev, there.st_ino)


def _session_id(session_path: Path) -> str:
    name = Path(session_path).name
    return name.removesuffix(".sqlite")
