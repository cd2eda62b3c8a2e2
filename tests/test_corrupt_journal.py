"""A damaged session file: `--resume` says so, moves it aside (never deletes it), offers a fresh start."""

from __future__ import annotations

from pathlib import Path

import pytest

from facilitate.cli import main
from facilitate.session.clock import FakeClock
from facilitate.session.session import Session
from facilitate.workshop.registry import open_workshop


def saved_session(data_dir: Path) -> tuple[str, Path]:
    session = Session.start_loaded(open_workshop("check-in"), data_dir=data_dir, clock=FakeClock())
    session.next()
    session.close()
    return session.id, data_dir / "sessions" / f"{session.id}.sqlite"


def truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:1500])


def garbage(path: Path) -> None:
    path.write_bytes(b"\x00\x13 not a database at all " * 200)


def empty(path: Path) -> None:
    path.write_bytes(b"")


def scrambled_middle(path: Path) -> None:
    data = bytearray(path.read_bytes())
    for offset in range(4096, min(len(data), 4096 * 3)):
        data[offset] = (data[offset] * 7 + 13) % 256
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", [truncate, garbage, empty, scrambled_middle])
def test_resume_moves_the_damaged_file_aside_and_says_how_to_start_fresh(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, damage
) -> None:
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    session_id, path = saved_session(tmp_path)
    for extra in (Path(f"{path}-wal"), Path(f"{path}-shm")):
        extra.unlink(missing_ok=True)
    damage(path)
    code = main(["run", "check-in", "--resume", session_id, "--data-dir", str(tmp_path), "--no-phones"])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "Traceback" not in err
    assert "cannot be resumed" in err and "moved to" in err and "facilitate run check-in" in err
    assert not path.exists()
    kept = list((tmp_path / "sessions" / "damaged").iterdir())
    assert len(kept) == 1 and kept[0].name.startswith(path.name)
    # the sessions list is calm about it afterwards
    assert main(["sessions", "--data-dir", str(tmp_path)]) == 0


def test_resume_without_an_id_names_the_damaged_file_and_what_to_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--resume` alone used to say only "no unfinished session" when the session file was damaged."""
    session_id, path = saved_session(tmp_path)
    for extra in (Path(f"{path}-wal"), Path(f"{path}-shm")):
        extra.unlink(missing_ok=True)
    garbage(path)
    code = main(["run", "check-in", "--resume", "--data-dir", str(tmp_path), "--no-phones"])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    assert f"The session file {path} cannot be read (damaged)" in err
    assert f"facilitate run check-in --resume {session_id}" in err and "moves it aside" in err
    assert f"facilitate purge {session_id}" in err
    assert path.exists()  # nothing moved until asked
