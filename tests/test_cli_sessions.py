"""`facilitate sessions` and the parts of `facilitate run` that happen before the app opens."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from facilitate.cli import main
from facilitate.session.clock import FakeClock
from facilitate.session.session import Session
from facilitate.tui.opening import Opening
from facilitate.workshop.registry import open_workshop


def start_session(data_dir: Path, name: str = "check-in") -> Session:
    loaded = open_workshop(name)
    return Session.start(
        loaded.workshop,
        data_dir=data_dir,
        clock=FakeClock(),
        source_text=loaded.source,
        source_path=loaded.path,
    )


def test_sessions_say_paused_running_and_ended_as_they_are(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A session quit without ending is "paused", not "running": only one an app holds now is running."""
    from facilitate.session.applock import AppLock

    paused = start_session(tmp_path)
    paused.next()
    paused.close()
    ended = start_session(tmp_path)
    ended.end()
    ended.close()
    live = start_session(tmp_path)
    lock = AppLock.acquire(live.journal.path)
    try:
        assert main(["sessions", "--data-dir", str(tmp_path), "--format", "json"]) == 0
        rows = json.loads(capsys.readouterr().out)
        assert main(["sessions", "--data-dir", str(tmp_path)]) == 0
        text = capsys.readouterr().out
    finally:
        lock.release()
        live.close()
    by_id = {row["id"]: row for row in rows}
    assert by_id[paused.id]["status"] == "paused"
    assert by_id[ended.id]["status"] == "ended"
    assert by_id[live.id]["status"] == "running"
    assert {row["workshop"] for row in rows} == {"check-in"}
    assert all(set(row) >= {"id", "workshop", "started", "last_event", "status"} for row in rows)
    lines = {line.split()[0]: line for line in text.splitlines()[1:]}
    assert lines[paused.id].endswith("paused")
    assert lines[ended.id].endswith("ended")
    assert lines[live.id].endswith("running")


def test_sessions_reads_the_environment_variable(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sessions"]) == 0
    assert "No sessions yet" in capsys.readouterr().out


def test_run_refuses_an_unwritable_data_dir(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    code = main(["run", "check-in", "--data-dir", str(blocker / "data")])
    err = capsys.readouterr().err
    assert code == 2
    assert "Cannot create the data folder" in err and "--data-dir" in err


def test_run_resume_without_a_session_says_what_to_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["run", "check-in", "--resume", "--data-dir", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 2 and "no unfinished session of 'check-in'" in err and "facilitate run check-in" in err


def test_run_resume_of_an_unknown_id(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["run", "check-in", "--resume", "2020-01-01-0000-nope", "--data-dir", str(tmp_path)])
    assert code == 2
    assert "Traceback" not in capsys.readouterr().err


def test_run_of_a_broken_workshop_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: x\n", encoding="utf-8")
    assert main(["run", str(broken), "--data-dir", str(tmp_path / "data")]) == 2
    assert f"{broken}:1:1:" in capsys.readouterr().err


def test_rehearsal_options_are_checked_and_demo_sessions_are_marked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(SystemExit) as refused:  # argparse's own usage error
        main(["run", "check-in", "--speed", "0", "--data-dir", str(tmp_path)])
    assert refused.value.code == 2 and "give a speed from 0.1 to 1000" in capsys.readouterr().err
    assert main(["run", "check-in", "--demo-room", "5", "--no-phones", "--data-dir", str(tmp_path)]) == 2
    assert "--demo-room needs the phone server" in capsys.readouterr().err

    started = {}

    def fake_app(session, **options):  # stop before the screen opens: what was set up is what matters
        if isinstance(session, Opening):  # a new session: the app opens it after its first screen
            session = session.start()[0]
        started["session"], started["options"] = session, options

        class NoScreen:
            return_code = 0
            stopped_by = None  # no signal stopped it

            def run(self) -> None:
                pass

        return NoScreen()

    monkeypatch.setattr("facilitate.tui.app.make_app", fake_app)
    assert main(["run", "check-in", "--speed", "10", "--demo-room", "3", "--data-dir", str(tmp_path)]) == 0
    session = started["session"]
    assert session.demo and type(session.clock).__name__ == "ScaledClock"
    assert started["options"]["phones"].demo_room == 3 and started["options"]["phones"].speed == 10
    assert "DEMO session" in capsys.readouterr().out
    assert main(["sessions", "--data-dir", str(tmp_path)]) == 0
    assert "(demo)" in capsys.readouterr().out


def test_the_resume_command_shown_works_as_typed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The command the app prints at quit names the data folder when it is not the default one: typed
    into another shell as shown, it finds the session (it failed with 'no session file' before)."""
    import shlex

    data_dir = tmp_path / "room 3 data"
    session = start_session(data_dir)
    command = session.resume_command
    session.close()
    assert "--data-dir" in command and session.id in command
    argv = shlex.split(command)
    assert argv[:2] == ["facilitate", "run"]
    found: list[str] = []

    def resumed(cls, data_dir_arg, session_id, *, clock):  # stop before the app would open
        found.append(f"{data_dir_arg}|{session_id}")
        raise SystemExit(0)

    monkeypatch.setattr(Session, "resume", classmethod(resumed))
    monkeypatch.delenv("FACILITATE_DATA_DIR", raising=False)
    with pytest.raises(SystemExit):
        main([*argv[1:], "--no-phones"])
    assert found == [f"{data_dir}|{session.id}"]


def test_run_deletes_an_old_sessions_private_answers_beside_the_start_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Retention runs in the background while `run` starts (it opens every session file), and is done
    by the time `run` returns."""
    from facilitate.session.clock import SystemClock
    from facilitate.tui.app import FacilitateApp

    old = Session.start_loaded(open_workshop("check-in"), data_dir=tmp_path, clock=SystemClock())
    reflection = next(step for _, step in old.workshop.steps() if step.kind == "reflection")
    phone = old.join()
    old.submit(phone, reflection.id, "only for my takeaway")
    old.keep_private_seconds = 0
    old.end()
    old.close()
    # the app opens the session after its first screen, and does nothing else here
    monkeypatch.setattr(
        FacilitateApp, "run", lambda self, *args, **kwargs: self.opening and self.opening.start()
    )
    assert main(["run", "check-in", "--data-dir", str(tmp_path), "--no-phones"]) == 0
    reopened = Session.open_readonly(tmp_path, old.id)
    try:
        assert reopened.private_deleted and reopened.private_answers(phone) == {}
    finally:
        reopened.close()
    assert b"only for my takeaway" not in (tmp_path / "sessions" / f"{old.id}.sqlite").read_bytes()


def test_a_crash_inside_the_app_exits_1_and_says_how_to_continue(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Textual catches an exception in the app, prints it and returns: `run` must not exit 0 then."""

    class CrashedApp:
        return_code = 1
        stopped_by = None  # no signal stopped it

        def __init__(self, target) -> None:
            self.target = target

        def run(self) -> None:  # the session opened, then something failed
            if isinstance(self.target, Opening):
                self.target.start()

    monkeypatch.setattr("facilitate.tui.app.make_app", lambda target, **kwargs: CrashedApp(target))
    assert main(["run", "check-in", "--data-dir", str(tmp_path), "--no-phones"]) == 1
    err = capsys.readouterr().err
    assert "unexpected error" in err and "--resume" in err and str(tmp_path.resolve()) in err
