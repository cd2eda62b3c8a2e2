"""How the facilitator's app learns that terminal room views follow its session, without a room view ever
writing to the journal (it opens it read-only) and without a port.

Each room view holds a small file `<data dir>/rooms/<session id>/<random>.room` open with a shared OS lock
(flock) for as long as it runs. The app counts the files it cannot lock exclusively: a room view that
quits removes its file, and one that dies (kill -9, a closed terminal) loses its lock with its process, so
the app removes its file as stale the next time it counts. Where flock does not exist (Windows), a room
view touches its file every few seconds and the app counts the fresh ones.
"""

from __future__ import annotations

import os
import secrets
import time
from contextlib import suppress
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

SUFFIX = ".room"
FRESH_SECONDS = 6.0  # without flock: a file touched this recently is a room view that still runs
TOUCH_SECONDS = 2.0


def presence_dir(data_dir: Path, session_id: str) -> Path:
    return Path(data_dir) / "rooms" / session_id


class RoomPresence:
    """Held by a room view while it runs: says "a room view follows this session"."""

    def __init__(self, data_dir: Path, session_id: str) -> None:
        folder = presence_dir(data_dir, session_id)
        folder.mkdir(parents=True, exist_ok=True)
        name = secrets.token_hex(8)
        temporary = folder / f".{name}.tmp"
        self.path = folder / f"{name}{SUFFIX}"
        self._fd: int | None = os.open(temporary, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
        if fcntl is not None:
            fcntl.flock(self._fd, fcntl.LOCK_SH)
        # Locked before it has its counted name: the app can never take it for a stale one.
        os.replace(temporary, self.path)
        self._touched = time.monotonic()

    def touch(self) -> None:
        """Keep the file fresh where there is no flock (cheap: call it from the room view's tick)."""
        if fcntl is None and time.monotonic() - self._touched >= TOUCH_SECONDS:
            self._touched = time.monotonic()
            with suppress(OSError):
                os.utime(self.path)

    def close(self) -> None:
        if self._fd is None:
            return
        with suppress(OSError):
            self.path.unlink()
        with suppress(OSError):
            os.close(self._fd)
        self._fd = None


def attached_rooms(data_dir: Path, session_id: str) -> int:
    """How many room views follow the session now; removes the files of those that died."""
    folder = presence_dir(data_dir, session_id)
    try:
        entries = [entry for entry in os.scandir(folder) if entry.name.endswith(SUFFIX)]
    except OSError:
        return 0
    count = 0
    for entry in entries:
        if _held(Path(entry.path)):
            count += 1
    return count


def _held(path: Path) -> bool:
    if fcntl is None:  # pragma: no cover - Windows
        try:
            return time.time() - path.stat().st_mtime < FRESH_SECONDS
        except OSError:
            return False
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return False
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return True  # a room view holds it
        with suppress(OSError):  # nobody holds it: a room view that died
            path.unlink()
        return False
    finally:
        os.close(fd)


# --- the phones' join address, for room views ----------------------------------------------------------
# Room views draw the join screen and the closing step's takeaway QR code, whose address is the laptop's
# network address: not session state (it changes with the network, and with a resume), and never in the
# journal. The app writes it here while its phone server runs and removes it when it stops.
ADDRESS_FILE = "join-address"


def write_address(data_dir: Path, session_id: str, url: str | None) -> None:
    """Publish (or with None, withdraw) the join address for room views. Raises OSError."""
    folder = presence_dir(data_dir, session_id)
    path = folder / ADDRESS_FILE
    if url is None:
        with suppress(FileNotFoundError):
            path.unlink()
        return
    folder.mkdir(parents=True, exist_ok=True)
    temporary = folder / f".{ADDRESS_FILE}.{os.getpid()}.tmp"
    fd = os.open(temporary, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(url)
    os.replace(temporary, path)


def read_address(data_dir: Path, session_id: str) -> str | None:
    """The join address the app published, or None (phones off, or the app is not running)."""
    try:
        text = (presence_dir(data_dir, session_id) / ADDRESS_FILE).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return text if text.startswith(("http://", "https://")) else None


# --- the browser room view's secret ------------------------------------------------------------------
SECRET_FILE = "room-secret"


def room_secret(data_dir: Path, session_id: str) -> str:
    """The browser room view's own secret (not the phones' join secret), kept beside the session so that
    after a resume the room's browser follows again at the same address. Made on first use. Raises OSError."""
    folder = presence_dir(data_dir, session_id)
    path = folder / SECRET_FILE
    with suppress(OSError, UnicodeDecodeError):
        secret = path.read_text(encoding="utf-8").strip()
        if len(secret) >= 16:
            return secret
    folder.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(18)
    fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(secret)
    return secret
