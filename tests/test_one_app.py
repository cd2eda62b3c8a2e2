"""One app per session: a second `run --resume` of a held session refuses and names the holder; a lock a
killed app left behind never blocks; readers (`report`, `sessions`) still read a held session."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from facilitate.cli import main
from facilitate.session.applock import AppLock, SessionHeld, holder, lock_path
from facilitate.session.clock import FakeClock
from facilitate.session.session import Session
from facilitate.workshop.registry import open_workshop

HOLD = (
    "import sys, time\n"
    "from facilitate.session.applock import AppLock\n"
    "lock = AppLock.acquire(sys.argv[1])\n"
    "print('held', flush=True)\n"
    "time.sleep(120)\n"
)


def saved_session(data_dir: Path) -> Session:
    session = Session.start_loaded(open_workshop("check-in"), data_dir=data_dir, clock=FakeClock())
    session.next()
    session.close()
    return session


@pytest.fixture
def held(tmp_path: Path):
    """A session held by another process (as a running app holds it); yields (session, process)."""
    session = saved_session(tmp_path)
    process = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(session.journal.path)], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None and process.stdout.readline().strip() == "held"
    yield session, process
    if process.poll() is None:
        process.kill()
    process.wait()


def test_a_second_resume_refuses_and_names_the_holder(
    held, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    session, process = held
    before = session.journal.path.read_bytes()
    for resume in (["--resume"], ["--resume", session.id]):
        code = main(["run", "check-in", *resume, "--data-dir", str(tmp_path), "--no-phones"])
        err = capsys.readouterr().err
        assert code == 2, err
        assert f"session {session.id} is already open in facilitate run (process {process.pid}" in err
        assert "quit that app first" in err
    assert session.journal.path.read_bytes() == before  # nothing written: no `suspend` from the refused app
    assert holder(session.journal.path) is not None and holder(session.journal.path).pid == process.pid


def test_readers_still_read_a_held_session(held, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    session, _ = held
    assert main(["report", session.id, "--data-dir", str(tmp_path)]) == 0
    assert session.workshop.title in capsys.readouterr().out
    assert main(["sessions", "--data-dir", str(tmp_path), "--format", "json"]) == 0
    assert session.id in capsys.readouterr().out


def test_a_lock_left_by_a_killed_app_never_blocks(
    held, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    session, process = held
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert lock_path(session.journal.path).exists()  # left behind, as after a crash
    assert holder(session.journal.path) is None
    opened: list[str] = []

    def no_screen(session, **options):
        opened.append(session.id)

        class NoScreen:
            return_code = 0
            stopped_by = None  # no signal stopped it

            def run(self) -> None:
                assert holder(session.journal.path).pid == os.getpid()  # held while the app runs

        return NoScreen()

    monkeypatch.setattr("facilitate.tui.app.make_app", no_screen)
    assert main(["run", "check-in", "--resume", "--data-dir", str(tmp_path), "--no-phones"]) == 0
    assert opened == [session.id]
    assert holder(session.journal.path) is None  # released at quit
    assert not lock_path(session.journal.path).exists()


def test_two_locks_in_one_process_conflict(tmp_path: Path) -> None:
    path = tmp_path / "x.sqlite"
    with AppLock.acquire(path), pytest.raises(SessionHeld, match="process"):
        AppLock.acquire(path)
    with AppLock.acquire(path):  # free again
        pass
