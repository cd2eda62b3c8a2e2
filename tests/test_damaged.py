"""Damaged files stay private: their reflections and plans are wiped before they are moved aside, and
retention, `sessions` and `purge` all look in `sessions/damaged/`. And `purge` leaves nothing behind."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from facilitate.cli import main
from facilitate.session import events as ev
from facilitate.session.clock import FakeClock
from facilitate.session.events import Event
from facilitate.session.session import Session
from facilitate.workshop.registry import open_workshop

SECRET = "what I would never say out loud"


def on_disk(folder: Path, needle: str) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() and needle.encode() in p.read_bytes()]


def session_with_a_reflection(data_dir: Path) -> Session:
    session = Session.start_loaded(open_workshop("check-in"), data_dir=data_dir, clock=FakeClock())
    reflection = next(s for _, s in session.workshop.steps() if s.kind == "reflection")
    session.submit(session.join(), reflection.id, SECRET)
    return session


def damage_by_a_second_app(session: Session) -> None:
    """What two apps writing one file left behind: an event that cannot be replayed."""
    session.journal.append(Event(ev.START, {}, session.clock.now()))
    session.close()


def test_resume_wipes_private_answers_before_moving_a_damaged_file_aside(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    session = session_with_a_reflection(tmp_path)
    damage_by_a_second_app(session)
    assert on_disk(tmp_path, SECRET)
    code = main(["run", "check-in", "--resume", session.id, "--data-dir", str(tmp_path), "--no-phones"])
    err = capsys.readouterr().err
    assert code == 2 and "moved to" in err and "private reflections and plans were deleted first" in err
    assert list((tmp_path / "sessions" / "damaged").iterdir())
    assert on_disk(tmp_path, SECRET) == []


def test_retention_sessions_and_purge_see_the_damaged_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file moved aside before private answers were wiped (by an older version) is cleaned by the next
    command, listed by `sessions`, and deleted by `purge` (it used to say "Nothing to delete")."""
    session = session_with_a_reflection(tmp_path)
    damage_by_a_second_app(session)
    folder = tmp_path / "sessions" / "damaged"
    folder.mkdir()
    moved = folder / f"{session.journal.path.name}.20260101-120000"
    shutil.move(session.journal.path, moved)
    assert on_disk(tmp_path, SECRET)
    assert main(["sessions", "--data-dir", str(tmp_path), "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(row["id"], row["status"]) for row in rows] == [(f"{session.id}.20260101-120000", "damaged")]
    assert on_disk(tmp_path, SECRET) == []  # retention ran first
    assert main(["purge", "--older-than", "0d", "--yes", "--data-dir", str(tmp_path)]) == 0
    assert "Keeping 1 unfinished or damaged" in capsys.readouterr().out and moved.exists()
    code = main(["purge", "--older-than", "0d", "--include-unfinished", "--yes", "--data-dir", str(tmp_path)])
    assert code == 0 and "Deleted 1 session(s)." in capsys.readouterr().out
    assert list(folder.iterdir()) == []


def test_purge_by_id_deletes_a_damaged_file_with_its_companions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    session = session_with_a_reflection(tmp_path)
    damage_by_a_second_app(session)
    assert main(["run", "check-in", "--resume", session.id, "--data-dir", str(tmp_path), "--no-phones"]) == 2
    folder = tmp_path / "sessions" / "damaged"
    moved = next(folder.glob("*.sqlite.*"))
    Path(str(moved).replace(".sqlite.", ".sqlite-wal.")).write_bytes(b"left over")
    capsys.readouterr()
    damaged_id = moved.name.replace(".sqlite.", ".")
    assert main(["purge", damaged_id, "--yes", "--data-dir", str(tmp_path)]) == 0
    assert list(folder.iterdir()) == []


def test_purge_leaves_no_write_ahead_log_of_a_crashed_session(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A session whose app crashed keeps its answers in `-wal` until the next open: purging it must
    delete that file too, or the answers stay on the disk."""
    session = session_with_a_reflection(tmp_path)  # never closed: as after kill -9
    path = session.journal.path
    wal = Path(f"{path}-wal")
    assert wal.exists() and SECRET.encode() in wal.read_bytes() + path.read_bytes()
    assert main(["purge", session.id, "--yes", "--data-dir", str(tmp_path)]) == 0
    assert not path.exists() and not wal.exists() and not Path(f"{path}-shm").exists()
    assert on_disk(tmp_path, SECRET) == []
    session.journal.close()
